/*
 * cmd_touch.c - `leadflow touch add LEAD --kind K --minutes N`: a rep's
 * call, email, meeting or note, through the same checks as an import row.
 */
#include "cli.h"
#include <leadflow/rep.h>

#include <leadflow/import.h>
#include <stdio.h>
#include <string.h>

enum { O_KIND, O_MINUTES, O_OUTCOME, O_AT, O_REP };

static const struct cli_opt add_opts[] = {
	[O_KIND] = { "kind", "K", "call, email, meeting or note" },
	[O_MINUTES] = { "minutes", "N", "time spent" },
	[O_OUTCOME] = { "outcome", "TEXT", "what came of it" },
	[O_AT] = { "at", "TIME", "when (default now)" },
	[O_REP] = { "rep", "NAME|ID", "who (a rep that exists: rep add)" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_add(struct cli *cli, const struct cli_args *a,
			      struct lf_error *err)
{
	const char *names[7], *values[7];
	char at[LF_TIME_STR_MAX], lead[32];
	struct lf_import_summary sum;
	struct lf_store *s;
	struct lf_lead l;
	struct lf_rep rep = { 0 };
	enum lf_result r;
	size_t n = 0;
	int64_t id;

	if (!a->opt[O_KIND])
		return lf_error_field(err, LF_ERR_USAGE, "kind",
				      "'touch add' needs --kind call|email|meeting|note");
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto out;
	snprintf(lead, sizeof(lead), "%lld", (long long)l.id);
	lf_lead_release(&l);
	lf_time_format(lf_time_now(), at);
	names[n] = "lead_id", values[n++] = lead;
	names[n] = "kind", values[n++] = a->opt[O_KIND];
	names[n] = "at", values[n++] = a->opt[O_AT] ? a->opt[O_AT] : at;
	if (a->opt[O_MINUTES])
		names[n] = "minutes", values[n++] = a->opt[O_MINUTES];
	if (a->opt[O_OUTCOME])
		names[n] = "outcome", values[n++] = a->opt[O_OUTCOME];
	if (a->opt[O_REP]) {
		if ((r = lf_rep_lookup(s, a->opt[O_REP], true, "rep", &rep, err))) {
			lf_error_prefix(err, "--rep");
			goto out;
		}
		names[n] = "rep", values[n++] = rep.name;
	}
	r = lf_import_row(s, LF_ENTITY_TOUCHES, names, values, n, "cli", &sum, &id, err);
	if (!r && sum.inserted)
		cli_say(cli, json_pack("{s:I, s:I}", "id", (json_int_t)id, "inserted", (json_int_t)1),
			"touch %lld logged on lead %s", (long long)id, lead);
	else if (!r)
		cli_say(cli, json_pack("{s:I, s:I}", "id", (json_int_t)id, "inserted", (json_int_t)0),
			"the same touch was already logged on lead %s", lead);
out:
	lf_rep_release(&rep);
	lf_store_close(s);
	return r;
}

static const struct cli_cmd touch_subs[] = {
	{ .name = "add", .args = "LEAD", .opts = add_opts, .run = run_add,
	  .summary = "log a call, email, meeting or note on a lead", .min_args = 1,
	  .max_args = 1 },
	{ .name = NULL },
};

const struct cli_cmd cmd_touch = {
	.name = "touch",
	.args = "COMMAND",
	.summary = "what reps do: log touches",
	.subs = touch_subs,
};
