/*
 * cmd_gate.c - `leadflow gate show|run|history|sla`: the capacity gate's
 * state, a run of it, the threshold's history, the SLA check.
 */
#include "cli.h"

#include <leadflow/config.h>
#include <leadflow/gate.h>
#include <leadflow/report.h>
#include <leadflow/score.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_AT, O_CONFIG };

static const struct cli_opt run_opts[] = {
	[O_AT] = { "at", "TIME", "run as of this time (default now)" },
	[O_CONFIG] = { "config", "FILE", "capacity settings (utilisation_pct, lead_minutes, "
					 "opportunity_minutes; also LEADFLOW_*)" },
	{ NULL, NULL, NULL },
};

static enum lf_result settings(const struct cli_args *a, struct lf_capacity_settings *set,
			       struct lf_error *err);

/* The threshold's history, newest first: the gate report, unfiltered. */
static enum lf_result history(struct cli *cli, struct lf_store *s, struct lf_error *err)
{
	struct lf_report_filter f = { 0 };
	struct lf_table t;
	enum lf_result r = lf_report_gate(s, &f, &t, err);
	if (!r)
		lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	return r;
}

static enum lf_result run_run(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_gate_result g;
	struct lf_store *s;
	enum lf_result r;

	if ((r = settings(a, &set, err)) || (r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_gate_run(s, &set, &g, err)))
		cli_say(cli, lf_gate_result_json(&g), "gate: %d free slots; %d entered the pool, "
			"%d back to nurture; %d released, %d to the managers' queue, %d waiting; "
			"threshold %.1f (floor %.1f)", g.free_slots, g.entered, g.nurtured,
			g.released, g.to_managers, g.waiting, g.threshold, g.floor);
	lf_store_close(s);
	return r;
}

/* The capacity settings: defaults, --config, LEADFLOW_*, as of --at. */
static enum lf_result settings(const struct cli_args *a, struct lf_capacity_settings *set,
			       struct lf_error *err)
{
	struct lf_config cfg;
	lf_time_ms at = lf_time_now();
	enum lf_result r;
	lf_config_defaults(&cfg);
	if ((a->opt[O_AT] && (r = cli_time("at", a->opt[O_AT], &at, err))) ||
	    (a->opt[O_CONFIG] && (r = lf_config_load(&cfg, a->opt[O_CONFIG], err))) ||
	    (r = lf_config_env(&cfg, err)))
		return r;
	lf_capacity_from_config(&cfg, at, set);
	return LF_OK;
}

static enum lf_result run_sla(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_sla_result res;
	struct lf_store *s;
	enum lf_result r;
	if ((r = settings(a, &set, err)) || (r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_sla_run(s, &set, &res, err)))
		cli_say(cli, lf_sla_result_json(&res), "sla: %d open assignments checked; %d "
			"touched in time, %d breached, %d reassigned, %d past the limit with nobody "
			"free", res.checked, res.met, res.breached, res.reassigned, res.unassignable);
	lf_store_close(s);
	return r;
}

static enum lf_result run_handoff(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_handoff_result res;
	struct lf_store *s;
	enum lf_result r;
	if ((r = settings(a, &set, err)) || (r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_handoff_run(s, &set, &res, err)) && res.no_room)
		cli_say(cli, json_pack("{s:b, s:i}", "no_room", 1, "handed", 0),
			"handoff: no account executive has a free slot; nothing handed");
	else if (!r)
		cli_say(cli, json_pack("{s:b, s:i, s:i, s:i, s:i}", "no_room", 0, "checked",
				       res.checked, "handed", res.handed, "waiting", res.waiting,
				       "unrouted", res.unrouted),
			"handoff: %d SQLs waiting for an account executive; %d handed, %d still "
			"waiting (no AE of their pool has room), %d no routing rule takes",
			res.checked, res.handed, res.waiting, res.unrouted);
	lf_store_close(s);
	return r;
}

