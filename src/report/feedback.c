/*
 * feedback.c - the feedback report ("retour quali"): why sales turns leads
 * down, by source, by campaign and by the scoring rules that fire on those
 * leads; the rating reps give, by source; and the disqualifications by the
 * model's rules that reps overrode, with what became of those leads beside
 * the leads the rules let through.
 *
 * The counts come from the store's aggregates; a lead's rules are those
 * the active model fired on it when it was last scored.
 *
 * One table, a section per question: section, group, kind, reason, leads,
 * pct (of that group's decisions of that kind), mean_rating. In the
 * override section, leads is the group's size and pct the share of it that
 * reached the kind's stage.
 */
#include <leadflow/report.h>
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
	struct row *rows;
	size_t n;
	struct lf_model_def def;     /* the active model, for its rules' names */
	/* the leads a rule disqualified and reps took back, and those the rules
	 * never disqualified: their number, and how many reached sql and won */
	int64_t over_n, over_sql, over_won, thru_n, thru_sql, thru_won;
};

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

static void bump(struct row *r, int64_t n, int64_t rated, int64_t rating_sum)
{
	if (!r)
		return;
	r->n += n;
	r->rated += rated;
	r->rating_sum += (double)rating_sum;
}

static enum lf_result on_decision(void *ctx, const struct lf_decision_count *d)
{
	struct feedback *f = ctx;
	const char *source = d->source ? d->source : "(none)";

	if (d->rated)
		bump(row_of(f, "rating", source, "", ""), d->rated, d->rated, d->rating_sum);
	if (!d->kind[0])
		return LF_OK;
	bump(row_of(f, "source", source, d->kind, d->reason), d->n, d->rated, d->rating_sum);
	bump(row_of(f, "campaign", d->campaign ? d->campaign : "(none)", d->kind, d->reason),
	     d->n, d->rated, d->rating_sum);
	return LF_OK;
}

static enum lf_result on_rule(void *ctx, const struct lf_rule_count *c)
{
	struct feedback *f = ctx;
	size_t i = (size_t)c->rule;
	const char *name = i < f->def.nfit ? f->def.fit[i].name
			 : i - f->def.nfit < f->def.nengagement ? f->def.engagement[i - f->def.nfit].name
			 : NULL;
	if (name)
		bump(row_of(f, "rule", name, c->kind, c->reason), c->n, c->rated, c->rating_sum);
	return LF_OK;
}

/* The decisions under the rules the active model fires on the leads (none without one). */
static enum lf_result by_rule(struct lf_store *s, const struct lf_report_filter *fl,
			      struct feedback *f, struct lf_error *err)
{
	int version = 0;
	enum lf_result r = lf_model_active(s, &f->def, &version, err);
	if (r == LF_ERR_NOT_FOUND)
		return LF_OK;
	if (!r) {
		r = lf_store_report_rules(s, fl, version, on_rule, f, err);
		lf_model_def_release(&f->def);
	}
	return r;
}

/* The overridden leads and those the rules let through (never disqualified). */
static enum lf_result on_path(void *ctx, const struct lf_path_count *p)
{
	struct feedback *f = ctx;
	int64_t sql = (lf_stages_reached(p->stages) & LF_REACHED_SQL) ? p->n : 0;
	int64_t won = (p->stages & LF_STAGE_BIT(LF_STAGE_WON)) ? p->n : 0;
	if (p->overridden) {
		f->over_n += p->n;
		f->over_sql += sql;
		f->over_won += won;
	}
	if (p->stages & LF_STAGE_BIT(LF_STAGE_DISQUALIFIED))
		return LF_OK;
	f->thru_n += p->n;
	f->thru_sql += sql;
	f->thru_won += won;
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
	if (y->n != x->n)
		return (y->n > x->n) - (y->n < x->n);
	return strcmp(x->reason, y->reason); /* ties in one order, whatever the reading's */
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
	enum lf_result r;

	lf_table_init(out, 7, headers, 1u << 4 | 1u << 5 | 1u << 6);
	if (!f || !(f->rows = calloc(MAX_ROWS, sizeof(*f->rows)))) {
		free(f);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	r = lf_store_report_decisions(s, fl, on_decision, f, err);
	if (!r)
		r = by_rule(s, fl, f, err);
	if (!r)
		r = lf_store_report_paths(s, fl, on_path, f, err);
	if (!r) {
		/* what became of the leads reps took back from the rules */
		struct row *a = row_of(f, "override", "overridden by reps", "reached sql", "");
		struct row *b = row_of(f, "override", "overridden by reps", "won", "");
		struct row *c = row_of(f, "override", "let through by the rules", "reached sql", "");
		struct row *d = row_of(f, "override", "let through by the rules", "won", "");
		if (a && b && c && d) {
			a->n = f->over_sql, a->rated = f->over_n; /* rated: the base of the pct here */
			b->n = f->over_won, b->rated = f->over_n;
			c->n = f->thru_sql, c->rated = f->thru_n;
			d->n = f->thru_won, d->rated = f->thru_n;
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
	free(f->rows);
	free(f);
	return r;
}
