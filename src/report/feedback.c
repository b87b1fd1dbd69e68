/*
 * feedback.c - the feedback report ("retour quali"): why sales turns leads
 * down, by source, by campaign and by the scoring rules that fire on those
 * leads; the rating reps give, by source; and the disqualifications by the
 * model's rules that reps overrode, with what became of those leads beside
 * the leads the rules let through.
 *
 * One table, a section per question: section, group, kind, reason, leads,
 * pct (of that group's decisions of that kind), mean_rating. In the
 * override section, leads is the group's size and pct the share of it that
 * reached the kind's stage.
 */
#include <leadflow/report.h>
#include "core/strmap.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 4096

struct row {
	char section[16], group[64], kind[16], reason[64];
	int64_t n;
	double rating_sum;
	int64_t rated;
};

struct feedback {
	struct lf_store *s;
	struct row *rows;
	size_t n;
	struct lf_model_def def;
	bool have_model;
	lf_time_ms now;
	struct lf_strmap overridden;   /* lead id -> 1: disqualified by 'model', then requalified */
	struct lf_strmap ruled;        /* lead id -> 1: disqualified by 'model' */
	enum lf_result r;
	struct lf_error *err;
};

static const char *kind_of(const struct lf_decision *d)
{
	switch (d->to) {
	case LF_STAGE_RECYCLED: return "reject";
	case LF_STAGE_DISQUALIFIED: return "disqualify";
	case LF_STAGE_LOST: return "lost";
	case LF_STAGE_WON: return "won";
	default: return d->from == LF_STAGE_DISQUALIFIED ? "requalify" : NULL;
	}
}

static struct row *row_of(struct feedback *f, const char *section, const char *group,
			  const char *kind, const char *reason)
{
	for (size_t i = f->n; i-- > 0;) {
		struct row *r = &f->rows[i];
		if (!strcmp(r->section, section) && !strcmp(r->group, group) &&
		    !strcmp(r->kind, kind) && !strcmp(r->reason, reason))
			return r;
	}
	if (f->n == MAX_ROWS)
		return NULL;
	struct row *r = &f->rows[f->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->section, sizeof(r->section), "%s", section);
	snprintf(r->group, sizeof(r->group), "%s", group);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	return r;
}

static void bump(struct row *r, int rating)
{
	if (!r)
		return;
	r->n++;
	if (rating) {
		r->rating_sum += rating;
		r->rated++;
	}
}

/* The rules of the active model that fire on the lead now. */
static enum lf_result by_rule(struct feedback *f, const struct lf_decision *d,
			      const char *kind)
{
	struct lf_lead l;
	struct lf_explain x;
	enum lf_result r;

	if (!f->have_model)
		return LF_OK;
	if ((r = lf_store_lead_get(f->s, d->lead_id, &l, f->err)))
		return r;
	if (!(r = lf_score_lead(f->s, &f->def, &l, f->now, &x, f->err))) {
		for (size_t i = 0; i < x.nitems; i++)
			bump(row_of(f, "rule", x.items[i].rule, kind, d->reason), d->rating);
		lf_explain_release(&x);
	}
	lf_lead_release(&l);
	return r;
}

static enum lf_result on_decision(void *ctx, const struct lf_decision *d)
{
	struct feedback *f = ctx;
	const char *kind = kind_of(d);
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)d->lead_id);
	if (d->rating)
		bump(row_of(f, "rating", d->source ? d->source : "(none)", "", ""), d->rating);
	if (!kind || !d->reason)
		return LF_OK;
	if (!strcmp(kind, "disqualify") && d->actor && !strcmp(d->actor, "model"))
		lf_strmap_put(&f->ruled, key, 1);
	if (!strcmp(kind, "requalify")) {
		int64_t v;
		if (lf_strmap_get(&f->ruled, key, &v))
			lf_strmap_put(&f->overridden, key, (int64_t)d->stages);
		return LF_OK;
	}
	bump(row_of(f, "source", d->source ? d->source : "(none)", kind, d->reason), d->rating);
	bump(row_of(f, "campaign", d->campaign ? d->campaign : "(none)", kind, d->reason),
	     d->rating);
	if (strcmp(kind, "won"))
		return by_rule(f, d, kind);
	return LF_OK;
}

struct through {
	struct feedback *f;
	int64_t n, sql, won;
};


/* The leads the rules let through: never disqualified by a rule. */
static enum lf_result on_path(void *ctx, const struct lf_lead_path *p)
{
	struct through *t = ctx;
	if (p->stages & LF_STAGE_BIT(LF_STAGE_DISQUALIFIED))
		return LF_OK;
	t->n++;
	t->sql += (lf_stages_reached(p->stages) & LF_REACHED_SQL) != 0;
	t->won += (p->stages & LF_STAGE_BIT(LF_STAGE_WON)) != 0;
	return LF_OK;
}

