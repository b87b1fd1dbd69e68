/*
 * api_gate.c - /v1/gate (the gate's state, a run of it) and /v1/routing
 * (the routing file sales managers own).
 */
#include "server/api.h"

#include "core/entity_json.h"
#include "gate/gate.h"
#include "gate/routing.h"

#include <stdlib.h>
#include <string.h>

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

/* Threshold, floor, free slots by team, the pool, releases today, history. */
enum lf_http_outcome api_gate_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_capacity_settings set;
	struct lf_gate_status st;
	struct lf_error err;
	json_t *history = json_array();

	lf_capacity_from_config(req->cfg, lf_time_now(), &set);
	if (lf_store_gate_history(req->store, 50, add_mark, history, &err) ||
	    lf_gate_status(req->store, &set, &st, &err)) {
		json_decref(history);
		return lf_http_fail(resp, &err, 400);
	}
	lf_http_json(resp, 200, json_pack(
		"{s:o, s:o, s:i, s:I, s:o, s:I, s:o, s:o}",
		"threshold", st.ran ? json_real(st.last.threshold) : json_null(),
		"floor", st.ran ? json_real(st.last.floor) : json_null(),
		"free_slots", st.cap.free_slots, "pool", (json_int_t)st.pool,
		"waiting", st.ran ? json_integer(st.last.pool) : json_null(),
		"released_today", (json_int_t)st.released_today, "teams", teams_json(&st.cap),
		"history", history));
	lf_gate_status_release(&st);
	return LF_HTTP_DONE;
}

static enum lf_result write_gate(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				 struct lf_error *err)
{
	const struct lf_config *cfg = arg;
	struct lf_capacity_settings set;
	struct lf_gate_result g;
	enum lf_result r;
	lf_capacity_from_config(cfg, lf_time_now(), &set);
	if ((r = lf_gate_run(lf_write_store(w), &set, &g, err)))
		return r;
	lf_http_json(resp, 200, json_pack("{s:f, s:f, s:i, s:i, s:i, s:i, s:i, s:i}",
					  "threshold", g.threshold, "floor", g.floor, "free_slots",
					  g.free_slots, "entered", g.entered, "nurtured", g.nurtured,
					  "released", g.released, "to_managers", g.to_managers,
					  "waiting", g.waiting));
	return LF_OK;
}

enum lf_http_outcome api_gate_run(struct lf_http_req *req, struct lf_http_resp *resp)
{
	(void)resp; /* answered by write_gate */
	return lf_http_defer(req, write_gate, (void *)req->cfg, NULL);
}

enum lf_http_outcome api_routing_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_error err;
	char *text;
	int version;
	enum lf_result r = lf_store_routing_get(req->store, &version, &text, &err);
	if (r == LF_ERR_NOT_FOUND)
		return lf_http_json(resp, 200, json_pack("{s:n, s:n}", "version", "text"));
	if (r)
		return lf_http_fail(resp, &err, 400);
	lf_http_json(resp, 200, json_pack("{s:i, s:s}", "version", version, "text", text));
	free(text);
	return LF_HTTP_DONE;
}

struct routing_write {
	char *text;
	char actor[64];
	size_t rules;
};

static void routing_write_free(void *p)
{
	struct routing_write *rw = p;
	free(rw->text);
	free(rw);
}

static enum lf_result write_routing(struct lf_write_ctx *w, void *arg,
				    struct lf_http_resp *resp, struct lf_error *err)
{
	struct routing_write *rw = arg;
	int version;
	enum lf_result r = lf_store_routing_put(lf_write_store(w), rw->text, rw->actor, &version,
						err);
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:i, s:I}", "version", version, "rules",
						  (json_int_t)rw->rules));
	return r;
}

enum lf_http_outcome api_routing_put(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_buf problems = LF_BUF_INIT(1u << 20);
	struct routing_write *rw;
	struct lf_routing routing;
	struct lf_error err;

	if (!lf_http_media_is(req, lf_media_yaml))
		return lf_http_error(resp, 415, "unsupported_media_type", "Content-Type",
				     "send the routing file as application/yaml");
	if (!(rw = calloc(1, sizeof(*rw))) ||
	    !(rw->text = strndup(req->body ? req->body : "", req->body_len))) {
		free(rw);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	if (lf_routing_parse("routing", rw->text, &routing, &problems, &err)) {
		lf_http_problems(resp, "invalid_routing", &err, &problems);
		lf_buf_release(&problems);
		routing_write_free(rw);
		return LF_HTTP_DONE;
	}
	lf_buf_release(&problems);
	rw->rules = routing.n;
	lf_routing_release(&routing);
	snprintf(rw->actor, sizeof(rw->actor), "%s", req->who.name);
	return lf_http_defer(req, write_routing, rw, routing_write_free);
}
