/*
 * expr.h - the expression language of scoring rules (SPEC 5): literals,
 * fields of the lead (and of the event, inside engagement rules),
 * comparisons, `in` lists, regular expressions (`~`, `~*`), `is null`,
 * `and`/`or`/`not`, and the functions lower, domain, days_since and len.
 *
 * An expression is compiled once (lexer, recursive-descent parser, regexes
 * compiled with PCRE2 and JIT) and evaluated many times. A missing field is
 * null; any comparison with null is false; `is null` tests for it.
 *
 * Compile errors give the 1-based column inside the expression and what was
 * expected. A struct lf_expr owns its tree and regexes; lf_expr_free frees.
 * One expression is evaluated by one thread at a time (it keeps its regex
 * match buffers).
 */
#ifndef LEADFLOW_EXPR_H
#define LEADFLOW_EXPR_H

#include <leadflow/types.h>

#define LF_EXPR_MAX_LEN 4096    /* characters in one expression */
#define LF_EXPR_MAX_DEPTH 64    /* nesting of parentheses and operators */
#define LF_EXPR_MAX_LIST 1000   /* items in one list literal */
#define LF_EXPR_MAX_REGEX 1000  /* characters in one regular expression */

/* Where an expression is used: engagement rules also see the event. */
enum lf_expr_scope { LF_SCOPE_LEAD, LF_SCOPE_EVENT };

struct lf_expr;

struct lf_expr_error {
	int column;                 /* 1-based, inside the expression */
	char msg[LF_ERROR_MSG_MAX];
};

enum lf_result lf_expr_compile(const char *src, enum lf_expr_scope scope,
			       struct lf_expr **out, struct lf_expr_error *e);
void lf_expr_free(struct lf_expr *x);

/* What an expression is evaluated against. */
struct lf_expr_env {
	const struct lf_lead *lead;
	const char *event_type;         /* NULL outside engagement rules */
	lf_time_ms occurred_at;
	const struct lf_attrs *props;   /* the event's properties, or NULL */
	lf_time_ms now;                 /* for days_since */
};

/*
 * Evaluates x. *out is a value the caller releases with lf_value_release
 * (lists evaluate only inside `in`). Never fails on data: a type that does
 * not fit gives null or false, as the language says.
 */
enum lf_result lf_expr_eval(const struct lf_expr *x, const struct lf_expr_env *env,
			    struct lf_value *out);
/*
 * Calls fn for every lead field and attribute x reads (not the event's own
 * fields): attribute says which. A name read twice is given twice.
 */
typedef void (*lf_expr_name_fn)(void *ctx, const char *name, bool attribute);
void lf_expr_names(const struct lf_expr *x, lf_expr_name_fn fn, void *ctx);

/* True when x evaluates to the boolean true. */
bool lf_expr_holds(const struct lf_expr *x, const struct lf_expr_env *env);

#endif
