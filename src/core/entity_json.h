/*
 * entity_json.h - entities as JSON objects (jansson), the one shape the CLI's
 * --format json and, later, the HTTP API both print. The caller owns the
 * returned json_t and drops it with json_decref.
 */
#ifndef LF_CORE_ENTITY_JSON_H
#define LF_CORE_ENTITY_JSON_H

#include <jansson.h>
#include <leadflow/types.h>

json_t *lf_lead_json(const struct lf_lead *l);
json_t *lf_transition_json(const struct lf_transition *t);
/* version, name, status, created_at and, when with_text, the file's text */
json_t *lf_model_json(const struct lf_model *m, bool with_text);
json_t *lf_value_json(const struct lf_value *v);
/* Reps, tokens (never the secret) and webhook subscriptions (never the secret). */
json_t *lf_rep_json(const struct lf_rep *r);
json_t *lf_token_json(const struct lf_token *t);
json_t *lf_webhook_json(const struct lf_webhook *w);
json_t *lf_time_json(lf_time_ms t);

/*
 * A JSON scalar as a value; out->str is borrowed from j (valid while j
 * lives). LF_ERR_INPUT for an object or an array.
 */
enum lf_result lf_value_from_json(json_t *j, struct lf_value *out);

#endif
