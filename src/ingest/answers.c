/*
 * answers.c - an answer to one of the model's qualification questions,
 * checked against the question and recorded: a row of the store's answers
 * (who, when, under which version) and the lead's attribute answer_KEY,
 * which the rules read as answer.KEY, rescored through the write session.
 */
#include <leadflow/import.h>
#include <leadflow/model.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_TEXT_MAX 1000

/* What a question of q's type takes, in words, for an error. */
static void takes(const struct lf_question *q, char *buf, size_t cap)
{
	if (q->type == LF_ANSWER_YES_NO) {
		snprintf(buf, cap, "yes or no");
	} else if (q->type == LF_ANSWER_NUMBER) {
		snprintf(buf, cap, "a number");
	} else {
		snprintf(buf, cap, "one of ");
		for (size_t i = 0; i < q->nchoices; i++) {
			size_t n = strlen(buf);
			snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", q->choices[i]);
		}
	}
}

/* The answer as the JSON value the question's type takes, or NULL with err set. */
static json_t *typed_value(const struct lf_question *q, const char *text, struct lf_error *err)
{
	char *end, list[512];
	double d;

	switch (q->type) {
	case LF_ANSWER_YES_NO:
		if (!strcmp(text, "yes") || !strcmp(text, "no"))
			return json_string(text);
		break;
	case LF_ANSWER_NUMBER:
		d = strtod(text, &end);
		if (*text && !*end && isfinite(d))
			return json_real(d);
		break;
	case LF_ANSWER_CHOICE:
		for (size_t i = 0; i < q->nchoices; i++)
			if (!strcmp(q->choices[i], text))
				return json_string(text);
		break;
	default:
		if (*text && strlen(text) <= ANSWER_TEXT_MAX)
			return json_string(text);
		lf_error_field(err, LF_ERR_INPUT, "value", "question '%s' takes a text of 1 to "
			       "%d characters", q->key, ANSWER_TEXT_MAX);
		return NULL;
	}
	takes(q, list, sizeof(list));
	lf_error_field(err, LF_ERR_INPUT, "value", "question '%s' takes %s, got '%s'", q->key, list,
		       text);
	return NULL;
}

enum lf_result lf_answer_record(struct lf_ingest *in, struct lf_store *s,
				const struct lf_lead *lead, const char *key, const char *text,
				const char *actor, struct lf_answer *out, struct lf_error *err)
{
	int version;
	const struct lf_model_def *def = lf_ingest_model(in, &version);
	const struct lf_question *q = def ? lf_model_question(def, key) : NULL;
	lf_time_ms now = lf_time_now();
	enum lf_row_outcome outcome;
	char attr[128];
	json_t *value, *patch;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	if (!def)
		return lf_error_set(err, LF_ERR_CONFLICT, "no model is active: its questions are "
				    "the ones answered");
	if (!q)
		return lf_error_field(err, LF_ERR_INPUT, "question", "model %d asks no question "
				      "'%s'", version, key);
	if (!lf_question_for(q, lead, now))
		return lf_error_field(err, LF_ERR_INPUT, "question", "question '%s' is not for "
				      "lead %lld (it is for leads where %s)", key,
				      (long long)lead->id, q->when_src);
	if (!(value = typed_value(q, text, err)))
		return err->code;
	snprintf(attr, sizeof(attr), "answer_%s", key);
	out->lead_id = lead->id;
	out->question = strdup(key);
	out->value = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	out->actor = strdup(actor);
	out->at = now;
	out->model_version = version;
	patch = json_pack("{s:{s:O}}", "attributes", attr, value);
	json_decref(value);
	if (!out->question || !out->value || !out->actor || !patch) {
		json_decref(patch);
		lf_answer_release(out);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	if (!(r = lf_store_answer_add(s, out, err)))
		r = lf_ingest_patch_lead(in, lead->id, patch, &outcome, err);
	json_decref(patch);
	if (r)
		lf_answer_release(out);
	return r;
}
