/*
 * lifecycle.h - the stage table of SPEC 4 as data (its public side, the
 * actions and lf_lifecycle_apply, is leadflow/lifecycle.h), and the stage
 * sets the reports, training and back-tests share.
 *
 * Each row says which action takes a lead from which stages to which,
 * who may take it, and what it needs: a reason code from one of the active
 * model's lists, or an amount and an expected close date.
 */
#ifndef LF_LIFECYCLE_LIFECYCLE_H
#define LF_LIFECYCLE_LIFECYCLE_H

#include "move/move.h"

#include <leadflow/lifecycle.h>
#include <leadflow/model.h>

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

/*
 * The demand waterfall (lead, mql, assigned, sal, sql, opportunity, won), and
 * the furthest step of it a path (stage bits) reached, by lf_stages_reached:
 * the funnel and channels reports count a lead at every step up to that.
 */
#define LF_WATERFALL_STEPS 7
extern const enum lf_stage lf_waterfall[LF_WATERFALL_STEPS];
int lf_waterfall_furthest(unsigned stages);

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

#endif