static const char *const headers[] = {
	"section", "group", "kind", "reason", "leads", "pct", "mean_rating",
};

static int by_section(const void *a, const void *b)
{
	static const char *const order[] = { "source", "campaign", "rule", "rating",
					     "override" };
	const struct row *x = a, *y = b;
	int ix = 0, iy = 0;
	for (int i = 0; i < 5; i++) {
		if (!strcmp(x->section, order[i]))
			ix = i;
		if (!strcmp(y->section, order[i]))
			iy = i;
	}
	if (ix != iy)
		return ix - iy;
	int c = strcmp(x->group, y->group);
	if (c)
		return c;
	if ((c = strcmp(x->kind, y->kind)))
		return c;
	return (y->n > x->n) - (y->n < x->n);
}

/* The decisions of a kind in a group of a section, for the pct column. */
static int64_t total_of(const struct feedback *f, const struct row *r)
{
	int64_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->rows[i].section, r->section) &&
		    !strcmp(f->rows[i].group, r->group) && !strcmp(f->rows[i].kind, r->kind))
			n += f->rows[i].n;
	return n;
}

enum lf_result lf_report_feedback(struct lf_store *s, const struct lf_report_filter *fl,
				  struct lf_table *out, struct lf_error *err)
{
	struct feedback *f = calloc(1, sizeof(*f));
	struct through t = { 0 };
	enum lf_result r;
	int version;

	lf_table_init(out, 7, headers, 1u << 4 | 1u << 5 | 1u << 6);
	if (!f || !(f->rows = calloc(MAX_ROWS, sizeof(*f->rows)))) {
		free(f);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	f->s = s;
	f->err = err;
	f->now = lf_time_now();
	lf_strmap_init(&f->overridden);
	lf_strmap_init(&f->ruled);
	r = lf_model_active(s, &f->def, &version, err);
	f->have_model = !r;
	if (r == LF_ERR_NOT_FOUND)
		r = LF_OK; /* no model: no section by rule */
	if (!r)
		r = lf_store_decisions(s, fl, on_decision, f, err);
	if (!r) {
		t.f = f;
		r = lf_store_lead_paths(s, fl, on_path, &t, err);
	}
	if (!r) {
		/* what became of the leads reps took back from the rules */
		int64_t n = 0, sql = 0, won = 0;
		for (size_t i = 0; i < f->overridden.cap; i++) {
			if (!f->overridden.slots[i].key)
				continue;
			unsigned st = (unsigned)f->overridden.slots[i].value;
			n++;
			sql += (lf_stages_reached(st) & LF_REACHED_SQL) != 0;
			won += (st & LF_STAGE_BIT(LF_STAGE_WON)) != 0;
		}
		struct row *a = row_of(f, "override", "overridden by reps", "reached sql", "");
		struct row *b = row_of(f, "override", "overridden by reps", "won", "");
		struct row *c = row_of(f, "override", "let through by the rules", "reached sql", "");
		struct row *d = row_of(f, "override", "let through by the rules", "won", "");
		if (a && b && c && d) {
			a->n = sql, a->rated = n;   /* rated: the base of the pct here */
			b->n = won, b->rated = n;
			c->n = t.sql, c->rated = t.n;
			d->n = t.won, d->rated = t.n;
		}
	}
	qsort(f->rows, f->n, sizeof(*f->rows), by_section);
	for (size_t i = 0; i < f->n && !r; i++) {
		const struct row *w = &f->rows[i];
		char cells[7][64];
		const char *row[7];
		bool override = !strcmp(w->section, "override");
		bool rating = !strcmp(w->section, "rating");
		int64_t base = override ? w->rated : total_of(f, w);
		snprintf(cells[0], 64, "%s", w->section);
		snprintf(cells[1], 64, "%s", w->group);
		snprintf(cells[2], 64, "%s", w->kind);
		snprintf(cells[3], 64, "%s", w->reason);
		/* the leads behind the row: rated ones, the group's, or the decided */
		snprintf(cells[4], 64, "%lld", (long long)(rating || override ? w->rated : w->n));
		if (!rating && base)
			snprintf(cells[5], 64, "%.1f", 100.0 * (double)w->n / (double)base);
		else
			cells[5][0] = '\0';
		if (!override && w->rated)
			snprintf(cells[6], 64, "%.2f", w->rating_sum / (double)w->rated);
		else
			cells[6][0] = '\0';
		for (int k = 0; k < 7; k++)
			row[k] = cells[k];
		r = lf_table_add(out, row);
	}
	if (f->have_model)
		lf_model_def_release(&f->def);
	lf_strmap_release(&f->overridden);
	lf_strmap_release(&f->ruled);
	free(f->rows);
	free(f);
	return r;
}
