/*
 * apply.c - prepared records into the store. Leads are looked up by
 * external id, else email, merged with what the row names, and written only
 * when something changed (with a transition when the stage did). Events and
 * touches are inserted idempotently; a repeated event id with other content
 * is a conflict, never a silent overwrite.
 */
#include "ingest/apply.h"
#include <leadflow/rep.h>
#include "move/move.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lf_applier_init(struct lf_applier *a, struct lf_store *s,
		     struct lf_import_summary *sum)
{
	a->s = s;
	a->sum = sum;
	a->now = lf_time_now();
	a->live = NULL;
	a->actor = "import";
	lf_strmap_init(&a->leads);
	lf_strmap_init(&a->reps);
	lf_strmap_init(&a->spent);
}

void lf_applier_release(struct lf_applier *a)
{
	if (!a)
		return;
	lf_strmap_release(&a->leads);
	lf_strmap_release(&a->reps);
	for (size_t i = 0; i < a->nspend; i++) {
		free(a->spend[i].channel);
		free(a->spend[i].campaign);
	}
	free(a->spend);
	lf_strmap_release(&a->spent);
}

/*
 * "e:<email>" or "x:<external id>", whole: a key cut short would make two
 * long ids with the same start one lead. In k when it fits, else allocated
 * (*heap, which the caller frees); NULL when out of memory.
 */
static char *cache_key(char *k, size_t cap, enum lf_lead_key key, const char *value,
		       char **heap)
{
	size_t n = strlen(value);
	*heap = NULL;
	if (n + 3 > cap && !(k = *heap = malloc(n + 3)))
		return NULL;
	k[0] = key == LF_KEY_EMAIL ? 'e' : 'x';
	k[1] = ':';
	memcpy(k + 2, value, n + 1);
	return k;
}

/* The id of the lead with that key, 0 when there is none (LF_ERR_NOT_FOUND). */
static enum lf_result cached_lead(struct lf_applier *a, enum lf_lead_key key,
				  const char *value, int64_t *id, struct lf_error *err)
{
	char buf[600], *heap, *k = cache_key(buf, sizeof(buf), key, value, &heap);
	struct lf_lead l;
	enum lf_result r;

	if (!k)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if (lf_strmap_get(&a->leads, k, id)) {
		free(heap);
		return *id ? LF_OK : LF_ERR_NOT_FOUND;
	}
	r = lf_store_lead_find(a->s, key, value, &l, err);
	if (r && r != LF_ERR_NOT_FOUND) {
		free(heap);
		return r;
	}
	*id = r ? 0 : l.id;
	if (!r)
		lf_lead_release(&l);
	r = lf_strmap_put(&a->leads, k, *id) ? lf_error_set(err, LF_ERR_NOMEM, "out of memory")
	    : *id ? LF_OK : LF_ERR_NOT_FOUND;
	free(heap);
	return r;
}

static enum lf_result remember_lead(struct lf_applier *a, const struct lf_lead *l)
{
	static const enum lf_lead_key keys[2] = { LF_KEY_EXTERNAL_ID, LF_KEY_EMAIL };
	const char *values[2] = { l->external_id, l->email };
	for (int i = 0; i < 2; i++) {
		char buf[600], *heap, *k;
		if (!values[i])
			continue;
		if (!(k = cache_key(buf, sizeof(buf), keys[i], values[i], &heap)) ||
		    lf_strmap_put(&a->leads, k, l->id)) {
			free(heap);
			return LF_ERR_NOMEM;
		}
		free(heap);
	}
	return LF_OK;
}

/* --- leads ----------------------------------------------------------- */

/* The stored lead with the values the row names laid over it. */
static enum lf_result merge(const struct lf_lead *old, const struct lf_record *in,
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
	if (in->other[LF_IN_EMPLOYEES])
		out->employees = in->lead.employees;
	if (in->other[LF_IN_CREATED_AT])
		out->created_at = in->lead.created_at;
	if (in->other[LF_IN_STAGE])
		out->stage = in->lead.stage;
	for (size_t i = 0; i < in->attrs.n; i++) {
		const struct lf_attr *at = &in->attrs.items[i];
		if (at->v.type == LF_VAL_NULL)
			lf_attrs_remove(&out->attrs, at->name);
		else if (lf_attrs_set(&out->attrs, at->name, &at->v))
			return LF_ERR_NOMEM;
	}
	return LF_OK;
}

