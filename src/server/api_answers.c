/*
 * api_answers.c - /v1/leads/{id}/answers: the active model's qualification
 * questions for a lead with its answers so far, and answers recorded (all
 * of a request's or none). A lifecycle action takes the same "answers"
 * object (api_leads.c), so sales answers as it accepts or qualifies.
 */
#include "server/api.h"

#include "core/value_json.h"
#include <leadflow/import.h>
#include <leadflow/json.h>
#include <leadflow/model.h>
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWERS_MAX 64   /* answers in one request */

json_t *api_questions_for(const struct lf_model_def *def, const struct lf_lead *l, int ask)
{
	json_t *list = json_array();
	lf_time_ms now = lf_time_now();

	for (size_t i = 0; def && i < def->nquestions; i++) {
		const struct lf_question *q = &def->questions[i];
		const struct lf_value *v;
		char attr[128];
		json_t *o, *choices;

		if ((ask >= 0 && (int)q->ask != ask) || !lf_question_for(q, l, now))
			continue;
		snprintf(attr, sizeof(attr), "answer_%s", q->key);
		v = lf_attrs_get(&l->attrs, attr);
		o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "key", q->key, "text", q->text,
			      "type", lf_answer_type_name(q->type), "ask", lf_ask_at_name(q->ask),
			      "answer", v ? lf_value_json(v) : json_null());
		if (q->type == LF_ANSWER_CHOICE) {
			choices = json_array();
			for (size_t k = 0; k < q->nchoices; k++)
				json_array_append_new(choices, json_string(q->choices[k]));
			json_object_set_new(o, "choices", choices);
		}
		if (q->why)
			json_object_set_new(o, "why", json_string(q->why));
		json_array_append_new(list, o);
	}
	return list;
}

bool api_answers_take(json_t *body, json_t **out, struct lf_http_resp *resp)
{
	json_t *v = json_object_get(body, "answers"), *a;
	const char *key;

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_object(v) || !json_object_size(v) || json_object_size(v) > ANSWERS_MAX) {
		lf_http_error(resp, 400, "invalid", "answers", "'answers' maps question keys to "
			      "answers: an object of 1 to %d entries", ANSWERS_MAX);
		return false;
	}
	json_object_foreach(v, key, a) {
		if (json_is_string(a) || json_is_number(a) || json_is_boolean(a))
			continue;
		char field[160];
		snprintf(field, sizeof(field), "answers.%s", key);
		lf_http_error(resp, 400, "invalid", field, "the answer to '%s' must be a string, "
			      "a number, or true or false for a yes/no question", key);
		return false;
	}
	*out = json_incref(v);
	return true;
}

/* An answer's JSON value as lf_answer_record reads it: true is "yes", false "no". */
static const char *answer_text(json_t *a, char *buf, size_t cap)
{
	if (json_is_string(a))
		return json_string_value(a);
	if (json_is_boolean(a))
		return json_is_true(a) ? "yes" : "no";
	if (json_is_integer(a))
		snprintf(buf, cap, "%lld", (long long)json_integer_value(a));
	else
		snprintf(buf, cap, "%.17g", json_real_value(a));
	return buf;
}

enum lf_result api_answers_write(struct lf_write_ctx *w, const struct lf_lead *l,
				 json_t *answers, json_t *recorded, struct lf_error *err)
{
	struct lf_ingest *in;
	const char *key;
	json_t *a;
	enum lf_result r;

	if ((r = lf_write_ingest(w, &in, err)))
		return r;
	json_object_foreach(answers, key, a) {
		struct lf_answer got;
		char num[64];
		r = lf_answer_record(in, lf_write_store(w), l, key, answer_text(a, num, sizeof(num)),
				     lf_write_who(w)->name, &got, err);
		if (r) {
			if (r == LF_ERR_INPUT)
				snprintf(err->field, sizeof(err->field), "answers.%s", key);
			return r;
		}
		json_array_append_new(recorded, lf_answer_json(&got));
		lf_answer_release(&got);
	}
	return LF_OK;
}

