/*
 * api_events.c - POST /v1/events: one event (a JSON object), several (a
 * JSON array) or a stream (NDJSON, one object per line). The event id
 * makes a retry safe: an id seen before with the same content is
 * acknowledged as unchanged and counted once.
 *
 * One event answers 201 (new), 200 (seen before) or its error. A batch
 * answers 200 with the counts and, for each event not taken, its index
 * (JSON) or line (NDJSON), field and message; the others are kept.
 */
#include "server/api.h"

#include <leadflow/import.h>
#include <stdlib.h>
#include <string.h>

struct batch {
	json_t *items;         /* the events, in order */
	bool single, ndjson;
	long *lines;           /* NDJSON: each item's line */
};

static void batch_free(void *p)
{
	struct batch *b = p;
	json_decref(b->items);
	free(b->lines);
	free(b);
}

static enum lf_result write_events(struct lf_write_ctx *w, void *arg,
				   struct lf_http_resp *resp, struct lf_error *err)
{
	struct batch *b = arg;
	struct lf_ingest *in;
	json_t *errors = json_array();
	int64_t counts[3] = { 0 }, rejected = 0, lead = 0;
	enum lf_row_outcome outcome = LF_ROW_UNCHANGED;
	enum lf_result r;
	size_t i;
	json_t *ev;

	if ((r = lf_write_ingest(w, &in, err))) {
		json_decref(errors);
		return r;
	}
	json_array_foreach(b->items, i, ev) {
		struct lf_error e = { 0 };
		r = lf_ingest_json(in, LF_ENTITY_EVENTS, ev, &outcome, &lead, &e);
		if (!r) {
			counts[outcome]++;
			continue;
		}
		int status = lf_http_row_status(&e);
		if (!status || b->single) {
			/* a store failure undoes the whole request; one event answers alone */
			json_decref(errors);
			*err = e;
			if (status)
				lf_http_row_error(resp, status, &e);
			return r;
		}
		rejected++;
		json_t *o = json_pack("{s:s, s:s}", "field", e.field, "message", e.msg);
		if (b->ndjson)
			json_object_set_new(o, "line", json_integer(b->lines[i]));
		else
			json_object_set_new(o, "index", json_integer((json_int_t)i));
		json_array_append_new(errors, o);
	}
	lf_write_count_events(w, counts[LF_ROW_INSERTED]);
	if (b->single) {
		json_t *id = json_object_get(json_array_get(b->items, 0), "id");
		json_decref(errors);
		lf_http_json(resp, outcome == LF_ROW_INSERTED ? 201 : 200,
			     json_pack("{s:O, s:I, s:s}", "id", id, "lead_id", (json_int_t)lead,
				       "status", outcome == LF_ROW_INSERTED ? "inserted"
										: "unchanged"));
		return LF_OK;
	}
	lf_http_json(resp, 200, json_pack("{s:I, s:I, s:I, s:o}", "inserted",
					  (json_int_t)counts[LF_ROW_INSERTED], "unchanged",
					  (json_int_t)(counts[LF_ROW_UNCHANGED] +
						       counts[LF_ROW_UPDATED]),
					  "rejected", (json_int_t)rejected, "errors", errors));
	return LF_OK;
}

/* Splits an NDJSON body into objects; a bad line is answered 400 with its number. */
static bool parse_ndjson(const struct lf_http_req *req, struct batch *b,
			 struct lf_http_resp *resp)
{
	const char *p = req->body ? req->body : "", *end = p + req->body_len;
	size_t cap = 0;
	long line = 0;

	b->ndjson = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_error_t jerr;
		json_t *o;
		line++;
		if (len > (size_t)req->cfg->line_max) {
			lf_http_error(resp, 413, "too_large", "body",
				      "line %ld is %zu bytes, more than the %ld allowed (line_max)",
				      line, len, req->cfg->line_max);
			return false;
		}
		const char *q = p;
		while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < p + len) {
			if (json_array_size(b->items) >= (size_t)req->cfg->batch_max) {
				lf_http_error(resp, 413, "too_large", "body",
					      "more than %ld events in one request (batch_max)",
					      req->cfg->batch_max);
				return false;
			}
			if (!(o = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr))) {
				lf_http_error(resp, 400, "bad_json", "body",
					      "line %ld is not valid JSON: %s at column %d", line,
					      jerr.text, jerr.column);
				return false;
			}
			if (!json_is_object(o)) {
				json_decref(o);
				lf_http_error(resp, 400, "invalid", "body",
					      "line %ld: each line must be a JSON object", line);
				return false;
			}
			if (json_array_size(b->items) >= cap) {
				cap = cap ? cap * 2 : 64;
				long *grown = realloc(b->lines, cap * sizeof(*grown));
				if (!grown) {
					json_decref(o);
					lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
					return false;
				}
				b->lines = grown;
			}
			b->lines[json_array_size(b->items)] = line;
			json_array_append_new(b->items, o);
		}
		p += len + 1;
	}
	return true;
}

enum lf_http_outcome api_events_post(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct batch *b = calloc(1, sizeof(*b));
	json_t *body;

	if (!b)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (lf_http_media_is(req, lf_media_ndjson)) {
		b->items = json_array();
		if (!parse_ndjson(req, b, resp))
			goto fail;
	} else {
		if (!(body = lf_http_body_json(req, resp)))
			goto fail;
		if (json_is_object(body)) {
			b->items = json_array();
			json_array_append_new(b->items, body);
			b->single = true;
		} else if (json_is_array(body)) {
			b->items = body;
			size_t i;
			json_t *v;
			json_array_foreach(body, i, v) if (!json_is_object(v)) {
				lf_http_error(resp, 400, "invalid", "body",
					      "item %zu of the array is not a JSON object", i);
				goto fail;
			}
			if (json_array_size(body) > (size_t)req->cfg->batch_max) {
				lf_http_error(resp, 413, "too_large", "body",
					      "%zu events in one request, more than %ld (batch_max)",
					      json_array_size(body), req->cfg->batch_max);
				goto fail;
			}
		} else {
			json_decref(body);
			lf_http_error(resp, 400, "invalid", "body",
				      "the body must be an event object or an array of them");
			goto fail;
		}
	}
	if (!json_array_size(b->items)) {
		lf_http_error(resp, 400, "invalid", "body", "the request has no events");
		goto fail;
	}
	/* an event that does not say when it happened happened when it arrived */
	char now[LF_TIME_STR_MAX];
	size_t i;
	json_t *ev;
	lf_time_format(lf_time_now(), now);
	json_array_foreach(b->items, i, ev)
		if (!json_object_get(ev, "occurred_at"))
			json_object_set_new(ev, "occurred_at", json_string(now));
	req->bulk = json_array_size(b->items) >= LF_BULK_ROWS;
	return lf_http_defer(req, write_events, b, batch_free);
fail:
	batch_free(b);
	return LF_HTTP_DONE;
}
