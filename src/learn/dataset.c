/*
 * dataset.c - the closed leads as columns (dataset.h). Leads imported
 * together list their attributes in the same order, so a lead's attribute
 * is looked for first where the lead before had it; every event and every
 * transition is read in one scan each, in lead order beside the rows.
 */
#include "learn/dataset.h"
#include "core/grow.h"

#include "core/names.h"
#include "core/seek.h"
#include "lifecycle/lifecycle.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE -1
#define T_MISSING LF_CELL_MISSING
#define T_NUMBER LF_CELL_NUMBER
#define MAX_ATTR_CACHE LF_DATASET_ATTR_CACHE

static const char *const text_fields[] = { "company", "title", "country", "industry",
					   "source", "campaign" };
#define NTEXT (sizeof(text_fields) / sizeof(text_fields[0]))

static int label(enum lf_stage stage, bool won)
{
	switch (stage) {
	case LF_STAGE_WON: return 1;
	case LF_STAGE_LOST: return won ? 0 : 1;     /* lost after an opportunity: reached sql */
	case LF_STAGE_SQL: case LF_STAGE_OPPORTUNITY: return won ? NONE : 1;
	case LF_STAGE_DISQUALIFIED: case LF_STAGE_RECYCLED: return 0;
	default: return NONE;
	}
}

static enum lf_result intern(struct lf_dataset *d, const char *s, int32_t *id)
{
	int64_t k;
	if (lf_strmap_get(&d->textmap, s, &k)) {
		*id = (int32_t)k;
		return LF_OK;
	}
	if (d->ntexts == d->captexts) {
		size_t cap = d->captexts ? d->captexts * 2 : 256;
		char **v = realloc(d->texts, cap * sizeof(*v));
		if (!v)
			return LF_ERR_NOMEM;
		d->texts = v;
		d->captexts = cap;
	}
	if (!(d->texts[d->ntexts] = strdup(s)))
		return LF_ERR_NOMEM;
	*id = (int32_t)d->ntexts;
	return lf_strmap_put(&d->textmap, d->texts[d->ntexts++], *id);
}

/* The column of a field, made when new (-1: excluded). */
static enum lf_result column(struct lf_dataset *d, const char *name, bool event, int64_t *col)
{
	struct lf_strmap *map = event ? &d->evmap : &d->colmap;
	if (lf_strmap_get(map, name, col))
		return LF_OK;
	*col = -1;
	/* answers to qualification questions come at accept or qualify, after the
	 * decision a model scores: learning from them would tell it the outcome */
	bool answer = !event && !strncmp(name, "answer_", 7);
	/* nor from a deal's value, known once the opportunity is open */
	bool outcome = !event && !strcmp(name, LF_VALUE_FIELD);
	if (event || (!answer && !outcome && !lf_names_has(d->o.exclude, name, true))) {
		/* (a trailing * in exclude takes a prefix) */
		struct lf_column *v = realloc(d->cols, (d->ncols + 1) * sizeof(*v));
		if (!v)
			return LF_ERR_NOMEM;
		d->cols = v;
		v = &d->cols[d->ncols];
		memset(v, 0, sizeof(*v));
		v->event = event;
		if (!(v->name = strdup(name)))
			return LF_ERR_NOMEM;
		if (event ? !(v->x = calloc(d->cap ? d->cap : 1, sizeof(*v->x)))
			  : !(v->v = malloc((d->cap ? d->cap : 1) * sizeof(*v->v))))
			return LF_ERR_NOMEM;
		for (size_t i = 0; !event && i <= d->n && i < d->cap; i++) /* this row too */
			v->v[i] = T_MISSING;
		*col = (int64_t)d->ncols++;
	}
	return lf_strmap_put(map, name, *col);
}

/*
 * The column of the a-th attribute of a lead. Leads imported together list
 * their attributes in the same order (sorted by name), so the name at the
 * same place in the lead before is tried first: one string compare instead
 * of a hash lookup.
 */
