/*
 * gate.c - one run of the capacity gate (gate.h).
 */
#include "gate/capacity.h"
#include "core/grow.h"

#include "gate/routing.h"
#include "score/engine.h"
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct candidate {
	struct lf_lead lead;
	double total;               /* now */
	bool in_pool;
	bool unwritten;             /* its stage moved, its row not yet written */
};

struct run {
	const struct lf_capacity_settings *set;
	const struct lf_model_def *def;
	int version;
	lf_time_ms now;
	struct candidate *c;
	size_t n, cap;
};

/* The total as of now: the saved engine state decayed to now, else as stored. */
static double total_now(const struct run *g, const struct lf_lead *l, const void *state,
			size_t len)
{
	struct lf_score_state st;
	double total = l->total;
	if (state && len && l->model_version == g->version &&
	    !lf_score_state_decode(&st, g->def, g->version, state, len)) {
		total = l->fit + lf_score_engagement(&st, g->now);
		lf_score_state_release(&st);
	}
	return total;
}

static enum lf_result add_candidate(void *ctx, const struct lf_lead *lead, const void *state,
				    size_t len)
{
	struct run *g = ctx;
	struct candidate *c;
	if (LF_GROW(g->c, g->n, g->cap, 1024))
		return LF_ERR_NOMEM;
	c = &g->c[g->n];
	if (lf_lead_copy(&c->lead, lead))
		return LF_ERR_NOMEM;
	c->total = total_now(g, lead, state, len);
	c->in_pool = false;
	c->unwritten = false;
	g->n++;
	return LF_OK;
}

/* Hand-raisers first (earliest first), then the highest total, then the oldest id. */
static int by_priority(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	bool hx = x->lead.hand_raiser_at != 0, hy = y->lead.hand_raiser_at != 0;
	if (x->in_pool != y->in_pool)
		return x->in_pool ? -1 : 1;
	if (hx != hy)
		return hx ? -1 : 1;
	if (hx && x->lead.hand_raiser_at != y->lead.hand_raiser_at)
		return x->lead.hand_raiser_at < y->lead.hand_raiser_at ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return (x->lead.id > y->lead.id) - (x->lead.id < y->lead.id);
}

/* Candidates in id order (the rows written at the end of a run, in turn). */
static int by_id(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return (x->lead.id > y->lead.id) - (x->lead.id < y->lead.id);
}

/*
 * Moves c's lead to stage to (owner: 0 for none) with a transition by the
 * gate; the lead's row is written now, or (write false) at the end of the run
 * (run_in_tx), so that a lead entering the pool and released in the same run
 * is written once.
 */
static enum lf_result move(struct lf_store *s, struct candidate *c, enum lf_stage to,
			   int64_t owner, const struct lf_sla_terms *sla, const char *note,
			   lf_time_ms now, bool write, struct lf_error *err)
{
	struct lf_move m = { .to = to, .actor = "gate", .at = now, .note = note,
			     .owner = owner, .sla = sla,
			     .row = write ? LF_MOVE_ROW_STAGE : LF_MOVE_ROW_LATER };
	enum lf_result r = lf_move_lead(s, &c->lead, &m, NULL, err);
	if (!r)
		c->unwritten = !write;
	return r;
}

static enum lf_result last_mark(void *ctx, const struct lf_gate_mark *m)
{
	*(struct lf_gate_mark *)ctx = *m;
	return LF_OK;
}

/* Enters qualified leads into the pool and sends the fallen back; marks the pool. */
static enum lf_result settle_pool(struct lf_store *s, struct run *g, double floor,
				  struct lf_gate_result *out, struct lf_error *err)
{
	char note[128];
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < g->n && !r; i++) {
		struct candidate *c = &g->c[i];
		bool qualified = c->lead.hand_raiser_at || c->total >= floor;
		c->in_pool = qualified;
		if (c->lead.stage == LF_STAGE_LEAD && qualified) {
			if (c->lead.hand_raiser_at)
				snprintf(note, sizeof(note), "raised their hand");
			else
				snprintf(note, sizeof(note), "total %.1f reached the floor %.1f",
					 c->total, floor);
			r = move(s, c, LF_STAGE_MQL, 0, NULL, note, g->now, false, err);
			out->entered++;
		} else if (c->lead.stage == LF_STAGE_MQL && !qualified) {
			snprintf(note, sizeof(note), "total %.1f fell below the floor %.1f: back to"
				 " nurture", c->total, floor);
			r = move(s, c, LF_STAGE_LEAD, 0, NULL, note, g->now, true, err);
			out->nurtured++;
		}
	}
	return r;
}

static enum lf_result release(struct lf_store *s, struct run *g, struct lf_capacity *cap,
			      const struct lf_routing *routing, struct lf_gate_result *out,
			      struct lf_error *err)
{
	double last = 0, top_waiting = 0;
	char note[160];
	enum lf_result r = LF_OK;
	if (g->n)
		qsort(g->c, g->n, sizeof(*g->c), by_priority);
	for (size_t i = 0; i < g->n && !r; i++) {
		struct candidate *c = &g->c[i];
		const char *pool;
		struct lf_rep_capacity *rep;
		if (!c->in_pool)
			continue;
		if (!(pool = lf_routing_pool(routing, &c->lead, g->now))) {
			r = lf_store_lead_move(s, c->lead.id, LF_STAGE_MQL, 0, "manager", g->now, err);
			c->unwritten = false;
			out->to_managers++;
		} else if (!(rep = lf_capacity_pick(cap, pool, LF_TIER_SDR, 0))) {
			if (!out->waiting++)
				top_waiting = c->total;
		} else {
			snprintf(note, sizeof(note), "pool %s: %d free slots", pool, rep->free_slots);
			r = move(s, c, LF_STAGE_ASSIGNED, rep->rep.id, &g->set->sla, note, g->now,
				 false, err);
			rep->free_slots--;
			rep->last_assigned = g->now;
			last = c->total;
			out->released++;
		}
	}
	/* the bar: the last lead that fitted when some wait, above the best waiting
	 * one when none fitted, the floor when everyone fits; never below it */
	out->threshold = out->floor;
	if (out->waiting)
		out->threshold = out->released ? last : top_waiting;
	if (out->threshold < out->floor)
		out->threshold = out->floor;
	return r;
}

