/*
 * wakeups.c - see wakeups.h. The thread waits half a second at a time, so
 * that a stop is seen soon; a lost connection is made again by the store
 * at the next wait (and listens again), a second later after a failure.
 */
#include "server/wakeups.h"

#include <leadflow/store.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct lf_wakeups {
	struct lf_store *s;
	pthread_t thread;
	atomic_bool stopping;
	void (*gate)(void *), (*send)(void *);
	void *gate_ctx, *send_ctx;
};

static void *wakeups_main(void *arg)
{
	struct lf_wakeups *w = arg;
	bool failing = false;
	while (!atomic_load(&w->stopping)) {
		struct lf_error err;
		bool woken = false;
		if (lf_store_await_wake(w->s, 500, &woken, &err)) {
			if (!failing)
				fprintf(stderr, "leadflow: wake-ups from other servers: %s "
					"(their work is still seen at the next tick)\n", err.msg);
			failing = true;
			sleep(1);
			continue;
		}
		failing = false;
		if (woken) {
			w->gate(w->gate_ctx);
			w->send(w->send_ctx);
		}
	}
	return NULL;
}

enum lf_result lf_wakeups_start(const char *target, void (*gate)(void *), void *gate_ctx,
				void (*send)(void *), void *send_ctx, struct lf_wakeups **out,
				struct lf_error *err)
{
	struct lf_wakeups *w = calloc(1, sizeof(*w));
	enum lf_result r;
	bool can = false;

	*out = NULL;
	if (!w)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	w->gate = gate;
	w->gate_ctx = gate_ctx;
	w->send = send;
	w->send_ctx = send_ctx;
	if ((r = lf_store_open(target, &w->s, err)) || (r = lf_store_listen(w->s, &can, err)) ||
	    !can) {
		lf_store_close(w->s);
		free(w);
		return r;
	}
	if (pthread_create(&w->thread, NULL, wakeups_main, w)) {
		lf_store_close(w->s);
		free(w);
		return lf_error_set(err, LF_ERR_INTERNAL, "cannot start the wake-ups' thread");
	}
	*out = w;
	return LF_OK;
}

void lf_wakeups_stop(struct lf_wakeups *w)
{
	if (!w)
		return;
	atomic_store(&w->stopping, true);
	pthread_join(w->thread, NULL);
	lf_store_close(w->s);
	free(w);
}
