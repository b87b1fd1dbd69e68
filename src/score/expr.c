/*
 * expr.c - lexer, recursive-descent parser and evaluator of the rule
 * language. The grammar, loosest binding first:
 *
 *   or    := and ("or" and)*
 *   and   := not ("and" not)*
 *   not   := "not" not | test
 *   test  := value [ cmpop value | ["not"] "in" list | ("~" | "~*") STRING
 *                  | "is" ["not"] "null" ]
 *   value := NUMBER | STRING | true | false | null | list | "(" or ")"
 *          | NAME "(" [or ("," or)*] ")" | NAME ["." NAME]
 *   list  := "[" [literal ("," literal)*] "]"
 *
 * Fields resolve at compile time to a lead field, a lead attribute, or (in
 * engagement rules) an event field or property: `event.x` is the event's
 * property x, and a bare name that is not a lead field looks in the event's
 * properties first, then in the lead's attributes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <leadflow/expr.h>

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- tokens ---------------------------------------------------------- */

enum tok {
	T_END, T_NUM, T_STR, T_NAME, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_DOT,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_IMATCH,
	T_AND, T_OR, T_NOT, T_IN, T_IS, T_NULL, T_TRUE, T_FALSE,
};

static const char *const tok_names[] = {
	[T_END] = "the end of the expression", [T_NUM] = "a number",
	[T_STR] = "a string", [T_NAME] = "a name", [T_LP] = "'('", [T_RP] = "')'",
	[T_LB] = "'['", [T_RB] = "']'", [T_COMMA] = "','", [T_DOT] = "'.'",
	[T_EQ] = "'=='", [T_NE] = "'!='", [T_LT] = "'<'", [T_LE] = "'<='",
	[T_GT] = "'>'", [T_GE] = "'>='", [T_MATCH] = "'~'", [T_IMATCH] = "'~*'",
	[T_AND] = "'and'", [T_OR] = "'or'", [T_NOT] = "'not'", [T_IN] = "'in'",
	[T_IS] = "'is'", [T_NULL] = "'null'", [T_TRUE] = "'true'",
	[T_FALSE] = "'false'",
};

static const struct { const char *word; enum tok t; } keywords[] = {
	{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "in", T_IN },
	{ "is", T_IS }, { "null", T_NULL }, { "true", T_TRUE }, { "false", T_FALSE },
};

/* --- the tree -------------------------------------------------------- */

enum kind {
	N_LIT, N_LIST, N_FIELD, N_CALL, N_NOT, N_AND, N_OR, N_CMP, N_IN, N_MATCH,
	N_ISNULL,
};

enum field {
	F_TEXT,        /* a text field of the lead, by offset */
	F_EMPLOYEES, F_CREATED_AT, F_STAGE,
	F_ATTR,        /* a free attribute of the lead */
	F_PROP,        /* event.x: a property of the event */
	F_PROP_OR_ATTR,/* a bare name in an engagement rule */
	F_EVENT_TYPE, F_OCCURRED_AT,
};

enum fn { FN_LOWER, FN_DOMAIN, FN_DAYS_SINCE, FN_LEN };
static const struct { const char *name; enum fn fn; } functions[] = {
	{ "lower", FN_LOWER }, { "domain", FN_DOMAIN }, { "days_since", FN_DAYS_SINCE },
	{ "len", FN_LEN },
};

struct node {
	enum kind kind;
	int col;
	bool negate;              /* N_IN: not in; N_ISNULL: is not null */
	enum tok op;              /* N_CMP */
	struct lf_value lit;      /* N_LIT */
	enum field field;         /* N_FIELD */
	size_t offset;            /* N_FIELD, F_TEXT */
	char *name;               /* N_FIELD */
	enum fn fn;               /* N_CALL */
	struct node **items;      /* N_LIST items, N_CALL arguments */
	size_t n;
	struct node *a, *b;
	pcre2_code *re;           /* N_MATCH */
	pcre2_match_data *md;
};

