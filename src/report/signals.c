/*
 * signals.c - the reports that measure signals against outcomes:
 * clicks-vs-feeling (marketing's fit, engagement and total score beside the
 * rep's rating, each as AUC and as conversion in thirds of the signal) and
 * calibration (conversion by decile of the total score). The outcome is
 * reaching sql, or being won (then only decided leads count).
 *
 * AUC is the Mann-Whitney statistic: the chance that a random converted
 * lead scores above a random other one, ties counting half. The leads come
 * from the store's aggregates, scores in bands of one point: two leads in
 * one band are a tie, and thirds and deciles are cut between bands.
 */
#include <leadflow/report.h>
#include "core/grow.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The leads of one signal by band, each band with how many converted
 * (pos) and how many did not (neg), lowest band first once merged.
 */
struct band {
	int64_t v, pos, neg;
};
struct bands {
	struct band *b;
	size_t n, cap;
};

struct collect {
	struct bands sig[LF_SIGNAL_COUNT];
	bool won;
};

static enum lf_result on_count(void *ctx, const struct lf_signal_count *k)
{
	struct collect *c = ctx;
	struct bands *bs;
	bool pos;

	if ((unsigned)k->signal >= LF_SIGNAL_COUNT)
		return LF_OK;
	/* leads sales found itself start at sql: reaching it says nothing of a signal */
	int64_t n = c->won ? k->n : k->n - k->sales;
	if (!n)
		return LF_OK;
	if (c->won) {
		/* won or not: only leads whose fate is decided say anything */
		if (!(k->stages & LF_DECIDED))
			return LF_OK;
		pos = (k->stages & LF_STAGE_BIT(LF_STAGE_WON)) != 0;
	} else {
		pos = (lf_stages_reached(k->stages) & LF_REACHED_SQL) != 0;
	}
	bs = &c->sig[k->signal];
	if (LF_GROW(bs->b, bs->n, bs->cap, 256))
		return LF_ERR_NOMEM;
	bs->b[bs->n++] = (struct band){ k->band, pos ? n : 0, pos ? 0 : n };
	return LF_OK;
}

static int by_band(const void *a, const void *b)
{
	int64_t x = ((const struct band *)a)->v, y = ((const struct band *)b)->v;
	return (x > y) - (x < y);
}

/* Sorts the bands and adds up the rows of one band; *leads gets their sum. */
static void merge(struct bands *bs, int64_t *leads)
{
	size_t out = 0;
	*leads = 0;
	if (!bs->n)
		return; /* no lead of this signal (no rating given): nothing to sort */
	qsort(bs->b, bs->n, sizeof(*bs->b), by_band);
	for (size_t i = 0; i < bs->n; i++) {
		if (out && bs->b[out - 1].v == bs->b[i].v) {
			bs->b[out - 1].pos += bs->b[i].pos;
			bs->b[out - 1].neg += bs->b[i].neg;
		} else {
			bs->b[out++] = bs->b[i];
		}
		*leads += bs->b[i].pos + bs->b[i].neg;
	}
	bs->n = out;
}

/*
 * AUC of merged bands against the outcome: leads in one band are ties,
 * counting half; NAN without both outcomes. *npos gets the converted.
 */
static double auc(const struct bands *bs, int64_t *npos)
{
	double rank_sum = 0;
	int64_t pos = 0, seen = 0;

	for (size_t i = 0; i < bs->n; i++) {
		int64_t w = bs->b[i].pos + bs->b[i].neg;
		/* the average 1-based rank of the band's leads */
		double mid = (double)(2 * seen + w + 1) / 2.0;
		rank_sum += mid * (double)bs->b[i].pos;
		pos += bs->b[i].pos;
		seen += w;
	}
	*npos = pos;
	if (!pos || pos == seen)
		return NAN;
	return (rank_sum - (double)pos * (double)(pos + 1) / 2.0) /
	       ((double)pos * (double)(seen - pos));
}

