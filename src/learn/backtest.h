/*
 * backtest.h - history replayed under two models side by side (SPEC 8):
 * for each lead created in the period, the time it would have become an
 * MQL (its fit and the engagement of its events, as the engine scores
 * them, at or above the floor; or its first hand-raiser event), the MQLs
 * per week beside sales' capacity, the conversion of those MQLs among the
 * decided ones, the wins each model would have missed (won leads it never
 * qualified), and the AUC of its total at each decided lead's decision
 * time (the first move out of marketing's stages) against winning.
 */
#ifndef LF_LEARN_BACKTEST_H
#define LF_LEARN_BACKTEST_H

#include "core/table.h"

#include <leadflow/store.h>

struct lf_backtest_options {
	int version, against;        /* against 0: the active model */
	lf_time_ms from, to;         /* leads created in [from, to); 0: all */
};

struct lf_backtest {
	struct lf_table summary;     /* one row per model */
	struct lf_table weeks;       /* week, MQLs under each, capacity */
};

enum lf_result lf_backtest(struct lf_store *s, const struct lf_backtest_options *o,
			   struct lf_backtest *out, struct lf_error *err);
void lf_backtest_release(struct lf_backtest *b);

#endif