struct lf_expr {
	struct node *root;
};

struct parser {
	const char *src, *p;
	enum lf_expr_scope scope;
	enum tok t;               /* the current token */
	const char *start;        /* where it starts */
	double num;
	char *str;                /* T_STR, T_NAME text */
	int depth;
	struct lf_expr_error *e;
	bool failed;
};

static void node_free(struct node *n)
{
	if (!n)
		return;
	lf_value_release(&n->lit);
	free(n->name);
	for (size_t i = 0; i < n->n; i++)
		node_free(n->items[i]);
	free(n->items);
	node_free(n->a);
	node_free(n->b);
	pcre2_match_data_free(n->md);
	pcre2_code_free(n->re);
	free(n);
}

void lf_expr_free(struct lf_expr *x)
{
	if (!x)
		return;
	node_free(x->root);
	free(x);
}

static int col_of(const struct parser *ps, const char *at)
{
	return (int)(at - ps->src) + 1;
}

static void fail(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;
	if (ps->failed)
		return;
	ps->failed = true;
	ps->e->column = col_of(ps, at);
	va_start(ap, fmt);
	vsnprintf(ps->e->msg, sizeof(ps->e->msg), fmt, ap);
	va_end(ap);
}

/* What the current token is, for "expected X, got Y" messages. */
static void describe(const struct parser *ps, char *buf, size_t cap)
{
	if (ps->t == T_NAME)
		snprintf(buf, cap, "'%.40s'", ps->str);
	else if (ps->t == T_STR)
		snprintf(buf, cap, "the string \"%.40s\"", ps->str);
	else if (ps->t == T_NUM)
		snprintf(buf, cap, "the number %.*s", (int)(ps->p - ps->start), ps->start);
	else
		snprintf(buf, cap, "%s", tok_names[ps->t]);
}

static void expected(struct parser *ps, const char *what)
{
	char got[96];
	describe(ps, got, sizeof(got));
	fail(ps, ps->start, "expected %s, got %s", what, got);
}

/* Reads the next token into ps. */
static void next(struct parser *ps)
{
	const char *p = ps->p;

	free(ps->str);
	ps->str = NULL;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	ps->start = p;
	if (!*p) {
		ps->t = T_END;
		ps->p = p;
		return;
	}
	if (isdigit((unsigned char)*p) ||
	    (*p == '-' && isdigit((unsigned char)p[1])) ||
	    (*p == '.' && isdigit((unsigned char)p[1]))) {
		char *end;
		ps->num = strtod(p, &end);
		if (isalpha((unsigned char)*end) || *end == '_') {
			fail(ps, end, "expected an operator after a number, got '%c'", *end);
			ps->t = T_END;
			return;
		}
		ps->t = T_NUM;
		ps->p = end;
		return;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		const char *s = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		ps->str = strndup(s, (size_t)(p - s));
		ps->p = p;
		ps->t = T_NAME;
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (!strcmp(ps->str, keywords[i].word))
				ps->t = keywords[i].t;
		return;
	}
	if (*p == '"') {
		size_t n = 0;
		char *out = malloc(strlen(p) + 1);
		const char *s = ++p;
		if (!out) {
			fail(ps, s, "out of memory");
			ps->t = T_END;
			return;
		}
		while (*p && *p != '"') {
			if (*p == '\\') {
				p++;
				switch (*p) {
				case '"': out[n++] = '"'; break;
				case '\\': out[n++] = '\\'; break;
				case 'n': out[n++] = '\n'; break;
				case 't': out[n++] = '\t'; break;
				default:
					/* keep other escapes as written: regexes need \d, \. */
					out[n++] = '\\';
					if (!*p)
						continue;
					out[n++] = *p;
				}
				p++;
				continue;
			}
			out[n++] = *p++;
		}
		out[n] = '\0';
		if (*p != '"') {
			free(out);
			fail(ps, s - 1, "a string is never closed: expected '\"'");
			ps->t = T_END;
			return;
		}
		ps->str = out;
		ps->p = p + 1;
		ps->t = T_STR;
		return;
	}
	ps->p = p + 1;
	switch (*p) {
	case '(': ps->t = T_LP; return;
	case ')': ps->t = T_RP; return;
	case '[': ps->t = T_LB; return;
	case ']': ps->t = T_RB; return;
	case ',': ps->t = T_COMMA; return;
	case '.': ps->t = T_DOT; return;
	case '~':
		if (p[1] == '*') {
			ps->p++;
			ps->t = T_IMATCH;
		} else {
			ps->t = T_MATCH;
		}
		return;
	case '=':
		if (p[1] == '=') {
			ps->p++;
			ps->t = T_EQ;
			return;
		}
		fail(ps, p, "expected '==' for equality, got '='");
		break;
	case '!':
		if (p[1] == '=') {
			ps->p++;
			ps->t = T_NE;
			return;
		}
		fail(ps, p, "expected '!=', got '!': write 'not' for negation");
		break;
	case '<':
		ps->t = p[1] == '=' ? (ps->p++, T_LE) : T_LT;
		return;
	case '>':
		ps->t = p[1] == '=' ? (ps->p++, T_GE) : T_GT;
		return;
	default:
		fail(ps, p, "unexpected character '%c'", *p);
	}
	ps->t = T_END;
}

