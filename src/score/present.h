/*
 * present.h - what scoring shows to people, in the one shape the CLI and
 * the HTTP API both give: a lead's score explained, as JSON, and the
 * differences between two models, as a table.
 */
#ifndef LF_SCORE_PRESENT_H
#define LF_SCORE_PRESENT_H

#include "core/table.h"
#include "score/scoring.h"

#include <jansson.h>

/* lead_id, external_id, model_version, at, fit, engagement, total, rules... */
json_t *lf_explain_json(const struct lf_lead *l, int version, lf_time_ms at,
			const struct lf_explain *x);

/*
 * Fills t (initialised here; the caller releases it) with change, section,
 * rule, before, after: one row per difference from x to y.
 */
enum lf_result lf_model_diff(const struct lf_model_def *x, const struct lf_model_def *y,
			     struct lf_table *t);

/* The approvals of a model version as a JSON array (token, role, at), in *out. */
enum lf_result lf_model_approvals_json(struct lf_store *s, int version, json_t **out,
				       struct lf_error *err);

#endif