static enum lf_result rep_id(struct lf_applier *a, const char *name, const char *field,
			     int64_t *id, struct lf_error *err);

/*
 * One move of a row's lead (as the row left it) from from to to: through the
 * lifecycle's door, which writes no row here (the import has written it).
 */
static enum lf_result one_stage(struct lf_applier *a, const struct lf_lead *lead,
				enum lf_stage from, enum lf_stage to, lf_time_ms at,
				int rating, struct lf_error *err)
{
	struct lf_lead view = *lead;   /* only its scalars change: no copy needed */
	struct lf_move m = { .to = to, .actor = a->actor, .at = at ? at : a->now,
			     .undated = !at, .rating = rating, .owner = -1, .row = LF_MOVE_ROW_LATER };
	view.stage = from;
	if (to == LF_STAGE_ASSIGNED)
		m.owner = lead->owner_rep_id;
	return lf_move_lead(a->s, &view, &m, NULL, err);
}

/*
 * The transitions a row's stage change makes: one, at the row's stage_at;
 * or, for a deal with its opening date, the opening of the opportunity at
 * opened_at and then its outcome at stage_at.
 */
static enum lf_result record_stage(struct lf_applier *a, const struct lf_lead *lead,
				   enum lf_stage from, const struct lf_record *in,
				   struct lf_error *err)
{
	enum lf_stage to = lead->stage;
	unsigned deal = LF_STAGE_BIT(LF_STAGE_OPPORTUNITY) | LF_STAGE_BIT(LF_STAGE_WON) |
			LF_STAGE_BIT(LF_STAGE_LOST);
	enum lf_result r;
	if (from == to)
		return LF_OK;
	if (in->opened_at && (deal & LF_STAGE_BIT(to)) && !(deal & LF_STAGE_BIT(from))) {
		if (to == LF_STAGE_OPPORTUNITY)
			return one_stage(a, lead, from, to, in->opened_at, in->rating, err);
		if ((r = one_stage(a, lead, from, LF_STAGE_OPPORTUNITY, in->opened_at, 0, err)))
			return r;
		from = LF_STAGE_OPPORTUNITY;
	}
	return one_stage(a, lead, from, to, in->stage_at, in->rating, err);
}

/* The owner a row names, as a rep id (a new name makes a new rep). */
static enum lf_result row_owner(struct lf_applier *a, const struct lf_record *in,
				int64_t *owner, struct lf_error *err)
{
	if (!in->owner || !*in->owner)
		return LF_OK;
	return rep_id(a, in->owner, "owner", owner, err);
}

/* Writes in over the stored lead id (unchanged when it changes nothing). */
static enum lf_result update_lead(struct lf_applier *a, int64_t id, struct lf_record *in,
				  struct lf_error *err)
{
	struct lf_lead old, merged;
	int64_t other = 0;
	enum lf_result r = LF_OK;

	lf_lead_init(&old);
	lf_lead_init(&merged);
	/* an email that another lead already has is a conflict, not a merge */
	if (in->lead.email) {
		r = cached_lead(a, LF_KEY_EMAIL, in->lead.email, &other, err);
		if (r && r != LF_ERR_NOT_FOUND)
			goto out;
		r = LF_OK;
		if (other && other != id) {
			r = lf_error_field(err, LF_ERR_CONFLICT, "email",
					   "email '%s' belongs to another lead (%lld)",
					   in->lead.email, (long long)other);
			goto out;
		}
	}
	if ((r = lf_store_lead_get(a->s, id, &old, err)))
		goto out;
	/* found by email, but the lead has another external id: two records of the
	 * source for one person; taking the row would flip the id at every run */
	if (in->lead.external_id && old.external_id &&
	    strcmp(in->lead.external_id, old.external_id)) {
		r = lf_error_field(err, LF_ERR_CONFLICT, "external_id", "email '%s' belongs to "
				   "lead %lld, whose external id is '%s', not '%s': two records "
				   "for one person (merge them at the source)",
				   in->lead.email ? in->lead.email : "", (long long)id,
				   old.external_id, in->lead.external_id);
		goto out;
	}
	if ((r = merge(&old, in, &merged)) || (r = row_owner(a, in, &merged.owner_rep_id, err)))
		goto out;
	in->lead.id = id; /* the caller learns which lead the row was */
	if (lf_lead_same_content(&old, &merged)) {
		a->sum->unchanged++;
		goto out;
	}
	merged.updated_at = a->now;
	if ((r = lf_store_lead_update(a->s, &merged, err)) ||
	    (r = record_stage(a, &merged, old.stage, in, err)) ||
	    (r = remember_lead(a, &merged)) ||
	    (r = lf_live_lead(a->live, &merged, err)))
		goto out;
	a->sum->updated++;
out:
	lf_lead_release(&old);
	lf_lead_release(&merged);
	return r;
}

