/*
 * tick.h - the domain's clocks as one step a server schedules: the gate when
 * a change that may let a lead through was committed since its last run (the
 * store's wake-up counter moved: a hand-raiser, a lead at the threshold or
 * in the pool, a lead leaving sales' hands, a rep back) or when
 * gate_interval_ms has passed (0: never), the SLA clocks once a second,
 * the handoff of SQLs to account executives every ten seconds, the model's
 * recycle rules once a minute.
 * The step runs on whatever connection writes (the server's writer thread,
 * between groups); it keeps the active model parsed (again only when
 * another version is active) and what it learns slowly (the measured
 * times of capacity) for a minute, or, when measured_elsewhere,
 * for ten, taking fresh ones from whoever measures them (lf_tick_adopt):
 * then the step itself reads only the leads sales holds now.
 */
#ifndef LF_GATE_TICK_H
#define LF_GATE_TICK_H

#include "gate/capacity.h"

#include <leadflow/model.h>

#include <stdint.h>

struct lf_config;

struct lf_tick {
	lf_time_ms last_gate, last_sla, last_recycle, last_handoff;
	struct lf_capacity_cache cache;
	uint64_t gate_runs;
	int64_t wakes;          /* the store's gate wake-up counter at the last run */
	bool measured_elsewhere;
	struct lf_model_def model;  /* the active model, kept parsed (version 0: none) */
	int version;
	char holder[96];        /* who this server is, in the "clocks" lease */
	lf_time_ms last_lease, held_until;  /* renewed at most once a second */
};

/*
 * Servers sharing a database: the clocks run in the one that holds the
 * store's "clocks" lease (lf_store_lease), renewed once a second for five;
 * another server takes over when it runs out (a server killed: within 5 s;
 * one stopped gives it up at once). The holder acts only while its last
 * renewal has more than a second left, so two never act at once.
 */
void lf_tick_init(struct lf_tick *t);
/* Whether this server holds the clocks at now. */
bool lf_tick_leads(const struct lf_tick *t, lf_time_ms now);
/* Gives the lease up (a server stopping); errors are written to stderr. */
void lf_tick_leave(struct lf_tick *t, struct lf_store *s);

/*
 * One step as of now. *notify says a run changed something webhooks carry
 * (a release, a breach, a reassignment, a handoff). Errors are written to stderr and
 * the clocks go on; the step itself does not fail.
 */
void lf_tick_run(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		 lf_time_ms now, bool *notify);
/*
 * The gate alone, when the wake-up counter moved since its last run: a
 * writer runs it inside the transaction of the group that moved it (as a
 * nested one: a failure undoes the run alone), so that the release is
 * committed, and synced, with the change that let the lead through; that
 * commit is what wakes the webhook senders. Errors as above.
 */
void lf_tick_woken(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		   lf_time_ms now);
/* Takes fresh measured times (*fresh is emptied). */
void lf_tick_adopt(struct lf_tick *t, struct lf_capacity_cache *fresh);
void lf_tick_release(struct lf_tick *t);

#endif
