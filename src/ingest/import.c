/*
 * import.c - reads a CSV or NDJSON file row by row, turns each row into a
 * lead, event or touch through the mapping, and writes it to the store, all
 * in one transaction so that a file is taken whole or, without a rejects
 * file, not at all.
 *
 * Every row is checked completely before anything of it is written, so a
 * rejected row leaves no trace. Lead lookups by email or external id go
 * through an in-memory cache: a million events for a hundred thousand leads
 * cost a hundred thousand indexed reads, not a million.
 */
#include <leadflow/import.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "ingest/csv.h"
#include "ingest/mapping.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One cell of a row: CSV text, or an NDJSON value. */
struct cell {
	const char *name;
	const char *text;
	enum lf_raw_kind kind;
	json_t *json;          /* NDJSON objects and arrays, else NULL */
	char num[40];          /* NDJSON numbers and booleans as text */
};

struct row {
	struct cell *cells;
	size_t n;
	long line;
	const struct lf_column_spec **specs; /* CSV: resolved once at the header */
};

struct importer {
	struct lf_store *s;
	const struct lf_import_options *o;
	struct lf_mapping map;
	struct lf_import_summary *sum;
	struct lf_strmap leads;  /* "x:<external id>" or "e:<email>" -> lead id */
	struct lf_strmap reps;   /* rep name -> rep id */
	FILE *rejects;
	bool ndjson;
	char delim;
	const char *header_raw;  /* CSV: the header line, for the rejects file */
	size_t header_len;
	lf_time_ms now;
};

/* --- looking things up ----------------------------------------------- */

static enum lf_result cached_lead(struct importer *im, enum lf_lead_key key,
				  const char *value, int64_t *id, struct lf_error *err)
{
	char k[600];
	struct lf_lead l;
	enum lf_result r;

	snprintf(k, sizeof(k), "%c:%.590s", key == LF_KEY_EMAIL ? 'e' : 'x', value);
	if (lf_strmap_get(&im->leads, k, id))
		return *id ? LF_OK : LF_ERR_NOT_FOUND;
	r = lf_store_lead_find(im->s, key, value, &l, err);
	if (r && r != LF_ERR_NOT_FOUND)
		return r;
	*id = r ? 0 : l.id;
	if (!r)
		lf_lead_release(&l);
	if (lf_strmap_put(&im->leads, k, *id))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	return *id ? LF_OK : LF_ERR_NOT_FOUND;
}

static void remember_lead(struct importer *im, const struct lf_lead *l)
{
	char k[600];
	if (l->external_id) {
		snprintf(k, sizeof(k), "x:%.590s", l->external_id);
		lf_strmap_put(&im->leads, k, l->id);
	}
	if (l->email) {
		snprintf(k, sizeof(k), "e:%.590s", l->email);
		lf_strmap_put(&im->leads, k, l->id);
	}
}

static const struct lf_column_spec *spec_of(struct importer *im, const struct row *row,
					    size_t i, struct lf_column_spec *tmp,
					    char *name, size_t cap, struct lf_error *err)
{
	if (row->specs)
		return row->specs[i];
	return lf_mapping_column(&im->map, row->cells[i].name, tmp, name, cap, err);
}

static enum lf_result convert(struct importer *im, const struct lf_column_spec *c,
			      const struct cell *cell, struct lf_value *v,
			      struct lf_error *err)
{
	if (cell->json)
		return lf_error_field(err, LF_ERR_INPUT, c->column,
				      "field '%s': expected a string, number or boolean, "
				      "got %s", c->column,
				      json_is_array(cell->json) ? "a list" : "an object");
	return lf_mapping_convert(&im->map, c, cell->kind, cell->text, v, err);
}

static enum lf_result json_object_of(const struct cell *cell, const char *what,
				     struct lf_error *err)
{
	if (cell->kind == LF_RAW_JSON_NULL)
		return LF_OK;
	if (!cell->json || !json_is_object(cell->json))
		return lf_error_field(err, LF_ERR_INPUT, cell->name,
				      "field '%s': expected an object of %s", cell->name,
				      what);
	return LF_OK;
}

/* A JSON scalar from NDJSON as a typed value (attributes keep JSON's types). */
static enum lf_result value_from_json(json_t *j, const char *key, struct lf_value *v,
				      struct lf_error *err)
{
	memset(v, 0, sizeof(*v));
	if (json_is_string(j)) {
		v->type = LF_VAL_STRING;
		v->str = strdup(json_string_value(j));
		return v->str ? LF_OK : LF_ERR_NOMEM;
	}
	if (json_is_number(j)) {
		v->type = LF_VAL_NUMBER;
		v->num = json_number_value(j);
	} else if (json_is_boolean(j)) {
		v->type = LF_VAL_BOOL;
		v->b = json_is_true(j);
	} else if (!json_is_null(j)) {
		return lf_error_field(err, LF_ERR_INPUT, key,
				      "attribute '%s': expected a string, number or "
				      "boolean", key);
	}
	return LF_OK;
}

