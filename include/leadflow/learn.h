/*
 * learn.h - what history teaches: a scorecard learnt from closed leads (SPEC 8): lead fields and
 * attributes become features (text and yes/no values one-hot, rare values
 * pooled, a missing value its own level; numbers in quantile bins, missing
 * its own bin), the events before the decision on a lead become engagement
 * features (per event type, the decayed count at the decision, in capped
 * pieces), pairs of levels that the main effects miss are found by a score
 * test on each fold's training leads, an L2-regularised logistic
 * regression is fitted by Newton's method, and the result is written as a
 * model file the scoring engine loads as it is: one fit rule per level or
 * pair of levels, one engagement rule per piece, points scaled so that
 * `pdo` points double the odds. K-fold stratified cross-validation gives
 * the AUC and its spread, and a calibration table of the held-out
 * predictions.
 */
#ifndef LEADFLOW_LEARN_H
#define LEADFLOW_LEARN_H

#include <leadflow/buf.h>
#include <leadflow/table.h>

#include <leadflow/store.h>

struct lf_train_options {
	bool outcome_won;           /* else: reached sql */
	int folds;                  /* 5 */
	uint64_t seed;
	double l2;                  /* the penalty on each weight (1.0) */
	double pdo;                 /* points that double the odds (20) */
	int pairs;                  /* pairs of levels added at most (8), 0: none */
	double half_life_days;      /* of the engagement features and the model (30) */
	lf_time_ms to;              /* leads created before it only (0: all), to back-test
				     * on the leads after */
	const char *exclude;        /* comma-separated fields left out, or NULL */
	bool with_sales;            /* sales' own closed leads learnt from too */
	const char *name;           /* the model's name ("trained") */
};
void lf_train_defaults(struct lf_train_options *o);

struct lf_train_result {
	int64_t leads, positives;
	size_t features, levels;    /* fields used; one-hot levels fitted */
	size_t events;              /* event types used as engagement features */
	size_t pairs;               /* pairs of levels in the final model */
	size_t patterns;            /* distinct patterns of levels the fits run over */
	double auc_mean, auc_sd;    /* over the folds, held-out */
	double auc_folds[32];
	int folds;
	double seconds;             /* features, fitting and validation */
	double read_seconds;        /* reading leads, transitions and events from the store */
	double truth_auc;           /* the demo world's hidden odds on the same leads (the
				     * ceiling), NAN when there is no truth */
	struct lf_buf model;        /* the model file's text */
	struct lf_buf calibration;  /* decile, leads, predicted, observed (CSV) */
	struct lf_buf predictions;  /* lead id, logit of the final model, decided at (CSV) */
};

/*
 * Trains on s as o says. out is filled here (zeroed first) and is the
 * caller's to release with lf_train_result_release, after an error too.
 */
enum lf_result lf_train(struct lf_store *s, const struct lf_train_options *o,
			struct lf_train_result *out, struct lf_error *err);
void lf_train_result_release(struct lf_train_result *r);

/*
 * The back-test: history replayed under two models side by side (SPEC 8):
 * for each lead created in the period, the time it would have become an
 * MQL (its fit and the engagement of its events, as the engine scores
 * them, at or above the floor; or its first hand-raiser event), the MQLs
 * per week beside sales' capacity, the conversion of those MQLs among the
 * decided ones, the wins each model would have missed (won leads it never
 * qualified), and the AUC of its total at each decided lead's decision
 * time (the first move out of marketing's stages) against winning.
 */
struct lf_backtest_options {
	int version, against;        /* against 0: the active model */
	lf_time_ms from, to;         /* leads created in [from, to); 0: all */
};

struct lf_backtest {
	struct lf_table summary;     /* one row per model */
	struct lf_table weeks;       /* week, MQLs under each, capacity */
};

/* Fills out (the caller releases it on success; on an error nothing is left to release). */
enum lf_result lf_backtest(struct lf_store *s, const struct lf_backtest_options *o,
			   struct lf_backtest *out, struct lf_error *err);
void lf_backtest_release(struct lf_backtest *b);

#endif
