/*
 * server.h - `leadflow serve`: the HTTP API on libmicrohttpd.
 *
 * Threads: libmicrohttpd's pool (cfg->threads) parses requests, checks
 * tokens and answers reads, each thread with its own read connection; one
 * writer commits writes in groups (writer.h); one sender delivers webhooks
 * (webhook/deliver.h). A write's connection is suspended until its group
 * is on disk, so a pool thread never waits for the disk.
 */
#ifndef LF_SERVER_SERVER_H
#define LF_SERVER_SERVER_H

#include "core/config.h"

#include <leadflow/store.h>

/*
 * Serves target until SIGINT or SIGTERM, then stops taking connections,
 * finishes what is in flight, and returns LF_OK. Prints "listening on
 * http://ADDR:PORT" on stdout once it takes connections.
 */
enum lf_result lf_serve(const char *target, const struct lf_config *cfg,
			struct lf_error *err);

#endif
