/*
 * entity_json.c - entity -> JSON. Absent values are left out rather than
 * printed as null, except scores, which always exist.
 */
#include <leadflow/json.h>
#include "core/value_json.h"

#include <math.h>
#include <string.h>

json_t *lf_time_json(lf_time_ms t)
{
	char buf[LF_TIME_STR_MAX];
	lf_time_format(t, buf);
	return json_string(buf);
}

json_t *lf_lead_json(const struct lf_lead *l)
{
	json_t *o = json_object(), *attrs = json_object();

	json_object_set_new(o, "id", json_integer(l->id));
	for (size_t i = 0; i < lf_lead_text_field_count; i++) {
		const char *s = *(char *const *)((const char *)l +
						 lf_lead_text_fields[i].offset);
		if (s)
			json_object_set_new(o, lf_lead_text_fields[i].name, json_string(s));
	}
	if (!isnan(l->employees)) {
		struct lf_value v = { .type = LF_VAL_NUMBER, .num = l->employees };
		json_object_set_new(o, "employees", lf_value_json(&v));
	}
	json_object_set_new(o, "stage", json_string(lf_stage_name(l->stage)));
	if (l->owner_rep_id)
		json_object_set_new(o, "owner_rep_id", json_integer(l->owner_rep_id));
	json_object_set_new(o, "fit", json_real(l->fit));
	json_object_set_new(o, "engagement", json_real(l->engagement));
	json_object_set_new(o, "total", json_real(l->total));
	if (l->model_version)
		json_object_set_new(o, "model_version", json_integer(l->model_version));
	if (l->hand_raiser_at)
		json_object_set_new(o, "hand_raiser_at", lf_time_json(l->hand_raiser_at));
	if (l->recycled_at)
		json_object_set_new(o, "recycled_at", lf_time_json(l->recycled_at));
	json_object_set_new(o, "created_at", lf_time_json(l->created_at));
	json_object_set_new(o, "updated_at", lf_time_json(l->updated_at));
	for (size_t i = 0; i < l->attrs.n; i++)
		json_object_set_new(attrs, l->attrs.items[i].name,
				    lf_value_json(&l->attrs.items[i].v));
	json_object_set_new(o, "attributes", attrs);
	return o;
}

json_t *lf_transition_json(const struct lf_transition *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "from", json_string(lf_stage_name(t->from)));
	json_object_set_new(o, "to", json_string(lf_stage_name(t->to)));
	json_object_set_new(o, "actor", json_string(t->actor ? t->actor : ""));
	json_object_set_new(o, "at", lf_time_json(t->at));
	if (t->undated)   /* the import's time: the source gave no date for the move */
		json_object_set_new(o, "undated", json_true());
	if (t->reason)
		json_object_set_new(o, "reason", json_string(t->reason));
	if (t->rating)
		json_object_set_new(o, "rating", json_integer(t->rating));
	if (t->note)
		json_object_set_new(o, "note", json_string(t->note));
	if (t->model_version)
		json_object_set_new(o, "model_version", json_integer(t->model_version));
	if (t->owner_rep_id)
		json_object_set_new(o, "owner_rep_id", json_integer(t->owner_rep_id));
	return o;
}

json_t *lf_model_json(const struct lf_model *m, bool with_text)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:o}", "version", m->version, "name",
			      m->name ? m->name : "", "status", m->status ? m->status : "",
			      "created_at", lf_time_json(m->created_at));
	if (o && with_text)
		json_object_set_new(o, "text", json_string(m->text ? m->text : ""));
	return o;
}

json_t *lf_rep_json(const struct lf_rep *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:f, s:i, s:b}", "id", (json_int_t)r->id,
			      "name", r->name ? r->name : "", "team", r->team ? r->team : "",
			      "pools", r->pools ? r->pools : "", "weekly_hours", r->weekly_hours,
			      "max_active", r->max_active, "away", r->away);
	json_object_set_new(o, "away_from", r->away_from ? lf_time_json(r->away_from) : json_null());
	json_object_set_new(o, "away_to", r->away_to ? lf_time_json(r->away_to) : json_null());
	json_object_set_new(o, "tier", json_string(lf_tier_name(r->tier)));
	return o;
}

json_t *lf_answer_json(const struct lf_answer *a)
{
	json_t *value = json_loads(a->value, JSON_DECODE_ANY, NULL);
	json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)a->id,
			      "lead_id", (json_int_t)a->lead_id, "question", a->question,
			      "value", value ? value : json_string(a->value), "actor", a->actor,
			      "at", lf_time_json(a->at));
	if (o)
		json_object_set_new(o, "model_version", a->model_version
								? json_integer(a->model_version)
								: json_null());
	return o;
}

json_t *lf_token_json(const struct lf_token *t)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)t->id, "name", t->name,
			      "role", t->role, "created_at", lf_time_json(t->created_at));
	if (o && t->rep_id)
		json_object_set_new(o, "rep_id", json_integer(t->rep_id));
	if (o)
		json_object_set_new(o, "revoked_at",
				    t->revoked_at ? lf_time_json(t->revoked_at) : json_null());
	return o;
}

json_t *lf_webhook_json(const struct lf_webhook *w)
{
	json_t *types = json_array();
	char *copy = strdup(w->types ? w->types : "");
	for (char *p = copy ? strtok(copy, ", ") : NULL; p; p = strtok(NULL, ", "))
		json_array_append_new(types, json_string(p));
	free(copy);
	return json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)w->id, "url", w->url,
			 "types", types, "created_at", lf_time_json(w->created_at));
}

enum lf_result lf_rep_json_append(void *array, const struct lf_rep *r)
{
	return json_array_append_new(array, lf_rep_json(r)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_result lf_token_json_append(void *array, const struct lf_token *t)
{
	return json_array_append_new(array, lf_token_json(t)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_result lf_webhook_json_append(void *array, const struct lf_webhook *w)
{
	return json_array_append_new(array, lf_webhook_json(w)) ? LF_ERR_NOMEM : LF_OK;
}
