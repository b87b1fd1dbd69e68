/*
 * cmd_simulate.c - `leadflow simulate`: the stored history replayed through
 * the gate as it is (the baseline) and with other capacities, floor or
 * model, week by week side by side (leadflow/gate.h).
 */
#include "cli.h"

#include <leadflow/gate.h>
#include <leadflow/model.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_FROM, O_TO, O_REPS, O_HOURS, O_FLOOR, O_MODEL, O_SEED, O_WORK, O_AES };

static const struct cli_opt sim_opts[] = {
	[O_FROM] = { "from", "DATE", "first day replayed (default: 12 weeks before --to)" },
	[O_TO] = { "to", "DATE", "the day after the last replayed (default: today)" },
	[O_REPS] = { "reps-delta", "N", "SDRs added (negative: removed)" },
	[O_HOURS] = { "hours-delta", "H", "weekly hours added to each rep" },
	[O_FLOOR] = { "floor", "F", "another floor" },
	[O_MODEL] = { "model", "FILE", "another model file" },
	[O_SEED] = { "seed", "S", "for the hours of first touches (default 1)" },
	[O_WORK] = { "work-days", "N", "days a released lead holds a slot (default 14)" },
	[O_AES] = { "aes-delta", "N", "account executives added (negative: removed)" },
	{ NULL, NULL, NULL },
};

static enum lf_result number(const char *opt, const char *v, double *out, struct lf_error *err)
{
	char *end;
	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end)
		return lf_error_field(err, LF_ERR_USAGE, opt, "--%s: a number, got '%s'", opt, v);
	return LF_OK;
}

static enum lf_result run_simulate(struct cli *cli, const struct cli_args *a,
				   struct lf_error *err)
{
	struct lf_sim_options base = { 0 }, alt;
	struct lf_sim_result rb, ra;
	struct lf_model_def other;
	struct lf_store *s;
	struct lf_table t;
	long long n;
	double d;
	enum lf_result r;

	base.to = lf_time_now();
	base.seed = 1;
	base.work_days = 14;
	if ((a->opt[O_TO] && (r = cli_time("to", a->opt[O_TO], &base.to, err))))
		return r;
	base.from = base.to - 84 * 86400000LL;
	if ((a->opt[O_FROM] && (r = cli_time("from", a->opt[O_FROM], &base.from, err))) ||
	    (a->opt[O_SEED] && (r = cli_int("seed", a->opt[O_SEED], 0, INT64_MAX, &n, err))))
		return r;
	if (a->opt[O_SEED])
		base.seed = (uint64_t)n;
	if (a->opt[O_WORK]) {
		if ((r = cli_int("work-days", a->opt[O_WORK], 1, 365, &n, err)))
			return r;
		base.work_days = (int)n;
	}
	lf_capacity_defaults(&base.cap, base.to);
	alt = base;
	if (a->opt[O_REPS]) {
		if ((r = number("reps-delta", a->opt[O_REPS], &d, err)))
			return r;
		alt.reps_delta = (int)d;
	}
	if (a->opt[O_AES]) {
		if ((r = number("aes-delta", a->opt[O_AES], &d, err)))
			return r;
		alt.aes_delta = (int)d;
	}
	if (a->opt[O_HOURS] && (r = number("hours-delta", a->opt[O_HOURS], &alt.hours_delta, err)))
		return r;
	if (a->opt[O_FLOOR]) {
		if ((r = number("floor", a->opt[O_FLOOR], &alt.floor, err)))
			return r;
		alt.has_floor = true;
	}
	if (a->opt[O_MODEL]) {
		char *text;
		if ((r = cli_load_model(a->opt[O_MODEL], &text, &other, err)))
			return r;
		free(text);
		alt.model = &other;
	}
	if ((r = cli_open_store(cli, &s, err)))
		goto model;
	if ((r = lf_simulate_compare(s, &base, &alt, &t, &rb, &ra, err))) {
		lf_table_release(&t);
		goto store;
	}
	if (cli->format == LF_OUT_TABLE)
		printf("baseline: %d SDRs, %.0f weekly hours, %d AEs, floor %.1f; scenario: %d "
		       "SDRs, %.0f weekly hours, %d AEs, floor %.1f%s; expected conversions from "
		       "%s\n", rb.reps, rb.weekly_hours, rb.aes, rb.floor, ra.reps, ra.weekly_hours,
		       ra.aes, ra.floor,
		       a->opt[O_MODEL] ? ", another model" : "",
		       rb.truth ? "the demo world's hidden truth"
				: "the won rate of each score decile in the decided history");
	lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	lf_sim_result_release(&ra);
	lf_sim_result_release(&rb);
store:
	lf_store_close(s);
model:
	if (a->opt[O_MODEL])
		lf_model_def_release(&other);
	return r;
}

const struct cli_cmd cmd_simulate = {
	.name = "simulate",
	.summary = "replay history through the gate with other capacities, floor or model",
	.opts = sim_opts,
	.run = run_simulate,
};
