/*
 * record.c - turning one row into a prepared lead, event or touch. Every
 * cell goes through its column's spec (mapping.c); what the entity needs is
 * checked here (an event has an id, a type and a time; a touch a known
 * kind), so that whatever reaches the store is whole. Pure: no store, no I/O.
 */
#include "ingest/record.h"
#include <leadflow/json.h>
#include "core/value_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const touch_kinds[] = { "call", "email", "meeting", "note" };

void lf_record_release(struct lf_record *rec)
{
	if (!rec)
		return;
	free(rec->owner);
	lf_lead_release(&rec->lead);
	lf_attrs_release(&rec->attrs);
	lf_attrs_release(&rec->props);
	free(rec->ref.text);
	lf_event_release(&rec->event);
	lf_touch_release(&rec->touch);
	free(rec->rep);
	free(rec->spend.channel);
	free(rec->spend.campaign);
	memset(rec, 0, sizeof(*rec));
}

static enum lf_result convert(const struct lf_mapping *m, const struct lf_column_spec *c,
			      const struct lf_cell *cell, struct lf_value *v,
			      struct lf_error *err)
{
	if (cell->json)
		return lf_error_field(err, LF_ERR_INPUT, c->column,
				      "field '%s': expected a string, number or boolean, "
				      "got %s", c->column,
				      json_is_array(cell->json) ? "a list" : "an object");
	return lf_mapping_convert(m, c, cell->kind, cell->text, v, err);
}

static enum lf_result json_object_of(const struct lf_cell *cell, const char *what,
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

/*
 * Calls fn for each cell of row that its spec does not skip. The one loop
 * over cells that every entity shares: resolving the spec, skipping.
 */
typedef enum lf_result (*cell_fn)(void *ctx, const struct lf_mapping *m,
				  const struct lf_column_spec *c,
				  const struct lf_cell *cell, struct lf_error *err);

static enum lf_result each_cell(const struct lf_mapping *m, const struct lf_row *row,
				cell_fn fn, void *ctx, struct lf_error *err)
{
	enum lf_result r = LF_OK;

	for (size_t i = 0; i < row->n && !r; i++) {
		struct lf_column_spec tmp;
		char name[256];
		const struct lf_column_spec *c =
			row->specs && row->specs[i]
				? row->specs[i]
				: lf_mapping_column(m, row->cells[i].name, &tmp, name,
						    sizeof(name), err);
		if (!c)
			return LF_ERR_INPUT;
		if (c->target != LF_TARGET_SKIP)
			r = fn(ctx, m, c, &row->cells[i], err);
	}
	return r;
}

/* Moves a string value into *member (freeing what was there). */
static void take_str(char **member, struct lf_value *v)
{
	free(*member);
	*member = v->type == LF_VAL_STRING ? v->str : NULL;
	v->str = NULL;
}

/* --- leads ----------------------------------------------------------- */

static int text_index(const char *name)
{
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		if (!strcmp(lf_lead_text_fields[i].name, name))
			return (int)i;
	return -1;
}

static enum lf_result lead_field(struct lf_record *rec, const struct lf_column_spec *c,
				 struct lf_value *v, char **first, char **last,
				 struct lf_error *err)
{
	int ti = text_index(c->name);

	if (ti >= 0) {
		char **m = lf_lead_text(&rec->lead, c->name);
		rec->text[ti] = true;
		if (v->type != LF_VAL_NULL && v->type != LF_VAL_STRING)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': %s needs text", c->column, c->name);
		take_str(m, v);
		if (*m && !strcmp(c->name, "email") && !lf_email_normalise(*m))
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': bad email '%s'", c->column, *m);
		return LF_OK;
	}
	if (!strcmp(c->name, "employees")) {
		rec->other[LF_IN_EMPLOYEES] = true;
		rec->lead.employees = v->type == LF_VAL_NUMBER ? v->num : NAN;
		if (v->type == LF_VAL_NUMBER && v->num < 0)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': employees cannot be negative",
					      c->column);
	} else if (!strcmp(c->name, "created_at")) {
		rec->other[LF_IN_CREATED_AT] = v->type == LF_VAL_NUMBER;
		rec->lead.created_at = (lf_time_ms)v->num;
	} else if (!strcmp(c->name, "stage")) {
		if (v->type == LF_VAL_NULL)
			return LF_OK;
		rec->other[LF_IN_STAGE] = true;
		if (lf_stage_parse(v->str, &rec->lead.stage, err))
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': unknown stage '%s'", c->column,
					      v->str);
	} else if (!strcmp(c->name, "rating")) {
		if (v->type == LF_VAL_NULL)
			return LF_OK;
		if (v->num != (int)v->num || v->num < 1 || v->num > 5)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': a rating is 1 to 5, got %g", c->column,
					      v->num);
		rec->rating = (int)v->num;
	} else if (!strcmp(c->name, "owner")) {
		take_str(&rec->owner, v);
	} else if (!strcmp(c->name, "stage_at")) {
		rec->stage_at = v->type == LF_VAL_NUMBER ? (lf_time_ms)v->num : 0;
	} else if (!strcmp(c->name, "opened_at")) {
		rec->opened_at = v->type == LF_VAL_NUMBER ? (lf_time_ms)v->num : 0;
	} else if (!strcmp(c->name, "first_name")) {
		rec->other[LF_IN_FIRST] = true;
		take_str(first, v);
	} else if (!strcmp(c->name, "last_name")) {
		rec->other[LF_IN_LAST] = true;
		take_str(last, v);
	}
	return LF_OK;
}

