/*
 * api_webhooks.c - /v1/webhooks: subscriptions (checked and audited by the
 * domain, leadflow/webhook.h) and their delivery log.
 */
#include "server/api.h"

#include <leadflow/buf.h>
#include <leadflow/json.h>
#include "core/value_json.h"
#include "notify/notify.h"
#include <leadflow/webhook.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lf_http_outcome api_webhook_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_webhook_list(req->store, lf_webhook_json_append, list, &err);
	return lf_http_list(resp, r, &err, "webhooks", list);
}

struct hook_write {
	struct lf_webhook w;
	int64_t id;
};

static void hook_write_free(void *p)
{
	struct hook_write *h = p;
	lf_webhook_release(&h->w);
	free(h);
}

static enum lf_result write_webhook(struct lf_write_ctx *w, void *arg,
				    struct lf_http_resp *resp, struct lf_error *err)
{
	struct hook_write *h = arg;
	enum lf_result r = lf_webhook_add(lf_write_store(w), &h->w, lf_write_who(w)->name, err);
	if (!r) {
		lf_http_json(resp, 201, lf_webhook_json(&h->w));
		snprintf(resp->location, sizeof(resp->location), "/v1/webhooks/%lld",
			 (long long)h->w.id);
	}
	return r;
}

enum lf_http_outcome api_webhook_add(struct lf_http_req *req, struct lf_http_resp *resp)
{
	static const char *const fields[] = { "url", "secret", "types", NULL };
	struct hook_write *h = calloc(1, sizeof(*h));
	json_t *body = NULL, *types, *v;
	struct lf_buf list = LF_BUF_INIT(4096);
	size_t i;

	if (!h)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!(body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	if (!lf_http_known_fields(body, fields, resp) || !lf_http_member_string(body, "url", true, &h->w.url, resp) ||
	    !lf_http_member_string(body, "secret", true, &h->w.secret, resp))
		goto fail;
	types = json_object_get(body, "types");
	if (!json_is_array(types) || !json_array_size(types)) {
		lf_http_error(resp, 400, "invalid", "types",
			      "'types' must be a non-empty array of event types");
		goto fail;
	}
	json_array_foreach(types, i, v) {
		if (!json_is_string(v) || strpbrk(json_string_value(v), ", ")) {
			lf_http_error(resp, 400, "invalid", "types",
				      "types[%zu]: an event type is a string without spaces", i);
			goto fail;
		}
		lf_buf_addf(&list, "%s%s", i ? "," : "", json_string_value(v));
	}
	h->w.types = lf_buf_detach(&list);
	/* the domain's check, before the write is queued: 400 naming the field */
	struct lf_error e;
	if (lf_webhook_check(&h->w, &e)) {
		lf_http_fail(resp, &e, 400);
		goto fail;
	}
	json_decref(body);
	return lf_http_defer(req, write_webhook, h, hook_write_free);
fail:
	lf_buf_release(&list);
	json_decref(body);
	hook_write_free(h);
	return LF_HTTP_DONE;
}

static enum lf_result write_unhook(struct lf_write_ctx *w, void *arg,
				   struct lf_http_resp *resp, struct lf_error *err)
{
	struct hook_write *h = arg;
	enum lf_result r = lf_webhook_remove(lf_write_store(w), h->id, lf_write_who(w)->name, err);
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)h->id,
						  "deleted", 1));
	return r;
}

enum lf_http_outcome api_webhook_delete(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct hook_write *h = calloc(1, sizeof(*h));
	if (!h)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!lf_http_param_id(req, 0, "id", &h->id, resp)) {
		free(h);
		return LF_HTTP_DONE;
	}
	return lf_http_defer(req, write_unhook, h, hook_write_free);
}

static enum lf_result add_delivery(void *ctx, const struct lf_delivery *d)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:o}", "id", (json_int_t)d->id, "type",
			      d->type, "status", d->status, "attempts", d->attempt, "occurred_at",
			      lf_time_json(d->occurred_at));
	json_object_set_new(o, "next_attempt_at", d->next_at ? lf_time_json(d->next_at)
							     : json_null());
	json_object_set_new(o, "last_status", d->last_code ? json_integer(d->last_code)
							   : json_null());
	json_object_set_new(o, "last_error", d->last_error ? json_string(d->last_error)
							   : json_null());
	return json_array_append_new(ctx, o) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_webhook_deliveries(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	int64_t id;
	if (!lf_http_param_id(req, 0, "id", &id, resp)) {
		json_decref(list);
		return LF_HTTP_DONE;
	}
	if (lf_store_delivery_list(req->store, id, 100, add_delivery, list, &err)) {
		json_decref(list);
		return lf_http_fail(resp, &err, 400);
	}
	return lf_http_json(resp, 200, json_pack("{s:I, s:o}", "webhook_id", (json_int_t)id,
						 "deliveries", list));
}
