/*
 * live.c - incremental scoring (live.h). A small cache maps lead ids to
 * their engine state and fit; an entry is loaded once (state from the
 * store, or rebuilt from the lead's events when missing or made by another
 * model version) and written once, at flush.
 */
#include "score/live.h"
#include "core/grow.h"
#include "score/scoring.h"

#include "core/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	int64_t lead_id;
	struct lf_lead lead;     /* `when` of engagement rules may look at it */
	struct lf_score_state st;
	double fit;
	uint64_t fit_rules;      /* the fit rules that hold (engine.h) */
	bool dirty;
};

struct lf_live {
	struct lf_store *s;
	struct lf_model_def def;
	int version;             /* 0: no active model */
	lf_time_ms now;
	struct entry *entries;
	size_t n, cap;
	struct lf_strmap index;  /* lead id as text -> entry index */
	struct lf_buf buf;
};

enum lf_result lf_live_open(struct lf_store *s, lf_time_ms now, struct lf_live **out,
			    struct lf_error *err)
{
	struct lf_live *l = calloc(1, sizeof(*l));
	enum lf_result r;

	*out = NULL;
	if (!l)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	l->s = s;
	l->now = now;
	lf_strmap_init(&l->index);
	lf_buf_init(&l->buf, 1u << 26);
	/* with no active model, a no-op scorer */
	if ((r = lf_model_keep_active(s, &l->def, &l->version, err))) {
		lf_live_free(l);
		return r;
	}
	*out = l;
	return LF_OK;
}

const struct lf_model_def *lf_live_model(const struct lf_live *l, int *version)
{
	*version = l->version;
	return l->version ? &l->def : NULL;
}

static void clear(struct lf_live *l)
{
	for (size_t i = 0; i < l->n; i++) {
		lf_score_state_release(&l->entries[i].st);
		lf_lead_release(&l->entries[i].lead);
	}
	l->n = 0;
	lf_strmap_release(&l->index);
	lf_strmap_init(&l->index);
}

void lf_live_free(struct lf_live *l)
{
	if (!l)
		return;
	clear(l);
	free(l->entries);
	lf_strmap_release(&l->index);
	lf_buf_release(&l->buf);
	if (l->version)
		lf_model_def_release(&l->def);
	free(l);
}

enum lf_result lf_live_refresh(struct lf_live *l, lf_time_ms now, struct lf_error *err)
{
	clear(l);
	l->now = now;
	return lf_model_keep_active(l->s, &l->def, &l->version, err);
}

struct rebuild {
	struct lf_score_state *st;
	const struct lf_lead *lead;
	const char *skip;        /* the event being added now */
};

static enum lf_result rebuild_event(void *ctx, const struct lf_event *e)
{
	struct rebuild *rb = ctx;
	if (rb->skip && !strcmp(rb->skip, e->id))
		return LF_OK;
	return lf_score_add_stored(rb->st, rb->lead, e, NULL);
}

/* The entry of a lead, loaded or rebuilt on first use. */
static enum lf_result entry_of(struct lf_live *l, int64_t lead_id, const char *skip,
			       const struct lf_lead *known, struct entry **out,
			       struct lf_error *err)
{
	char key[24];
	int64_t idx;
	struct entry *e;
	void *bytes = NULL;
	size_t len;
	enum lf_result r;

