/*
 * handoff.c - the second handoff (leadflow/gate.h): SQLs from the SDRs who
 * qualified them to the account executives, by the routing file's pools and
 * the AEs' free slots, each with an SLA clock of the handoff's terms.
 */
#include "gate/capacity.h"
#include "core/grow.h"

#include "gate/routing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An SQL waiting for an AE, and the pool its routing gives. */
struct waiting {
	int64_t id;
	char *pool;             /* NULL: no rule takes it */
};
struct waiting_list {
	struct waiting *v;
	size_t n, cap, most;
	const struct lf_routing *routing;
	lf_time_ms now;
};

static enum lf_result take(void *ctx, const struct lf_lead *l, lf_time_ms at, unsigned stages)
{
	struct waiting_list *w = ctx;
	const char *pool;
	(void)at;
	(void)stages;
	if (w->n >= w->most)
		return LF_ERR_LIMIT;   /* the rest are the next run's: stop reading */
	pool = lf_routing_pool(w->routing, l, w->now);
	if (LF_GROW(w->v, w->n, w->cap, 64))
		return LF_ERR_NOMEM;
	w->v[w->n] = (struct waiting){ l->id, pool ? strdup(pool) : NULL };
	if (pool && !w->v[w->n].pool)
		return LF_ERR_NOMEM;
	w->n++;
	return LF_OK;
}

static enum lf_result hand(struct lf_store *s, const struct lf_capacity_settings *set,
			   struct lf_capacity *cap, const struct waiting *w,
			   struct lf_handoff_result *out, struct lf_error *err)
{
	struct lf_rep_capacity *ae;
	struct lf_lead l;
	char note[256], detail[96];
	enum lf_result r;

	if (!w->pool) {
		out->unrouted++;
		return LF_OK;
	}
	if (!(ae = lf_capacity_pick(cap, w->pool, LF_TIER_AE, 0))) {
		out->waiting++;
		return LF_OK;
	}
	if ((r = lf_store_lead_get(s, w->id, &l, err)))
		return r;
	const struct lf_rep_capacity *sdr = lf_capacity_rep(cap, l.owner_rep_id);
	snprintf(note, sizeof(note), "handed to %s (pool %s) by %s", ae->rep.name, w->pool,
		 sdr ? sdr->rep.name : "nobody");
	snprintf(detail, sizeof(detail), "{\"from_rep\":%lld,\"to_rep\":%lld}",
		 (long long)l.owner_rep_id, (long long)ae->rep.id);
	struct lf_move m = { .to = LF_STAGE_SQL, .actor = "handoff", .at = set->now,
			     .note = note, .owner = ae->rep.id, .sla = &set->handoff_sla,
			     .clock = true, .audit = "lead.handoff", .audit_detail = detail };
	if (!(r = lf_move_lead(s, &l, &m, NULL, err))) {
		ae->free_slots--;
		ae->last_assigned = set->now;
		out->handed++;
	}
	lf_lead_release(&l);
	return r;
}

static enum lf_result count_ae(void *ctx, const struct lf_rep *r)
{
	*(int *)ctx += r->tier == LF_TIER_AE;
	return LF_OK;
}

enum lf_result lf_handoff_run(struct lf_store *s, const struct lf_capacity_settings *set,
			      struct lf_handoff_result *out, struct lf_error *err)
{
	struct lf_capacity cap;
	struct lf_routing routing;
	struct waiting_list w = { .now = set->now };
	enum lf_result r;
	int aes = 0;

	memset(out, 0, sizeof(*out));
	/* one tier of sales (no AE): nothing to do, and no write lock taken */
	if ((r = lf_store_rep_list(s, count_ae, &aes, err)) || !aes)
		return r;
	if ((r = lf_store_begin(s, err)))
		return r;
	if ((r = lf_capacity_compute(s, set, &cap, err)))
		goto rollback;
	if (!cap.ae_free_slots) {   /* no AE has room: nothing to read */
		out->no_room = true;
		goto done;
	}
	if ((r = lf_routing_load(s, &routing, err)))
		goto done;
	w.routing = &routing;
	/* the oldest SQLs first, a few more than the AEs' room (some wait for a
	 * pool that has none): a run reads what it can hand, not every SQL
	 * waiting */
	w.most = 4 * (size_t)cap.ae_free_slots + 64;
	r = lf_store_sqls_unhanded(s, take, &w, err);
	if (r == LF_ERR_LIMIT)
		r = LF_OK;
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	out->checked = (int)w.n;
	for (size_t i = 0; i < w.n && !r; i++)
		r = hand(s, set, &cap, &w.v[i], out, err);
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].pool);
	free(w.v);
	lf_routing_release(&routing);
done:
	lf_capacity_release(&cap);
	if (!r)
		r = lf_store_commit(s, err);
	if (!r)
		return LF_OK;
rollback:
	lf_store_rollback(s);
	return r;
}