static enum lf_result apply_lead(struct lf_applier *a, struct lf_record *in,
				 struct lf_error *err)
{
	int64_t id = 0;
	enum lf_result r = LF_OK;

	if (!lf_record_has_key(in, err))
		return LF_ERR_INPUT;
	if (in->lead.external_id)
		r = cached_lead(a, LF_KEY_EXTERNAL_ID, in->lead.external_id, &id, err);
	if (!id && in->lead.email && (!r || r == LF_ERR_NOT_FOUND))
		r = cached_lead(a, LF_KEY_EMAIL, in->lead.email, &id, err);
	if (r && r != LF_ERR_NOT_FOUND)
		return r;
	if (id)
		return update_lead(a, id, in, err);
	if (!in->other[LF_IN_CREATED_AT])
		in->lead.created_at = a->now;
	in->lead.updated_at = a->now;
	/* the attributes a new lead's row leaves empty are simply absent */
	for (size_t i = 0; i < in->attrs.n; i++)
		if (in->attrs.items[i].v.type != LF_VAL_NULL &&
		    (r = lf_attrs_set(&in->lead.attrs, in->attrs.items[i].name,
				      &in->attrs.items[i].v)))
			return lf_error_set(err, r, "out of memory");
	if ((r = row_owner(a, in, &in->lead.owner_rep_id, err)))
		return r;
	if (lf_source_is_sales(in->lead.source) && !in->other[LF_IN_STAGE]) {
		/* SPEC 4: a lead sales found itself starts at sql, owned by who adds it */
		in->lead.stage = LF_STAGE_SQL;
		if (!in->lead.owner_rep_id)
			in->lead.owner_rep_id = a->adder_rep_id;
		if (!in->lead.owner_rep_id && a->reps_known)
			return lf_error_field(err, LF_ERR_INPUT, "rep_id", "a lead sales found "
					      "itself (source '%s') is owned by the rep who adds "
					      "it: name the rep", LF_SOURCE_SALES);
	}
	if ((r = lf_store_lead_insert(a->s, &in->lead, err)) ||
	    (r = record_stage(a, &in->lead, LF_STAGE_LEAD, in, err)) ||
	    (r = remember_lead(a, &in->lead)) ||
	    (r = lf_live_lead(a->live, &in->lead, err)))
		return r;
	a->sum->inserted++;
	return LF_OK;
}

enum lf_result lf_apply_lead_update(struct lf_applier *a, int64_t id, struct lf_record *rec,
				    struct lf_error *err)
{
	return update_lead(a, id, rec, err);
}

/* --- events and touches ---------------------------------------------- */

