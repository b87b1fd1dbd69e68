/*
 * present.c - the gate's answers as JSON (leadflow/gate.h).
 */
#include "gate/capacity.h"

#include <leadflow/json.h>
#include "core/value_json.h"

#include <stdlib.h>

static enum lf_result add_mark(void *ctx, const struct lf_gate_mark *m)
{
	json_t *o = json_pack("{s:o, s:f, s:f, s:I, s:I, s:I}", "at", lf_time_json(m->at),
			      "threshold", m->threshold, "floor", m->floor, "free_slots",
			      (json_int_t)m->free_slots, "waiting", (json_int_t)m->pool,
			      "released", (json_int_t)m->released);
	return json_array_append_new(ctx, o) ? LF_ERR_NOMEM : LF_OK;
}

static json_t *teams_json(const struct lf_capacity *c)
{
	json_t *teams = json_array();
	for (size_t t = 0; t < c->nteams; t++)
		json_array_append_new(teams, json_pack(
			"{s:s, s:i, s:i, s:f, s:i, s:f, s:i}", "team", c->teams[t].team, "reps",
			c->teams[t].reps, "free_slots", c->teams[t].free_slots, "lead_minutes",
			c->teams[t].lead_minutes, "leads_measured", c->teams[t].leads_measured,
			"opportunity_minutes", c->teams[t].opportunity_minutes,
			"opportunities_measured", c->teams[t].opportunities_measured));
	return teams;
}

enum lf_result lf_gate_status_json(struct lf_store *s, const struct lf_capacity_settings *set,
				   int history_max, json_t **out, struct lf_error *err)
{
	struct lf_gate_status st;
	json_t *history = json_array();
	enum lf_result r;

	*out = NULL;
	if ((r = lf_store_gate_history(s, history_max, add_mark, history, err)) ||
	    (r = lf_gate_status(s, set, &st, err))) {
		json_decref(history);
		return r;
	}
	*out = json_pack("{s:o, s:o, s:i, s:I, s:o, s:I, s:o, s:o}",
			 "threshold", st.ran ? json_real(st.last.threshold) : json_null(),
			 "floor", st.ran ? json_real(st.last.floor) : json_null(),
			 "free_slots", st.cap.free_slots, "pool", (json_int_t)st.pool,
			 "waiting", st.ran ? json_integer(st.last.pool) : json_null(),
			 "released_today", (json_int_t)st.released_today,
			 "teams", teams_json(&st.cap), "history", history);
	/* the second handoff's room: the AEs' free slots for SQLs */
	if (*out)
		json_object_set_new(*out, "account_executives",
				    json_pack("{s:i, s:i}", "reps", st.cap.aes, "free_slots",
					      st.cap.ae_free_slots));
	lf_gate_status_release(&st);
	return *out ? LF_OK : lf_error_set(err, LF_ERR_NOMEM, "out of memory");
}

json_t *lf_gate_result_json(const struct lf_gate_result *g)
{
	return json_pack("{s:f, s:f, s:i, s:i, s:i, s:i, s:i, s:i, s:b}", "threshold",
			 g->threshold, "floor", g->floor, "free_slots", g->free_slots, "entered",
			 g->entered, "nurtured", g->nurtured, "released", g->released,
			 "to_managers", g->to_managers, "waiting", g->waiting, "threshold_changed",
			 g->threshold_changed);
}

json_t *lf_sla_result_json(const struct lf_sla_result *r)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i}", "checked", r->checked, "met", r->met,
			 "breached", r->breached, "reassigned", r->reassigned, "unassignable",
			 r->unassignable);
}

enum lf_result lf_routing_json(struct lf_store *s, json_t **out, struct lf_error *err)
{
	char *text;
	int version;
	enum lf_result r = lf_store_routing_get(s, &version, &text, err);
	if (r == LF_ERR_NOT_FOUND) {
		*out = json_pack("{s:n, s:n}", "version", "text");
		return LF_OK;
	}
	if (r)
		return r;
	*out = json_pack("{s:i, s:s}", "version", version, "text", text);
	free(text);
	return LF_OK;
}
