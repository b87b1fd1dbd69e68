/*
 * tick.c - the gate and the SLA clocks as one scheduled step (tick.h).
 */
#include "gate/tick.h"

#include <leadflow/config.h>
#include "gate/capacity.h"

#include <stdio.h>

/* How long measured times last: until the measurer's next, or a minute. */
static lf_time_ms measured_ttl(const struct lf_tick *t)
{
	return t->measured_elsewhere ? 600000 : 60000;
}

void lf_tick_run(struct lf_tick *t, struct lf_store *s, const struct lf_config *cfg,
		 lf_time_ms now, bool *notify)
{
	struct lf_capacity_settings set;
	struct lf_error err;

	int64_t wakes = t->wakes;

	*notify = false;
	if (!cfg->gate_interval_ms)
		return;
	/* a change that may let a lead through runs the gate now; the clock
	 * covers what time alone changes (a week's hours, an away window) */
	if (lf_store_gate_wakes(s, &wakes, &err))
		fprintf(stderr, "leadflow: gate: %s\n", err.msg);
	if (wakes != t->wakes || now - t->last_gate >= cfg->gate_interval_ms) {
		struct lf_gate_result g = { 0 };
		t->last_gate = now;
		lf_capacity_from_config(cfg, now, &set);
		t->cache.ttl_ms = measured_ttl(t);
		set.cache = &t->cache;
		if (lf_gate_run(s, &set, &g, &err) && err.code != LF_ERR_CONFLICT)
			fprintf(stderr, "leadflow: gate: %s\n", err.msg);
		t->gate_runs++;
		/* what the run itself moved (a release) counts as seen */
		if (!lf_store_gate_wakes(s, &wakes, &err))
			t->wakes = wakes;
		*notify |= g.released || g.entered;
	}
	if (now - t->last_sla >= 1000) {
		struct lf_sla_result sla = { 0 };
		t->last_sla = now;
		lf_capacity_from_config(cfg, now, &set);
		set.cache = &t->cache;
		if (lf_sla_run(s, &set, &sla, &err))
			fprintf(stderr, "leadflow: sla: %s\n", err.msg);
		*notify |= sla.breached || sla.reassigned;
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
}
