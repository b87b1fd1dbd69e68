/*
 * writer.c - the group-commit writer (see writer.h).
 */
#include "server/writer.h"

#include "gate/capacity.h"
#include "gate/tick.h"

#include <leadflow/import.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct lf_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv, measure_cv;
	struct lf_job *head, *tail;
	size_t n, max, group_max;
	bool stopping;
	bool poked;            /* lf_writer_poke: the clocks to run now */
	struct lf_store *s;
	void (*on_commit)(void *);
	void *on_commit_ctx;
	struct lf_ingest *in;        /* kept across groups, refreshed at each */
	const struct lf_config *cfg;
	struct lf_tick tick;         /* the gate and SLA clocks this writer schedules */
	atomic_uint_fast64_t groups, jobs, events, failed, gate_runs;
	/* the capacity's measured times, read on their own connection by their
	 * own thread (a long read: seconds at 1M leads) and taken by upkeep */
	pthread_t measurer;
	bool measuring;
	struct lf_store *ms;
	struct lf_capacity_cache fresh;  /* under mu; teams NULL until measured */
	/* SQLite: commits do not wait for the disk; the syncer syncs the log
	 * and answers the groups committed before each sync began, while the
	 * writer goes on with the next group (NULL: each COMMIT syncs) */
	struct lf_log_sync *ls;
	bool syncing;                /* the syncer thread runs */
	pthread_t syncer;
	pthread_mutex_t smu;
	pthread_cond_t scv;
	struct committed *pending, **pending_tail;   /* under smu */
	bool sync_stopping;
	/* SQLite: a checkpointer on a connection of its own copies the log into
	 * the database; past log_max_mb the writer finishes the copy
	 * between two groups, so that the log starts over (bound_log) */
	struct lf_store *cs;
	bool checkpointing;          /* the checkpointer thread runs */
	pthread_t checkpointer;
	pthread_mutex_t cmu;
	pthread_cond_t ccv, fcv;
	bool ck_wake, ck_stopping;   /* under cmu */
	bool ck_final, ck_final_done;   /* under cmu: the writer waits for a last pass */
	atomic_int_fast64_t ck_caught_up;   /* when its passes last left little (ms) */
	lf_time_ms log_bounded;      /* the writer's last checkpoint (no checkpointer) */
	double group_seconds;        /* how long the last group took */
};

/* a checkpointer's passes go on while one takes longer than this (s) */
#define CK_SHORT_PASS 0.003
#define CK_PASSES_MAX 8
/* the writer asks for the last pass once the checkpointer caught up this
 * recently (ms), and waits for it as long as its last group took, at
 * least CK_FINAL_MS and at most CK_FINAL_MAX_MS */
#define CK_FRESH_MS 4
#define CK_FINAL_MS 5
#define CK_FINAL_MAX_MS 100

/* A committed group waiting for the sync (group NULL: only the webhook sender to wake). */
struct committed {
	struct lf_job *group;
	struct committed *next;
};

struct lf_write_ctx {
	struct lf_writer *w;
	struct lf_ingest *in;
	int64_t events;
	const struct lf_job *job;
	enum lf_result failed;          /* a bulk job's transaction could not be begun again */
	struct lf_error fail_err;
};

const struct lf_principal *lf_write_who(struct lf_write_ctx *w)
{
	return &w->job->who;
}

struct lf_store *lf_write_store(struct lf_write_ctx *w)
{
	return w->w->s;
}

enum lf_result lf_write_ingest(struct lf_write_ctx *w, struct lf_ingest **out,
			       struct lf_error *err)
{
	const char *actor = lf_write_who(w)->name;
	enum lf_result r;
	if (!w->in && w->w->in) {
		/* the session of an earlier group: new caches, same model if still active */
		if ((r = lf_ingest_refresh(w->w->in, err)))
			return r;
		w->in = w->w->in;
		w->w->in = NULL;
	}
	if (!w->in && (r = lf_ingest_open(w->w->s, actor, true, &w->in, err)))
		return r;
	lf_ingest_set_actor(w->in, actor);
	*out = w->in;
	return LF_OK;
}

