/*
 * json.h - JSON values (jansson's) written as text the way leadflow
 * prints them everywhere, CLI and API alike: a real number as the shortest
 * text that reads back to the same double (0.236, not 0.23599999999999999),
 * everything else as jansson writes it. Object members keep their order.
 */
#ifndef LEADFLOW_JSON_H
#define LEADFLOW_JSON_H

#include <leadflow/types.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* The shortest "%.*g" text of d that strtod reads back to d (at most 17 digits). */
void lf_double_text(double d, char buf[32]);

/* j as text, indent spaces a level (0: compact). The caller frees it; NULL on no memory. */
char *lf_json_text(const json_t *j, int indent);
/* Writes j to out; 0, or -1 when out fails. */
int lf_json_write(const json_t *j, int indent, FILE *out);

/*
 * Entities as JSON objects, the one shape the CLI's --format json and the
 * HTTP API both print. The caller owns the returned json_t and drops it
 * with json_decref; NULL on no memory.
 */
json_t *lf_lead_json(const struct lf_lead *l);
json_t *lf_transition_json(const struct lf_transition *t);
/* version, name, status, created_at and, when with_text, the file's text */
json_t *lf_model_json(const struct lf_model *m, bool with_text);
/* Reps, tokens (never the secret) and webhook subscriptions (never the secret). */
json_t *lf_rep_json(const struct lf_rep *r);
json_t *lf_token_json(const struct lf_token *t);
json_t *lf_webhook_json(const struct lf_webhook *w);
/* An answer: id, lead_id, question, value (as stored: a string or a number), actor, at, model_version. */
json_t *lf_answer_json(const struct lf_answer *a);
/*
 * Store list callbacks (lf_rep_list and the like): each appends the
 * entity's JSON to the json_t array ctx; LF_ERR_NOMEM when it cannot.
 */
enum lf_result lf_rep_json_append(void *array, const struct lf_rep *r);
enum lf_result lf_token_json_append(void *array, const struct lf_token *t);
enum lf_result lf_webhook_json_append(void *array, const struct lf_webhook *w);
/* A time as the text lf_time_format writes. */
json_t *lf_time_json(lf_time_ms t);

#endif
