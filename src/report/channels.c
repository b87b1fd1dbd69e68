/*
 * channels.c - the channels report: what each channel (the leads' source)
 * and campaign brought and what it cost. The leads created in the period
 * (first touch: the source and campaign a lead came with) counted at every
 * step of the waterfall they reached, the pipeline their opportunities
 * opened and the revenue of those won (the close_value attribute); beside
 * them the spend of the period's days, and the cost per lead, MQL, SQL and
 * won deal, and revenue per unit spent. Rows: each campaign of a channel,
 * the channel's total, then marketing-sourced, sales-sourced and all.
 */
#include <leadflow/report.h>
#include "report/channel_lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the waterfall steps the report shows: lead, mql, sql, opportunity, won; and
 * those it gives a cost of: lead, mql, sql, won (lf_waterfall's indexes) */
static const int steps[] = { 0, 1, 4, 5, 6 };
static const int cost_steps[] = { 0, 1, 4, 6 };
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static int by_key(const void *a, const void *b)
{
	const struct channel_line *x = a, *y = b;
	int c = strcmp(x->channel, y->channel);
	if (c)
		return c;
	if (!x->campaign || !y->campaign) /* the channel's total after its campaigns */
		return !x->campaign - !y->campaign;
	return strcmp(x->campaign, y->campaign);
}

static const char *const headers[] = {
	"channel", "campaign", "leads", "mql", "sql", "opportunity", "won", "pipeline",
	"revenue", "spend", "cost_per_lead", "cost_per_mql", "cost_per_sql", "cost_per_won",
	"revenue_per_spend",
};
#define NCOLS (sizeof(headers) / sizeof(headers[0]))

static void money(char *buf, size_t cap, double x)
{
	snprintf(buf, cap, "%.2f", x);
}

static enum lf_result add_row(struct lf_table *t, const char *channel, const char *campaign,
			      const struct channel_line *l)
{
	char cells[NCOLS][64];
	const char *row[NCOLS];
	size_t c = 2;
	snprintf(cells[0], sizeof(cells[0]), "%s", channel);
	snprintf(cells[1], sizeof(cells[1]), "%s", campaign);
	for (size_t k = 0; k < NSTEPS; k++)
		snprintf(cells[c++], sizeof(cells[0]), "%lld", (long long)l->reach[steps[k]]);
	money(cells[c++], sizeof(cells[0]), l->pipeline);
	money(cells[c++], sizeof(cells[0]), l->revenue);
	money(cells[c++], sizeof(cells[0]), l->spend);
	/* a cost per nothing is no figure: empty, not 0 or infinite */
	for (size_t k = 0; k < sizeof(cost_steps) / sizeof(cost_steps[0]); k++) {
		int64_t n = l->reach[cost_steps[k]];
		if (n && l->spend > 0)
			money(cells[c], sizeof(cells[0]), l->spend / (double)n);
		else
			cells[c][0] = '\0';
		c++;
	}
	if (l->spend > 0)
		snprintf(cells[c], sizeof(cells[0]), "%.3f", l->revenue / l->spend);
	else
		cells[c][0] = '\0';
	for (size_t i = 0; i < NCOLS; i++)
		row[i] = cells[i];
	return lf_table_add(t, row);
}

enum lf_result lf_report_channels(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err)
{
	struct channel_lines g;
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, ~3u);
	r = channel_lines_gather(s, f, &g, err);
	qsort(g.v, g.n, sizeof(g.v[0]), by_key);
	for (size_t i = 0; i < g.n && !r; i++) {
		const struct channel_line *l = &g.v[i];
		if ((f->source && strcmp(l->channel, f->source)) ||
		    (f->campaign && (!l->campaign || strcmp(l->campaign, f->campaign))))
			continue;
		r = add_row(out, l->channel, !l->campaign ? "(all)" : *l->campaign ? l->campaign
										    : "(none)", l);
	}
	if (!r)
		r = add_row(out, "marketing-sourced", "(all)", &g.marketing);
	if (!r)
		r = add_row(out, "sales-sourced", "(all)", &g.sales);
	if (!r)
		r = add_row(out, "all", "(all)", &g.all);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	channel_lines_release(&g);
	return r;
}
