/*
 * store.h - the one interface through which leadflow reads and writes its
 * data. Backends (SQLite now, PostgreSQL later) sit behind it; nothing above
 * this header knows which one is in use.
 *
 * Ownership: structs handed in are borrowed for the call. Structs filled by a
 * getter belong to the caller, who releases them with lf_<entity>_release.
 * Structs passed to a callback are borrowed for the callback only. A callback
 * that returns non-zero stops the iteration; the call then returns that code.
 *
 * Writes outside lf_store_begin/commit are each their own transaction.
 * Errors: LF_ERR_NOT_FOUND for a missing row, LF_ERR_CONFLICT for a unique
 * key already taken (message names the key), LF_ERR_STORE for the rest.
 *
 * What every backend keeps besides each operation's own words (the cases of
 * tests/unit/store_contract*.c hold it to them; tests/structure/
 * test_contract.sh fails when an operation has no case):
 * - Transactions nest: lf_store_begin inside an open one starts a nested
 *   one (a savepoint); its rollback undoes it alone, and the outer one
 *   goes on. The server runs each queued write, and the gate, that way.
 * - A callback may write through the same handle while a list streams to
 *   it (a rescore updates each lead it is handed); the list goes on and
 *   hands each row once, whatever the callback wrote.
 * - Ids of appended rows (events, transitions, touches, assignments, the
 *   gate's marks, deliveries) grow in the order of writing: "ties in the
 *   order written" and "oldest first" mean by id.
 * - Versions (models, routing) are the highest so far plus one, taken in
 *   the writing transaction: two writers never get the same one.
 * - A commit that returned is durable (on the disk), except on a handle
 *   given lazy commits, whose last commits a power cut may lose whole.
 * - Write transactions run one at a time, whatever the number of handles
 *   and processes: SQLite's write lock, an advisory lock on PostgreSQL
 *   (taken by lf_store_begin). Reads run beside them.
 * - A write that fails inside a transaction: on SQLite the transaction goes
 *   on without it; on PostgreSQL (lf_store_failure_spoils) the transaction
 *   is spoiled down to its innermost savepoint, and a commit of it fails
 *   saying so, keeping nothing. A caller that goes on after a failed write
 *   (a batch's bad row) makes each in a nested transaction there.
 * - Sales' stages, the `sales` source and the gate's candidate rule are
 *   this header's words (types.h's stages, each operation's comment); a
 *   backend spells them in its own language and the contract checks them.
 */
#ifndef LEADFLOW_STORE_H
#define LEADFLOW_STORE_H

#include <leadflow/types.h>

struct lf_store;

/*
 * Opens a store. target is a file path (SQLite) or "sqlite:PATH", or a
 * PostgreSQL database: "postgresql://user@host/db" (a libpq URI, its options
 * after '?'). The schema is not touched: call lf_store_migrate. Returns the handle in *out; close
 * it with lf_store_close.
 */
enum lf_result lf_store_open(const char *target, struct lf_store **out,
			     struct lf_error *err);
void lf_store_close(struct lf_store *s);
/* target as messages show it, a password in a URI replaced by "***" (the caller frees) */
char *lf_store_target_shown(const char *target);
const char *lf_store_backend(const struct lf_store *s);

/* Brings the schema to the version this binary knows; idempotent. */
enum lf_result lf_store_migrate(struct lf_store *s, struct lf_error *err);
/* 0 for an empty database. */
enum lf_result lf_store_schema_version(struct lf_store *s, int *version,
				       struct lf_error *err);
/*
 * Copies a SQLite database (from) into an empty, migrated PostgreSQL one
 * (to), in one transaction of the target, then reads every table back on
 * both sides: fn gets each table's rows and checksum (the same on both);
 * a difference is an error naming the table.
 */
typedef enum lf_result (*lf_copy_fn)(void *ctx, const char *table, int64_t rows,
				     uint64_t checksum);
enum lf_result lf_store_copy(struct lf_store *from, struct lf_store *to, lf_copy_fn fn,
			     void *ctx, struct lf_error *err);

/*
 * Wake-ups between processes sharing a database: lf_store_listen subscribes
 * this handle to them (*can: whether the backend has them; SQLite's do
 * not, its writers share one process or poll); lf_store_await_wake waits
 * up to timeout_ms for one (*woken). A commit sends one when it may let
 * the gate release a lead (what moves the gate's wake-up counter) or queues
 * a webhook delivery. A wake-up only says "look now": what to do is read
 * from the store as always, and several commits may make one wake-up.
 */
enum lf_result lf_store_listen(struct lf_store *s, bool *can, struct lf_error *err);
enum lf_result lf_store_await_wake(struct lf_store *s, int timeout_ms, bool *woken,
				   struct lf_error *err);

/* Whether a failed write spoils its transaction (see above): PostgreSQL's do. */
bool lf_store_failure_spoils(const struct lf_store *s);
/* The schema version this binary migrates s's backend to (each backend has its own). */
int lf_store_schema_latest(const struct lf_store *s);

enum lf_result lf_store_begin(struct lf_store *s, struct lf_error *err);
enum lf_result lf_store_commit(struct lf_store *s, struct lf_error *err);
void lf_store_rollback(struct lf_store *s);

/* Leads */
enum lf_lead_key { LF_KEY_EXTERNAL_ID, LF_KEY_EMAIL };

/* The orders a lead list comes in; ties always by id. */
enum lf_lead_sort {
	LF_SORT_ID,            /* id, ascending */
	LF_SORT_SCORE,         /* total, highest first */
	LF_SORT_CREATED,       /* created_at, oldest first */
	LF_SORT_SLA_DUE,       /* the open SLA clock's due time, soonest first; only
				* leads with an open clock */
};

