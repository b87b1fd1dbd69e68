/*
 * value_json.h - a typed value to and from a JSON scalar (jansson). In
 * value.c, below the entities' JSON (leadflow/json.h), which uses it.
 */
#ifndef LF_CORE_VALUE_JSON_H
#define LF_CORE_VALUE_JSON_H

#include <jansson.h>
#include <leadflow/value.h>

/* A new JSON scalar for v (whole numbers as integers); the caller owns it. */
json_t *lf_value_json(const struct lf_value *v);
/*
 * A JSON scalar as a value; out->str is borrowed from j (valid while j
 * lives). LF_ERR_INPUT for an object or an array.
 */
enum lf_result lf_value_from_json(json_t *j, struct lf_value *out);

#endif
