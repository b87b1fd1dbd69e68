/*
 * tick.c - the gate and the SLA clocks as one scheduled step (tick.h).
 */
#include "gate/tick.h"

#include <leadflow/config.h>
#include <leadflow/score.h>
#include "gate/capacity.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* How long measured times last: until the measurer's next, or a minute. */
static lf_time_ms measured_ttl(const struct lf_tick *t)
{
	return t->measured_elsewhere ? 600000 : 60000;
}

#define LEASE_TTL_MS 5000
#define LEASE_RENEW_MS 1000

void lf_tick_init(struct lf_tick *t)
{
	char host[64] = "";
	memset(t, 0, sizeof(*t));
	gethostname(host, sizeof(host) - 1);
	snprintf(t->holder, sizeof(t->holder), "%s:%ld:%lld", host, (long)getpid(),
		 (long long)lf_time_now());
}

bool lf_tick_leads(const struct lf_tick *t, lf_time_ms now)
{
	return now < t->held_until;
}

/* Takes or renews the clocks' lease, once a second; whether this server leads. */
static bool lead(struct lf_tick *t, struct lf_store *s, lf_time_ms now)
{
	struct lf_error err;
	bool held = false;
	if (now - t->last_lease >= LEASE_RENEW_MS) {
		t->last_lease = now;
		if (lf_store_lease(s, "clocks", t->holder, now, LEASE_TTL_MS, &held, &err))
			fprintf(stderr, "leadflow: clocks' lease: %s\n", err.msg);
		/* a second's margin before it runs out: never two at once */
		t->held_until = held ? now + LEASE_TTL_MS - LEASE_RENEW_MS : 0;
	}
	return lf_tick_leads(t, now);
}

void lf_tick_leave(struct lf_tick *t, struct lf_store *s)
{
	struct lf_error err;
	bool held;
	if (!t->held_until)
		return;
	t->held_until = 0;
	if (lf_store_lease(s, "clocks", t->holder, lf_time_now(), 0, &held, &err))
		fprintf(stderr, "leadflow: clocks' lease: %s\n", err.msg);
}

/* Runs the gate with the kept model; true when it changed what webhooks carry. */
static bool run_gate(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		     lf_time_ms now)
{
	struct lf_capacity_settings set;
	struct lf_gate_result g = { 0 };
	struct lf_error err;
	int64_t wakes;

	t->last_gate = now;
	if (lf_model_keep_active(s, &t->model, &t->version, &err)) {
		fprintf(stderr, "leadflow: gate: %s\n", err.msg);
	} else if (t->version) {   /* no active model: nothing to qualify with */
		lf_capacity_from_config(cfg, now, &set);
		t->cache.ttl_ms = measured_ttl(t);
		set.cache = &t->cache;
		if (lf_gate_run_model(s, &set, &t->model, t->version, &g, &err))
			fprintf(stderr, "leadflow: gate: %s\n", err.msg);
		t->gate_runs++;
	}
	/* what the run moved (a release) counts as seen, and so does a wake-up
	 * with no model to run: the next change wakes it again */
	if (!lf_store_gate_wakes(s, &wakes, &err))
		t->wakes = wakes;
	return g.released || g.entered;
}

/* True when a change that may let a lead through came since the last run. */
static bool woken(struct lf_tick *t, struct lf_store *s)
{
	struct lf_error err;
	int64_t wakes = t->wakes;
	if (lf_store_gate_wakes(s, &wakes, &err))
		fprintf(stderr, "leadflow: gate: %s\n", err.msg);
	return wakes != t->wakes;
}

void lf_tick_woken(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		   lf_time_ms now)
{
	if (cfg->gate_interval_ms && lf_tick_leads(t, now) && woken(t, s))
		run_gate(t, s, cfg, now);
}

void lf_tick_run(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		 lf_time_ms now, bool *notify)
{
	struct lf_capacity_settings set;
	struct lf_error err;

	*notify = false;
	if (!lead(t, s, now) || !cfg->gate_interval_ms)
		return;
	/* a change that may let a lead through runs the gate now; the clock
	 * covers what time alone changes (a week's hours, an away window) */
	if (woken(t, s) || now - t->last_gate >= cfg->gate_interval_ms)
		*notify |= run_gate(t, s, cfg, now);
	if (now - t->last_sla >= 1000) {
		struct lf_sla_result sla = { 0 };
		t->last_sla = now;
		lf_capacity_from_config(cfg, now, &set);
		set.cache = &t->cache;
		if (lf_sla_run(s, &set, &sla, &err))
			fprintf(stderr, "leadflow: sla: %s\n", err.msg);
		*notify |= sla.breached || sla.reassigned;
	}
	if (now - t->last_handoff >= 10000) {
		struct lf_handoff_result h = { 0 };
		t->last_handoff = now;
		lf_capacity_from_config(cfg, now, &set);
		set.cache = &t->cache;
		if (lf_handoff_run(s, &set, &h, &err))
			fprintf(stderr, "leadflow: handoff: %s\n", err.msg);
		*notify |= h.handed > 0;
	}
	if (now - t->last_recycle >= 60000) {
		int checked, recycled;
		t->last_recycle = now;
		/* the model the gate keeps parsed, read again only when another
		 * version is active */
		if (lf_model_keep_active(s, &t->model, &t->version, &err) ||
		    lf_recycle_run(s, t->version ? &t->model : NULL, t->version, now, &checked,
				   &recycled, &err))
			fprintf(stderr, "leadflow: recycle: %s\n", err.msg);
		*notify |= recycled > 0;
	}
}

void lf_tick_adopt(struct lf_tick *t, struct lf_capacity_cache *fresh)
{
	lf_capacity_cache_release(&t->cache);
	t->cache = *fresh;
	t->cache.ttl_ms = measured_ttl(t);
	*fresh = (struct lf_capacity_cache){ 0 };
}

void lf_tick_release(struct lf_tick *t)
{
	if (!t)
		return;
	lf_capacity_cache_release(&t->cache);
	if (t->version)
		lf_model_def_release(&t->model);
	t->version = 0;
}
