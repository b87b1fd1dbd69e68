/*
 * gate.h - the capacity gate (SPEC 6): qualified leads wait in a pool,
 * hand-raisers first, then by total score now (engagement decays while
 * they wait); the gate releases the top N, N = sales' free slots, to
 * routing, which gives each to a rep of its pool. The threshold is the
 * score of the last lead released when leads are left waiting, the floor
 * when everyone fits; each change of it is kept.
 *
 * One run, in one transaction:
 *  - a lead at stage lead whose total now is at least the floor, or that
 *    raised its hand, enters the pool: lead -> mql (lead.mql);
 *  - a lead in the pool that fell below the floor goes back to nurture:
 *    mql -> lead, with a note saying so;
 *  - the pool, in order, is routed: a lead no routing rule takes goes to the
 *    managers' queue (it stays at mql, out of the pool); a lead whose pool
 *    has a rep with free slots goes to the one with the most (ties: least
 *    recently assigned): mql -> assigned, with its owner (lead.assigned);
 *    the others wait.
 */
#ifndef LF_GATE_GATE_H
#define LF_GATE_GATE_H

#include "gate/capacity.h"

struct lf_gate_result {
	double threshold, floor;
	int free_slots;             /* before the run */
	int entered, nurtured;      /* into the pool, back to nurture */
	int released, to_managers, waiting;
	bool threshold_changed;
};

/* Where the gate stands now. */
struct lf_gate_status {
	bool ran;                   /* false: no run yet (threshold, floor, waiting unset) */
	struct lf_gate_mark last;   /* the last change of the threshold */
	int64_t pool;               /* leads at mql */
	int64_t released_today;     /* since 00:00 UTC, by the runs that changed the threshold */
	struct lf_capacity cap;     /* free slots by rep and team; release with the status */
};
enum lf_result lf_gate_status(struct lf_store *s, const struct lf_capacity_settings *set,
			      struct lf_gate_status *out, struct lf_error *err);
void lf_gate_status_release(struct lf_gate_status *st);

/* Runs the gate as of set->now (see above). LF_ERR_CONFLICT without an active model. */
enum lf_result lf_gate_run(struct lf_store *s, const struct lf_capacity_settings *set,
			   struct lf_gate_result *out, struct lf_error *err);

#endif
