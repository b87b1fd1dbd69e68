/*
 * api_admin.c - reps, reports, tokens and webhook subscriptions.
 */
#include "server/api.h"
#include "move/rep_find.h"
#include "notify/subscriptions.h"

#include "core/entity_json.h"
#include "notify/notify.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- reps ---------------------------------------------------------------- */

static enum lf_result add_rep(void *ctx, const struct lf_rep *r)
{
	return json_array_append_new(ctx, lf_rep_json(r)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_rep_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_rep_list(req->store, add_rep, list, &err);
	return lf_http_list(resp, r, &err, "reps", list);
}

struct rep_write {
	struct lf_rep rep;
};

static void rep_write_free(void *p)
{
	struct rep_write *w = p;
	lf_rep_release(&w->rep);
	free(w);
}

static enum lf_result write_rep(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				struct lf_error *err)
{
	struct rep_write *rw = arg;
	enum lf_result r = lf_rep_check(&rw->rep, err);
	if (!r)
		r = lf_store_rep_insert(lf_write_store(w), &rw->rep, err);
	if (r == LF_ERR_CONFLICT)
		lf_error_field(err, r, "name", "a rep named '%s' already exists", rw->rep.name);
	if (!r) {
		lf_http_json(resp, 201, lf_rep_json(&rw->rep));
		snprintf(resp->location, sizeof(resp->location), "/v1/reps/%lld",
			 (long long)rw->rep.id);
	}
	return r;
}

/* A string member, copied; false (400 in resp) when it is there but not a string. */
static bool member_string(json_t *o, const char *key, bool required, char **out,
			  struct lf_http_resp *resp)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			lf_http_error(resp, 400, "invalid", key, "'%s' is required", key);
		return !required;
	}
	if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > 1000 ||
	    strspn(json_string_value(v), " \t") == json_string_length(v)) {
		lf_http_error(resp, 400, "invalid", key,
			      "'%s' must be a string of 1 to 1000 characters", key);
		return false;
	}
	return (*out = strdup(json_string_value(v))) != NULL;
}

static bool known_fields(json_t *o, const char *const *known, struct lf_http_resp *resp)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		size_t i = 0;
		while (known[i] && strcmp(known[i], key))
			i++;
		if (!known[i]) {
			lf_http_error(resp, 400, "invalid", key, "unknown field '%s'", key);
			return false;
		}
	}
	return true;
}

/* Lays the fields body gives over rep; false (400 in resp) for a bad one. */
static bool rep_fields(json_t *body, struct lf_rep *rep, struct lf_http_resp *resp)
{
	static const char *const fields[] = { "name", "team", "pools", "weekly_hours",
					      "max_active", "away", "away_from", "away_to", NULL };
	static const char *const texts[] = { "name", "team", "pools" };
	char **slots[] = { &rep->name, &rep->team, &rep->pools };
	json_t *v;

	if (!known_fields(body, fields, resp))
		return false;
	for (size_t i = 0; i < 3; i++) {
		char *text;
		if (!json_object_get(body, texts[i]))
			continue;
		if (!member_string(body, texts[i], i == 0, &text, resp))
			return false;
		free(*slots[i]);
		*slots[i] = text;
	}
	if ((v = json_object_get(body, "weekly_hours"))) {
		if (!json_is_number(v)) {
			lf_http_error(resp, 400, "invalid", "weekly_hours",
				      "'weekly_hours' must be a number");
			return false;
		}
		rep->weekly_hours = json_number_value(v);
	}
	if ((v = json_object_get(body, "max_active"))) {
		if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
		    json_integer_value(v) > INT32_MAX) {
			lf_http_error(resp, 400, "invalid", "max_active",
				      "'max_active' must be a whole number");
			return false;
		}
		rep->max_active = (int)json_integer_value(v);
	}
	if ((v = json_object_get(body, "away"))) {
		if (!json_is_boolean(v)) {
			lf_http_error(resp, 400, "invalid", "away", "'away' must be true or false");
			return false;
		}
		rep->away = json_is_true(v);
	}
	static const char *const dates[] = { "away_from", "away_to" };
	lf_time_ms *times[] = { &rep->away_from, &rep->away_to };
	for (size_t i = 0; i < 2; i++) {
		if (!(v = json_object_get(body, dates[i])))
			continue;
		if (json_is_null(v)) {
			*times[i] = 0;
		} else if (!json_is_string(v) || lf_time_parse(json_string_value(v), times[i], NULL)) {
			lf_http_error(resp, 400, "invalid", dates[i],
				      "'%s' must be an ISO 8601 time or null", dates[i]);
			return false;
		}
	}
	return true;   /* the ranges are the domain's to check (lf_rep_check) */
}