struct lf_lead_filter {
	int stage;             /* an enum lf_stage, or -1 for any */
	const char *source;    /* NULL for any */
	int64_t after_id;      /* cursor: leads after this one in the order */
	int64_t limit;         /* 0 for no limit */
	int64_t owner_rep_id;  /* 0 for any owner */
	const char *campaign;  /* NULL for any */
	const char *email;     /* NULL for any (normalised by the caller) */
	const char *external_id;  /* NULL for any */
	bool has_min, has_max; /* a range of total scores, bounds included */
	double min_total, max_total;
	enum lf_lead_sort sort;
	double after_key;      /* cursor with a sort: the sort key of after_id's lead
				* (a time for created and SLA due) */
	/* the leads behind a feedback report's number: a transition with this
	 * reason (to reason_stage when >= 0), created in [created_from,
	 * created_to) (0: unbounded), owned by a rep of team */
	const char *reason;    /* NULL for any */
	int reason_stage;      /* an enum lf_stage, or -1 for any */
	lf_time_ms created_from, created_to;
	const char *team;      /* NULL for any */
};
#define LF_LEAD_FILTER_ALL { .stage = -1, .reason_stage = -1 }

typedef enum lf_result (*lf_lead_fn)(void *ctx, const struct lf_lead *lead);
typedef enum lf_result (*lf_count_fn)(void *ctx, enum lf_stage stage,
				      const char *source, int64_t n);

/* Stores a new lead and sets lead->id. */
enum lf_result lf_store_lead_insert(struct lf_store *s, struct lf_lead *lead,
				    struct lf_error *err);
/* Overwrites the stored lead of id lead->id with every field of lead. */
enum lf_result lf_store_lead_update(struct lf_store *s, const struct lf_lead *lead,
				    struct lf_error *err);
enum lf_result lf_store_lead_get(struct lf_store *s, int64_t id,
				 struct lf_lead *out, struct lf_error *err);
enum lf_result lf_store_lead_find(struct lf_store *s, enum lf_lead_key key,
				  const char *value, struct lf_lead *out,
				  struct lf_error *err);
/*
 * Leads in id order. The callback may update the lead it is given (and
 * write other tables); the iteration goes on unaffected.
 */
enum lf_result lf_store_lead_list(struct lf_store *s,
				  const struct lf_lead_filter *filter,
				  lf_lead_fn fn, void *ctx, struct lf_error *err);
/* A lead's scores, as a model computed them. */
struct lf_lead_score {
	int64_t id;
	double fit, engagement, total;
	int model_version;
	lf_time_ms hand_raiser_at;  /* 0 when none */
	uint64_t rules;             /* bit i: the model's i-th rule fired (fit rules
				     * first, then engagement; the first 64) */
};
/*
 * Writes only the scores of lead score->id (cheaper than a full update),
 * with the engine's state (NULL: none saved).
 */
enum lf_result lf_store_lead_set_score(struct lf_store *s,
				       const struct lf_lead_score *score,
				       const void *state, size_t len,
				       struct lf_error *err);

/*
 * The lead with the scoring engine's saved state (bytes, valid for the
 * lead's model_version), for scoring it further. *state is NULL when none
 * was saved; the caller frees it.
 */
enum lf_result lf_store_lead_get_scoring(struct lf_store *s, int64_t id,
					 struct lf_lead *out, void **state, size_t *len,
					 struct lf_error *err);

/* Which leads a report looks at; NULL and 0 mean "any". */
struct lf_report_filter {
	lf_time_ms from, to;      /* created_at in [from, to) */
	const char *source;
	const char *campaign;
	const char *team;         /* the owner rep's team */
	bool outcome_won;         /* reports' outcome: won (else: reached sql) */
	bool last_touch;          /* channels: attribution by last touch (else first) */
};

/* A lead as reports see it. Strings are borrowed for the callback. */
struct lf_lead_path {
	const char *source;
	unsigned stages;          /* LF_STAGE_BIT of its stage and every transition's target */
	enum lf_stage stage;      /* where it is now */
	double fit, engagement, total;
	int model_version;
	int rating;               /* the first rating a rep gave it, 0 when none */
};

/* Each lead the filter selects. */
typedef enum lf_result (*lf_path_fn)(void *ctx, const struct lf_lead_path *p);
enum lf_result lf_store_lead_paths(struct lf_store *s, const struct lf_report_filter *f,
				   lf_path_fn fn, void *ctx, struct lf_error *err);

/*
 * The reports' aggregates (SPEC 10: any report over 1M leads in 200 ms).
 * The store keeps counts of leads per cohort (the week a lead was created,
 * UTC from Monday; its source; its campaign; its owner's team) in the
 * transaction of every change, and answers a report's filter from them:
 * the whole weeks of [from, to) from the counts, the days at either edge
 * from the leads of those days, so that the answer is exact for any period
 * and costs the cohorts plus a week of leads, never all leads. Each call
 * gives rows whose key may come more than once (once from the counts, once
 * from an edge): the caller adds them up. Strings are borrowed for the
 * callback.
 */

/* Leads by the stages they have been at, by source and campaign. */
struct lf_path_count {
	const char *source, *campaign;
	unsigned stages;           /* LF_STAGE_BIT of its stage and every transition's ends */
	bool overridden;           /* a rule disqualified it, then a rep took it back */
	int64_t n;
};
typedef enum lf_result (*lf_path_count_fn)(void *ctx, const struct lf_path_count *p);
enum lf_result lf_store_report_paths(struct lf_store *s, const struct lf_report_filter *f,
				     lf_path_count_fn fn, void *ctx, struct lf_error *err);

/*
 * Leads by a signal's band and their stages: fit, engagement and total in
 * bands of one point (band b holds the scores in [b, b + 1)), the first
 * rating a rep gave (band = the rating; leads without one are left out).
 */
enum lf_signal { LF_SIGNAL_FIT, LF_SIGNAL_ENGAGEMENT, LF_SIGNAL_TOTAL, LF_SIGNAL_RATING,
		 LF_SIGNAL_COUNT };
