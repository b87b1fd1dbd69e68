/*
 * entity_json.h - entities as JSON objects (jansson), the one shape the CLI's
 * --format json and, later, the HTTP API both print. The caller owns the
 * returned json_t and drops it with json_decref.
 */
#ifndef LF_CORE_ENTITY_JSON_H
#define LF_CORE_ENTITY_JSON_H

#include "core/value_json.h"

#include <jansson.h>
#include <leadflow/types.h>

json_t *lf_lead_json(const struct lf_lead *l);
json_t *lf_transition_json(const struct lf_transition *t);
/* version, name, status, created_at and, when with_text, the file's text */
json_t *lf_model_json(const struct lf_model *m, bool with_text);
/* Reps, tokens (never the secret) and webhook subscriptions (never the secret). */
json_t *lf_rep_json(const struct lf_rep *r);
json_t *lf_token_json(const struct lf_token *t);
json_t *lf_webhook_json(const struct lf_webhook *w);
/* Store list callbacks: each appends the entity's JSON to the array ctx. */
enum lf_result lf_rep_json_append(void *array, const struct lf_rep *r);
enum lf_result lf_token_json_append(void *array, const struct lf_token *t);
enum lf_result lf_webhook_json_append(void *array, const struct lf_webhook *w);
json_t *lf_time_json(lf_time_ms t);


#endif
