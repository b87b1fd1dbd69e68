/*
 * forecast.c - the forecast report (SPEC 7): qualified leads per day into
 * additive Holt-Winters with a weekly season, N weeks ahead with 95%
 * intervals, judged by a back-test on the last N weeks of history against
 * the seasonal-naive forecast (MASE); sales' capacity per week from the
 * reps and the measured time per lead, the backlog or slack the forecast
 * leaves, and the gate threshold it implies; the open pipeline by expected
 * close month, from stage win rates and times to close learnt from closed
 * history.
 *
 * A lead qualified on the day of its first move to mql or a later sales
 * stage; a move an import wrote without a date for it (its time is the
 * import's) dates the qualification at the lead's created_at, the day the
 * source says the lead began. Sales' own leads never qualify here; their
 * open deals are in the pipeline like any other.
 *
 * Everything is read from the store's aggregates (lf_store_report_forecast):
 * the cost grows with the days of history and the cohorts, not the leads.
 */
#include <leadflow/report.h>

#include "core/grow.h"
#include "core/stats.h"
#include "gate/capacity.h"
#include "learn/holt.h"
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY LF_MS_PER_DAY

/* The pipeline's stages: sql, then opportunity. */
enum { PIPE_SQL, PIPE_OPP, PIPE_STAGES };
static const enum lf_stage pipe_stage[PIPE_STAGES] = { LF_STAGE_SQL, LF_STAGE_OPPORTUNITY };

struct open_day { int64_t day, n, valued; double value; };

/* What the forecast reads of the counts, added up. */
struct gather {
	struct lf_counts qualified;          /* by day */
	int64_t decided[PIPE_STAGES], won[PIPE_STAGES];
	struct lf_counts close[PIPE_STAGES]; /* days to close, in tenths */
	struct open_day *open[PIPE_STAGES];  /* by day reached, -1 not known */
	size_t nopen[PIPE_STAGES], capopen[PIPE_STAGES];
};

static int pipe_of(enum lf_stage st)
{
	return st == LF_STAGE_SQL ? PIPE_SQL : st == LF_STAGE_OPPORTUNITY ? PIPE_OPP : -1;
}

static enum lf_result take_count(void *ctx, const struct lf_forecast_count *c)
{
	struct gather *g = ctx;
	int k = pipe_of(c->stage);
	switch (c->part) {
	case LF_FORECAST_QUALIFIED:
		return lf_counts_add(&g->qualified, (double)c->day, c->n);
	case LF_FORECAST_CLOSED:
		if (k < 0)
			return LF_OK;
		g->decided[k] += c->n;
		g->won[k] += c->won ? c->n : 0;
		return c->tenths < 0 ? LF_OK : lf_counts_add(&g->close[k], (double)c->tenths, c->n);
	case LF_FORECAST_OPEN:
		if (k < 0)
			return LF_OK;
		/* a day may come twice (the counts and an edge of the period) */
		for (size_t i = 0; i < g->nopen[k]; i++)
			if (g->open[k][i].day == c->day) {
				g->open[k][i].n += c->n;
				g->open[k][i].valued += c->valued;
				g->open[k][i].value += c->value;
				return LF_OK;
			}
		if (LF_GROW(g->open[k], g->nopen[k], g->capopen[k], 64))
			return LF_ERR_NOMEM;
		g->open[k][g->nopen[k]++] = (struct open_day){ c->day, c->n, c->valued, c->value };
		return LF_OK;
	}
	return LF_OK;
}

static void gather_release(struct gather *g)
{
	lf_counts_release(&g->qualified);
	for (int k = 0; k < PIPE_STAGES; k++) {
		lf_counts_release(&g->close[k]);
		free(g->open[k]);
	}
}

void lf_forecast_release(struct lf_forecast *fc)
{
	if (!fc)
		return;
	lf_table_release(&fc->backtest);
	lf_table_release(&fc->weeks);
	lf_table_release(&fc->pipeline);
}

static void fmt(char *buf, double v, const char *f)
{
	if (isnan(v))
		buf[0] = 0;
	else
		snprintf(buf, 32, f, v);
}

/* Qualified leads per day, from the first such day to the last. */
static double *daily(const struct gather *g, lf_time_ms *first, size_t *days)
{
	const struct lf_counts *q = &g->qualified;
	double *y;
	size_t i;
	for (i = 0; i < q->n && q->v[i].n <= 0; i++)
		;
	if (i == q->n) {
		*days = 0;
		return NULL;
	}
	size_t last = q->n - 1;
	while (q->v[last].n <= 0)
		last--;
	int64_t lo = (int64_t)q->v[i].v, hi = (int64_t)q->v[last].v;
	*first = lo * DAY;
	*days = (size_t)(hi - lo) + 1;
	if (!(y = calloc(*days, sizeof(*y))))
		return NULL;
	for (; i <= last; i++)
		y[(int64_t)q->v[i].v - lo] += (double)q->v[i].n;
	return y;
}

