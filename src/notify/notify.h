/*
 * notify.h - the domain events that webhooks carry (SPEC 9), queued in the
 * store's outbox inside the transaction of the change that causes them, so
 * that a change and its notification are kept or lost together.
 *
 * Types: lead.mql, lead.assigned, lead.disqualified (from transitions),
 * model.activated.
 * A type no subscription takes costs one indexed insert-select of no rows.
 */
#ifndef LF_NOTIFY_NOTIFY_H
#define LF_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <leadflow/store.h>

/* Every type leadflow sends, NULL-terminated. */
extern const char *const lf_notify_types[];
bool lf_notify_type_known(const char *type);

/* Queues type with data (borrowed) for every subscription that takes it. */
enum lf_result lf_notify(struct lf_store *s, const char *type, lf_time_ms at,
			 json_t *data, struct lf_error *err);

/*
 * Appends t (setting t->id) and queues what it causes. lead is the lead as
 * it is after the move, or NULL to read it when a notification needs it;
 * why (or NULL), the model's why for the move's rule or reason, goes in
 * the payload as transition.why.
 */
enum lf_result lf_notify_transition(struct lf_store *s, struct lf_transition *t,
				    const struct lf_lead *lead, const char *why,
				    struct lf_error *err);

enum lf_result lf_notify_model_activated(struct lf_store *s, int version,
					 const char *name, lf_time_ms at,
					 struct lf_error *err);

#endif
