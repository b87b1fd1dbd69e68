/*
 * model.c - the model file: a walk over the position-keeping YAML tree
 * (core/yaml_doc.c), table-driven for the keys each section accepts, with
 * every problem recorded as "file:line:column: what" and the walk going on,
 * so that one run of `model validate` lists them all.
 */
#include <leadflow/model.h>
#include "core/yaml_doc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_kind_names[LF_REASON_KINDS] = {
	"reject", "disqualify", "lost", "won", "requalify", "send_back",
};

bool lf_recycle_counts(const struct lf_recycle_rule *rule, const char *outcome)
{
	if (!rule->noutcomes)
		return true;
	for (size_t k = 0; k < rule->noutcomes; k++)
		if (outcome && !strcmp(outcome, rule->outcomes[k]))
			return true;
	return false;
}

void lf_recycle_note(const struct lf_recycle_rule *rule, char *buf, size_t cap)
{
	snprintf(buf, cap, "recycle rule '%s'", rule->name ? rule->name : "");
}

const char *lf_reason_kind_name(enum lf_reason_kind k)
{
	return reason_kind_names[k];
}

struct problem {
	int line, col;
	char what[LF_ERROR_MSG_MAX];
};

struct walk {
	const char *path;
	struct lf_buf *problems;
	struct lf_error *err;
	int nproblems;
	struct problem found[LF_MODEL_MAX_ERRORS];
	struct lf_model_def *m;
	const struct lf_yaml *seen_names[LF_MODEL_MAX_RULES * 3];
	size_t nseen;
};

static void problem(struct walk *w, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct walk *w, int line, int col, const char *fmt, ...)
{
	char what[LF_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (w->nproblems < LF_MODEL_MAX_ERRORS) {
		struct problem *p = &w->found[w->nproblems];
		p->line = line;
		p->col = col;
		memcpy(p->what, what, sizeof(p->what));
	}
	w->nproblems++;
}

static int by_position(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
				  : (x->col > y->col) - (x->col < y->col);
}

/* The problems in file order: the first into err, all into w->problems. */
static void report(struct walk *w)
{
	size_t n = w->nproblems < LF_MODEL_MAX_ERRORS ? (size_t)w->nproblems
						      : LF_MODEL_MAX_ERRORS;
	qsort(w->found, n, sizeof(w->found[0]), by_position);
	for (size_t i = 0; i < n; i++) {
		const struct problem *p = &w->found[i];
		if (i == 0)
			lf_error_set(w->err, LF_ERR_INPUT, "%s:%d:%d: %s", w->path, p->line,
				     p->col, p->what);
		if (w->problems)
			lf_buf_addf(w->problems, "%s:%d:%d: %s\n", w->path, p->line, p->col,
				    p->what);
	}
	if (w->nproblems > LF_MODEL_MAX_ERRORS && w->problems)
		lf_buf_addf(w->problems, "%s: %d more problems\n", w->path,
			    w->nproblems - LF_MODEL_MAX_ERRORS);
}

static bool want_kind(struct walk *w, const struct lf_yaml *n, enum lf_yaml_kind k,
		      const char *key)
{
	if (n->kind == k)
		return true;
	problem(w, n->line, n->col, "'%s' must be %s", key, lf_yaml_kind_name(k));
	return false;
}

static bool get_number(struct walk *w, const struct lf_yaml *n, const char *key,
		       double *out)
{
	char *end;
	if (!want_kind(w, n, LF_YAML_SCALAR, key))
		return false;
	errno = 0;
	*out = strtod(n->text, &end);
	if (!n->text[0] || *end || errno || !isfinite(*out)) {
		problem(w, n->line, n->col, "'%s' must be a number, got '%s'", key, n->text);
		return false;
	}
	return true;
}

static bool get_string(struct walk *w, const struct lf_yaml *n, const char *key,
		       char **out)
{
	if (!want_kind(w, n, LF_YAML_SCALAR, key))
		return false;
	if (!n->text[0]) {
		problem(w, n->line, n->col, "'%s' must not be empty", key);
		return false;
	}
	free(*out);
	*out = strdup(n->text);
	return *out != NULL;
}

/* names (n of them, or up to a NULL with n < 0) as "a, b or c" in list. */
static void said_list(char *list, size_t cap, const char *const *names, int n)
{
	list[0] = 0;
	for (int i = 0; n < 0 ? names[i] != NULL : i < n; i++) {
		bool last = n < 0 ? !names[i + 1] : i == n - 1;
		size_t len = strlen(list);
		snprintf(list + len, cap - len, "%s%s", i == 0 ? "" : last ? " or " : ", ",
			 names[i]);
	}
}

/* Checks that map only has keys from allowed (a NULL-terminated list). */
static void check_keys(struct walk *w, const struct lf_yaml *map, const char *what,
		       const char *const *allowed)
{
	char list[256];
	said_list(list, sizeof(list), allowed, -1);
	for (size_t i = 0; i < map->n; i++) {
		const char *const *a;
		for (a = allowed; *a && strcmp(*a, map->keys[i]->text); a++)
			;
		if (!*a)
			problem(w, map->keys[i]->line, map->keys[i]->col,
				"unknown key '%s' in %s: expected %s", map->keys[i]->text,
				what, list);
	}
}

static struct lf_expr *compile_when(struct walk *w, const struct lf_yaml *n,
				    enum lf_expr_scope scope)
{
	struct lf_expr *x;
	struct lf_expr_error e;
	enum lf_result r;

	if (!want_kind(w, n, LF_YAML_SCALAR, "when"))
		return NULL;
	r = lf_expr_compile(n->text, scope, &x, &e);
	if (r) {
		/* a quoted scalar starts one column before its text */
		int col = n->col + (n->plain ? 0 : 1) + e.column - 1;
		problem(w, n->line, n->plain ? col : col, "in 'when': %s", e.msg);
		return NULL;
	}
	return x;
}

static void check_name(struct walk *w, const struct lf_yaml *n)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (!strcmp(w->seen_names[i]->text, n->text)) {
			problem(w, n->line, n->col, "duplicate rule name '%s' (first at line %d)",
				n->text, w->seen_names[i]->line);
			return;
		}
	if (w->nseen < sizeof(w->seen_names) / sizeof(w->seen_names[0]))
		w->seen_names[w->nseen++] = n;
}

