/*
 * value.h - typed values (string, number, boolean, or null) and the sorted
 * attribute list that carries a lead's free attributes.
 *
 * A struct lf_attrs owns its names and string values. Items stay sorted by
 * name, so that two lists with the same content compare and serialise alike.
 */
#ifndef LEADFLOW_VALUE_H
#define LEADFLOW_VALUE_H

#include <leadflow/error.h>
#include <stdbool.h>
#include <stddef.h>

enum lf_value_type { LF_VAL_NULL = 0, LF_VAL_STRING, LF_VAL_NUMBER, LF_VAL_BOOL };

struct lf_value {
	enum lf_value_type type;
	double num;  /* LF_VAL_NUMBER */
	bool b;      /* LF_VAL_BOOL */
	char *str;   /* LF_VAL_STRING, owned by whoever owns the value */
};

struct lf_attr {
	char *name;
	struct lf_value v;
};

struct lf_attrs {
	struct lf_attr *items; /* sorted by name, names unique */
	size_t n, cap;
};

#define LF_ATTRS_MAX 1024 /* free attributes per lead */

const char *lf_value_type_name(enum lf_value_type t);
void lf_value_release(struct lf_value *v);
/* Deep copy; dst is overwritten (not released). */
enum lf_result lf_value_copy(struct lf_value *dst, const struct lf_value *src);
bool lf_value_equal(const struct lf_value *a, const struct lf_value *b);

void lf_attrs_init(struct lf_attrs *a);
void lf_attrs_release(struct lf_attrs *a);
/* Sets name to a copy of v, replacing an earlier value of that name. */
enum lf_result lf_attrs_set(struct lf_attrs *a, const char *name,
			    const struct lf_value *v);
/* Removes name when present. */
void lf_attrs_remove(struct lf_attrs *a, const char *name);
/* Borrowed pointer valid until the list changes, or NULL when absent. */
const struct lf_value *lf_attrs_get(const struct lf_attrs *a, const char *name);
bool lf_attrs_equal(const struct lf_attrs *a, const struct lf_attrs *b);
enum lf_result lf_attrs_copy(struct lf_attrs *dst, const struct lf_attrs *src);

/* Canonical JSON object text (sorted keys, compact); caller frees. */
char *lf_attrs_to_json(const struct lf_attrs *a);
/* Parses a JSON object of scalars; a nested object or array is bad input. */
enum lf_result lf_attrs_from_json(struct lf_attrs *a, const char *json,
				  struct lf_error *err);

#endif
