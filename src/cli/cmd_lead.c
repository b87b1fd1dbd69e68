/*
 * cmd_lead.c - `leadflow lead show|list`: one lead with its attributes and
 * history, or a filtered list. JSON and CSV stream, so that a list of a
 * million leads needs no more memory than one; the table buffers its page.
 */
#include "cli.h"
#include <leadflow/json.h>
#include <leadflow/score.h>
#include <leadflow/model.h>
#include <leadflow/lifecycle.h>
#include <leadflow/rep.h>

#include <leadflow/import.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_DEFAULT_LIMIT 50

static void value_text(const struct lf_value *v, char *buf, size_t cap)
{
	switch (v->type) {
	case LF_VAL_STRING: snprintf(buf, cap, "%s", v->str); break;
	case LF_VAL_NUMBER: snprintf(buf, cap, "%.15g", v->num); break;
	case LF_VAL_BOOL: snprintf(buf, cap, "%s", v->b ? "true" : "false"); break;
	default: snprintf(buf, cap, "null");
	}
}

static enum lf_result add_transition_json(void *ctx, const struct lf_transition *t)
{
	json_array_append_new(ctx, lf_transition_json(t));
	return LF_OK;
}

static enum lf_result run_show(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_store *s;
	struct lf_lead l;
	enum lf_result r;
	json_t *o = NULL, *history = json_array();

	if ((r = cli_open_store(cli, &s, err)))
		goto out;
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto out;
	o = lf_lead_json(&l);
	r = lf_store_transition_list(s, l.id, add_transition_json, history, err);
	if (!r) {
		json_object_set(o, "transitions", history);
		if (cli->format == LF_OUT_JSON) {
			lf_json_write(o, 2, stdout);
			putchar('\n');
		} else {
			static const char *const headers[] = { "field", "value" };
			struct lf_table t;
			const char *key;
			json_t *v;
			char buf[1024];
			lf_table_init(&t, 2, headers, 0);
			json_object_foreach(o, key, v) {
				if (json_is_object(v) || json_is_array(v))
					continue;
				char *txt = json_is_string(v) ? NULL
					  : lf_json_text(v, 0);
				const char *row[2] = { key, txt ? txt : json_string_value(v) };
				lf_table_add(&t, row);
				free(txt);
			}
			for (size_t i = 0; i < l.attrs.n; i++) {
				char name[300];
				snprintf(name, sizeof(name), "attributes.%s", l.attrs.items[i].name);
				value_text(&l.attrs.items[i].v, buf, sizeof(buf));
				const char *row[2] = { name, buf };
				lf_table_add(&t, row);
			}
			for (size_t i = 0; i < json_array_size(history); i++) {
				json_t *h = json_array_get(history, i);
				char name[32];
				snprintf(name, sizeof(name), "history.%zu", i + 1);
				snprintf(buf, sizeof(buf), "%s %s -> %s by %s%s%s",
					 json_string_value(json_object_get(h, "at")),
					 json_string_value(json_object_get(h, "from")),
					 json_string_value(json_object_get(h, "to")),
					 json_string_value(json_object_get(h, "actor")),
					 json_object_get(h, "reason") ? " reason " : "",
					 json_object_get(h, "reason")
						 ? json_string_value(json_object_get(h, "reason"))
						 : "");
				const char *row[2] = { name, buf };
				lf_table_add(&t, row);
			}
			lf_table_print(&t, cli->format, stdout);
			lf_table_release(&t);
		}
	}
	lf_lead_release(&l);
out:
	json_decref(o);
	json_decref(history);
	lf_store_close(s);
	return r;
}

/* --- list ------------------------------------------------------------ */

enum { O_STAGE, O_SOURCE, O_LIMIT, O_AFTER };

static const struct cli_opt list_opts[] = {
	[O_STAGE] = { "stage", "S", "only leads at this stage" },
	[O_SOURCE] = { "source", "S", "only leads from this source" },
	[O_LIMIT] = { "limit", "N", "at most N leads, 0 for all (default: all; 50 in "
		      "a table)" },
	[O_AFTER] = { "after", "ID", "only leads with a greater id (paging)" },
	{ NULL, NULL, NULL },
};

