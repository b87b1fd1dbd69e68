/*
 * api_gate.c - /v1/gate (the gate's state, a run of it) and /v1/routing
 * (the routing file sales managers own).
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include "gate/capacity.h"
#include "gate/routing.h"

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
