/*
 * api_models.c - /v1/models: list, add (the model file as YAML, or JSON
 * {"text": ...}), show, diff, activate.
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include "notify/notify.h"
#include <leadflow/model.h>
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum lf_result add_model(void *ctx, const struct lf_model *m)
{
	return json_array_append_new(ctx, lf_model_json(m, false)) ? LF_ERR_NOMEM : LF_OK;
}

enum lf_http_outcome api_model_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_model_list(req->store, add_model, list, &err);
	return lf_http_list(resp, r, &err, "models", list);
}

static bool param_version(const struct lf_http_req *req, int i, const char *name, int *out,
			  struct lf_http_resp *resp)
{
	int64_t v;
	if (!lf_http_param_id(req, i, name, &v, resp))
		return false;
	if (v > 1000000000) {
		lf_http_error(resp, 404, "not_found", name, "no model version %lld", (long long)v);
		return false;
	}
	*out = (int)v;
	return true;
}

enum lf_http_outcome api_model_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_model m = { 0 };
	struct lf_error err;
	int v;
	if (!param_version(req, 0, "version", &v, resp))
		return LF_HTTP_DONE;
	json_t *o, *approvals;
	if (lf_store_model_get(req->store, v, &m, &err))
		return lf_http_fail(resp, &err, 400);
	o = lf_model_json(&m, true);
	lf_model_release(&m);
	if (lf_model_approvals_json(req->store, v, &approvals, &err)) {
		json_decref(o);
		return lf_http_fail(resp, &err, 400);
	}
	json_object_set_new(o, "approvals", approvals);
	/* whether governance lets it be put in force now, and if not what is missing */
	struct lf_error why;
	bool may = lf_model_may_activate(req->store, v, &why) == LF_OK;
	json_object_set_new(o, "may_activate", json_boolean(may));
	json_object_set_new(o, "missing", may ? json_null() : json_string(why.msg));
	return lf_http_json(resp, 200, o);
}

static enum lf_result load_def(struct lf_store *s, int v, struct lf_model_def *def,
			       struct lf_error *err)
{
	struct lf_model m = { 0 };
	char label[32];
	enum lf_result r;
	if ((r = lf_store_model_get(s, v, &m, err)))
		return r;
	snprintf(label, sizeof(label), "model %d", v);
	r = lf_model_parse(label, m.text, def, NULL, err);
	lf_model_release(&m);
	return r;
}

enum lf_http_outcome api_model_diff(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_model_def x, y;
	struct lf_table t;
	struct lf_error err;
	int a, b;
	json_t *rows;

	if (!param_version(req, 0, "version", &a, resp) ||
	    !param_version(req, 1, "other", &b, resp))
		return LF_HTTP_DONE;
	if (load_def(req->store, a, &x, &err))
		return lf_http_fail(resp, &err, 400);
	if (load_def(req->store, b, &y, &err)) {
		lf_model_def_release(&x);
		return lf_http_fail(resp, &err, 400);
	}
	if (lf_model_diff(&x, &y, &t)) {
		lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	} else {
		rows = lf_table_json(&t);
		lf_http_json(resp, 200, json_pack("{s:i, s:i, s:o}", "from", a, "to", b,
						  "changes", rows));
	}
	lf_table_release(&t);
	lf_model_def_release(&x);
	lf_model_def_release(&y);
	return LF_HTTP_DONE;
}

struct model_write {
	char *text;
	char *name;
	int version;
};

static void model_write_free(void *p)
{
	struct model_write *m = p;
	free(m->text);
	free(m->name);
	free(m);
}

static enum lf_result write_model(struct lf_write_ctx *w, void *arg,
				  struct lf_http_resp *resp, struct lf_error *err)
{
	struct model_write *mw = arg;
	struct lf_model m = { .name = mw->name, .text = mw->text };
	enum lf_result r = lf_store_model_add(lf_write_store(w), &m, err);
	if (!r) {
		lf_http_json(resp, 201, lf_model_json(&m, false));
		snprintf(resp->location, sizeof(resp->location), "/v1/models/%d", m.version);
	}
	free(m.status);
	return r;
}

