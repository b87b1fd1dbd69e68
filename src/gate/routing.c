/*
 * routing.c - the routing file (routing.h).
 */
#include "gate/routing.h"

#include "core/names.h"
#include "core/yaml_doc.h"

#include <leadflow/store.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 64

struct problem {
	int line, col;
	char msg[LF_ERROR_MSG_MAX];
};

/* Problems are kept, then reported in file order (the first also in err). */
struct walk {
	const char *path;
	struct problem p[MAX_PROBLEMS];
	int count;
};

__attribute__((format(printf, 4, 5)))
static void problem(struct walk *w, int line, int col, const char *fmt, ...)
{
	va_list ap;
	if (w->count >= MAX_PROBLEMS)
		return;
	w->p[w->count].line = line;
	w->p[w->count].col = col;
	va_start(ap, fmt);
	vsnprintf(w->p[w->count].msg, sizeof(w->p[0].msg), fmt, ap);
	va_end(ap);
	w->count++;
}

static int by_position(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line - y->line;
	return x->col - y->col;
}

static void report(struct walk *w, struct lf_buf *problems, struct lf_error *err)
{
	qsort(w->p, (size_t)w->count, sizeof(w->p[0]), by_position);
	lf_error_set(err, LF_ERR_INPUT, "%s:%d:%d: %s", w->path, w->p[0].line, w->p[0].col,
		     w->p[0].msg);
	for (int i = 0; problems && i < w->count; i++)
		lf_buf_addf(problems, "%s:%d:%d: %s\n", w->path, w->p[i].line, w->p[i].col,
			    w->p[i].msg);
}

static char *scalar(struct walk *w, const struct lf_yaml *n, const char *key)
{
	if (n->kind != LF_YAML_SCALAR || !n->text[0]) {
		problem(w, n->line, n->col, "'%s' must be a non-empty text", key);
		return NULL;
	}
	return strdup(n->text);
}

static void read_rule(struct walk *w, const struct lf_yaml *n, struct lf_route_rule *rule)
{
	const struct lf_yaml *v;
	if (n->kind != LF_YAML_MAP) {
		problem(w, n->line, n->col, "a rule must be a map with name, when and pool");
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->text;
		if (strcmp(k, "name") && strcmp(k, "when") && strcmp(k, "pool"))
			problem(w, n->keys[i]->line, n->keys[i]->col,
				"unknown key '%s': expected name, when or pool", k);
	}
	if ((v = lf_yaml_get(n, "name")))
		rule->name = scalar(w, v, "name");
	else
		problem(w, n->line, n->col, "a rule needs 'name'");
	if ((v = lf_yaml_get(n, "pool")))
		rule->pool = scalar(w, v, "pool");
	else
		problem(w, n->line, n->col, "a rule needs 'pool': where its leads go");
	if ((v = lf_yaml_get(n, "when"))) {
		struct lf_expr_error e;
		if (v->kind != LF_YAML_SCALAR) {
			problem(w, v->line, v->col, "'when' must be an expression");
		} else if (lf_expr_compile(v->text, LF_SCOPE_LEAD, &rule->when, &e)) {
			/* a quoted scalar starts one column before its text */
			problem(w, v->line, v->col + (v->plain ? 0 : 1) + e.column - 1,
				"in 'when': %s", e.msg);
		} else {
			rule->when_src = strdup(v->text);
		}
	}
}

