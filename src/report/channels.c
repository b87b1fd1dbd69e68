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
#include "core/grow.h"
#include "core/strmap.h"
#include "lifecycle/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the waterfall steps the report shows: lead, mql, sql, opportunity, won; and
 * those it gives a cost of: lead, mql, sql, won */
static const int steps[] = { 0, 1, 4, 5, 6 };
static const int cost_steps[] = { 0, 1, 4, 6 };
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

struct line {
	char *channel, *campaign;   /* campaign NULL: the channel's total */
	int64_t reach[LF_WATERFALL_STEPS];
	double pipeline, revenue, spend;
};

struct gather {
	struct line *v;
	size_t n, cap;
	struct lf_strmap at;        /* "channel\x1fcampaign" -> index */
	struct line marketing, sales, all;
	const struct lf_report_filter *f;
};

static struct line *line_for(struct gather *g, const char *channel, const char *campaign)
{
	char key[600];
	int64_t i;
	channel = channel ? channel : "(none)";
	snprintf(key, sizeof(key), "%.290s\x1f%.290s", channel, campaign ? campaign : "\x1e");
	if (lf_strmap_get(&g->at, key, &i))
		return &g->v[i];
	if (LF_GROW(g->v, g->n, g->cap, 32))
		return NULL;
	struct line *l = &g->v[g->n];
	memset(l, 0, sizeof(*l));
	if (!(l->channel = strdup(channel)) || (campaign && !(l->campaign = strdup(campaign))) ||
	    lf_strmap_put(&g->at, key, (int64_t)g->n)) {
		free(l->channel);
		free(l->campaign);
		return NULL;
	}
	g->n++;
	return l;
}

/* The lines a row counts in: its campaign's, its channel's, its side's, all. */
static int lines_of(struct gather *g, const char *channel, const char *campaign,
		    struct line *out[4])
{
	/* (the second lookup may move the lines: the first is taken again) */
	if (!line_for(g, channel, campaign ? campaign : "") || !(out[1] = line_for(g, channel, NULL)))
		return -1;
	out[0] = line_for(g, channel, campaign ? campaign : "");
	out[2] = lf_source_is_sales(channel) ? &g->sales : &g->marketing;
	out[3] = &g->all;
	return 0;
}

static enum lf_result on_path(void *ctx, const struct lf_path_count *p)
{
	struct line *ls[4];
	int furthest = lf_waterfall_furthest(p->stages);
	if (lines_of(ctx, p->source, p->campaign, ls))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 4; i++)
		for (int k = 0; k <= furthest; k++)
			ls[i]->reach[k] += p->n;
	return LF_OK;
}

static enum lf_result on_value(void *ctx, const struct lf_value_count *v)
{
	struct line *ls[4];
	if (lines_of(ctx, v->source, v->campaign, ls))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 4; i++) {
		ls[i]->pipeline += v->pipeline;
		ls[i]->revenue += v->revenue;
	}
	return LF_OK;
}

static enum lf_result on_spend(void *ctx, const char *channel, const char *campaign,
			       double amount, int64_t days)
{
	struct gather *g = ctx;
	struct line *ls[4];
	(void)days;
	if ((g->f->source && strcmp(channel, g->f->source)) ||
	    (g->f->campaign && strcmp(campaign, g->f->campaign)))
		return LF_OK;   /* the filter's channel and campaign only */
	if (lines_of(g, channel, *campaign ? campaign : NULL, ls))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 4; i++)
		ls[i]->spend += amount;
	return LF_OK;
}

static int by_key(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
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
			      const struct line *l)
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
	struct gather g = { .f = f };
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, ~3u);
	lf_strmap_init(&g.at);
	r = lf_store_report_paths(s, f, on_path, &g, err);
	if (!r)
		r = lf_store_report_values(s, f, on_value, &g, err);
	/* spend is by channel and campaign alone: a team filter leaves it out */
	if (!r && !f->team)
		r = lf_store_spend_sum(s, f->from, f->to, on_spend, &g, err);
	qsort(g.v, g.n, sizeof(g.v[0]), by_key);
	for (size_t i = 0; i < g.n && !r; i++) {
		const struct line *l = &g.v[i];
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
	for (size_t i = 0; i < g.n; i++) {
		free(g.v[i].channel);
		free(g.v[i].campaign);
	}
	free(g.v);
	lf_strmap_release(&g.at);
	return r;
}