static enum lf_result run_recycle(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_store *s;
	struct lf_model_def def;
	lf_time_ms at = lf_time_now();
	int checked, recycled, version = 0;
	enum lf_result r;
	if ((a->opt[O_AT] && (r = cli_time("at", a->opt[O_AT], &at, err))) ||
	    (r = cli_open_store(cli, &s, err)))
		return r;
	/* no active model: no rules to apply */
	if ((r = lf_model_active(s, &def, &version, err)) == LF_ERR_NOT_FOUND)
		r = LF_OK;
	if (!r)
		r = lf_recycle_run(s, version ? &def : NULL, version, at, &checked, &recycled, err);
	if (version)
		lf_model_def_release(&def);
	if (!r)
		cli_say(cli, json_pack("{s:i, s:i}", "checked", checked, "recycled", recycled),
			"recycle: %d leads long enough at their stage checked; %d recycled by the "
			"model's rules", checked, recycled);
	lf_store_close(s);
	return r;
}

static enum lf_result fill_history(void *ctx, struct lf_store *s, struct lf_table *t,
				   struct lf_error *err)
{
	struct lf_report_filter f = { 0 };
	(void)ctx;
	return lf_report_gate(s, &f, t, err);
}

static enum lf_result run_status(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	(void)a;
	return cli_print_table(cli, fill_history, NULL, err);
}

/* Threshold, floor, free slots by team, the pool, releases today, then the history. */
static enum lf_result run_gate_show(struct cli *cli, const struct cli_args *a,
				    struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_gate_status st;
	struct lf_store *s;
	enum lf_result r;

	if ((r = settings(a, &set, err)) || (r = cli_open_store(cli, &s, err)))
		return r;
	if (cli->format != LF_OUT_TABLE) {
		/* the document GET /v1/gate answers */
		json_t *doc;
		if (!(r = lf_gate_status_json(s, &set, 50, &doc, err)))
			cli_print_doc(cli, doc);
		lf_store_close(s);
		return r;
	}
	if (!(r = lf_gate_status(s, &set, &st, err))) {
		const struct lf_capacity *cap = &st.cap;
		if (st.ran)
			printf("threshold %.1f (floor %.1f); %d free slots; %lld leads at mql, "
			       "%lld waiting at the last change; %lld released today\n",
			       st.last.threshold, st.last.floor, cap->free_slots, (long long)st.pool,
			       (long long)st.last.pool, (long long)st.released_today);
		else
			printf("the gate has not run yet; %d free slots; %lld leads at mql\n",
			       cap->free_slots, (long long)st.pool);
		for (size_t t = 0; t < cap->nteams; t++)
			printf("  team %-16s %3d reps  %5d free slots  %.0f min a lead (%d measured)"
			       "  %.0f min an opportunity (%d measured)\n",
			       *cap->teams[t].team ? cap->teams[t].team : "(none)", cap->teams[t].reps,
			       cap->teams[t].free_slots, cap->teams[t].lead_minutes,
			       cap->teams[t].leads_measured, cap->teams[t].opportunity_minutes,
			       cap->teams[t].opportunities_measured);
		if (cap->aes)
			printf("  account executives: %d, %d free slots for SQLs (an SQL costs the "
			       "time of an opportunity)\n", cap->aes, cap->ae_free_slots);
		lf_gate_status_release(&st);
		r = history(cli, s, err);
	}
	lf_store_close(s);
	return r;
}

static const struct cli_cmd gate_subs[] = {
	{ .name = "show", .opts = run_opts, .run = run_gate_show,
	  .summary = "threshold, floor, free slots by team, pool, releases today, history" },
	{ .name = "run", .opts = run_opts, .run = run_run,
	  .summary = "run the gate now: pool, release to routing, threshold" },
	{ .name = "history", .run = run_status,
	  .summary = "the threshold's changes, newest first" },
	{ .name = "sla", .opts = run_opts, .run = run_sla,
	  .summary = "check the first-touch clocks: breaches, reassignments" },
	{ .name = "handoff", .opts = run_opts, .run = run_handoff,
	  .summary = "hand the SQLs to account executives now (the server does every 10 s)" },
	{ .name = "recycle", .opts = run_opts, .run = run_recycle,
	  .summary = "apply the model's recycle rules now (the server does once a minute)" },
	{ .name = NULL },
};

const struct cli_cmd cmd_gate = {
	.name = "gate",
	.args = "COMMAND",
	.summary = "the capacity gate: run it, check SLA clocks, see the threshold's history",
	.subs = gate_subs,
};