void lf_write_count_events(struct lf_write_ctx *w, int64_t n)
{
	w->events += n;
}

/*
 * Runs one job in a savepoint; its failure undoes it alone. A bulk job has
 * the group's transaction to itself and runs without one: under a
 * savepoint every page it writes would be copied to the statement journal
 * first (SQLite keeps that journal for the savepoint's life). Its failure
 * rolls the transaction back and begins another for the clocks.
 */
static void run_job(struct lf_write_ctx *ctx, struct lf_job *j)
{
	struct lf_error err = { 0 };
	int64_t events = ctx->events;
	enum lf_result r = j->bulk ? LF_OK : lf_store_begin(ctx->w->s, &err);
	bool began = r == LF_OK;

	ctx->job = j;
	if (!r)
		r = j->fn(ctx, j->arg, &j->resp, &err);
	if (!r && ctx->in)
		r = lf_ingest_flush(ctx->in, &err);
	if (!r && !j->bulk)
		r = lf_store_commit(ctx->w->s, &err);
	if (r) {
		/* (a savepoint not begun has nothing to undo: a rollback would
		 * undo the group's transaction itself, unless the job is bulk) */
		if (began)
			lf_store_rollback(ctx->w->s);
		if (j->bulk)
			ctx->failed = lf_store_begin(ctx->w->s, &ctx->fail_err);
		/* the session's caches may hold what was just undone */
		lf_ingest_close(ctx->in);
		ctx->in = NULL;
		ctx->events = events;
		if (!j->resp.status)
			lf_http_fail(&j->resp, &err, 400);
	}
}

static void fail_all(struct lf_job *group, const struct lf_error *err)
{
	for (struct lf_job *j = group; j; j = j->next) {
		lf_http_resp_release(&j->resp);
		lf_http_error(&j->resp, 503, "not_durable", NULL,
			      "the write could not be committed, nothing of it was kept: %s",
			      err->msg);
	}
}

/* Answers a group's writes; the owners may free the jobs then. */
static void answer(struct lf_job *group)
{
	while (group) {
		struct lf_job *next = group->next;
		if (group->free_arg)
			group->free_arg(group->arg);
		group->arg = NULL;
		group->done(group);
		group = next;
	}
}

/*
 * Committed groups once their sync returned r: the webhook sender woken
 * when it succeeded (what it sends is on disk), each write answered, 503
 * when it failed (nothing answered 2xx is short of the disk).
 */
static void settle(struct lf_writer *w, struct committed *c, enum lf_result r,
		   const struct lf_error *err)
{
	if (!r && w->on_commit)
		w->on_commit(w->on_commit_ctx);
	for (; c; c = c->next) {
		if (r) {
			fail_all(c->group, err);
			atomic_fetch_add(&w->failed, 1);
		}
		answer(c->group);
	}
}

/*
 * After a commit: at once when the COMMIT synced, else handed to the
 * syncer. Without the syncer (or memory for it), the log is synced here.
 */
static void committed(struct lf_writer *w, struct lf_job *group)
{
	struct committed *c = w->syncing ? malloc(sizeof(*c)) : NULL;
	if (!c) {
		struct committed one = { group, NULL };
		struct lf_error err = { 0 };
		settle(w, &one, w->ls ? lf_log_sync_run(w->ls, &err) : LF_OK, &err);
		return;
	}
	*c = (struct committed){ group, NULL };
	pthread_mutex_lock(&w->smu);
	*w->pending_tail = c;
	w->pending_tail = &c->next;
	pthread_cond_signal(&w->scv);
	pthread_mutex_unlock(&w->smu);
}

/* The syncer: takes every group committed so far, syncs the log once and
 * settles them. Drains before it stops. */
