/*
 * signals.c - the reports that measure signals against outcomes:
 * clicks-vs-feeling (marketing's fit, engagement and total score beside the
 * rep's rating, each as AUC and as conversion in thirds of the signal) and
 * calibration (conversion by decile of the total score). The outcome is
 * reaching sql, or being won (then only decided leads count).
 *
 * AUC is the Mann-Whitney statistic: the chance that a random converted
 * lead scores above a random other one, ties counting half.
 */
#include <leadflow/report.h>
#include "core/grow.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct obs {
	double fit, engagement, total;
	int rating;
	bool pos;
};

struct collect {
	struct obs *o;
	size_t n, cap;
	bool won;
};


static enum lf_result on_lead(void *ctx, const struct lf_lead_path *p)
{
	struct collect *c = ctx;
	bool pos;

	/* leads sales found itself start at sql: reaching it says nothing of a signal */
	if (!c->won && lf_source_is_sales(p->source))
		return LF_OK;
	if (c->won) {
		/* won or not: only leads whose fate is decided say anything */
		if (!(p->stages & LF_DECIDED))
			return LF_OK;
		pos = (p->stages & LF_STAGE_BIT(LF_STAGE_WON)) != 0;
	} else {
		pos = (lf_stages_reached(p->stages) & LF_REACHED_SQL) != 0;
	}
	if (LF_GROW(c->o, c->n, c->cap, 4096))
		return LF_ERR_NOMEM;
	c->o[c->n++] = (struct obs){ p->fit, p->engagement, p->total, p->rating, pos };
	return LF_OK;
}

struct ranked {
	double v;
	bool pos;
};

static int by_value(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;
	return (x > y) - (x < y);
}

/* AUC of values against labels; NAN without both classes. */
static double auc(struct ranked *r, size_t n, size_t *npos)
{
	double rank_sum = 0;
	size_t pos = 0;

	qsort(r, n, sizeof(*r), by_value);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && r[j].v == r[i].v)
			j++;
		double mid = (double)(i + j + 1) / 2.0; /* average 1-based rank of the tie */
		for (size_t k = i; k < j; k++)
			if (r[k].pos) {
				rank_sum += mid;
				pos++;
			}
		i = j;
	}
	*npos = pos;
	if (!pos || pos == n)
		return NAN;
	return (rank_sum - (double)pos * (double)(pos + 1) / 2.0) /
	       ((double)pos * (double)(n - pos));
}

/* Where a slice boundary falls: never inside a run of equal values. */
static size_t tie_aligned(const struct ranked *r, size_t n, size_t i)
{
	while (i > 0 && i < n && r[i].v == r[i - 1].v)
		i++;
	return i;
}

/*
 * The conversion of the k-th of parts slices of sorted r, in percent. The
 * slices are as equal as ties allow: leads with the same value are in the
 * same slice (the one where the value starts), so a slice may be empty.
 */
static double slice_rate(const struct ranked *r, size_t n, size_t k, size_t parts,
			 size_t *count, double *lo, double *hi)
{
	size_t a = tie_aligned(r, n, n * k / parts), pos = 0;
	size_t b = tie_aligned(r, n, n * (k + 1) / parts);
	for (size_t i = a; i < b; i++)
		pos += r[i].pos;
	*count = b - a;
	*lo = b > a ? r[a].v : NAN;
	*hi = b > a ? r[b - 1].v : NAN;
	return b > a ? 100.0 * (double)pos / (double)(b - a) : NAN;
}

static void num(char *buf, size_t cap, double v, int decimals)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, cap, "%.*f", decimals, v);
}