static const char *const fit_keys[] = { "name", "when", "points", "why", NULL };
static const char *const eng_keys[] = { "name", "event", "when", "points", "cap",
					"max_per_day", "hand_raiser", "why", NULL };
static const char *const disq_keys[] = { "reason", "when", "why", NULL };
static const char *const reason_keys[] = { "code", "why", NULL };
static const char *const top_keys[] = { "name", "floor", "half_life_days", "fit",
					"engagement", "disqualify", "reasons", "questions",
					"recycle", NULL };
static const char *const recycle_keys[] = { "name", "stage", "touches", "days", "outcomes",
					    "reason", "when", "why", NULL };
static const char *const question_keys[] = { "key", "text", "type", "choices", "ask", "when",
					     "why", NULL };
static const char *const answer_type_names[LF_ANSWER_TYPES] = { "choice", "yes_no", "number",
								"text" };
static const char *const ask_at_names[LF_ASK_KINDS] = { "accept", "qualify" };

const char *lf_answer_type_name(enum lf_answer_type t)
{
	return answer_type_names[t];
}

const char *lf_ask_at_name(enum lf_ask_at a)
{
	return ask_at_names[a];
}

static void read_rule(struct walk *w, const struct lf_yaml *n, bool engagement,
		      struct lf_rule *r)
{
	const struct lf_yaml *v;
	const char *what = engagement ? "an engagement rule" : "a fit rule";

