/*
 * budget.c - the budget what-if: spend moved between channels, and what it
 * would bring a week at each channel's measured rates (report.h).
 *
 * Over the measured period, each channel with spend gives its leads per
 * unit spent (first touch) and, per lead, its MQLs, SQLs and wins, and its
 * revenue per win. A week's scenario spend is the period's weekly spend
 * plus the moves; each paid channel's leads scale with it, at its average
 * rates (a channel bought twice as hard brings twice the leads: an upper
 * bound, since returns fall). Channels without spend (organic, referral,
 * sales' own) bring what they brought. Marketing's MQLs of a week go to
 * the SDRs, who take what their capacity allows (lf_capacity_per_week):
 * the MQLs beyond it are bought and not worked, and the share of the
 * week's spend that bought them is money lost, as are the wins they would
 * have brought.
 */
#include <leadflow/report.h>
#include "gate/capacity.h"
#include "report/channel_lines.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_WEEK (7 * LF_MS_PER_DAY)

enum lf_result lf_budget_parse_moves(const char *text, struct lf_budget_move *out,
				     size_t max, size_t *n, struct lf_error *err)
{
	const char *p = text;
	*n = 0;
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char one[200], *a, *b, *num, *stop;
		struct lf_budget_move *m = &out[*n];
		if (*n == max)
			return lf_error_field(err, LF_ERR_INPUT, "move", "at most %zu moves", max);
		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) ? len : sizeof(one) - 1),
			 p);
		a = one;
		if (!(b = strchr(a, ':')) || !(num = strchr(b + 1, ':')))
			return lf_error_field(err, LF_ERR_INPUT, "move", "a move is FROM:TO:AMOUNT "
					      "(spend a week, from one channel to another), not "
					      "'%s'", one);
		*b++ = '\0';
		*num++ = '\0';
		errno = 0;
		m->per_week = strtod(num, &stop);
		if (!*a || !*b || !strcmp(a, b) || errno || stop == num || *stop ||
		    !(m->per_week > 0) || !isfinite(m->per_week))
			return lf_error_field(err, LF_ERR_INPUT, "move", "a move is FROM:TO:AMOUNT "
					      "with two channels and an amount above 0, not "
					      "'%.*s'", (int)len, p);
		if (strlen(a) >= sizeof(m->from) || strlen(b) >= sizeof(m->to))
			return lf_error_field(err, LF_ERR_INPUT, "move", "a channel's name is at "
					      "most %zu characters", sizeof(m->from) - 1);
		memcpy(m->from, a, strlen(a) + 1);
		memcpy(m->to, b, strlen(b) + 1);
		(*n)++;
		p = end ? end + 1 : NULL;
	}
	return LF_OK;
}

/* A channel's week: now, and in the scenario. */
struct week {
	const struct channel_line *l;
	double spend[2], leads[2], mql[2], sql[2], won[2], revenue[2];
};

