/*
 * kpis.c - marketing's KPIs per week, channel and campaign (report.h): the
 * week's new leads and how many of them reached mql, sql and won (the
 * funnel's first touch counts, per week created), and from the events of
 * the week, whoever the lead, the emails sent and the share that bounced,
 * were unsubscribed from, opened and clicked; the page views, the visits
 * (a lead's page views less than 30 minutes apart) and the share of
 * visits of a single page (the page bounce rate).
 */
#include <leadflow/report.h>
#include "core/grow.h"
#include "core/strmap.h"
#include "lifecycle/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_WEEK (7 * LF_MS_PER_DAY)

enum { K_SEND, K_BOUNCE, K_OPEN, K_CLICK, K_UNSUB, K_VIEW, K_VISIT, K_SINGLE, K_COUNT };
static const char *const kinds[] = { "email_send", "email_bounce", "email_open", "email_click",
				     "unsubscribe", "page_view", "page_session" };

struct kpi {
	lf_time_ms week;
	char *channel, *campaign;   /* campaign NULL: the channel's week */
	int64_t reach[LF_WATERFALL_STEPS];
	int64_t n[K_COUNT];
};

struct kpis {
	struct kpi *v;
	size_t n, cap;
	struct lf_strmap at;
	lf_time_ms week;            /* the week whose leads are being counted */
	lf_time_ms first, last;     /* the weeks seen */
};

static struct kpi *kpi_for(struct kpis *k, lf_time_ms week, const char *channel,
			   const char *campaign)
{
	char key[640];
	int64_t i;
	channel = channel ? channel : "(none)";
	snprintf(key, sizeof(key), "%lld\x1f%.290s\x1f%.290s", (long long)week, channel,
		 campaign ? campaign : "\x1e");
	if (lf_strmap_get(&k->at, key, &i))
		return &k->v[i];
	if (LF_GROW(k->v, k->n, k->cap, 64))
		return NULL;
	struct kpi *p = &k->v[k->n];
	memset(p, 0, sizeof(*p));
	p->week = week;
	if (!(p->channel = strdup(channel)) || (campaign && !(p->campaign = strdup(campaign))) ||
	    lf_strmap_put(&k->at, key, (int64_t)k->n)) {
		free(p->channel);
		free(p->campaign);
		return NULL;
	}
	k->n++;
	return p;
}

/* The campaign's and the channel's line of the week (the first may move on the second). */
static int both(struct kpis *k, lf_time_ms week, const char *channel, const char *campaign,
		struct kpi *out[2])
{
	if (!kpi_for(k, week, channel, campaign ? campaign : "") ||
	    !(out[1] = kpi_for(k, week, channel, NULL)))
		return -1;
	out[0] = kpi_for(k, week, channel, campaign ? campaign : "");
	return 0;
}

static enum lf_result on_event(void *ctx, const struct lf_event_count *c)
{
	struct kpis *k = ctx;
	struct kpi *p[2];
	int kind = -1;
	for (int i = 0; i < K_SINGLE && kind < 0; i++)
		if (!strcmp(c->type, kinds[i]))
			kind = i;
	if (kind < 0)
		return LF_OK;
	if (both(k, c->week, c->source, c->campaign, p))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 2; i++) {
		p[i]->n[kind] += c->n;
		if (kind == K_VISIT)
			p[i]->n[K_SINGLE] += c->single;
	}
	k->first = c->week < k->first ? c->week : k->first;
	k->last = c->week > k->last ? c->week : k->last;
	return LF_OK;
}

static enum lf_result on_path(void *ctx, const struct lf_path_count *c)
{
	struct kpis *k = ctx;
	struct kpi *p[2];
	int furthest = lf_waterfall_furthest(c->stages);
	if (both(k, k->week, c->source, c->campaign, p))
		return LF_ERR_NOMEM;
	for (int i = 0; i < 2; i++)
		for (int s = 0; s <= furthest; s++)
			p[i]->reach[s] += c->n;
	return LF_OK;
}

static int by_key(const void *a, const void *b)
{
	const struct kpi *x = a, *y = b;
	int c;
	if (x->week != y->week)
		return x->week < y->week ? -1 : 1;
	if ((c = strcmp(x->channel, y->channel)))
		return c;
	if (!x->campaign || !y->campaign)
		return !x->campaign - !y->campaign;
	return strcmp(x->campaign, y->campaign);
}