static enum lf_result gather(struct lf_store *s, const struct lf_report_filter *f,
			     struct collect *c, struct lf_error *err)
{
	enum lf_result r;
	memset(c, 0, sizeof(*c));
	c->won = f->outcome_won;
	r = lf_store_lead_paths(s, f, on_lead, c, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}

static const char *const signal_headers[] = {
	"signal", "leads", "converted", "auc", "low_third_pct", "mid_third_pct",
	"high_third_pct", "low_third_leads", "mid_third_leads", "high_third_leads",
};

/* Scores mean something only under a model: without one every total is 0. */
static enum lf_result need_model(struct lf_store *s, const char *report, struct lf_error *err)
{
	int version = 0;
	enum lf_result r = lf_model_active_version(s, &version, err);
	if (r == LF_ERR_NOT_FOUND || (!r && !version))
		return lf_error_set(err, LF_ERR_INPUT, "report '%s' weighs the scores against the "
				    "outcome, and no model is active: every score is 0 (activate "
				    "one: model activate N)", report);
	return r;
}

enum lf_result lf_report_clicks_vs_feeling(struct lf_store *s,
					   const struct lf_report_filter *f,
					   struct lf_table *out, struct lf_error *err)
{
	static const char *const names[] = { "fit", "engagement", "total", "rep_rating" };
	struct collect c = { 0 };
	struct ranked *r = NULL;
	enum lf_result res;

	lf_table_init(out, 10, signal_headers, ~1u);
	if ((res = need_model(s, "clicks-vs-feeling", err)) || (res = gather(s, f, &c, err)))
		goto out;
	if (c.n && !(r = malloc(c.n * sizeof(*r)))) {
		res = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (int sig = 0; sig < 4 && !res; sig++) {
		size_t n = 0, pos, cnt;
		double lo, hi;
		char cells[10][32];
		const char *row[10];
		for (size_t i = 0; i < c.n; i++) {
			const struct obs *o = &c.o[i];
			if (sig == 3 && !o->rating)
				continue; /* the feeling exists only where a rep gave one */
			r[n].v = sig == 0 ? o->fit : sig == 1 ? o->engagement
			       : sig == 2 ? o->total : o->rating;
			r[n++].pos = o->pos;
		}
		double a = auc(r, n, &pos);
		snprintf(cells[0], 32, "%s", names[sig]);
		snprintf(cells[1], 32, "%zu", n);
		snprintf(cells[2], 32, "%zu", pos);
		num(cells[3], 32, a, 3);
		for (size_t k = 0; k < 3; k++) {
			num(cells[4 + k], 32, slice_rate(r, n, k, 3, &cnt, &lo, &hi), 1);
			snprintf(cells[7 + k], 32, "%zu", cnt);
		}
		for (int i = 0; i < 10; i++)
			row[i] = cells[i];
		res = lf_table_add(out, row);
	}
out:
	free(r);
	free(c.o);
	return res;
}

static const char *const calibration_headers[] = {
	"decile", "leads", "min_total", "max_total", "converted_pct",
};

enum lf_result lf_report_calibration(struct lf_store *s, const struct lf_report_filter *f,
				     struct lf_table *out, struct lf_error *err)
{
	struct collect c = { 0 };
	struct ranked *r = NULL;
	enum lf_result res;

	lf_table_init(out, 5, calibration_headers, ~0u);
	if ((res = need_model(s, "calibration", err)) || (res = gather(s, f, &c, err)))
		goto out;
	if (c.n && !(r = malloc(c.n * sizeof(*r)))) {
		res = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c.n; i++)
		r[i] = (struct ranked){ c.o[i].total, c.o[i].pos };
	qsort(r, c.n, sizeof(*r), by_value);
	for (size_t k = 0; k < 10 && !res && c.n; k++) {
		size_t cnt;
		double lo, hi, rate = slice_rate(r, c.n, k, 10, &cnt, &lo, &hi);
		char cells[5][32];
		const char *row[5] = { cells[0], cells[1], cells[2], cells[3], cells[4] };
		snprintf(cells[0], 32, "%zu", k + 1);
		snprintf(cells[1], 32, "%zu", cnt);
		num(cells[2], 32, lo, 2);
		num(cells[3], 32, hi, 2);
		num(cells[4], 32, rate, 1);
		res = lf_table_add(out, row);
	}
out:
	free(r);
	free(c.o);
	return res;
}
