/*
 * engine.h - the scoring kernel: fit and disqualification over a lead, and
 * engagement as decayed sums kept incrementally, one accumulator per
 * engagement rule, so that adding an event costs O(1) per rule whatever
 * came before it.
 *
 *   engagement(t) = sum over rules of min(cap, S_r * 2^(-(t - T_r) / h))
 *
 * where S_r is the rule's sum of points, each weighted 2^(-(T_r - t_e)/h),
 * at the reference time T_r = the latest event the rule counted. An event
 * later than T_r moves the reference (rescaling S_r once); an earlier one
 * is added with its weight. With max_per_day, the N earliest events of a
 * rule in a UTC day count: a late event earlier than the day's last counted
 * one takes its place. The result is the same, to rounding, whatever order
 * the events arrive in.
 *
 * Pure: no store. A state belongs to one lead and one model; it borrows the
 * model, which must outlive it.
 */
#ifndef LF_SCORE_ENGINE_H
#define LF_SCORE_ENGINE_H

#include <leadflow/model.h>

struct lf_day_slot {
	int rule;
	int64_t day;        /* days since the epoch, UTC */
	int n;
	lf_time_ms *times;  /* the counted events' times, ascending; max_per_day */
};

struct lf_rule_acc {
	double sum;         /* at ref */
	lf_time_ms ref;
	int64_t counted;    /* events counted, for explanations */
};

struct lf_score_state {
	const struct lf_model_def *m;
	struct lf_rule_acc *acc;       /* one per engagement rule */
	struct lf_day_slot *slots;
	size_t nslots, cap;
	lf_time_ms hand_raiser_at;     /* the earliest hand-raiser event, 0 none */
	const char *hand_raiser_rule;  /* borrowed from the model */
};

enum lf_result lf_score_state_init(struct lf_score_state *st, const struct lf_model_def *m);
void lf_score_state_release(struct lf_score_state *st);

/*
 * Counts one event (its properties parsed) for the lead. An event at or
 * before the lead's recycled_at does not count: after a rejection only
 * later engagement may qualify the lead again.
 */
enum lf_result lf_score_add_event(struct lf_score_state *st, const struct lf_lead *lead,
				  const char *type, lf_time_ms occurred_at,
				  const struct lf_attrs *props);

/*
 * Counts an event as stored (properties as JSON text): skipped when no rule
 * counts its type; its properties parsed only when a rule looks at them,
 * unless given parsed already. Nested property values are left out, the
 * scalars still count.
 */
enum lf_result lf_score_add_stored(struct lf_score_state *st, const struct lf_lead *lead,
				   const struct lf_event *e, const struct lf_attrs *given);

/*
 * Whether any engagement rule counts events of this type, and whether one of
 * those looks at the event's properties (so that callers parse them only
 * when it matters).
 */
bool lf_score_wants(const struct lf_model_def *m, const char *type, bool *props);

/*
 * The state as bytes, to keep between events (appended to out), tagged with
 * the model version it was built by, and back. Decoding fails with
 * LF_ERR_INPUT when the bytes are of another version or do not fit the
 * model (a damaged record): the caller rebuilds the state from the lead's
 * events then.
 */
enum lf_result lf_score_state_encode(const struct lf_score_state *st, int version,
				     struct lf_buf *out);
enum lf_result lf_score_state_decode(struct lf_score_state *st, const struct lf_model_def *m,
				     int version, const void *bytes, size_t len);

/* One rule's contribution at time t (after cap). */
double lf_score_rule_value(const struct lf_score_state *st, size_t rule, lf_time_ms t);
/* The engagement score at t. */
double lf_score_engagement(const struct lf_score_state *st, lf_time_ms t);

/* The fit score: the points of the fit rules that hold for the lead. */
double lf_score_fit(const struct lf_model_def *m, const struct lf_lead *lead,
		    lf_time_ms now);
/*
 * The same, and in *fired (when not NULL) bit i for each fit rule i that
 * holds (rules past the 64th are left out of the mask).
 */
double lf_score_fit_rules(const struct lf_model_def *m, const struct lf_lead *lead,
			  lf_time_ms now, uint64_t *fired);
/* The engagement rules that counted an event: bit nfit + i for rule i (the first 64 rules). */
uint64_t lf_score_engaged(const struct lf_score_state *st);
/* The first disqualification rule that holds, or NULL. */
const struct lf_disq_rule *lf_score_disqualified(const struct lf_model_def *m,
						 const struct lf_lead *lead,
						 lf_time_ms now);

#endif
