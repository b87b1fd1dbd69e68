/*
 * simulate.h - what the gate would have done (SPEC 6): the stored history
 * of leads and events replayed, day by day, through a simulated gate with
 * other capacities or another model. Deterministic for a seed.
 *
 * Each simulated day: the day's events are scored (the engine, exactly as
 * live scoring); the pool is the leads created so far, not yet released,
 * hand-raisers or at the floor; reps have free slots as in SPEC 6 (at most
 * max_active leads held, a lead held for work_days after release, and
 * weekly_hours x utilisation / minutes per lead releases a week); the top
 * of the pool is released to the reps with the most free slots. Each rep
 * makes first touches at a fifth of their weekly releases a day, oldest
 * assignment first, at a seeded hour of the day: a first touch later than
 * the SLA is a breach. A released lead's expected conversion is its hidden
 * truth in the demo world, else the won rate of its score decile in the
 * decided history.
 */
#ifndef LF_GATE_SIMULATE_H
#define LF_GATE_SIMULATE_H

#include "gate/capacity.h"
#include "score/model.h"

struct lf_sim_options {
	lf_time_ms from, to;            /* the days replayed */
	int reps_delta;                 /* reps added (or removed, negative) */
	double hours_delta;             /* weekly hours added to each rep */
	double floor;                   /* the floor, when has_floor */
	bool has_floor;
	const struct lf_model_def *model; /* NULL: the active model */
	uint64_t seed;
	int work_days;                  /* days a released lead holds a slot (14) */
	struct lf_capacity_settings cap;
};

struct lf_sim_week {
	lf_time_ms start;
	int released, breaches;
	int pool;                       /* waiting at the week's end */
	double expected;                /* expected conversions of the week's releases */
};

struct lf_sim_result {
	struct lf_sim_week *weeks;
	size_t nweeks;
	int reps;
	double weekly_hours, floor;
	int released, breaches;
	double expected;
	bool truth;                     /* expectations from the demo world's truth */
};

enum lf_result lf_simulate(struct lf_store *s, const struct lf_sim_options *o,
			   struct lf_sim_result *out, struct lf_error *err);
void lf_sim_result_release(struct lf_sim_result *r);

#endif
