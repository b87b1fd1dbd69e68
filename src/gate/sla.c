/*
 * sla.c - assignments' clocks: breaches and reassignment (sla.h).
 */
#include "gate/capacity.h"
#include "core/grow.h"

#include <leadflow/json.h>
#include "core/value_json.h"
#include "gate/routing.h"
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE 60000.0

struct open_list {
	struct lf_assignment *a;
	size_t n, cap;
};

static enum lf_result collect(void *ctx, const struct lf_assignment *a)
{
	struct open_list *l = ctx;
	if (LF_GROW(l->a, l->n, l->cap, 64))
		return LF_ERR_NOMEM;
	l->a[l->n++] = *a;
	return LF_OK;
}

struct check {
	struct lf_store *s;
	const struct lf_capacity_settings *set;
	struct lf_capacity cap;
	bool have_cap;
	struct lf_routing routing;
	bool have_routing;
};

static enum lf_result breach(struct check *c, struct lf_assignment *a, struct lf_error *err)
{
	struct lf_lead l;
	json_t *data;
	enum lf_result r;
	if ((r = lf_store_lead_get(c->s, a->lead_id, &l, err)))
		return r;
	a->breached_at = c->set->now;
	data = json_pack("{s:I, s:o, s:I, s:o, s:o, s:b}", "assignment_id", (json_int_t)a->id,
			 "lead", lf_lead_json(&l), "rep_id", (json_int_t)a->rep_id,
			 "assigned_at", lf_time_json(a->at), "due_at", lf_time_json(a->due_at),
			 "hand_raiser", a->hand_raiser);
	r = data ? lf_notify(c->s, "sla.breached", c->set->now, data, err)
		 : lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	json_decref(data);
	lf_lead_release(&l);
	return r;
}

/* Gives a's lead to another rep of its pool; false in *done when none has room. */
static enum lf_result reassign(struct check *c, struct lf_assignment *a, bool *done,
			       struct lf_error *err)
{
	struct lf_lead l;
	struct lf_rep_capacity *rep;
	const char *pool;
	char note[160], detail[96];
	enum lf_result r;

	*done = false;
	if (!c->have_routing && !(r = lf_routing_load(c->s, &c->routing, err)))
		c->have_routing = true;
	else if (!c->have_routing)
		return r;
	if (!c->have_cap && !(r = lf_capacity_compute(c->s, c->set, &c->cap, err)))
		c->have_cap = true;
	else if (!c->have_cap)
		return r;
	if ((r = lf_store_lead_get(c->s, a->lead_id, &l, err)))
		return r;
	pool = lf_routing_pool(&c->routing, &l, c->set->now);
	/* an SDR's lead at assigned, or an SQL its AE has not touched */
	const struct lf_rep_capacity *held = lf_capacity_rep(&c->cap, a->rep_id);
	bool sql = l.stage == LF_STAGE_SQL && l.owner_rep_id == a->rep_id && held &&
		   held->rep.tier == LF_TIER_AE;
	if ((l.stage != LF_STAGE_ASSIGNED && !sql) || !pool ||
	    !(rep = lf_capacity_pick(&c->cap, pool, sql ? LF_TIER_AE : LF_TIER_SDR,
				     a->rep_id))) {
		lf_lead_release(&l);
		return LF_OK;
	}
	snprintf(note, sizeof(note), "reassigned from rep %lld: no first touch within %.0f "
		 "minutes", (long long)a->rep_id, (double)(a->reassign_at - a->at) / MINUTE);
	snprintf(detail, sizeof(detail), "{\"from_rep\":%lld,\"to_rep\":%lld}",
		 (long long)a->rep_id, (long long)rep->rep.id);
	struct lf_move m = { .to = l.stage, .actor = "sla", .at = c->set->now,
			     .note = note, .owner = rep->rep.id,
			     .sla = sql ? &c->set->handoff_sla : &c->set->sla, .clock = sql,
			     .audit = "lead.reassign", .audit_detail = detail };
	if (!(r = lf_move_lead(c->s, &l, &m, NULL, err))) {
		rep->free_slots--;
		rep->last_assigned = c->set->now;
		a->reassigned_at = c->set->now;
		a->closed = true;
		*done = true;
	}
	lf_lead_release(&l);
	return r;
}

static enum lf_result check_one(struct check *c, struct lf_assignment *a,
				struct lf_sla_result *out, struct lf_error *err)
{
	lf_time_ms now = c->set->now;
	bool moved = false, changed = false;
	enum lf_result r = LF_OK;

	out->checked++;
	if (a->first_touch_at) {
		a->closed = true;
		out->met += a->first_touch_at <= a->due_at;
		return lf_store_assignment_update(c->s, a, err);
	}
	if (now >= a->due_at && !a->breached_at) {
		if ((r = breach(c, a, err)))
			return r;
		out->breached++;
		changed = true;
	}
	if (now >= a->reassign_at) {
		if ((r = reassign(c, a, &moved, err)))
			return r;
		out->reassigned += moved;
		out->unassignable += !moved;
		changed |= moved;
	}
	return changed ? lf_store_assignment_update(c->s, a, err) : LF_OK;
}

enum lf_result lf_sla_run(struct lf_store *s, const struct lf_capacity_settings *set,
			  struct lf_sla_result *out, struct lf_error *err)
{
	struct check c = { .s = s, .set = set };
	struct open_list open = { 0 };
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	if ((r = lf_store_begin(s, err)))
		return r;
	r = lf_store_assignments(s, true, collect, &open, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	for (size_t i = 0; i < open.n && !r; i++)
		r = check_one(&c, &open.a[i], out, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	if (c.have_cap)
		lf_capacity_release(&c.cap);
	if (c.have_routing)
		lf_routing_release(&c.routing);
	free(open.a);
	return r;
}