bool api_lead_and_model(struct lf_http_req *req, struct lf_http_resp *resp, int64_t *id,
			struct lf_lead *l, struct lf_model_def *def, int *version, bool *has)
{
	struct lf_error err;
	enum lf_result r;

	*version = 0;
	*has = false;
	if (!lf_http_param_id(req, 0, "id", id, resp))
		return false;
	if (lf_visible_lead(&req->who, req->store, *id, l, &err)) {
		lf_http_fail(resp, &err, 400);
		return false;
	}
	r = lf_model_active(req->store, def, version, &err);
	if (r && r != LF_ERR_NOT_FOUND) {
		lf_lead_release(l);
		lf_http_fail(resp, &err, 400);
		return false;
	}
	*has = !r;
	return true;
}

/* --- GET ---------------------------------------------------------------- */

static enum lf_result add_answer(void *ctx, const struct lf_answer *a)
{
	return json_array_append_new(ctx, lf_answer_json(a)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_lead_answers(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_model_def def;
	struct lf_lead l;
	struct lf_error err;
	int version;
	int64_t id;
	json_t *answers;
	bool has;

	if (!api_lead_and_model(req, resp, &id, &l, &def, &version, &has))
		return LF_HTTP_DONE;
	answers = json_array();
	if (lf_store_answer_list(req->store, id, add_answer, answers, &err)) {
		json_decref(answers);
		lf_http_fail(resp, &err, 400);
	} else {
		lf_http_json(resp, 200, json_pack("{s:I, s:o, s:o, s:o}", "lead_id", (json_int_t)id,
						  "model_version", version ? json_integer(version)
						  : json_null(), "questions",
						  api_questions_for(has ? &def : NULL, &l, -1),
						  "answers", answers));
	}
	if (has)
		lf_model_def_release(&def);
	lf_lead_release(&l);
	return LF_HTTP_DONE;
}

/* --- POST --------------------------------------------------------------- */

struct answering {
	int64_t id;
	json_t *answers;
};

static void answering_free(void *p)
{
	struct answering *a = p;
	json_decref(a->answers);
	free(a);
}

static enum lf_result write_answers(struct lf_write_ctx *w, void *arg,
				    struct lf_http_resp *resp, struct lf_error *err)
{
	struct answering *a = arg;
	struct lf_ingest *in;
	struct lf_lead l;
	json_t *recorded = json_array();
	enum lf_result r;

	if ((r = lf_visible_lead(lf_write_who(w), lf_write_store(w), a->id, &l, err)))
		goto out;
	r = api_answers_write(w, &l, a->answers, recorded, err);
	lf_lead_release(&l);
	/* the answers are scored before the lead is read back */
	if (r || (r = lf_write_ingest(w, &in, err)) || (r = lf_ingest_flush(in, err)) ||
	    (r = lf_store_lead_get(lf_write_store(w), a->id, &l, err))) {
		if (r == LF_ERR_INPUT)
			lf_http_fail(resp, err, 422);
		else if (r == LF_ERR_CONFLICT)
			lf_http_fail(resp, err, 409);
		goto out;
	}
	lf_http_json(resp, 201, json_pack("{s:I, s:O, s:o}", "lead_id", (json_int_t)a->id,
					   "answers", recorded, "lead", lf_lead_json(&l)));
	lf_lead_release(&l);
out:
	json_decref(recorded);
	return r;
}

enum lf_http_outcome api_lead_answer(struct lf_http_req *req, struct lf_http_resp *resp)
{
	static const char *const fields[] = { "answers", NULL };
	struct answering *a = calloc(1, sizeof(*a));
	json_t *body = NULL;

	if (!a)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!lf_http_param_id(req, 0, "id", &a->id, resp) ||
	    !(body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	if (!lf_http_known_fields(body, fields, resp) || !api_answers_take(body, &a->answers, resp))
		goto fail;
	if (!a->answers) {
		lf_http_error(resp, 400, "invalid", "answers", "'answers' is required: an object "
			      "of question keys and their answers");
		goto fail;
	}
	json_decref(body);
	return lf_http_defer(req, write_answers, a, answering_free);
fail:
	json_decref(body);
	answering_free(a);
	return LF_HTTP_DONE;
}