static enum lf_result attr_column(struct lf_dataset *d, size_t a, const char *name, int64_t *col)
{
	enum lf_result r;
	if (a < MAX_ATTR_CACHE && d->last_name[a] && !strcmp(d->last_name[a], name)) {
		*col = d->last_col[a];
		return LF_OK;
	}
	if ((r = column(d, name, false, col)) || a >= MAX_ATTR_CACHE)
		return r;
	/* the map's own copy of the name, left-out names included: it lives as
	 * long as the map */
	d->last_name[a] = lf_strmap_key(&d->colmap, name);
	d->last_col[a] = *col;
	return LF_OK;
}

static enum lf_result set_number(struct lf_dataset *d, int64_t col, double x)
{
	enum lf_result r = lf_doubles_push(&d->nums, x);
	if (!r)
		d->cols[col].v[d->n] = T_NUMBER - (int32_t)(d->nums.n - 1);
	return r;
}

static enum lf_result set_cell(struct lf_dataset *d, int64_t col, const struct lf_value *v)
{
	int32_t *c = &d->cols[col].v[d->n];
	switch (v ? v->type : LF_VAL_NULL) {
	case LF_VAL_NULL:
		return LF_OK;
	case LF_VAL_NUMBER:
		return set_number(d, col, v->num);
	case LF_VAL_BOOL:
		d->cols[col].is_bool = true;
		*c = v->b ? 1 : 0;   /* "false" and "true" are interned first */
		return LF_OK;
	case LF_VAL_STRING:
		return intern(d, v->str, c);
	}
	return LF_OK;
}

static enum lf_result grow_rows(struct lf_dataset *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;
	struct lf_row *rs = realloc(d->rows, cap * sizeof(*rs));
	if (!rs)
		return LF_ERR_NOMEM;
	d->rows = rs;
	for (size_t c = 0; c < d->ncols; c++) {
		int32_t *v = realloc(d->cols[c].v, cap * sizeof(*v));
		if (!v)
			return LF_ERR_NOMEM;
		d->cols[c].v = v;
	}
	d->cap = cap;
	return LF_OK;
}

static enum lf_result take(void *ctx, const struct lf_lead *l)
{
	struct lf_dataset *d = ctx;
	int y = label(l->stage, d->o.outcome_won);
	double t0;
	enum lf_result r = LF_OK;
	int64_t col;

	if (y == NONE || (d->o.to && l->created_at >= d->o.to))
		return LF_OK;
	if (!d->o.with_sales && lf_source_is_sales(l->source)) {
		d->sales_closed++;   /* sales' own: marketing's model does not learn from them */
		return LF_OK;
	}
	t0 = lf_clock_seconds();
	if (d->n == d->cap && (r = grow_rows(d)))
		return r;
	for (size_t c = 0; c < d->ncols; c++)
		d->cols[c].v[d->n] = T_MISSING;   /* no event columns yet */
	for (size_t k = 0; k < NTEXT && !r; k++) {
		const char *s = *(char *const *)((const char *)l + d->text_offsets[k]);
		if (d->field_col[k] >= 0 && s)
			r = intern(d, s, &d->cols[d->field_col[k]].v[d->n]);
	}
	if (!r && d->field_col[NTEXT] >= 0 && !isnan(l->employees))
		r = set_number(d, d->field_col[NTEXT], l->employees);
	for (size_t a = 0; a < l->attrs.n && !r; a++)
		if (!(r = attr_column(d, a, l->attrs.items[a].name, &col)) && col >= 0)
			r = set_cell(d, col, &l->attrs.items[a].v);
	if (r)
		return r;
	d->rows[d->n++] = (struct lf_row){ l->id, y, 0, 0 };
	d->take_seconds += lf_clock_seconds() - t0;
	return LF_OK;
}

/* --- engagement before the decision ---------------------------------------- */

/*
 * Every event and every transition is read in one pass each, in lead order,
 * beside the rows (in lead order too): a few scans instead of two queries a
 * lead.
 */
struct seen_event { size_t row; int64_t col; lf_time_ms at; };

struct history {
	struct lf_dataset *d;
	size_t i;                   /* the row at or after the current lead */
	struct seen_event *ev;
	size_t n, cap;
};