	memset(r, 0, sizeof(*r));
	r->line = n->line;
	r->col = n->col;
	if (!want_kind(w, n, LF_YAML_MAP, engagement ? "an engagement rule" : "a fit rule"))
		return;
	check_keys(w, n, what, engagement ? eng_keys : fit_keys);
	if ((v = lf_yaml_get(n, "name"))) {
		if (get_string(w, v, "name", &r->name))
			check_name(w, v);
	} else {
		problem(w, n->line, n->col, "%s needs a 'name'", what);
	}
	if ((v = lf_yaml_get(n, "points")))
		get_number(w, v, "points", &r->points);
	else
		problem(w, n->line, n->col, "%s needs 'points'", what);
	if ((v = lf_yaml_get(n, "when"))) {
		r->when = compile_when(w, v, engagement ? LF_SCOPE_EVENT : LF_SCOPE_LEAD);
		if (v->kind == LF_YAML_SCALAR)
			r->when_src = strdup(v->text);
	} else if (!engagement)
		problem(w, n->line, n->col, "a fit rule needs 'when'");
	if ((v = lf_yaml_get(n, "why")))
		get_string(w, v, "why", &r->why);
	if (!engagement)
		return;
	if ((v = lf_yaml_get(n, "event")))
		get_string(w, v, "event", &r->event);
	else
		problem(w, n->line, n->col, "an engagement rule needs 'event': the event "
			"type it counts");
	if ((v = lf_yaml_get(n, "cap")) && get_number(w, v, "cap", &r->cap) &&
	    r->cap <= 0)
		problem(w, v->line, v->col, "'cap' must be above 0, got '%s'", v->text);
	if ((v = lf_yaml_get(n, "max_per_day"))) {
		double d;
		if (get_number(w, v, "max_per_day", &d)) {
			if (d < 1 || d != floor(d) || d > 1e6)
				problem(w, v->line, v->col, "'max_per_day' must be a whole "
					"number from 1, got '%s'", v->text);
			else
				r->max_per_day = (int)d;
		}
	}
	if ((v = lf_yaml_get(n, "hand_raiser")) && want_kind(w, v, LF_YAML_SCALAR,
							      "hand_raiser")) {
		if (!strcmp(v->text, "true"))
			r->hand_raiser = true;
		else if (strcmp(v->text, "false"))
			problem(w, v->line, v->col, "'hand_raiser' must be true or false, "
				"got '%s'", v->text);
	}
}

static void read_rules(struct walk *w, const struct lf_yaml *list, bool engagement,
		       struct lf_rule **out, size_t *n)
{
	if (!want_kind(w, list, LF_YAML_SEQ, engagement ? "engagement" : "fit"))
		return;
	if (list->n > LF_MODEL_MAX_RULES) {
		problem(w, list->line, list->col, "more than %d rules", LF_MODEL_MAX_RULES);
		return;
	}
	*out = calloc(list->n ? list->n : 1, sizeof(**out));
	if (!*out)
		return;
	for (size_t i = 0; i < list->n; i++)
		read_rule(w, list->items[i], engagement, &(*out)[(*n)++]);
}

bool lf_code_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static void read_reasons(struct walk *w, const struct lf_yaml *n, const struct lf_yaml *doc)
{
	struct lf_model_def *m = w->m;
	static const char *const keys[] = { "reject", "disqualify", "lost", "won",
					    "requalify", "send_back", NULL };

	if (!n) {
		problem(w, doc->line, doc->col, "the model needs 'reasons' with the lists "
			"reject, disqualify and lost");
		return;
	}
	if (!want_kind(w, n, LF_YAML_MAP, "reasons"))
		return;
	check_keys(w, n, "reasons", keys);
	for (int k = 0; k < LF_REASON_KINDS; k++) {
		const struct lf_yaml *list = lf_yaml_get(n, reason_kind_names[k]);
		if (!list) {
			if (k < LF_REASON_REQUIRED)
				problem(w, n->line, n->col, "the reason list '%s' is missing",
					reason_kind_names[k]);
			continue;
		}
		if (!want_kind(w, list, LF_YAML_SEQ, reason_kind_names[k]))
			continue;
		if (!list->n)
			problem(w, list->line, list->col, "the reason list '%s' is empty",
				reason_kind_names[k]);
		m->reasons[k] = calloc(list->n ? list->n : 1, sizeof(char *));
		m->reason_notes[k] = calloc(list->n ? list->n : 1, sizeof(*m->reason_notes[k]));
		for (size_t i = 0; m->reasons[k] && m->reason_notes[k] && i < list->n; i++) {
			const struct lf_yaml *c = list->items[i], *why = NULL;
			/* a code, or {code: ..., why: ...} */
			if (c->kind == LF_YAML_MAP) {
				check_keys(w, c, "a reason", reason_keys);
				why = lf_yaml_get(c, "why");
				if (!(c = lf_yaml_get(list->items[i], "code"))) {
					problem(w, list->items[i]->line, list->items[i]->col,
						"a reason written as a mapping needs a 'code'");
					continue;
				}
			}
			if (!want_kind(w, c, LF_YAML_SCALAR, "a reason code"))
				continue;
			if (!lf_code_valid(c->text)) {
				problem(w, c->line, c->col, "reason code '%s' must be lower-case "
					"letters, digits and '_'", c->text);
				continue;
			}
			if (lf_model_has_reason(m, (enum lf_reason_kind)k, c->text)) {
				problem(w, c->line, c->col, "reason code '%s' is listed twice",
					c->text);
				continue;
			}
			struct lf_reason_note *note = &m->reason_notes[k][m->nreasons[k]];
			note->line = list->items[i]->line;
			note->col = list->items[i]->col;
			if (why)
				get_string(w, why, "why", &note->why);
			m->reasons[k][m->nreasons[k]++] = strdup(c->text);
		}
	}
}