/* --- leads ----------------------------------------------------------- */

enum { P_EMPLOYEES, P_CREATED_AT, P_STAGE, P_FIRST, P_LAST, P_COUNT };

struct incoming {
	struct lf_lead lead;    /* the values the row gives */
	bool text[16];          /* which text fields the row names */
	bool other[P_COUNT];
	char *first, *last;
	struct lf_attrs attrs;  /* NULL values: the row clears that attribute */
};

static void incoming_release(struct incoming *in)
{
	lf_lead_release(&in->lead);
	lf_attrs_release(&in->attrs);
	free(in->first);
	free(in->last);
}

static int text_index(const char *name)
{
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		if (!strcmp(lf_lead_text_fields[i].name, name))
			return (int)i;
	return -1;
}

static enum lf_result lead_field(struct importer *im, struct incoming *in,
				 const struct lf_column_spec *c, struct lf_value *v,
				 struct lf_error *err)
{
	int ti = text_index(c->name);
	(void)im;

	if (ti >= 0) {
		char **m = lf_lead_text(&in->lead, c->name);
		in->text[ti] = true;
		free(*m);
		*m = NULL;
		if (v->type == LF_VAL_NULL)
			return LF_OK;
		if (v->type != LF_VAL_STRING)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': %s needs text", c->column, c->name);
		*m = v->str;
		v->str = NULL;
		if (!strcmp(c->name, "email") && !lf_email_normalise(*m))
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': bad email '%s'", c->column, *m);
		return LF_OK;
	}
	if (!strcmp(c->name, "employees")) {
		in->other[P_EMPLOYEES] = true;
		in->lead.employees = v->type == LF_VAL_NUMBER ? v->num : NAN;
		if (v->type == LF_VAL_NUMBER && v->num < 0)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': employees cannot be negative",
					      c->column);
	} else if (!strcmp(c->name, "created_at")) {
		in->other[P_CREATED_AT] = v->type == LF_VAL_NUMBER;
		in->lead.created_at = (lf_time_ms)v->num;
	} else if (!strcmp(c->name, "stage")) {
		if (v->type == LF_VAL_NULL)
			return LF_OK;
		in->other[P_STAGE] = true;
		return lf_stage_parse(v->str, &in->lead.stage, err) == LF_OK
			       ? LF_OK
			       : lf_error_field(err, LF_ERR_INPUT, c->column,
						"column '%s': unknown stage '%s'", c->column,
						v->str);
	} else if (!strcmp(c->name, "first_name") || !strcmp(c->name, "last_name")) {
		char **m = c->name[0] == 'f' ? &in->first : &in->last;
		in->other[c->name[0] == 'f' ? P_FIRST : P_LAST] = true;
		free(*m);
		*m = v->type == LF_VAL_STRING ? v->str : NULL;
		v->str = NULL;
	}
	return LF_OK;
}

static enum lf_result lead_from_row(struct importer *im, const struct row *row,
				    struct incoming *in, struct lf_error *err)
{
	enum lf_result r = LF_OK;

	memset(in, 0, sizeof(*in));
	lf_lead_init(&in->lead);
	lf_attrs_init(&in->attrs);
	for (size_t i = 0; i < row->n && !r; i++) {
		struct lf_column_spec tmp;
		char name[256];
		const struct lf_column_spec *c = spec_of(im, row, i, &tmp, name,
							 sizeof(name), err);
		const struct cell *cell = &row->cells[i];
		struct lf_value v;

		if (!c)
			return LF_ERR_INPUT;
		if (c->target == LF_TARGET_SKIP)
			continue;
		if (c->target == LF_TARGET_FIELD && !strcmp(c->name, "attributes")) {
			const char *key;
			json_t *j;
			if ((r = json_object_of(cell, "attributes", err)) || !cell->json)
				continue;
			json_object_foreach(cell->json, key, j) {
				if ((r = value_from_json(j, key, &v, err)))
					break;
				r = lf_attrs_set(&in->attrs, key, &v);
				lf_value_release(&v);
				if (r)
					break;
			}
			continue;
		}
		if ((r = convert(im, c, cell, &v, err)))
			break;
		if (c->target == LF_TARGET_FIELD)
			r = lead_field(im, in, c, &v, err);
		else if ((r = lf_attrs_set(&in->attrs, c->name, &v)) == LF_ERR_LIMIT)
			lf_error_set(err, r, "more than %d attributes", LF_ATTRS_MAX);
		lf_value_release(&v);
	}
	if (r)
		return r;
	if ((in->other[P_FIRST] || in->other[P_LAST]) && !in->text[text_index("name")]) {
		char full[512];
		snprintf(full, sizeof(full), "%s%s%s", in->first ? in->first : "",
			 in->first && in->last ? " " : "", in->last ? in->last : "");
		in->text[text_index("name")] = true;
		if (full[0] && lf_set_str(&in->lead.name, full))
			return LF_ERR_NOMEM;
	}
	if (!in->lead.external_id && !in->lead.email)
		return lf_error_set(err, LF_ERR_INPUT,
				    "the row has neither an external id nor an email: "
				    "map a column to external_id or email");
	return LF_OK;
}

