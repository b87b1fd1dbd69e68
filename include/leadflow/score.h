/*
 * score.h - scoring leads in the store with a model: one lead (for
 * `lead explain`), or every lead (model activation, `leadflow score`).
 *
 * A lead's score as of time `at` counts the events that occurred up to
 * `at`: fit from its attributes, engagement decayed to `at`, total = fit +
 * engagement, the first hand-raiser event, and the first disqualification
 * rule that holds. Rescoring writes those to each lead with the model's
 * version; a lead that a rule disqualifies and that is at an open stage
 * moves to `disqualified` with a transition by `model`.
 *
 * A struct lf_model_def filled here is the caller's (lf_model_def_release).
 */
#ifndef LEADFLOW_SCORE_H
#define LEADFLOW_SCORE_H

#include <leadflow/model.h>
#include <leadflow/store.h>

#include <jansson.h>

/* The parsed active model and its version; LF_ERR_NOT_FOUND when none. */
enum lf_result lf_model_active(struct lf_store *s, struct lf_model_def *def,
			       int *version, struct lf_error *err);

/* Version `version` of the model, parsed. */
enum lf_result lf_model_version(struct lf_store *s, int version, struct lf_model_def *def,
				struct lf_error *err);

/* The active model's version, 0 when none; cheaper than lf_model_active. */
enum lf_result lf_model_active_version(struct lf_store *s, int *version, struct lf_error *err);

/*
 * Keeps def the active model for a long-lived holder (a live scorer, the
 * server's gate): *version is the version def holds (0: none, def empty).
 * Versions never change once added, so def is parsed again only when
 * another version became active; *version is 0 after when none is.
 */
enum lf_result lf_model_keep_active(struct lf_store *s, struct lf_model_def *def,
				    int *version, struct lf_error *err);

struct lf_explain_item {
	const char *rule;        /* borrowed from the model */
	bool engagement;
	double points;           /* now (engagement: decayed and capped) */
	int64_t events;          /* engagement: events counted */
	const char *why;         /* the rule's why, NULL when the model does not say */
};

struct lf_explain {
	double fit, engagement, total;
	lf_time_ms hand_raiser_at;
	const char *hand_raiser_rule;
	const char *disqualified;   /* the reason of the rule that holds, or NULL */
	const char *disqualified_why;   /* that rule's why, or NULL */
	uint64_t rules;             /* the rules that fired as a mask (leadflow/store.h) */
	struct lf_explain_item *items;
	size_t nitems;
};
/* Frees x->items (not the names, which are the model's); NULL and zeroed are fine. */
void lf_explain_release(struct lf_explain *x);

/* Scores one lead as of at; x borrows names from def. */
enum lf_result lf_score_lead(struct lf_store *s, const struct lf_model_def *def,
			     const struct lf_lead *lead, lf_time_ms at,
			     struct lf_explain *x, struct lf_error *err);

struct lf_rescore_stats {
	int64_t leads, disqualified, hand_raisers, events;
};

/* Rescores every lead with def (stored as version) as of at, in one transaction. */
enum lf_result lf_rescore_all(struct lf_store *s, const struct lf_model_def *def,
			      int version, lf_time_ms at, struct lf_rescore_stats *stats,
			      struct lf_error *err);

/*
 * Makes version the active model (the one active before is retired) and
 * rescores every lead with it as of at, all in one transaction.
 */
enum lf_result lf_model_activate(struct lf_store *s, int version, lf_time_ms at,
				 struct lf_rescore_stats *stats, struct lf_error *err);

/*
 * A lead's score explained as JSON (lead_id, external_id, model_version,
 * at, fit, engagement, total, rules...), which the caller owns.
 */
json_t *lf_explain_json(const struct lf_lead *l, int version, lf_time_ms at,
			const struct lf_explain *x);

#endif