enum lf_http_outcome api_rep_add(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct rep_write *w = calloc(1, sizeof(*w));
	json_t *body = NULL;

	if (!w)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!(body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	w->rep.weekly_hours = 40;
	w->rep.max_active = 50;
	if (!json_object_get(body, "name")) {
		lf_http_error(resp, 400, "invalid", "name", "'name' is required");
		goto fail;
	}
	if (!rep_fields(body, &w->rep, resp))
		goto fail;
	json_decref(body);
	return lf_http_defer(req, write_rep, w, rep_write_free);
fail:
	json_decref(body);
	rep_write_free(w);
	return LF_HTTP_DONE;
}

struct rep_patch {
	int64_t id;
	json_t *body;
};

static void rep_patch_free(void *p)
{
	struct rep_patch *rp = p;
	json_decref(rp->body);
	free(rp);
}

static enum lf_result write_rep_patch(struct lf_write_ctx *w, void *arg,
				      struct lf_http_resp *resp, struct lf_error *err)
{
	struct rep_patch *rp = arg;
	struct lf_rep rep = { 0 };
	enum lf_result r = lf_store_rep_get(lf_write_store(w), rp->id, &rep, err);
	if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "id", "no rep with id %lld", (long long)rp->id);
	if (!r && !rep_fields(rp->body, &rep, resp))
		r = lf_error_set(err, LF_ERR_INPUT, "bad rep fields");
	if (!r)
		r = lf_rep_check(&rep, err);
	if (!r)
		r = lf_store_rep_update(lf_write_store(w), &rep, err);
	if (r == LF_ERR_CONFLICT)
		lf_error_field(err, r, "name", "a rep named '%s' already exists", rep.name);
	if (!r)
		lf_http_json(resp, 200, lf_rep_json(&rep));
	lf_rep_release(&rep);
	return r;
}

enum lf_http_outcome api_rep_patch(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct rep_patch *rp = calloc(1, sizeof(*rp));
	struct lf_rep scratch = { 0 };
	if (!rp)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!lf_http_param_id(req, 0, "id", &rp->id, resp) ||
	    !(rp->body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(rp->body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	/* checked here, so that the writer only fails on what the store says */
	if (!rep_fields(rp->body, &scratch, resp))
		goto fail;
	lf_rep_release(&scratch);
	return lf_http_defer(req, write_rep_patch, rp, rep_patch_free);
fail:
	lf_rep_release(&scratch);
	rep_patch_free(rp);
	return LF_HTTP_DONE;
}

/* --- reports -------------------------------------------------------------- */

/* The forecast: its three parts, `weeks` ahead (4), `value_field` for the pipeline. */
static enum lf_http_outcome forecast(struct lf_http_req *req, struct lf_http_resp *resp,
				     const struct lf_report_filter *f)
{
	struct lf_forecast fc;
	struct lf_error err;
	long long weeks = 4;
	if (!lf_http_query_int(req, "weeks", 1, 52, &weeks, resp))
		return LF_HTTP_DONE;
	if (lf_report_forecast_all(req->store, f, (int)weeks, lf_http_query(req, "value_field"),
				   &fc, &err))
		return lf_http_fail(resp, &err, 400);
	lf_http_json(resp, 200, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o}", "report", "forecast",
					  "days", (json_int_t)fc.days, "backtest",
					  lf_table_json(&fc.backtest), "weeks", lf_table_json(&fc.weeks),
					  "rows", lf_table_json(&fc.weeks), "pipeline",
					  lf_table_json(&fc.pipeline)));
	lf_forecast_release(&fc);
	return LF_HTTP_DONE;
}

static const char *const report_params[] = { "from", "to", "source", "campaign", "team",
					     "outcome", "weeks", "value_field", NULL };

enum lf_http_outcome api_report(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_report_filter f = { 0 };
	struct lf_error err;
	struct lf_table t;
	const struct lf_report *rep = lf_report_find(req->param[0], &err);
	const char *from = lf_http_query(req, "from"), *to = lf_http_query(req, "to");

	if (!rep)
		return lf_http_error(resp, 404, "not_found", "name", "%s", err.msg);
	for (const char *const *p = report_params; *p; p++)
		if (lf_http_query(req, *p) && lf_report_takes(rep, *p, &err))
			return lf_http_fail(resp, &err, 400);
	if (from && lf_time_parse(from, &f.from, NULL))
		return lf_http_error(resp, 400, "invalid", "from",
				     "'from' must be an ISO 8601 date or time, got '%s'", from);
	if (to && lf_time_parse(to, &f.to, NULL))
		return lf_http_error(resp, 400, "invalid", "to",
				     "'to' must be an ISO 8601 date or time, got '%s'", to);
	f.source = lf_http_query(req, "source");
	f.campaign = lf_http_query(req, "campaign");
	f.team = lf_http_query(req, "team");
	if (lf_report_outcome(lf_http_query(req, "outcome"), &f, &err))
		return lf_http_fail(resp, &err, 400);
	if (!strcmp(rep->name, "forecast"))
		return forecast(req, resp, &f);
	if (rep->run(req->store, &f, &t, &err))
		lf_http_fail(resp, &err, 400);
	else
		lf_http_json(resp, 200, json_pack("{s:s, s:o}", "report", rep->name, "rows",
						  lf_table_json(&t)));
	lf_table_release(&t);
	return LF_HTTP_DONE;
}

