/*
 * response.c - the handlers' side of http.h: JSON answers and errors, the
 * request's body, query and path parameters, and which leads a token sees.
 * The listener (server.c) and the writer (writer.c) both use these; neither
 * holds them, so the two do not call into each other's files.
 */
#include "server/http.h"

#include <leadflow/json.h>

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


enum lf_http_outcome lf_http_json(struct lf_http_resp *resp, int status, json_t *j)
{
	lf_http_resp_release(resp);
	resp->status = status;
	resp->content_type = "application/json";
	resp->body = j ? lf_json_text(j, 0) : NULL;
	resp->len = resp->body ? strlen(resp->body) : 0;
	json_decref(j);
	if (!resp->body && status != 204) {
		resp->status = 500;
		resp->body = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
		resp->len = resp->body ? strlen(resp->body) : 0;
	}
	return LF_HTTP_DONE;
}

static enum lf_http_outcome verror(struct lf_http_resp *resp, int status, const char *code,
				   const char *field, json_t *extra, const char *fmt, va_list ap)
{
	char msg[LF_ERROR_MSG_MAX + 128];
	json_t *e;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	e = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (e && field && *field)
		json_object_set_new(e, "field", json_string(field));
	if (e && extra)
		json_object_update(e, extra);
	json_decref(extra);
	return lf_http_json(resp, status, json_pack("{s:o}", "error", e));
}

enum lf_http_outcome lf_http_error(struct lf_http_resp *resp, int status, const char *code,
				   const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(resp, status, code, field, NULL, fmt, ap);
	va_end(ap);
	return LF_HTTP_DONE;
}

enum lf_http_outcome lf_http_error_with(struct lf_http_resp *resp, int status, const char *code,
					const char *field, json_t *extra, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(resp, status, code, field, extra, fmt, ap);
	va_end(ap);
	return LF_HTTP_DONE;
}

enum lf_http_outcome lf_http_problems(struct lf_http_resp *resp, const char *code,
				      const struct lf_error *err, const struct lf_buf *problems)
{
	json_t *list = json_array();
	const char *p = lf_buf_str(problems);
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n)
			json_array_append_new(list, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	return lf_http_error_with(resp, 422, code, err->field, json_pack("{s:o}", "problems", list),
				  "%s", err->msg);
}

int lf_http_row_status(const struct lf_error *err)
{
	switch (err->code) {
	case LF_ERR_NOT_FOUND: return 422;
	case LF_ERR_CONFLICT: return 409;
	case LF_ERR_INPUT: case LF_ERR_LIMIT: return 400;
	default: return 0;
	}
}

enum lf_http_outcome lf_http_row_error(struct lf_http_resp *resp, int status,
				       const struct lf_error *err)
{
	return lf_http_error(resp, status, status == 422 ? "unprocessable" : status == 409
			     ? "conflict" : "invalid", err->field, "%s", err->msg);
}

enum lf_http_outcome lf_http_fail(struct lf_http_resp *resp, const struct lf_error *err,
				  int input_status)
{
	static const struct { int status; const char *code; } map[] = {
		[LF_OK] = { 500, "internal" },
		[LF_ERR_INPUT] = { 400, "invalid" },
		[LF_ERR_USAGE] = { 400, "invalid" },
		[LF_ERR_NOT_FOUND] = { 404, "not_found" },
		[LF_ERR_CONFLICT] = { 409, "conflict" },
		[LF_ERR_LIMIT] = { 413, "too_large" },
		[LF_ERR_IO] = { 500, "io" },
		[LF_ERR_STORE] = { 503, "store" },
		[LF_ERR_NOMEM] = { 503, "out_of_memory" },
		[LF_ERR_INTERNAL] = { 500, "internal" },
		[LF_ERR_AUTH] = { 401, "unauthorised" },
		[LF_ERR_DENIED] = { 403, "forbidden" },
		[LF_ERR_BUSY] = { 429, "busy" },
	};
	size_t i = (size_t)err->code < sizeof(map) / sizeof(map[0]) ? (size_t)err->code : 0;
	int status = map[i].status;
	const char *code = map[i].code;
	if (err->code == LF_ERR_INPUT && input_status == 422)
		status = 422, code = "unprocessable";
	return lf_http_error(resp, status, code, err->field, "%s", err->msg);
}

enum lf_http_outcome lf_http_list(struct lf_http_resp *resp, enum lf_result r,
				  const struct lf_error *err, const char *key, json_t *list)
{
	if (r) {
		json_decref(list);
		return lf_http_fail(resp, err, 400);
	}
	return lf_http_json(resp, 200, json_pack("{s:o}", key, list));
}