static void *syncer_main(void *arg)
{
	struct lf_writer *w = arg;
	pthread_mutex_lock(&w->smu);
	for (;;) {
		while (!w->pending && !w->sync_stopping)
			pthread_cond_wait(&w->scv, &w->smu);
		struct committed *c = w->pending;
		if (!c)
			break;
		w->pending = NULL;
		w->pending_tail = &w->pending;
		pthread_mutex_unlock(&w->smu);
		struct lf_error err = { 0 };
		settle(w, c, lf_log_sync_run(w->ls, &err), &err);
		while (c) {
			struct committed *next = c->next;
			free(c);
			c = next;
		}
		pthread_mutex_lock(&w->smu);
	}
	pthread_mutex_unlock(&w->smu);
	return NULL;
}

static void wake_checkpointer(struct lf_writer *w)
{
	pthread_mutex_lock(&w->cmu);
	w->ck_wake = true;
	pthread_cond_signal(&w->ccv);
	pthread_mutex_unlock(&w->cmu);
}

/*
 * The log's length, between two groups. Past its bound, once the
 * checkpointer has just caught up (woken to, when it has not), the writer
 * waits a few ms at most for one last pass of it: done in time, nothing
 * was written meanwhile and the next group starts the log over
 * (lf_store_log_length). The pass copies the last group's frames: it
 * gets as long as that group took (5 ms at least: a bulk write's group
 * leaves more to copy than 5 ms allow). A pass may take long (the disk
 * busy: hundreds of ms on a database of 1M leads); the writer then goes on
 * and asks again later, so a wait costs the writes that long at most. Without the
 * checkpointer the writer copies it all itself, 5 times a second at most.
 * A reader holding an old snapshot keeps the log from starting over: it
 * is tried again.
 */
static void bound_log(struct lf_writer *w)
{
	struct lf_error err;
	int64_t bytes = 0;
	lf_time_ms now;

	if (lf_store_log_length(w->s, &bytes, &err) || bytes < (int64_t)w->cfg->log_max_mb << 20)
		return;
	now = lf_time_now();
	if (!w->checkpointing) {
		if (now - w->log_bounded < 200)
			return;
		w->log_bounded = now;
		if (lf_store_checkpoint(w->s, NULL, &err))
			fprintf(stderr, "leadflow: checkpoint: %s\n", err.msg);
		return;
	}
	if (now - atomic_load(&w->ck_caught_up) > CK_FRESH_MS) {
		wake_checkpointer(w);
		return;
	}
	atomic_store(&w->ck_caught_up, 0);
	long wait_ms = (long)(w->group_seconds * 1000);
	wait_ms = wait_ms < CK_FINAL_MS ? CK_FINAL_MS
		: wait_ms > CK_FINAL_MAX_MS ? CK_FINAL_MAX_MS : wait_ms;
	struct timespec until = lf_deadline_in(wait_ms);
	pthread_mutex_lock(&w->cmu);
	w->ck_final = true;
	w->ck_final_done = false;
	w->ck_wake = true;
	pthread_cond_signal(&w->ccv);
	while (!w->ck_final_done &&
	       pthread_cond_timedwait(&w->fcv, &w->cmu, &until) != ETIMEDOUT)
		;
	w->ck_final = false;
	pthread_mutex_unlock(&w->cmu);
}

/*
 * The checkpointer: 5 times a second, and when the writer's log is past its
 * bound, passes back to back while each leaves much (the frames the writer
 * wrote during the one before).
 */