static struct node *new_node(struct parser *ps, enum kind k, const char *at)
{
	struct node *n = calloc(1, sizeof(*n));
	if (!n) {
		fail(ps, at, "out of memory");
		return NULL;
	}
	n->kind = k;
	n->col = col_of(ps, at);
	return n;
}

static struct node *parse_or(struct parser *ps);

static bool push_item(struct parser *ps, struct node *n, struct node *item)
{
	struct node **p = realloc(n->items, (n->n + 1) * sizeof(*p));
	if (!p) {
		node_free(item);
		fail(ps, ps->start, "out of memory");
		return false;
	}
	n->items = p;
	n->items[n->n++] = item;
	return true;
}

static struct node *parse_literal(struct parser *ps)
{
	struct node *n = new_node(ps, N_LIT, ps->start);
	if (!n)
		return NULL;
	switch (ps->t) {
	case T_NUM:
		n->lit.type = LF_VAL_NUMBER;
		n->lit.num = ps->num;
		break;
	case T_STR:
		n->lit.type = LF_VAL_STRING;
		n->lit.str = ps->str;
		ps->str = NULL;
		break;
	case T_TRUE:
	case T_FALSE:
		n->lit.type = LF_VAL_BOOL;
		n->lit.b = ps->t == T_TRUE;
		break;
	case T_NULL:
		break;
	default:
		expected(ps, "a number, a string, true, false or null");
		node_free(n);
		return NULL;
	}
	next(ps);
	return n;
}

static struct node *parse_list(struct parser *ps)
{
	struct node *n = new_node(ps, N_LIST, ps->start);
	if (!n)
		return NULL;
	next(ps); /* [ */
	while (ps->t != T_RB && !ps->failed) {
		if (n->n && ps->t != T_COMMA) {
			expected(ps, "',' or ']'");
			break;
		}
		if (n->n)
			next(ps);
		if (n->n == LF_EXPR_MAX_LIST) {
			fail(ps, ps->start, "a list has more than %d items", LF_EXPR_MAX_LIST);
			break;
		}
		struct node *item = parse_literal(ps);
		if (!item || !push_item(ps, n, item))
			break;
	}
	if (ps->failed) {
		node_free(n);
		return NULL;
	}
	next(ps); /* ] */
	return n;
}