void lf_http_resp_release(struct lf_http_resp *resp)
{
	if (!resp)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}

const char *const lf_media_json[] = { "application/json", NULL };
const char *const lf_media_yaml[] = { "application/yaml", "text/yaml", "application/x-yaml",
				      NULL };
const char *const lf_media_ndjson[] = { "application/x-ndjson", "application/ndjson", NULL };

bool lf_http_media_is(const struct lf_http_req *req, const char *const *types)
{
	const char *ct = req->content_type;
	if (!ct)
		return false;
	for (size_t i = 0; types[i]; i++) {
		size_t n = strlen(types[i]);
		if (!strncasecmp(ct, types[i], n) &&
		    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t'))
			return true;
	}
	return false;
}

json_t *lf_http_body_json(const struct lf_http_req *req, struct lf_http_resp *resp)
{
	json_error_t jerr;
	json_t *j;
	if (!lf_http_media_is(req, lf_media_json)) {
		lf_http_error(resp, 415, "unsupported_media_type", "Content-Type",
			      "the body must be application/json, got '%s'",
			      req->content_type ? req->content_type : "(none)");
		return NULL;
	}
	j = json_loadb(req->body ? req->body : "", req->body_len,
		       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!j)
		lf_http_error(resp, 400, "bad_json", NULL,
			      "the body is not valid JSON: %s at line %d, column %d", jerr.text,
			      jerr.line, jerr.column);
	return j;
}

enum lf_result lf_visible_lead(const struct lf_principal *who, struct lf_store *s,
			       int64_t id, struct lf_lead *out, struct lf_error *err)
{
	enum lf_result r = lf_store_lead_get(s, id, out, err);
	if (r == LF_ERR_NOT_FOUND ||
	    (!r && who->role == LF_ROLE_REP && out->owner_rep_id != who->rep_id)) {
		if (!r)
			lf_lead_release(out);
		return lf_error_field(err, LF_ERR_NOT_FOUND, "id", "no lead with id %lld",
				      (long long)id);
	}
	return r;
}

bool lf_http_param_id(const struct lf_http_req *req, int i, const char *name, int64_t *id,
		      struct lf_http_resp *resp)
{
	const char *p = req->param[i];
	char *end = NULL;
	long long v;
	errno = 0;
	/* digits only: no sign, no blank, nothing after */
	v = p && *p >= '0' && *p <= '9' ? strtoll(p, &end, 10) : 0;
	if (!p || !end || errno || *end || v <= 0) {
		lf_http_error(resp, 400, "invalid", name, "'%s' must be a positive whole number,"
			      " got '%s'", name, p ? p : "");
		return false;
	}
	*id = v;
	return true;
}

const char *lf_http_query(const struct lf_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *lf_http_header(const struct lf_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

bool lf_http_query_time(const struct lf_http_req *req, const char *name, lf_time_ms *out,
			struct lf_http_resp *resp)
{
	const char *v = lf_http_query(req, name);
	if (v && lf_time_parse(v, out, NULL)) {
		lf_http_error(resp, 400, "invalid", name,
			      "'%s' must be an ISO 8601 date or time, got '%s'", name, v);
		return false;
	}
	return true;
}

bool lf_http_query_real(const struct lf_http_req *req, const char *name, double min, double max,
			double *out, bool *has, struct lf_http_resp *resp)
{
	const char *v = lf_http_query(req, name);
	char *end;
	double d;
	if (!v)
		return true;
	d = strtod(v, &end);
	if (end == v || *end || !isfinite(d)) {
		lf_http_error(resp, 400, "invalid", name, "'%s' must be a number, got '%s'", name, v);
		return false;
	}
	if (d < min || d > max) {
		lf_http_error(resp, 400, "invalid", name, "'%s' must be a number from %g to %g, got '%s'",
			      name, min, max, v);
		return false;
	}
	*out = d;
	if (has)
		*has = true;
	return true;
}

bool lf_http_query_int(const struct lf_http_req *req, const char *name, long long min,
		       long long max, long long *out, struct lf_http_resp *resp)
{
	const char *v = lf_http_query(req, name);
	char *end;
	long long n;
	if (!v)
		return true;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		lf_http_error(resp, 400, "invalid", name,
			      "'%s' must be a whole number from %lld to %lld, got '%s'", name, min,
			      max, v);
		return false;
	}
	*out = n;
	return true;
}

/* A string member, copied; false (400 in resp) when it is there but not a string. */
bool lf_http_member_string(json_t *o, const char *key, bool required, char **out,
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

bool lf_http_known_fields(json_t *o, const char *const *known, struct lf_http_resp *resp)
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