static enum lf_result backtest(const double *y, size_t n, size_t h, struct lf_table *t)
{
	static const char *const headers[] = { "method", "trained_days", "tested_days", "mae",
					       "mase", "alpha", "beta", "gamma" };
	char c[7][32];
	struct lf_hw hw;
	enum lf_result r = LF_OK;
	lf_table_init(t, 8, headers, 0xFEu);
	if (n < h + 15 || !lf_hw_fit(y, n - h, 7, &hw))
		return LF_OK;   /* too short a history to hold weeks out */
	double *f = malloc(h * sizeof(*f)), *var = malloc(h * sizeof(*var)),
	       *naive = malloc(h * sizeof(*naive));
	if (!f || !var || !naive) {
		free(f);
		free(var);
		free(naive);
		return LF_ERR_NOMEM;
	}
	lf_hw_forecast(&hw, h, f, var);
	lf_seasonal_naive(y, n - h, 7, h, naive);
	const double *fs[2] = { f, naive };
	const char *names[2] = { "holt-winters", "seasonal-naive" };
	for (int k = 0; k < 2 && !r; k++) {
		snprintf(c[0], 32, "%zu", n - h);
		snprintf(c[1], 32, "%zu", h);
		fmt(c[2], lf_mae(y + n - h, fs[k], h), "%.3f");
		fmt(c[3], lf_mase(y, n - h, 7, y + n - h, fs[k], h), "%.3f");
		fmt(c[4], k ? NAN : hw.alpha, "%.2f");
		fmt(c[5], k ? NAN : hw.beta, "%.2f");
		fmt(c[6], k ? NAN : hw.gamma, "%.2f");
		const char *row[8] = { names[k], c[0], c[1], c[2], c[3], c[4], c[5], c[6] };
		r = lf_table_add(t, row);
	}
	free(f);
	free(var);
	free(naive);
	return r;
}

static enum lf_result add_band(void *ctx, int64_t band, int64_t n)
{
	return lf_counts_add(ctx, (double)band, n);
}

static enum lf_result weeks(struct lf_store *s, const struct lf_report_filter *f,
			    const double *y, size_t n, lf_time_ms first, int nweeks,
			    struct lf_table *t, struct lf_error *err)
{
	static const char *const headers[] = { "week", "qualified", "low", "high", "capacity",
					       "backlog", "slack", "threshold", "ae_capacity" };
	size_t h = (size_t)nweeks * 7;
	struct lf_hw hw;
	struct lf_model_def def;
	int version = 0, reps;
	double cap, flo = NAN, backlog = 0;
	struct lf_week_capacity week;
	enum lf_result r;

	lf_table_init(t, 9, headers, 0x1FEu);
	if (!lf_hw_fit(y, n, 7, &hw))
		return LF_OK;
	if ((r = lf_capacity_per_week(s, &week, err)))
		return r;
	cap = week.leads;
	reps = week.sdrs;
	if (lf_model_active(s, &def, &version, NULL) == LF_OK) {
		flo = def.floor;
		lf_model_def_release(&def);
	}
	/* the current scores (1-point bands) of the leads that qualified in the
	 * last four weeks */
	struct lf_counts recent = { 0 };
	lf_time_ms end = first + (lf_time_ms)n * DAY;
	if ((r = lf_store_report_recent_scores(s, f, end - 28 * DAY, add_band, &recent, err)))
		return r;
	int64_t nr = lf_counts_total(&recent);
	double *mean = malloc(h * sizeof(*mean)), *var = malloc(h * sizeof(*var));
	if (!mean || !var) {
		lf_counts_release(&recent);
		free(mean);
		free(var);
		return LF_ERR_NOMEM;
	}
	lf_hw_forecast(&hw, h, mean, var);
	for (int w = 0; w < nweeks && !r; w++) {
		double q = 0, v = 0, threshold = NAN;
		char c[9][32], at[LF_TIME_STR_MAX];
		for (size_t d = 0; d < 7; d++) {
			q += fmax(0, mean[(size_t)w * 7 + d]);
			v += var[(size_t)w * 7 + d];
		}
		/* what waits from before and what comes, against what sales can take */
		double demand = backlog + q, slack = fmax(0, cap - demand);
		backlog = fmax(0, demand - cap);
		/* when more qualify than sales can take, only the best cap / q of them
		 * pass: the score at that share of the recent qualified leads */
		if (version && nr && reps) {
			threshold = flo;
			if (q > cap && cap > 0) {
				int64_t k = (int64_t)((double)nr * (1 - cap / q));
				threshold = fmax(flo, lf_counts_at(&recent, k < nr ? k : nr - 1));
			}
		}
		lf_time_format(end + (lf_time_ms)w * 7 * DAY, at);
		at[10] = 0;
		snprintf(c[0], 32, "%.1f", q);
		/* the week's interval: daily variances summed (errors taken as independent) */
		snprintf(c[1], 32, "%.1f", fmax(0, q - 1.96 * sqrt(v)));
		snprintf(c[2], 32, "%.1f", q + 1.96 * sqrt(v));
		fmt(c[3], reps ? cap : NAN, "%.1f");
		fmt(c[4], reps ? backlog : NAN, "%.1f");
		fmt(c[5], reps ? slack : NAN, "%.1f");
		fmt(c[6], threshold, "%.1f");
		/* the SQLs a week the account executives can take (none: one tier) */
		fmt(c[7], week.aes ? week.sqls : NAN, "%.1f");
		const char *row[9] = { at, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7] };
		r = lf_table_add(t, row);
	}
	lf_counts_release(&recent);
	free(mean);
	free(var);
	return r;
}