static void *checkpointer_main(void *arg)
{
	struct lf_writer *w = arg;
	pthread_mutex_lock(&w->cmu);
	while (!w->ck_stopping) {
		struct timespec until = lf_deadline_in(200);
		struct lf_error err;
		while (!w->ck_wake && !w->ck_stopping &&
		       pthread_cond_timedwait(&w->ccv, &w->cmu, &until) != ETIMEDOUT)
			;
		w->ck_wake = false;
		if (w->ck_stopping)
			break;
		if (w->ck_final) {
			/* the writer waits: one pass, and the word that it is done */
			pthread_mutex_unlock(&w->cmu);
			if (lf_store_checkpoint(w->cs, NULL, &err))
				fprintf(stderr, "leadflow: checkpoint: %s\n", err.msg);
			pthread_mutex_lock(&w->cmu);
			w->ck_final_done = true;
			pthread_cond_signal(&w->fcv);
			continue;
		}
		pthread_mutex_unlock(&w->cmu);
		/* a long pass copied much: the writer wrote about as much meanwhile */
		bool short_pass = false;
		for (int pass = 0; pass < CK_PASSES_MAX && !short_pass; pass++) {
			double start = lf_clock_seconds();
			if (lf_store_checkpoint(w->cs, NULL, &err)) {
				fprintf(stderr, "leadflow: checkpoint: %s\n", err.msg);
				break;
			}
			short_pass = lf_clock_seconds() - start < CK_SHORT_PASS;
		}
		pthread_mutex_lock(&w->cmu);
		if (short_pass) {
			/* the writer's calls meanwhile are answered: its turn */
			atomic_store(&w->ck_caught_up, lf_time_now());
			w->ck_wake = false;
		}
	}
	pthread_mutex_unlock(&w->cmu);
	return NULL;
}

/*
 * The domain's clocks (gate/tick.h), scheduled here: once a group's writes
 * are answered (so that they do not wait for them) and when the writer is
 * idle, on the writer's connection.
 */
static void upkeep(struct lf_writer *w)
{
	bool notify = false;
	pthread_mutex_lock(&w->mu);
	if (w->fresh.teams)
		lf_tick_adopt(&w->tick, &w->fresh);
	pthread_mutex_unlock(&w->mu);
	lf_tick_run(&w->tick, w->s, w->cfg, lf_time_now(), &notify);
	atomic_store(&w->gate_runs, w->tick.gate_runs);
	/* webhooks to send, once on disk; and what the clocks wrote synced
	 * (their commits do not sync when the syncer does) */
	if (notify || w->syncing)
		committed(w, NULL);
	bound_log(w);
}

static void run_group(struct lf_writer *w, struct lf_job *group, size_t n)
{
	struct lf_write_ctx ctx = { .w = w };
	struct lf_error err = { 0 };
	double start = lf_clock_seconds();
	enum lf_result r = lf_store_begin(w->s, &err);

	if (!r) {
		for (struct lf_job *j = group; j; j = j->next)
			run_job(&ctx, j);
		if (ctx.in)
			w->in = ctx.in; /* flushed after each write: safe to keep */
		if ((r = ctx.failed)) {
			err = ctx.fail_err;
		} else {
			/* a hand-raiser's release is committed with it: one sync, not two */
			lf_tick_woken(&w->tick, w->s, w->cfg, lf_time_now());
			r = lf_store_commit(w->s, &err);
			if (r)
				lf_store_rollback(w->s);
		}
	}
	if (r) {
		lf_ingest_close(w->in);
		w->in = NULL;
		fail_all(group, &err);
		atomic_fetch_add(&w->failed, 1);
	} else {
		atomic_fetch_add(&w->events, (uint64_t)ctx.events);
	}
	atomic_fetch_add(&w->groups, 1);
	atomic_fetch_add(&w->jobs, n);
	if (r) {
		answer(group);
		return;
	}
	w->group_seconds = lf_clock_seconds() - start;
	committed(w, group);
	upkeep(w);
}

static void *writer_main(void *arg)
{
	struct lf_writer *w = arg;
	upkeep(w);   /* the clocks' lease at once, when free */
	for (;;) {
		struct lf_job *group, *last;
		size_t n = 1;
		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->stopping) {
			struct timespec until = lf_deadline_in(1000);
			if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT ||
			    w->poked) {
				/* idle: the clocks still run, and at once when poked */
				w->poked = false;
				pthread_mutex_unlock(&w->mu);
				upkeep(w);
				pthread_mutex_lock(&w->mu);
			}
		}
		if (!w->head) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		/* a bulk job is a group of its own */
		group = last = w->head;
		while (!last->bulk && last->next && !last->next->bulk && n < w->group_max) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		w->n -= n;
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);
		run_group(w, group, n);
	}
	return NULL;
}