static void read_disqualify(struct walk *w, const struct lf_yaml *list)
{
	struct lf_model_def *m = w->m;

	if (!want_kind(w, list, LF_YAML_SEQ, "disqualify"))
		return;
	if (list->n > LF_MODEL_MAX_RULES) {
		problem(w, list->line, list->col, "more than %d rules", LF_MODEL_MAX_RULES);
		return;
	}
	m->disqualify = calloc(list->n ? list->n : 1, sizeof(*m->disqualify));
	for (size_t i = 0; m->disqualify && i < list->n; i++) {
		const struct lf_yaml *n = list->items[i], *v;
		struct lf_disq_rule *d = &m->disqualify[m->ndisqualify++];
		d->line = n->line;
		d->col = n->col;
		if (!want_kind(w, n, LF_YAML_MAP, "a disqualification rule"))
			continue;
		check_keys(w, n, "a disqualification rule", disq_keys);
		if ((v = lf_yaml_get(n, "reason"))) {
			if (get_string(w, v, "reason", &d->reason) && m->reasons[LF_REASON_DISQUALIFY] &&
			    !lf_model_has_reason(m, LF_REASON_DISQUALIFY, d->reason))
				problem(w, v->line, v->col, "reason '%s' is not in the "
					"disqualify list of 'reasons'", d->reason);
		} else {
			problem(w, n->line, n->col, "a disqualification rule needs a 'reason'");
		}
		if ((v = lf_yaml_get(n, "when"))) {
			d->when = compile_when(w, v, LF_SCOPE_LEAD);
			if (v->kind == LF_YAML_SCALAR)
				d->when_src = strdup(v->text);
		} else
			problem(w, n->line, n->col, "a disqualification rule needs 'when'");
		if ((v = lf_yaml_get(n, "why")))
			get_string(w, v, "why", &d->why);
	}
}

/* One of names (n of them) for the scalar v of key; its index, or -1 said as a problem. */
static int one_of(struct walk *w, const struct lf_yaml *v, const char *key,
		  const char *const *names, int n)
{
	char list[128];
	if (!want_kind(w, v, LF_YAML_SCALAR, key))
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(v->text, names[i]))
			return i;
	said_list(list, sizeof(list), names, n);
	problem(w, v->line, v->col, "'%s' must be %s, got '%s'", key, list, v->text);
	return -1;
}

