/*
 * router.h - the API's routes as one table: method, path pattern with
 * {placeholders}, the roles that may call it (SPEC 2), and its handler.
 * The OpenAPI document describes exactly these routes (a test holds them
 * together), and /metrics counts requests by route.
 */
#ifndef LF_SERVER_ROUTER_H
#define LF_SERVER_ROUTER_H

#include "server/http.h"

#include <stdbool.h>

struct lf_route {
	const char *method;
	const char *pattern;       /* "/v1/leads/{id}" */
	unsigned roles;            /* LF_ROLE_BIT of each role allowed; 0: no token needed */
	lf_http_handler fn;
	const char *name;          /* for metrics and logs: "leads.get" */
	const char *params;        /* the query parameters it takes, comma-separated;
				    * any other is refused (400 naming it) */
};

/*
 * Whether route is a long read, answered on a reader thread (reader.h): a
 * read that may take seconds on a large database (reports, the gate's
 * board, the simulation).
 */
bool lf_route_long_read(const struct lf_route *route);

extern const struct lf_route lf_routes[];
extern const size_t lf_route_count;

/*
 * The route for method and path, with its placeholders copied into req.
 * NULL when none; *path_known then says whether another method would do
 * (405 rather than 404).
 */
const struct lf_route *lf_route_find(const char *method, const char *path,
				     struct lf_http_req *req, bool *path_known);

#endif