/* The stored lead with the incoming values laid over it. */
static enum lf_result merge(const struct lf_lead *old, const struct incoming *in,
			    struct lf_lead *out)
{
	if (lf_lead_copy(out, old))
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < lf_lead_text_field_count; i++) {
		const char *name = lf_lead_text_fields[i].name;
		if (in->text[i] &&
		    lf_set_str(lf_lead_text(out, name),
			       *lf_lead_text((struct lf_lead *)&in->lead, name)))
			return LF_ERR_NOMEM;
	}
	if (in->other[P_EMPLOYEES])
		out->employees = in->lead.employees;
	if (in->other[P_CREATED_AT])
		out->created_at = in->lead.created_at;
	if (in->other[P_STAGE])
		out->stage = in->lead.stage;
	for (size_t i = 0; i < in->attrs.n; i++) {
		const struct lf_attr *a = &in->attrs.items[i];
		if (a->v.type == LF_VAL_NULL)
			lf_attrs_remove(&out->attrs, a->name);
		else if (lf_attrs_set(&out->attrs, a->name, &a->v))
			return LF_ERR_NOMEM;
	}
	return LF_OK;
}

static enum lf_result record_stage(struct importer *im, int64_t lead_id,
				   enum lf_stage from, enum lf_stage to,
				   struct lf_error *err)
{
	struct lf_transition t = { .lead_id = lead_id, .from = from, .to = to,
				   .actor = "import", .at = im->now };
	if (from == to)
		return LF_OK;
	return lf_store_transition_append(im->s, &t, err);
}

static enum lf_result import_lead(struct importer *im, const struct row *row,
				  struct lf_error *err)
{
	struct incoming in;
	struct lf_lead old, merged;
	int64_t id = 0, other = 0;
	enum lf_result r;
	bool found = false;

	lf_lead_init(&old);
	lf_lead_init(&merged);
	if ((r = lead_from_row(im, row, &in, err)))
		goto out;
	if (in.lead.external_id)
		r = cached_lead(im, LF_KEY_EXTERNAL_ID, in.lead.external_id, &id, err);
	if (!id && in.lead.email && (!r || r == LF_ERR_NOT_FOUND))
		r = cached_lead(im, LF_KEY_EMAIL, in.lead.email, &id, err);
	if (r && r != LF_ERR_NOT_FOUND)
		goto out;
	found = id != 0;
	/* an email that another lead already has is a conflict, not a merge */
	if (found && in.lead.email) {
		r = cached_lead(im, LF_KEY_EMAIL, in.lead.email, &other, err);
		if (r && r != LF_ERR_NOT_FOUND)
			goto out;
		if (other && other != id) {
			r = lf_error_field(err, LF_ERR_CONFLICT, "email",
					   "email '%s' belongs to another lead (%lld)",
					   in.lead.email, (long long)other);
			goto out;
		}
	}
	if (!found) {
		if (!in.other[P_CREATED_AT])
			in.lead.created_at = im->now;
		in.lead.updated_at = im->now;
		if ((r = lf_attrs_copy(&merged.attrs, &in.attrs)))
			goto out;
		/* the NULL attributes of a new lead are simply absent */
		lf_attrs_release(&in.lead.attrs);
		for (size_t i = 0; i < in.attrs.n; i++)
			if (in.attrs.items[i].v.type != LF_VAL_NULL &&
			    (r = lf_attrs_set(&in.lead.attrs, in.attrs.items[i].name,
					      &in.attrs.items[i].v)))
				goto out;
		if ((r = lf_store_lead_insert(im->s, &in.lead, err)) ||
		    (r = record_stage(im, in.lead.id, LF_STAGE_LEAD, in.lead.stage, err)))
			goto out;
		remember_lead(im, &in.lead);
		im->sum->inserted++;
		goto out;
	}
	if ((r = lf_store_lead_get(im->s, id, &old, err)) ||
	    (r = merge(&old, &in, &merged)))
		goto out;
	if (lf_lead_same_content(&old, &merged)) {
		im->sum->unchanged++;
		goto out;
	}
	merged.updated_at = im->now;
	if ((r = lf_store_lead_update(im->s, &merged, err)) ||
	    (r = record_stage(im, id, old.stage, merged.stage, err)))
		goto out;
	remember_lead(im, &merged);
	im->sum->updated++;
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	incoming_release(&in);
	lf_lead_release(&old);
	lf_lead_release(&merged);
	return r;
}

/* --- events and touches: the lead they are about --------------------- */

struct lead_ref {
	enum { REF_NONE, REF_ID, REF_EXTERNAL, REF_EMAIL } kind;
	int64_t id;
	char *text;
	const char *column;
};