struct lf_signal_count {
	enum lf_signal signal;
	int64_t band;
	unsigned stages;
	int64_t n;
	int64_t sales;             /* of the n, those sales found (source LF_SOURCE_SALES) */
};
typedef enum lf_result (*lf_signal_count_fn)(void *ctx, const struct lf_signal_count *c);
enum lf_result lf_store_report_signals(struct lf_store *s, const struct lf_report_filter *f,
				       lf_signal_count_fn fn, void *ctx, struct lf_error *err);

/*
 * What sales put into the leads handed to it (first assigned, or at sql
 * for sales' own), for the effort report: the wait from the handoff to the
 * first touch in tenths of an hour, rounded up (to the tenth up to a day,
 * to the hour up to 60 days, to the day beyond; 0 when the first touch came
 * before; -1 never touched), the band of minutes logged (0: < 15, 1: 15-60,
 * 2: > 60), and the sums of touches and minutes of the n leads.
 */
struct lf_effort_count {
	const char *source;
	int64_t wait;
	int minutes_band;
	unsigned stages;
	int64_t n, touches;
	double minutes;
};
typedef enum lf_result (*lf_effort_count_fn)(void *ctx, const struct lf_effort_count *c);
enum lf_result lf_store_report_efforts(struct lf_store *s, const struct lf_report_filter *f,
				       lf_effort_count_fn fn, void *ctx, struct lf_error *err);

/*
 * Transitions with a reason or a rating, for the feedback report: kind is
 * "reject", "disqualify", "lost" or "won" with its reason, or "" (reason
 * "") for the others (a rating alone, a requalification), which count only
 * in rated and rating_sum.
 */
struct lf_decision_count {
	const char *source, *campaign, *kind, *reason;
	int64_t n, rated, rating_sum;
};
typedef enum lf_result (*lf_decision_count_fn)(void *ctx, const struct lf_decision_count *c);
enum lf_result lf_store_report_decisions(struct lf_store *s, const struct lf_report_filter *f,
					 lf_decision_count_fn fn, void *ctx,
					 struct lf_error *err);

/*
 * Decisions (rejects, disqualifications, losses, with their reason) under
 * each rule of model version that the lead fired when it was last scored:
 * rule is the rule's place in the model, fit rules first, then engagement
 * rules (the first 64 only).
 */
struct lf_rule_count {
	int rule;
	const char *kind, *reason;
	int64_t n, rated, rating_sum;
};
typedef enum lf_result (*lf_rule_count_fn)(void *ctx, const struct lf_rule_count *c);
enum lf_result lf_store_report_rules(struct lf_store *s, const struct lf_report_filter *f,
				     int version, lf_rule_count_fn fn, void *ctx,
				     struct lf_error *err);

/*
 * The forecast's counts (report/forecast.c), each row of one part:
 * - LF_FORECAST_QUALIFIED: leads (not sales' own) that qualified on `day`
 *   (days since the epoch, UTC): their first move to mql or a later sales
 *   stage, dated at the lead's creation when an import gave no date for it
 *   (lf_transition.undated);
 * - LF_FORECAST_CLOSED: decided leads (won, lost, recycled, disqualified)
 *   that had reached `stage` (sql or opportunity): whether `won`, and the
 *   days from first reaching that stage to first reaching the one they are
 *   at, in `tenths` of a day (-1: a date not known, or not after);
 * - LF_FORECAST_OPEN: leads at `stage` (sql or opportunity) now, by the
 *   `day` they first reached it (-1: not known), with the sum (`value`) of
 *   value_field's numeric values over the `valued` ones that have one.
 *   value_field NULL is LF_VALUE_FIELD, whose sums are kept; another field
 *   reads the open leads themselves (costs the open pipeline).
 */
#define LF_VALUE_FIELD "close_value"
enum lf_forecast_part { LF_FORECAST_QUALIFIED, LF_FORECAST_CLOSED, LF_FORECAST_OPEN };
struct lf_forecast_count {
	enum lf_forecast_part part;
	enum lf_stage stage;
	int64_t day, tenths;
	bool won;
	int64_t n, valued;
	double value;
};
typedef enum lf_result (*lf_forecast_count_fn)(void *ctx, const struct lf_forecast_count *c);
enum lf_result lf_store_report_forecast(struct lf_store *s, const struct lf_report_filter *f,
					const char *value_field, lf_forecast_count_fn fn,
					void *ctx, struct lf_error *err);
/*
 * The leads the filter selects that qualified at or after `since`, counted
 * by the 1-point band of their total score now (its floor).
 */
typedef enum lf_result (*lf_band_count_fn)(void *ctx, int64_t band, int64_t n);
enum lf_result lf_store_report_recent_scores(struct lf_store *s,
					     const struct lf_report_filter *f,
					     lf_time_ms since, lf_band_count_fn fn, void *ctx,
					     struct lf_error *err);

/*
 * Recomputes every aggregate from the leads, their transitions and their
 * touches, in one transaction: what the kept ones must equal at any time
 * (a check, or a repair after a bug). Costs all leads.
 */
enum lf_result lf_store_aggregates_rebuild(struct lf_store *s, struct lf_error *err);
/*
 * For a bulk write that touches most leads (the demo world, rescoring every
 * lead): stops keeping the aggregates change by change, in the caller's
 * transaction, which must call lf_store_aggregates_rebuild before it
 * commits (a rollback leaves them kept as before).
 */
enum lf_result lf_store_aggregates_pause(struct lf_store *s, struct lf_error *err);
/*
 * For rescoring every lead: stops following each lead's scores (their bands
 * in the aggregates, the gate's wake-up on a score), in the caller's
 * transaction, which calls lf_store_scores_resume before it commits: every
 * lead's bands and rules are then taken at once and the gate woken.
 */
enum lf_result lf_store_scores_pause(struct lf_store *s, struct lf_error *err);
enum lf_result lf_store_scores_resume(struct lf_store *s, struct lf_error *err);

