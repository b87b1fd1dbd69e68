/*
 * cmd_answer.c - `leadflow lead answer ID [QUESTION VALUE] --as NAME`: a
 * lead's answer to one of the active model's qualification questions,
 * recorded (lf_answer_record); without QUESTION, the lead's answers so far.
 */
#include "cli.h"
#include <leadflow/import.h>
#include <leadflow/json.h>
#include <leadflow/model.h>
#include <leadflow/score.h>

#include <stdio.h>
#include <string.h>

enum { O_AS };
const struct cli_opt cli_answer_opts[] = {
	[O_AS] = { "as", "NAME", "who gives the answer (a rep's name, or yours)" },
	{ NULL, NULL, NULL },
};

static enum lf_result list_answer(void *ctx, const struct lf_answer *a)
{
	return json_array_append_new(ctx, lf_answer_json(a)) ? LF_ERR_NOMEM : LF_OK;
}

static enum lf_result print_answers(struct cli *cli, struct lf_store *s,
				    const struct lf_lead *l, struct lf_error *err)
{
	json_t *list = json_array();
	enum lf_result r = lf_store_answer_list(s, l->id, list_answer, list, err);
	if (r) {
		json_decref(list);
		return r;
	}
	if (cli->format != LF_OUT_TABLE) {
		cli_print_doc(cli, json_pack("{s:I, s:o}", "lead_id", (json_int_t)l->id,
					     "answers", list));
		return LF_OK;
	}
	static const char *const headers[] = { "question", "value", "by", "at", "model" };
	struct lf_table t;
	size_t i;
	json_t *a;
	lf_table_init(&t, 5, headers, 0);
	json_array_foreach(list, i, a) {
		char *value = json_dumps(json_object_get(a, "value"), JSON_ENCODE_ANY);
		char version[16] = "";
		if (json_is_integer(json_object_get(a, "model_version")))
			snprintf(version, sizeof(version), "%lld", (long long)json_integer_value(
					 json_object_get(a, "model_version")));
		const char *row[5] = { json_string_value(json_object_get(a, "question")),
				       value ? value : "", json_string_value(json_object_get(a, "actor")),
				       json_string_value(json_object_get(a, "at")), version };
		lf_table_add(&t, row);
		free(value);
	}
	lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	json_decref(list);
	return LF_OK;
}

enum lf_result cli_run_answer(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_store *s = NULL;
	struct lf_ingest *in = NULL;
	struct lf_answer got;
	struct lf_lead l;
	enum lf_result r;

	if (a->argc == 2)
		return lf_error_set(err, LF_ERR_USAGE, "'lead answer' takes the lead alone (to list "
				    "its answers) or the lead, a question and its answer");
	if (a->argc == 3 && !a->opt[O_AS])
		return lf_error_field(err, LF_ERR_USAGE, "as", "'lead answer' needs --as NAME: "
				      "who gives the answer");
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if ((r = cli_find_lead(s, a->argv[0], &l, err)))
		goto out;
	if (a->argc == 1) {
		r = print_answers(cli, s, &l, err);
		goto lead;
	}
	if (!(r = lf_store_begin(s, err))) {
		if (!(r = lf_ingest_open(s, a->opt[O_AS], false, &in, err)) &&
		    !(r = lf_answer_record(in, s, &l, a->argv[1], a->argv[2], a->opt[O_AS],
					   &got, err)) &&
		    !(r = lf_ingest_flush(in, err)))
			r = lf_store_commit(s, err);
		if (r)
			lf_store_rollback(s);
		lf_ingest_close(in);
	}
	if (!r) {
		cli_say(cli, lf_answer_json(&got), "lead %lld: %s = %s (by %s, model %d)",
			(long long)l.id, got.question, a->argv[2], got.actor, got.model_version);
		lf_answer_release(&got);
	}
lead:
	lf_lead_release(&l);
out:
	lf_store_close(s);
	return r;
}
