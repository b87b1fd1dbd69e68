/*
 * gate.h - the capacity gate (SPEC 6), what sales can take, speed to lead,
 * routing and the simulation of all of it.
 *
 * The gate: qualified leads wait in a pool, hand-raisers first, then by
 * total score now (engagement decays while they wait); the gate releases
 * the top N, N = sales' free slots, to routing, which gives each to a rep
 * of its pool. The threshold is the
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
#ifndef LEADFLOW_GATE_H
#define LEADFLOW_GATE_H

#include <leadflow/model.h>
#include <leadflow/buf.h>
#include <leadflow/sla_terms.h>
#include <leadflow/store.h>
#include <leadflow/table.h>

#include <jansson.h>

/*
 * What sales can take: the time a lead and an opportunity cost (measured
 * from the touches logged, per team; a default until enough are measured)
 * and each rep's and team's free slots. Free slots of a rep: (hours left
 * this week - hours their active leads and opportunities still need) /
 * hours a new lead needs, capped at max_active - active, floored at 0, 0
 * when away; a team's are its reps' sum.
 */
struct lf_capacity_cache;
struct lf_capacity_settings {
	double utilisation;           /* share of weekly hours for leads (0.8) */
	double lead_minutes;          /* default time per lead (60) */
	double opportunity_minutes;   /* default time per opportunity (240) */
	int min_measured;             /* measured items before the median is used (30) */
	struct lf_sla_terms sla;      /* the clocks of the assignments it makes */
	struct lf_sla_terms handoff_sla;  /* ... of the SQLs it hands to AEs */
	lf_time_ms now;
	struct lf_capacity_cache *cache;  /* NULL: measure everything each time */
	bool rates_only;              /* the reps and their teams' times per lead, not
				       * this week's load (what a forecast of the weeks
				       * ahead needs): free slots are left out */
};
void lf_capacity_defaults(struct lf_capacity_settings *s, lf_time_ms now);
struct lf_config;
/* The settings a server's configuration gives (utilisation, default times). */
void lf_capacity_from_config(const struct lf_config *c, lf_time_ms now,
			     struct lf_capacity_settings *s);

struct lf_team_capacity {
	char *team;                   /* "" for reps without one */
	double lead_minutes, opportunity_minutes;   /* in use (measured or default) */
	int leads_measured, opportunities_measured;
	int reps, free_slots;
};

struct lf_rep_capacity {
	struct lf_rep rep;
	bool away;
	int active;                   /* leads at assigned, sal, sql */
	int opportunities;            /* open opportunities */
	double logged_hours;          /* this week */
	double hours_left, hours_needed;
	int free_slots;
	double opportunity_days;      /* median days from opening to close, NAN none */
	int opportunities_closed;
	lf_time_ms last_assigned;     /* the latest first assignment of its leads, 0 none */
	struct lf_team_capacity *team;  /* in the same struct lf_capacity */
};

struct lf_capacity {
	struct lf_rep_capacity *reps;
	size_t nreps;
	struct lf_team_capacity *teams;
	size_t nteams;
	int free_slots;               /* the SDRs': the leads the gate may release */
	int ae_free_slots;            /* the AEs': the SQLs the handoff may give */
	int aes;                      /* account executives (0: one tier of sales) */
};

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
/* The same with model `version` the caller keeps parsed in def (lf_model_keep_active). */
enum lf_result lf_gate_run_model(struct lf_store *s, const struct lf_capacity_settings *set,
				 const struct lf_model_def *def, int version,
				 struct lf_gate_result *out, struct lf_error *err);

/*
 * Speed to lead (SPEC 6). An assignment starts a clock: the first
 * touch is due within sla_minutes (sla_hand_raiser_minutes for a
 * hand-raiser). Each run of the check closes the assignments that were
 * touched, records a breach once per assignment that is late (sla.breached
 * goes out), and gives a lead still untouched past reassign_minutes to
 * another rep of its pool with free slots (a transition by 'sla', audited,
 * a new clock). `report sla` reads the assignments back.
 * (An assignment's clock is started by the move that makes it.)
 */
struct lf_sla_result {
	int checked, met, breached, reassigned, unassignable;
};

/* One check as of set->now, in one transaction. */
enum lf_result lf_sla_run(struct lf_store *s, const struct lf_capacity_settings *set,
			  struct lf_sla_result *out, struct lf_error *err);

/*
 * The second handoff (docs/gate.md): each SQL no account executive holds
 * goes to the AE of its routing pool with the most free slots (the time of
 * an opportunity per SQL), ties to the one given one least recently, by
 * 'handoff', with an SLA clock on set->handoff_sla (the AE's first touch;
 * untouched past it, another AE of the pool takes it). An SQL waits while
 * no AE of its pool has room. Nothing when there are no AEs (one tier of
 * sales: the SDR who qualified an SQL works it on). One transaction as of
 * set->now; reads nothing when no AE has room, else the oldest SQLs
 * waiting, as many as it may hand.
 */
