/*
 * cmd_event.c - `leadflow event add LEAD --type T`: one event by hand (a
 * call-back request taken on the phone, a test of a model), through the
 * same checks as a file's or the API's events. Without --id the event is
 * known by what it says (lead, type, time, properties): the same command
 * with the same --at stores it once (without --at, each run happens now).
 */
#include "cli.h"

#include <leadflow/hash.h>

#include <leadflow/import.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum { O_TYPE, O_AT, O_ID, O_PROPS };

static const struct cli_opt add_opts[] = {
	[O_TYPE] = { "type", "T", "the event type, as the model's engagement rules name it" },
	[O_AT] = { "at", "TIME", "when it happened (default now)" },
	[O_ID] = { "id", "ID", "its id (default: one made from what it says)" },
	[O_PROPS] = { "properties", "JSON", "its properties, a JSON object of plain values" },
	{ NULL, NULL, NULL },
};

#define MAX_PROPS 32

static enum lf_result run_add(struct cli *cli, const struct cli_args *a,
			      struct lf_error *err)
{
	const char *names[8 + MAX_PROPS], *values[8 + MAX_PROPS];
	char at[LF_TIME_STR_MAX], lead[32], id[64], texts[MAX_PROPS][64];
	struct lf_import_summary sum;
	struct lf_store *s = NULL;
	json_t *props = NULL;
	struct lf_lead l;
	enum lf_result r;
	lf_time_ms when = lf_time_now();
	size_t n = 0;
	int64_t lead_id;

	if (!a->opt[O_TYPE])
		return lf_error_field(err, LF_ERR_USAGE, "type", "'event add' needs --type");
	if (a->opt[O_AT] && (r = cli_time("at", a->opt[O_AT], &when, err)))
		return r;
	if (a->opt[O_PROPS]) {
		json_error_t jerr;
		const char *key;
		json_t *v;
		if (!(props = json_loads(a->opt[O_PROPS], JSON_REJECT_DUPLICATES, &jerr)) ||
		    !json_is_object(props)) {
			json_decref(props);
			return lf_error_field(err, LF_ERR_USAGE, "properties", "--properties: "
					      "expected a JSON object like '{\"page\": \"/pricing\"}'");
		}
		json_object_foreach(props, key, v) {
			if (n >= MAX_PROPS || json_is_object(v) || json_is_array(v) || json_is_null(v)) {
				json_decref(props);
				return lf_error_field(err, LF_ERR_USAGE, "properties", "--properties: "
						      "at most %d plain values ('%s' is not one)",
						      MAX_PROPS, key);
			}
			if (json_is_string(v))
				snprintf(texts[n], sizeof(texts[n]), "%s", json_string_value(v));
			else {
				char *t = json_dumps(v, JSON_ENCODE_ANY);
				snprintf(texts[n], sizeof(texts[n]), "%s", t ? t : "");
				free(t);
			}
			names[n] = key;
			values[n] = texts[n];
			n++;
		}
	}
	if ((r = cli_open_store(cli, &s, err)))
		goto out;
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto out;
	lead_id = l.id;
	lf_lead_release(&l);
	snprintf(lead, sizeof(lead), "%" PRId64, lead_id);
	lf_time_format(when, at);
	if (a->opt[O_ID]) {
		snprintf(id, sizeof(id), "%s", a->opt[O_ID]);
	} else {
		char *canon = props ? json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		char seed[1024];
		int k = snprintf(seed, sizeof(seed), "%s|%s|%s|%s", lead, a->opt[O_TYPE], at,
				 canon ? canon : "");
		free(canon);
		snprintf(id, sizeof(id), "cli-%016" PRIx64,
			 lf_hash64(seed, (size_t)(k < (int)sizeof(seed) ? k : (int)sizeof(seed) - 1)));
	}
	names[n] = "lead_id", values[n++] = lead;
	names[n] = "id", values[n++] = id;
	names[n] = "type", values[n++] = a->opt[O_TYPE];
	names[n] = "occurred_at", values[n++] = at;
	r = lf_import_row(s, LF_ENTITY_EVENTS, names, values, n, "cli", &sum, &lead_id, err);
	if (!r)
		cli_say(cli, json_pack("{s:s, s:I, s:s, s:b}", "id", id, "lead_id",
				       (json_int_t)lead_id, "status",
				       sum.inserted ? "inserted" : "unchanged", "inserted",
				       sum.inserted > 0),
			sum.inserted ? "event '%s' added to lead %s" : "event '%s' was already "
			"on lead %s", id, lead);
out:
	json_decref(props);
	lf_store_close(s);
	return r;
}

static const struct cli_cmd event_subs[] = {
	{ .name = "add", .args = "LEAD", .opts = add_opts, .run = run_add,
	  .summary = "add one event to a lead (scored at once)", .min_args = 1, .max_args = 1 },
	{ .name = NULL },
};

const struct cli_cmd cmd_event = {
	.name = "event",
	.args = "COMMAND",
	.summary = "what leads do: add an event by hand",
	.subs = event_subs,
};
