/*
 * deliver.c - the webhook sender (see deliver.h).
 */
#include "webhook/deliver.h"
#include <leadflow/json.h>

#include "core/crypto.h"
#include "core/value_json.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IN_FLIGHT 16    /* deliveries under way at once, each to its own subscription */
/* a claim outlives its attempt's time-out by this much (a server killed
 * mid-attempt holds its subscription this long past the time-out) */
#define CLAIM_MARGIN_MS 30000

/* One delivery under way. */
struct transfer {
	bool busy;
	struct lf_delivery d;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	char errbuf[CURL_ERROR_SIZE];
};

struct lf_deliverer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool kicked, stopping;
	struct lf_store *s;
	CURLM *multi;
	struct transfer slots[IN_FLIGHT];
	const struct lf_config *cfg;
	atomic_uint_fast64_t ok, failed;
};

/* The deliveries just claimed, each started in a free slot. */
struct claim {
	struct lf_deliverer *dl;
	size_t started;
};

void lf_webhook_signature(const char *secret, long long timestamp, const char *body,
			  char *out, size_t cap)
{
	size_t n = strlen(body);
	char *signed_text = malloc(n + 32), hexd[LF_SHA256_HEX];
	int k;
	if (!signed_text) {
		snprintf(out, cap, "sha256=");
		return;
	}
	k = snprintf(signed_text, n + 32, "%lld.", timestamp);
	memcpy(signed_text + k, body, n + 1);
	lf_hmac_sha256_hex(secret, signed_text, (size_t)k + n, hexd);
	snprintf(out, cap, "sha256=%s", hexd);
	free(signed_text);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

static char *delivery_body(const struct lf_delivery *d, int attempt)
{
	json_error_t jerr;
	json_t *data = json_loads(d->data, 0, &jerr);
	json_t *o = json_pack("{s:I, s:s, s:o, s:i, s:o}", "id", (json_int_t)d->id, "type",
			      d->type, "occurred_at", lf_time_json(d->occurred_at), "attempt",
			      attempt, "data", data ? data : json_null());
	char *body = o ? lf_json_text(o, 0) : NULL;
	json_decref(o);
	return body;
}

/* Starts attempt d->attempt of d (claimed) in free slot t; false when it
 * cannot start (t is busy with it all the same, for finish() to record). */
static bool start(struct lf_deliverer *dl, struct transfer *t, const struct lf_delivery *d)
{
	char ts[64], sig[128], idh[64];
	long long now_s = (long long)time(NULL);

	memset(t, 0, sizeof(*t));
	t->d = *d;
	t->d.url = dup_or_null(d->url);
	t->d.secret = dup_or_null(d->secret);
	t->d.type = dup_or_null(d->type);
	t->d.data = dup_or_null(d->data);
	t->d.status = NULL;
	t->d.last_error = NULL;
	t->busy = true;
	if (!t->d.url || !t->d.secret || !t->d.type || !t->d.data ||
	    !(t->body = delivery_body(&t->d, t->d.attempt)) || !(t->easy = curl_easy_init())) {
		free(t->body);
		t->body = NULL;
		return false;
	}
	snprintf(ts, sizeof(ts), "X-Leadflow-Timestamp: %lld", now_s);
	lf_webhook_signature(t->d.secret, now_s, t->body, sig + 22, sizeof(sig) - 22);
	memcpy(sig, "X-Leadflow-Signature: ", 22);
	snprintf(idh, sizeof(idh), "X-Leadflow-Delivery: %lld", (long long)t->d.id);
	t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
	t->headers = curl_slist_append(t->headers, ts);
	t->headers = curl_slist_append(t->headers, sig);
	t->headers = curl_slist_append(t->headers, idh);
	t->headers = curl_slist_append(t->headers, "Expect:");
	curl_easy_setopt(t->easy, CURLOPT_URL, t->d.url);
	curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, dl->cfg->webhook_timeout_ms);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(t->easy, CURLOPT_USERAGENT, "leadflow-webhooks/1");
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_multi_add_handle(dl->multi, t->easy);
	return true;
}

/* Records how t's attempt went (rc, the receiver's status) and frees the slot. */
static void drop(struct lf_deliverer *dl, struct transfer *t);
static void record(struct lf_deliverer *dl, struct transfer *t);