/* Sets attribute key of a to the JSON scalar j (a copy). */
static enum lf_result attr_from_json(struct lf_attrs *a, const char *key, json_t *j,
				     struct lf_error *err)
{
	struct lf_value v;
	enum lf_result r;

	if (lf_value_from_json(j, &v))
		return lf_error_field(err, LF_ERR_INPUT, key,
				      "attribute '%s': expected a string, number or "
				      "boolean", key);
	if ((r = lf_attrs_set(a, key, &v)) == LF_ERR_LIMIT)
		lf_error_set(err, r, "more than %d attributes", LF_ATTRS_MAX);
	return r;
}

struct lead_ctx {
	struct lf_record *rec;
	char *first, *last;
};

static enum lf_result lead_cell(void *vctx, const struct lf_mapping *m,
				const struct lf_column_spec *c, const struct lf_cell *cell,
				struct lf_error *err)
{
	struct lead_ctx *ctx = vctx;
	struct lf_record *rec = ctx->rec;
	enum lf_result r = LF_OK;
	struct lf_value v;

	if (c->target == LF_TARGET_FIELD && !strcmp(c->name, "attributes")) {
		const char *key;
		json_t *j;
		if ((r = json_object_of(cell, "attributes", err)) || !cell->json)
			return r;
		json_object_foreach(cell->json, key, j)
			if ((r = attr_from_json(&rec->attrs, key, j, err)))
				return r;
		return LF_OK;
	}
	if ((r = convert(m, c, cell, &v, err)))
		return r;
	if (c->target == LF_TARGET_FIELD)
		r = lead_field(rec, c, &v, &ctx->first, &ctx->last, err);
	else if ((r = lf_attrs_set(&rec->attrs, c->name, &v)) == LF_ERR_LIMIT)
		lf_error_set(err, r, "more than %d attributes", LF_ATTRS_MAX);
	lf_value_release(&v);
	return r;
}

/* The mapping's `set` fields as a row of their own. */
static enum lf_result set_cells(const struct lf_mapping *m, cell_fn fn, void *ctx,
				struct lf_error *err)
{
	struct lf_cell cells[32];
	struct lf_row row = { cells, 0, NULL };

	for (size_t i = 0; i < m->nset && i < 32; i++) {
		memset(&cells[i], 0, sizeof(cells[i]));
		cells[i].name = m->set_fields[i];
		cells[i].text = m->set_values[i];
		cells[i].kind = LF_RAW_TEXT;
		row.n++;
	}
	return row.n ? each_cell(m, &row, fn, ctx, err) : LF_OK;
}

static enum lf_result prepare_lead(const struct lf_mapping *m, const struct lf_row *row,
				   struct lf_record *rec, struct lf_error *err)
{
	struct lead_ctx ctx = { rec, NULL, NULL };
	enum lf_result r = each_cell(m, row, lead_cell, &ctx, err);

	if (!r)
		r = set_cells(m, lead_cell, &ctx, err);

