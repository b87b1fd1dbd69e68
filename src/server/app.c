/*
 * app.c - the embedded web app and the security headers (app.h).
 */
#include "server/app.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

/* Only the app's own files run: no inline script, no other origin, no framing. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "     \
	    "frame-ancestors 'none'"

bool lf_app_serve(const char *method, const char *path, struct lf_http_resp *resp)
{
	if (strcmp(path, "/") && strncmp(path, "/app/", 5))
		return false;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		lf_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed on %s",
			      method, path);
		return true;
	}
	for (size_t i = 0; i < lf_app_file_count; i++) {
		const struct lf_app_file *f = &lf_app_files[i];
		if (strcmp(f->url, path))
			continue;
		lf_http_resp_release(resp);
		if (!(resp->body = malloc(f->len + 1))) {
			lf_http_error(resp, 503, "unavailable", NULL, "out of memory");
			return true;
		}
		memcpy(resp->body, f->data, f->len + 1);
		resp->len = f->len;
		resp->status = 200;
		resp->content_type = f->type;
		return true;
	}
	lf_http_error(resp, 404, "not_found", NULL, "the app has no file %s", path);
	return true;
}

void lf_app_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}
