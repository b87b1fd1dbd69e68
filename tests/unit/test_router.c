/*
 * test_router.c - the router and the OpenAPI document describe the same
 * API: every route is a documented operation with the same roles, and
 * every documented operation is a route. And path matching itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "server/api.h"
#include "server/router.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "server/front.h"
#include "core/names.h"

static void lower(const char *in, char *out, size_t cap)
{
	size_t i = 0;
	for (; in[i] && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = 0;
}

static unsigned doc_roles(json_t *op)
{
	unsigned bits = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(op, "x-roles"), i, r) {
		enum lf_role role;
		struct lf_error err;
		assert_int_equal(lf_role_parse(json_string_value(r), &role, &err), LF_OK);
		bits |= LF_ROLE_BIT(role);
	}
	return bits;
}

static void test_every_route_is_documented(void **state)
{
	json_error_t jerr;
	json_t *doc = json_loads(lf_openapi_json, 0, &jerr), *paths;
	(void)state;
	assert_non_null(doc);
	paths = json_object_get(doc, "paths");
	for (size_t i = 0; i < lf_route_count; i++) {
		char m[8];
		lower(lf_routes[i].method, m, sizeof(m));
		json_t *op = json_object_get(json_object_get(paths, lf_routes[i].pattern), m);
		if (!op)
			fail_msg("%s %s is not in openapi.json", lf_routes[i].method,
				 lf_routes[i].pattern);
		if (strcmp(json_string_value(json_object_get(op, "operationId")),
			   lf_routes[i].name))
			fail_msg("%s %s: operationId is not '%s'", lf_routes[i].method,
				 lf_routes[i].pattern, lf_routes[i].name);
		if (doc_roles(op) != lf_routes[i].roles)
			fail_msg("%s %s: x-roles differ from the router's", lf_routes[i].method,
				 lf_routes[i].pattern);
		/* the query parameters it takes are the ones documented, no more, no less */
		char documented[512] = "";
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(op, "parameters"), k, p) {
			const char *name = json_string_value(json_object_get(p, "name"));
			if (strcmp(json_string_value(json_object_get(p, "in")), "query"))
				continue;
			if (!lf_names_has(lf_routes[i].params, name, false))
				fail_msg("%s %s documents '%s', which the route refuses",
					 lf_routes[i].method, lf_routes[i].pattern, name);
			strcat(documented, documented[0] ? "," : "");
			strcat(documented, name);
		}
		for (const char *q = lf_routes[i].params; q && *q;) {
			const char *end = strchr(q, ',');
			char name[64];
			snprintf(name, sizeof(name), "%.*s", (int)(end ? end - q : (long)strlen(q)), q);
			if (!lf_names_has(documented, name, false))
				fail_msg("%s %s takes '%s', which openapi.json does not document",
					 lf_routes[i].method, lf_routes[i].pattern, name);
			q = end ? end + 1 : "";
		}
	}
	json_decref(doc);
}

static void test_every_documented_operation_is_a_route(void **state)
{
	json_error_t jerr;
	json_t *doc = json_loads(lf_openapi_json, 0, &jerr), *ops;
	const char *path, *method;
	size_t n = 0;
	(void)state;
	json_object_foreach(json_object_get(doc, "paths"), path, ops) {
		json_t *op;
		json_object_foreach(ops, method, op) {
			bool found = false;
			for (size_t i = 0; i < lf_route_count; i++) {
				char m[8];
				lower(lf_routes[i].method, m, sizeof(m));
				found |= !strcmp(m, method) && !strcmp(lf_routes[i].pattern, path);
			}
			if (!found)
				fail_msg("openapi.json documents %s %s, which no route serves",
					 method, path);
			n++;
		}
	}
	assert_int_equal(n, lf_route_count);
	json_decref(doc);
}

static void test_matching(void **state)
{
	struct lf_http_req req;
	bool known;
	const struct lf_route *r;
	(void)state;

	memset(&req, 0, sizeof(req));
	r = lf_route_find("GET", "/v1/leads/42/timeline", &req, &known);
	assert_non_null(r);
	assert_string_equal(r->name, "leads.timeline");
	assert_string_equal(req.param[0], "42");
	r = lf_route_find("GET", "/v1/models/3/diff/7", &req, &known);
	assert_string_equal(r->name, "models.diff");
	assert_string_equal(req.param[0], "3");
	assert_string_equal(req.param[1], "7");
	assert_null(lf_route_find("PUT", "/v1/leads/42", &req, &known));
	assert_true(known);                       /* 405, not 404 */
	assert_null(lf_route_find("GET", "/v1/leads/42/nothing", &req, &known));
	assert_false(known);
	assert_null(lf_route_find("GET", "/v1/leads//timeline", &req, &known));
	assert_null(lf_route_find("GET", "/v1/leads/42/", &req, &known));
}

/* The front door's first look: what reads as HTTP/1.x passes, the rest is named. */
static bool reads_as_http(const char *req, size_t len, char *why)
{
	char field[64];
	size_t he = 0;
	for (size_t i = 0; i + 1 < len && !he; i++)
		if (req[i] == '\n' && req[i + 1] == '\n')
			he = i + 2;
		else if (req[i] == '\n' && i + 2 < len && req[i + 1] == '\r' && req[i + 2] == '\n')
			he = i + 3;
	return lf_front_check(req, len, he ? he : len, field, sizeof(field), why, 256);
}

static void test_front_check(void **state)
{
	static const char *const good[] = {
		"GET /v1/leads HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /v1/leads HTTP/1.0\nHost: x\n\n",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\nX-Tabbed:\ta\tb\r\n\r\n",
		"POST /v1/events HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
		"POST /v1/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1a;x=y\r\n",
		"POST /v1/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1", /* size not all in */
	};
	static const char *const bad[] = {
		"garbage\r\n\r\n", "GET /v1/leads\r\n\r\n", "GET /x HTTP/2.0\r\n\r\n",
		"GET /x HTTP/1.1\r\nNo colon here\r\n\r\n",
		"GET /x HTTP/1.1\r\n: empty name\r\n\r\n",
		"POST /x HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
		"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	};
	char why[256];
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!reads_as_http(good[i], strlen(good[i]), why))
			fail_msg("refused '%s': %s", good[i], why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (reads_as_http(bad[i], strlen(bad[i]), why))
			fail_msg("took '%s'", bad[i]);
	const char nul[] = "GET /x HTTP/1.1\r\nAuthorization: Bearer t\0junk\r\n\r\n";
	assert_false(reads_as_http(nul, sizeof(nul) - 1, why));
	assert_string_equal(why, "a NUL byte in the header 'Authorization'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_documented),
		cmocka_unit_test(test_every_documented_operation_is_a_route),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_front_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