	if (!r && (rec->other[LF_IN_FIRST] || rec->other[LF_IN_LAST]) &&
	    !rec->text[text_index("name")]) {
		char full[512];
		snprintf(full, sizeof(full), "%s%s%s", ctx.first ? ctx.first : "",
			 ctx.first && ctx.last ? " " : "", ctx.last ? ctx.last : "");
		rec->text[text_index("name")] = true;
		if (full[0] && lf_set_str(&rec->lead.name, full))
			r = LF_ERR_NOMEM;
	}
	free(ctx.first);
	free(ctx.last);
	return r;
}

bool lf_record_has_key(const struct lf_record *rec, struct lf_error *err)
{
	if (rec->lead.external_id || rec->lead.email)
		return true;
	lf_error_field(err, LF_ERR_INPUT, "external_id",
		       "the row has neither an external id nor an email: "
		       "map a column to external_id or email");
	return false;
}

/* --- events and touches ---------------------------------------------- */

static enum lf_result ref_field(struct lf_lead_ref *ref, const struct lf_column_spec *c,
				struct lf_value *v, struct lf_error *err)
{
	if (v->type == LF_VAL_NULL)
		return LF_OK;
	if (!strcmp(c->name, "lead_id")) {
		if (v->num != floor(v->num) || v->num < 1)
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': a lead id is a positive whole "
					      "number", c->column);
		ref->kind = LF_REF_ID;
		ref->id = (int64_t)v->num;
	} else if (ref->kind != LF_REF_ID &&
		   (!strcmp(c->name, "external_id") || ref->kind != LF_REF_EXTERNAL)) {
		/* a lead id wins over an external id, which wins over an email */
		ref->kind = !strcmp(c->name, "email") ? LF_REF_EMAIL : LF_REF_EXTERNAL;
		take_str(&ref->text, v);
		if (ref->kind == LF_REF_EMAIL && !lf_email_normalise(ref->text))
			return lf_error_field(err, LF_ERR_INPUT, c->column,
					      "column '%s': bad email '%s'", c->column,
					      ref->text);
	}
	snprintf(ref->column, sizeof(ref->column), "%s", c->column);
	return LF_OK;
}

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

/* Makes *props an object of the event's own, copying one borrowed from a row. */
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

struct event_ctx {
	struct lf_record *rec;
	json_t *props;
	bool shared;  /* props is borrowed from the row */
	bool have_at;
};

static enum lf_result event_cell(void *vctx, const struct lf_mapping *m,
				 const struct lf_column_spec *c, const struct lf_cell *cell,
				 struct lf_error *err)
{
	struct event_ctx *ctx = vctx;
	struct lf_event *e = &ctx->rec->event;
	enum lf_result r;
	struct lf_value v;

	if (c->target == LF_TARGET_FIELD && !strcmp(c->name, "properties")) {
		if ((r = json_object_of(cell, "properties", err)) || !cell->json)
			return r;
		if (!ctx->props) {
			/* borrowed from the row until something is added */
			ctx->props = json_incref(cell->json);
			ctx->shared = true;
		} else {
			json_object_update_missing(ctx->props, cell->json);
		}
		return LF_OK;
	}
	if (c->target == LF_TARGET_EXTRA && cell->json) {
		/* structured values are welcome inside properties */
		if (!(r = own_props(&ctx->props, &ctx->shared)))
			json_object_set(ctx->props, c->name, cell->json);
		return r;
	}
	if ((r = convert(m, c, cell, &v, err)))
		return r;
	if (c->target == LF_TARGET_EXTRA) {
		if (v.type != LF_VAL_NULL && !(r = own_props(&ctx->props, &ctx->shared)))
			json_object_set_new(ctx->props, c->name, json_of_value(&v));
	} else if (!strcmp(c->name, "id")) {
		take_str(&e->id, &v);
	} else if (!strcmp(c->name, "type")) {
		take_str(&e->type, &v);
	} else if (!strcmp(c->name, "occurred_at")) {
		ctx->have_at = v.type == LF_VAL_NUMBER;
		e->occurred_at = (lf_time_ms)v.num;
	} else {
		r = ref_field(&ctx->rec->ref, c, &v, err);
	}
	lf_value_release(&v);
	return r;
}