static void finish(struct lf_deliverer *dl, struct transfer *t, CURLcode rc)
{
	struct lf_delivery *d = &t->d;
	long code = 0;
	int attempt = d->attempt;

	if (rc == CURLE_OK)
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	if (!t->body) {
		d->last_error = strdup("cannot build the delivery's body");
	} else if (rc != CURLE_OK) {
		char msg[CURL_ERROR_SIZE + 64];
		snprintf(msg, sizeof(msg), "%s", *t->errbuf ? t->errbuf : curl_easy_strerror(rc));
		d->last_error = strdup(msg);
	} else if (code < 200 || code > 299) {
		char msg[64];
		snprintf(msg, sizeof(msg), "the receiver answered %ld", code);
		d->last_error = strdup(msg);
	}
	d->last_code = (int)code;
	free(d->status);
	if (!d->last_error) {
		d->status = strdup("delivered");
		d->next_at = 0;
		atomic_fetch_add(&dl->ok, 1);
	} else {
		long long delay = dl->cfg->webhook_backoff_ms;
		for (int i = 1; i < attempt && delay < dl->cfg->webhook_backoff_max_ms; i++)
			delay *= 2;
		if (delay > dl->cfg->webhook_backoff_max_ms)
			delay = dl->cfg->webhook_backoff_max_ms;
		bool last = attempt >= dl->cfg->webhook_attempts;
		d->status = strdup(last ? "failed" : "pending");
		d->next_at = last ? 0 : lf_time_now() + delay;
		atomic_fetch_add(&dl->failed, 1);
	}
	record(dl, t);
}

/* Records t's attempt as it stands and frees the slot (and the claim). */
static void record(struct lf_deliverer *dl, struct transfer *t)
{
	struct lf_error err;
	if (lf_store_outbox_attempt(dl->s, &t->d, lf_time_now(), &err))
		fprintf(stderr, "leadflow: webhooks: %s\n", err.msg);
	drop(dl, t);
}