enum lf_result lf_routing_parse(const char *path, const char *text, struct lf_routing *out,
				struct lf_buf *problems, struct lf_error *err)
{
	struct walk *wp = calloc(1, sizeof(*wp));
	struct lf_yaml *doc = NULL;
	const struct lf_yaml *rules;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	if (!wp)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	wp->path = path;
	if ((r = lf_yaml_load(path, text, &doc, err))) {
		if (problems)
			lf_buf_addf(problems, "%s\n", err->msg);
		free(wp);
		return r;
	}
	struct walk *w = wp;
	for (size_t i = 0; doc->kind == LF_YAML_MAP && i < doc->n; i++)
		if (strcmp(doc->keys[i]->text, "rules"))
			problem(w, doc->keys[i]->line, doc->keys[i]->col,
				"unknown key '%s': a routing file has 'rules'", doc->keys[i]->text);
	rules = doc->kind == LF_YAML_MAP ? lf_yaml_get(doc, "rules") : NULL;
	if (!rules || rules->kind != LF_YAML_SEQ || !rules->n) {
		problem(w, rules ? rules->line : doc->line, rules ? rules->col : doc->col,
			"'rules' must be a list of at least one rule");
	} else if (!(out->rules = calloc(rules->n, sizeof(*out->rules)))) {
		lf_yaml_free(doc);
		free(wp);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	} else {
		out->n = rules->n;
		for (size_t i = 0; i < rules->n; i++) {
			read_rule(w, rules->items[i], &out->rules[i]);
			for (size_t j = 0; j < i && out->rules[i].name; j++)
				if (out->rules[j].name &&
				    !strcmp(out->rules[j].name, out->rules[i].name))
					problem(w, rules->items[i]->line, rules->items[i]->col,
						"duplicate rule name '%s'", out->rules[i].name);
		}
	}
	lf_yaml_free(doc);
	r = w->count ? LF_ERR_INPUT : LF_OK;
	if (r) {
		report(w, problems, err);
		lf_routing_release(out);
	}
	free(wp);
	return r;
}

void lf_routing_everyone(struct lf_routing *out)
{
	memset(out, 0, sizeof(*out));
	out->everyone = true;
}

void lf_routing_release(struct lf_routing *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->rules[i].name);
		free(r->rules[i].when_src);
		free(r->rules[i].pool);
		lf_expr_free(r->rules[i].when);
	}
	free(r->rules);
	memset(r, 0, sizeof(*r));
}

const char *lf_routing_pool(const struct lf_routing *r, const struct lf_lead *lead,
			    lf_time_ms now)
{
	struct lf_expr_env env = { .lead = lead, .now = now };
	if (r->everyone)
		return "*";
	for (size_t i = 0; i < r->n; i++)
		if (!r->rules[i].when || lf_expr_holds(r->rules[i].when, &env))
			return r->rules[i].pool;
	return NULL;
}

bool lf_routing_in_pool(const char *pool, const char *team, const char *pools)
{
	return !strcmp(pool, "*") || (team && !strcmp(team, pool)) ||
	       lf_names_has(pools, pool, false);
}

enum lf_result lf_routing_load(struct lf_store *s, struct lf_routing *routing,
			       struct lf_error *err)
{
	char *text = NULL, label[48];
	int version;
	enum lf_result r = lf_store_routing_get(s, &version, &text, err);
	if (r == LF_ERR_NOT_FOUND) {
		lf_routing_everyone(routing);
		return LF_OK;
	}
	if (r)
		return r;
	snprintf(label, sizeof(label), "routing version %d", version);
	r = lf_routing_parse(label, text, routing, NULL, err);
	free(text);
	return r;
}

enum lf_result lf_routing_set(struct lf_store *s, const char *path, const char *text,
			      const char *actor, int *version, size_t *rules,
			      struct lf_buf *problems, struct lf_error *err)
{
	struct lf_routing routing;
	char subject[48], detail[32];
	enum lf_result r = lf_routing_parse(path, text, &routing, problems, err);
	if (r)
		return r;
	*rules = routing.n;
	lf_routing_release(&routing);
	if ((r = lf_store_begin(s, err)))
		return r;
	if (!(r = lf_store_routing_put(s, text, actor, version, err))) {
		snprintf(subject, sizeof(subject), "routing:%d", *version);
		snprintf(detail, sizeof(detail), "%zu rules", *rules);
		r = lf_store_audit(s, actor, "routing.set", subject, detail, err);
	}
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}