static enum lf_result prepare_event(const struct lf_mapping *m, const struct lf_row *row,
				    struct lf_record *rec, struct lf_error *err)
{
	struct lf_event *e = &rec->event;
	struct event_ctx ctx = { .rec = rec };
	enum lf_result r = each_cell(m, row, event_cell, &ctx, err);

	if (!r)
		r = set_cells(m, event_cell, &ctx, err);
	if (r)
		goto out;
	if (!e->id)
		r = lf_error_field(err, LF_ERR_INPUT, "id",
				   "the event has no id: every event needs one, so that "
				   "a retry is counted once");
	else if (!e->type)
		r = lf_error_field(err, LF_ERR_INPUT, "type", "event '%s' has no type", e->id);
	else if (!ctx.have_at)
		r = lf_error_field(err, LF_ERR_INPUT, "occurred_at",
				   "event '%s' has no occurred_at", e->id);
	else if (rec->ref.kind == LF_REF_NONE)
		r = lf_error_set(err, LF_ERR_INPUT,
				 "event '%s' names no lead: give lead_id, external_id "
				 "or email", e->id);
	if (r)
		goto out;
	/* canonical text, so that a retry compares equal byte for byte */
	e->properties = ctx.props ? json_dumps(ctx.props, JSON_COMPACT | JSON_SORT_KEYS |
							      JSON_ENSURE_ASCII)
				  : strdup("{}");
	if (!e->properties) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	/* the scalar properties, typed, for scoring rules (nested ones are kept
	 * in the text only) */
	if (ctx.props) {
		const char *key;
		json_t *j;
		json_object_foreach(ctx.props, key, j)
			if (!json_is_object(j) && !json_is_array(j) &&
			    (r = attr_from_json(&rec->props, key, j, err)))
				break;
	}
out:
	json_decref(ctx.props);
	return r;
}

static enum lf_result touch_cell(void *vctx, const struct lf_mapping *m,
				 const struct lf_column_spec *c, const struct lf_cell *cell,
				 struct lf_error *err)
{
	struct lf_record *rec = vctx;
	struct lf_touch *t = &rec->touch;
	enum lf_result r;
	struct lf_value v;

	if ((r = convert(m, c, cell, &v, err)))
		return r;
	if (!strcmp(c->name, "id")) {
		take_str(&t->key, &v);
	} else if (!strcmp(c->name, "kind")) {
		take_str(&t->kind, &v);
	} else if (!strcmp(c->name, "outcome")) {
		take_str(&t->outcome, &v);
	} else if (!strcmp(c->name, "rep")) {
		take_str(&rec->rep, &v);
	} else if (!strcmp(c->name, "minutes")) {
		t->minutes = v.type == LF_VAL_NUMBER ? v.num : 0;
		if (t->minutes < 0 || t->minutes > 24 * 60)
			r = lf_error_field(err, LF_ERR_INPUT, c->column, "column '%s': a touch "
					   "lasts 0 to 1440 minutes (a day), got %g", c->column,
					   t->minutes);
	} else if (!strcmp(c->name, "at")) {
		t->at = v.type == LF_VAL_NUMBER ? (lf_time_ms)v.num : INT64_MIN;
	} else {
		r = ref_field(&rec->ref, c, &v, err);
	}
	lf_value_release(&v);
	return r;
}

static enum lf_result prepare_touch(const struct lf_mapping *m, const struct lf_row *row,
				    struct lf_record *rec, struct lf_error *err)
{
	struct lf_touch *t = &rec->touch;
	bool known = false;
	enum lf_result r;

	t->at = INT64_MIN; /* no time until a cell gives one */
	if ((r = each_cell(m, row, touch_cell, rec, err)) ||
	    (r = set_cells(m, touch_cell, rec, err)))
		return r;
	if (!t->kind)
		return lf_error_field(err, LF_ERR_INPUT, "kind",
				      "the touch has no kind: expected call, email, "
				      "meeting or note");
	for (size_t i = 0; i < sizeof(touch_kinds) / sizeof(touch_kinds[0]); i++)
		known |= !strcmp(t->kind, touch_kinds[i]);
	if (!known)
		return lf_error_field(err, LF_ERR_INPUT, "kind",
				      "unknown touch kind '%s': expected call, email, "
				      "meeting or note", t->kind);
	if (t->at == INT64_MIN)
		return lf_error_field(err, LF_ERR_INPUT, "at", "the touch has no time ('at')");
	if (rec->ref.kind == LF_REF_NONE)
		return lf_error_set(err, LF_ERR_INPUT, "the touch names no lead: give "
				    "lead_id, external_id or email");
	return LF_OK;
}