static enum lf_result ref_field(struct lead_ref *ref, const struct lf_column_spec *c,
				struct lf_value *v, struct lf_error *err)
{
	if (v->type == LF_VAL_NULL)
		return LF_OK;
	if (!strcmp(c->name, "lead_id")) {
		if (v->num != floor(v->num) || v->num < 1)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': a lead id is a positive whole "
					      "number", c->column);
		ref->kind = REF_ID;
		ref->id = (int64_t)v->num;
	} else if (ref->kind != REF_ID &&
		   (!strcmp(c->name, "external_id") || ref->kind != REF_EXTERNAL)) {
		ref->kind = !strcmp(c->name, "email") ? REF_EMAIL : REF_EXTERNAL;
		free(ref->text);
		ref->text = v->str;
		v->str = NULL;
		if (ref->kind == REF_EMAIL && !lf_email_normalise(ref->text))
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': bad email '%s'", c->column,
					      ref->text);
	}
	ref->column = c->column;
	return LF_OK;
}

static enum lf_result resolve_lead(struct importer *im, struct lead_ref *ref,
				   lf_time_ms created, int64_t *id, struct lf_error *err)
{
	enum lf_result r;
	struct lf_lead l;

	switch (ref->kind) {
	case REF_ID:
		r = lf_store_lead_get(im->s, ref->id, &l, err);
		if (r == LF_ERR_NOT_FOUND)
			return lf_error_field(err, r, ref->column, "unknown lead id %lld",
					      (long long)ref->id);
		if (!r) {
			*id = l.id;
			lf_lead_release(&l);
		}
		return r;
	case REF_EXTERNAL:
		r = cached_lead(im, LF_KEY_EXTERNAL_ID, ref->text, id, err);
		if (r == LF_ERR_NOT_FOUND)
			return lf_error_field(err, r, ref->column,
					      "unknown lead external id '%s': import the "
					      "leads first", ref->text);
		return r;
	case REF_EMAIL:
		r = cached_lead(im, LF_KEY_EMAIL, ref->text, id, err);
		if (r != LF_ERR_NOT_FOUND)
			return r;
		/* an event from an unknown email is a new lead */
		lf_lead_init(&l);
		l.email = ref->text;
		l.created_at = created;
		l.updated_at = im->now;
		r = lf_store_lead_insert(im->s, &l, err);
		l.email = NULL;
		if (r)
			return r;
		*id = l.id;
		l.email = ref->text;
		remember_lead(im, &l);
		return LF_OK;
	default:
		return lf_error_set(err, LF_ERR_INPUT,
				    "the row names no lead: give lead_id, external_id "
				    "or email");
	}
}

/* --- events ---------------------------------------------------------- */

static json_t *json_of_value(const struct lf_value *v)
{
	switch (v->type) {
	case LF_VAL_STRING: return json_string(v->str);
	case LF_VAL_NUMBER:
		return v->num == floor(v->num) && fabs(v->num) < 9e15
			       ? json_integer((json_int_t)v->num) : json_real(v->num);
	case LF_VAL_BOOL: return json_boolean(v->b);
	default: return json_null();
	}
}

/* Makes props an object of the event's own, copying one borrowed from a row. */
static enum lf_result own_props(json_t **props, bool *shared)
{
	json_t *copy;

	if (!*props) {
		*props = json_object();
		return *props ? LF_OK : LF_ERR_NOMEM;
	}
	if (!*shared)
		return LF_OK;
	if (!(copy = json_copy(*props)))
		return LF_ERR_NOMEM;
	json_decref(*props);
	*props = copy;
	*shared = false;
	return LF_OK;
}

static enum lf_result import_event(struct importer *im, const struct row *row,
				   struct lf_error *err)
{
	struct lf_event e = { 0 };
	struct lead_ref ref = { 0 };
	json_t *props = NULL;
	bool have_at = false, inserted, shared = false;
	enum lf_result r = LF_OK;

