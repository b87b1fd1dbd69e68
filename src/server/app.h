/*
 * app.h - the web app (web/app/), served by `leadflow serve` at / from
 * files embedded in the binary at build time, and the security headers of
 * every answer: a Content-Security-Policy that allows no inline script and
 * no framing, nosniff, no referrer.
 */
#ifndef LF_SERVER_APP_H
#define LF_SERVER_APP_H

#include "server/http.h"

#include <stddef.h>

struct lf_app_file {
	const char *url;              /* "/" for index.html, else "/app/<name>" */
	const char *type;             /* its Content-Type */
	const unsigned char *data;    /* static, NUL-terminated */
	size_t len;
};
extern const struct lf_app_file lf_app_files[];   /* app_files.c, generated */
extern const size_t lf_app_file_count;

/*
 * Whether path is the app's ("/" or under "/app/"): then resp holds the
 * file (a copy), or a 404, or a 405 for a method other than GET or HEAD.
 */
bool lf_app_serve(const char *method, const char *path, struct lf_http_resp *resp);

struct MHD_Response;
/* Adds the security headers every answer carries. */
void lf_app_headers(struct MHD_Response *r);

#endif
