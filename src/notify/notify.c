/*
 * notify.c - domain events into the outbox (see notify.h).
 */
#include "notify/notify.h"
#include <leadflow/json.h>

#include "core/value_json.h"

#include <stdlib.h>
#include <string.h>

const char *const lf_notify_types[] = {
	"lead.mql", "lead.disqualified", "lead.assigned", "sla.breached",
	"model.activated", NULL
};

bool lf_notify_type_known(const char *type)
{
	for (size_t i = 0; lf_notify_types[i]; i++)
		if (strcmp(lf_notify_types[i], type) == 0)
			return true;
	return false;
}

enum lf_result lf_notify(struct lf_store *s, const char *type, lf_time_ms at,
			 json_t *data, struct lf_error *err)
{
	char *text = lf_json_text(data, 0);
	enum lf_result r;
	if (!text)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	r = lf_store_outbox_add(s, type, at, text, NULL, err);
	free(text);
	return r;
}

static const char *transition_type(enum lf_stage to)
{
	switch (to) {
	case LF_STAGE_MQL: return "lead.mql";
	case LF_STAGE_ASSIGNED: return "lead.assigned";
	case LF_STAGE_DISQUALIFIED: return "lead.disqualified";
	default: return NULL;
	}
}

enum lf_result lf_notify_transition(struct lf_store *s, struct lf_transition *t,
				    const struct lf_lead *lead, const char *why,
				    struct lf_error *err)
{
	const char *type = transition_type(t->to);
	struct lf_lead read = { 0 };
	json_t *data;
	enum lf_result r;
	bool wanted = false;

	if ((r = lf_store_transition_append(s, t, err)) || !type ||
	    (r = lf_store_webhook_wants(s, type, &wanted, err)) || !wanted)
		return r;
	if (!lead) {
		if ((r = lf_store_lead_get(s, t->lead_id, &read, err)))
			return r;
		lead = &read;
	}
	json_t *move = lf_transition_json(t);
	if (move && why)
		json_object_set_new(move, "why", json_string(why));
	data = json_pack("{s:o, s:o}", "lead", lf_lead_json(lead), "transition", move);
	if (!data)
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	else
		r = lf_notify(s, type, t->at, data, err);
	json_decref(data);
	lf_lead_release(&read);
	return r;
}

enum lf_result lf_notify_model_activated(struct lf_store *s, int version,
					 const char *name, lf_time_ms at,
					 struct lf_error *err)
{
	json_t *data = json_pack("{s:i, s:s, s:o}", "version", version, "name",
				 name ? name : "", "activated_at", lf_time_json(at));
	enum lf_result r;
	if (!data)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	r = lf_notify(s, "model.activated", at, data, err);
	json_decref(data);
	return r;
}
