/*
 * deliver.h - the webhook sender: a thread with its own connection that
 * takes due deliveries from the outbox, POSTs each to its subscriber with
 * libcurl, signed, and records the attempt. A delivery that fails is
 * retried with exponential backoff; the outbox is in the database, so a
 * restarted server goes on where the last one stopped. Every server
 * sharing a database sends: each attempt is claimed in the store by one of
 * them (lf_store_outbox_claim), so none is sent twice by two servers.
 *
 * The request: POST url, body {"id","type","occurred_at","attempt","data"},
 * headers X-Leadflow-Delivery (the id), X-Leadflow-Timestamp (Unix
 * seconds) and X-Leadflow-Signature: "sha256=" + hex HMAC-SHA256 under the
 * subscription's secret of "<timestamp>.<body>". Any 2xx answer counts.
 */
#ifndef LF_WEBHOOK_DELIVER_H
#define LF_WEBHOOK_DELIVER_H

#include <leadflow/config.h>

#include <leadflow/store.h>

struct lf_deliverer;

enum lf_result lf_deliverer_start(const char *target, const struct lf_config *cfg,
				  struct lf_deliverer **out, struct lf_error *err);
/* Wakes the sender (something may have been queued); safe from any thread. */
void lf_deliverer_kick(void *d);
void lf_deliverer_stats(struct lf_deliverer *d, uint64_t *ok, uint64_t *failed);
void lf_deliverer_stop(struct lf_deliverer *d);

/* The signature header's value for body sent at timestamp (seconds). */
void lf_webhook_signature(const char *secret, long long timestamp, const char *body,
			  char *out, size_t cap);

#endif
