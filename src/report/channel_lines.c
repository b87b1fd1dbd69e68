/*
 * channel_lines.c - a period's leads, values and spend by channel and
 * campaign (channel_lines.h).
 */
#include "report/channel_lines.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct channel_line *line_for(struct channel_lines *g, const char *channel,
				     const char *campaign)
{
	char key[600];
	int64_t i;
	channel = channel ? channel : "(none)";
	snprintf(key, sizeof(key), "%.290s\x1f%.290s", channel, campaign ? campaign : "\x1e");
	if (lf_strmap_get(&g->at, key, &i))
		return &g->v[i];
	if (LF_GROW(g->v, g->n, g->cap, 32))
		return NULL;
	struct channel_line *l = &g->v[g->n];
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
static int lines_of(struct channel_lines *g, const char *channel, const char *campaign,
		    struct channel_line *out[4])
{
	/* (the second lookup may move the lines: the first is taken again) */
	if (!line_for(g, channel, campaign ? campaign : "") ||
	    !(out[1] = line_for(g, channel, NULL)))
		return -1;
	out[0] = line_for(g, channel, campaign ? campaign : "");
	out[2] = lf_source_is_sales(channel) ? &g->sales : &g->marketing;
	out[3] = &g->all;
	return 0;
}

static enum lf_result on_path(void *ctx, const struct lf_path_count *p)
{
	struct channel_line *ls[4];
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
	struct channel_line *ls[4];
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
	struct channel_lines *g = ctx;
	struct channel_line *ls[4];
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

/* A lead counted for its last touch: the filter's source and campaign are the touch's. */
static enum lf_result on_touch(void *ctx, const struct lf_touch_count *c)
{
	struct channel_lines *g = ctx;
	struct channel_line *ls[4];
	int furthest = lf_waterfall_furthest(c->stages);
	if ((g->f->source && strcmp(c->source, g->f->source)) ||
	    (g->f->campaign && strcmp(c->campaign, g->f->campaign)))
		return LF_OK;
	if (lines_of(g, c->source, *c->campaign ? c->campaign : NULL, ls))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k <= furthest; k++)
			ls[i]->reach[k] += c->n;
		/* as lf_store_report_values counts: leads that were at opportunity */
		if (c->stages & LF_STAGE_BIT(LF_STAGE_OPPORTUNITY)) {
			ls[i]->pipeline += c->value;
			if (c->stages & LF_STAGE_BIT(LF_STAGE_WON))
				ls[i]->revenue += c->value;
		}
	}
	return LF_OK;
}

enum lf_result channel_lines_gather(struct lf_store *s, const struct lf_report_filter *f,
				    struct channel_lines *g, struct lf_error *err)
{
	enum lf_result r;
	memset(g, 0, sizeof(*g));
	g->f = f;
	lf_strmap_init(&g->at);
	if (f->last_touch) {
		r = lf_store_report_last_touch(s, f, on_touch, g, err);
	} else {
		r = lf_store_report_paths(s, f, on_path, g, err);
		if (!r)
			r = lf_store_report_values(s, f, on_value, g, err);
	}
	if (!r && !f->team)
		r = lf_store_spend_sum(s, f->from, f->to, on_spend, g, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}

void channel_lines_release(struct channel_lines *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].channel);
		free(g->v[i].campaign);
	}
	free(g->v);
	lf_strmap_release(&g->at);
	memset(g, 0, sizeof(*g));
}
