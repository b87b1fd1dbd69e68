/*
 * http.h - what the API's handlers see: a request already routed and
 * authenticated, and a response to fill. Nothing here knows libmicrohttpd;
 * server.c adapts it. A handler either answers at once (reads) or hands a
 * write to the writer (lf_http_defer), which answers once the write is on
 * disk. What the server does for a handler comes with the request (struct
 * lf_http_host): handlers never call server.c, which reaches them through
 * the route table, so the two do not depend on each other.
 */
#ifndef LF_SERVER_HTTP_H
#define LF_SERVER_HTTP_H

#include <leadflow/token.h>
#include <leadflow/buf.h>
#include <leadflow/config.h>

#include <jansson.h>
#include <leadflow/store.h>

struct lf_server;
struct lf_write_ctx;
struct lf_ingest;
struct lf_http_req;
struct lf_http_resp;

struct lf_http_resp {
	int status;
	char *body;                /* malloc'd, owned */
	size_t len;
	const char *content_type;
	char location[96];         /* a Location header, or "" */
	char cookie[200];          /* a Set-Cookie header, or "" */
};

struct lf_http_req {
	const char *method;
	const char *path;
	const char *param[3];      /* the route's {placeholders}, in order */
	char param_buf[3][128];
	const char *body;
	size_t body_len;
	const char *content_type;
	struct lf_principal who;
	int64_t session_id;        /* the app session it came with, 0 for a bearer token */
	char csrf[65];             /* that session's CSRF token */
	struct lf_store *store;    /* this thread's read connection */
	const struct lf_http_host *host;  /* the server's services, for srv */
	struct lf_server *srv;
	const struct lf_config *cfg;
	void *conn;                /* the server's connection, for query values */
	bool bulk;                 /* set before lf_http_defer: a write of many rows, run
				    * by the writer in a transaction of its own */
};

/* Rows from which a write is bulk (lf_http_req.bulk). */
#define LF_BULK_ROWS 100

/* A query parameter's value, or NULL. */
const char *lf_http_query(const struct lf_http_req *req, const char *name);
/* A request header's value (any case), or NULL. */
const char *lf_http_header(const struct lf_http_req *req, const char *name);

/* What a handler returns. */
enum lf_http_outcome { LF_HTTP_DONE, LF_HTTP_DEFERRED };

typedef enum lf_http_outcome (*lf_http_handler)(struct lf_http_req *req,
						struct lf_http_resp *resp);

/*
 * A write, run by the writer thread inside the group's transaction (in a
 * savepoint of its own: a failure undoes this write only; a bulk write has
 * the transaction to itself, and its failure rolls that back). It fills
 * resp.
 */
typedef enum lf_result (*lf_write_fn)(struct lf_write_ctx *w, void *arg,
				      struct lf_http_resp *resp, struct lf_error *err);

/* What the server does for the handlers (server.c fills it). */
struct lf_http_host {
	/* Hands fn(arg) to the writer (see lf_http_defer). */
	enum lf_http_outcome (*defer)(struct lf_http_req *req, lf_write_fn fn, void *arg,
				      void (*free_arg)(void *));
	/* Forgets every checked token, after a revocation. */
	void (*forget_tokens)(struct lf_server *srv);
	/* The Prometheus text of /metrics into out. */
	enum lf_result (*metrics)(struct lf_server *srv, struct lf_store *s,
				  struct lf_buf *out, struct lf_error *err);
};

/*
 * Hands fn(arg) to the writer; arg is freed with free_arg afterwards.
 * Returns LF_HTTP_DEFERRED (a full queue is answered 429 by the server).
 */
static inline enum lf_http_outcome lf_http_defer(struct lf_http_req *req, lf_write_fn fn,
						 void *arg, void (*free_arg)(void *))
{
	return req->host->defer(req, fn, arg, free_arg);
}
/* The principal of the write being run. */
const struct lf_principal *lf_write_who(struct lf_write_ctx *w);

/* The writer's store, and its write session for leads, events and touches. */
struct lf_store *lf_write_store(struct lf_write_ctx *w);
enum lf_result lf_write_ingest(struct lf_write_ctx *w, struct lf_ingest **out,
			       struct lf_error *err);
