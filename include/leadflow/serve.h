/*
 * serve.h - `leadflow serve`: the HTTP API on libmicrohttpd.
 *
 * Threads: libmicrohttpd's pool (cfg->threads) parses requests, checks
 * tokens and answers reads, each thread with its own read connection; one
 * writer commits writes in groups; one sender delivers webhooks. A write's connection is suspended until its group
 * is on disk, so a pool thread never waits for the disk.
 */
#ifndef LEADFLOW_SERVE_H
#define LEADFLOW_SERVE_H

#include <leadflow/config.h>

#include <leadflow/store.h>

/*
 * Serves target until SIGINT or SIGTERM, then stops taking connections,
 * finishes what is in flight, and returns LF_OK. Prints "listening on
 * http://ADDR:PORT" on stdout once it takes connections.
 */
enum lf_result lf_serve(const char *target, const struct lf_config *cfg,
			struct lf_error *err);

#endif
