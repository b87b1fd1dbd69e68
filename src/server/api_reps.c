/*
 * api_reps.c - /v1/reps: the reps and their capacity (list, add, patch);
 * the checks are the domain's (lf_rep_check).
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include <leadflow/rep.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lf_http_outcome api_rep_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_rep_list(req->store, lf_rep_json_append, list, &err);
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

/* Lays the fields body gives over rep; false (400 in resp) for a bad one. */
static bool rep_fields(json_t *body, struct lf_rep *rep, struct lf_http_resp *resp)
{
	static const char *const fields[] = { "name", "team", "pools", "weekly_hours",
					      "max_active", "away", "away_from", "away_to", "tier",
					      NULL };
	static const char *const texts[] = { "name", "team", "pools" };
	char **slots[] = { &rep->name, &rep->team, &rep->pools };
	json_t *v;

	if (!lf_http_known_fields(body, fields, resp))
		return false;
	for (size_t i = 0; i < 3; i++) {
		char *text;
		if (!json_object_get(body, texts[i]))
			continue;
		if (!lf_http_member_string(body, texts[i], i == 0, &text, resp))
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
	if ((v = json_object_get(body, "tier"))) {
		struct lf_error e;
		if (!json_is_string(v) || lf_tier_parse(json_string_value(v), "tier", &rep->tier,
							 &e)) {
			lf_http_error(resp, 400, "invalid", "tier", "'tier' must be \"sdr\" "
				      "(inside sales) or \"ae\" (account executive)");
			return false;
		}
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