	snprintf(key, sizeof(key), "%lld", (long long)lead_id);
	if (lf_strmap_get(&l->index, key, &idx)) {
		*out = &l->entries[idx];
		return LF_OK;
	}
	if (l->n >= LF_LIVE_CACHE_MAX && (r = lf_live_flush(l, err)))
		return r;
	if (LF_GROW(l->entries, l->n, l->cap, 256))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	e = &l->entries[l->n];
	memset(e, 0, sizeof(*e));
	e->lead_id = lead_id;
	/* one read: the lead and the state saved with it */
	if ((r = lf_store_lead_get_scoring(l->s, lead_id, &e->lead, &bytes, &len, err)))
		return r;
	if (known) {
		/* the caller's copy is newer than the store's */
		lf_lead_release(&e->lead);
		if ((r = lf_lead_copy(&e->lead, known))) {
			free(bytes);
			return lf_error_set(err, r, "out of memory");
		}
	}
	e->fit = lf_score_fit_rules(&l->def, &e->lead, l->now, &e->fit_rules);
	if (!bytes || lf_score_state_decode(&e->st, &l->def, l->version, bytes, len)) {
		/* none saved, or saved for another model: rebuild from the events */
		struct rebuild rb = { &e->st, &e->lead, skip };
		if ((r = lf_score_state_init(&e->st, &l->def)) ||
		    (r = lf_store_event_list(l->s, lead_id, rebuild_event, &rb, err))) {
			lf_score_state_release(&e->st);
			goto out;
		}
		e->dirty = true;
	}
	r = lf_strmap_put(&l->index, key, (int64_t)l->n);
	if (r) {
		lf_score_state_release(&e->st);
		goto out;
	}
	l->n++;
	*out = e;
out:
	free(bytes);
	if (r)
		lf_lead_release(&e->lead);
	return r;
}

enum lf_result lf_live_event(struct lf_live *l, const struct lf_event *ev,
			     const struct lf_attrs *given, struct lf_error *err)
{
	struct entry *e;
	int64_t before = 0, after = 0;
	bool need;
	enum lf_result r;

	/* events no rule counts do not load their lead's state */
	if (!l || !l->version || !lf_score_wants(&l->def, ev->type, &need))
		return LF_OK;
	if ((r = entry_of(l, ev->lead_id, ev->id, NULL, &e, err)))
		return r;
	for (size_t i = 0; i < l->def.nengagement; i++)
		before += e->st.acc[i].counted;
	r = lf_score_add_stored(&e->st, &e->lead, ev, given);
	e->dirty = true;
	for (size_t i = 0; i < l->def.nengagement; i++)
		after += e->st.acc[i].counted;
	/* a rule counted engagement after a rejection: back to nurture's lead */
	if (!r && after > before && e->lead.stage == LF_STAGE_RECYCLED)
		r = lf_recycle_on_engagement(l->s, &e->lead, ev->occurred_at, err);
	return r;
}

enum lf_result lf_live_lead(struct lf_live *l, const struct lf_lead *lead,
			    struct lf_error *err)
{
	struct entry *e;
	const struct lf_disq_rule *d;
	enum lf_result r;

	if (!l || !l->version)
		return LF_OK;
	if ((r = entry_of(l, lead->id, NULL, lead, &e, err)))
		return r;
	lf_lead_release(&e->lead);
	if ((r = lf_lead_copy(&e->lead, lead)))
		return lf_error_set(err, r, "out of memory");
	e->fit = lf_score_fit_rules(&l->def, lead, l->now, &e->fit_rules);
	e->dirty = true;
	d = lf_score_disqualified(&l->def, lead, l->now);
	if (d)
		r = lf_disqualify_by_rule(l->s, lead, d->reason, d->why, l->version, l->now, NULL,
					  err);
	return r;
}

enum lf_result lf_live_flush(struct lf_live *l, struct lf_error *err)
{
	enum lf_result r = LF_OK;

	if (!l || !l->version)
		return LF_OK;
	for (size_t i = 0; i < l->n && !r; i++) {
		struct entry *e = &l->entries[i];
		struct lf_lead_score sc;
		if (!e->dirty)
			continue;
		lf_buf_reset(&l->buf);
		if ((r = lf_score_state_encode(&e->st, l->version, &l->buf)))
			break;
		sc.id = e->lead_id;
		sc.fit = e->fit;
		sc.engagement = lf_score_engagement(&e->st, l->now);
		sc.total = sc.fit + sc.engagement;
		sc.model_version = l->version;
		sc.hand_raiser_at = e->st.hand_raiser_at;
		sc.rules = e->fit_rules | lf_score_engaged(&e->st);
		r = lf_store_lead_set_score(l->s, &sc, l->buf.data, l->buf.len, err);
	}
	clear(l);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}