static void read_question(struct walk *w, const struct lf_yaml *n, struct lf_question *q)
{
	const struct lf_yaml *v;
	int i = -1;

	q->line = n->line;
	q->col = n->col;
	if (!want_kind(w, n, LF_YAML_MAP, "a question"))
		return;
	check_keys(w, n, "a question", question_keys);
	if (!(v = lf_yaml_get(n, "key")))
		problem(w, n->line, n->col, "a question needs a 'key': rules read its answer as "
			"answer.KEY");
	else if (get_string(w, v, "key", &q->key) && !lf_code_valid(q->key))
		problem(w, v->line, v->col, "question key '%s' must be lower-case letters, "
			"digits and '_'", q->key);
	else if (q->key && lf_model_question(w->m, q->key) != q)
		problem(w, v->line, v->col, "question key '%s' is used twice", q->key);
	if ((v = lf_yaml_get(n, "text")))
		get_string(w, v, "text", &q->text);
	else
		problem(w, n->line, n->col, "a question needs 'text': the question as sales asks it");
	if (!(v = lf_yaml_get(n, "type")))
		problem(w, n->line, n->col, "a question needs a 'type': choice, yes_no, number "
			"or text");
	else if ((i = one_of(w, v, "type", answer_type_names, LF_ANSWER_TYPES)) >= 0)
		q->type = (enum lf_answer_type)i;
	bool typed = i >= 0;   /* choices are checked against a type that is one */
	if (!(v = lf_yaml_get(n, "ask")))
		problem(w, n->line, n->col, "a question needs 'ask': when sales asks it, at "
			"accept or at qualify");
	else if ((i = one_of(w, v, "ask", ask_at_names, LF_ASK_KINDS)) >= 0)
		q->ask = (enum lf_ask_at)i;
	v = lf_yaml_get(n, "choices");
	if (!typed) {
		/* said already: the type */
	} else if (q->type == LF_ANSWER_CHOICE) {
		if (!v)
			problem(w, n->line, n->col, "a choice question needs 'choices'");
		else if (want_kind(w, v, LF_YAML_SEQ, "choices") && v->n < 2)
			problem(w, v->line, v->col, "'choices' needs at least two answers");
		else if (v->kind == LF_YAML_SEQ && (q->choices = calloc(v->n, sizeof(char *))))
			for (size_t c = 0; c < v->n; c++) {
				char *one = NULL;
				if (!get_string(w, v->items[c], "a choice", &one))
					continue;
				for (size_t k = 0; k < q->nchoices; k++)
					if (!strcmp(q->choices[k], one))
						problem(w, v->items[c]->line, v->items[c]->col,
							"choice '%s' is listed twice", one);
				q->choices[q->nchoices++] = one;
			}
	} else if (v) {
		problem(w, v->line, v->col, "'choices' is for a question of type choice");
	}
	if ((v = lf_yaml_get(n, "when"))) {
		q->when = compile_when(w, v, LF_SCOPE_LEAD);
		if (v->kind == LF_YAML_SCALAR)
			q->when_src = strdup(v->text);
	}
	if ((v = lf_yaml_get(n, "why")))
		get_string(w, v, "why", &q->why);
}

static void read_questions(struct walk *w, const struct lf_yaml *list)
{
	struct lf_model_def *m = w->m;
	if (!want_kind(w, list, LF_YAML_SEQ, "questions"))
		return;
	if (list->n > LF_MODEL_MAX_RULES) {
		problem(w, list->line, list->col, "more than %d questions", LF_MODEL_MAX_RULES);
		return;
	}
	if (!(m->questions = calloc(list->n ? list->n : 1, sizeof(*m->questions))))
		return;
	for (size_t i = 0; i < list->n; i++) {
		m->nquestions++;
		read_question(w, list->items[i], &m->questions[i]);
	}
}

static void read_recycle_rule(struct walk *w, const struct lf_yaml *n,
			      struct lf_recycle_rule *c)
{
	static const char *const stages[] = { "assigned", "sal" };
	const struct lf_yaml *v;
	double x;

