/*
 * value.c - typed values and sorted attribute lists. Lookups are binary
 * searches; inserts shift the tail, which is cheap for the tens of
 * attributes a lead carries. JSON goes through jansson.
 */
#include <leadflow/value.h>
#include "core/grow.h"

#include "core/value_json.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *lf_value_type_name(enum lf_value_type t)
{
	switch (t) {
	case LF_VAL_STRING: return "string";
	case LF_VAL_NUMBER: return "number";
	case LF_VAL_BOOL: return "boolean";
	default: return "null";
	}
}

void lf_value_release(struct lf_value *v)
{
	if (!v)
		return;
	free(v->str);
	memset(v, 0, sizeof(*v));
}

enum lf_result lf_value_copy(struct lf_value *dst, const struct lf_value *src)
{
	*dst = *src;
	if (src->type == LF_VAL_STRING) {
		dst->str = strdup(src->str ? src->str : "");
		if (!dst->str)
			return LF_ERR_NOMEM;
	} else {
		dst->str = NULL;
	}
	return LF_OK;
}

bool lf_value_equal(const struct lf_value *a, const struct lf_value *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case LF_VAL_STRING: return strcmp(a->str, b->str) == 0;
	case LF_VAL_NUMBER: return a->num == b->num;
	case LF_VAL_BOOL: return a->b == b->b;
	default: return true;
	}
}

void lf_attrs_init(struct lf_attrs *a)
{
	a->items = NULL;
	a->n = a->cap = 0;
}

void lf_attrs_release(struct lf_attrs *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->items[i].name);
		lf_value_release(&a->items[i].v);
	}
	free(a->items);
	lf_attrs_init(a);
}

/* Index of name, or of where it would go (with *found = false). */
static size_t attrs_find(const struct lf_attrs *a, const char *name, bool *found)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->items[mid].name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

enum lf_result lf_attrs_set(struct lf_attrs *a, const char *name,
			    const struct lf_value *v)
{
	bool found;
	size_t i = attrs_find(a, name, &found);
	struct lf_value copy;

	if (lf_value_copy(&copy, v))
		return LF_ERR_NOMEM;
	if (found) {
		lf_value_release(&a->items[i].v);
		a->items[i].v = copy;
		return LF_OK;
	}
	if (a->n >= LF_ATTRS_MAX) {
		lf_value_release(&copy);
		return LF_ERR_LIMIT;
	}
	if (LF_GROW(a->items, a->n, a->cap, 8)) {
		lf_value_release(&copy);
		return LF_ERR_NOMEM;
	}
	memmove(a->items + i + 1, a->items + i, (a->n - i) * sizeof(*a->items));
	a->items[i].name = strdup(name);
	if (!a->items[i].name) {
		memmove(a->items + i, a->items + i + 1, (a->n - i) * sizeof(*a->items));
		lf_value_release(&copy);
		return LF_ERR_NOMEM;
	}
	a->items[i].v = copy;
	a->n++;
	return LF_OK;
}

void lf_attrs_remove(struct lf_attrs *a, const char *name)
{
	bool found;
	size_t i = attrs_find(a, name, &found);
	if (!found)
		return;
	free(a->items[i].name);
	lf_value_release(&a->items[i].v);
	memmove(a->items + i, a->items + i + 1, (a->n - i - 1) * sizeof(*a->items));
	a->n--;
}

const struct lf_value *lf_attrs_get(const struct lf_attrs *a, const char *name)
{
	bool found;
	size_t i = attrs_find(a, name, &found);
	return found ? &a->items[i].v : NULL;
}

bool lf_attrs_equal(const struct lf_attrs *a, const struct lf_attrs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i].name, b->items[i].name) ||
		    !lf_value_equal(&a->items[i].v, &b->items[i].v))
			return false;
	return true;
}

enum lf_result lf_attrs_copy(struct lf_attrs *dst, const struct lf_attrs *src)
{
	lf_attrs_init(dst);
	for (size_t i = 0; i < src->n; i++) {
		enum lf_result r = lf_attrs_set(dst, src->items[i].name, &src->items[i].v);
		if (r) {
			lf_attrs_release(dst);
			return r;
		}
	}
	return LF_OK;
}

char *lf_attrs_to_json(const struct lf_attrs *a)
{
	json_t *o = json_object();
	char *s;

	if (!o)
		return NULL;
	for (size_t i = 0; i < a->n; i++) {
		const struct lf_value *v = &a->items[i].v;
		json_t *j;
		switch (v->type) {
		case LF_VAL_STRING: j = json_string(v->str); break;
		case LF_VAL_NUMBER:
			j = (isfinite(v->num) && v->num == (double)(json_int_t)v->num &&
			     fabs(v->num) < 9e15)
				    ? json_integer((json_int_t)v->num)
				    : json_real(v->num);
			break;
		case LF_VAL_BOOL: j = json_boolean(v->b); break;
		default: j = json_null(); break;
		}
		json_object_set_new(o, a->items[i].name, j);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

enum lf_result lf_attrs_from_json(struct lf_attrs *a, const char *text,
				  struct lf_error *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr), *v;
	const char *key;
	enum lf_result r = LF_OK;

	lf_attrs_init(a);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return lf_error_set(err, LF_ERR_INPUT, "attributes are not a json object");
	}
	json_object_foreach(o, key, v) {
		struct lf_value val;
		if (lf_value_from_json(v, &val)) {
			r = lf_error_field(err, LF_ERR_INPUT, key,
					   "attribute '%s': expected a string, number or "
					   "boolean", key);
			break;
		}
		r = lf_attrs_set(a, key, &val);
		if (r)
			break;
	}
	json_decref(o);
	if (r)
		lf_attrs_release(a);
	return r;
}

json_t *lf_value_json(const struct lf_value *v)
{
	switch (v->type) {
	case LF_VAL_STRING: return json_string(v->str);
	case LF_VAL_NUMBER:
		if (v->num == floor(v->num) && fabs(v->num) < 9e15)
			return json_integer((json_int_t)v->num);
		return json_real(v->num);
	case LF_VAL_BOOL: return json_boolean(v->b);
	default: return json_null();
	}
}

enum lf_result lf_value_from_json(json_t *j, struct lf_value *out)
{
	memset(out, 0, sizeof(*out));
	switch (json_typeof(j)) {
	case JSON_STRING:
		out->type = LF_VAL_STRING;
		out->str = (char *)json_string_value(j);
		return LF_OK;
	case JSON_INTEGER:
	case JSON_REAL:
		out->type = LF_VAL_NUMBER;
		out->num = json_number_value(j);
		return LF_OK;
	case JSON_TRUE:
	case JSON_FALSE:
		out->type = LF_VAL_BOOL;
		out->b = json_is_true(j);
		return LF_OK;
	case JSON_NULL:
		return LF_OK;
	default:
		return LF_ERR_INPUT;
	}
}
