/*
 * server.c - libmicrohttpd in, handlers out (see server.h and http.h).
 */
#include <leadflow/serve.h>
#include "core/crypto.h"
#include "core/names.h"

#include <leadflow/session.h>

#include <leadflow/buf.h>
#include <leadflow/json.h>
#include "core/strmap.h"
#include "server/app.h"
#include "server/metrics.h"
#include "server/front.h"
#include "server/router.h"
#include "server/reader.h"
#include "server/wakeups.h"
#include "server/writer.h"
#include "webhook/deliver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_SLOTS 256

struct token_slot {
	char token[LF_TOKEN_MAX];
	struct lf_principal who;
	int64_t until_ms;
};

struct lf_server {
	const struct lf_config *cfg;
	const char *target;
	struct MHD_Daemon *d;
	struct lf_front *front;          /* the listening socket, first requests checked */
	struct lf_writer *writer;
	struct lf_readers *readers;      /* the long reads' threads (reader.h) */
	struct lf_deliverer *deliverer;
	struct lf_wakeups *wakeups;   /* from other servers on the database, or NULL */
	struct lf_metrics *metrics;
	pthread_mutex_t mu;              /* guards the token cache and stores */
	struct token_slot tokens[TOKEN_SLOTS];
	struct lf_store **stores;        /* the pool threads' read connections */
	size_t nstores;
	atomic_long inflight;
};

/* --- per-request state ------------------------------------------------- */

enum phase { P_NEW, P_BODY, P_WAITING, P_ANSWER };

struct request {
	struct lf_server *srv;
	struct MHD_Connection *conn;
	double start;                    /* lf_clock_seconds() */
	const struct lf_route *route;
	int route_index;
	struct lf_http_req req;
	struct lf_http_resp resp;
	struct lf_buf body;
	bool answered;                   /* resp is ready (possibly early) */
	struct lf_job job;
	struct lf_read_job read;         /* a long read, on a reader thread */
	enum phase phase;
	char method[8];
	char path[256];
};

static __thread struct lf_store *thread_store;


/* This pool thread's read connection, opened on first use. */
static enum lf_result read_store(struct lf_server *srv, struct lf_store **out,
				 struct lf_error *err)
{
	enum lf_result r;
	if (!thread_store) {
		struct lf_store **grown;
		if ((r = lf_store_open(srv->target, &thread_store, err)))
			return r;
		pthread_mutex_lock(&srv->mu);
		grown = realloc(srv->stores, (srv->nstores + 1) * sizeof(*grown));
		if (grown) {
			srv->stores = grown;
			srv->stores[srv->nstores++] = thread_store;
		}
		pthread_mutex_unlock(&srv->mu);
		if (!grown) {
			lf_store_close(thread_store);
			thread_store = NULL;
			return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		}
	}
	*out = thread_store;
	return LF_OK;
}

/* --- writes ------------------------------------------------------------ */

static void job_done(struct lf_job *j)
{
	struct request *rq = j->owner;
	rq->resp = j->resp;
	j->resp = (struct lf_http_resp){ 0 };
	rq->answered = true;
	rq->phase = P_ANSWER;
	MHD_resume_connection(rq->conn);
}

/* --- long reads -------------------------------------------------------- */

static void read_run(struct lf_read_job *j, struct lf_store *s, const struct lf_error *err)
{
	struct request *rq = (struct request *)((char *)j - offsetof(struct request, read));
	if (!s)
		lf_http_error(&rq->resp, 503, "unavailable", NULL, "cannot read the database: %s",
			      err->msg);
	else {
		rq->req.store = s;
		if (rq->route->fn(&rq->req, &rq->resp) == LF_HTTP_DEFERRED)
			lf_http_error(&rq->resp, 500, "internal", NULL,
				      "a long read asked to write");
	}
	rq->answered = true;
	rq->phase = P_ANSWER;
	MHD_resume_connection(rq->conn);
}

static const struct lf_http_host host;   /* below, with the functions it names */

/*
 * The job is only prepared here: on_request suspends the connection first
 * and then submits it, so that the writer cannot resume a connection that
 * is not suspended yet.
 */
