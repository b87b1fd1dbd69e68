/*
 * cmd_rep.c - `leadflow rep add|set|list`: the reps sales managers manage,
 * with the capacity the gate counts on (weekly hours, most active leads,
 * pools, time away).
 */
#include "cli.h"

#include <leadflow/json.h>
#include <leadflow/rep.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_TEAM, O_POOLS, O_HOURS, O_MAX, O_AWAY, O_AWAY_FROM, O_AWAY_TO, O_BACK, O_TIER };

static const struct cli_opt rep_opts[] = {
	[O_TEAM] = { "team", "T", "the rep's team" },
	[O_POOLS] = { "pools", "P,P", "routing pools the rep takes leads from" },
	[O_HOURS] = { "weekly-hours", "H", "hours a week (default 40)" },
	[O_MAX] = { "max-active", "N", "most leads at once (default 50)" },
	[O_AWAY] = { "away", NULL, "away until --back" },
	[O_AWAY_FROM] = { "away-from", "TIME", "away from this time" },
	[O_AWAY_TO] = { "away-to", "TIME", "until this time" },
	[O_BACK] = { "back", NULL, "no longer away" },
	[O_TIER] = { "tier", "sdr|ae", "inside sales (sdr, the default) or account executive "
		     "(ae)" },
	{ NULL, NULL, NULL },
};

/* The same options for a change: what is not given stays as it is. */
static const struct cli_opt set_opts[] = {
	[O_TEAM] = { "team", "T", "the rep's team" },
	[O_POOLS] = { "pools", "P,P", "routing pools the rep takes leads from" },
	[O_HOURS] = { "weekly-hours", "H", "hours a week" },
	[O_MAX] = { "max-active", "N", "most leads at once" },
	[O_AWAY] = { "away", NULL, "away until --back" },
	[O_AWAY_FROM] = { "away-from", "TIME", "away from this time" },
	[O_AWAY_TO] = { "away-to", "TIME", "until this time" },
	[O_BACK] = { "back", NULL, "no longer away" },
	[O_TIER] = { "tier", "sdr|ae", "inside sales (sdr) or account executive (ae)" },
	{ NULL, NULL, NULL },
};

/* Lays the options given over rep. */
static enum lf_result apply_opts(const struct cli_args *a, struct lf_rep *rep,
				 struct lf_error *err)
{
	long long n;
	enum lf_result r;
	if (a->opt[O_TEAM] && (r = lf_set_str(&rep->team, a->opt[O_TEAM])))
		return lf_error_set(err, r, "out of memory");
	if (a->opt[O_POOLS] && (r = lf_set_str(&rep->pools, a->opt[O_POOLS])))
		return lf_error_set(err, r, "out of memory");
	if (a->opt[O_HOURS]) {
		char *end;
		double h = strtod(a->opt[O_HOURS], &end);
		if (*end || end == a->opt[O_HOURS])
			return lf_error_field(err, LF_ERR_USAGE, "weekly-hours",
					      "--weekly-hours: a number of hours, got '%s'",
					      a->opt[O_HOURS]);
		rep->weekly_hours = h;
	}
	if (a->opt[O_MAX]) {
		if ((r = cli_int("max-active", a->opt[O_MAX], INT32_MIN, INT32_MAX, &n, err)))
			return r;
		rep->max_active = (int)n;
	}
	if ((a->opt[O_AWAY_FROM] && (r = cli_time("away-from", a->opt[O_AWAY_FROM],
						 &rep->away_from, err))) ||
	    (a->opt[O_AWAY_TO] && (r = cli_time("away-to", a->opt[O_AWAY_TO], &rep->away_to, err))))
		return r;
	if (a->opt[O_TIER] && lf_tier_parse(a->opt[O_TIER], "tier", &rep->tier, err)) {
		cli_name_option(err, rep_opts);
		return err->code = LF_ERR_USAGE;
	}
	if (a->opt[O_AWAY])
		rep->away = true;
	if (a->opt[O_BACK])
		rep->away = false, rep->away_from = rep->away_to = 0;
	return LF_OK;
}