/* The number of leads per (stage, source), source NULL for leads without one. */
enum lf_result lf_store_lead_counts(struct lf_store *s, lf_count_fn fn, void *ctx,
				    struct lf_error *err);

/*
 * Answers to qualification questions: add keeps one more (a->id and, when
 * 0, a->at set); list gives a lead's, newest first. Erasing the lead
 * deletes them.
 */
typedef enum lf_result (*lf_answer_fn)(void *ctx, const struct lf_answer *a);
enum lf_result lf_store_answer_add(struct lf_store *s, struct lf_answer *a,
				   struct lf_error *err);
enum lf_result lf_store_answer_list(struct lf_store *s, int64_t lead_id, lf_answer_fn fn,
				    void *ctx, struct lf_error *err);
/*
 * Marketing's spend per day, channel (the leads' source) and campaign (""
 * for none). put writes one: add false replaces the day's amount (an
 * export of a period read again changes nothing), true adds to it (rows of
 * one file for one day and campaign, as ad sets are); *inserted when new,
 * *changed when the amount is another. sum: the amounts of the days in
 * [from, to) (0: unbounded) by channel and campaign, with the days that
 * had any.
 */
struct lf_spend {
	lf_time_ms day;            /* 00:00 UTC of the day */
	char *channel, *campaign;  /* campaign "" for none */
	double amount;
};
enum lf_result lf_store_spend_put(struct lf_store *s, const struct lf_spend *sp, bool add,
				  bool *inserted, bool *changed, struct lf_error *err);
typedef enum lf_result (*lf_spend_fn)(void *ctx, const char *channel, const char *campaign,
				      double amount, int64_t days);
enum lf_result lf_store_spend_sum(struct lf_store *s, lf_time_ms from, lf_time_ms to,
				  lf_spend_fn fn, void *ctx, struct lf_error *err);
/*
 * The value (LF_VALUE_FIELD) of the leads the filter selects that reached
 * an opportunity, by source and campaign: the pipeline they opened
 * (opportunities, won or not) and the revenue of those won, with how many
 * of each had a value.
 */
struct lf_value_count {
	const char *source, *campaign;
	double pipeline, revenue;
	int64_t pipeline_n, revenue_n;
};
typedef enum lf_result (*lf_value_count_fn)(void *ctx, const struct lf_value_count *v);
enum lf_result lf_store_report_values(struct lf_store *s, const struct lf_report_filter *f,
				      lf_value_count_fn fn, void *ctx, struct lf_error *err);

/*
 * Last-touch attribution: the leads the filter's period and team select (not
 * its source and campaign: the caller filters on the touch), each by the
 * last touch before it qualified (its first move to mql or beyond; not
 * qualified: the last so far), a touch being an event whose properties name
 * a utm_source (and utm_campaign), or by its own source and campaign when
 * it had none before: counted by that source, campaign and the stages the
 * lead has been at, with the sum of close_value over them. Strings are
 * borrowed for the callback.
 */
struct lf_touch_count {
	const char *source, *campaign;   /* campaign "" for none */
	unsigned stages;
	int64_t n;
	double value;
};
typedef enum lf_result (*lf_touch_count_fn)(void *ctx, const struct lf_touch_count *c);
enum lf_result lf_store_report_last_touch(struct lf_store *s, const struct lf_report_filter *f,
					  lf_touch_count_fn fn, void *ctx, struct lf_error *err);

/*
 * Marketing's KPIs from events (report kpis): the events of the KPI types
 * (email_send, email_bounce, email_open, email_click, unsubscribe,
 * page_view) that occurred in [from, to) of the leads the filter's source,
 * campaign and team select, counted by week (its Monday, 00:00 UTC), the
 * lead's source and campaign and type; and for type "page_session" the
 * visits (page views of one lead with less than 30 minutes between them)
 * that began in the week, `single` those of one page.
 */
#define LF_SESSION_GAP_MS (30 * 60000LL)
struct lf_event_count {
	lf_time_ms week;
	const char *source, *campaign, *type;
	int64_t n, single;
};
typedef enum lf_result (*lf_event_count_fn)(void *ctx, const struct lf_event_count *c);
enum lf_result lf_store_report_events(struct lf_store *s, const struct lf_report_filter *f,
				      lf_event_count_fn fn, void *ctx, struct lf_error *err);

/*
 * CDP events (Segment / RudderStack, ingest/cdp.c). An anonymous id (or an
 * alias's previous id) is linked to a lead once the person is identified
 * (the latest link wins; erasing the lead deletes them); until then its
 * messages are held as they came. identity: the lead an id is, *lead_id 0
 * when none. hold: keeps a message, *kept false when one with that
 * message id is held already. take: gives the held messages of an id,
 * oldest first, and deletes them (undone with the caller's transaction).
 */
enum lf_result lf_store_cdp_identity(struct lf_store *s, const char *anonymous_id,
				     int64_t *lead_id, struct lf_error *err);
enum lf_result lf_store_cdp_link(struct lf_store *s, const char *anonymous_id, int64_t lead_id,
				 lf_time_ms at, struct lf_error *err);
enum lf_result lf_store_cdp_hold(struct lf_store *s, const char *message_id,
				 const char *anonymous_id, lf_time_ms received_at,
				 const char *message, bool *kept, struct lf_error *err);
typedef enum lf_result (*lf_cdp_held_fn)(void *ctx, lf_time_ms received_at,
					 const char *message);
enum lf_result lf_store_cdp_take(struct lf_store *s, const char *anonymous_id,
				 lf_cdp_held_fn fn, void *ctx, struct lf_error *err);
/* Each question ever answered with the time of its first answer, by key. */
typedef enum lf_result (*lf_first_answer_fn)(void *ctx, const char *question, lf_time_ms at);
enum lf_result lf_store_answer_firsts(struct lf_store *s, lf_first_answer_fn fn, void *ctx,
				      struct lf_error *err);
