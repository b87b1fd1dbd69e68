/*
 * governance.h - who decides which model scores (SPEC 8): a version goes
 * draft -> proposed -> active. A proposed version is approved by tokens;
 * activation needs one approval by a marketing token and one by a
 * sales_manager token (two tokens, then, and no one role alone; admin's
 * approval does not count). The first activation of a database, when no
 * model was ever active, needs none: there is nothing yet to govern.
 * Proposals, approvals and activations are written to the audit trail.
 */
#ifndef LF_SCORE_GOVERNANCE_H
#define LF_SCORE_GOVERNANCE_H

#include <leadflow/store.h>

/* draft (or retired) -> proposed; LF_ERR_CONFLICT from any other status. */
enum lf_result lf_model_propose(struct lf_store *s, int version, const char *actor,
				struct lf_error *err);

/*
 * Records token's approval of a proposed version: LF_ERR_DENIED for a role
 * other than marketing or sales_manager, LF_ERR_CONFLICT when not proposed
 * or when the token approved it already.
 */
enum lf_result lf_model_approve(struct lf_store *s, int version, int64_t token_id,
				const char *token_name, const char *role, struct lf_error *err);

/* LF_OK when version may be activated now, else LF_ERR_CONFLICT saying what is missing. */
enum lf_result lf_model_may_activate(struct lf_store *s, int version, struct lf_error *err);

struct lf_rescore_stats;
/*
 * Activates version as of at when governance allows it (lf_model_may_activate),
 * rescoring every lead, with an audit entry by actor, in one transaction.
 */
enum lf_result lf_model_put_in_force(struct lf_store *s, int version, const char *actor,
				     lf_time_ms at, struct lf_rescore_stats *stats,
				     struct lf_error *err);

#endif
