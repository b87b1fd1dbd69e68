/*
 * effort.c - the effort report: what sales put into the leads it was
 * handed, and what came of it, so that "marketing's leads convert worse"
 * can be told apart from "marketing's leads are worked less".
 *
 * Rows: per source, the leads handed to sales, the median hours from
 * handoff to first touch, touches and minutes per lead, and the conversion;
 * then marketing- and sales-sourced leads within bands of first-touch speed
 * and of minutes spent. The counts come from the store's aggregates, where
 * the wait to the first touch is kept rounded up to a tenth of an hour (an
 * hour past a day, a day past 60 days): the median is of those waits.
 * Conversion is to won among the leads whose fate is
 * decided (won, lost, recycled, disqualified): reaching sql would say
 * nothing of sales' own leads, which start there.
 */
#include <leadflow/report.h>

#include "core/stats.h"
#include "lifecycle/lifecycle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 256

struct cell {
	char group[64], band[32];
	int64_t leads, decided, won, touches;
	double minutes;
	struct lf_counts hours;  /* hours to first touch, for the median */
};

struct effort {
	struct cell c[MAX_GROUPS];
	size_t n;
	enum lf_result r;
	/* rows come cohort by cohort: the last source's cell, and each side's
	 * cells by band, found once (cell_of compares names) */
	char last[64];
	struct cell *last_cell;
	struct cell *side[2][1 + 5 + 3];
	bool have_side[2][1 + 5 + 3];
};

static const char *const speed_bands[] = { "first touch <= 1 h", "1-4 h", "4-24 h",
					   "> 24 h", "never touched" };
static const char *const minute_bands[] = { "minutes < 15", "15-60", "> 60" };

static struct cell *cell_of(struct effort *e, const char *group, const char *band)
{
	size_t i;
	for (i = 0; i < e->n; i++)
		if (!strcmp(e->c[i].group, group) && !strcmp(e->c[i].band, band))
			return &e->c[i];
	if (e->n == MAX_GROUPS)
		return NULL;
	memset(&e->c[i], 0, sizeof(e->c[i]));
	snprintf(e->c[i].group, sizeof(e->c[i].group), "%s", group);
	snprintf(e->c[i].band, sizeof(e->c[i].band), "%s", band);
	e->n++;
	return &e->c[i];
}

static enum lf_result add(struct cell *c, const struct lf_effort_count *l)
{
	if (!c)
		return LF_OK; /* more than MAX_GROUPS sources: the rest is not broken out */
	c->leads += l->n;
	c->touches += l->touches;
	c->minutes += l->minutes;
	if (l->stages & LF_DECIDED) {
		c->decided += l->n;
		c->won += (l->stages & LF_STAGE_BIT(LF_STAGE_WON)) ? l->n : 0;
	}
	if (l->wait >= 0)
		return lf_counts_add(&c->hours, (double)l->wait / 10.0, l->n);
	return LF_OK;
}

/* The cell of side k's band b (0: all, 1-5 speed, 6-8 minutes), found once. */
static struct cell *side_cell(struct effort *e, int k, int b, const char *name)
{
	if (!e->have_side[k][b]) {
		e->side[k][b] = cell_of(e, k ? "sales-sourced" : "marketing-sourced", name);
		e->have_side[k][b] = true;
	}
	return e->side[k][b];
}

static enum lf_result on_lead(void *ctx, const struct lf_effort_count *l)
{
	struct effort *e = ctx;
	const char *source = l->source ? l->source : "(none)";
	int k = lf_source_is_sales(l->source);
	/* tenths of an hour, rounded up: "<= 1 h" is "<= 10" */
	int speed = l->wait < 0 ? 4 : l->wait <= 10 ? 0 : l->wait <= 40 ? 1 : l->wait <= 240 ? 2 : 3;
	int minutes = l->minutes_band < 0 ? 0 : l->minutes_band > 2 ? 2 : l->minutes_band;
	enum lf_result r;

	if (!e->last_cell || strcmp(e->last, source)) {
		snprintf(e->last, sizeof(e->last), "%s", source);
		e->last_cell = cell_of(e, source, "all");
	}
	if ((r = add(e->last_cell, l)) ||
	    (r = add(side_cell(e, k, 0, "all"), l)) ||
	    (r = add(side_cell(e, k, 1 + speed, speed_bands[speed]), l)) ||
	    (r = add(side_cell(e, k, 6 + minutes, minute_bands[minutes]), l)))
		return r;
	return LF_OK;
}

/* Sources first (by name), then the two sides with their bands in order. */
static int rank(const struct cell *c)
{
	int side = !strcmp(c->group, "marketing-sourced") ? 1
		 : !strcmp(c->group, "sales-sourced") ? 2 : 0;
	int band = 0;
	if (strcmp(c->band, "all")) {
		for (int i = 0; i < 5; i++)
			if (!strcmp(c->band, speed_bands[i]))
				band = 1 + i;
		for (int i = 0; i < 3; i++)
			if (!strcmp(c->band, minute_bands[i]))
				band = 10 + i;
	}
	return side * 100 + band;
}

static int by_rank(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int d = rank(x) - rank(y);
	return d ? d : strcmp(x->group, y->group);
}

static const char *const headers[] = {
	"group", "band", "leads", "median_hours_to_first_touch", "touches_per_lead",
	"minutes_per_lead", "decided", "won_pct",
};

enum lf_result lf_report_effort(struct lf_store *s, const struct lf_report_filter *f,
				struct lf_table *out, struct lf_error *err)
{
	struct effort *e = calloc(1, sizeof(*e));
	enum lf_result r;

	lf_table_init(out, 8, headers, ~3u);
	if (!e)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	r = lf_store_report_efforts(s, f, on_lead, e, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	qsort(e->c, e->n, sizeof(e->c[0]), by_rank);
	for (size_t i = 0; i < e->n && !r; i++) {
		struct cell *c = &e->c[i];
		char v[8][64];
		const char *row[8];
		snprintf(v[0], 64, "%s", c->group);
		snprintf(v[1], 64, "%s", c->band);
		snprintf(v[2], 64, "%lld", (long long)c->leads);
		if (c->hours.n)
			snprintf(v[3], 64, "%.1f", lf_counts_median(&c->hours));
		else
			v[3][0] = '\0';
		snprintf(v[4], 64, "%.2f", c->leads ? (double)c->touches / (double)c->leads : 0);
		snprintf(v[5], 64, "%.1f", c->leads ? c->minutes / (double)c->leads : 0);
		snprintf(v[6], 64, "%lld", (long long)c->decided);
		if (c->decided)
			snprintf(v[7], 64, "%.1f", 100.0 * (double)c->won / (double)c->decided);
		else
			v[7][0] = '\0';
		for (int k = 0; k < 8; k++)
			row[k] = v[k];
		r = lf_table_add(out, row);
	}
	for (size_t i = 0; i < e->n; i++)
		lf_counts_release(&e->c[i].hours);
	free(e);
	return r;
}