/* Frees slot t without recording anything. */
static void drop(struct lf_deliverer *dl, struct transfer *t)
{
	if (t->easy) {
		curl_multi_remove_handle(dl->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->headers);
	free(t->body);
	lf_delivery_release(&t->d);
	memset(t, 0, sizeof(*t));
}

/* Records t's attempt as cut short by the server's stop, due again now. */
static void stopped(struct lf_deliverer *dl, struct transfer *t)
{
	free(t->d.status);
	t->d.status = strdup("pending");
	t->d.next_at = lf_time_now();
	t->d.last_code = 0;
	free(t->d.last_error);
	t->d.last_error = strdup("the server stopped before the receiver answered");
	record(dl, t);
}

static size_t busy_slots(const struct lf_deliverer *dl)
{
	size_t n = 0;
	for (size_t k = 0; k < IN_FLIGHT; k++)
		n += dl->slots[k].busy;
	return n;
}

static enum lf_result start_claimed(void *ctx, const struct lf_delivery *d)
{
	struct claim *c = ctx;
	struct transfer *slot = NULL;
	for (size_t k = 0; k < IN_FLIGHT && !slot; k++)
		if (!c->dl->slots[k].busy)
			slot = &c->dl->slots[k];
	if (!slot)   /* cannot be: no more are claimed than there are free slots */
		return LF_OK;
	if (start(c->dl, slot, d))
		c->started++;
	else
		finish(c->dl, slot, CURLE_OUT_OF_MEMORY);   /* recorded as failed at once */
	return LF_OK;
}

/*
 * Claims as many due deliveries as there are free slots and starts them.
 * The store gives one a subscription, none of one another server sends, so
 * a slow receiver holds a slot and its own queue, nobody else's. Returns
 * how many started.
 */
static size_t fill(struct lf_deliverer *dl)
{
	struct claim c = { .dl = dl, .started = 0 };
	struct lf_error err;
	size_t free_slots = IN_FLIGHT - busy_slots(dl);
	lf_time_ms now = lf_time_now();

	if (!free_slots)
		return 0;   /* no slot to start one in: no need to ask the store */
	if (lf_store_outbox_claim(dl->s, now,
				  now + dl->cfg->webhook_timeout_ms + CLAIM_MARGIN_MS,
				  (int)free_slots, start_claimed, &c, &err))
		fprintf(stderr, "leadflow: webhooks: %s\n", err.msg);
	return c.started;
}

/*
 * Delivers until nothing is due or under way (or the server stops).
 * Returns how many it started.
 */
static size_t deliver_due(struct lf_deliverer *dl)
{
	size_t total = 0;
	for (;;) {
		CURLMsg *m;
		int running, left;
		size_t started = fill(dl);

		total += started;
		if (!busy_slots(dl))
			return total;
		curl_multi_perform(dl->multi, &running);
		while ((m = curl_multi_info_read(dl->multi, &left)))
			if (m->msg == CURLMSG_DONE) {
				struct transfer *t = NULL;
				curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
				if (t)
					finish(dl, t, m->data.result);
			}
		pthread_mutex_lock(&dl->mu);
		bool stop = dl->stopping;
		pthread_mutex_unlock(&dl->mu);
		if (stop) {
			/* what is under way is pending again at once, for whichever
			 * server goes on; the receiver may have had it (at least once) */
			for (size_t k = 0; k < IN_FLIGHT; k++)
				if (dl->slots[k].busy)
					stopped(dl, &dl->slots[k]);
			return total;
		}
		if (busy_slots(dl) && !started)
			curl_multi_poll(dl->multi, NULL, 0, 100, NULL);
	}
}

static void *deliver_main(void *arg)
{
	struct lf_deliverer *dl = arg;
	for (;;) {
		struct lf_error err;
		lf_time_ms next = 0, now;

		size_t started = deliver_due(dl);
		if (lf_store_outbox_next(dl->s, &next, &err))
			next = 0;
		now = lf_time_now();
		/* wake at the next retry, and once a second for what others queued;
		 * due but none claimed is another server's under way: look again
		 * a little later */
		lf_time_ms wait = next && next > now ? next - now : 1000;
		if (next && next <= now)
			wait = started ? 0 : 200;
		if (wait > 1000)
			wait = 1000;
		struct timespec until = lf_deadline_in(wait);
		pthread_mutex_lock(&dl->mu);
		while (!dl->kicked && !dl->stopping && wait > 0)
			if (pthread_cond_timedwait(&dl->cv, &dl->mu, &until))
				break;
		dl->kicked = false;
		bool stop = dl->stopping;
		pthread_mutex_unlock(&dl->mu);
		if (stop)
			break;
	}
	return NULL;
}

enum lf_result lf_deliverer_start(const char *target, const struct lf_config *cfg,
				  struct lf_deliverer **out, struct lf_error *err)
{
	struct lf_deliverer *dl = calloc(1, sizeof(*dl));
	enum lf_result r;

	*out = NULL;
	if (!dl)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	dl->cfg = cfg;
	/* libcurl's process-wide state, made before the sender's thread starts
	 * (the server starts one sender; its stop undoes this) */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* an attempt's record waits for no sync (nor holds the writer's lock
	 * through one): lost in a power cut, the delivery is sent again */
	if ((r = lf_store_open(target, &dl->s, err)) || (r = lf_store_lazy_commits(dl->s, err))) {
		lf_store_close(dl->s);
		free(dl);
		return r;
	}
	if (!(dl->multi = curl_multi_init())) {
		lf_store_close(dl->s);
		free(dl);
		return lf_error_set(err, LF_ERR_INTERNAL, "cannot start libcurl");
	}
	pthread_mutex_init(&dl->mu, NULL);
	pthread_cond_init(&dl->cv, NULL);
	if (pthread_create(&dl->thread, NULL, deliver_main, dl)) {
		curl_multi_cleanup(dl->multi);
		lf_store_close(dl->s);
		free(dl);
		return lf_error_set(err, LF_ERR_INTERNAL, "cannot start the webhook thread");
	}
	*out = dl;
	return LF_OK;
}

void lf_deliverer_kick(void *d)
{
	struct lf_deliverer *dl = d;
	pthread_mutex_lock(&dl->mu);
	dl->kicked = true;
	pthread_cond_signal(&dl->cv);
	pthread_mutex_unlock(&dl->mu);
}

void lf_deliverer_stats(struct lf_deliverer *d, uint64_t *ok, uint64_t *failed)
{
	*ok = atomic_load(&d->ok);
	*failed = atomic_load(&d->failed);
}

void lf_deliverer_stop(struct lf_deliverer *dl)
{
	if (!dl)
		return;
	pthread_mutex_lock(&dl->mu);
	dl->stopping = true;
	pthread_cond_signal(&dl->cv);
	pthread_mutex_unlock(&dl->mu);
	pthread_join(dl->thread, NULL);
	curl_multi_cleanup(dl->multi);
	curl_global_cleanup();
	lf_store_close(dl->s);
	pthread_mutex_destroy(&dl->mu);
	pthread_cond_destroy(&dl->cv);
	free(dl);
}