	for (size_t i = 0; i < row->n && !r; i++) {
		struct lf_column_spec tmp;
		char name[256];
		const struct lf_column_spec *c = spec_of(im, row, i, &tmp, name,
							 sizeof(name), err);
		const struct cell *cell = &row->cells[i];
		struct lf_value v;

		if (!c) {
			r = LF_ERR_INPUT;
			break;
		}
		if (c->target == LF_TARGET_SKIP)
			continue;
		if (c->target == LF_TARGET_FIELD && !strcmp(c->name, "properties")) {
			if ((r = json_object_of(cell, "properties", err)) || !cell->json)
				continue;
			if (!props) {
				/* borrowed from the row until something is added */
				props = json_incref(cell->json);
				shared = true;
			} else {
				json_object_update_missing(props, cell->json);
			}
			continue;
		}
		if (c->target == LF_TARGET_EXTRA && cell->json) {
			/* structured values are welcome inside properties */
			if ((r = own_props(&props, &shared)))
				break;
			json_object_set(props, c->name, cell->json);
			continue;
		}
		if ((r = convert(im, c, cell, &v, err)))
			break;
		if (c->target == LF_TARGET_EXTRA) {
			if (v.type != LF_VAL_NULL && !(r = own_props(&props, &shared)))
				json_object_set_new(props, c->name, json_of_value(&v));
		} else if (!strcmp(c->name, "id")) {
			free(e.id);
			e.id = v.type == LF_VAL_STRING ? v.str : NULL;
			v.str = NULL;
		} else if (!strcmp(c->name, "type")) {
			free(e.type);
			e.type = v.type == LF_VAL_STRING ? v.str : NULL;
			v.str = NULL;
		} else if (!strcmp(c->name, "occurred_at")) {
			have_at = v.type == LF_VAL_NUMBER;
			e.occurred_at = (lf_time_ms)v.num;
		} else {
			r = ref_field(&ref, c, &v, err);
		}
		lf_value_release(&v);
	}
	if (r)
		goto out;
	if (!e.id) {
		r = lf_error_field(err, LF_ERR_INPUT, "id",
				   "the event has no id: every event needs one, so that "
				   "a retry is counted once");
		goto out;
	}
	if (!e.type) {
		r = lf_error_field(err, LF_ERR_INPUT, "type", "event '%s' has no type", e.id);
		goto out;
	}
	if (!have_at) {
		r = lf_error_field(err, LF_ERR_INPUT, "occurred_at",
				   "event '%s' has no occurred_at", e.id);
		goto out;
	}
	e.properties = props ? json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS |
						 JSON_ENSURE_ASCII)
			     : strdup("{}");
	if (!e.properties) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	if ((r = resolve_lead(im, &ref, e.occurred_at, &e.lead_id, err)) ||
	    (r = lf_store_event_insert(im->s, &e, &inserted, err)))
		goto out;
	if (inserted) {
		im->sum->inserted++;
	} else {
		struct lf_event old = { 0 };
		if ((r = lf_store_event_get(im->s, e.id, &old, err)))
			goto out;
		if (old.lead_id == e.lead_id && !strcmp(old.type, e.type) &&
		    old.occurred_at == e.occurred_at &&
		    !strcmp(old.properties, e.properties))
			im->sum->unchanged++;
		else
			r = lf_error_field(err, LF_ERR_CONFLICT, "id",
					   "duplicate event id '%s': already stored with "
					   "different content", e.id);
		lf_event_release(&old);
	}
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	json_decref(props);
	free(ref.text);
	lf_event_release(&e);
	return r;
}

/* --- touches --------------------------------------------------------- */

static const char *const touch_kinds[] = { "call", "email", "meeting", "note" };

static enum lf_result rep_id(struct importer *im, const char *name, int64_t *id,
			     struct lf_error *err)
{
	struct lf_rep rep = { 0 };
	enum lf_result r;

	if (lf_strmap_get(&im->reps, name, id))
		return LF_OK;
	r = lf_store_rep_find(im->s, name, &rep, err);
	if (r == LF_ERR_NOT_FOUND) {
		/* reps named by a CRM export are taken as they come */
		struct lf_rep fresh = { .name = (char *)name, .weekly_hours = 40,
					.max_active = 50 };
		r = lf_store_rep_insert(im->s, &fresh, err);
		rep.id = fresh.id;
	} else if (!r) {
		lf_rep_release(&rep);
	}
	if (r)
		return r;
	*id = rep.id;
	return lf_strmap_put(&im->reps, name, rep.id);
}

static enum lf_result import_touch(struct importer *im, const struct row *row,
				   struct lf_error *err)
{
	struct lf_touch t = { 0 };
	struct lead_ref ref = { 0 };
	char *rep = NULL;
	bool have_at = false, inserted;
	enum lf_result r = LF_OK;
	struct lf_buf key = LF_BUF_INIT(4096);