static enum lf_http_outcome defer(struct lf_http_req *req, lf_write_fn fn, void *arg,
				   void (*free_arg)(void *))
{
	struct request *rq = (struct request *)((char *)req - offsetof(struct request, req));
	struct lf_job *j = &rq->job;
	memset(j, 0, sizeof(*j));
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	j->who = req->who;
	j->done = job_done;
	j->owner = rq;
	j->bulk = req->bulk;
	rq->phase = P_WAITING;
	return LF_HTTP_DEFERRED;
}

static void submit(struct request *rq)
{
	if (!lf_writer_submit(rq->srv->writer, &rq->job))
		return;
	if (rq->job.free_arg)
		rq->job.free_arg(rq->job.arg);
	lf_http_error(&rq->resp, 429, "busy", NULL, "%ld writes are waiting; retry after a moment",
		      rq->srv->cfg->queue_max);
	rq->answered = true;
	rq->phase = P_ANSWER;
	MHD_resume_connection(rq->conn);
}

/* --- authentication ---------------------------------------------------- */

/*
 * An app session's cookie, checked in the store each time (a sign-out ends
 * it at once); a request that changes anything must also carry the
 * session's CSRF token in X-CSRF-Token, which a page of another site
 * cannot read.
 */
static enum lf_result authenticate_session(struct request *rq, const char *cookie,
					   struct lf_error *err)
{
	const char *m = rq->method, *sent;
	struct lf_store *s;
	enum lf_result r;
	if ((r = read_store(rq->srv, &s, err)) ||
	    (r = lf_session_check(s, cookie, lf_time_now(), &rq->req.who, &rq->req.session_id,
				  rq->req.csrf, err)))
		return r;
	if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
		return LF_OK;
	sent = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	if (!sent || strlen(sent) != 64 || !lf_equal_secret(sent, rq->req.csrf, 64))
		return lf_error_field(err, LF_ERR_DENIED, "X-CSRF-Token",
				      "a request of a session that changes anything needs the "
				      "session's X-CSRF-Token header");
	return LF_OK;
}

static enum lf_result authenticate(struct request *rq, struct lf_error *err)
{
	struct lf_server *srv = rq->srv;
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "lf_session");
	struct lf_store *s;
	struct token_slot *slot;
	int64_t now = lf_time_now();
	char basic[LF_TOKEN_MAX];
	enum lf_result r;

	if (!h && cookie)
		return authenticate_session(rq, cookie, err);
	if (h && !strncasecmp(h, "Basic ", 6)) {
		/* a CDP's write key: the token as user name, the password empty */
		char *user = MHD_basic_auth_get_username_password(rq->conn, NULL);
		if (!user || !*user || strlen(user) >= sizeof(basic)) {
			MHD_free(user);
			return lf_error_field(err, LF_ERR_AUTH, "Authorization", "the Basic "
					      "credentials do not carry a token as user name");
		}
		snprintf(basic, sizeof(basic), "%s", user);
		MHD_free(user);
		h = basic;
	} else if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
		return lf_error_field(err, LF_ERR_AUTH, "Authorization",
				      "this route needs 'Authorization: Bearer <token>' (or a "
				      "token as HTTP Basic user name) or an app session");
	} else {
		h += 7;
	}
	if (strnlen(h, LF_TOKEN_MAX) >= LF_TOKEN_MAX)
		return lf_error_set(err, LF_ERR_AUTH, "the bearer token is not valid");
	slot = &srv->tokens[lf_hash64(h, strlen(h)) % TOKEN_SLOTS];
	pthread_mutex_lock(&srv->mu);
	size_t len = strlen(h);
	if (slot->until_ms > now && strlen(slot->token) == len &&
	    lf_equal_secret(slot->token, h, len)) {
		rq->req.who = slot->who;
		pthread_mutex_unlock(&srv->mu);
		return LF_OK;
	}
	pthread_mutex_unlock(&srv->mu);
	if ((r = read_store(srv, &s, err)) || (r = lf_token_check(s, h, &rq->req.who, err)))
		return r;
	pthread_mutex_lock(&srv->mu);
	memset(slot->token, 0, sizeof(slot->token));
	snprintf(slot->token, sizeof(slot->token), "%s", h);
	slot->who = rq->req.who;
	slot->until_ms = now + srv->cfg->token_cache_ms;
	pthread_mutex_unlock(&srv->mu);
	return LF_OK;
}

