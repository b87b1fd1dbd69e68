/*
 * model.h - the scoring model file of SPEC 5, read and checked.
 *
 * lf_model_parse reads the YAML (name, floor, half_life_days, fit,
 * engagement, disqualify, reasons), compiles every `when` once, and checks
 * everything a team can get wrong: unknown keys, wrong types, bad
 * expressions (the column inside the expression is turned into the file's
 * column), duplicate rule names, a reason a rule uses that no list has, a
 * missing reason list. It collects every problem, one "file:line:column:
 * what" line each, rather than stopping at the first.
 *
 * A struct lf_model_def owns its rules and compiled expressions;
 * lf_model_def_release frees them.
 */
#ifndef LF_SCORE_MODEL_H
#define LF_SCORE_MODEL_H

#include "core/buf.h"
#include "score/expr.h"

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
};

struct lf_disq_rule {
	char *reason;
	int line, col;
	struct lf_expr *when;
	char *when_src;
};

/* The reason lists: the first three are required, won and requalify optional. */
enum lf_reason_kind { LF_REASON_REJECT, LF_REASON_DISQUALIFY, LF_REASON_LOST,
		      LF_REASON_WON, LF_REASON_REQUALIFY, LF_REASON_KINDS };
#define LF_REASON_REQUIRED 3

struct lf_model_def {
	char *name;
	double floor;
	double half_life_days;
	struct lf_rule *fit, *engagement;
	size_t nfit, nengagement;
	struct lf_disq_rule *disqualify;
	size_t ndisqualify;
	char **reasons[LF_REASON_KINDS];
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
/* A reason code's form: lower-case letters, digits and '_'. */
bool lf_reason_code_valid(const char *code);

#endif