enum lf_http_outcome api_model_add(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct model_write *mw = calloc(1, sizeof(*mw));
	struct lf_model_def def;
	struct lf_buf problems = LF_BUF_INIT(1 << 20);
	struct lf_error err;

	if (!mw)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (lf_http_media_is(req, lf_media_yaml)) {
		mw->text = strndup(req->body ? req->body : "", req->body_len);
	} else {
		json_t *body = lf_http_body_json(req, resp), *text;
		if (!body)
			goto fail;
		text = json_object_get(body, "text");
		if (!json_is_string(text)) {
			json_decref(body);
			lf_http_error(resp, 400, "invalid", "text",
				      "send the model file as application/yaml, or as JSON"
				      " {\"text\": \"...\"}");
			goto fail;
		}
		mw->text = strdup(json_string_value(text));
		json_decref(body);
	}
	if (!mw->text) {
		lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
		goto fail;
	}
	if (req->body && memchr(req->body, 0, req->body_len)) {
		lf_http_error(resp, 400, "invalid", "body", "the model file contains a NUL byte");
		goto fail;
	}
	if (lf_model_parse("model", mw->text, &def, &problems, &err)) {
		lf_http_problems(resp, "invalid_model", &err, &problems);
		lf_buf_release(&problems);
		goto fail;
	}
	lf_buf_release(&problems);
	mw->name = strdup(def.name);
	lf_model_def_release(&def);
	if (!mw->name) {
		lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
		goto fail;
	}
	return lf_http_defer(req, write_model, mw, model_write_free);
fail:
	model_write_free(mw);
	return LF_HTTP_DONE;
}

static enum lf_result write_activate(struct lf_write_ctx *w, void *arg,
				     struct lf_http_resp *resp, struct lf_error *err)
{
	struct model_write *mw = arg;
	struct lf_rescore_stats stats;
	enum lf_result r = lf_model_put_in_force(lf_write_store(w), mw->version,
						 lf_write_who(w)->name, lf_time_now(), &stats, err);
	if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "version", "no model version %d", mw->version);
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:i, s:s, s:I}", "version", mw->version,
						  "status", "active", "leads_rescored",
						  (json_int_t)stats.leads));
	return r;
}

static enum lf_http_outcome defer_version(struct lf_http_req *req, struct lf_http_resp *resp,
					  lf_write_fn fn);

enum lf_http_outcome api_model_activate(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return defer_version(req, resp, write_activate);
}

static enum lf_result write_propose(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				    struct lf_error *err)
{
	struct model_write *mw = arg;
	enum lf_result r = lf_model_propose(lf_write_store(w), mw->version, lf_write_who(w)->name,
					    err);
	if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "version", "no model version %d", mw->version);
	if (!r)
		lf_http_json(resp, 200, json_pack("{s:i, s:s}", "version", mw->version, "status",
						  "proposed"));
	return r;
}

static enum lf_result write_approve(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				    struct lf_error *err)
{
	struct model_write *mw = arg;
	const struct lf_principal *who = lf_write_who(w);
	enum lf_result r = lf_model_approve(lf_write_store(w), mw->version, who->token_id,
					    who->name, lf_role_name(who->role), err);
	json_t *approvals;
	if (r == LF_ERR_NOT_FOUND)
		lf_error_field(err, r, "version", "no model version %d", mw->version);
	if (!r && !(r = lf_model_approvals_json(lf_write_store(w), mw->version, &approvals, err)))
		lf_http_json(resp, 200, json_pack("{s:i, s:o}", "version", mw->version,
						  "approvals", approvals));
	return r;
}

static enum lf_http_outcome defer_version(struct lf_http_req *req, struct lf_http_resp *resp,
					  lf_write_fn fn)
{
	struct model_write *mw = calloc(1, sizeof(*mw));
	if (!mw)
		return lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	if (!param_version(req, 0, "version", &mw->version, resp)) {
		free(mw);
		return LF_HTTP_DONE;
	}
	return lf_http_defer(req, fn, mw, model_write_free);
}

enum lf_http_outcome api_model_propose(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return defer_version(req, resp, write_propose);
}

enum lf_http_outcome api_model_approve(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return defer_version(req, resp, write_approve);
}
