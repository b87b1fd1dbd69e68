/*
 * cmd_lead.c - `leadflow lead show|list`: one lead with its attributes and
 * history, or a filtered list. JSON and CSV stream, so that a list of a
 * million leads needs no more memory than one; the table buffers its page.
 */
#include "cli/cli.h"
#include "core/entity_json.h"
#include "score/scoring.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_DEFAULT_LIMIT 50

/* Finds a lead by internal id, email or external id, in that order of sense. */
static enum lf_result find_lead(struct lf_store *s, const char *key,
				struct lf_lead *l, struct lf_error *err)
{
	enum lf_result r;
	char *end;

	if (strchr(key, '@')) {
		char email[512];
		snprintf(email, sizeof(email), "%s", key);
		lf_email_normalise(email);
		r = lf_store_lead_find(s, LF_KEY_EMAIL, email, l, err);
		goto out;
	}
	long long id = strtoll(key, &end, 10);
	if (*key && !*end && id > 0) {
		r = lf_store_lead_get(s, id, l, err);
		if (r != LF_ERR_NOT_FOUND)
			return r;
	}
	r = lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, key, l, err);
out:
	if (r == LF_ERR_NOT_FOUND)
		lf_error_set(err, r, "no lead with id, email or external id '%s'", key);
	return r;
}

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
	if ((r = find_lead(s, a->argv[0], &l, err)))
		goto out;
	o = lf_lead_json(&l);
	r = lf_store_transition_list(s, l.id, add_transition_json, history, err);
	if (!r) {
		json_object_set(o, "transitions", history);
		if (cli->format == LF_OUT_JSON) {
			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
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
					  : json_dumps(v, JSON_ENCODE_ANY);
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
		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
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
	if ((r = find_lead(s, a->argv[0], &l, err)))
		goto model;
	if ((r = lf_score_lead(s, &def, &l, at, &x, err)))
		goto lead;
	lf_time_format(at, when);
	if (x.hand_raiser_at)
		lf_time_format(x.hand_raiser_at, hr);
	if (cli->format == LF_OUT_JSON) {
		json_t *o = json_object(), *rules = json_array();
		json_object_set_new(o, "lead_id", json_integer(l.id));
		if (l.external_id)
			json_object_set_new(o, "external_id", json_string(l.external_id));
		json_object_set_new(o, "model_version", json_integer(version));
		json_object_set_new(o, "at", json_string(when));
		json_object_set_new(o, "fit", json_real(x.fit));
		json_object_set_new(o, "engagement", json_real(x.engagement));
		json_object_set_new(o, "total", json_real(x.total));
		for (size_t i = 0; i < x.nitems; i++) {
			json_t *it = json_pack("{s:s,s:s,s:f}", "rule", x.items[i].rule, "kind",
					       x.items[i].engagement ? "engagement" : "fit",
					       "points", x.items[i].points);
			if (x.items[i].engagement)
				json_object_set_new(it, "events", json_integer(x.items[i].events));
			json_array_append_new(rules, it);
		}
		json_object_set_new(o, "rules", rules);
		json_object_set_new(o, "hand_raiser_at", x.hand_raiser_at ? json_string(hr)
							 : json_null());
		json_object_set_new(o, "disqualified", x.disqualified
							? json_string(x.disqualified)
							: json_null());
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else {
		static const char *const headers[] = { "rule", "kind", "events", "points" };
		struct lf_table t;
		char events[24], points[32];
		lf_table_init(&t, 4, headers, 1u << 2 | 1u << 3);
		for (size_t i = 0; i < x.nitems; i++) {
			snprintf(events, sizeof(events), "%lld", (long long)x.items[i].events);
			snprintf(points, sizeof(points), "%.2f", x.items[i].points);
			const char *row[4] = { x.items[i].rule,
					       x.items[i].engagement ? "engagement" : "fit",
					       x.items[i].engagement ? events : "", points };
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
			printf("a disqualification rule holds: %s\n", x.disqualified);
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

static const struct cli_cmd lead_subs[] = {
	{ .name = "show", .args = "ID|EMAIL|EXTERNAL_ID",
	  .summary = "one lead: fields, attributes, scores and stage history",
	  .run = run_show, .min_args = 1, .max_args = 1 },
	{ .name = "list", .summary = "leads in id order, filtered", .opts = list_opts,
	  .run = run_list },
	{ .name = "explain", .args = "ID|EMAIL|EXTERNAL_ID", .opts = explain_opts,
	  .summary = "the lead's score under the active model, rule by rule",
	  .run = run_explain, .min_args = 1, .max_args = 1 },
	{ .name = NULL },
};

const struct cli_cmd cmd_lead = {
	.name = "lead",
	.args = "COMMAND",
	.summary = "show, list and explain leads",
	.subs = lead_subs,
};