/*
 * The conversion of the k-th of parts slices of merged bands holding n
 * leads, in percent. A band belongs whole to the slice where it starts (the
 * last k with n * k / parts at or before its first lead), so the slices
 * are as equal as the bands allow and one may be empty. *lo and *hi get
 * the slice's lowest and highest band.
 */
static double slice_rate(const struct bands *bs, int64_t n, size_t k, size_t parts,
			 int64_t *count, double *lo, double *hi)
{
	int64_t start = 0, pos = 0, cnt = 0;
	int64_t from = n * (int64_t)k / (int64_t)parts;
	int64_t to = n * (int64_t)(k + 1) / (int64_t)parts;

	*lo = *hi = NAN;
	for (size_t i = 0; i < bs->n; i++) {
		int64_t w = bs->b[i].pos + bs->b[i].neg;
		if (start >= from && start < to) {
			if (!cnt)
				*lo = (double)bs->b[i].v;
			*hi = (double)bs->b[i].v;
			cnt += w;
			pos += bs->b[i].pos;
		}
		start += w;
	}
	*count = cnt;
	return cnt ? 100.0 * (double)pos / (double)cnt : NAN;
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
	r = lf_store_report_signals(s, f, on_count, c, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}

static void collect_release(struct collect *c)
{
	for (int i = 0; i < LF_SIGNAL_COUNT; i++)
		free(c->sig[i].b);
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
	enum lf_result res;

	lf_table_init(out, 10, signal_headers, ~1u);
	if ((res = need_model(s, "clicks-vs-feeling", err)) || (res = gather(s, f, &c, err)))
		goto out;
	for (int sig = 0; sig < LF_SIGNAL_COUNT && !res; sig++) {
		int64_t n, pos, cnt;
		double lo, hi;
		char cells[10][32];
		const char *row[10];

		merge(&c.sig[sig], &n);
		double a = auc(&c.sig[sig], &pos);
		snprintf(cells[0], 32, "%s", names[sig]);
		snprintf(cells[1], 32, "%lld", (long long)n);
		snprintf(cells[2], 32, "%lld", (long long)pos);
		num(cells[3], 32, a, 3);
		for (size_t k = 0; k < 3; k++) {
			num(cells[4 + k], 32, slice_rate(&c.sig[sig], n, k, 3, &cnt, &lo, &hi), 1);
			snprintf(cells[7 + k], 32, "%lld", (long long)cnt);
		}
		for (int i = 0; i < 10; i++)
			row[i] = cells[i];
		res = lf_table_add(out, row);
	}
out:
	collect_release(&c);
	return res;
}

static const char *const calibration_headers[] = {
	"decile", "leads", "min_total", "max_total", "converted_pct",
};

enum lf_result lf_report_calibration(struct lf_store *s, const struct lf_report_filter *f,
				     struct lf_table *out, struct lf_error *err)
{
	struct collect c = { 0 };
	struct bands *bs = &c.sig[LF_SIGNAL_TOTAL];
	enum lf_result res;
	int64_t n;

	lf_table_init(out, 5, calibration_headers, ~0u);
	if ((res = need_model(s, "calibration", err)) || (res = gather(s, f, &c, err)))
		goto out;
	merge(bs, &n);
	for (size_t k = 0; k < 10 && !res && n; k++) {
		int64_t cnt;
		double lo, hi, rate = slice_rate(bs, n, k, 10, &cnt, &lo, &hi);
		char cells[5][32];
		const char *row[5] = { cells[0], cells[1], cells[2], cells[3], cells[4] };
		snprintf(cells[0], 32, "%zu", k + 1);
		snprintf(cells[1], 32, "%lld", (long long)cnt);
		/* the decile's scores lie in [min_total, max_total): bands of one point */
		num(cells[2], 32, lo, 2);
		num(cells[3], 32, isnan(hi) ? hi : hi + 1, 2);
		num(cells[4], 32, rate, 1);
		res = lf_table_add(out, row);
	}
out:
	collect_release(&c);
	return res;
}
