/*
 * api_sessions.c - /v1/sessions: the app's sign-in. POST exchanges a token
 * or a one-time sign-in link for a session (an HttpOnly, SameSite=Strict
 * cookie and the CSRF token the app sends back on every state-changing
 * request); GET /v1/sessions/current says who the caller is; DELETE signs
 * out. The cookie is checked in server.c, as a bearer token is.
 */
#include "server/api.h"

#include <leadflow/json.h>
#include <leadflow/session.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COOKIE "lf_session"

static json_t *who_json(const struct lf_principal *who, const char *csrf,
			lf_time_ms expires_at)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", who->name, "role",
			      lf_role_name(who->role),
			      "rep_id", who->rep_id ? json_integer(who->rep_id) : json_null(),
			      "csrf", csrf && *csrf ? json_string(csrf) : json_null(),
			      "expires_at", expires_at ? lf_time_json(expires_at) : json_null());
	return o;
}

struct open_write {
	char *credential;
	int minutes;
	bool secure;
};

static void open_free(void *p)
{
	struct open_write *o = p;
	if (o->credential)
		memset(o->credential, 0, strlen(o->credential));
	free(o->credential);
	free(o);
}

static enum lf_result write_open(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				 struct lf_error *err)
{
	struct open_write *o = arg;
	struct lf_session_opened s;
	enum lf_result r = lf_session_open(lf_write_store(w), o->credential, o->minutes, &s, err);
	if (r)
		return r;
	lf_http_json(resp, 201, who_json(&s.who, s.csrf, s.expires_at));
	snprintf(resp->cookie, sizeof(resp->cookie),
		 COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", s.cookie,
		 o->minutes * 60, o->secure ? "; Secure" : "");
	memset(&s, 0, sizeof(s));
	return LF_OK;
}

enum lf_http_outcome api_session_open(struct lf_http_req *req, struct lf_http_resp *resp)
{
	static const char *const known[] = { "token", "link", NULL };
	json_t *body = lf_http_body_json(req, resp);
	struct open_write *o;
	char *token = NULL, *link = NULL;
	const char *proto;
	bool ok;
	if (!body)
		return LF_HTTP_DONE;
	ok = lf_http_known_fields(body, known, resp) &&
	     lf_http_member_string(body, "token", false, &token, resp) &&
	     lf_http_member_string(body, "link", false, &link, resp);
	json_decref(body);
	if (ok && !token == !link) {
		lf_http_error(resp, 400, "invalid", "token",
			      "give either 'token' (an API token) or 'link' (a sign-in link)");
		ok = false;
	}
	if (!ok || !(o = calloc(1, sizeof(*o)))) {
		free(token);
		free(link);
		return ok ? lf_http_error(resp, 503, "unavailable", NULL, "out of memory")
			  : LF_HTTP_DONE;
	}
	o->credential = token ? token : link;
	o->minutes = (int)req->cfg->session_minutes;
	proto = lf_http_header(req, "X-Forwarded-Proto");
	o->secure = proto && !strcmp(proto, "https");
	return lf_http_defer(req, write_open, o, open_free);
}

enum lf_http_outcome api_session_get(struct lf_http_req *req, struct lf_http_resp *resp)
{
	return lf_http_json(resp, 200, who_json(&req->who, req->csrf, 0));
}

static enum lf_result write_close(struct lf_write_ctx *w, void *arg, struct lf_http_resp *resp,
				  struct lf_error *err)
{
	enum lf_result r = lf_session_close(lf_write_store(w), *(int64_t *)arg, err);
	if (r == LF_ERR_CONFLICT)
		r = LF_OK;  /* signed out already: the same answer */
	if (r)
		return r;
	lf_http_json(resp, 204, NULL);
	snprintf(resp->cookie, sizeof(resp->cookie),
		 COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	return LF_OK;
}

enum lf_http_outcome api_session_close(struct lf_http_req *req, struct lf_http_resp *resp)
{
	int64_t *id;
	if (!req->session_id)
		return lf_http_error(resp, 400, "invalid", NULL,
				     "this request came with a bearer token, not a session: "
				     "revoke the token instead (DELETE /v1/tokens/{id})");
	if (!(id = malloc(sizeof(*id))))
		return lf_http_error(resp, 503, "unavailable", NULL, "out of memory");
	*id = req->session_id;
	return lf_http_defer(req, write_close, id, free);
}
