/*
 * wakeups.h - the wake-ups other servers on the same database send
 * (lf_store_listen: PostgreSQL's notifications), received on a connection
 * and a thread of their own and handed to the writer (the gate and the
 * clocks look now) and the webhook sender (a delivery may be queued). A
 * backend without them (SQLite) starts nothing: its servers poll.
 */
#ifndef LF_SERVER_WAKEUPS_H
#define LF_SERVER_WAKEUPS_H

#include <leadflow/error.h>

struct lf_wakeups;

/* *out is NULL when the backend of target has no wake-ups. */
enum lf_result lf_wakeups_start(const char *target, void (*gate)(void *), void *gate_ctx,
				void (*send)(void *), void *send_ctx, struct lf_wakeups **out,
				struct lf_error *err);
void lf_wakeups_stop(struct lf_wakeups *w);

#endif
