/*
 * cmd_report.c - `leadflow report NAME [filters]`: runs a report of the
 * report table and prints it as a table, CSV or JSON; `leadflow report
 * rebuild` recomputes the aggregates the reports read.
 */
#include "cli.h"
#include <leadflow/report.h>

#include <stdio.h>
#include <string.h>

enum { O_FROM, O_TO, O_SOURCE, O_CAMPAIGN, O_TEAM, O_OUTCOME, O_WEEKS, O_VALUE, O_ATTRIB };

static const struct cli_opt report_opts[] = {
	[O_FROM] = { "from", "DATE", "leads created on or after" },
	[O_TO] = { "to", "DATE", "leads created before" },
	[O_SOURCE] = { "source", "S", "leads of this source only" },
	[O_CAMPAIGN] = { "campaign", "C", "leads of this campaign only" },
	[O_TEAM] = { "team", "T", "leads owned by this team's reps only" },
	[O_OUTCOME] = { "outcome", "sql|won", "what counts as converted (default sql; won "
			"looks at decided leads only)" },
	[O_WEEKS] = { "weeks", "N", "forecast: weeks ahead, and weeks held out to back-test "
		      "(default 4)" },
	[O_VALUE] = { "value-field", "F", "forecast: the numeric attribute that is a lead's "
		      "value (default close_value)" },
	[O_ATTRIB] = { "attribution", "first|last", "channels: a lead counts for the channel "
		       "it came from (first, the default) or of its last touch before it "
		       "qualified (last)" },
	{ NULL, NULL, NULL },
};

struct report_run {
	const struct lf_report *rep;
	const struct lf_report_filter *f;
};

static enum lf_result fill_report(void *ctx, struct lf_store *s, struct lf_table *t,
				  struct lf_error *err)
{
	const struct report_run *run = ctx;
	return run->rep->run(s, run->f, t, err);
}

/* The forecast has three parts (cli_print_tables). */
static enum lf_result run_forecast(struct cli *cli, const struct cli_args *a,
				   const struct lf_report_filter *f, struct lf_error *err)
{
	struct lf_forecast fc;
	struct lf_store *s;
	long long weeks = 4;
	enum lf_result r;
	if (a->opt[O_WEEKS] && (r = cli_int("weeks", a->opt[O_WEEKS], 1, 52, &weeks, err)))
		return r;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_report_forecast_all(s, f, (int)weeks, a->opt[O_VALUE], &fc, err);
	lf_store_close(s);
	if (r)
		return r;
	const struct lf_table *parts[3] = { &fc.backtest, &fc.weeks, &fc.pipeline };
	const char *names[3] = { "backtest", "weeks", "pipeline" };
	const char *empty[3] = { "too short a history to hold weeks out",
				 "too short a history to forecast", "no open sql or opportunity" };
	cli_print_tables(cli, 3, names, parts, empty);
	lf_forecast_release(&fc);
	return LF_OK;
}

/* The aggregates recomputed from the leads, transitions and touches. */
static enum lf_result run_rebuild(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_store *s;
	enum lf_result r;
	lf_time_ms t0 = lf_time_now();

	for (size_t i = 0; report_opts[i].name; i++)
		if (a->opt[i]) {
			lf_error_set(err, LF_ERR_USAGE, "--%s: report rebuild takes no option",
				     report_opts[i].name);
			return LF_ERR_USAGE;
		}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_store_aggregates_rebuild(s, err);
	lf_store_close(s);
	if (!r) {
		lf_time_ms ms = lf_time_now() - t0;
		cli_say(cli, json_pack("{s:b, s:I}", "rebuilt", 1, "ms", (json_int_t)ms),
			"the reports' aggregates were recomputed from every lead (%lld ms)",
			(long long)ms);
	}
	return r;
}

static enum lf_result run_report(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_report_filter f = { 0 };
	const struct lf_report *rep;
	enum lf_result r;

	if (!strcmp(a->argv[0], "rebuild"))
		return run_rebuild(cli, a, err);
	if (!(rep = lf_report_find(a->argv[0], err)))
		return err->code = LF_ERR_USAGE;
	/* a filter this report would ignore is refused (names as the API's) */
	for (size_t i = 0; report_opts[i].name; i++) {
		char param[32];
		snprintf(param, sizeof(param), "%s", report_opts[i].name);
		for (char *p = param; *p; p++)
			if (*p == '-')
				*p = '_';
		if (a->opt[i] && lf_report_takes(rep, param, err)) {
			lf_error_prefix(err, "--%s", report_opts[i].name);
			return err->code = LF_ERR_USAGE;
		}
	}
	if ((a->opt[O_FROM] && (r = cli_time("from", a->opt[O_FROM], &f.from, err))) ||
	    (a->opt[O_TO] && (r = cli_time("to", a->opt[O_TO], &f.to, err))))
		return r;
	f.source = a->opt[O_SOURCE];
	f.campaign = a->opt[O_CAMPAIGN];
	f.team = a->opt[O_TEAM];
	if ((r = lf_report_outcome(a->opt[O_OUTCOME], &f, err)) ||
	    (r = lf_report_attribution(a->opt[O_ATTRIB], &f, err)))
		return err->code = LF_ERR_USAGE;
	if (!strcmp(rep->name, "forecast"))
		return run_forecast(cli, a, &f, err);
	struct report_run run = { rep, &f };
	return cli_print_table(cli, fill_report, &run, err);
}

const struct cli_cmd cmd_report = {
	.name = "report",
	.args = "NAME",
	.summary = "reports: funnel, clicks-vs-feeling, calibration, feedback, effort, capacity, "
		   "forecast, sla, gate; rebuild recomputes their aggregates",
	.opts = report_opts,
	.run = run_report,
	.min_args = 1,
	.max_args = 1,
};