static void forget_tokens(struct lf_server *srv)
{
	pthread_mutex_lock(&srv->mu);
	memset(srv->tokens, 0, sizeof(srv->tokens));
	pthread_mutex_unlock(&srv->mu);
}

/* --- libmicrohttpd callbacks ------------------------------------------- */

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	const char **first = cls;
	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		return MHD_YES;
	if (!first[0])
		first[0] = value;
	else if (strcmp(first[0], value))
		first[1] = value;
	return MHD_YES;
}

/* Two Content-Length headers that disagree: which body is it? (RFC 9112 6.3) */
static bool conflicting_length(struct request *rq)
{
	const char *seen[2] = { NULL, NULL };
	MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, count_length, seen);
	return seen[1] != NULL;
}

/*
 * Percent-decoding of the path and the query, as libmicrohttpd's own but for
 * "%00": a NUL would cut the text short ("/v1/leads/1%00" read as lead 1), so
 * it stays as written and fails whatever reads it.
 */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;
	(void)cls;
	(void)conn;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '%' && (hi = hex_digit(r[1])) >= 0 && (lo = hex_digit(r[2])) >= 0 &&
		    (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

struct param_check {
	const char *known;
	const char *bad;
};

static enum MHD_Result check_param(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct param_check *c = cls;
	(void)kind;
	(void)value;
	if (!c->bad && !lf_names_has(c->known, key, false))
		c->bad = key;
	return MHD_YES;
}

/* A query parameter the route does not take is refused, never ignored. */
static bool unknown_param(struct request *rq)
{
	struct param_check c = { rq->route->params, NULL };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, check_param, &c);
	if (!c.bad)
		return false;
	if (rq->route->params)
		lf_http_error(&rq->resp, 400, "invalid", c.bad, "unknown query parameter '%s': "
			      "%s %s takes %s", c.bad, rq->route->method, rq->route->pattern,
			      rq->route->params);
	else
		lf_http_error(&rq->resp, 400, "invalid", c.bad, "unknown query parameter '%s': "
			      "%s %s takes none", c.bad, rq->route->method, rq->route->pattern);
	return true;
}

/* The first call: route, limits and token, before any body is read. */
static void begin_request(struct request *rq, const char *url, const char *method)
{
	struct lf_server *srv = rq->srv;
	const char *cl = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	struct lf_error err = { 0 };
	bool known;

	snprintf(rq->method, sizeof(rq->method), "%s", method);
	snprintf(rq->path, sizeof(rq->path), "%s", url);
	rq->req.method = rq->method;
	rq->req.path = rq->path;
	rq->req.srv = srv;
	rq->req.host = &host;
	rq->req.cfg = srv->cfg;
	rq->req.conn = rq->conn;
	rq->req.content_type = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
							   MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->route_index = -1;
	lf_buf_init(&rq->body, (size_t)srv->cfg->body_max);
	rq->route = lf_route_find(method, url, &rq->req, &known);
	if (strlen(url) >= sizeof(rq->path)) {
		lf_http_error(&rq->resp, 414, "uri_too_long", NULL,
			      "the path is longer than %zu bytes", sizeof(rq->path) - 1);
	} else if (!rq->route && lf_app_serve(method, url, &rq->resp)) {
		/* the web app's files: public, the same for everyone */
	} else if (conflicting_length(rq)) {
		lf_http_error(&rq->resp, 400, "bad_request", "Content-Length",
			      "the request has two different Content-Length headers");
	} else if (!rq->route) {
		/* who may know which methods a path takes: a caller with a token */
		if (known && authenticate(rq, &err))
			lf_http_fail(&rq->resp, &err, 400);
		else if (known)
			lf_http_error(&rq->resp, 405, "method_not_allowed", NULL,
				      "%s is not allowed on %s", method, url);
		else
			lf_http_error(&rq->resp, 404, "not_found", NULL, "no route %s %s", method,
				      url);
	} else if (cl && strtoll(cl, NULL, 10) > srv->cfg->body_max) {
		lf_http_error(&rq->resp, 413, "too_large", "body",
			      "the body is %s bytes, more than the %ld allowed (body_max)", cl,
			      srv->cfg->body_max);
	} else if (rq->route->roles && authenticate(rq, &err)) {
		lf_http_fail(&rq->resp, &err, 400);
	} else if (rq->route->roles && !(rq->route->roles & LF_ROLE_BIT(rq->req.who.role))) {
		lf_http_error(&rq->resp, 403, "forbidden", NULL,
			      "a '%s' token may not call %s %s", lf_role_name(rq->req.who.role),
			      rq->route->method, rq->route->pattern);
	} else if (unknown_param(rq)) {
		/* answered: 400 naming the parameter */
	} else {
		rq->route_index = (int)(rq->route - lf_routes);
		return;
	}
	if (rq->route)
		rq->route_index = (int)(rq->route - lf_routes);
	rq->answered = true;
}