/* Resolves a field name in the parser's scope. */
static bool resolve_field(struct parser *ps, struct node *n, const char *name,
			  bool event_prefix, const char *at)
{
	static const struct lf_lead lead_probe;
	char **text;

	if (event_prefix) {
		if (ps->scope != LF_SCOPE_EVENT) {
			fail(ps, at, "'event.%s' is only known in engagement rules", name);
			return false;
		}
		if (!strcmp(name, "type"))
			n->field = F_EVENT_TYPE;
		else if (!strcmp(name, "occurred_at"))
			n->field = F_OCCURRED_AT;
		else
			n->field = F_PROP;
	} else if ((text = lf_lead_text((struct lf_lead *)&lead_probe, name))) {
		n->field = F_TEXT;
		n->offset = (size_t)((const char *)text - (const char *)&lead_probe);
	} else if (!strcmp(name, "employees")) {
		n->field = F_EMPLOYEES;
	} else if (!strcmp(name, "created_at")) {
		n->field = F_CREATED_AT;
	} else if (!strcmp(name, "stage")) {
		n->field = F_STAGE;
	} else {
		n->field = ps->scope == LF_SCOPE_EVENT ? F_PROP_OR_ATTR : F_ATTR;
	}
	if (!(n->name = strdup(name))) {
		fail(ps, at, "out of memory");
		return false;
	}
	return true;
}

static struct node *parse_value(struct parser *ps)
{
	const char *at = ps->start;
	struct node *n;

	if (++ps->depth > LF_EXPR_MAX_DEPTH) {
		fail(ps, at, "nested deeper than %d", LF_EXPR_MAX_DEPTH);
		return NULL;
	}
	switch (ps->t) {
	case T_LP:
		next(ps);
		n = parse_or(ps);
		if (n && ps->t != T_RP) {
			expected(ps, "')'");
			node_free(n);
			n = NULL;
		}
		if (n)
			next(ps);
		break;
	case T_LB:
		n = parse_list(ps);
		break;
	case T_NAME: {
		char *name = ps->str;
		ps->str = NULL;
		next(ps);
		if (ps->t == T_LP) {
			size_t i;
			for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
				if (!strcmp(functions[i].name, name))
					break;
			if (i == sizeof(functions) / sizeof(functions[0])) {
				fail(ps, at, "unknown function '%s': expected lower, domain, "
				     "days_since or len", name);
				free(name);
				return NULL;
			}
			n = new_node(ps, N_CALL, at);
			if (n)
				n->fn = functions[i].fn;
			next(ps);
			while (n && ps->t != T_RP && !ps->failed) {
				if (n->n && ps->t != T_COMMA) {
					expected(ps, "',' or ')'");
					break;
				}
				if (n->n)
					next(ps);
				struct node *arg = parse_or(ps);
				if (!arg || !push_item(ps, n, arg))
					break;
			}
			if (n && !ps->failed && n->n != 1)
				fail(ps, at, "%s() takes one argument, got %zu", name, n->n);
			if (ps->failed) {
				node_free(n);
				free(name);
				return NULL;
			}
			next(ps);
			free(name);
			break;
		}
		/* event.NAME: the event's property; answer.KEY: a qualification
		 * question's answer, the lead's attribute answer_KEY (attribute
		 * names are snake_case: an import's "answer.KEY" lands there) */
		bool event_prefix = !strcmp(name, "event") && ps->t == T_DOT;
		bool answer_prefix = !strcmp(name, "answer") && ps->t == T_DOT;
		if (event_prefix || answer_prefix) {
			next(ps);
			if (ps->t != T_NAME) {
				expected(ps, event_prefix ? "a property name after 'event.'"
							  : "a question's key after 'answer.'");
				free(name);
				return NULL;
			}
			size_t len = strlen(ps->str) + sizeof("answer_");
			free(name);
			if (!(name = malloc(len))) {
				fail(ps, at, "out of memory");
				return NULL;
			}
			snprintf(name, len, "%s%s", answer_prefix ? "answer_" : "", ps->str);
			next(ps);
		}
		n = new_node(ps, N_FIELD, at);
		if (n && !resolve_field(ps, n, name, event_prefix, at)) {
			node_free(n);
			n = NULL;
		}
		if (n && answer_prefix)
			n->field = F_ATTR;   /* never an event's property */
		free(name);
		break;
	}
	case T_NUM:
	case T_STR:
	case T_TRUE:
	case T_FALSE:
	case T_NULL:
		n = parse_literal(ps);
		break;
	default:
		expected(ps, "a value");
		n = NULL;
	}
	ps->depth--;
	return n;
}