/*
 * The leads whose first move into stage entered came at or after since, by
 * id: each with that time and the stages its transitions reached (bits of
 * enum lf_stage, its stage now included). What the questions report reads:
 * the leads a question asked at accept (sal) or qualify (sql) was due for.
 */
typedef enum lf_result (*lf_entered_fn)(void *ctx, const struct lf_lead *lead,
					lf_time_ms entered_at, unsigned stages);
enum lf_result lf_store_leads_entered(struct lf_store *s, enum lf_stage entered,
				      lf_time_ms since, lf_entered_fn fn, void *ctx,
				      struct lf_error *err);
/*
 * The moves to recycled made in [from, to) (0: unbounded), counted by who
 * made them (by_rule: the model's recycle rule named in note; else a
 * person's rejection) and reason, with how many of those leads moved on
 * later: back to lead, to sql, to won. What the recycle report reads.
 */
struct lf_recycle_count {
	const char *note;         /* by_rule: the move's note ("recycle rule 'X'") */
	bool by_rule;
	const char *reason;       /* "" when none */
	int64_t n, back, sql, won;
};
typedef enum lf_result (*lf_recycle_count_fn)(void *ctx, const struct lf_recycle_count *c);
enum lf_result lf_store_recycle_outcomes(struct lf_store *s, lf_time_ms from, lf_time_ms to,
					 lf_recycle_count_fn fn, void *ctx,
					 struct lf_error *err);
/*
 * Each stay of a lead at stage that began in [from, to) (0: unbounded) and
 * lasted at least min_ms (a stay not over yet lasts until now): from its
 * move there (moves from the stage to itself, a reassignment, do not begin
 * or end one) to its next move elsewhere, with that move's stage, actor and
 * note ("" when there is none yet), and whether the lead reached sql, won,
 * after the stay began. By lead, then time. What the recycle report replays
 * the rules over, to find the leads kept past a rule's threshold.
 */
struct lf_stage_stay {
	int64_t lead_id;
	lf_time_ms entered, left;     /* left: 0 while still there */
	const char *next_stage, *next_actor, *next_note;
	bool sql_after, won_after;
};
typedef enum lf_result (*lf_stage_stay_fn)(void *ctx, const struct lf_stage_stay *st);
enum lf_result lf_store_stage_stays(struct lf_store *s, enum lf_stage stage, lf_time_ms from,
				    lf_time_ms to, lf_time_ms min_ms, lf_time_ms now,
				    lf_stage_stay_fn fn, void *ctx, struct lf_error *err);
/*
 * The two handoffs made in [from, to) (0: unbounded), each with what the
 * team that took it decided first, counted by handoff, the SDR, decision
 * and reason. Marketing to SDR: a lead's move from mql to assigned (the
 * SDR: who it went to); decided by its next move to sal (accepted),
 * recycled (rejected) or disqualified. SDR to AE: a move from sql to sql by
 * 'handoff' (the SDR: who held the lead before it); decided by its next move
 * to opportunity (accepted), sal (sent back) or disqualified. What the
 * handoffs report reads.
 */
struct lf_handoff_count {
	enum lf_tier tier;        /* who took it: LF_TIER_SDR from marketing, LF_TIER_AE */
	int64_t sdr;              /* 0 when not recorded */
	const char *decision;     /* the stage of the decision; "" none yet */
	const char *reason;       /* "" when none */
	int64_t n;
	int64_t won;              /* of them, won afterwards */
	double decide_ms;         /* summed time from the handoff to the decision */
	int64_t rated, rating;    /* decisions with a rating, and their ratings summed */
};
typedef enum lf_result (*lf_handoff_count_fn)(void *ctx, const struct lf_handoff_count *c);
enum lf_result lf_store_handoff_outcomes(struct lf_store *s, lf_time_ms from, lf_time_ms to,
					 lf_handoff_count_fn fn, void *ctx,
					 struct lf_error *err);
/*
 * The leads at stage now whose last move there came at or before
 * entered_by, by id, each with that time (stages: the stage's bit). What
 * the recycle rules read: sales' open leads, never all leads.
 */
enum lf_result lf_store_leads_at(struct lf_store *s, enum lf_stage stage,
				 lf_time_ms entered_by, lf_entered_fn fn, void *ctx,
				 struct lf_error *err);
/*
 * The SQLs no account executive holds (their SDR's, or nobody's), by id,
 * each with the time of its last move to sql: what the handoff to AEs
 * reads, never all leads.
 */
enum lf_result lf_store_sqls_unhanded(struct lf_store *s, lf_entered_fn fn, void *ctx,
				      struct lf_error *err);

/* Events: idempotent on id; *inserted says whether the event is new. */
typedef enum lf_result (*lf_event_fn)(void *ctx, const struct lf_event *e);
enum lf_result lf_store_event_insert(struct lf_store *s, const struct lf_event *e,
				     bool *inserted, struct lf_error *err);
/*
 * Inserts e[0..n) as event_insert would one after the other, in one go
 * (PostgreSQL: one COPY into a staging table and one INSERT ... SELECT, a
 * few round trips for the lot); inserted[i] says whether e[i] was new. All
 * or nothing: on a failure (an event whose lead does not exist) none of
 * them is kept and the caller's transaction goes on, so it can insert them
 * one by one to find the row at fault.
 */
enum lf_result lf_store_event_insert_many(struct lf_store *s, const struct lf_event *e,
					  size_t n, bool *inserted, struct lf_error *err);
enum lf_result lf_store_event_get(struct lf_store *s, const char *id,
				  struct lf_event *out, struct lf_error *err);
/*
 * A lead's events by occurred_at, then id; lead_id 0: every lead's, in lead
 * order, each lead's in that same order (a replay of the whole history
 * reads what live scoring read): one pass for replays.
 */
enum lf_result lf_store_event_list(struct lf_store *s, int64_t lead_id,
				   lf_event_fn fn, void *ctx, struct lf_error *err);

