/*
 * model.h - the scoring model file of SPEC 5, read and checked; the
 * differences between two models; who puts a version in force.
 *
 * lf_model_parse reads the YAML (name, floor, half_life_days, fit,
 * engagement, disqualify, reasons, questions; each rule, reason code and
 * question may say `why:`, the decision it informs), compiles every `when`
 * once, and checks
 * everything a team can get wrong: unknown keys, wrong types, bad
 * expressions (the column inside the expression is turned into the file's
 * column), duplicate rule names, a reason a rule uses that no list has, a
 * missing reason list, a rule reading an answer no question asks for. It collects every problem, one "file:line:column:
 * what" line each, rather than stopping at the first.
 *
 * A struct lf_model_def owns its rules and compiled expressions;
 * lf_model_def_release frees them.
 */
#ifndef LEADFLOW_MODEL_H
#define LEADFLOW_MODEL_H

#include <leadflow/buf.h>
#include <leadflow/expr.h>
#include <leadflow/store.h>
#include <leadflow/table.h>

#include <jansson.h>

#define LF_MODEL_MAX_RULES 500
#define LF_MODEL_MAX_ERRORS 50

struct lf_rule {
	char *name;
	int line, col;
	struct lf_expr *when;  /* NULL: always (engagement rules only) */
	char *when_src;        /* as written, NULL when there is no when */
	double points;
	char *event;           /* engagement: the event type it counts */
	double cap;            /* engagement: bound on the decayed sum, 0 for none */
	int max_per_day;       /* engagement: 0 for no limit */
	bool hand_raiser;
	char *why;             /* the decision it informs, as the teams wrote it; NULL none */
};

struct lf_disq_rule {
	char *reason;
	int line, col;
	struct lf_expr *when;
	char *when_src;
	char *why;
};

/* What a reason code is for (NULL: not said), and where the file lists it. */
struct lf_reason_note {
	char *why;
	int line, col;
};

/*
 * A qualification question marketing asks sales to put to some leads: its
 * answer is the lead's attribute answer_KEY, which rules read as
 * `answer.KEY` (yes_no answers are "yes" or "no").
 */
enum lf_answer_type { LF_ANSWER_CHOICE, LF_ANSWER_YES_NO, LF_ANSWER_NUMBER, LF_ANSWER_TEXT,
		      LF_ANSWER_TYPES };
enum lf_ask_at { LF_ASK_ACCEPT, LF_ASK_QUALIFY, LF_ASK_KINDS };
struct lf_question {
	char *key;             /* lower-case letters, digits and '_' */
	char *text;            /* as sales reads it */
	enum lf_answer_type type;
	char **choices;        /* type choice: the answers allowed */
	size_t nchoices;
	enum lf_ask_at ask;    /* when sales should ask: at accept or at qualify */
	struct lf_expr *when;  /* the leads it is for; NULL: every lead */
	char *when_src;
	char *why;             /* the decision its answer informs */
	int line, col;
};
const char *lf_answer_type_name(enum lf_answer_type t);
const char *lf_ask_at_name(enum lf_ask_at a);

/*
 * An agreed rule for throwing a lead back to marketing: a lead at stage
 * (assigned or sal) for at least days, with at least touches touches logged
 * since it got there, each with one of outcomes (none listed: any), and
 * none with another, is recycled with reason (a reject code) by 'model'.
 */
struct lf_recycle_rule {
	char *name;
	enum lf_stage stage;
	int touches;
	double days;
	char **outcomes;
	size_t noutcomes;
	char *reason;
	struct lf_expr *when;  /* the leads it is for; NULL: every lead */
	char *when_src;
	char *why;
	int line, col;
};
/* Whether a touch's outcome counts as one of rule's tries (any outcome when it lists none). */
bool lf_recycle_counts(const struct lf_recycle_rule *rule, const char *outcome);
/* The note of the move rule makes: "recycle rule 'NAME'" (what reports find it by). */
void lf_recycle_note(const struct lf_recycle_rule *rule, char *buf, size_t cap);

/*
 * The reason lists: the first three are required; won, requalify and
 * send_back (why an account executive sends an SQL back to its SDR) optional.
 */
enum lf_reason_kind { LF_REASON_REJECT, LF_REASON_DISQUALIFY, LF_REASON_LOST,
		      LF_REASON_WON, LF_REASON_REQUALIFY, LF_REASON_SEND_BACK,
		      LF_REASON_KINDS };