	for (size_t i = 0; i < row->n && !r; i++) {
		struct lf_column_spec tmp;
		char name[256];
		const struct lf_column_spec *c = spec_of(im, row, i, &tmp, name,
							 sizeof(name), err);
		struct lf_value v;

		if (!c) {
			r = LF_ERR_INPUT;
			break;
		}
		if (c->target == LF_TARGET_SKIP)
			continue;
		if ((r = convert(im, c, &row->cells[i], &v, err)))
			break;
		if (!strcmp(c->name, "id") || !strcmp(c->name, "kind") ||
		    !strcmp(c->name, "outcome") || !strcmp(c->name, "rep")) {
			char **m = c->name[0] == 'i' ? &t.key : c->name[0] == 'k' ? &t.kind
				 : c->name[0] == 'o' ? &t.outcome : &rep;
			free(*m);
			*m = v.type == LF_VAL_STRING ? v.str : NULL;
			v.str = NULL;
		} else if (!strcmp(c->name, "minutes")) {
			t.minutes = v.type == LF_VAL_NUMBER ? v.num : 0;
			if (t.minutes < 0)
				r = lf_error_field(err, LF_ERR_INPUT, c->column,
						   "column '%s': minutes cannot be negative",
						   c->column);
		} else if (!strcmp(c->name, "at")) {
			have_at = v.type == LF_VAL_NUMBER;
			t.at = (lf_time_ms)v.num;
		} else {
			r = ref_field(&ref, c, &v, err);
		}
		lf_value_release(&v);
	}
	if (r)
		goto out;
	if (!t.kind) {
		r = lf_error_field(err, LF_ERR_INPUT, "kind",
				   "the touch has no kind: expected call, email, meeting "
				   "or note");
		goto out;
	}
	r = LF_ERR_INPUT;
	for (size_t i = 0; i < sizeof(touch_kinds) / sizeof(touch_kinds[0]); i++)
		if (!strcmp(t.kind, touch_kinds[i]))
			r = LF_OK;
	if (r) {
		lf_error_field(err, r, "kind", "unknown touch kind '%s': expected call, "
			       "email, meeting or note", t.kind);
		goto out;
	}
	if (!have_at) {
		r = lf_error_field(err, LF_ERR_INPUT, "at", "the touch has no time ('at')");
		goto out;
	}
	if ((r = resolve_lead(im, &ref, t.at, &t.lead_id, err)) ||
	    (rep && (r = rep_id(im, rep, &t.rep_id, err))))
		goto out;
	if (!t.key) {
		/* no id in the file: the touch is what it says */
		if (lf_buf_addf(&key, "%lld|%s|%lld|%s|%g", (long long)t.lead_id, t.kind,
				(long long)t.at, rep ? rep : "", t.minutes)) {
			r = LF_ERR_NOMEM;
			goto out;
		}
		t.key = lf_buf_detach(&key);
	}
	if ((r = lf_store_touch_insert(im->s, &t, &inserted, err)))
		goto out;
	if (inserted)
		im->sum->inserted++;
	else
		im->sum->unchanged++;
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	lf_buf_release(&key);
	free(ref.text);
	free(rep);
	lf_touch_release(&t);
	return r;
}

/* --- rows, rejects and the two file formats -------------------------- */

static bool row_level(enum lf_result r)
{
	return r == LF_ERR_INPUT || r == LF_ERR_CONFLICT || r == LF_ERR_NOT_FOUND ||
	       r == LF_ERR_LIMIT;
}

/*
 * Writes a bad row to the rejects file, or makes it the import's error when
 * there is none. A CSV record whose quoting is broken cannot be written back
 * as it was without breaking the rejects file too: it goes in as one quoted
 * field holding its original text (broken_syntax).
 */
static enum lf_result reject(struct importer *im, long line, const char *raw,
			     size_t raw_len, bool broken_syntax, struct lf_error *err)
{
	if (!im->rejects) {
		lf_error_prefix(err, "%s:%ld", im->o->path, line);
		return err->code ? err->code : LF_ERR_INPUT;
	}
	if (im->ndjson) {
		json_t *j = json_pack("{s:I,s:s,s:s%}", "line", (json_int_t)line,
				      "reason", err->msg, "row", raw, raw_len);
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (s)
			fprintf(im->rejects, "%s\n", s);
		free(s);
		json_decref(j);
	} else {
		if (im->sum->rejected == 0) {
			fwrite(im->header_raw, 1, im->header_len, im->rejects);
			fprintf(im->rejects, "%creason\n", im->delim);
		}
		if (broken_syntax) {
			char *copy = strndup(raw, raw_len);
			if (!copy)
				return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
			fputc('"', im->rejects);
			for (const char *p = copy; *p; p++) {
				if (*p == '"')
					fputc('"', im->rejects);
				fputc(*p, im->rejects);
			}
			fputc('"', im->rejects);
			free(copy);
		} else {
			fwrite(raw, 1, raw_len, im->rejects);
		}
		fputc(im->delim, im->rejects);
		lf_csv_write_field(im->rejects, err->msg, im->delim);
		fputc('\n', im->rejects);
	}
	im->sum->rejected++;
	if (ferror(im->rejects))
		return lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s",
				    im->o->rejects_path, lf_errno_str(errno));
	lf_error_clear(err);
	return LF_OK;
}

static enum lf_result take_row(struct importer *im, const struct row *row,
			       struct lf_error *err)
{
	switch (im->o->entity) {
	case LF_ENTITY_LEADS: return import_lead(im, row, err);
	case LF_ENTITY_EVENTS: return import_event(im, row, err);
	default: return import_touch(im, row, err);
	}
}

static void progress(struct importer *im, FILE *f, uint64_t total, long *tick)
{
	if (!im->o->progress || ++*tick % 4096)
		return;
	im->o->progress(im->o->progress_ctx, (uint64_t)ftello(f), total);
}

static enum lf_result read_csv(struct importer *im, FILE *f, uint64_t total,
			       struct lf_error *err)
{
	struct lf_csv *csv = NULL;
	struct lf_buf header = LF_BUF_INIT(LF_CSV_RECORD_MAX);
	struct lf_buf names = LF_BUF_INIT(LF_CSV_RECORD_MAX);
	struct lf_column_spec *tmp = NULL;
	char (*tmp_names)[256] = NULL;
	const struct lf_column_spec **specs = NULL;
	struct cell *cells = NULL;
	size_t ncols, *name_off = NULL;
	enum lf_result r;
	bool eof;
	long tick = 0;