static struct node *compile_regex(struct parser *ps, struct node *n, const char *at,
				  bool icase)
{
	int code;
	PCRE2_SIZE off;
	pcre2_compile_context *cc;

	if (ps->t != T_STR) {
		expected(ps, "a regular expression in quotes");
		return NULL;
	}
	if (strlen(ps->str) > LF_EXPR_MAX_REGEX) {
		fail(ps, ps->start, "regular expression longer than %d characters",
		     LF_EXPR_MAX_REGEX);
		return NULL;
	}
	cc = pcre2_compile_context_create(NULL);
	if (cc)
		pcre2_set_max_pattern_length(cc, LF_EXPR_MAX_REGEX);
	n->re = pcre2_compile((PCRE2_SPTR)ps->str, PCRE2_ZERO_TERMINATED,
			      PCRE2_UTF | (icase ? PCRE2_CASELESS : 0), &code, &off, cc);
	pcre2_compile_context_free(cc);
	if (!n->re) {
		PCRE2_UCHAR msg[200];
		pcre2_get_error_message(code, msg, sizeof(msg));
		/* +1: the opening quote; off counts from the pattern's start */
		fail(ps, ps->start + 1 + off, "bad regular expression: %s", (char *)msg);
		return NULL;
	}
	pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE); /* where available */
	n->md = pcre2_match_data_create_from_pattern(n->re, NULL);
	if (!n->md) {
		fail(ps, at, "out of memory");
		return NULL;
	}
	next(ps);
	return n;
}

static struct node *parse_test(struct parser *ps)
{
	struct node *lhs = parse_value(ps), *n = NULL;
	const char *at = ps->start;

	if (!lhs)
		return NULL;
	switch (ps->t) {
	case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE:
		n = new_node(ps, N_CMP, at);
		if (!n)
			break;
		n->op = ps->t;
		n->a = lhs;
		lhs = NULL;
		next(ps);
		if (!(n->b = parse_value(ps)))
			goto fail;
		return n;
	case T_NOT:
	case T_IN:
		n = new_node(ps, N_IN, at);
		if (!n)
			break;
		n->a = lhs;
		lhs = NULL;
		if (ps->t == T_NOT) {
			n->negate = true;
			next(ps);
			if (ps->t != T_IN) {
				expected(ps, "'in' after 'not'");
				goto fail;
			}
		}
		next(ps);
		if (ps->t != T_LB) {
			expected(ps, "a list like [\"a\", \"b\"]");
			goto fail;
		}
		if (!(n->b = parse_list(ps)))
			goto fail;
		return n;
	case T_MATCH:
	case T_IMATCH:
		n = new_node(ps, N_MATCH, at);
		if (!n)
			break;
		n->a = lhs;
		lhs = NULL;
		{
			bool icase = ps->t == T_IMATCH;
			next(ps);
			if (!compile_regex(ps, n, at, icase))
				goto fail;
		}
		return n;
	case T_IS:
		n = new_node(ps, N_ISNULL, at);
		if (!n)
			break;
		n->a = lhs;
		lhs = NULL;
		next(ps);
		if (ps->t == T_NOT) {
			n->negate = true;
			next(ps);
		}
		if (ps->t != T_NULL) {
			expected(ps, "'null' after 'is'");
			goto fail;
		}
		next(ps);
		return n;
	default:
		return lhs;
	}
fail:
	node_free(lhs);
	node_free(n);
	return NULL;
}

