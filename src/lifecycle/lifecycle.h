/*
 * lifecycle.h - the stage table of SPEC 4 as data, and the one function
 * that moves a lead along it.
 *
 * Each row says which action takes a lead from which stages to which,
 * who may take it, and what it needs: a reason code from one of the active
 * model's lists, or an amount and an expected close date. Anything not in
 * the table is refused with the lead's current stage and the actions it
 * allows. Every move appends a transition (the store refuses to change or
 * delete one) and sets the lead's stage, in one transaction.
 */
#ifndef LF_LIFECYCLE_LIFECYCLE_H
#define LF_LIFECYCLE_LIFECYCLE_H

#include "core/roles.h"
#include "move/move.h"
#include "score/model.h"

#include <leadflow/store.h>


struct lf_stage_rule {
	const char *action;
	unsigned from;           /* LF_STAGE_BIT of every stage it leaves */
	enum lf_stage to;
	unsigned roles;          /* LF_ROLE_BIT of every role that may take it */
	int reason;              /* an enum lf_reason_kind it needs, or -1 */
	bool opportunity;        /* needs an amount and an expected close date */
};

extern const struct lf_stage_rule lf_stage_rules[];
extern const size_t lf_stage_rule_count;

/* The row for action, or NULL when there is no such action. */
const struct lf_stage_rule *lf_stage_rule_find(const char *action);

/*
 * The stages a lead's path implies it reached (bits): won and lost come only
 * after an opportunity, an opportunity after sql, a rejection after an
 * assignment. A lead an import moved straight to 'lost' reached sql, for the
 * funnel, the signal reports and training alike.
 */
unsigned lf_stages_reached(unsigned stages);

/* Stage sets the reports, training and back-tests share (bits of a lead's path). */
#define LF_REACHED_SQL (LF_STAGE_BIT(LF_STAGE_SQL) | LF_STAGE_BIT(LF_STAGE_OPPORTUNITY) | \
			LF_STAGE_BIT(LF_STAGE_WON))
#define LF_DECIDED (LF_STAGE_BIT(LF_STAGE_WON) | LF_STAGE_BIT(LF_STAGE_LOST) | \
		    LF_STAGE_BIT(LF_STAGE_RECYCLED) | LF_STAGE_BIT(LF_STAGE_DISQUALIFIED))

/*
 * The decision on a lead, transition by transition: its first move out of
 * marketing's stages (to mql or later, or disqualified). *at (0: none yet)
 * becomes t's time when t is such a move and earlier.
 */
void lf_decision_note(lf_time_ms *at, const struct lf_transition *t);

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
 * receives the new stage. The move itself goes through lf_move_lead.
 */
enum lf_result lf_lifecycle_apply(struct lf_store *s, int64_t lead_id,
				  const struct lf_action *a, enum lf_stage *to,
				  struct lf_error *err);

#endif
