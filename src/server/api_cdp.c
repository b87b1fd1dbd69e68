/*
 * api_cdp.c - the Segment / RudderStack HTTP tracking API, as the
 * specification has it, so that a company points its CDP at leadflow with
 * no code: POST /v1/track, /v1/page, /v1/screen, /v1/identify, /v1/group,
 * /v1/alias (one call each) and /v1/batch ({"batch": [calls], "sentAt",
 * "context"}). The write key is a token, sent as HTTP Basic user name
 * (server.c) or as a bearer token. What a call becomes: cdp.h.
 *
 * Limits as the specification's: 32 KB a call, 500 KB a batch; beyond,
 * 400. A call answers 200 {"success": true, "status": taken | unchanged |
 * held, "lead_id"}, or its error; a batch 200 with the counts and, for each
 * call not taken, its index, member and message (the others are kept).
 */
#include "server/api.h"

#include <leadflow/cdp.h>
#include <stdlib.h>
#include <string.h>

struct cdp_job {
	json_t *calls;          /* the calls, in order */
	const char *type;       /* a single call's type (the route's); NULL: a batch */
	char *sent_at;          /* the batch's sentAt, or NULL */
	lf_time_ms received;
};

static void job_free(void *p)
{
	struct cdp_job *j = p;
	json_decref(j->calls);
	free(j->sent_at);
	free(j);
}

static const char *const status_names[] = { "taken", "unchanged", "held" };

static enum lf_result write_calls(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				  struct lf_error *err)
{
	struct cdp_job *j = arg;
	struct lf_ingest *in;
	json_t *errors = json_array(), *call;
	int64_t counts[3] = { 0 }, rejected = 0, lead = 0;
	enum lf_cdp_outcome outcome = LF_CDP_UNCHANGED;
	enum lf_result r;
	size_t i;

	if ((r = lf_write_ingest(w, &in, err))) {
		json_decref(errors);
		return r;
	}
	json_array_foreach(j->calls, i, call) {
		struct lf_error e = { 0 };
		if (json_is_string(call)) { /* a call over the limit, told in its place */
			rejected++;
			json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "index",
								(json_int_t)i, "field", "batch",
								"message", json_string_value(call)));
			continue;
		}
		r = lf_cdp_write(in, lf_write_store(w), call, j->type, j->sent_at, j->received,
				 &outcome, &lead, &e);
		if (!r) {
			counts[outcome]++;
			if (outcome == LF_CDP_TAKEN)
				lf_write_count_events(w, 1);
			continue;
		}
		int status = lf_http_row_status(&e);
		if (!status || j->type) {
			json_decref(errors);
			*err = e;
			if (status)
				lf_http_row_error(resp, status, &e);
			return r;
		}
		rejected++;
		json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "index", (json_int_t)i,
							"field", e.field, "message", e.msg));
	}
	if (j->type) {
		json_decref(errors);
		lf_http_json(resp, 200, json_pack("{s:b, s:s, s:o}", "success", 1, "status",
						  status_names[outcome], "lead_id",
						  lead ? json_integer(lead) : json_null()));
		return LF_OK;
	}
	lf_http_json(resp, 200, json_pack("{s:b, s:I, s:I, s:I, s:I, s:o}", "success", 1,
					  "taken", (json_int_t)counts[LF_CDP_TAKEN], "unchanged",
					  (json_int_t)counts[LF_CDP_UNCHANGED], "held",
					  (json_int_t)counts[LF_CDP_HELD], "rejected",
					  (json_int_t)rejected, "errors", errors));
	return LF_OK;
}

static struct cdp_job *new_job(const char *type)
{
	struct cdp_job *j = calloc(1, sizeof(*j));
	if (j) {
		j->type = type;
		j->received = lf_time_now();
	}
	return j;
}