static double per(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* The channel's week at spend s (side k): its rates times the leads s buys. */
static void scale(struct week *w, int k, double weeks)
{
	const struct channel_line *l = w->l;
	double leads = l->spend > 0 ? w->spend[k] * per((double)l->reach[0], l->spend)
				    : (double)l->reach[0] / weeks;
	w->leads[k] = leads;
	w->mql[k] = leads * per((double)l->reach[1], (double)l->reach[0]);
	w->sql[k] = leads * per((double)l->reach[4], (double)l->reach[0]);
	w->won[k] = leads * per((double)l->reach[6], (double)l->reach[0]);
	w->revenue[k] = w->won[k] * per(l->revenue, (double)l->reach[6]);
}

static const char *const headers[] = {
	"channel", "spend", "spend_scenario", "leads", "leads_scenario", "mql", "mql_scenario",
	"sql", "sql_scenario", "won", "won_scenario", "revenue", "revenue_scenario",
};
#define NCOLS (sizeof(headers) / sizeof(headers[0]))

static enum lf_result add_row(struct lf_table *t, const char *name, const double v[6][2])
{
	char cells[NCOLS][48];
	const char *row[NCOLS];
	snprintf(cells[0], sizeof(cells[0]), "%s", name);
	for (int c = 0; c < 6; c++)
		for (int k = 0; k < 2; k++)
			snprintf(cells[1 + 2 * c + k], sizeof(cells[0]), c == 0 || c == 5 ? "%.2f"
												: "%.1f",
				 v[c][k]);
	for (size_t i = 0; i < NCOLS; i++)
		row[i] = cells[i];
	return lf_table_add(t, row);
}

static void week_values(const struct week *w, double v[6][2])
{
	for (int k = 0; k < 2; k++) {
		v[0][k] = w->spend[k];
		v[1][k] = w->leads[k];
		v[2][k] = w->mql[k];
		v[3][k] = w->sql[k];
		v[4][k] = w->won[k];
		v[5][k] = w->revenue[k];
	}
}

enum lf_result lf_budget_whatif(struct lf_store *s, lf_time_ms from, lf_time_ms to,
				const struct lf_budget_move *moves, size_t nmoves,
				struct lf_table *out, struct lf_budget_result *res,
				struct lf_error *err)
{
	struct lf_report_filter f = { .from = from, .to = to };
	struct channel_lines g;
	struct lf_week_capacity cap;
	struct week *w = NULL, all = { 0 }, marketing = { 0 };
	double weeks = (double)(to - from) / MS_PER_WEEK;
	size_t nw = 0;
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, ~1u);
	memset(res, 0, sizeof(*res));
	if (!(to > from))
		return lf_error_field(err, LF_ERR_INPUT, "from", "the measured period is empty: "
				      "--from must come before --to");
	if ((r = channel_lines_gather(s, &f, &g, err)) ||
	    (r = lf_capacity_per_week(s, &cap, err)))
		goto out;
	if (!(w = calloc(g.n + 1, sizeof(*w)))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < g.n; i++)
		if (!g.v[i].campaign) {   /* each channel's total */
			w[nw].l = &g.v[i];
			w[nw].spend[0] = w[nw].spend[1] = g.v[i].spend / weeks;
			nw++;
		}
	for (size_t m = 0; m < nmoves && !r; m++) {
		struct week *a = NULL, *b = NULL;
		for (size_t i = 0; i < nw; i++) {
			if (!strcmp(w[i].l->channel, moves[m].from))
				a = &w[i];
			if (!strcmp(w[i].l->channel, moves[m].to))
				b = &w[i];
		}
		if (!a || a->spend[1] < moves[m].per_week - 0.005)
			r = lf_error_field(err, LF_ERR_INPUT, "move", "'%s' spent %.2f a week in the "
					   "period: %.2f cannot move from it", moves[m].from,
					   a ? a->spend[1] : 0.0, moves[m].per_week);
		else if (!b || !(b->l->spend > 0))
			r = lf_error_field(err, LF_ERR_INPUT, "move", "'%s' had no spend in the "
					   "period: what its leads cost is not known", moves[m].to);
		else {
			a->spend[1] -= moves[m].per_week;
			b->spend[1] += moves[m].per_week;
		}
	}
	for (size_t i = 0; i < nw && !r; i++) {
		for (int k = 0; k < 2; k++) {
			scale(&w[i], k, weeks);
			all.spend[k] += w[i].spend[k];
			all.leads[k] += w[i].leads[k];
			all.mql[k] += w[i].mql[k];
			all.sql[k] += w[i].sql[k];
			all.won[k] += w[i].won[k];
			all.revenue[k] += w[i].revenue[k];
			/* the SDRs' queue: marketing's MQLs (sales' own start at sql) */
			if (!lf_source_is_sales(w[i].l->channel)) {
				marketing.mql[k] += w[i].mql[k];
				marketing.won[k] += w[i].won[k];
				marketing.revenue[k] += w[i].revenue[k];
			}
		}
	}
	double v[6][2];
	for (size_t i = 0; i < nw && !r; i++) {
		week_values(&w[i], v);
		r = add_row(out, w[i].l->channel, v);
	}
	if (r)
		goto out;
	week_values(&all, v);
	r = add_row(out, "all", v);
	/* what sales cannot take: the MQLs beyond the SDRs' week */
	res->capacity = cap.leads;
	memset(v, 0, sizeof(v));
	for (int k = 0; k < 2 && !r; k++) {
		double mql = marketing.mql[k];
		double over = mql > cap.leads ? mql - cap.leads : 0;
		double share = per(over, mql);
		v[0][k] = all.spend[k] * share;
		v[2][k] = over;
		v[4][k] = marketing.won[k] * share;
		v[5][k] = marketing.revenue[k] * share;
		res->mql[k] = mql;
		res->over[k] = over;
		res->spend_lost[k] = v[0][k];
		res->won[k] = all.won[k];
	}
	if (!r) {
		double c[6][2] = { { 0 } };
		c[2][0] = c[2][1] = cap.leads;
		r = add_row(out, "sales capacity", c);
	}
	if (!r)
		r = add_row(out, "beyond capacity", v);
	res->weeks = weeks;
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	free(w);
	channel_lines_release(&g);
	return r;
}
