/*
 * scoring.h - the parts of scoring (leadflow/score.h) that only the domain
 * uses: the automatic moves a score causes, and one lead rescored after a
 * change of what counts.
 */
#ifndef LF_SCORE_SCORING_H
#define LF_SCORE_SCORING_H

#include "score/engine.h"

#include <leadflow/score.h>

/*
 * Moves lead to disqualified with reason (a rule of model version held),
 * writing it whole with scores as given in score (may be NULL) and a
 * transition by 'model'. Nothing happens at a stage that is not open.
 */
enum lf_result lf_disqualify_by_rule(struct lf_store *s, const struct lf_lead *lead,
				     const char *reason, const char *why, int version,
				     lf_time_ms at,
				     const struct lf_lead_score *score,
				     struct lf_error *err);

/*
 * A recycled lead that engages again after its rejection goes back to
 * marketing's lead stage (transition by 'system'). Writes the lead whole.
 */
enum lf_result lf_recycle_on_engagement(struct lf_store *s, struct lf_lead *lead,
					lf_time_ms at, struct lf_error *err);

/*
 * Rescores one lead with the active model now (no-op without one), and
 * forgets its saved engine state: after a change that alters which events
 * count (a rejection), the state is rebuilt on the next event.
 */
enum lf_result lf_rescore_lead(struct lf_store *s, int64_t lead_id, lf_time_ms at,
			       struct lf_error *err);

#endif