struct due {                 /* month: year * 12 + month - 1 */
	int64_t month, n, valued;
	double value;
};

static int by_month(const void *a, const void *b)
{
	const struct due *x = a, *y = b;
	return (x->month > y->month) - (x->month < y->month);
}

/* The open pipeline by expected close month. */
static enum lf_result pipeline(const struct gather *g, lf_time_ms now, struct lf_table *t)
{
	static const char *const headers[] = { "month", "stage", "open", "win_rate",
					       "expected_wins", "value", "expected_value" };
	enum lf_result r = LF_OK;
	lf_table_init(t, 7, headers, 0x7Cu);
	for (int k = 0; k < PIPE_STAGES && !r; k++) {
		double rate = g->decided[k] ? (double)g->won[k] / (double)g->decided[k] : NAN;
		double median = g->close[k].n ? lf_counts_median(&g->close[k]) / 10 : 0;
		/* the stage's open leads by expected close month, then grouped */
		struct due *v = malloc((g->nopen[k] + 1) * sizeof(*v));
		size_t nv = 0;
		if (!v)
			return LF_ERR_NOMEM;
		for (size_t i = 0; i < g->nopen[k]; i++) {
			const struct open_day *o = &g->open[k][i];
			if (o->n <= 0)
				continue;
			lf_time_ms due = (o->day >= 0 ? o->day * DAY : now) +
					 (lf_time_ms)(median * DAY);
			int64_t y;
			unsigned mo, d;
			/* overdue: expected this month */
			lf_civil_from_days((due < now ? now : due) / DAY, &y, &mo, &d);
			v[nv++] = (struct due){ y * 12 + mo - 1, o->n, o->valued, o->value };
		}
		qsort(v, nv, sizeof(*v), by_month);
		for (size_t j = 0; j < nv && !r;) {
			int64_t open = 0, valued = 0;
			double value = 0;
			int64_t key = v[j].month;
			for (; j < nv && v[j].month == key; j++) {
				open += v[j].n;
				valued += v[j].valued;
				value += v[j].value;
			}
			char c[6][32];
			snprintf(c[0], 32, "%04lld-%02d", (long long)(key / 12), (int)(key % 12) + 1);
			snprintf(c[1], 32, "%lld", (long long)open);
			fmt(c[2], rate, "%.3f");
			fmt(c[3], rate * (double)open, "%.1f");
			fmt(c[4], valued ? value : NAN, "%.2f");
			fmt(c[5], valued ? value * rate : NAN, "%.2f");
			const char *row[7] = { c[0], lf_stage_name(pipe_stage[k]), c[1], c[2], c[3],
					       c[4], c[5] };
			r = lf_table_add(t, row);
		}
		free(v);
	}
	return r;
}

enum lf_result lf_report_forecast_all(struct lf_store *s, const struct lf_report_filter *f,
				      int nweeks, const char *value_field, struct lf_forecast *out,
				      struct lf_error *err)
{
	struct gather g = { 0 };
	lf_time_ms first = 0;
	size_t n = 0;
	double *y = NULL;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	lf_table_init(&out->backtest, 0, NULL, 0);
	lf_table_init(&out->weeks, 0, NULL, 0);
	lf_table_init(&out->pipeline, 0, NULL, 0);
	if (nweeks < 1 || nweeks > 52)
		return lf_error_field(err, LF_ERR_INPUT, "weeks", "--weeks must be 1 to 52");
	if ((r = lf_store_report_forecast(s, f, value_field, take_count, &g, err)))
		goto out;
	y = daily(&g, &first, &n);
	if (n && !y) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	out->days = n;
	lf_table_release(&out->backtest);
	lf_table_release(&out->weeks);
	if ((r = backtest(y, n, (size_t)nweeks * 7, &out->backtest)) ||
	    (r = weeks(s, f, y, n, first, nweeks, &out->weeks, err)))
		goto out;
	lf_table_release(&out->pipeline);
	r = pipeline(&g, n ? first + (lf_time_ms)n * DAY : lf_time_now(), &out->pipeline);
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	free(y);
	gather_release(&g);
	if (r)
		lf_forecast_release(out);
	return r;
}
enum lf_result lf_report_forecast(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err)
{
	struct lf_forecast fc;
	enum lf_result r;
	if ((r = lf_report_forecast_all(s, f, 4, NULL, &fc, err)))
		return r;
	*out = fc.weeks;
	lf_table_init(&fc.weeks, 0, NULL, 0);
	lf_forecast_release(&fc);
	return LF_OK;
}