#define LF_REASON_REQUIRED 3

struct lf_model_def {
	char *name;
	double floor;
	double half_life_days;
	struct lf_rule *fit, *engagement;
	size_t nfit, nengagement;
	struct lf_disq_rule *disqualify;
	size_t ndisqualify;
	struct lf_question *questions;
	size_t nquestions;
	struct lf_recycle_rule *recycle;
	size_t nrecycle;
	char **reasons[LF_REASON_KINDS];
	struct lf_reason_note *reason_notes[LF_REASON_KINDS];  /* beside reasons */
	size_t nreasons[LF_REASON_KINDS];
};

/*
 * Reads a model from text (path names it in messages). On bad input returns
 * LF_ERR_INPUT with the first problem in err and every problem, one per
 * line, in problems (which the caller owns and may pass as NULL).
 */
enum lf_result lf_model_parse(const char *path, const char *text,
			      struct lf_model_def *out, struct lf_buf *problems,
			      struct lf_error *err);
void lf_model_def_release(struct lf_model_def *m);

const char *lf_reason_kind_name(enum lf_reason_kind k);
bool lf_model_has_reason(const struct lf_model_def *m, enum lf_reason_kind k,
			 const char *code);
/* Whether the model has a list of that kind (the optional ones may be absent). */
bool lf_model_has_reason_list(const struct lf_model_def *m, enum lf_reason_kind k);
/* The form of a reason code or a question key: lower-case letters, digits and '_'. */
bool lf_code_valid(const char *code);
/* The question of that key, or NULL. */
const struct lf_question *lf_model_question(const struct lf_model_def *m, const char *key);
/* Whether question q is for lead (its `when`, read at now). */
bool lf_question_for(const struct lf_question *q, const struct lf_lead *lead, lf_time_ms now);
/* The why of a reason code of kind k, NULL when the model does not say. */
const char *lf_model_reason_why(const struct lf_model_def *m, enum lf_reason_kind k,
				const char *code);
/*
 * Every rule and reason code of m without a `why:` (the decision it
 * informs), one "path:line:column: what" line each into out; returns how
 * many. `model validate` warns with them: a rule the other team cannot
 * read the purpose of is the argument this product exists to end.
 */
size_t lf_model_missing_whys(const struct lf_model_def *m, const char *path,
			     struct lf_buf *out);

/*
 * Fills t (initialised here; the caller releases it) with change, section,
 * rule, before, after: one row per difference from x to y.
 */
enum lf_result lf_model_diff(const struct lf_model_def *x, const struct lf_model_def *y,
			     struct lf_table *t);

/*
 * The approvals of a model version as a JSON array (token, role, at) in
 * *out, which the caller owns (json_decref).
 */
enum lf_result lf_model_approvals_json(struct lf_store *s, int version, json_t **out,
				       struct lf_error *err);

/*
 * Governance: who decides which model scores (SPEC 8): a version goes
 * draft -> proposed -> active. A proposed version is approved by tokens;
 * activation needs one approval by a marketing token and one by a
 * sales_manager token (two tokens, then, and no one role alone; admin's
 * approval does not count). The first activation of a database, when no
 * model was ever active, needs none: there is nothing yet to govern.
 * Proposals, approvals and activations are written to the audit trail.
 */

/* draft (or retired) -> proposed; LF_ERR_CONFLICT from any other status. */
enum lf_result lf_model_propose(struct lf_store *s, int version, const char *actor,
				struct lf_error *err);

/*
 * Records token's approval of a proposed version: LF_ERR_DENIED for a role
 * other than marketing or sales_manager, LF_ERR_CONFLICT when not proposed
 * or when the token approved it already.
 */
enum lf_result lf_model_approve(struct lf_store *s, int version, int64_t token_id,
				const char *token_name, const char *role, struct lf_error *err);

/* LF_OK when version may be activated now, else LF_ERR_CONFLICT saying what is missing. */
enum lf_result lf_model_may_activate(struct lf_store *s, int version, struct lf_error *err);

struct lf_rescore_stats;
/*
 * Activates version as of at when governance allows it (lf_model_may_activate),
 * rescoring every lead, with an audit entry by actor, in one transaction.
 */
enum lf_result lf_model_put_in_force(struct lf_store *s, int version, const char *actor,
				     lf_time_ms at, struct lf_rescore_stats *stats,
				     struct lf_error *err);

#endif
