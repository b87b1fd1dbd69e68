/*
 * api_system.c - /healthz, /metrics, the OpenAPI document and the server's
 * settings.
 */
#include "server/api.h"

#include <leadflow/config.h>

#include <stdlib.h>
#include <string.h>

enum lf_http_outcome api_healthz(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_error err;
	int version = 0;
	if (lf_store_schema_version(req->store, &version, &err))
		return lf_http_error(resp, 503, "store", NULL, "the database cannot be read: %s",
				     err.msg);
	return lf_http_json(resp, 200, json_pack("{s:s, s:i}", "status", "ok", "schema_version",
						 version));
}

enum lf_http_outcome api_metrics(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_buf out = LF_BUF_INIT(16u << 20);
	struct lf_error err;
	if (req->host->metrics(req->srv, req->store, &out, &err)) {
		lf_buf_release(&out);
		return lf_http_fail(resp, &err, 400);
	}
	lf_http_resp_release(resp);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4";
	resp->len = out.len;
	resp->body = lf_buf_detach(&out);
	return LF_HTTP_DONE;
}

/* The settings the server runs with, where each came from (read-only). */
enum lf_http_outcome api_settings(struct lf_http_req *req, struct lf_http_resp *resp)
{
	struct lf_table t;
	enum lf_result r = lf_config_table(req->cfg, &t);
	if (r)
		lf_http_error(resp, 503, "out_of_memory", NULL, "out of memory");
	else
		lf_http_json(resp, 200, json_pack("{s:o}", "settings", lf_table_json(&t)));
	lf_table_release(&t);
	return LF_HTTP_DONE;
}

enum lf_http_outcome api_openapi(struct lf_http_req *req, struct lf_http_resp *resp)
{
	(void)req;
	lf_http_resp_release(resp);
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = strdup(lf_openapi_json);
	resp->len = resp->body ? strlen(resp->body) : 0;
	return LF_HTTP_DONE;
}