static enum lf_result resolve_lead(struct lf_applier *a, struct lf_lead_ref *ref,
				   lf_time_ms created, int64_t *id, struct lf_error *err)
{
	enum lf_result r;
	struct lf_lead l;

	switch (ref->kind) {
	case LF_REF_ID:
		r = lf_store_lead_get(a->s, ref->id, &l, err);
		if (r == LF_ERR_NOT_FOUND)
			return lf_error_field(err, r, ref->column, "unknown lead id %lld",
					      (long long)ref->id);
		if (!r) {
			*id = l.id;
			lf_lead_release(&l);
		}
		return r;
	case LF_REF_EXTERNAL:
		r = cached_lead(a, LF_KEY_EXTERNAL_ID, ref->text, id, err);
		if (r == LF_ERR_NOT_FOUND)
			return lf_error_field(err, r, ref->column,
					      "unknown lead external id '%s': import the "
					      "leads first", ref->text);
		return r;
	case LF_REF_EMAIL:
		r = cached_lead(a, LF_KEY_EMAIL, ref->text, id, err);
		if (r != LF_ERR_NOT_FOUND)
			return r;
		/* activity from an email nobody knows yet is a new lead */
		lf_lead_init(&l);
		l.email = ref->text;
		l.created_at = created;
		l.updated_at = a->now;
		r = lf_store_lead_insert(a->s, &l, err);
		if (!r)
			r = remember_lead(a, &l);
		if (!r)
			r = lf_live_lead(a->live, &l, err);
		*id = l.id;
		l.email = NULL;
		lf_lead_release(&l);
		return r;
	default:
		return lf_error_set(err, LF_ERR_INPUT, "the row names no lead");
	}
}

enum lf_result lf_apply_event_prepare(struct lf_applier *a, struct lf_record *rec,
				      struct lf_error *err)
{
	struct lf_event *e = &rec->event;

	/* an event from the future would score nothing until then: a clock or a
	 * time zone is wrong, and saying so beats storing it silently */
	if (e->occurred_at > a->now + LF_EVENT_AHEAD_MS)
		return lf_error_field(err, LF_ERR_INPUT, "occurred_at", "event '%s' is dated %.1f "
				      "hours ahead of now; more than %d ahead is refused (check "
				      "the sender's clock and time zone)", e->id,
				      (double)(e->occurred_at - a->now) / 3600000.0,
				      (int)(LF_EVENT_AHEAD_MS / 3600000));
	if (rec->ref.kind == LF_REF_ID) {
		/* the store's foreign key checks the lead: no read needed */
		e->lead_id = rec->ref.id;
		return LF_OK;
	}
	return resolve_lead(a, &rec->ref, e->occurred_at, &e->lead_id, err);
}

enum lf_result lf_apply_event_stored(struct lf_applier *a, struct lf_record *rec,
				     bool inserted, struct lf_error *err)
{
	struct lf_event *e = &rec->event, old = { 0 };
	enum lf_result r;

	if (inserted) {
		a->sum->inserted++;
		return lf_live_event(a->live, e, &rec->props, err);
	}
	if ((r = lf_store_event_get(a->s, e->id, &old, err)))
		return r;
	if (old.lead_id == e->lead_id && !strcmp(old.type, e->type) &&
	    old.occurred_at == e->occurred_at && !strcmp(old.properties, e->properties))
		a->sum->unchanged++;
	else
		r = lf_error_field(err, LF_ERR_CONFLICT, "id",
				   "duplicate event id '%s': already stored with different "
				   "content", e->id);
	lf_event_release(&old);
	return r;
}

enum lf_result lf_apply_event_insert(struct lf_applier *a, struct lf_record *rec,
				     struct lf_error *err)
{
	enum lf_result r;
	bool inserted;

	r = lf_store_event_insert(a->s, &rec->event, &inserted, err);
	if (r == LF_ERR_NOT_FOUND && rec->ref.kind == LF_REF_ID)
		return lf_error_field(err, r, rec->ref.column, "unknown lead id %lld",
				      (long long)rec->ref.id);
	return r ? r : lf_apply_event_stored(a, rec, inserted, err);
}

static enum lf_result apply_event(struct lf_applier *a, struct lf_record *rec,
				  struct lf_error *err)
{
	enum lf_result r = lf_apply_event_prepare(a, rec, err);
	return r ? r : lf_apply_event_insert(a, rec, err);
}