/* --- tokens -------------------------------------------------------------- */

static enum lf_result add_token(void *ctx, const struct lf_token *t)
{
	return json_array_append_new(ctx, lf_token_json(t)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_token_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_token_list(req->store, add_token, list, &err);
	return lf_http_list(resp, r, &err, "tokens", list);
}

struct token_write {
	char *name;
	enum lf_role role;
	int64_t rep_id, id;
	char actor[64];
	struct lf_server *srv;
};

static void token_write_free(void *p)
{
	struct token_write *w = p;
	free(w->name);
	free(w);
}

static enum lf_result write_token(struct lf_write_ctx *w, void *arg,
				  struct lf_http_resp *resp, struct lf_error *err)
{
	struct token_write *tw = arg;
	struct lf_token row;
	char token[LF_TOKEN_MAX];
	enum lf_result r = lf_token_create(lf_write_store(w), tw->name, tw->role, tw->rep_id,
					   tw->actor, &row, token, err);
	if (r == LF_ERR_CONFLICT)
		lf_error_field(err, r, "name", "a token named '%s' already exists", tw->name);
	else if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "rep_id", "no rep with id %lld", (long long)tw->rep_id);
	if (r == LF_ERR_NOT_FOUND)
		err->code = LF_ERR_INPUT;
	if (!r) {
		row.name = tw->name;
		row.role = (char *)lf_role_name(tw->role);
		json_t *o = lf_token_json(&row);
		json_object_set_new(o, "token", json_string(token));
		lf_http_json(resp, 201, o);
		row.name = row.role = NULL;
	}
	return r;
}

enum lf_http_outcome api_token_add(struct lf_http_req *req, struct lf_http_resp *resp)
{
	static const char *const fields[] = { "name", "role", "rep_id", NULL };
	struct token_write *w = calloc(1, sizeof(*w));
	json_t *body = NULL, *v;
	char *role = NULL;
	struct lf_error err;

	if (!w)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!(body = lf_http_body_json(req, resp)))
		goto fail;
	if (!json_is_object(body)) {
		lf_http_error(resp, 400, "invalid", NULL, "the body must be a JSON object");
		goto fail;
	}
	if (!known_fields(body, fields, resp) ||
	    !member_string(body, "name", true, &w->name, resp) ||
	    !member_string(body, "role", true, &role, resp))
		goto fail;
	if (lf_role_parse(role, &w->role, &err)) {
		lf_http_error(resp, 400, "invalid", "role", "%s", err.msg);
		goto fail;
	}
	if ((v = json_object_get(body, "rep_id")) && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			lf_http_error(resp, 400, "invalid", "rep_id", "'rep_id' must be a rep's id");
			goto fail;
		}
		w->rep_id = json_integer_value(v);
	}
	free(role);
	json_decref(body);
	snprintf(w->actor, sizeof(w->actor), "%s", req->who.name);
	return lf_http_defer(req, write_token, w, token_write_free);
fail:
	free(role);
	json_decref(body);
	token_write_free(w);
	return LF_HTTP_DONE;
}

static enum lf_result write_revoke(struct lf_write_ctx *w, void *arg,
				   struct lf_http_resp *resp, struct lf_error *err)
{
	struct token_write *tw = arg;
	enum lf_result r = lf_token_revoke(lf_write_store(w), tw->id, tw->actor, err);
	if (!r) {
		lf_server_forget_tokens(tw->srv);
		lf_http_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)tw->id,
						  "revoked", 1));
	}
	return r;
}

enum lf_http_outcome api_token_revoke(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct token_write *w = calloc(1, sizeof(*w));
	if (!w)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!lf_http_param_id(req, 0, "id", &w->id, resp)) {
		free(w);
		return LF_HTTP_DONE;
	}
	w->srv = req->srv;
	snprintf(w->actor, sizeof(w->actor), "%s", req->who.name);
	return lf_http_defer(req, write_revoke, w, token_write_free);
}

/* --- webhooks ------------------------------------------------------------ */

static enum lf_result add_webhook(void *ctx, const struct lf_webhook *w)
{
	return json_array_append_new(ctx, lf_webhook_json(w)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_webhook_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_webhook_list(req->store, add_webhook, list, &err);
	return lf_http_list(resp, r, &err, "webhooks", list);
}

struct hook_write {
	struct lf_webhook w;
	int64_t id;
	char actor[64];
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
	enum lf_result r = lf_webhook_add(lf_write_store(w), &h->w, h->actor, err);
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
	if (!known_fields(body, fields, resp) || !member_string(body, "url", true, &h->w.url, resp) ||
	    !member_string(body, "secret", true, &h->w.secret, resp))
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
	snprintf(h->actor, sizeof(h->actor), "%s", req->who.name);
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
	enum lf_result r = lf_webhook_remove(lf_write_store(w), h->id, h->actor, err);
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
	snprintf(h->actor, sizeof(h->actor), "%s", req->who.name);
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
