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
 * stage. A move an import wrote without a date for it carries the import's
 * time (the lead's last update), not the lead's: for those the lead's
 * created_at stands for it (the day the source says the lead began). Sales' own leads never qualify here; their
 * open deals are in the pipeline like any other.
 */
#include <leadflow/report.h>
#include "core/grow.h"

#include "core/seek.h"
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

struct lead_times {
	int64_t id;
	lf_time_ms created, updated, qualified, reached[LF_STAGE_COUNT];
	enum lf_stage stage;
	double total, value;
	bool sales;                  /* sales' own: in the pipeline, never a qualified lead */
};

struct gather {
	struct lf_store *s;
	const struct lf_report_filter *f;
	struct lf_rep *reps;         /* for the team filter */
	size_t nreps;
	const char *value_field;
	struct lead_times *v;        /* in lead order */
	size_t n, cap;
	size_t at;                   /* the transition scan's place among them */
};

/* Transitions come in lead order, as the leads do. */
static enum lf_result take_transition(void *ctx, const struct lf_transition *t)
{
	struct gather *g = ctx;
	if (!lf_seek_id(g->v, g->n, sizeof(struct lead_times), offsetof(struct lead_times, id),
			&g->at, t->lead_id))
		return LF_OK;
	struct lead_times *x = &g->v[g->at];
	/* an import without a date for the stage writes the time of the import,
	 * which is also the lead's last update: that says nothing of when */
	bool undated = t->actor && !strcmp(t->actor, "import") && t->at >= x->updated;
	lf_time_ms at = undated && !x->reached[t->to] ? 0 : t->at;
	if (!x->reached[t->to])
		x->reached[t->to] = at ? at : -1;   /* -1: reached, when not known */
	if (t->to != LF_STAGE_LEAD && t->to != LF_STAGE_RECYCLED &&
	    t->to != LF_STAGE_DISQUALIFIED && !x->qualified && !x->sales)
		x->qualified = at ? at : x->created;
	return LF_OK;
}

static enum lf_result take_lead(void *ctx, const struct lf_lead *l)
{
	struct gather *g = ctx;
	const struct lf_report_filter *f = g->f;
	if ((f->from && l->created_at < f->from) || (f->to && l->created_at >= f->to) ||
	    (f->source && (!l->source || strcmp(f->source, l->source))) ||
	    (f->campaign && (!l->campaign || strcmp(f->campaign, l->campaign))))
		return LF_OK;
	if (f->team) {
		size_t k = 0;
		while (k < g->nreps && g->reps[k].id != l->owner_rep_id)
			k++;
		if (k == g->nreps || !g->reps[k].team || strcmp(g->reps[k].team, f->team))
			return LF_OK;
	}
	struct lead_times cur = { .id = l->id, .created = l->created_at,
				  .updated = l->updated_at, .stage = l->stage,
				  .total = l->total, .value = NAN,
				  .sales = lf_source_is_sales(l->source) };
	for (size_t a = 0; a < l->attrs.n; a++)
		if (!strcmp(l->attrs.items[a].name, g->value_field) &&
		    l->attrs.items[a].v.type == LF_VAL_NUMBER)
			cur.value = l->attrs.items[a].v.num;
	if (LF_GROW(g->v, g->n, g->cap, 1024))
		return LF_ERR_NOMEM;
	g->v[g->n++] = cur;
	return LF_OK;
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
	lf_time_ms lo = INT64_MAX, hi = INT64_MIN;
	double *y;
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].qualified > 0) {
			lo = g->v[i].qualified < lo ? g->v[i].qualified : lo;
			hi = g->v[i].qualified > hi ? g->v[i].qualified : hi;
		}
	if (lo > hi) {
		*days = 0;
		return NULL;
	}
	lo -= lo % DAY;
	*first = lo;
	*days = (size_t)((hi - lo) / DAY) + 1;
	if (!(y = calloc(*days, sizeof(*y))))
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].qualified > 0)
			y[(g->v[i].qualified - lo) / DAY]++;
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

static enum lf_result weeks(struct lf_store *s, const struct gather *g, const double *y,
			    size_t n, lf_time_ms first, int nweeks, struct lf_table *t,
			    struct lf_error *err)
{
	static const char *const headers[] = { "week", "qualified", "low", "high", "capacity",
					       "backlog", "slack", "threshold" };
	size_t h = (size_t)nweeks * 7;
	struct lf_hw hw;
	struct lf_model_def def;
	int version = 0, reps;
	double cap, flo = NAN, backlog = 0;
	enum lf_result r;

	lf_table_init(t, 8, headers, 0xFEu);
	if (!lf_hw_fit(y, n, 7, &hw))
		return LF_OK;
	if ((r = lf_capacity_per_week(s, &cap, &reps, err)))
		return r;
	if (lf_model_active(s, &def, &version, NULL) == LF_OK) {
		flo = def.floor;
		lf_model_def_release(&def);
	}
	/* the current scores of the leads that qualified in the last four weeks */
	double *recent = malloc((g->n + 1) * sizeof(*recent));
	double *mean = malloc(h * sizeof(*mean)), *var = malloc(h * sizeof(*var));
	size_t nr = 0;
	if (!recent || !mean || !var) {
		free(recent);
		free(mean);
		free(var);
		return LF_ERR_NOMEM;
	}
	lf_time_ms end = first + (lf_time_ms)n * DAY;
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].qualified > 0 && g->v[i].qualified >= end - 28 * DAY)
			recent[nr++] = g->v[i].total;
	lf_sort_doubles(recent, nr);
	lf_hw_forecast(&hw, h, mean, var);
	for (int w = 0; w < nweeks && !r; w++) {
		double q = 0, v = 0, threshold = NAN;
		char c[8][32], at[LF_TIME_STR_MAX];
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
				size_t k = (size_t)((double)nr * (1 - cap / q));
				threshold = fmax(flo, recent[k < nr ? k : nr - 1]);
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
		const char *row[8] = { at, c[0], c[1], c[2], c[3], c[4], c[5], c[6] };
		r = lf_table_add(t, row);
	}
	free(recent);
	free(mean);
	free(var);
	return r;
}