/* The domain's check of a rep, its field named as the option (--weekly-hours). */
static enum lf_result checked(const struct lf_rep *rep, struct lf_error *err)
{
	if (!lf_rep_check(rep, err))
		return LF_OK;
	cli_name_option(err, rep_opts);
	return err->code = LF_ERR_USAGE;
}

static enum lf_result run_add(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_rep rep = { .weekly_hours = 40, .max_active = 50 };
	struct lf_store *s;
	enum lf_result r;
	if ((r = lf_set_str(&rep.name, a->argv[0])) || (r = apply_opts(a, &rep, err)) ||
	    (r = checked(&rep, err)) ||
	    (r = cli_open_store(cli, &s, err))) {
		lf_rep_release(&rep);
		return r;
	}
	r = lf_store_rep_insert(s, &rep, err);
	if (r == LF_ERR_CONFLICT)
		lf_error_field(err, r, "name", "a rep named '%s' already exists", rep.name);
	if (!r)
		cli_say(cli, lf_rep_json(&rep), "rep %lld: %s", (long long)rep.id, rep.name);
	lf_store_close(s);
	lf_rep_release(&rep);
	return r;
}

static enum lf_result run_set(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_rep rep = { 0 };
	struct lf_store *s;
	enum lf_result r;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_store_rep_find(s, a->argv[0], &rep, err);
	if (r == LF_ERR_NOT_FOUND)
		r = lf_error_set(err, LF_ERR_USAGE, "no rep named '%s'", a->argv[0]);
	if (!r && !(r = apply_opts(a, &rep, err)) && !(r = checked(&rep, err)) &&
	    !(r = lf_store_rep_update(s, &rep, err)))
		cli_say(cli, lf_rep_json(&rep), "rep %lld: %s updated", (long long)rep.id,
			rep.name);
	lf_rep_release(&rep);
	lf_store_close(s);
	return r;
}

static enum lf_result add_row(void *ctx, const struct lf_rep *r)
{
	char id[24], hours[24], max[24], from[LF_TIME_STR_MAX] = "", to[LF_TIME_STR_MAX] = "";
	snprintf(id, sizeof(id), "%lld", (long long)r->id);
	snprintf(hours, sizeof(hours), "%g", r->weekly_hours);
	snprintf(max, sizeof(max), "%d", r->max_active);
	if (r->away_from)
		lf_time_format(r->away_from, from);
	if (r->away_to)
		lf_time_format(r->away_to, to);
	const char *row[10] = { id, r->name, lf_tier_name(r->tier), r->team ? r->team : "",
				r->pools ? r->pools : "", hours, max, r->away ? "yes" : "no", from,
				to };
	return lf_table_add(ctx, row);
}

static enum lf_result fill_reps(void *ctx, struct lf_store *s, struct lf_table *t,
				struct lf_error *err)
{
	static const char *const headers[] = { "id", "name", "tier", "team", "pools",
					       "weekly_hours", "max_active", "away", "away_from",
					       "away_to" };
	(void)ctx;
	lf_table_init(t, 10, headers, 1u << 0 | 1u << 5 | 1u << 6);
	return lf_store_rep_list(s, add_row, t, err);
}

static enum lf_result fill_json(struct lf_store *s, json_t *list, struct lf_error *err)
{
	return lf_store_rep_list(s, lf_rep_json_append, list, err);
}

/* For machines, the same objects as GET /v1/reps. */
static enum lf_result run_list(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	(void)a;
	if (cli->format == LF_OUT_TABLE)
		return cli_print_table(cli, fill_reps, NULL, err);
	return cli_print_json_list(cli, "reps", fill_json, err);
}

static const struct cli_cmd rep_subs[] = {
	{ .name = "add", .args = "NAME", .opts = rep_opts, .run = run_add, .min_args = 1,
	  .max_args = 1, .summary = "add a rep" },
	{ .name = "set", .args = "NAME", .opts = set_opts, .run = run_set, .min_args = 1,
	  .max_args = 1, .summary = "change a rep's tier, team, pools, hours, limit or time away" },
	{ .name = "list", .run = run_list, .summary = "the reps" },
	{ .name = NULL },
};

const struct cli_cmd cmd_rep = {
	.name = "rep",
	.args = "COMMAND",
	.summary = "reps and their capacity: add, set, list",
	.subs = rep_subs,
};