struct lf_handoff_result {
	bool no_room;           /* no AE has a free slot: no SQL was read */
	int checked;            /* SQLs waiting for an AE read (the oldest, at most
				 * 4 x the AEs' free slots + 64: a run reads what it can
				 * hand; the rest are the next run's) */
	int handed;
	int waiting;            /* no AE of their pool had room */
	int unrouted;           /* no routing rule takes them */
};
enum lf_result lf_handoff_run(struct lf_store *s, const struct lf_capacity_settings *set,
			      struct lf_handoff_result *out, struct lf_error *err);

/*
 * The active model's recycle rules as a clock (docs/lifecycle.md): each
 * lead at a rule's stage for its days, with its touches there all of its
 * outcomes, for whom its `when` holds, is recycled with its reason by
 * 'model' (the rule named in the note, its why in the webhook), and its
 * engagement is redone as after any rejection. def is the active model
 * (version), as the caller keeps it; NULL: nothing to do. One transaction,
 * as of now; reads only the leads at assigned and sal. *recycled counts them.
 */
struct lf_model_def;
enum lf_result lf_recycle_run(struct lf_store *s, const struct lf_model_def *def, int version,
			      lf_time_ms now, int *checked, int *recycled, struct lf_error *err);

/*
 * Routing: the file sales managers own, ordered rules (first match wins),
 * each a condition in the expression language and the pool a matching lead
 * goes to (docs/gate.md). Without one every lead goes to one pool of
 * every rep.
 *
 * Puts text (checked first: LF_ERR_INPUT with every problem in problems,
 * one a line, path:line:column: what, the first in err) in force as the next version and audits it as actor's.
 * *version gets its number, *rules how many rules it has. Its own
 * transaction, or nested in the caller's. The one way a routing file is
 * set, from the command line or the API.
 */
enum lf_result lf_routing_set(struct lf_store *s, const char *path, const char *text,
			      const char *actor, int *version, size_t *rules,
			      struct lf_buf *problems, struct lf_error *err);
/*
 * The gate's answers as JSON documents, one shape for the CLI and the API;
 * the caller owns what is returned (json_decref).
 *
 * Threshold, floor (null before the first run), free slots, the pool,
 * waiting at the last change, releases today, teams, and the threshold's
 * last history_max changes (newest first).
 */
enum lf_result lf_gate_status_json(struct lf_store *s, const struct lf_capacity_settings *set,
				   int history_max, json_t **out, struct lf_error *err);
json_t *lf_gate_result_json(const struct lf_gate_result *g);
json_t *lf_sla_result_json(const struct lf_sla_result *r);
/* The routing file in force: version and text (both null when none was set). */
enum lf_result lf_routing_json(struct lf_store *s, json_t **out, struct lf_error *err);

/*
 * The simulation: what the gate would have done (SPEC 6): the stored history
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
 * decided history; its expected SQL the same with sql.
 *
 * The second tier: with account executives, each day's expected SQLs
 * (counted on the day of their release) join the AEs' queue, which takes
 * a seventh of the AEs' weekly hours x utilisation / minutes per
 * opportunity a day; what is left is the SQLs waiting for an AE. Reps are
 * SDRs or AEs as stored; reps_delta adds SDRs, aes_delta AEs (each like
 * the average of their tier).
 */
struct lf_model_def;
struct lf_sim_options {
	lf_time_ms from, to;            /* the days replayed */
	int reps_delta;                 /* SDRs added (or removed, negative) */
	int aes_delta;                  /* account executives added (or removed) */
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
	double sqls;                    /* expected SQLs of the week's releases */
	double ae_waiting;              /* SQLs waiting for an AE at the week's end */
};

struct lf_sim_result {
	struct lf_sim_week *weeks;
	size_t nweeks;
	int reps;                       /* SDRs */
	double weekly_hours, floor;
	int aes;
	double ae_weekly_hours;
	int released, breaches;
	double expected, sqls;
	bool truth;                     /* expectations from the demo world's truth */
};

/* Fills out, which the caller releases (lf_sim_result_release), after an error too. */
enum lf_result lf_simulate(struct lf_store *s, const struct lf_sim_options *o,
			   struct lf_sim_result *out, struct lf_error *err);
void lf_sim_result_release(struct lf_sim_result *r);

/*
 * The baseline and a scenario replayed over the same days, side by side:
 * week, released, released_scenario, waiting, waiting_scenario,
 * sla_breaches, sla_breaches_scenario, expected_conversions,
 * expected_conversions_scenario, expected_sqls, expected_sqls_scenario,
 * sqls_waiting_for_ae, sqls_waiting_for_ae_scenario (empty without AEs), a
 * row a week and a total. t is initialised
 * here and is the caller's to release (after an error too); rb and ra get
 * the two results (the caller releases them on success; nothing is left to
 * release after an error). The one comparison of the CLI and the API.
 */
enum lf_result lf_simulate_compare(struct lf_store *s, const struct lf_sim_options *base,
				   const struct lf_sim_options *alt, struct lf_table *t,
				   struct lf_sim_result *rb, struct lf_sim_result *ra,
				   struct lf_error *err);

#endif