static const char *const list_headers[] = {
	"id", "external_id", "email", "name", "source", "stage", "fit", "engagement",
	"total",
};
#define LIST_COLS (sizeof(list_headers) / sizeof(list_headers[0]))

struct list_ctx {
	enum lf_format format;
	struct lf_table table;
	int64_t n;
};

static enum lf_result list_one(void *vctx, const struct lf_lead *l)
{
	struct list_ctx *ctx = vctx;
	char id[24], fit[32], eng[32], total[32];

	if (ctx->format == LF_OUT_JSON) {
		json_t *o = lf_lead_json(l);
		fputs(ctx->n ? ",\n" : "\n", stdout);
		lf_json_write(o, 0, stdout);
		json_decref(o);
		ctx->n++;
		return LF_OK;
	}
	snprintf(id, sizeof(id), "%lld", (long long)l->id);
	snprintf(fit, sizeof(fit), "%.1f", l->fit);
	snprintf(eng, sizeof(eng), "%.1f", l->engagement);
	snprintf(total, sizeof(total), "%.1f", l->total);
	const char *row[LIST_COLS] = { id, l->external_id, l->email, l->name, l->source,
				       lf_stage_name(l->stage), fit, eng, total };
	ctx->n++;
	if (ctx->format == LF_OUT_CSV) {
		for (size_t i = 0; i < LIST_COLS; i++) {
			if (i)
				fputc(',', stdout);
			lf_csv_cell(stdout, row[i] ? row[i] : "", i == 0 || i >= 6);
		}
		fputc('\n', stdout);
		return LF_OK;
	}
	return lf_table_add(&ctx->table, row);
}

static enum lf_result run_list(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	struct list_ctx ctx = { .format = cli->format };
	struct lf_store *s = NULL;
	enum lf_result r;
	long long v;

	if (a->opt[O_STAGE]) {
		enum lf_stage st;
		if ((r = lf_stage_parse(a->opt[O_STAGE], &st, err))) {
			lf_error_prefix(err, "--stage");
			err->code = LF_ERR_USAGE;
			return LF_ERR_USAGE;
		}
		f.stage = (int)st;
	}
	f.source = a->opt[O_SOURCE];
	if (cli->format == LF_OUT_TABLE)
		f.limit = TABLE_DEFAULT_LIMIT;
	if (a->opt[O_LIMIT]) {
		if ((r = cli_int("limit", a->opt[O_LIMIT], 0, INT64_MAX / 2, &v, err)))
			return r;
		f.limit = v;
	}
	if (a->opt[O_AFTER]) {
		if ((r = cli_int("after", a->opt[O_AFTER], 0, INT64_MAX / 2, &v, err)))
			return r;
		f.after_id = v;
	}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	lf_table_init(&ctx.table, LIST_COLS, list_headers, 1u | 1u << 6 | 1u << 7 | 1u << 8);
	if (cli->format == LF_OUT_JSON)
		fputc('[', stdout);
	if (cli->format == LF_OUT_CSV) {
		for (size_t i = 0; i < LIST_COLS; i++)
			printf("%s%s", i ? "," : "", list_headers[i]);
		putchar('\n');
	}
	r = lf_store_lead_list(s, &f, list_one, &ctx, err);
	if (cli->format == LF_OUT_JSON)
		fputs(ctx.n ? "\n]\n" : "]\n", stdout);
	if (cli->format == LF_OUT_TABLE && !r) {
		lf_table_print(&ctx.table, LF_OUT_TABLE, stdout);
		if (!a->opt[O_LIMIT] && ctx.n == TABLE_DEFAULT_LIMIT)
			printf("(first %d shown: --limit 0 for all, --after %s for the next "
			       "page)\n", TABLE_DEFAULT_LIMIT,
			       ctx.table.cells[(ctx.table.nrows - 1) * LIST_COLS]);
	}
	lf_table_release(&ctx.table);
	lf_store_close(s);
	return r;
}

/* --- explain --------------------------------------------------------- */

enum { O_AT };

