/*
 * cmd_spend.c - `leadflow spend show|what-if`: marketing's spend by channel
 * and campaign over a period, and the budget what-if (leadflow/report.h).
 * Spend comes in through `leadflow import spend` or POST /v1/spend.
 */
#include "cli.h"

#include <leadflow/report.h>

#include <stdio.h>
#include <stdlib.h>

enum { O_FROM, O_TO, O_MOVE };

static const struct cli_opt show_opts[] = {
	[O_FROM] = { "from", "DATE", "first day (default: every day)" },
	[O_TO] = { "to", "DATE", "the day after the last" },
	{ NULL, NULL, NULL },
};

static const struct cli_opt whatif_opts[] = {
	[O_FROM] = { "from", "DATE", "first day measured (default: 13 weeks before --to)" },
	[O_TO] = { "to", "DATE", "the day after the last measured (default: today)" },
	[O_MOVE] = { "move", "FROM:TO:AMOUNT[,...]", "spend a week moved from one channel to "
		     "another" },
	{ NULL, NULL, NULL },
};

static enum lf_result add_sum(void *ctx, const char *channel, const char *campaign,
			      double amount, int64_t days)
{
	char money[32], n[24];
	snprintf(money, sizeof(money), "%.2f", amount);
	snprintf(n, sizeof(n), "%lld", (long long)days);
	return lf_table_add(ctx, (const char *const[]){ channel, *campaign ? campaign : "(none)",
							 money, n });
}

static enum lf_result run_show(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	static const char *const headers[] = { "channel", "campaign", "amount", "days" };
	lf_time_ms from = 0, to = 0;
	struct lf_store *s;
	struct lf_table t;
	enum lf_result r;

	if ((a->opt[O_FROM] && (r = cli_time("from", a->opt[O_FROM], &from, err))) ||
	    (a->opt[O_TO] && (r = cli_time("to", a->opt[O_TO], &to, err))) ||
	    (r = cli_open_store(cli, &s, err)))
		return r;
	lf_table_init(&t, 4, headers, ~3u);
	if (!(r = lf_store_spend_sum(s, from, to, add_sum, &t, err)))
		lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	lf_store_close(s);
	return r;
}

static enum lf_result run_whatif(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_budget_move moves[16];
	struct lf_budget_result res;
	lf_time_ms to = lf_time_now(), from;
	size_t n = 0;
	struct lf_store *s;
	struct lf_table t;
	enum lf_result r;

	if ((a->opt[O_TO] && (r = cli_time("to", a->opt[O_TO], &to, err))))
		return r;
	from = to - 91 * LF_MS_PER_DAY;
	if ((a->opt[O_FROM] && (r = cli_time("from", a->opt[O_FROM], &from, err))))
		return r;
	if (a->opt[O_MOVE] && (r = lf_budget_parse_moves(a->opt[O_MOVE], moves, 16, &n, err))) {
		lf_error_prefix(err, "--move");
		return r;
	}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_budget_whatif(s, from, to, moves, n, &t, &res, err);
	if (!r) {
		if (cli->format == LF_OUT_TABLE)
			printf("a week, at the rates of %.1f weeks measured; the SDRs take %.1f MQLs a "
			       "week: %.1f bought beyond that now, %.1f in the scenario (%.2f and "
			       "%.2f of spend a week on leads nobody works)\n", res.weeks,
			       res.capacity, res.over[0], res.over[1], res.spend_lost[0],
			       res.spend_lost[1]);
		lf_table_print(&t, cli->format, stdout);
	}
	lf_table_release(&t);
	lf_store_close(s);
	return r;
}

static const struct cli_cmd spend_subs[] = {
	{ .name = "show", .opts = show_opts, .run = run_show,
	  .summary = "spend by channel and campaign over a period" },
	{ .name = "what-if", .opts = whatif_opts, .run = run_whatif,
	  .summary = "move spend between channels: leads, MQLs, wins and the load on sales" },
	{ .name = NULL },
};

const struct cli_cmd cmd_spend = {
	.name = "spend",
	.args = "COMMAND",
	.summary = "marketing's spend (import it with 'leadflow import spend'), and the budget "
		   "what-if",
	.subs = spend_subs,
};