static const char *const headers[] = {
	"week", "channel", "campaign", "leads", "mql_pct", "sql_pct", "won_pct", "emails_sent",
	"bounce_pct", "unsubscribe_pct", "open_pct", "click_pct", "page_views", "visits",
	"page_bounce_pct",
};
#define NCOLS (sizeof(headers) / sizeof(headers[0]))

static void pct(char *buf, size_t cap, int64_t part, int64_t whole)
{
	if (whole)
		snprintf(buf, cap, "%.1f", 100.0 * (double)part / (double)whole);
	else
		buf[0] = '\0';   /* a rate of nothing is no figure */
}

static enum lf_result add_row(struct lf_table *t, const struct kpi *p)
{
	char cells[NCOLS][48];
	const char *row[NCOLS];
	size_t c = 0;
	lf_time_format(p->week, cells[c]);
	cells[c++][10] = '\0';
	snprintf(cells[c++], sizeof(cells[0]), "%s", p->channel);
	snprintf(cells[c++], sizeof(cells[0]), "%s", !p->campaign ? "(all)" : *p->campaign ?
		 p->campaign : "(none)");
	snprintf(cells[c++], sizeof(cells[0]), "%lld", (long long)p->reach[0]);
	pct(cells[c++], sizeof(cells[0]), p->reach[1], p->reach[0]);
	pct(cells[c++], sizeof(cells[0]), p->reach[4], p->reach[0]);
	pct(cells[c++], sizeof(cells[0]), p->reach[6], p->reach[0]);
	snprintf(cells[c++], sizeof(cells[0]), "%lld", (long long)p->n[K_SEND]);
	for (int k = K_BOUNCE; k <= K_UNSUB; k++) {
		static const int order[] = { K_BOUNCE, K_UNSUB, K_OPEN, K_CLICK };
		pct(cells[c++], sizeof(cells[0]), p->n[order[k - K_BOUNCE]], p->n[K_SEND]);
	}
	snprintf(cells[c++], sizeof(cells[0]), "%lld", (long long)p->n[K_VIEW]);
	snprintf(cells[c++], sizeof(cells[0]), "%lld", (long long)p->n[K_VISIT]);
	pct(cells[c++], sizeof(cells[0]), p->n[K_SINGLE], p->n[K_VISIT]);
	for (size_t i = 0; i < NCOLS; i++)
		row[i] = cells[i];
	return lf_table_add(t, row);
}

enum lf_result lf_report_kpis(struct lf_store *s, const struct lf_report_filter *f,
			      struct lf_table *out, struct lf_error *err)
{
	struct kpis k = { .first = INT64_MAX, .last = INT64_MIN };
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, ~7u);
	lf_strmap_init(&k.at);
	r = lf_store_report_events(s, f, on_event, &k, err);
	/* the weeks: the period's, else those events came in */
	bool seen = k.first != INT64_MAX;
	lf_time_ms to = f->to ? f->to : seen ? k.last + MS_PER_WEEK : 0;
	lf_time_ms from = f->from ? f->from : seen ? k.first : to;
	for (lf_time_ms week = lf_week_start(from); !r && week < to; week += MS_PER_WEEK) {
		/* each week's new leads (only the period's days of its first and last) */
		struct lf_report_filter wf = *f;
		wf.from = week > from ? week : from;
		wf.to = week + MS_PER_WEEK < to ? week + MS_PER_WEEK : to;
		k.week = week;
		r = lf_store_report_paths(s, &wf, on_path, &k, err);
	}
	qsort(k.v, k.n, sizeof(k.v[0]), by_key);
	for (size_t i = 0; i < k.n && !r; i++)
		if ((!f->source || !strcmp(k.v[i].channel, f->source)) &&
		    (!f->campaign || !k.v[i].campaign || !strcmp(k.v[i].campaign, f->campaign)))
			r = add_row(out, &k.v[i]);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	for (size_t i = 0; i < k.n; i++) {
		free(k.v[i].channel);
		free(k.v[i].campaign);
	}
	free(k.v);
	lf_strmap_release(&k.at);
	return r;
}