static enum lf_http_outcome too_large(struct lf_http_resp *resp, size_t size, size_t max)
{
	/* the specification's answer to a call over its limit is 400 */
	return lf_http_error(resp, 400, "too_large", "body", "the body is %zu bytes, more "
			     "than the %zu a call of the tracking API may be", size, max);
}

static enum lf_http_outcome one_call(struct lf_http_req *req, struct lf_http_resp *resp,
				     const char *type)
{
	struct cdp_job *j;
	json_t *body;
	if (req->body_len > LF_CDP_CALL_MAX)
		return too_large(resp, req->body_len, LF_CDP_CALL_MAX);
	if (!(body = lf_http_body_json(req, resp)))
		return LF_HTTP_DONE;
	if (!json_is_object(body)) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "body", "a %s call must be a JSON "
				     "object", type);
	}
	if (!(j = new_job(type))) {
		json_decref(body);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	j->calls = json_array();
	json_array_append_new(j->calls, body);
	return lf_http_defer(req, write_calls, j, job_free);
}

enum lf_http_outcome api_cdp_track(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "track");
}

enum lf_http_outcome api_cdp_page(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "page");
}

enum lf_http_outcome api_cdp_screen(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "screen");
}

enum lf_http_outcome api_cdp_identify(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "identify");
}

enum lf_http_outcome api_cdp_group(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "group");
}

enum lf_http_outcome api_cdp_alias(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return one_call(req, resp, "alias");
}

/* Gives a call the batch's context members it does not set itself. */
static void inherit_context(json_t *call, json_t *context)
{
	const char *key;
	json_t *v, *own = json_object_get(call, "context");
	if (!json_is_object(context))
		return;
	if (!json_is_object(own)) {
		json_object_set(call, "context", context);
		return;
	}
	json_object_foreach(context, key, v)
		if (!json_object_get(own, key))
			json_object_set(own, key, v);
}

enum lf_http_outcome api_cdp_batch(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct cdp_job *j;
	json_t *body, *calls, *call, *sent;
	size_t i;

	if (req->body_len > LF_CDP_BATCH_MAX)
		return lf_http_error(resp, 400, "too_large", "body", "the batch is %zu bytes, "
				     "more than the %d a batch of the tracking API may be",
				     req->body_len, LF_CDP_BATCH_MAX);
	if (!(body = lf_http_body_json(req, resp)))
		return LF_HTTP_DONE;
	calls = json_object_get(body, "batch");
	sent = json_object_get(body, "sentAt");
	if (!json_is_array(calls) || !json_array_size(calls)) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "batch", "a batch is an object whose "
				     "'batch' is an array of calls");
	}
	if (json_array_size(calls) > (size_t)req->cfg->batch_max) {
		json_decref(body);
		return lf_http_error(resp, 400, "too_large", "batch", "%zu calls in one batch, "
				     "more than %ld (batch_max)", json_array_size(calls),
				     req->cfg->batch_max);
	}
	if (sent && !json_is_string(sent)) {
		json_decref(body);
		return lf_http_error(resp, 400, "invalid", "sentAt", "'sentAt' must be an ISO "
				     "8601 time");
	}
	if (!(j = new_job(NULL)) || (sent && !(j->sent_at = strdup(json_string_value(sent))))) {
		json_decref(body);
		if (j)
			job_free(j);
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	}
	j->calls = json_incref(calls);
	json_array_foreach(calls, i, call) {
		size_t size = json_dumpb(call, NULL, 0, JSON_COMPACT);
		if (!json_is_object(call))
			json_array_set_new(calls, i, json_string("a call must be a JSON object"));
		else if (size > LF_CDP_CALL_MAX)
			json_array_set_new(calls, i, json_sprintf("the call is %zu bytes, more "
								  "than the %d a call may be",
								  size, LF_CDP_CALL_MAX));
		else
			inherit_context(call, json_object_get(body, "context"));
	}
	json_decref(body);
	req->bulk = json_array_size(calls) >= LF_BULK_ROWS;
	return lf_http_defer(req, write_calls, j, job_free);
}
