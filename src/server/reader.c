/*
 * reader.c - the long-read threads (see reader.h).
 */
#include "server/reader.h"

#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct lf_readers {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lf_read_job *head, *tail;
	bool stopping;
	const char *target;
	pthread_t *threads;
	size_t n;
};

static void *reader_main(void *arg)
{
	struct lf_readers *r = arg;
	struct lf_store *s = NULL;
	struct lf_error err = { 0 };

	for (;;) {
		struct lf_read_job *j;
		pthread_mutex_lock(&r->mu);
		while (!r->head && !r->stopping)
			pthread_cond_wait(&r->cv, &r->mu);
		if (!(j = r->head)) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		r->head = j->next;
		if (!r->head)
			r->tail = NULL;
		pthread_mutex_unlock(&r->mu);
		/* opened on first use, and again after a failure */
		if (!s && lf_store_open(r->target, &s, &err))
			s = NULL;
		j->next = NULL;
		j->run(j, s, &err);
		/* a long read may have held hundreds of MB it has now freed (the
		 * forecast, a simulation): give them back, or the server keeps its
		 * largest read's size for good (malloc keeps freed memory in the
		 * thread's arena) */
		malloc_trim(0);
	}
	lf_store_close(s);
	return NULL;
}

enum lf_result lf_readers_start(const char *target, size_t n, struct lf_readers **out,
				struct lf_error *err)
{
	struct lf_readers *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r || !(r->threads = calloc(n, sizeof(*r->threads)))) {
		free(r);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	r->target = target;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	for (; r->n < n; r->n++)
		if (pthread_create(&r->threads[r->n], NULL, reader_main, r)) {
			lf_readers_stop(r);
			return lf_error_set(err, LF_ERR_INTERNAL, "cannot start the reader threads");
		}
	*out = r;
	return LF_OK;
}

void lf_readers_submit(struct lf_readers *r, struct lf_read_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&r->mu);
	if (r->tail)
		r->tail->next = j;
	else
		r->head = j;
	r->tail = j;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void lf_readers_stop(struct lf_readers *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	for (size_t i = 0; i < r->n; i++)
		pthread_join(r->threads[i], NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r->threads);
	free(r);
}