static enum lf_result rep_id(struct lf_applier *a, const char *name, const char *field,
			     int64_t *id, struct lf_error *err)
{
	struct lf_rep rep = { 0 };
	enum lf_result r;

	if (lf_strmap_get(&a->reps, name, id))
		return LF_OK;
	/* a single row's rep must exist (the lookup names the close ones); a
	 * file's new names become reps */
	r = a->reps_known ? lf_rep_lookup(a->s, name, false, field, &rep, err)
			  : lf_store_rep_find(a->s, name, &rep, err);
	if (r == LF_ERR_NOT_FOUND && !a->reps_known) {
		/* reps named by a CRM export are taken as they come */
		struct lf_rep fresh = { .name = (char *)name, .weekly_hours = 40,
					.max_active = 50 };
		r = lf_store_rep_insert(a->s, &fresh, err);
		*id = fresh.id;
	} else if (!r) {
		*id = rep.id;
		lf_rep_release(&rep);
	}
	if (r)
		return r;
	return lf_strmap_put(&a->reps, name, *id);
}

static enum lf_result apply_touch(struct lf_applier *a, struct lf_record *rec,
				  struct lf_error *err)
{
	struct lf_touch *t = &rec->touch;
	enum lf_result r;
	bool inserted;

	if ((r = resolve_lead(a, &rec->ref, t->at, &t->lead_id, err)) ||
	    (rec->rep && (r = rep_id(a, rec->rep, "rep", &t->rep_id, err))))
		return r;
	if (!t->key) {
		/* no id in the file: a touch is known by what it says */
		char key[600];
		snprintf(key, sizeof(key), "%lld|%s|%lld|%.300s|%g", (long long)t->lead_id,
			 t->kind, (long long)t->at, rec->rep ? rec->rep : "", t->minutes);
		if (!(t->key = strdup(key)))
			return LF_ERR_NOMEM;
	}
	if ((r = lf_store_touch_insert(a->s, t, &inserted, err)))
		return r;
	if (inserted)
		a->sum->inserted++;
	else
		a->sum->unchanged++;
	return LF_OK;
}

/* A day's spend, added to its key's until lf_apply_spend_flush writes them. */
static enum lf_result apply_spend(struct lf_applier *a, struct lf_record *rec,
				  struct lf_error *err)
{
	struct lf_spend *sp = &rec->spend;
	char key[640];
	int64_t at = 0;
	(void)err;

	snprintf(key, sizeof(key), "%lld|%.300s|%.300s", (long long)sp->day, sp->channel,
		 sp->campaign);
	if (lf_strmap_get(&a->spent, key, &at)) {
		a->spend[at].amount += sp->amount;
		return LF_OK;
	}
	if (a->nspend == a->spend_cap) {
		size_t cap = a->spend_cap ? 2 * a->spend_cap : 64;
		struct lf_spend *grown = realloc(a->spend, cap * sizeof(*grown));
		if (!grown)
			return LF_ERR_NOMEM;
		a->spend = grown;
		a->spend_cap = cap;
	}
	if (lf_strmap_put(&a->spent, key, (int64_t)a->nspend))
		return LF_ERR_NOMEM;
	a->spend[a->nspend++] = *sp;   /* the strings move over */
	sp->channel = sp->campaign = NULL;
	return LF_OK;
}

enum lf_result lf_apply_spend_flush(struct lf_applier *a, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < a->nspend; i++) {
		bool inserted, changed;
		if (!r && !(r = lf_store_spend_put(a->s, &a->spend[i], false, &inserted, &changed,
						   err))) {
			if (inserted)
				a->sum->inserted++;
			else if (changed)
				a->sum->updated++;
			else
				a->sum->unchanged++;
		}
		free(a->spend[i].channel);
		free(a->spend[i].campaign);
	}
	a->nspend = 0;
	lf_strmap_release(&a->spent);
	lf_strmap_init(&a->spent);
	return r;
}

enum lf_result lf_apply_record(struct lf_applier *a, struct lf_record *rec,
			       struct lf_error *err)
{
	enum lf_result r;

	switch (rec->entity) {
	case LF_ENTITY_LEADS: r = apply_lead(a, rec, err); break;
	case LF_ENTITY_EVENTS: r = apply_event(a, rec, err); break;
	case LF_ENTITY_SPEND: r = apply_spend(a, rec, err); break;
	default: r = apply_touch(a, rec, err);
	}
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}