/* Once a minute (and at once), capacity's measured times for upkeep to take. */
static void *measurer_main(void *arg)
{
	struct lf_writer *w = arg;
	struct lf_capacity_settings set;
	struct lf_capacity_cache got = { 0 };
	struct lf_error err;

	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->mu);
		lf_capacity_from_config(w->cfg, lf_time_now(), &set);
		if (lf_capacity_measure(w->ms, &set, &got, &err))
			fprintf(stderr, "leadflow: capacity: %s\n", err.msg);
		pthread_mutex_lock(&w->mu);
		if (got.teams) {
			lf_capacity_cache_release(&w->fresh);
			w->fresh = got;
			got = (struct lf_capacity_cache){ 0 };
		}
		struct timespec until = lf_deadline_in(60000);
		while (!w->stopping &&
		       pthread_cond_timedwait(&w->measure_cv, &w->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&w->mu);
	lf_capacity_cache_release(&got);
	return NULL;
}

/* The measurer on a connection of its own; without one the clocks measure in turn. */
static void start_measurer(struct lf_writer *w, const char *target)
{
	struct lf_error err;
	if (!w->cfg->gate_interval_ms)
		return;
	if (lf_store_open(target, &w->ms, &err)) {
		fprintf(stderr, "leadflow: capacity measured by the gate itself: %s\n", err.msg);
		return;
	}
	pthread_cond_init(&w->measure_cv, NULL);
	if (pthread_create(&w->measurer, NULL, measurer_main, w)) {
		pthread_cond_destroy(&w->measure_cv);
		lf_store_close(w->ms);
		w->ms = NULL;
		return;
	}
	w->measuring = true;
	w->tick.measured_elsewhere = true;
}

/*
 * The syncer, where the store can sync its log apart (SQLite). Without it
 * (PostgreSQL, or no thread) each COMMIT syncs, or the writer syncs the
 * log itself after it.
 */
static void start_syncer(struct lf_writer *w)
{
	struct lf_error err;
	enum lf_result r;
	pthread_mutex_init(&w->smu, NULL);
	pthread_cond_init(&w->scv, NULL);
	w->pending_tail = &w->pending;
	if ((r = lf_store_log_sync(w->s, &w->ls, &err))) {
		if (r != LF_ERR_NOT_FOUND)
			fprintf(stderr, "leadflow: each commit syncs: %s\n", err.msg);
		return;
	}
	w->syncing = !pthread_create(&w->syncer, NULL, syncer_main, w);
}

/* The checkpointer, where the store has a log to bound (SQLite). */
static void start_checkpointer(struct lf_writer *w, const char *target)
{
	struct lf_error err;
	char *log = NULL;
	pthread_mutex_init(&w->cmu, NULL);
	pthread_cond_init(&w->ccv, NULL);
	pthread_cond_init(&w->fcv, NULL);
	if (lf_store_log_file(w->s, &log, &err))
		return;   /* none (PostgreSQL) */
	free(log);
	if (lf_store_open(target, &w->cs, &err)) {
		fprintf(stderr, "leadflow: the writer checkpoints its log itself: %s\n", err.msg);
		return;
	}
	w->checkpointing = !pthread_create(&w->checkpointer, NULL, checkpointer_main, w);
}

/* Tells a thread waiting on cv under mu to stop (*stopping), and waits for it. */
static void stop_thread(pthread_t t, pthread_mutex_t *mu, pthread_cond_t *cv, bool *stopping)
{
	pthread_mutex_lock(mu);
	*stopping = true;
	pthread_cond_signal(cv);
	pthread_mutex_unlock(mu);
	pthread_join(t, NULL);
}

