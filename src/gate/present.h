/*
 * present.h - the gate's answers as JSON documents, one shape for the CLI's
 * --format json|csv and the API (GET /v1/gate, POST /v1/gate/run), so the
 * two never drift. The caller owns what is returned (json_decref).
 */
#ifndef LF_GATE_PRESENT_H
#define LF_GATE_PRESENT_H

#include "gate/gate.h"
#include "gate/sla.h"

#include <jansson.h>

/*
 * Threshold, floor (null before the first run), free slots, the pool,
 * waiting at the last change, releases today, teams, and the threshold's
 * last history_max changes (newest first).
 */
enum lf_result lf_gate_status_json(struct lf_store *s, const struct lf_capacity_settings *set,
				   int history_max, json_t **out, struct lf_error *err);
json_t *lf_gate_result_json(const struct lf_gate_result *g);
json_t *lf_sla_result_json(const struct lf_sla_result *r);
/* The routing file in force: version and text (both null when none was set). */
enum lf_result lf_routing_json(struct lf_store *s, json_t **out, struct lf_error *err);

#endif
