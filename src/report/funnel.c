/*
 * funnel.c - the funnel report. The leads per path (the stages they have
 * been at) come from the store's aggregates; a path's furthest stage on the
 * waterfall decides which columns count it. Rates are of the previous
 * column, in percent.
 */
#include <leadflow/report.h>
#include "lifecycle/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPATH LF_WATERFALL_STEPS
#define MAX_GROUPS 256

struct group {
	char name[64];
	int64_t reach[NPATH];
	int64_t lost, disqualified;
};

struct funnel {
	struct group g[MAX_GROUPS];
	size_t n;
	struct group marketing, sales;
};

static void count(struct group *g, int furthest, unsigned stages, int64_t n)
{
	for (int i = 0; i <= furthest; i++)
		g->reach[i] += n;
	g->lost += (stages & LF_STAGE_BIT(LF_STAGE_LOST)) ? n : 0;
	g->disqualified += (stages & LF_STAGE_BIT(LF_STAGE_DISQUALIFIED)) ? n : 0;
}

static enum lf_result on_path(void *ctx, const struct lf_path_count *p)
{
	struct funnel *f = ctx;
	const char *source = p->source;
	unsigned stages = lf_stages_reached(p->stages);
	const char *name = source ? source : "(none)";
	int furthest = lf_waterfall_furthest(p->stages);
	size_t i;

	for (i = 0; i < f->n && strcmp(f->g[i].name, name); i++)
		;
	if (i == f->n) {
		if (f->n == MAX_GROUPS - 1)
			name = "(other)";
		for (i = 0; i < f->n && strcmp(f->g[i].name, name); i++)
			;
		if (i == f->n) {
			memset(&f->g[i], 0, sizeof(f->g[i]));
			snprintf(f->g[i].name, sizeof(f->g[i].name), "%s", name);
			f->n++;
		}
	}
	count(&f->g[i], furthest, stages, p->n);
	count(lf_source_is_sales(source) ? &f->sales : &f->marketing, furthest, stages, p->n);
	return LF_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static const char *const headers[] = {
	"source", "leads", "mql", "assigned", "sal", "sql", "opportunity", "won", "lost",
	"disqualified", "lead_to_mql_pct", "mql_to_sql_pct", "sql_to_won_pct",
	"lead_to_won_pct",
};
#define NCOLS (sizeof(headers) / sizeof(headers[0]))

static void pct(char *buf, size_t cap, int64_t part, int64_t whole)
{
	if (whole)
		snprintf(buf, cap, "%.1f", 100.0 * (double)part / (double)whole);
	else
		buf[0] = '\0'; /* no leads: no rate, rather than a misleading 0 */
}

static enum lf_result add_row(struct lf_table *t, const struct group *g)
{
	char cells[NCOLS][64];
	const char *row[NCOLS];

	snprintf(cells[0], sizeof(cells[0]), "%s", g->name);
	for (size_t k = 0; k < NPATH; k++)
		snprintf(cells[1 + k], sizeof(cells[0]), "%lld", (long long)g->reach[k]);
	snprintf(cells[8], sizeof(cells[0]), "%lld", (long long)g->lost);
	snprintf(cells[9], sizeof(cells[0]), "%lld", (long long)g->disqualified);
	pct(cells[10], sizeof(cells[0]), g->reach[1], g->reach[0]);
	pct(cells[11], sizeof(cells[0]), g->reach[4], g->reach[1]);
	pct(cells[12], sizeof(cells[0]), g->reach[6], g->reach[4]);
	pct(cells[13], sizeof(cells[0]), g->reach[6], g->reach[0]);
	for (size_t i = 0; i < NCOLS; i++)
		row[i] = cells[i];
	return lf_table_add(t, row);
}

enum lf_result lf_report_funnel(struct lf_store *s, const struct lf_report_filter *f,
				struct lf_table *out, struct lf_error *err)
{
	struct funnel *fu = calloc(1, sizeof(*fu));
	enum lf_result r;

	lf_table_init(out, NCOLS, headers, ~1u);
	if (!fu)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	snprintf(fu->marketing.name, sizeof(fu->marketing.name), "marketing-sourced");
	snprintf(fu->sales.name, sizeof(fu->sales.name), "sales-sourced");
	r = lf_store_report_paths(s, f, on_path, fu, err);
	qsort(fu->g, fu->n, sizeof(fu->g[0]), by_name);
	for (size_t i = 0; i < fu->n && !r; i++)
		r = add_row(out, &fu->g[i]);
	if (!r)
		r = add_row(out, &fu->marketing);
	if (!r)
		r = add_row(out, &fu->sales);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	free(fu);
	return r;
}