/* Touches: idempotent on key; sets t->id when inserted. */
typedef enum lf_result (*lf_touch_fn)(void *ctx, const struct lf_touch *t);
enum lf_result lf_store_touch_insert(struct lf_store *s, struct lf_touch *t,
				     bool *inserted, struct lf_error *err);
enum lf_result lf_store_touch_list(struct lf_store *s, int64_t lead_id,
				   lf_touch_fn fn, void *ctx, struct lf_error *err);

/* Transitions: append-only; the store refuses updates and deletes. */
typedef enum lf_result (*lf_transition_fn)(void *ctx, const struct lf_transition *t);
enum lf_result lf_store_transition_append(struct lf_store *s, struct lf_transition *t,
					  struct lf_error *err);
/* A lead's transitions in the order written; lead_id 0: every lead's, in lead order. */
enum lf_result lf_store_transition_list(struct lf_store *s, int64_t lead_id,
					lf_transition_fn fn, void *ctx,
					struct lf_error *err);

/* Reps: name is unique. */
typedef enum lf_result (*lf_rep_fn)(void *ctx, const struct lf_rep *r);
enum lf_result lf_store_rep_insert(struct lf_store *s, struct lf_rep *r,
				   struct lf_error *err);
enum lf_result lf_store_rep_find(struct lf_store *s, const char *name,
				 struct lf_rep *out, struct lf_error *err);
/*
 * Whether any stored lead has a value for name: a lead field (title,
 * employees, ...) or, when attribute, a free attribute. Reads up to every
 * lead when none has it: for checks a person asks for, not a write path.
 */
enum lf_result lf_store_lead_field_present(struct lf_store *s, const char *name,
					   bool attribute, bool *present, struct lf_error *err);
/* The rep of id; LF_ERR_NOT_FOUND when there is none. out is the caller's. */
enum lf_result lf_store_rep_get(struct lf_store *s, int64_t id, struct lf_rep *out,
				struct lf_error *err);
enum lf_result lf_store_rep_list(struct lf_store *s, lf_rep_fn fn, void *ctx,
				 struct lf_error *err);

/* Overwrites the stored rep of id r->id with every field of r. */
enum lf_result lf_store_rep_update(struct lf_store *s, const struct lf_rep *r,
				   struct lf_error *err);

/*
 * The load sales carries now (the leads it holds: assigned, sal and sql,
 * and open opportunities), kept change by change: per rep, how many items
 * of each kind carry each number of touch minutes logged on them (for a
 * lead, the minutes before any opportunity; for an opportunity, since it
 * opened). What capacity subtracts from a rep's hours, read in the cost
 * of the reps and the distinct values, not of the leads held.
 */
struct lf_held_count {
	int64_t rep_id;
	bool opportunity;
	double logged;
	int64_t n;
};
typedef enum lf_result (*lf_held_count_fn)(void *ctx, const struct lf_held_count *c);
enum lf_result lf_store_held_load(struct lf_store *s, lf_held_count_fn fn, void *ctx,
				  struct lf_error *err);
/*
 * What capacity measures from every lead sales has held, kept change by
 * change: per rep (the lead's owner now), how many leads had each value of
 * LF_WORK_LEAD (touch minutes of an assigned-to-sql life that is over),
 * LF_WORK_OPPORTUNITY (touch minutes of a closed opportunity) and
 * LF_WORK_DAYS (days from opening to closing, to the tenth).
 */
enum lf_work { LF_WORK_LEAD, LF_WORK_OPPORTUNITY, LF_WORK_DAYS };
struct lf_work_count {
	int64_t rep_id;
	enum lf_work kind;
	double value;
	int64_t n;
};
typedef enum lf_result (*lf_work_count_fn)(void *ctx, const struct lf_work_count *c);
enum lf_result lf_store_work_counts(struct lf_store *s, lf_work_count_fn fn, void *ctx,
				    struct lf_error *err);
/* Each rep with the first assignment time of the latest lead they were given (0: none). */
typedef enum lf_result (*lf_rep_time_fn)(void *ctx, int64_t rep_id, lf_time_ms at);
enum lf_result lf_store_rep_last_assigned(struct lf_store *s, lf_rep_time_fn fn, void *ctx,
					  struct lf_error *err);
typedef enum lf_result (*lf_rep_minutes_fn)(void *ctx, int64_t rep_id, double minutes);
/* Touch minutes per rep logged at or after since. */
enum lf_result lf_store_rep_minutes(struct lf_store *s, lf_time_ms since,
				    lf_rep_minutes_fn fn, void *ctx, struct lf_error *err);

/*
 * The gate's candidates: leads in the pool (stage mql, no queue), and leads
 * at stage lead whose total is at least floor or that raised their hand,
 * each with the scoring engine's saved state (NULL when none; borrowed).
 */
typedef enum lf_result (*lf_candidate_fn)(void *ctx, const struct lf_lead *lead,
					  const void *state, size_t len);
enum lf_result lf_store_gate_candidates(struct lf_store *s, double floor, lf_candidate_fn fn,
					void *ctx, struct lf_error *err);
/* Sets a lead's stage, owner (0: none) and queue (NULL: none) as of at. */
enum lf_result lf_store_lead_move(struct lf_store *s, int64_t id, enum lf_stage stage,
				  int64_t owner_rep_id, const char *queue, lf_time_ms at,
				  struct lf_error *err);

/* The routing file: every version kept; the newest is in force. */
enum lf_result lf_store_routing_put(struct lf_store *s, const char *text, const char *actor,
				    int *version, struct lf_error *err);
/* The routing in force; LF_ERR_NOT_FOUND when none was set. *text is the caller's. */
enum lf_result lf_store_routing_get(struct lf_store *s, int *version, char **text,
				    struct lf_error *err);