static struct node *parse_not(struct parser *ps)
{
	if (ps->t == T_NOT) {
		struct node *n = new_node(ps, N_NOT, ps->start);
		if (++ps->depth > LF_EXPR_MAX_DEPTH) {
			fail(ps, ps->start, "nested deeper than %d", LF_EXPR_MAX_DEPTH);
			node_free(n);
			return NULL;
		}
		next(ps);
		if (n && !(n->a = parse_not(ps))) {
			node_free(n);
			n = NULL;
		}
		ps->depth--;
		return n;
	}
	return parse_test(ps);
}

static struct node *parse_binary(struct parser *ps, enum tok op, enum kind kind,
				 struct node *(*sub)(struct parser *))
{
	struct node *lhs = sub(ps);
	while (lhs && ps->t == op) {
		struct node *n = new_node(ps, kind, ps->start);
		if (!n) {
			node_free(lhs);
			return NULL;
		}
		next(ps);
		n->a = lhs;
		if (!(n->b = sub(ps))) {
			node_free(n);
			return NULL;
		}
		lhs = n;
	}
	return lhs;
}

static struct node *parse_and(struct parser *ps)
{
	return parse_binary(ps, T_AND, N_AND, parse_not);
}

static struct node *parse_or(struct parser *ps)
{
	return parse_binary(ps, T_OR, N_OR, parse_and);
}

enum lf_result lf_expr_compile(const char *src, enum lf_expr_scope scope,
			       struct lf_expr **out, struct lf_expr_error *e)
{
	struct parser ps = { .src = src, .p = src, .scope = scope, .e = e };
	struct node *root;

	*out = NULL;
	e->column = 0;
	e->msg[0] = '\0';
	if (strlen(src) > LF_EXPR_MAX_LEN) {
		e->column = LF_EXPR_MAX_LEN + 1;
		snprintf(e->msg, sizeof(e->msg), "expression longer than %d characters",
			 LF_EXPR_MAX_LEN);
		return LF_ERR_LIMIT;
	}
	next(&ps);
	root = ps.failed ? NULL : parse_or(&ps);
	if (root && ps.t != T_END)
		expected(&ps, "an operator, 'and', 'or' or the end of the expression");
	free(ps.str);
	if (ps.failed) {
		node_free(root);
		return LF_ERR_INPUT;
	}
	if (!(*out = malloc(sizeof(**out)))) {
		node_free(root);
		return LF_ERR_NOMEM;
	}
	(*out)->root = root;
	return LF_OK;
}

/* --- evaluation ------------------------------------------------------ */

/* A value during evaluation: strings are borrowed unless owned is set. */
struct val {
	enum lf_value_type type;
	double num;
	bool b;
	const char *s;
	char *owned;
};

static void val_release(struct val *v)
{
	free(v->owned);
	v->owned = NULL;
}

static struct val from_value(const struct lf_value *v)
{
	struct val r = { .type = LF_VAL_NULL };
	if (!v)
		return r;
	r.type = v->type;
	r.num = v->num;
	r.b = v->b;
	r.s = v->str;
	return r;
}

static struct val time_val(lf_time_ms t, char *buf)
{
	struct val r = { .type = LF_VAL_STRING, .s = buf };
	lf_time_format(t, buf);
	return r;
}

static struct val eval(const struct node *n, const struct lf_expr_env *env, char *tbuf);

static struct val field(const struct node *n, const struct lf_expr_env *env, char *tbuf)
{
	const struct lf_lead *l = env->lead;
	struct val r = { .type = LF_VAL_NULL };

