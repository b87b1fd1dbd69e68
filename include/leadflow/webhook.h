/*
 * webhook.h - webhook subscriptions as an operation of the domain:
 * checked, stored and audited in one place, so that the command line and
 * the API (thin callers) cannot drift apart. Each runs in a transaction of
 * its own, or nests in the caller's (the server's write group).
 */
#ifndef LEADFLOW_WEBHOOK_H
#define LEADFLOW_WEBHOOK_H

#include <leadflow/store.h>

/*
 * LF_ERR_INPUT, field url, secret or types, unless w's url is http:// or
 * https://, its secret 16 characters or more, and its types (comma-separated)
 * each a type leadflow sends.
 */
enum lf_result lf_webhook_check(const struct lf_webhook *w, struct lf_error *err);
/* Checks w, stores it (w->id set) and audits it as actor's. */
enum lf_result lf_webhook_add(struct lf_store *s, struct lf_webhook *w, const char *actor,
			      struct lf_error *err);
/* Deletes subscription id (its pending deliveries fail) and audits it. */
enum lf_result lf_webhook_remove(struct lf_store *s, int64_t id, const char *actor,
				 struct lf_error *err);

#endif