	c->line = n->line;
	c->col = n->col;
	c->stage = LF_STAGE_ASSIGNED;
	if (!want_kind(w, n, LF_YAML_MAP, "a recycle rule"))
		return;
	check_keys(w, n, "a recycle rule", recycle_keys);
	if ((v = lf_yaml_get(n, "name")))
		get_string(w, v, "name", &c->name);
	else
		problem(w, n->line, n->col, "a recycle rule needs a 'name'");
	if ((v = lf_yaml_get(n, "stage"))) {
		int i = one_of(w, v, "stage", stages, 2);
		if (i >= 0)
			c->stage = i ? LF_STAGE_SAL : LF_STAGE_ASSIGNED;
	}
	if (!(v = lf_yaml_get(n, "touches")))
		problem(w, n->line, n->col, "a recycle rule needs 'touches': how many tries first");
	else if (get_number(w, v, "touches", &x)) {
		if (x < 1 || x > 1000 || x != (int)x)
			problem(w, v->line, v->col, "'touches' must be a whole number from 1 to "
				"1000, got '%s'", v->text);
		c->touches = (int)x;
	}
	if (!(v = lf_yaml_get(n, "days")))
		problem(w, n->line, n->col, "a recycle rule needs 'days': how long at the stage "
			"first");
	else if (get_number(w, v, "days", &c->days) && (c->days <= 0 || c->days > 3650))
		problem(w, v->line, v->col, "'days' must be above 0 and at most 3650, got '%s'",
			v->text);
	if ((v = lf_yaml_get(n, "outcomes")) && want_kind(w, v, LF_YAML_SEQ, "outcomes") &&
	    (c->outcomes = calloc(v->n ? v->n : 1, sizeof(char *))))
		for (size_t k = 0; k < v->n; k++) {
			char *one = NULL;
			if (get_string(w, v->items[k], "an outcome", &one))
				c->outcomes[c->noutcomes++] = one;
		}
	if (!(v = lf_yaml_get(n, "reason")))
		problem(w, n->line, n->col, "a recycle rule needs a 'reason' from the reject list");
	else if (get_string(w, v, "reason", &c->reason) && w->m->reasons[LF_REASON_REJECT] &&
		 !lf_model_has_reason(w->m, LF_REASON_REJECT, c->reason))
		problem(w, v->line, v->col, "reason '%s' is not in the reject list of 'reasons'",
			c->reason);
	if ((v = lf_yaml_get(n, "when"))) {
		c->when = compile_when(w, v, LF_SCOPE_LEAD);
		if (v->kind == LF_YAML_SCALAR)
			c->when_src = strdup(v->text);
	}
	if ((v = lf_yaml_get(n, "why")))
		get_string(w, v, "why", &c->why);
}

static void read_recycle(struct walk *w, const struct lf_yaml *list)
{
	struct lf_model_def *m = w->m;
	if (!want_kind(w, list, LF_YAML_SEQ, "recycle"))
		return;
	if (list->n > LF_MODEL_MAX_RULES) {
		problem(w, list->line, list->col, "more than %d recycle rules", LF_MODEL_MAX_RULES);
		return;
	}
	if (!(m->recycle = calloc(list->n ? list->n : 1, sizeof(*m->recycle))))
		return;
	for (size_t i = 0; i < list->n; i++) {
		m->nrecycle++;
		read_recycle_rule(w, list->items[i], &m->recycle[i]);
		for (size_t k = 0; k < i; k++)
			if (m->recycle[i].name && m->recycle[k].name &&
			    !strcmp(m->recycle[i].name, m->recycle[k].name))
				problem(w, m->recycle[i].line, m->recycle[i].col, "recycle rule '%s' "
					"is named twice", m->recycle[i].name);
	}
}

/* A rule reading answer.KEY (the attribute answer_KEY) needs a question of that key. */
struct answer_check {
	struct walk *w;
	const char *rule;
	int line, col;
};

static void check_answer(void *ctx, const char *name, bool attribute)
{
	struct answer_check *c = ctx;
	if (attribute && !strncmp(name, "answer_", 7) && !lf_model_question(c->w->m, name + 7))
		problem(c->w, c->line, c->col, "rule '%s' reads answer.%s, but no question has "
			"the key '%s'", c->rule, name + 7, name + 7);
}