static const struct cli_opt explain_opts[] = {
	[O_AT] = { "at", "TIME", "score as of this time (ISO 8601; default now)" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_explain(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_store *s = NULL;
	struct lf_model_def def;
	struct lf_explain x;
	struct lf_lead l;
	lf_time_ms at = lf_time_now();
	char when[LF_TIME_STR_MAX], hr[LF_TIME_STR_MAX];
	enum lf_result r;
	int version;

	if (a->opt[O_AT] && (r = cli_time("at", a->opt[O_AT], &at, err)))
		return r;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if ((r = lf_model_active(s, &def, &version, err)))
		goto close;
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto model;
	if ((r = lf_score_lead(s, &def, &l, at, &x, err)))
		goto lead;
	lf_time_format(at, when);
	if (x.hand_raiser_at)
		lf_time_format(x.hand_raiser_at, hr);
	if (cli->format != LF_OUT_TABLE) {
		/* the document GET /v1/leads/{id}/explain answers */
		cli_print_doc(cli, lf_explain_json(&l, version, at, &x));
	} else {
		static const char *const headers[] = { "rule", "kind", "events", "points", "why" };
		struct lf_table t;
		char events[24], points[32];
		lf_table_init(&t, 5, headers, 1u << 2 | 1u << 3);
		for (size_t i = 0; i < x.nitems; i++) {
			snprintf(events, sizeof(events), "%lld", (long long)x.items[i].events);
			snprintf(points, sizeof(points), "%.2f", x.items[i].points);
			const char *row[5] = { x.items[i].rule,
					       x.items[i].engagement ? "engagement" : "fit",
					       x.items[i].engagement ? events : "", points,
					       x.items[i].why ? x.items[i].why : "" };
			lf_table_add(&t, row);
		}
		printf("lead %lld%s%s%s, model %d, as of %s\n", (long long)l.id,
		       l.external_id ? " (" : "", l.external_id ? l.external_id : "",
		       l.external_id ? ")" : "", version, when);
		if (cli->format == LF_OUT_TABLE)
			printf("fit %.2f + engagement %.2f = total %.2f\n\n", x.fit,
			       x.engagement, x.total);
		lf_table_print(&t, cli->format, stdout);
		lf_table_release(&t);
		if (x.hand_raiser_at)
			printf("hand-raiser: '%s' at %s\n", x.hand_raiser_rule, hr);
		if (x.disqualified)
			printf("a disqualification rule holds: %s%s%s%s\n", x.disqualified,
			       x.disqualified_why ? " (why: " : "",
			       x.disqualified_why ? x.disqualified_why : "",
			       x.disqualified_why ? ")" : "");
	}
	lf_explain_release(&x);
lead:
	lf_lead_release(&l);
model:
	lf_model_def_release(&def);
close:
	lf_store_close(s);
	return r;
}

/* --- lifecycle actions ----------------------------------------------- */

enum { A_REASON, A_RATING, A_NOTE, A_AMOUNT, A_CLOSE, A_AS, A_ROLE, A_AT, A_REP };

static const struct cli_opt action_opts[] = {
	[A_REASON] = { "reason", "CODE", "reason code from the active model's lists" },
	[A_RATING] = { "rating", "N", "how good the lead is, 1 to 5" },
	[A_NOTE] = { "note", "TEXT", "a note for marketing" },
	[A_AMOUNT] = { "amount", "X", "open-opportunity: the amount" },
	[A_CLOSE] = { "close-date", "DATE", "open-opportunity: the expected close date" },
	[A_AS] = { "as", "ACTOR", "who takes the action (recorded on the transition)" },
	[A_ROLE] = { "role", "ROLE", "the actor's role: admin (default), marketing, "
		     "sales_manager, rep (then --as names the rep: its own leads only), system" },
	[A_AT] = { "at", "TIME", "when (default now)" },
	[A_REP] = { "rep", "NAME|ID", "assign: the rep the lead goes to (its SLA clock starts)" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_action(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_action act = { .action = a->cmd->name, .role = LF_ROLE_ADMIN };
	struct lf_sla_terms sla;
	struct lf_store *s = NULL;
	struct lf_lead l;
	enum lf_stage from, to;
	enum lf_result r;
	long long v;

	act.actor = a->opt[A_AS];
	act.reason = a->opt[A_REASON];
	act.note = a->opt[A_NOTE];
	if (!act.actor)
		return lf_error_field(err, LF_ERR_USAGE, "as",
				      "'%s' needs --as ACTOR: who takes the action", act.action);
	if (a->opt[A_ROLE] && (r = lf_role_parse(a->opt[A_ROLE], &act.role, err))) {
		lf_error_prefix(err, "--role");
		return err->code = LF_ERR_USAGE;
	}
	if (a->opt[A_RATING]) {
		if ((r = cli_int("rating", a->opt[A_RATING], 1, 5, &v, err)))
			return r;
		act.rating = (int)v;
	}
	if (a->opt[A_AMOUNT]) {
		char *end;
		act.amount = strtod(a->opt[A_AMOUNT], &end);
		if (*end || end == a->opt[A_AMOUNT])
			return lf_error_field(err, LF_ERR_USAGE, "amount",
					      "--amount: expected a number, got '%s'",
					      a->opt[A_AMOUNT]);
		act.has_amount = true;
	}
	if (a->opt[A_CLOSE]) {
		if ((r = cli_time("close-date", a->opt[A_CLOSE], &act.close_date, err)))
			return r;
		act.has_close_date = true;
	}
	if (a->opt[A_AT] && (r = cli_time("at", a->opt[A_AT], &act.at, err)))
		return r;
	if (a->opt[A_REP] && strcmp(act.action, "assign"))
		return lf_error_field(err, LF_ERR_USAGE, "rep", "--rep applies to 'assign' "
				      "only, not to '%s'", act.action);
	if (!strcmp(act.action, "assign") && !a->opt[A_REP])
		return lf_error_field(err, LF_ERR_USAGE, "rep", "'assign' needs --rep NAME|ID: "
				      "the rep the lead goes to");
	if ((r = cli_sla_terms(&sla, err)))
		return r;
	act.sla = &sla;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (a->opt[A_REP]) {
		struct lf_rep rep;
		if ((r = lf_rep_lookup(s, a->opt[A_REP], true, "rep", &rep, err))) {
			lf_error_prefix(err, "--rep");
			goto out;
		}
		act.rep_id = rep.id;
		lf_rep_release(&rep);
	}
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto out;
	if (act.role == LF_ROLE_REP) {
		/* as that rep would over the API: its own leads only */
		struct lf_rep rep;
		if ((r = lf_rep_lookup(s, act.actor, false, "as", &rep, err))) {
			lf_error_prefix(err, "--role rep --as");
			lf_lead_release(&l);
			goto out;
		}
		bool own = l.owner_rep_id == rep.id;
		lf_rep_release(&rep);
		if (!own) {
			r = lf_error_set(err, LF_ERR_NOT_FOUND, "lead %lld is not one of %s's leads "
					 "(a rep acts on its own leads)", (long long)l.id, act.actor);
			lf_lead_release(&l);
			goto out;
		}
	}
	from = l.stage;
	r = lf_lifecycle_apply(s, l.id, &act, &to, err);
	if (r == LF_ERR_INPUT)
		cli_name_option(err, action_opts);
	if (!r)
		cli_say(cli, json_pack("{s:I, s:s, s:s, s:s}", "lead_id", (json_int_t)l.id,
				       "action", act.action, "from", lf_stage_name(from), "to",
				       lf_stage_name(to)),
			"lead %lld: %s -> %s (%s by %s)", (long long)l.id, lf_stage_name(from),
			lf_stage_name(to), act.action, act.actor);
	lf_lead_release(&l);
out:
	lf_store_close(s);
	return r;
}

/* --- add ------------------------------------------------------------- */

/* the lead's fields come first in add_opts, then who adds it */
enum { ADD_AS = 10, ADD_REP = 11 };
static const struct cli_opt add_opts[] = {
	{ "email", "EMAIL", "the person's email" },
	{ "external-id", "ID", "the id in the source system" },
	{ "name", "NAME", "full name" },
	{ "company", "NAME", "company" },
	{ "title", "TITLE", "job title" },
	{ "country", "CODE", "country" },
	{ "industry", "NAME", "industry" },
	{ "employees", "N", "company size" },
	{ "source", "S", "channel; 'sales' for a lead sales found itself (starts at sql)" },
	{ "campaign", "C", "campaign" },
	{ "as", "ACTOR", "who adds it (recorded on the sql transition of a sales lead)" },
	{ "rep", "NAME|ID", "the rep who adds a sales-sourced lead: its owner (required then)" },
	{ NULL, NULL, NULL },
};

_Static_assert(sizeof(add_opts) / sizeof(add_opts[0]) == ADD_REP + 2,
	       "add_opts: ten fields, --as, --rep and the end");

static enum lf_result run_add(struct cli *cli, const struct cli_args *a,
			      struct lf_error *err)
{
	/* the option names are the field names, with '_' for '-' */
	const char *names[16], *values[16];
	char fields[16][32];
	struct lf_import_summary sum;
	struct lf_store *s;
	enum lf_result r;
	size_t n = 0;
	int64_t id;
	struct lf_rep rep = { 0 };

	for (size_t i = 0; i < ADD_AS; i++) {
		if (!a->opt[i])
			continue;
		snprintf(fields[n], sizeof(fields[n]), "%s", add_opts[i].name);
		for (char *p = fields[n]; *p; p++)
			if (*p == '-')
				*p = '_';
		names[n] = fields[n];
		values[n++] = a->opt[i];
	}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	/* a sales-sourced lead starts at sql, owned by its rep (the ingest's rule) */
	if (a->opt[ADD_REP]) {
		if ((r = lf_rep_lookup(s, a->opt[ADD_REP], true, "rep", &rep, err))) {
			lf_error_prefix(err, "--rep");
			goto out;
		}
		names[n] = "owner";
		values[n++] = rep.name;
	}
	r = lf_import_row(s, LF_ENTITY_LEADS, names, values, n,
			  a->opt[ADD_AS] ? a->opt[ADD_AS] : rep.name ? rep.name : "cli", &sum, &id, err);
	if (r == LF_ERR_INPUT && !strcmp(err->field, "rep_id"))
		lf_error_set(err, LF_ERR_USAGE, "a lead sales found itself (--source %s) is "
			     "owned by the rep who adds it: give --rep NAME|ID", LF_SOURCE_SALES);
	if (!r)
		cli_say(cli, json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)id, "inserted",
				       (json_int_t)sum.inserted, "updated", (json_int_t)sum.updated,
				       "unchanged", (json_int_t)sum.unchanged),
			"lead %lld %s", (long long)id, sum.inserted ? "added"
			: sum.updated ? "updated" : "unchanged");
out:
	lf_rep_release(&rep);
	lf_store_close(s);
	return r;
}

#define ACTION(n) \
	{ .name = n, .args = "ID|EMAIL|EXTERNAL_ID", .opts = action_opts, \
	  .summary = "lifecycle action (docs/lifecycle.md)", .run = run_action, \
	  .min_args = 1, .max_args = 1 }

static const struct cli_cmd lead_subs[] = {
	{ .name = "show", .args = "ID|EMAIL|EXTERNAL_ID",
	  .summary = "one lead: fields, attributes, scores and stage history",
	  .run = run_show, .min_args = 1, .max_args = 1 },
	{ .name = "list", .summary = "leads in id order, filtered", .opts = list_opts,
	  .run = run_list },
	{ .name = "explain", .args = "ID|EMAIL|EXTERNAL_ID", .opts = explain_opts,
	  .summary = "the lead's score under the active model, rule by rule",
	  .run = run_explain, .min_args = 1, .max_args = 1 },
	{ .name = "add", .opts = add_opts, .run = run_add,
	  .summary = "add (or update) one lead; --source sales starts it at sql" },
	{ .name = "answer", .args = "ID|EMAIL|EXTERNAL_ID [QUESTION VALUE]",
	  .opts = cli_answer_opts, .run = cli_run_answer, .min_args = 1, .max_args = 3,
	  .summary = "answer one of the active model's questions, or list the answers" },
	ACTION("accept"), ACTION("reject"), ACTION("qualify"), ACTION("send-back"),
	ACTION("open-opportunity"),
	ACTION("won"), ACTION("lost"), ACTION("disqualify"), ACTION("requalify"),
	ACTION("mql"), ACTION("assign"), ACTION("recycle"),
	{ .name = NULL },
};

const struct cli_cmd cmd_lead = {
	.name = "lead",
	.args = "COMMAND",
	.summary = "show, list, explain and add leads; move them through the lifecycle",
	.subs = lead_subs,
};