	switch (n->field) {
	case F_TEXT:
		r.s = *(char *const *)((const char *)l + n->offset);
		r.type = r.s ? LF_VAL_STRING : LF_VAL_NULL;
		return r;
	case F_EMPLOYEES:
		if (!isnan(l->employees)) {
			r.type = LF_VAL_NUMBER;
			r.num = l->employees;
		}
		return r;
	case F_CREATED_AT:
		return time_val(l->created_at, tbuf);
	case F_STAGE:
		r.type = LF_VAL_STRING;
		r.s = lf_stage_name(l->stage);
		return r;
	case F_ATTR:
		return from_value(lf_attrs_get(&l->attrs, n->name));
	case F_PROP:
		return env->props ? from_value(lf_attrs_get(env->props, n->name)) : r;
	case F_PROP_OR_ATTR: {
		const struct lf_value *v = env->props ? lf_attrs_get(env->props, n->name) : NULL;
		return from_value(v ? v : lf_attrs_get(&l->attrs, n->name));
	}
	case F_EVENT_TYPE:
		r.s = env->event_type;
		r.type = r.s ? LF_VAL_STRING : LF_VAL_NULL;
		return r;
	case F_OCCURRED_AT:
		return env->event_type ? time_val(env->occurred_at, tbuf) : r;
	}
	return r;
}

static bool equal(const struct val *a, const struct val *b)
{
	if (a->type != b->type || a->type == LF_VAL_NULL)
		return false;
	switch (a->type) {
	case LF_VAL_NUMBER: return a->num == b->num;
	case LF_VAL_BOOL: return a->b == b->b;
	default: return !strcmp(a->s, b->s);
	}
}

/* -1, 0, 1, or 2 when the two cannot be ordered. */
static int order(const struct val *a, const struct val *b)
{
	if (a->type != b->type || a->type == LF_VAL_NULL || a->type == LF_VAL_BOOL)
		return 2;
	if (a->type == LF_VAL_NUMBER)
		return (a->num > b->num) - (a->num < b->num);
	int c = strcmp(a->s, b->s);
	return (c > 0) - (c < 0);
}

static struct val boolean(bool b)
{
	struct val r = { .type = LF_VAL_BOOL, .b = b };
	return r;
}

static struct val call(const struct node *n, const struct lf_expr_env *env, char *tbuf)
{
	struct val a = eval(n->items[0], env, tbuf), r = { .type = LF_VAL_NULL };