/* One change of the gate's threshold. */
struct lf_gate_mark {
	lf_time_ms at;
	double threshold, floor;
	int64_t free_slots, pool, released;
};
typedef enum lf_result (*lf_gate_mark_fn)(void *ctx, const struct lf_gate_mark *m);
enum lf_result lf_store_gate_record(struct lf_store *s, const struct lf_gate_mark *m,
				    struct lf_error *err);
/*
 * A number that grows whenever a change may let the gate release a lead
 * at once: a hand-raiser, a lead reaching the pool or the threshold, a
 * lead leaving sales' hands, a rep added or changed (back from away). The
 * server compares it after each commit and runs the gate when it moved.
 */
enum lf_result lf_store_gate_wakes(struct lf_store *s, int64_t *n, struct lf_error *err);
/* The newest marks first, at most limit. */
enum lf_result lf_store_gate_history(struct lf_store *s, int limit, lf_gate_mark_fn fn,
				     void *ctx, struct lf_error *err);

/* Assignments: add sets a->id; open ones come with their first touch since. */
typedef enum lf_result (*lf_assignment_fn)(void *ctx, const struct lf_assignment *a);
enum lf_result lf_store_assignment_add(struct lf_store *s, struct lf_assignment *a,
				       struct lf_error *err);
/* Writes first_touch_at, breached_at, reassigned_at and closed of a->id. */
enum lf_result lf_store_assignment_update(struct lf_store *s, const struct lf_assignment *a,
					  struct lf_error *err);
/*
 * Assignments (open only, or all), oldest first; an open one's
 * first_touch_at is the first touch of its lead at or after it, if any.
 */
enum lf_result lf_store_assignments(struct lf_store *s, bool open_only, lf_assignment_fn fn,
				    void *ctx, struct lf_error *err);

/*
 * A lease on name: holder has it until now + ttl_ms. Taken when nobody
 * holds it or the last holder's has run out, renewed when holder has it;
 * *held says whether holder has it after the call; ttl_ms 0 gives it up
 * (it runs out at once). Servers sharing a
 * database run the gate, the SLA clocks and the webhook sender only while
 * they hold "clocks" (so that nothing acts twice), and a server that dies
 * hands them over when its lease runs out.
 */
enum lf_result lf_store_lease(struct lf_store *s, const char *name, const char *holder,
			      lf_time_ms now, lf_time_ms ttl_ms, bool *held,
			      struct lf_error *err);

/* Approvals of model versions: one per (version, token); add gives LF_ERR_CONFLICT again. */
typedef enum lf_result (*lf_approval_fn)(void *ctx, const struct lf_approval *a);
enum lf_result lf_store_approval_add(struct lf_store *s, const struct lf_approval *a,
				     struct lf_error *err);
enum lf_result lf_store_approval_list(struct lf_store *s, int version, lf_approval_fn fn,
				      void *ctx, struct lf_error *err);

/* Models: add assigns the next version and status "draft". */
typedef enum lf_result (*lf_model_fn)(void *ctx, const struct lf_model *m);
enum lf_result lf_store_model_add(struct lf_store *s, struct lf_model *m,
				  struct lf_error *err);
enum lf_result lf_store_model_get(struct lf_store *s, int version,
				  struct lf_model *out, struct lf_error *err);
enum lf_result lf_store_model_list(struct lf_store *s, lf_model_fn fn, void *ctx,
				   struct lf_error *err);
enum lf_result lf_store_model_set_status(struct lf_store *s, int version,
					 const char *status, struct lf_error *err);

/*
 * Erases a person: the lead's personal fields and attributes are cleared,
 * its events and touches deleted, its transitions' notes cleared; the lead
 * row (stage, source, scores) and its transitions stay as anonymous counts.
 * An audit entry records who did it. *events and *touches get what went.
 */
enum lf_result lf_store_lead_erase(struct lf_store *s, int64_t id, const char *actor,
				   int64_t *events, int64_t *touches, struct lf_error *err);

/* The audit trail: who did what to which subject, appended only. */
enum lf_result lf_store_audit(struct lf_store *s, const char *actor, const char *action,
			      const char *subject, const char *detail, struct lf_error *err);

/* API tokens. */
typedef enum lf_result (*lf_token_fn)(void *ctx, const struct lf_token *t);
enum lf_result lf_store_token_insert(struct lf_store *s, struct lf_token *t,
				     struct lf_error *err);
enum lf_result lf_store_token_get(struct lf_store *s, int64_t id, struct lf_token *out,
				  struct lf_error *err);
enum lf_result lf_store_token_list(struct lf_store *s, lf_token_fn fn, void *ctx,
				   struct lf_error *err);
enum lf_result lf_store_token_revoke(struct lf_store *s, int64_t id, lf_time_ms at,
				     struct lf_error *err);

/*
 * Sessions and sign-in links (struct lf_session). insert sets s->id and
 * created_at when 0; end closes one as of at exactly once: LF_ERR_CONFLICT
 * when it was closed already (so a link is used once, even by two servers
 * at the same moment), LF_ERR_NOT_FOUND when there is none.
 */
enum lf_result lf_store_session_insert(struct lf_store *s, struct lf_session *x,
				       struct lf_error *err);
enum lf_result lf_store_session_get(struct lf_store *s, int64_t id, struct lf_session *out,
				    struct lf_error *err);
enum lf_result lf_store_session_end(struct lf_store *s, int64_t id, lf_time_ms at,
				    struct lf_error *err);

/* Webhook subscriptions and their outbox. */
typedef enum lf_result (*lf_webhook_fn)(void *ctx, const struct lf_webhook *w);
typedef enum lf_result (*lf_delivery_fn)(void *ctx, const struct lf_delivery *d);
enum lf_result lf_store_webhook_insert(struct lf_store *s, struct lf_webhook *w,
				       struct lf_error *err);
enum lf_result lf_store_webhook_list(struct lf_store *s, lf_webhook_fn fn, void *ctx,
				     struct lf_error *err);
