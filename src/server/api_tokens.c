/*
 * api_tokens.c - /v1/tokens: list, create (the token shown once), revoke.
 */
#include "server/api.h"

#include <leadflow/json.h>
#include "core/value_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lf_http_outcome api_token_list(struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_t *list = json_array();
	struct lf_error err;
	enum lf_result r = lf_store_token_list(req->store, lf_token_json_append, list, &err);
	return lf_http_list(resp, r, &err, "tokens", list);
}

struct token_write {
	char *name;
	enum lf_role role;
	int64_t rep_id, id;
	const struct lf_http_host *host;
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
					   lf_write_who(w)->name, &row, token, err);
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
	if (!lf_http_known_fields(body, fields, resp) ||
	    !lf_http_member_string(body, "name", true, &w->name, resp) ||
	    !lf_http_member_string(body, "role", true, &role, resp))
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
	enum lf_result r = lf_token_revoke(lf_write_store(w), tw->id, lf_write_who(w)->name, err);
	if (!r) {
		tw->host->forget_tokens(tw->srv);
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
	w->host = req->host;
	w->srv = req->srv;
	return lf_http_defer(req, write_revoke, w, token_write_free);
}