static void check_answers(struct walk *w)
{
	const struct lf_model_def *m = w->m;
	struct answer_check c = { .w = w };
	for (size_t i = 0; i < m->nfit + m->nengagement; i++) {
		const struct lf_rule *r = i < m->nfit ? &m->fit[i] : &m->engagement[i - m->nfit];
		c.rule = r->name ? r->name : "";
		c.line = r->line;
		c.col = r->col;
		lf_expr_names(r->when, check_answer, &c);
	}
	for (size_t i = 0; i < m->ndisqualify; i++) {
		c.rule = m->disqualify[i].reason ? m->disqualify[i].reason : "";
		c.line = m->disqualify[i].line;
		c.col = m->disqualify[i].col;
		lf_expr_names(m->disqualify[i].when, check_answer, &c);
	}
}

enum lf_result lf_model_parse(const char *path, const char *text,
			      struct lf_model_def *out, struct lf_buf *problems,
			      struct lf_error *err)
{
	struct walk *w = calloc(1, sizeof(*w));
	struct lf_yaml *doc = NULL;
	const struct lf_yaml *v;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	if (!w)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	w->path = path;
	w->problems = problems;
	w->err = err;
	w->m = out;
	if ((r = lf_yaml_load(path, text, &doc, err))) {
		if (problems)
			lf_buf_addf(problems, "%s\n", err->msg);
		free(w);
		return r;
	}
	if (doc->kind != LF_YAML_MAP) {
		problem(w, doc->line, doc->col, "a model must be a mapping with name, floor, "
			"fit, engagement, disqualify and reasons");
		goto done;
	}
	check_keys(w, doc, "the model", top_keys);
	if ((v = lf_yaml_get(doc, "name")))
		get_string(w, v, "name", &out->name);
	else
		problem(w, doc->line, doc->col, "the model needs a 'name'");
	if ((v = lf_yaml_get(doc, "floor")))
		get_number(w, v, "floor", &out->floor);
	else
		problem(w, doc->line, doc->col, "the model needs a 'floor': the lowest MQL "
			"threshold both teams accept");
	out->half_life_days = 30;
	if ((v = lf_yaml_get(doc, "half_life_days")) &&
	    get_number(w, v, "half_life_days", &out->half_life_days) &&
	    out->half_life_days <= 0)
		problem(w, v->line, v->col, "'half_life_days' must be above 0, got '%s'",
			v->text);
	/* reasons first: disqualification rules are checked against them */
	read_reasons(w, lf_yaml_get(doc, "reasons"), doc);
	if ((v = lf_yaml_get(doc, "fit")))
		read_rules(w, v, false, &out->fit, &out->nfit);
	if ((v = lf_yaml_get(doc, "engagement")))
		read_rules(w, v, true, &out->engagement, &out->nengagement);
	if ((v = lf_yaml_get(doc, "disqualify")))
		read_disqualify(w, v);
	if ((v = lf_yaml_get(doc, "questions")))
		read_questions(w, v);
	if ((v = lf_yaml_get(doc, "recycle")))
		read_recycle(w, v);
	check_answers(w);
done:
	r = w->nproblems ? LF_ERR_INPUT : LF_OK;
	if (r)
		report(w);
	lf_yaml_free(doc);
	free(w);
	if (r)
		lf_model_def_release(out);
	return r;
}

static void rules_release(struct lf_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].event);
		free(r[i].when_src);
		free(r[i].why);
		lf_expr_free(r[i].when);
	}
	free(r);
}

void lf_model_def_release(struct lf_model_def *m)
{
	if (!m)
		return;
	free(m->name);
	rules_release(m->fit, m->nfit);
	rules_release(m->engagement, m->nengagement);
	for (size_t i = 0; i < m->ndisqualify; i++) {
		free(m->disqualify[i].reason);
		free(m->disqualify[i].when_src);
		free(m->disqualify[i].why);
		lf_expr_free(m->disqualify[i].when);
	}
	free(m->disqualify);
	for (size_t i = 0; i < m->nrecycle; i++) {
		struct lf_recycle_rule *c = &m->recycle[i];
		free(c->name);
		for (size_t k = 0; k < c->noutcomes; k++)
			free(c->outcomes[k]);
		free(c->outcomes);
		free(c->reason);
		free(c->when_src);
		free(c->why);
		lf_expr_free(c->when);
	}
	free(m->recycle);
	for (size_t i = 0; i < m->nquestions; i++) {
		struct lf_question *q = &m->questions[i];
		free(q->key);
		free(q->text);
		for (size_t c = 0; c < q->nchoices; c++)
			free(q->choices[c]);
		free(q->choices);
		free(q->when_src);
		free(q->why);
		lf_expr_free(q->when);
	}
	free(m->questions);
	for (int k = 0; k < LF_REASON_KINDS; k++) {
		for (size_t i = 0; i < m->nreasons[k]; i++) {
			free(m->reasons[k][i]);
			free(m->reason_notes[k][i].why);
		}
		free(m->reasons[k]);
		free(m->reason_notes[k]);
	}
	memset(m, 0, sizeof(*m));
}