static enum lf_result spend_cell(void *vctx, const struct lf_mapping *m,
				 const struct lf_column_spec *c, const struct lf_cell *cell,
				 struct lf_error *err)
{
	struct lf_spend *sp = &((struct lf_record *)vctx)->spend;
	enum lf_result r;
	struct lf_value v;

	if ((r = convert(m, c, cell, &v, err)))
		return r;
	if (!strcmp(c->name, "channel")) {
		take_str(&sp->channel, &v);
	} else if (!strcmp(c->name, "campaign")) {
		take_str(&sp->campaign, &v);
	} else if (!strcmp(c->name, "day")) {
		/* the day it was spent: the date's day, in UTC */
		sp->day = v.type == LF_VAL_NUMBER ? (lf_time_ms)v.num : INT64_MIN;
		if (sp->day != INT64_MIN)
			sp->day -= ((sp->day % LF_MS_PER_DAY) + LF_MS_PER_DAY) % LF_MS_PER_DAY;
	} else if (!strcmp(c->name, "amount")) {
		sp->amount = v.type == LF_VAL_NUMBER ? v.num : -1;
		if (!(sp->amount >= 0) || !isfinite(sp->amount))
			r = lf_error_field(err, LF_ERR_INPUT, c->column, "column '%s': an amount "
					   "spent is a number of 0 or more", c->column);
	}
	lf_value_release(&v);
	return r;
}

static enum lf_result prepare_spend(const struct lf_mapping *m, const struct lf_row *row,
				    struct lf_record *rec, struct lf_error *err)
{
	struct lf_spend *sp = &rec->spend;
	enum lf_result r;

	sp->day = INT64_MIN;
	sp->amount = -1;
	if ((r = each_cell(m, row, spend_cell, rec, err)) ||
	    (r = set_cells(m, spend_cell, rec, err)))
		return r;
	if (sp->day == INT64_MIN)
		return lf_error_field(err, LF_ERR_INPUT, "day", "the spend has no day");
	if (!sp->channel || !*sp->channel)
		return lf_error_field(err, LF_ERR_INPUT, "channel", "the spend has no channel "
				      "(the leads' source it paid for)");
	if (sp->amount < 0)
		return lf_error_field(err, LF_ERR_INPUT, "amount", "the spend has no amount");
	if (!sp->campaign && !(sp->campaign = strdup("")))
		return LF_ERR_NOMEM;
	return LF_OK;
}

enum lf_result lf_record_prepare(const struct lf_mapping *m, const struct lf_row *row,
				 struct lf_record *rec, struct lf_error *err)
{
	enum lf_result r;

	memset(rec, 0, sizeof(*rec));
	rec->entity = m->entity;
	lf_lead_init(&rec->lead);
	lf_attrs_init(&rec->attrs);
	lf_attrs_init(&rec->props);
	switch (m->entity) {
	case LF_ENTITY_LEADS: r = prepare_lead(m, row, rec, err); break;
	case LF_ENTITY_EVENTS: r = prepare_event(m, row, rec, err); break;
	case LF_ENTITY_SPEND: r = prepare_spend(m, row, rec, err); break;
	default: r = prepare_touch(m, row, rec, err);
	}
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}

enum lf_result lf_row_from_json(json_t *obj, struct lf_row *row, size_t *cap,
				struct lf_error *err)
{
	const char *key;
	json_t *v;

	row->n = 0;
	if (!json_is_object(obj))
		return lf_error_set(err, LF_ERR_INPUT, "expected a json object per line");
	if (json_object_size(obj) > *cap) {
		size_t n = json_object_size(obj) + 16;
		struct lf_cell *c = realloc(row->cells, n * sizeof(*c));
		if (!c)
			return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		row->cells = c;
		*cap = n;
	}
	json_object_foreach(obj, key, v) {
		struct lf_cell *c = &row->cells[row->n++];
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