	switch (n->fn) {
	case FN_LOWER:
		if (a.type == LF_VAL_STRING && (r.owned = strdup(a.s))) {
			for (char *p = r.owned; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			r.type = LF_VAL_STRING;
			r.s = r.owned;
		}
		break;
	case FN_DOMAIN:
		if (a.type == LF_VAL_STRING && strchr(a.s, '@') &&
		    (r.owned = strdup(strrchr(a.s, '@') + 1))) {
			for (char *p = r.owned; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			r.type = LF_VAL_STRING;
			r.s = r.owned;
		}
		break;
	case FN_DAYS_SINCE: {
		lf_time_ms t;
		if (a.type == LF_VAL_STRING && !lf_time_parse(a.s, &t, NULL)) {
			r.type = LF_VAL_NUMBER;
			r.num = (double)(env->now - t) / (double)LF_MS_PER_DAY;
		} else if (a.type == LF_VAL_NUMBER) {
			r.type = LF_VAL_NUMBER;
			r.num = (double)(env->now - (lf_time_ms)a.num) / (double)LF_MS_PER_DAY;
		}
		break;
	}
	case FN_LEN:
		if (a.type == LF_VAL_STRING) {
			/* characters, not bytes */
			size_t k = 0;
			for (const char *p = a.s; *p; p++)
				k += ((unsigned char)*p & 0xC0) != 0x80;
			r.type = LF_VAL_NUMBER;
			r.num = (double)k;
		}
		break;
	}
	val_release(&a);
	return r;
}

static struct val eval(const struct node *n, const struct lf_expr_env *env, char *tbuf)
{
	struct val a, b, r = { .type = LF_VAL_NULL };
	char tb2[LF_TIME_STR_MAX];

	switch (n->kind) {
	case N_LIT:
		return from_value(&n->lit);
	case N_LIST:
		return r; /* lists have a value only inside 'in' */
	case N_FIELD:
		return field(n, env, tbuf);
	case N_CALL:
		return call(n, env, tbuf);
	case N_NOT:
		a = eval(n->a, env, tbuf);
		r = a.type == LF_VAL_BOOL ? boolean(!a.b) : r;
		val_release(&a);
		return r;
	case N_AND:
	case N_OR:
		a = eval(n->a, env, tbuf);
		bool av = a.type == LF_VAL_BOOL && a.b;
		val_release(&a);
		if (n->kind == N_AND ? !av : av)
			return boolean(av);
		b = eval(n->b, env, tbuf);
		r = boolean(b.type == LF_VAL_BOOL && b.b);
		val_release(&b);
		return r;
	case N_CMP:
		a = eval(n->a, env, tbuf);
		b = eval(n->b, env, tb2);
		if (a.type == LF_VAL_NULL || b.type == LF_VAL_NULL) {
			r = boolean(false);
		} else if (n->op == T_EQ) {
			r = boolean(equal(&a, &b));
		} else if (n->op == T_NE) {
			r = boolean(!equal(&a, &b));
		} else {
			int o = order(&a, &b);
			r = boolean(o != 2 && (n->op == T_LT ? o < 0 : n->op == T_LE ? o <= 0
					       : n->op == T_GT ? o > 0 : o >= 0));
		}
		val_release(&a);
		val_release(&b);
		return r;
	case N_IN: {
		bool found = false;
		a = eval(n->a, env, tbuf);
		if (a.type == LF_VAL_NULL) {
			val_release(&a);
			return boolean(false);
		}
		for (size_t i = 0; i < n->b->n && !found; i++) {
			struct val item = from_value(&n->b->items[i]->lit);
			found = equal(&a, &item);
		}
		val_release(&a);
		return boolean(n->negate ? !found : found);
	}
	case N_MATCH:
		a = eval(n->a, env, tbuf);
		if (a.type == LF_VAL_STRING) {
			int rc = pcre2_match(n->re, (PCRE2_SPTR)a.s, PCRE2_ZERO_TERMINATED, 0, 0,
					     n->md, NULL);
			r = boolean(rc >= 0);
		} else {
			r = boolean(false);
		}
		val_release(&a);
		return r;
	case N_ISNULL:
		a = eval(n->a, env, tbuf);
		r = boolean((a.type == LF_VAL_NULL) != n->negate);
		val_release(&a);
		return r;
	}
	return r;
}

enum lf_result lf_expr_eval(const struct lf_expr *x, const struct lf_expr_env *env,
			    struct lf_value *out)
{
	char tbuf[LF_TIME_STR_MAX];
	struct val v = eval(x->root, env, tbuf);

	memset(out, 0, sizeof(*out));
	out->type = v.type;
	out->num = v.num;
	out->b = v.b;
	if (v.type == LF_VAL_STRING) {
		out->str = v.owned ? v.owned : strdup(v.s);
		if (!out->str)
			return LF_ERR_NOMEM;
	} else {
		val_release(&v);
	}
	return LF_OK;
}

bool lf_expr_holds(const struct lf_expr *x, const struct lf_expr_env *env)
{
	char tbuf[LF_TIME_STR_MAX];
	struct val v = eval(x->root, env, tbuf);
	bool holds = v.type == LF_VAL_BOOL && v.b;
	val_release(&v);
	return holds;
}

static void names_of(const struct node *n, lf_expr_name_fn fn, void *ctx)
{
	if (!n)
		return;
	if (n->kind == N_FIELD && n->name) {
		if (n->field == F_ATTR || n->field == F_PROP_OR_ATTR)
			fn(ctx, n->name, true);
		else if (n->field == F_TEXT || n->field == F_EMPLOYEES)
			fn(ctx, n->name, false);
	}
	for (size_t i = 0; i < n->n; i++)
		names_of(n->items[i], fn, ctx);
	names_of(n->a, fn, ctx);
	names_of(n->b, fn, ctx);
}

void lf_expr_names(const struct lf_expr *x, lf_expr_name_fn fn, void *ctx)
{
	if (x)
		names_of(x->root, fn, ctx);
}