static enum lf_result run_in_tx(struct lf_store *s, const struct lf_capacity_settings *set,
				const struct lf_model_def *def, int version,
				struct lf_gate_result *out, struct lf_error *err)
{
	struct run g = { .set = set, .def = def, .version = version, .now = set->now };
	struct lf_capacity cap;
	struct lf_routing routing;
	struct lf_gate_mark prev = { 0 }, mark;
	enum lf_result r;

	if ((r = lf_routing_load(s, &routing, err)))
		return r;
	if ((r = lf_capacity_compute(s, set, &cap, err))) {
		lf_routing_release(&routing);
		return r;
	}
	out->free_slots = cap.free_slots;
	r = lf_store_gate_candidates(s, def->floor, add_candidate, &g, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	if (!r)
		r = settle_pool(s, &g, def->floor, out, err);
	if (!r)
		r = release(s, &g, &cap, &routing, out, err);
	/* the rows of the leads moved, written once each, in id order: the
	 * table's and its indexes' pages are then visited in turn, not at random */
	if (g.n)
		qsort(g.c, g.n, sizeof(*g.c), by_id);
	for (size_t i = 0; i < g.n && !r; i++)
		if (g.c[i].unwritten)
			r = lf_store_lead_move(s, g.c[i].lead.id, g.c[i].lead.stage,
					       g.c[i].lead.owner_rep_id, NULL, set->now, err);
	if (!r)
		r = lf_store_gate_history(s, 1, last_mark, &prev, err);
	if (!r && (!prev.at || prev.threshold != out->threshold)) {
		mark = (struct lf_gate_mark){ set->now, out->threshold, out->floor,
					      out->free_slots, out->waiting, out->released };
		out->threshold_changed = true;
		r = lf_store_gate_record(s, &mark, err);
	}
	for (size_t i = 0; i < g.n; i++)
		lf_lead_release(&g.c[i].lead);
	free(g.c);
	lf_capacity_release(&cap);
	lf_routing_release(&routing);
	return r;
}

struct status_ctx {
	struct lf_gate_status *st;
	lf_time_ms today;
};

static enum lf_result status_mark(void *ctx, const struct lf_gate_mark *m)
{
	struct status_ctx *c = ctx;
	if (!c->st->ran) {
		c->st->last = *m;
		c->st->ran = true;
	}
	if (m->at >= c->today)
		c->st->released_today += m->released;
	return m->at >= c->today ? LF_OK : LF_ERR_NOT_FOUND; /* older: stop */
}

static enum lf_result status_count(void *ctx, enum lf_stage stage, const char *source,
				   int64_t n)
{
	(void)source;
	if (stage == LF_STAGE_MQL)
		((struct lf_gate_status *)ctx)->pool += n;
	return LF_OK;
}

enum lf_result lf_gate_status(struct lf_store *s, const struct lf_capacity_settings *set,
			      struct lf_gate_status *out, struct lf_error *err)
{
	struct status_ctx c = { out, set->now - set->now % 86400000LL };
	enum lf_result r;
	memset(out, 0, sizeof(*out));
	r = lf_store_gate_history(s, 0, status_mark, &c, err);
	if (r == LF_ERR_NOT_FOUND && out->ran)
		r = LF_OK;
	if (!r && !(r = lf_store_lead_counts(s, status_count, out, err)))
		r = lf_capacity_compute(s, set, &out->cap, err);
	return r;
}

void lf_gate_status_release(struct lf_gate_status *st)
{
	if (!st)
		return;
	lf_capacity_release(&st->cap);
}

enum lf_result lf_gate_run_model(struct lf_store *s, const struct lf_capacity_settings *set,
				 const struct lf_model_def *def, int version,
				 struct lf_gate_result *out, struct lf_error *err)
{
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	out->floor = def->floor;
	if (!(r = lf_store_begin(s, err))) {
		r = run_in_tx(s, set, def, version, out, err);
		if (!r)
			r = lf_store_commit(s, err);
		if (r)
			lf_store_rollback(s);
	}
	return r;
}

enum lf_result lf_gate_run(struct lf_store *s, const struct lf_capacity_settings *set,
			   struct lf_gate_result *out, struct lf_error *err)
{
	struct lf_model_def def;
	int version;
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	r = lf_model_active(s, &def, &version, err);
	if (r == LF_ERR_NOT_FOUND)
		return lf_error_set(err, LF_ERR_CONFLICT, "the gate needs an active model: add one"
				    " and activate it");
	if (r)
		return r;
	r = lf_gate_run_model(s, set, &def, version, out, err);
	lf_model_def_release(&def);
	return r;
}