	if ((r = lf_csv_new(f, im->delim, &csv)))
		return lf_error_set(err, r, "out of memory");
	r = lf_csv_next(csv, &eof, err);
	if (r) {
		lf_error_prefix(err, "%s:%ld", im->o->path, lf_csv_line(csv));
		goto out;
	}
	if (eof) {
		r = lf_error_set(err, LF_ERR_INPUT, "%s: empty file: expected a header line",
				 im->o->path);
		goto out;
	}
	ncols = lf_csv_count(csv);
	{
		size_t len;
		const char *raw = lf_csv_raw(csv, &len);
		lf_buf_add(&header, raw, len);
	}
	im->header_raw = lf_buf_str(&header);
	im->header_len = header.len;
	tmp = calloc(ncols, sizeof(*tmp));
	tmp_names = calloc(ncols, sizeof(*tmp_names));
	specs = calloc(ncols, sizeof(*specs));
	cells = calloc(ncols, sizeof(*cells));
	name_off = calloc(ncols, sizeof(*name_off));
	if (!tmp || !tmp_names || !specs || !cells || !name_off) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ncols; i++) {
		const char *col = lf_csv_field(csv, i);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names.data + name_off[j], col)) {
				r = lf_error_set(err, LF_ERR_INPUT,
						 "%s:%ld: column '%s' appears twice in the "
						 "header", im->o->path, lf_csv_line(csv), col);
				goto out;
			}
		name_off[i] = names.len;
		lf_buf_add(&names, col, strlen(col) + 1);
	}
	for (size_t i = 0; i < ncols; i++) {
		cells[i].name = names.data + name_off[i];
		specs[i] = lf_mapping_column(&im->map, cells[i].name, &tmp[i], tmp_names[i],
					     sizeof(tmp_names[i]), err);
		if (!specs[i]) {
			r = LF_ERR_INPUT;
			lf_error_prefix(err, "%s:%ld", im->o->path, lf_csv_line(csv));
			goto out;
		}
	}
	/* every mapped column must be in the file: a typo must not drop data */
	for (size_t m = 0; m < im->map.ncols; m++) {
		size_t i;
		for (i = 0; i < ncols && strcmp(cells[i].name, im->map.cols[m].column); i++)
			;
		if (i == ncols) {
			r = lf_error_set(err, LF_ERR_INPUT,
					 "%s:%d:%d: column '%s' is not in the header of '%s'",
					 im->map.path, im->map.cols[m].line,
					 im->map.cols[m].col, im->map.cols[m].column,
					 im->o->path);
			goto out;
		}
	}
	for (;;) {
		struct row row = { cells, ncols, 0, specs };
		size_t len;
		const char *raw;
		bool syntax;

		r = lf_csv_next(csv, &eof, err);
		if (!r && eof)
			break;
		syntax = r != LF_OK;
		row.line = lf_csv_line(csv);
		if (!r && lf_csv_count(csv) != ncols)
			r = lf_error_set(err, LF_ERR_INPUT,
					 "%zu fields where the header has %zu",
					 lf_csv_count(csv), ncols);
		if (!r) {
			for (size_t i = 0; i < ncols; i++)
				cells[i].text = lf_csv_field(csv, i);
			r = take_row(im, &row, err);
		}
		if (r && row_level(r)) {
			raw = lf_csv_raw(csv, &len);
			while (len && (raw[len - 1] == '\n' || raw[len - 1] == '\r'))
				len--;
			r = reject(im, row.line, raw, len, syntax, err);
		}
		if (r)
			break;
		progress(im, f, total, &tick);
	}
out:
	lf_csv_free(csv);
	lf_buf_release(&header);
	lf_buf_release(&names);
	free(tmp);
	free(tmp_names);
	free(specs);
	free(cells);
	free(name_off);
	return r;
}

/* Fills row from a JSON object; cells point into obj. */
static enum lf_result json_row(json_t *obj, struct row *row, size_t *cap,
			       struct lf_error *err)
{
	const char *key;
	json_t *v;