enum lf_result lf_store_webhook_delete(struct lf_store *s, int64_t id,
				       struct lf_error *err);
/*
 * Queues an event of type for every subscription that takes it, due at
 * once; *queued gets how many. Part of the caller's transaction.
 */
enum lf_result lf_store_outbox_add(struct lf_store *s, const char *type,
				   lf_time_ms occurred_at, const char *data,
				   int *queued, struct lf_error *err);
/* Whether any live subscription takes type (to skip building what none wants). */
enum lf_result lf_store_webhook_wants(struct lf_store *s, const char *type, bool *wants,
				      struct lf_error *err);
/*
 * Claims the deliveries to send now: of each subscription with no claim
 * under way (none, or one held until before now), its oldest pending
 * delivery due at or before now, oldest due first, at most limit. Each one
 * claimed is the start of its next attempt: its attempt count goes up by
 * one (d->attempt is the number of the attempt to make) and its
 * subscription is held until hold_until, or until that attempt is
 * recorded. So one slow or failing receiver holds back only its own
 * deliveries, and two handles (two servers) claiming at once never get the
 * same delivery, nor two of one subscription: every server may send, and
 * no attempt goes out twice. The claim is durable before fn sees it
 * (lazy_commits does not apply to it). PostgreSQL: FOR UPDATE SKIP LOCKED
 * on the subscriptions, outside the writers' lock (one claimer never waits
 * for another, nor for the writers).
 */
enum lf_result lf_store_outbox_claim(struct lf_store *s, lf_time_ms now,
				     lf_time_ms hold_until, int limit, lf_delivery_fn fn,
				     void *ctx, struct lf_error *err);
/* The earliest next_at of a pending delivery, 0 when none. */
enum lf_result lf_store_outbox_next(struct lf_store *s, lf_time_ms *next,
				    struct lf_error *err);
/*
 * Records how attempt d->attempt of delivery d->id went: d->status
 * (delivered, pending with d->next_at, or failed), d->last_code and
 * d->last_error; logs it, and frees its subscription's claim. A record of
 * an attempt that is no longer the delivery's latest (its claim was held
 * past hold_until and the delivery claimed again), or of a delivery no
 * longer pending (its subscription deleted meanwhile), is logged only.
 */
enum lf_result lf_store_outbox_attempt(struct lf_store *s, const struct lf_delivery *d,
				       lf_time_ms at, struct lf_error *err);
/* The deliveries of a subscription (0: all), newest first, at most limit. */
enum lf_result lf_store_delivery_list(struct lf_store *s, int64_t webhook_id, int limit,
				      lf_delivery_fn fn, void *ctx, struct lf_error *err);

/*
 * Write-ahead log upkeep. log_bound 0: automatic checkpoints (SQLite's
 * own, on the committing connection). A connection that writes on a
 * latency-critical path gives log_bound > 0 (bytes): it does not
 * checkpoint at its commits, another connection calls lf_store_checkpoint
 * now and then.
 *
 * A log starts over (at the next write) only once all of it is in the
 * database. Under writes that never pause, the other connection's
 * checkpoint never gets there: the frames written while it ran are left
 * (*left, in frames; backends without a log: 0). So the writing
 * connection finishes the copy itself between two of its transactions
 * once the log is past log_bound (lf_store_log_length: its length in bytes
 * after the handle's last commit; 0 without a bound or a log), and its
 * next write starts the log over; the file is cut back to 1.25 × log_bound.
 */
enum lf_result lf_store_autocheckpoint(struct lf_store *s, int64_t log_bound,
				       struct lf_error *err);
/*
 * How long a write waits for another process's lock before it fails (ms; 5 s
 * by default). The server's writer waits as long as it must (-1): an API
 * client must not see a lock error for an import another process runs.
 */
enum lf_result lf_store_set_lock_wait(struct lf_store *s, int64_t ms, struct lf_error *err);
/*
 * Commits on this handle return before they reach the disk (the next
 * durable commit of any handle, or a checkpoint, takes them there): a power
 * cut may lose the last of them, never half of one. For bookkeeping whose
 * loss only repeats work, and that must not hold the write lock for a sync:
 * the webhook sender's record of an attempt (lost, the delivery is sent
 * again; deliveries are at least once). PostgreSQL: synchronous_commit off.
 */
enum lf_result lf_store_lazy_commits(struct lf_store *s, struct lf_error *err);
enum lf_result lf_store_checkpoint(struct lf_store *s, int *left, struct lf_error *err);
enum lf_result lf_store_log_length(struct lf_store *s, int64_t *bytes, struct lf_error *err);
/*
 * Syncs taken off a handle's commits, for a writer that answers a commit
 * only once durable and would rather go on with its next transaction than
 * wait for the disk (SQLite: the write-ahead log). After
 * lf_store_log_sync, s's commits no longer sync (lazy_commits); a commit
 * that returned is durable once an lf_log_sync_run begun after it has
 * returned OK, on any thread. NOT_FOUND where commits sync themselves
 * (PostgreSQL: the writer keeps waiting for its COMMIT). lf_store_log_file
 * is the file that sync is of.
 */
struct lf_log_sync;
enum lf_result lf_store_log_file(struct lf_store *s, char **path, struct lf_error *err);
enum lf_result lf_store_log_sync(struct lf_store *s, struct lf_log_sync **out,
				 struct lf_error *err);
enum lf_result lf_log_sync_run(struct lf_log_sync *ls, struct lf_error *err);
void lf_log_sync_close(struct lf_log_sync *ls);

/* The demo world's hidden truth: each lead's true odds (tests, evaluation). */
enum lf_result lf_store_truth_put(struct lf_store *s, int64_t lead_id,
				  double p_sql, double p_won, struct lf_error *err);
enum lf_result lf_store_truth_get(struct lf_store *s, int64_t lead_id,
				  double *p_sql, double *p_won, struct lf_error *err);

#endif