static void stop_checkpointer(struct lf_writer *w)
{
	if (w->checkpointing)
		stop_thread(w->checkpointer, &w->cmu, &w->ccv, &w->ck_stopping);
	lf_store_close(w->cs);
	pthread_mutex_destroy(&w->cmu);
	pthread_cond_destroy(&w->ccv);
	pthread_cond_destroy(&w->fcv);
}

static void stop_syncer(struct lf_writer *w)
{
	if (w->syncing)
		stop_thread(w->syncer, &w->smu, &w->scv, &w->sync_stopping);
	lf_log_sync_close(w->ls);
	pthread_mutex_destroy(&w->smu);
	pthread_cond_destroy(&w->scv);
}

/* Stops the measurer, the writer's mutex not held. */
static void stop_measurer(struct lf_writer *w)
{
	if (!w->measuring)
		return;
	stop_thread(w->measurer, &w->mu, &w->measure_cv, &w->stopping);
	pthread_cond_destroy(&w->measure_cv);
	lf_store_close(w->ms);
	w->measuring = false;
}

enum lf_result lf_writer_start(const char *target, const struct lf_config *cfg,
			       struct lf_writer **out, struct lf_error *err)
{
	struct lf_writer *w = calloc(1, sizeof(*w));
	enum lf_result r;

	*out = NULL;
	if (!w)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if ((r = lf_store_open(target, &w->s, err))) {
		free(w);
		return r;
	}
	/* checkpoints copy the log into the database on another connection
	 * (the checkpointer's), not while writes wait for their commit */
	if ((r = lf_store_autocheckpoint(w->s, (int64_t)cfg->log_max_mb << 20, err)) ||
	    (r = lf_store_set_lock_wait(w->s, -1, err))) {
		lf_store_close(w->s);
		free(w);
		return r;
	}
	w->cfg = cfg;
	lf_tick_init(&w->tick);
	w->max = (size_t)cfg->queue_max;
	w->group_max = (size_t)cfg->group_max;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	start_measurer(w, target);
	start_syncer(w);
	start_checkpointer(w, target);
	if (pthread_create(&w->thread, NULL, writer_main, w)) {
		stop_measurer(w);
		stop_checkpointer(w);
		stop_syncer(w);
		lf_capacity_cache_release(&w->fresh);
		lf_store_close(w->s);
		free(w);
		return lf_error_set(err, LF_ERR_INTERNAL, "cannot start the writer thread");
	}
	*out = w;
	return LF_OK;
}

enum lf_result lf_writer_submit(struct lf_writer *w, struct lf_job *j)
{
	enum lf_result r = LF_OK;
	j->next = NULL;
	pthread_mutex_lock(&w->mu);
	if (w->n >= w->max || w->stopping) {
		r = LF_ERR_BUSY;
	} else {
		if (w->tail)
			w->tail->next = j;
		else
			w->head = j;
		w->tail = j;
		w->n++;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return r;
}

size_t lf_writer_depth(struct lf_writer *w)
{
	size_t n;
	pthread_mutex_lock(&w->mu);
	n = w->n;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void lf_writer_poke(void *arg)
{
	struct lf_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	w->poked = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void lf_writer_on_commit(struct lf_writer *w, void (*fn)(void *), void *ctx)
{
	w->on_commit = fn;
	w->on_commit_ctx = ctx;
}

void lf_writer_stats(struct lf_writer *w, struct lf_writer_stats *out)
{
	out->groups = atomic_load(&w->groups);
	out->jobs = atomic_load(&w->jobs);
	out->events = atomic_load(&w->events);
	out->failed_commits = atomic_load(&w->failed);
}

void lf_writer_stop(struct lf_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	lf_tick_leave(&w->tick, w->s);   /* another server takes the clocks at once */
	stop_syncer(w);                  /* every committed write answered */
	stop_checkpointer(w);
	stop_measurer(w);
	lf_capacity_cache_release(&w->fresh);
	lf_ingest_close(w->in);
	lf_tick_release(&w->tick);
	lf_store_close(w->s);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
