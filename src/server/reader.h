/*
 * reader.h - long reads (reports, the gate's board, the simulation) off the
 * HTTP threads. Each HTTP thread serves many connections in turn, so a read
 * of seconds there holds every request behind it, writes included; a long
 * read is handed instead to one of these threads, each with its own read
 * connection (a WAL reader: it never waits for the writer, nor the writer
 * for it), and its connection is resumed once answered.
 */
#ifndef LF_SERVER_READER_H
#define LF_SERVER_READER_H

#include <leadflow/store.h>

#include <stddef.h>

struct lf_read_job {
	/* run on a reader thread with its connection (NULL when it could not be
	 * opened: err says why) */
	void (*run)(struct lf_read_job *j, struct lf_store *s, const struct lf_error *err);
	struct lf_read_job *next;
};

struct lf_readers;

/* Starts n threads reading target. */
enum lf_result lf_readers_start(const char *target, size_t n, struct lf_readers **out,
				struct lf_error *err);
/* Queues j for the first free thread. */
void lf_readers_submit(struct lf_readers *r, struct lf_read_job *j);
/* Lets the jobs queued finish, then stops the threads; NULL is fine. */
void lf_readers_stop(struct lf_readers *r);

#endif