	row->n = 0;
	if (!json_is_object(obj))
		return lf_error_set(err, LF_ERR_INPUT, "expected a json object per line");
	if (json_object_size(obj) > *cap) {
		size_t n = json_object_size(obj) + 16;
		struct cell *c = realloc(row->cells, n * sizeof(*c));
		if (!c)
			return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		row->cells = c;
		*cap = n;
	}
	json_object_foreach(obj, key, v) {
		struct cell *c = &row->cells[row->n++];
		c->name = key;
		c->json = NULL;
		c->text = c->num;
		switch (json_typeof(v)) {
		case JSON_STRING:
			c->kind = LF_RAW_JSON_STRING;
			c->text = json_string_value(v);
			break;
		case JSON_INTEGER:
			c->kind = LF_RAW_JSON_NUMBER;
			snprintf(c->num, sizeof(c->num), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			break;
		case JSON_REAL:
			c->kind = LF_RAW_JSON_NUMBER;
			snprintf(c->num, sizeof(c->num), "%.17g", json_real_value(v));
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			c->kind = LF_RAW_JSON_BOOL;
			strcpy(c->num, json_is_true(v) ? "true" : "false");
			break;
		case JSON_NULL:
			c->kind = LF_RAW_JSON_NULL;
			c->num[0] = '\0';
			break;
		default:
			c->kind = LF_RAW_JSON_STRING;
			c->num[0] = '\0';
			c->json = v;
		}
	}
	return LF_OK;
}

static enum lf_result read_ndjson(struct importer *im, FILE *f, uint64_t total,
				  struct lf_error *err)
{
	char *line = NULL;
	size_t cap = 0, ncells = 0;
	ssize_t len;
	long lineno = 0, tick = 0;
	struct row row = { 0 };
	enum lf_result r = LF_OK;
	bool any = false;

	while ((len = getline(&line, &cap, f)) >= 0) {
		json_t *obj = NULL;
		json_error_t jerr;
		size_t n = (size_t)len;

		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (lineno == 1 && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
			memmove(line, line + 3, n - 2);
			n -= 3;
		}
		if (strspn(line, " \t") == n)
			continue;
		any = true;
		row.line = lineno;
		if (n > LF_IMPORT_LINE_MAX) {
			r = lf_error_set(err, LF_ERR_LIMIT, "line longer than %u bytes",
					 LF_IMPORT_LINE_MAX);
		} else if (!(obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr))) {
			r = lf_error_set(err, LF_ERR_INPUT, "column %d: bad json: %s",
					 jerr.column, jerr.text);
		} else if (!(r = json_row(obj, &row, &ncells, err))) {
			r = take_row(im, &row, err);
		}
		json_decref(obj);
		if (r && row_level(r))
			r = reject(im, lineno, line, n, false, err);
		if (r)
			break;
		progress(im, f, total, &tick);
	}
	if (!r && ferror(f))
		r = lf_error_set(err, LF_ERR_IO, "cannot read '%s': %s", im->o->path,
				 lf_errno_str(errno));
	if (!r && !any)
		r = lf_error_set(err, LF_ERR_INPUT, "%s: empty file: expected one json "
				 "object per line", im->o->path);
	free(line);
	free(row.cells);
	return r;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

enum lf_result lf_import_file(struct lf_store *s, const struct lf_import_options *o,
			      struct lf_import_summary *sum, struct lf_error *err)
{
	struct importer im = { .s = s, .o = o, .sum = sum, .now = lf_time_now() };
	struct stat st;
	FILE *f = NULL;
	enum lf_result r;
	bool tx = false;

	memset(sum, 0, sizeof(*sum));
	lf_strmap_init(&im.leads);
	lf_strmap_init(&im.reps);
	im.ndjson = o->format == LF_FORMAT_NDJSON ||
		    (o->format == LF_FORMAT_AUTO &&
		     (ends_with(o->path, ".ndjson") || ends_with(o->path, ".jsonl") ||
		      ends_with(o->path, ".json")));
	r = o->map_path ? lf_mapping_load(o->map_path, o->entity, &im.map, err)
			: lf_mapping_default(o->entity, &im.map);
	if (r)
		return r;
	im.delim = o->delimiter ? o->delimiter : im.map.delimiter ? im.map.delimiter
		 : ends_with(o->path, ".tsv") ? '\t' : ',';
	if (!(f = fopen(o->path, "rb"))) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': %s", o->path,
				 lf_errno_str(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': is a directory",
				 o->path);
		goto out;
	}
	if (o->rejects_path && !(im.rejects = fopen(o->rejects_path, "w"))) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': %s",
				 o->rejects_path, lf_errno_str(errno));
		goto out;
	}
	if ((r = lf_store_begin(s, err)))
		goto out;
	tx = true;
	r = im.ndjson ? read_ndjson(&im, f, (uint64_t)st.st_size, err)
		      : read_csv(&im, f, (uint64_t)st.st_size, err);
	if (!r && im.rejects && fflush(im.rejects))
		r = lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s", o->rejects_path,
				 lf_errno_str(errno));
	if (!r && !(r = lf_store_commit(s, err)))
		tx = false;
	if (o->progress && !r)
		o->progress(o->progress_ctx, (uint64_t)st.st_size, (uint64_t)st.st_size);
out:
	if (tx) {
		lf_store_rollback(s);
		memset(sum, 0, sizeof(*sum));
	}
	if (f)
		fclose(f);
	if (im.rejects)
		fclose(im.rejects);
	lf_mapping_release(&im.map);
	lf_strmap_release(&im.leads);
	lf_strmap_release(&im.reps);
	return r;
}
