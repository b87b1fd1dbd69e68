/*
 * capacity.h - what sales can take (SPEC 6), measured: the time a lead and
 * an opportunity cost, from the touches logged, and each rep's and team's
 * free slots (the structures are in leadflow/gate.h).
 *
 * Time per lead: the median of the touch minutes logged on a lead over its
 * assigned/sal/sql life (before its opportunity opened), over the leads whose
 * life is over; time per opportunity: the median of the minutes logged after
 * it opened, over closed opportunities. Per team; a configured default
 * until min_measured leads (or opportunities) are measured.
 *
 * Free slots of an SDR: (hours left this week - hours their active leads and
 * opportunities still need) / hours a new lead needs, where hours left =
 * weekly_hours x utilisation - hours logged since Monday 00:00 UTC, and an
 * active item still needs its measured time less what was logged on it;
 * capped at max_active - active, floored at 0, 0 when away. An account
 * executive's the same with the time of an opportunity for every item it
 * holds and for a new one (an SQL handed to an AE is worked as a deal). A
 * team's free slots are its reps' sum; the gate counts the SDRs', the
 * handoff the AEs'.
 */
#ifndef LF_GATE_CAPACITY_H
#define LF_GATE_CAPACITY_H

#include "move/move.h"

#include <leadflow/gate.h>

/*
 * What capacity learns slowly (the measured time per lead and opportunity,
 * per team), kept for ttl_ms so that a frequent gate reads only the leads
 * sales holds now. Zeroed to start; released with lf_capacity_cache_release.
 */
struct lf_capacity_cache {
	lf_time_ms at, ttl_ms;
	struct lf_team_capacity *teams;   /* measured parts only */
	size_t nteams;
};
void lf_capacity_cache_release(struct lf_capacity_cache *c);
/*
 * Measures those times afresh from every lead sales has held (a long read:
 * on its own connection, off the writer) into *out, released first; out
 * keeps its ttl_ms.
 */
enum lf_result lf_capacity_measure(struct lf_store *s, const struct lf_capacity_settings *set,
				   struct lf_capacity_cache *out, struct lf_error *err);

enum lf_result lf_capacity_compute(struct lf_store *s, const struct lf_capacity_settings *set,
				   struct lf_capacity *out, struct lf_error *err);
void lf_capacity_release(struct lf_capacity *c);

/* The row of rep id, or NULL when c has no such rep. */
struct lf_rep_capacity *lf_capacity_rep(struct lf_capacity *c, int64_t id);

/*
 * The rep of tier in pool (routing.h) with the most free slots, ties to the
 * one assigned least recently, away reps and except_rep left out; NULL when
 * none.
 */
struct lf_rep_capacity *lf_capacity_pick(struct lf_capacity *c, const char *pool,
					 enum lf_tier tier, int64_t except_rep);

/* What sales can take a week, now, per tier (reps away left out). */
struct lf_week_capacity {
	double leads;   /* the SDRs': weekly hours x utilisation / time per lead */
	int sdrs;
	double sqls;    /* the AEs': weekly hours x utilisation / time per opportunity */
	int aes;
};
enum lf_result lf_capacity_per_week(struct lf_store *s, struct lf_week_capacity *out,
				    struct lf_error *err);

#endif
