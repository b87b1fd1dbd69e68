/*
 * api_gate.c - /v1/gate (the gate's state, a run of it) and /v1/routing
 * (the routing file sales managers own).
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include "gate/capacity.h"
#include "gate/routing.h"
#include "score/scoring.h"

#include <stdlib.h>
#include <string.h>

/* Threshold, floor, free slots by team, the pool, releases today, history. */
enum lf_http_outcome api_gate_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_capacity_settings set;
	struct lf_error err;
	json_t *doc;

	lf_capacity_from_config(req->cfg, lf_time_now(), &set);
	if (lf_gate_status_json(req->store, &set, 50, &doc, &err))
		return lf_http_fail(resp, &err, 400);
	return lf_http_json(resp, 200, doc);
}

/*
 * What the gate would have done over the last weeks as it is and with
 * other capacities, floor or model: the same comparison as `leadflow
 * simulate`, week by week.
 */
enum lf_http_outcome api_simulation(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_sim_options base = { 0 }, alt;
	struct lf_sim_result rb, ra;
	struct lf_model_def other;
	struct lf_table t;
	struct lf_error err;
	long long weeks = 12, model = 0;
	double reps = 0, aes = 0;
	bool has_model = false;
	enum lf_result r;

	if (!lf_http_query_int(req, "weeks", 1, 52, &weeks, resp) ||
	    !lf_http_query_int(req, "model", 1, INT32_MAX, &model, resp))
		return LF_HTTP_DONE;
	base.to = lf_time_now();
	base.from = base.to - weeks * 7 * 86400000LL;
	base.seed = 1;
	base.work_days = 14;
	lf_capacity_from_config(req->cfg, base.to, &base.cap);
	alt = base;
	if (!lf_http_query_real(req, "reps_delta", -1000, 1000, &reps, NULL, resp) ||
	    !lf_http_query_real(req, "aes_delta", -1000, 1000, &aes, NULL, resp) ||
	    !lf_http_query_real(req, "hours_delta", -168, 168, &alt.hours_delta, NULL, resp) ||
	    !lf_http_query_real(req, "floor", -1e6, 1e6, &alt.floor, &alt.has_floor, resp))
		return LF_HTTP_DONE;
	alt.reps_delta = (int)reps;
	alt.aes_delta = (int)aes;
	if (model) {
		if (lf_model_version(req->store, (int)model, &other, &err)) {
			if (err.code == LF_ERR_NOT_FOUND)
				return lf_http_error(resp, 404, "not_found", "model", "no model version %lld",
						     model);
			return lf_http_fail(resp, &err, 400);
		}
		has_model = true;
		alt.model = &other;
	}
	r = lf_simulate_compare(req->store, &base, &alt, &t, &rb, &ra, &err);
	if (r) {
		lf_http_fail(resp, &err, 400);
	} else {
		lf_http_json(resp, 200, json_pack(
			"{s:{s:i, s:f, s:i, s:f}, s:{s:i, s:f, s:i, s:f, s:o}, s:b, s:o}",
			"baseline", "reps", rb.reps, "weekly_hours", rb.weekly_hours, "aes", rb.aes,
			"floor", rb.floor,
			"scenario", "reps", ra.reps, "weekly_hours", ra.weekly_hours, "aes", ra.aes,
			"floor", ra.floor,
			"model", has_model ? json_integer(model) : json_null(),
			"truth", rb.truth, "weeks", lf_table_json(&t)));
		lf_sim_result_release(&ra);
		lf_sim_result_release(&rb);
	}
	lf_table_release(&t);
	if (has_model)
		lf_model_def_release(&other);
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
	lf_http_json(resp, 200, lf_gate_result_json(&g));
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
	json_t *doc;
	if (lf_routing_json(req->store, &doc, &err))
		return lf_http_fail(resp, &err, 400);
	return lf_http_json(resp, 200, doc);
}

struct routing_write {
	char *text;
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
	struct lf_buf problems = LF_BUF_INIT(1u << 20);
	int version;
	size_t rules = 0;
	enum lf_result r = lf_routing_set(lf_write_store(w), "routing", rw->text, lf_write_who(w)->name,
					  &version, &rules, &problems, err);
	lf_buf_release(&problems);   /* checked before the write was queued */
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:i, s:I}", "version", version, "rules",
						  (json_int_t)rules));
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
	return lf_http_defer(req, write_routing, rw, routing_write_free);
}
