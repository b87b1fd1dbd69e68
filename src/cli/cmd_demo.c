/*
 * cmd_demo.c - `leadflow demo`: builds the demo world into the database and
 * prints a summary of it (leads by source and stage, read back from the
 * store), or exports the world as files with --export.
 */
#include "cli.h"

#include <leadflow/demo.h>
#include <stdlib.h>
#include <string.h>

enum { O_LEADS, O_SEED, O_EXPORT, O_DAYS, O_END };

static const struct cli_opt demo_opts[] = {
	[O_LEADS] = { "leads", "N", "how many leads (default 5000)" },
	[O_SEED] = { "seed", "S", "random seed: the same seed, the same world (default 1)" },
	[O_EXPORT] = { "export", "DIR", "write the world as CSV/NDJSON files to DIR "
		       "instead of the database" },
	[O_DAYS] = { "days", "N", "days of history up to the end (default 180)" },
	[O_END] = { "end", "TIME", "the world's end: a date or time, or 'now' (default 2026-11-01, "
		    "so that the same seed gives the same world on any day)" },
	{ NULL, NULL, NULL },
};

#define MAX_SOURCES 64

struct summary {
	char *sources[MAX_SOURCES];
	int64_t n[MAX_SOURCES][LF_STAGE_COUNT];
	size_t nsources;
};

static enum lf_result add_count(void *ctx, enum lf_stage stage, const char *source,
				int64_t n)
{
	struct summary *s = ctx;
	const char *name = source ? source : "(none)";
	size_t i;

	for (i = 0; i < s->nsources && strcmp(s->sources[i], name); i++)
		;
	if (i == s->nsources) {
		if (i == MAX_SOURCES - 1)
			name = "(other)";
		for (i = 0; i < s->nsources && strcmp(s->sources[i], name); i++)
			;
		if (i == s->nsources) {
			if (!(s->sources[i] = strdup(name)))
				return LF_ERR_NOMEM;
			s->nsources++;
		}
	}
	s->n[i][stage] += n;
	return LF_OK;
}

/* Leads by source (rows) and stage (columns), with totals. */
static enum lf_result print_summary(struct cli *cli, struct lf_store *st,
				    struct lf_error *err)
{
	struct summary *s = calloc(1, sizeof(*s));
	const char *headers[LF_STAGE_COUNT + 2];
	char cells[LF_STAGE_COUNT + 2][24];
	const char *row[LF_STAGE_COUNT + 2];
	int64_t col_total[LF_STAGE_COUNT + 1] = { 0 };
	struct lf_table t;
	enum lf_result r;

	if (!s)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if ((r = lf_store_lead_counts(st, add_count, s, err)))
		goto out;
	headers[0] = "source";
	for (int i = 0; i < LF_STAGE_COUNT; i++)
		headers[i + 1] = lf_stage_name((enum lf_stage)i);
	headers[LF_STAGE_COUNT + 1] = "total";
	for (int i = 0; i < LF_STAGE_COUNT + 2; i++)
		row[i] = cells[i];
	lf_table_init(&t, LF_STAGE_COUNT + 2, headers, ~1u);
	for (size_t i = 0; i <= s->nsources; i++) {
		int64_t total = 0;
		snprintf(cells[0], 24, "%s", i < s->nsources ? s->sources[i] : "total");
		for (int k = 0; k < LF_STAGE_COUNT; k++) {
			int64_t v = i < s->nsources ? s->n[i][k] : col_total[k];
			if (i < s->nsources)
				col_total[k] += v;
			total += v;
			snprintf(cells[k + 1], 24, "%lld", (long long)v);
		}
		snprintf(cells[LF_STAGE_COUNT + 1], 24, "%lld", (long long)total);
		if ((r = lf_table_add(&t, row)))
			break;
	}
	if (!r)
		lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
out:
	for (size_t i = 0; i < s->nsources; i++)
		free(s->sources[i]);
	free(s);
	return r;
}

static enum lf_result count_all(void *ctx, enum lf_stage stage, const char *source,
				int64_t n)
{
	(void)stage;
	(void)source;
	*(int64_t *)ctx += n;
	return LF_OK;
}

static enum lf_result run_demo(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_demo_options o = { .leads = 5000, .seed = 1 };
	struct lf_demo_stats stats;
	struct lf_store *s = NULL;
	enum lf_result r;
	long long v;

	if (a->opt[O_LEADS]) {
		if ((r = cli_int("leads", a->opt[O_LEADS], 1, 100000000, &v, err)))
			return r;
		o.leads = v;
	}
	if (a->opt[O_SEED]) {
		if ((r = cli_int("seed", a->opt[O_SEED], 0, INT64_MAX, &v, err)))
			return r;
		o.seed = (uint64_t)v;
	}
	if (a->opt[O_END] && !strcmp(a->opt[O_END], "now")) {
		o.end = lf_time_now();
	} else if (a->opt[O_END] && lf_time_parse(a->opt[O_END], &o.end, NULL)) {
		return lf_error_field(err, LF_ERR_USAGE, "end", "--end must be 'now' or an ISO 8601 "
				      "date or time, got '%s'", a->opt[O_END]);
	}
	if (a->opt[O_DAYS]) {
		if ((r = cli_int("days", a->opt[O_DAYS], 1, 3650, &v, err)))
			return r;
		o.days = (int)v;
	}
	if (a->opt[O_EXPORT]) {
		if ((r = lf_demo_export(a->opt[O_EXPORT], &o, &stats, err)))
			return r;
		fprintf(stderr, "exported %lld leads, %lld events, %lld touches, %lld "
			"transitions, %lld reps to '%s'\n", (long long)stats.leads,
			(long long)stats.events, (long long)stats.touches,
			(long long)stats.transitions, (long long)stats.reps, a->opt[O_EXPORT]);
		return LF_OK;
	}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	int64_t held = 0;
	if ((r = lf_store_lead_counts(s, count_all, &held, err)))
		goto out;
	if (held) {
		r = lf_error_set(err, LF_ERR_USAGE, "'%s' already holds %lld leads: the demo world "
				 "is built in an empty database (leadflow --db NEW.db init, then "
				 "demo)", cli->db_shown, (long long)held);
		goto out;
	}
	if (!(r = lf_demo_build(s, &o, &stats, err))) {
		if (cli->format == LF_OUT_TABLE)
			printf("demo world in '%s': %lld leads, %lld events, %lld touches, "
			       "%lld transitions, %lld reps (seed %llu)\n\nleads by source "
			       "and stage:\n", cli->db_shown, (long long)stats.leads,
			       (long long)stats.events, (long long)stats.touches,
			       (long long)stats.transitions, (long long)stats.reps,
			       (unsigned long long)o.seed);
		r = print_summary(cli, s, err);
	}
out:
	lf_store_close(s);
	return r;
}

const struct cli_cmd cmd_demo = {
	.name = "demo",
	.summary = "build a realistic synthetic world (or export it as files)",
	.opts = demo_opts,
	.run = run_demo,
};