/* Counts events written, for /metrics. */
void lf_write_count_events(struct lf_write_ctx *w, int64_t n);

/* Responses. lf_http_json takes a reference to j (steals it). */
enum lf_http_outcome lf_http_json(struct lf_http_resp *resp, int status, json_t *j);
enum lf_http_outcome lf_http_error(struct lf_http_resp *resp, int status, const char *code,
				   const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* An error whose object also holds the members of extra (taken; NULL for none). */
enum lf_http_outcome lf_http_error_with(struct lf_http_resp *resp, int status, const char *code,
					const char *field, json_t *extra, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* 422 for a file with problems: err's message, and every line of problems listed. */
enum lf_http_outcome lf_http_problems(struct lf_http_resp *resp, const char *code,
				      const struct lf_error *err, const struct lf_buf *problems);
/* The status and code an lf_error maps to; input_status for LF_ERR_INPUT. */
/*
 * A row of a batch (events, CDP calls) that failed: its status when the row
 * alone is refused (400 bad input or a limit, 409 a conflict, 422 its lead
 * not there), 0 when the store failed, which undoes the whole request.
 * lf_http_row_error answers one row's refusal with that status.
 */
int lf_http_row_status(const struct lf_error *err);
enum lf_http_outcome lf_http_row_error(struct lf_http_resp *resp, int status,
				       const struct lf_error *err);
enum lf_http_outcome lf_http_fail(struct lf_http_resp *resp, const struct lf_error *err,
				  int input_status);
/*
 * The answer of a listing: 200 with {key: list} (taking list), or, when r
 * says the store failed, its error (list dropped).
 */
enum lf_http_outcome lf_http_list(struct lf_http_resp *resp, enum lf_result r,
				  const struct lf_error *err, const char *key, json_t *list);
/* Frees the body. */
void lf_http_resp_release(struct lf_http_resp *resp);

/* The parsed JSON body; on failure a 400/415 is in resp and NULL returned. */
json_t *lf_http_body_json(const struct lf_http_req *req, struct lf_http_resp *resp);
/*
 * Member key of o as a new string (the caller frees *out; NULL when absent
 * and not required); false, with a 400 in resp, when it is missing but
 * required, or not a string of 1 to 1000 characters with one visible.
 */
bool lf_http_member_string(json_t *o, const char *key, bool required, char **out,
			   struct lf_http_resp *resp);
/* False, with a 400 naming it in resp, when o has a member not in known (NULL-ended). */
bool lf_http_known_fields(json_t *o, const char *const *known, struct lf_http_resp *resp);
/*
 * Whether the request's Content-Type is one of types (NULL-terminated):
 * the whole media type, any case, then nothing or parameters (";
 * charset=utf-8"); "application/jsonx" is not "application/json".
 */
bool lf_http_media_is(const struct lf_http_req *req, const char *const *types);
extern const char *const lf_media_json[], *const lf_media_yaml[], *const lf_media_ndjson[];

/*
 * A lead the principal may see: a rep sees only the leads assigned to
 * them; for anyone else (and for a lead that does not exist) it is 404.
 */
enum lf_result lf_visible_lead(const struct lf_principal *who, struct lf_store *s,
			       int64_t id, struct lf_lead *out, struct lf_error *err);
/* A query parameter as a whole number in [min, max] (left as it is when absent),
 * or a 400 naming it. */
bool lf_http_query_int(const struct lf_http_req *req, const char *name, long long min,
		       long long max, long long *out, struct lf_http_resp *resp);
/* A query parameter as a time (ISO 8601), left as it is when absent; otherwise a 400 naming it. */
bool lf_http_query_time(const struct lf_http_req *req, const char *name, lf_time_ms *out,
			struct lf_http_resp *resp);
/*
 * A query parameter as a finite number in [min, max] (pass -INFINITY and
 * INFINITY for any), left as it is when absent; *has (when not NULL) set
 * when given; otherwise a 400 naming it.
 */
bool lf_http_query_real(const struct lf_http_req *req, const char *name, double min, double max,
			double *out, bool *has, struct lf_http_resp *resp);
/* A path parameter as a positive id, or a 400 naming it. */
bool lf_http_param_id(const struct lf_http_req *req, int i, const char *name, int64_t *id,
		      struct lf_http_resp *resp);

#endif