bool lf_model_has_reason_list(const struct lf_model_def *m, enum lf_reason_kind k)
{
	return m->reasons[k] != NULL;
}

bool lf_model_has_reason(const struct lf_model_def *m, enum lf_reason_kind k,
			 const char *code)
{
	for (size_t i = 0; i < m->nreasons[k]; i++)
		if (!strcmp(m->reasons[k][i], code))
			return true;
	return false;
}

const char *lf_model_reason_why(const struct lf_model_def *m, enum lf_reason_kind k,
				const char *code)
{
	for (size_t i = 0; i < m->nreasons[k]; i++)
		if (!strcmp(m->reasons[k][i], code))
			return m->reason_notes[k][i].why;
	return NULL;
}

/* One line for a rule or code without a why; returns 1 for it, else 0. */
static size_t no_why(struct lf_buf *out, const char *why, const char *path, int line,
		     int col, const char *what, const char *name, const char *say)
{
	if (why)
		return 0;
	lf_buf_addf(out, "%s:%d:%d: %s '%s' has no 'why': %s\n", path, line, col, what, name,
		    say);
	return 1;
}

size_t lf_model_missing_whys(const struct lf_model_def *m, const char *path,
			     struct lf_buf *out)
{
	static const char *const decision = "say which decision it informs";
	char what[48];
	size_t n = 0;
	for (size_t i = 0; i < m->nfit; i++)
		n += no_why(out, m->fit[i].why, path, m->fit[i].line, m->fit[i].col,
			    "fit rule", m->fit[i].name, decision);
	for (size_t i = 0; i < m->nengagement; i++)
		n += no_why(out, m->engagement[i].why, path, m->engagement[i].line,
			    m->engagement[i].col, "engagement rule", m->engagement[i].name,
			    decision);
	for (size_t i = 0; i < m->ndisqualify; i++)
		n += no_why(out, m->disqualify[i].why, path, m->disqualify[i].line,
			    m->disqualify[i].col, "disqualification rule",
			    m->disqualify[i].reason, decision);
	for (size_t i = 0; i < m->nquestions; i++)
		n += no_why(out, m->questions[i].why, path, m->questions[i].line,
			    m->questions[i].col, "question", m->questions[i].key,
			    "say which decision its answer informs");
	for (size_t i = 0; i < m->nrecycle; i++)
		n += no_why(out, m->recycle[i].why, path, m->recycle[i].line, m->recycle[i].col,
			    "recycle rule", m->recycle[i].name, "say why both teams agree to it");
	for (int k = 0; k < LF_REASON_KINDS; k++) {
		snprintf(what, sizeof(what), "%s reason", reason_kind_names[k]);
		for (size_t i = 0; i < m->nreasons[k]; i++)
			n += no_why(out, m->reason_notes[k][i].why, path,
				    m->reason_notes[k][i].line, m->reason_notes[k][i].col, what,
				    m->reasons[k][i], "say what it tells the other team");
	}
	return n;
}

bool lf_question_for(const struct lf_question *q, const struct lf_lead *lead, lf_time_ms now)
{
	struct lf_expr_env env = { .lead = lead, .now = now };
	return !q->when || lf_expr_holds(q->when, &env);
}

const struct lf_question *lf_model_question(const struct lf_model_def *m, const char *key)
{
	for (size_t i = 0; i < m->nquestions; i++)
		if (m->questions[i].key && !strcmp(m->questions[i].key, key))
			return &m->questions[i];
	return NULL;
}