static enum MHD_Result queue(struct request *rq)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		rq->resp.len, rq->resp.body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;
	if (!r)
		return MHD_NO;
	rq->resp.body = NULL; /* libmicrohttpd frees it */
	if (rq->resp.content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rq->resp.content_type);
	if (rq->resp.location[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rq->resp.location);
	if (rq->resp.cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rq->resp.cookie);
	lf_app_headers(r);
	ok = MHD_queue_response(rq->conn, (unsigned)rq->resp.status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **ctx)
{
	struct lf_server *srv = cls;
	struct request *rq = *ctx;
	struct lf_error err = { 0 };
	(void)version;

	if (!rq) {
		if (!(rq = calloc(1, sizeof(*rq))))
			return MHD_NO;
		rq->srv = srv;
		rq->conn = conn;
		rq->start = lf_clock_seconds();
		atomic_fetch_add(&srv->inflight, 1);
		*ctx = rq;
		begin_request(rq, url, method);
		/* refuse early: no need to read a body that will not be used */
		if (rq->answered && rq->resp.status != 0 &&
		    (rq->resp.status == 413 || rq->resp.status == 401))
			return queue(rq);
		return MHD_YES;
	}
	if (*upload_size) {
		if (!rq->answered && lf_buf_add(&rq->body, upload, *upload_size)) {
			lf_http_error(&rq->resp, 413, "too_large", "body",
				      "the body is larger than the %ld bytes allowed (body_max)",
				      srv->cfg->body_max);
			rq->answered = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->phase == P_WAITING)
		return MHD_YES; /* resumed too early: the writer has not answered yet */
	if (!rq->answered) {
		rq->req.body = lf_buf_str(&rq->body);
		rq->req.body_len = rq->body.len;
		if (srv->readers && lf_route_long_read(rq->route)) {
			/* suspended first, so that a reader cannot resume it before */
			rq->phase = P_WAITING;
			rq->read.run = read_run;
			MHD_suspend_connection(conn);
			lf_readers_submit(srv->readers, &rq->read);
			return MHD_YES;
		}
		if (read_store(srv, &rq->req.store, &err)) {
			lf_http_fail(&rq->resp, &err, 400);
		} else if (rq->route->fn(&rq->req, &rq->resp) == LF_HTTP_DEFERRED) {
			MHD_suspend_connection(conn);
			submit(rq);
			return MHD_YES;
		}
		rq->answered = true;
	}
	return queue(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
			 enum MHD_RequestTerminationCode toe)
{
	struct lf_server *srv = cls;
	struct request *rq = *ctx;
	double took;
	char line[512];
	(void)conn;
	if (!rq)
		return;
	took = lf_clock_seconds() - rq->start;
	lf_metrics_observe(srv->metrics, rq->route_index, rq->resp.status, took);
	int n = snprintf(line, sizeof(line),
			 "{\"at\":%lld,\"method\":\"%s\",\"path\":\"%s\",\"route\":\"%s\","
			 "\"status\":%d,\"ms\":%.3f,\"token\":\"%s\"%s}\n",
			 (long long)lf_time_now(), rq->method, rq->path,
			 rq->route ? rq->route->name : "", rq->resp.status, took * 1e3,
			 rq->req.who.name, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
						   ? "" : ",\"aborted\":true");
	if (n > 0)
		fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, stderr);
	lf_http_resp_release(&rq->resp);
	lf_buf_release(&rq->body);
	atomic_fetch_sub(&srv->inflight, 1);
	free(rq);
	*ctx = NULL;
}

/* --- the metrics route needs the server's parts -------------------------- */

static enum lf_result metrics(struct lf_server *srv, struct lf_store *s, struct lf_buf *out,
			      struct lf_error *err)
{
	struct lf_metrics_gauges g = { 0 };
	g.queue_depth = lf_writer_depth(srv->writer);
	lf_writer_stats(srv->writer, &g.writer);
	lf_deliverer_stats(srv->deliverer, &g.deliveries_ok, &g.deliveries_failed);
	return lf_metrics_render(srv->metrics, s, &g, out, err);
}

/* What the handlers may ask of the server (http.h). */
static const struct lf_http_host host = {
	.defer = defer,
	.forget_tokens = forget_tokens,
	.metrics = metrics,
};

/* --- start and stop ----------------------------------------------------- */

static enum lf_result parse_listen(const char *listen, struct sockaddr_in *sa,
				   struct lf_error *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return lf_error_field(err, LF_ERR_INPUT, "listen",
				      "'listen' must be ADDR:PORT, got '%s'", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return lf_error_field(err, LF_ERR_INPUT, "listen",
				      "'listen': the port must be 0 to 65535, got '%s'", colon + 1);
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, *host ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return lf_error_field(err, LF_ERR_INPUT, "listen",
				      "'listen': '%s' is not an IPv4 address", host);
	sa->sin_port = htons((uint16_t)port);
	return LF_OK;
}

static void shutdown_server(struct lf_server *srv)
{
	lf_front_stop(srv->front);
	srv->front = NULL;
	if (srv->d) {
		MHD_stop_daemon(srv->d);
		srv->d = NULL;
	}
	lf_wakeups_stop(srv->wakeups);
	lf_readers_stop(srv->readers);
	lf_writer_stop(srv->writer);
	lf_deliverer_stop(srv->deliverer);
	for (size_t i = 0; i < srv->nstores; i++)
		lf_store_close(srv->stores[i]);
	free(srv->stores);
	lf_metrics_free(srv->metrics);
	pthread_mutex_destroy(&srv->mu);
}

enum lf_result lf_serve(const char *target, const struct lf_config *cfg,
			struct lf_error *err)
{
	struct lf_server srv = { .cfg = cfg, .target = target };
	struct sockaddr_in sa;
	uint16_t port = 0;
	sigset_t sigs;
	int sig = 0;
	enum lf_result r;
	char addr[INET_ADDRSTRLEN];

	if ((r = parse_listen(cfg->listen, &sa, err)))
		return r;
	/* batches allocate and free a few MB per request: keep that memory in
	 * the heap rather than giving it back to the kernel and asking again */
	mallopt(M_MMAP_THRESHOLD, 16 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* the signals are taken by sigwait below, in no other thread */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&srv.mu, NULL);
	if (!(srv.metrics = lf_metrics_new())) {
		pthread_mutex_destroy(&srv.mu);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	if ((r = lf_writer_start(target, cfg, &srv.writer, err)) ||
	    (r = lf_readers_start(target, (size_t)cfg->threads, &srv.readers, err)) ||
	    (r = lf_deliverer_start(target, cfg, &srv.deliverer, err)))
		goto out;
	lf_writer_on_commit(srv.writer, lf_deliverer_kick, srv.deliverer);
	if ((r = lf_wakeups_start(target, lf_writer_poke, srv.writer, lf_deliverer_kick,
				  srv.deliverer, &srv.wakeups, err)))
		goto out;
	/* the listening socket is the front door's (front.h): it answers what
	 * libmicrohttpd would answer with HTML, and hands the rest over */
	srv.d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET,
		0, NULL, NULL, on_request, &srv,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->connections_max,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->header_max,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_END);
	if (!srv.d) {
		r = lf_error_field(err, LF_ERR_IO, "listen", "cannot start the HTTP server: %s",
				   lf_errno_str(errno));
		goto out;
	}
	if ((r = lf_front_start(&sa, srv.d, cfg, &srv.front, &port, err))) {
		lf_error_prefix(err, "%s", cfg->listen);
		goto out;
	}
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	printf("listening on http://%s:%u\n", addr, port);
	fflush(stdout);
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "leadflow: %s: finishing the requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	lf_front_stop(srv.front);   /* no new connections */
	srv.front = NULL;
	for (int i = 0; i < 1000 && atomic_load(&srv.inflight) > 0; i++) {
		struct timespec ms10 = { 0, 10 * 1000000L };
		nanosleep(&ms10, NULL);
	}
out:
	shutdown_server(&srv);
	return r;
}
