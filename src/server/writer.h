/*
 * writer.h - group commit. Every write the API takes goes through one
 * writer thread, which owns the only writing connection: it takes all the
 * writes waiting (up to group_max), runs each in a savepoint of one
 * transaction, commits once (one sync to disk for the group), and only
 * then lets each request be answered. A write that fails undoes itself
 * and no other; a commit that fails answers every write of the group 503.
 */
#ifndef LF_SERVER_WRITER_H
#define LF_SERVER_WRITER_H

#include "server/http.h"

#include <stdatomic.h>

struct lf_job {
	lf_write_fn fn;
	void *arg;
	void (*free_arg)(void *);
	struct lf_principal who;
	struct lf_http_resp resp;        /* filled before done is called */
	void (*done)(struct lf_job *j);  /* called by the writer once durable */
	void *owner;
	bool bulk;                       /* many rows: a group of its own, no savepoint */
	struct lf_job *next;
};

struct lf_writer;

/* Opens the writer's own connection to target and starts its thread. */
enum lf_result lf_writer_start(const char *target, const struct lf_config *cfg,
			       struct lf_writer **out, struct lf_error *err);
/* Queues j; LF_ERR_BUSY when queue_max writes are already waiting. */
enum lf_result lf_writer_submit(struct lf_writer *w, struct lf_job *j);
/* Writes waiting now. */
size_t lf_writer_depth(struct lf_writer *w);
/* Called after every commit (e.g. to wake the webhook sender). */
void lf_writer_on_commit(struct lf_writer *w, void (*fn)(void *), void *ctx);
/* Totals for /metrics. */
struct lf_writer_stats { uint64_t groups, jobs, events, failed_commits; };
void lf_writer_stats(struct lf_writer *w, struct lf_writer_stats *out);
/* Runs the clocks now if idle (another server's commit woke them); w is a struct lf_writer. */
void lf_writer_poke(void *w);
/* Finishes every queued write, then stops the thread and closes. */
void lf_writer_stop(struct lf_writer *w);

#endif