/* The row of a lead, or NULL when it is not one (the scans come in lead order). */
static struct lf_row *row_of(struct history *h, int64_t lead_id)
{
	return lf_seek_id(h->d->rows, h->d->n, sizeof(struct lf_row), offsetof(struct lf_row, id),
			  &h->i, lead_id) ? &h->d->rows[h->i] : NULL;
}

static enum lf_result take_transition(void *ctx, const struct lf_transition *t)
{
	struct lf_row *r = row_of(ctx, t->lead_id);
	if (r)
		lf_decision_note(&r->decided_at, t);
	return LF_OK;
}

static enum lf_result take_event(void *ctx, const struct lf_event *e)
{
	struct history *h = ctx;
	int64_t col;
	enum lf_result r;
	if (!row_of(h, e->lead_id))
		return LF_OK;
	if ((r = column(h->d, e->type, true, &col)))
		return r;
	if (LF_GROW(h->ev, h->n, h->cap, 4096))
		return LF_ERR_NOMEM;
	h->ev[h->n++] = (struct seen_event){ h->i, col, e->occurred_at };
	return LF_OK;
}

/*
 * Each row's decision time and, per event type, the decayed count at that
 * time of the events before it (what the engine's engagement rules count);
 * events after the decision are sales' doing or the outcome's, left out.
 */
static enum lf_result engagement(struct lf_store *s, struct lf_dataset *d, struct lf_error *err)
{
	struct history h = { d, 0, NULL, 0, 0 };
	double ms = d->o.half_life_days * (double)LF_MS_PER_DAY;
	enum lf_result r = lf_store_event_list(s, 0, take_event, &h, err);
	if (!r && h.n) {
		h.i = 0;
		r = lf_store_transition_list(s, 0, take_transition, &h, err);
	}
	for (size_t k = 0; k < h.n && !r; k++) {
		const struct lf_row *row = &d->rows[h.ev[k].row];
		if (row->decided_at && h.ev[k].at < row->decided_at)
			d->cols[h.ev[k].col].x[h.ev[k].row] +=
				exp2(-(double)(row->decided_at - h.ev[k].at) / ms);
	}
	free(h.ev);
	return r;
}


enum lf_result lf_dataset_read(struct lf_store *s, const struct lf_dataset_options *o,
			       struct lf_dataset *d, struct lf_error *err)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	int32_t id;
	double t0;
	enum lf_result r;

	memset(d, 0, sizeof(*d));
	d->o = *o;
	lf_strmap_init(&d->colmap);
	lf_strmap_init(&d->evmap);
	lf_strmap_init(&d->textmap);
	for (size_t k = 0; k < NTEXT; k++)
		for (size_t i = 0; i < lf_lead_text_field_count; i++)
			if (!strcmp(lf_lead_text_fields[i].name, text_fields[k]))
				d->text_offsets[k] = lf_lead_text_fields[i].offset;
	if ((r = intern(d, "false", &id)) || (r = intern(d, "true", &id)))
		goto out;
	for (size_t k = 0; k <= NTEXT && !r; k++)
		r = column(d, k < NTEXT ? text_fields[k] : "employees", false, &d->field_col[k]);
	if (r)
		goto out;
	t0 = lf_clock_seconds();
	if (!(r = lf_store_lead_list(s, &f, take, d, err)))
		r = engagement(s, d, err);
	d->read_seconds = lf_clock_seconds() - t0 - d->take_seconds;
out:
	return r == LF_ERR_NOMEM ? lf_error_set(err, r, "out of memory") : r;
}

void lf_dataset_release(struct lf_dataset *d)
{
	if (!d)
		return;
	for (size_t c = 0; c < d->ncols; c++) {
		free(d->cols[c].name);
		free(d->cols[c].v);
		free(d->cols[c].x);
	}
	free(d->cols);
	lf_doubles_release(&d->nums);
	for (size_t k = 0; k < d->ntexts; k++)
		free(d->texts[k]);
	free(d->texts);
	lf_strmap_release(&d->colmap);
	lf_strmap_release(&d->evmap);
	lf_strmap_release(&d->textmap);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}