struct due { int64_t month; double value; };   /* month: year * 12 + month - 1 */

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
	static const enum lf_stage stages[2] = { LF_STAGE_SQL, LF_STAGE_OPPORTUNITY };
	enum lf_result r = LF_OK;
	lf_table_init(t, 7, headers, 0x7Cu);
	for (int k = 0; k < 2 && !r; k++) {
		enum lf_stage st = stages[k];
		size_t decided = 0, won = 0;
		struct lf_doubles days = { 0 };
		for (size_t i = 0; i < g->n; i++) {
			const struct lead_times *x = &g->v[i];
			if (!x->reached[st])
				continue;
			bool w = x->stage == LF_STAGE_WON;
			if (LF_STAGE_BIT(x->stage) & LF_DECIDED) {
				decided++;
				won += w;
				lf_time_ms closed = x->reached[x->stage];
				if (x->reached[st] > 0 && closed > x->reached[st] &&
				    (r = lf_doubles_push(&days, (double)(closed - x->reached[st]) / DAY)))
					break;
			}
		}
		double rate = decided ? (double)won / (double)decided : NAN;
		double median = days.n ? lf_doubles_median(&days) : 0;
		lf_doubles_release(&days);
		/* the stage's open leads by expected close month, then grouped */
		struct due *v = malloc((g->n + 1) * sizeof(*v));
		size_t nv = 0;
		if (!v)
			return LF_ERR_NOMEM;
		for (size_t i = 0; i < g->n; i++) {
			const struct lead_times *x = &g->v[i];
			if (x->stage != st)
				continue;
			lf_time_ms due = (x->reached[st] > 0 ? x->reached[st] : now) +
					 (lf_time_ms)(median * DAY);
			int64_t y;
			unsigned mo, d;
			/* overdue: expected this month */
			lf_civil_from_days((due < now ? now : due) / DAY, &y, &mo, &d);
			v[nv++] = (struct due){ y * 12 + mo - 1, x->value };
		}
		qsort(v, nv, sizeof(*v), by_month);
		for (size_t j = 0; j < nv && !r;) {
			size_t open = 0, valued = 0;
			double value = 0;
			int64_t key = v[j].month;
			for (; j < nv && v[j].month == key; j++, open++)
				if (!isnan(v[j].value))
					value += v[j].value, valued++;
			char c[6][32];
			snprintf(c[0], 32, "%04lld-%02d", (long long)(key / 12), (int)(key % 12) + 1);
			snprintf(c[1], 32, "%zu", open);
			fmt(c[2], rate, "%.3f");
			fmt(c[3], rate * (double)open, "%.1f");
			fmt(c[4], valued ? value : NAN, "%.2f");
			fmt(c[5], valued ? value * rate : NAN, "%.2f");
			const char *row[7] = { c[0], lf_stage_name(st), c[1], c[2], c[3], c[4], c[5] };
			r = lf_table_add(t, row);
		}
		free(v);
	}
	return r;
}

static enum lf_result take_rep(void *ctx, const struct lf_rep *rep)
{
	struct gather *g = ctx;
	struct lf_rep *v = realloc(g->reps, (g->nreps + 1) * sizeof(*v));
	if (!v)
		return LF_ERR_NOMEM;
	g->reps = v;
	v[g->nreps] = (struct lf_rep){ .id = rep->id, .team = strdup(rep->team ? rep->team : "") };
	if (!v[g->nreps].team)
		return LF_ERR_NOMEM;
	g->nreps++;
	return LF_OK;
}

enum lf_result lf_report_forecast_all(struct lf_store *s, const struct lf_report_filter *f,
				      int nweeks, const char *value_field, struct lf_forecast *out,
				      struct lf_error *err)
{
	struct gather g = { .s = s, .f = f, .value_field = value_field ? value_field : "close_value" };
	struct lf_lead_filter all = LF_LEAD_FILTER_ALL;
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
	if ((f->team && (r = lf_store_rep_list(s, take_rep, &g, err))) ||
	    (r = lf_store_lead_list(s, &all, take_lead, &g, err)) ||
	    (r = lf_store_transition_list(s, 0, take_transition, &g, err)))
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
	    (r = weeks(s, &g, y, n, first, nweeks, &out->weeks, err)))
		goto out;
	lf_table_release(&out->pipeline);
	r = pipeline(&g, n ? first + (lf_time_ms)n * DAY : lf_time_now(), &out->pipeline);
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	free(y);
	free(g.v);
	for (size_t k = 0; k < g.nreps; k++)
		free(g.reps[k].team);
	free(g.reps);
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
