/*
 * live.h - scoring as data arrives: each new event updates its lead's
 * engagement accumulators, and each new or changed lead its fit, in the
 * same transaction as the write itself.
 *
 * States are kept with each lead in the store (lf_store_lead_set_score),
 * valid for the lead's model version; a missing or older state is rebuilt once from the lead's stored
 * events. During a batch (an import) states stay in memory, at most
 * LF_LIVE_CACHE_MAX leads, and lf_live_flush writes them with the leads'
 * scores as of the batch's time. Without an active model every call is a
 * no-op.
 */
#ifndef LF_SCORE_LIVE_H
#define LF_SCORE_LIVE_H

#include "score/engine.h"

#include <leadflow/store.h>

#define LF_LIVE_CACHE_MAX 10000

struct lf_live;

/* Loads the active model, if any; now is the time scores are written for. */
enum lf_result lf_live_open(struct lf_store *s, lf_time_ms now, struct lf_live **out,
			    struct lf_error *err);
void lf_live_free(struct lf_live *l);

/*
 * A new event was stored for its lead (e->lead_id). props are its parsed
 * properties when the caller has them, or NULL to parse e->properties.
 */
enum lf_result lf_live_event(struct lf_live *l, const struct lf_event *e,
			     const struct lf_attrs *props, struct lf_error *err);
/*
 * A lead was stored new or changed: its fit is recomputed, and a
 * disqualification rule that holds moves it, at an open stage, to
 * disqualified (with a transition by 'model').
 */
enum lf_result lf_live_lead(struct lf_live *l, const struct lf_lead *lead,
			    struct lf_error *err);
/*
 * Starts a new batch at now: forgets the cached states (flush first) and
 * loads the active model again only when another version became active.
 */
enum lf_result lf_live_refresh(struct lf_live *l, lf_time_ms now, struct lf_error *err);
/* The active model it scores with, NULL with none; *version gets its version (0). */
const struct lf_model_def *lf_live_model(const struct lf_live *l, int *version);
/* Writes what changed: states and scores. */
enum lf_result lf_live_flush(struct lf_live *l, struct lf_error *err);

#endif
