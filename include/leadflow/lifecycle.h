/*
 * lifecycle.h - the stage table of SPEC 4 as a lead's owners use it: the
 * actions a role may take from a stage, and the one function that takes
 * one. Anything not in the table is refused with the lead's current stage
 * and the actions it allows. Every move appends a transition (the store
 * refuses to change or delete one) and sets the lead's stage, in one
 * transaction. The strings of a struct lf_action are borrowed for the call.
 */
#ifndef LEADFLOW_LIFECYCLE_H
#define LEADFLOW_LIFECYCLE_H

#include <leadflow/roles.h>
#include <leadflow/sla_terms.h>
#include <leadflow/store.h>

/* The actions role may take from stage, comma-separated ("" when none). */
void lf_lifecycle_allowed(enum lf_stage from, enum lf_role role, char *buf, size_t cap);

struct lf_action {
	const char *action;
	const char *actor;       /* who, as recorded on the transition */
	enum lf_role role;
	const char *reason;      /* NULL when none */
	int rating;              /* 1-5, 0 when none */
	const char *note;
	double amount;           /* open-opportunity */
	bool has_amount;
	lf_time_ms close_date;   /* open-opportunity */
	bool has_close_date;
	lf_time_ms at;           /* 0: now */
	int64_t rep_id;          /* assign: the rep it goes to (required) */
	const struct lf_sla_terms *sla;  /* assign: the clock's terms (NULL: defaults) */
};

/*
 * Applies a to the lead of id lead_id in its own transaction. Errors:
 * LF_ERR_NOT_FOUND (no such lead), LF_ERR_CONFLICT (the table refuses the
 * move; the message names the current stage and the allowed actions),
 * LF_ERR_INPUT (a missing or unknown reason, a bad rating, a missing
 * amount, an assignment without an existing rep: field rep_id). *to
 * receives the new stage.
 */
enum lf_result lf_lifecycle_apply(struct lf_store *s, int64_t lead_id,
				  const struct lf_action *a, enum lf_stage *to,
				  struct lf_error *err);

#endif
