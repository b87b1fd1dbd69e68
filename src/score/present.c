/*
 * present.c - scoring as people read it (leadflow/score.h, leadflow/model.h).
 */
#include "score/scoring.h"
#include <leadflow/model.h>

#include <leadflow/json.h>
#include "core/value_json.h"

#include <stdio.h>
#include <string.h>

static enum lf_result add_approval(void *ctx, const struct lf_approval *a)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "token_id", (json_int_t)a->token_id,
			      "token", a->token_name, "role", a->role, "at", lf_time_json(a->at));
	return json_array_append_new(ctx, o) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_result lf_model_approvals_json(struct lf_store *s, int version, json_t **out,
				       struct lf_error *err)
{
	enum lf_result r;
	*out = json_array();
	if ((r = lf_store_approval_list(s, version, add_approval, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return r;
}

json_t *lf_explain_json(const struct lf_lead *l, int version, lf_time_ms at,
			const struct lf_explain *x)
{
	json_t *o = json_object(), *rules = json_array();
	json_object_set_new(o, "lead_id", json_integer(l->id));
	if (l->external_id)
		json_object_set_new(o, "external_id", json_string(l->external_id));
	json_object_set_new(o, "model_version", json_integer(version));
	json_object_set_new(o, "at", lf_time_json(at));
	json_object_set_new(o, "fit", json_real(x->fit));
	json_object_set_new(o, "engagement", json_real(x->engagement));
	json_object_set_new(o, "total", json_real(x->total));
	for (size_t i = 0; i < x->nitems; i++) {
		json_t *it = json_pack("{s:s,s:s,s:f}", "rule", x->items[i].rule, "kind",
				       x->items[i].engagement ? "engagement" : "fit",
				       "points", x->items[i].points);
		if (x->items[i].engagement)
			json_object_set_new(it, "events", json_integer(x->items[i].events));
		json_object_set_new(it, "why", x->items[i].why ? json_string(x->items[i].why)
							       : json_null());
		json_array_append_new(rules, it);
	}
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "hand_raiser_at", x->hand_raiser_at
							 ? lf_time_json(x->hand_raiser_at)
							 : json_null());
	json_object_set_new(o, "disqualified", x->disqualified ? json_string(x->disqualified)
							       : json_null());
	json_object_set_new(o, "disqualified_why", x->disqualified_why
							   ? json_string(x->disqualified_why)
							   : json_null());
	return o;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static bool same_rule(const struct lf_rule *a, const struct lf_rule *b)
{
	return !strcmp(nz(a->when_src), nz(b->when_src)) && a->points == b->points &&
	       !strcmp(nz(a->event), nz(b->event)) && a->cap == b->cap &&
	       a->max_per_day == b->max_per_day && a->hand_raiser == b->hand_raiser;
}

static void describe_rule(char *buf, size_t cap, const struct lf_rule *r)
{
	int n = snprintf(buf, cap, "%s%s%s%g points", r->event ? "on " : "",
			 nz(r->event), r->event ? ", " : "", r->points);
	if (r->when_src && n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, " when %s", r->when_src);
	if (r->cap > 0 && n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, ", cap %g", r->cap);
	if (r->max_per_day && n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, ", max %d a day", r->max_per_day);
	if (r->hand_raiser && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, ", hand-raiser");
}

static const struct lf_rule *find_rule(const struct lf_rule *rules, size_t n,
				       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

static enum lf_result diff_rules(struct lf_table *t, const char *section,
				 const struct lf_rule *a, size_t na,
				 const struct lf_rule *b, size_t nb)
{
	char before[1024], after[1024];
	enum lf_result r = LF_OK;

	for (size_t i = 0; i < na && !r; i++) {
		const struct lf_rule *o = find_rule(b, nb, a[i].name);
		describe_rule(before, sizeof(before), &a[i]);
		if (!o) {
			const char *row[5] = { "removed", section, a[i].name, before, "" };
			r = lf_table_add(t, row);
		} else if (!same_rule(&a[i], o)) {
			describe_rule(after, sizeof(after), o);
			const char *row[5] = { "changed", section, a[i].name, before, after };
			r = lf_table_add(t, row);
		}
		if (o && !r && strcmp(nz(a[i].why), nz(o->why))) {
			const char *row[5] = { "why changed", section, a[i].name, nz(a[i].why),
					       nz(o->why) };
			r = lf_table_add(t, row);
		}
	}
	for (size_t i = 0; i < nb && !r; i++)
		if (!find_rule(a, na, b[i].name)) {
			describe_rule(after, sizeof(after), &b[i]);
			const char *row[5] = { "added", section, b[i].name, "", after };
			r = lf_table_add(t, row);
		}
	return r;
}

static enum lf_result diff_number(struct lf_table *t, const char *name, double a, double b)
{
	char before[64], after[64];
	if (a == b)
		return LF_OK;
	snprintf(before, sizeof(before), "%g", a);
	snprintf(after, sizeof(after), "%g", b);
	const char *row[5] = { "changed", "model", name, before, after };
	return lf_table_add(t, row);
}

static const struct lf_disq_rule *find_disqualify(const struct lf_model_def *m,
						   const char *reason)
{
	for (size_t i = 0; i < m->ndisqualify; i++)
		if (!strcmp(m->disqualify[i].reason, reason))
			return &m->disqualify[i];
	return NULL;
}

static enum lf_result diff_disqualify(struct lf_table *t, const struct lf_model_def *x,
				      const struct lf_model_def *y)
{
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < x->ndisqualify && !r; i++) {
		const struct lf_disq_rule *a = &x->disqualify[i];
		const struct lf_disq_rule *b = find_disqualify(y, a->reason);
		if (!b) {
			const char *row[5] = { "removed", "disqualify", a->reason,
					       nz(a->when_src), "" };
			r = lf_table_add(t, row);
		} else if (strcmp(nz(a->when_src), nz(b->when_src))) {
			const char *row[5] = { "changed", "disqualify", a->reason,
					       nz(a->when_src), nz(b->when_src) };
			r = lf_table_add(t, row);
		}
		if (b && !r && strcmp(nz(a->why), nz(b->why))) {
			const char *row[5] = { "why changed", "disqualify", a->reason, nz(a->why),
					       nz(b->why) };
			r = lf_table_add(t, row);
		}
	}
	for (size_t j = 0; j < y->ndisqualify && !r; j++)
		if (!find_disqualify(x, y->disqualify[j].reason)) {
			const char *row[5] = { "added", "disqualify", y->disqualify[j].reason,
					       "", nz(y->disqualify[j].when_src) };
			r = lf_table_add(t, row);
		}
	return r;
}

/* A question in one line: what is asked, its type (and choices), when, of whom. */
static void describe_question(char *buf, size_t cap, const struct lf_question *q)
{
	int n = snprintf(buf, cap, "%s (%s", nz(q->text), lf_answer_type_name(q->type));
	for (size_t c = 0; c < q->nchoices && n > 0 && (size_t)n < cap; c++)
		n += snprintf(buf + n, cap - (size_t)n, "%s%s", c ? "/" : ": ", q->choices[c]);
	if (n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, "), at %s", lf_ask_at_name(q->ask));
	if (q->when_src && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, ", when %s", q->when_src);
}

static enum lf_result diff_questions(struct lf_table *t, const struct lf_model_def *x,
				     const struct lf_model_def *y)
{
	char before[1024], after[1024];
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < x->nquestions && !r; i++) {
		const struct lf_question *a = &x->questions[i];
		const struct lf_question *b = lf_model_question(y, a->key);
		describe_question(before, sizeof(before), a);
		if (!b) {
			const char *row[5] = { "removed", "questions", a->key, before, "" };
			r = lf_table_add(t, row);
			continue;
		}
		describe_question(after, sizeof(after), b);
		if (strcmp(before, after)) {
			const char *row[5] = { "changed", "questions", a->key, before, after };
			r = lf_table_add(t, row);
		}
		if (!r && strcmp(nz(a->why), nz(b->why))) {
			const char *row[5] = { "why changed", "questions", a->key, nz(a->why),
					       nz(b->why) };
			r = lf_table_add(t, row);
		}
	}
	for (size_t j = 0; j < y->nquestions && !r; j++)
		if (!lf_model_question(x, y->questions[j].key)) {
			describe_question(after, sizeof(after), &y->questions[j]);
			const char *row[5] = { "added", "questions", y->questions[j].key, "", after };
			r = lf_table_add(t, row);
		}
	return r;
}

/* A recycle rule in one line: where, after what, with which reason, for whom. */
static void describe_recycle(char *buf, size_t cap, const struct lf_recycle_rule *c)
{
	int n = snprintf(buf, cap, "at %s, %d touches%s", lf_stage_name(c->stage), c->touches,
			 c->noutcomes ? " (" : "");
	for (size_t k = 0; k < c->noutcomes && n > 0 && (size_t)n < cap; k++)
		n += snprintf(buf + n, cap - (size_t)n, "%s%s", k ? "/" : "", c->outcomes[k]);
	if (n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, "%s over %g days: %s", c->noutcomes ? ")"
			      : "", c->days, nz(c->reason));
	if (c->when_src && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, ", when %s", c->when_src);
}

static const struct lf_recycle_rule *find_recycle(const struct lf_model_def *m,
						  const char *name)
{
	for (size_t i = 0; i < m->nrecycle; i++)
		if (m->recycle[i].name && name && !strcmp(m->recycle[i].name, name))
			return &m->recycle[i];
	return NULL;
}

static enum lf_result diff_recycle(struct lf_table *t, const struct lf_model_def *x,
				   const struct lf_model_def *y)
{
	char before[1024], after[1024];
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < x->nrecycle && !r; i++) {
		const struct lf_recycle_rule *a = &x->recycle[i], *b = find_recycle(y, a->name);
		describe_recycle(before, sizeof(before), a);
		if (!b) {
			const char *row[5] = { "removed", "recycle", nz(a->name), before, "" };
			r = lf_table_add(t, row);
			continue;
		}
		describe_recycle(after, sizeof(after), b);
		if (strcmp(before, after)) {
			const char *row[5] = { "changed", "recycle", nz(a->name), before, after };
			r = lf_table_add(t, row);
		}
		if (!r && strcmp(nz(a->why), nz(b->why))) {
			const char *row[5] = { "why changed", "recycle", nz(a->name), nz(a->why),
					       nz(b->why) };
			r = lf_table_add(t, row);
		}
	}
	for (size_t j = 0; j < y->nrecycle && !r; j++)
		if (!find_recycle(x, y->recycle[j].name)) {
			describe_recycle(after, sizeof(after), &y->recycle[j]);
			const char *row[5] = { "added", "recycle", nz(y->recycle[j].name), "", after };
			r = lf_table_add(t, row);
		}
	return r;
}

enum lf_result lf_model_diff(const struct lf_model_def *x, const struct lf_model_def *y,
			     struct lf_table *t)
{
	static const char *const headers[] = { "change", "section", "rule", "before",
					       "after" };
	enum lf_result r;
	lf_table_init(t, 5, headers, 0);
	if (!(r = diff_number(t, "floor", x->floor, y->floor)) &&
	    !(r = diff_number(t, "half_life_days", x->half_life_days, y->half_life_days)) &&
	    !(r = diff_rules(t, "fit", x->fit, x->nfit, y->fit, y->nfit)) &&
	    !(r = diff_rules(t, "engagement", x->engagement, x->nengagement, y->engagement,
			     y->nengagement)) &&
	    !(r = diff_disqualify(t, x, y)) &&
	    !(r = diff_questions(t, x, y)))
		r = diff_recycle(t, x, y);
	return r;
}
