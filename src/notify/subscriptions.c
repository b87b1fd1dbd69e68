/*
 * subscriptions.c - webhook subscriptions: check, store, audit
 * (leadflow/webhook.h).
 */
#include <leadflow/webhook.h>

#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

enum lf_result lf_webhook_check(const struct lf_webhook *w, struct lf_error *err)
{
	char types[512], known[256] = "", *save = NULL;
	size_t n = 0;

	if (!w->url || (strncmp(w->url, "http://", 7) && strncmp(w->url, "https://", 8)))
		return lf_error_field(err, LF_ERR_INPUT, "url", "a webhook's url must start "
				      "with http:// or https://, got '%s'", w->url ? w->url : "");
	if (!w->secret || strlen(w->secret) < 16)
		return lf_error_field(err, LF_ERR_INPUT, "secret", "a webhook's secret must be "
				      "at least 16 characters");
	snprintf(types, sizeof(types), "%s", w->types ? w->types : "");
	for (size_t k = 0; lf_notify_types[k]; k++) {
		strcat(known, k ? ", " : "");
		strcat(known, lf_notify_types[k]);
	}
	for (char *t = strtok_r(types, ", ", &save); t; t = strtok_r(NULL, ", ", &save), n++)
		if (!lf_notify_type_known(t))
			return lf_error_field(err, LF_ERR_INPUT, "types", "unknown event type '%s':"
					      " expected %s", t, known);
	if (!n)
		return lf_error_field(err, LF_ERR_INPUT, "types", "a webhook takes at least one "
				      "event type: %s", known);
	return LF_OK;
}

enum lf_result lf_webhook_add(struct lf_store *s, struct lf_webhook *w, const char *actor,
			      struct lf_error *err)
{
	char subject[48];
	enum lf_result r;
	if ((r = lf_webhook_check(w, err)) || (r = lf_store_begin(s, err)))
		return r;
	if (!(r = lf_store_webhook_insert(s, w, err))) {
		snprintf(subject, sizeof(subject), "webhook:%lld", (long long)w->id);
		r = lf_store_audit(s, actor, "webhook.create", subject, w->url, err);
	}
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}

enum lf_result lf_webhook_remove(struct lf_store *s, int64_t id, const char *actor,
				 struct lf_error *err)
{
	char subject[48];
	enum lf_result r;
	if ((r = lf_store_begin(s, err)))
		return r;
	if (!(r = lf_store_webhook_delete(s, id, err))) {
		snprintf(subject, sizeof(subject), "webhook:%lld", (long long)id);
		r = lf_store_audit(s, actor, "webhook.delete", subject, NULL, err);
	}
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}
