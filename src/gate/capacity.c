/*
 * capacity.c - time per lead and per opportunity, free slots (capacity.h).
 */
#include "gate/capacity.h"
#include "core/grow.h"

#include <leadflow/config.h>
#include "core/stats.h"
#include "gate/routing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

/* The defaults are the settings table's (core/config.c), written once there. */
void lf_capacity_defaults(struct lf_capacity_settings *s, lf_time_ms now)
{
	struct lf_config c;
	lf_config_defaults(&c);
	lf_capacity_from_config(&c, now, s);
}

void lf_capacity_from_config(const struct lf_config *c, lf_time_ms now,
			     struct lf_capacity_settings *s)
{
	s->min_measured = 30;   /* how many measured items make a median worth trusting */
	s->now = now;
	s->cache = NULL;
	s->rates_only = false;
	s->utilisation = (double)c->utilisation_pct / 100;
	s->lead_minutes = (double)c->lead_minutes;
	s->opportunity_minutes = (double)c->opportunity_minutes;
	lf_sla_from_config(c, &s->sla);
	/* an SQL's AE: one clock, hand-raiser or not */
	s->handoff_sla = (struct lf_sla_terms){
		.due = (double)c->handoff_sla_minutes,
		.hand_raiser_due = (double)c->handoff_sla_minutes,
		.reassign = (double)c->handoff_reassign_minutes,
		.hand_raiser_reassign = (double)c->handoff_reassign_minutes,
	};
}

/* An item a rep still works on: an active lead or an open opportunity. */
struct item {
	size_t rep;                 /* index in reps */
	bool opportunity;
	double logged;              /* minutes logged on it in that phase */
	int64_t n;                  /* how many such items the rep holds */
};

struct build {
	struct lf_capacity *c;
	struct lf_counts *lead_s, *opp_s, *days_s;    /* by team, by team, by rep */
	struct item *items;
	size_t nitems, cap;
	double *week;               /* minutes this week, by rep */
};

static enum lf_result add_rep(void *ctx, const struct lf_rep *r)
{
	struct lf_capacity *c = ctx;
	struct lf_rep_capacity *grown = realloc(c->reps, (c->nreps + 1) * sizeof(*grown));
	struct lf_rep_capacity *rc;
	if (!grown)
		return LF_ERR_NOMEM;
	c->reps = grown;
	rc = &c->reps[c->nreps++];
	memset(rc, 0, sizeof(*rc));
	rc->rep = *r;
	rc->rep.name = strdup(r->name ? r->name : "");
	rc->rep.team = strdup(r->team ? r->team : "");
	rc->rep.pools = strdup(r->pools ? r->pools : "");
	rc->opportunity_days = NAN;
	return rc->rep.name && rc->rep.team && rc->rep.pools ? LF_OK : LF_ERR_NOMEM;
}

/* The index of rep id in reps (sorted by id), or -1. */
static long rep_index(const struct lf_capacity *c, int64_t id)
{
	size_t lo = 0, hi = c->nreps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->reps[mid].rep.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nreps && c->reps[lo].rep.id == id ? (long)lo : -1;
}

static size_t team_index(const struct lf_capacity *c, const char *team)
{
	for (size_t i = 0; i < c->nteams; i++)
		if (!strcmp(c->teams[i].team, team))
			return i;
	return 0; /* every rep's team is listed first */
}

static enum lf_result add_minutes(void *ctx, int64_t rep, double minutes)
{
	struct build *b = ctx;
	long i = rep_index(b->c, rep);
	if (i >= 0)
		b->week[i] += minutes;
	return LF_OK;
}

/* The leads and opportunities a rep holds now, n at a time (held_load). */
static enum lf_result add_held(void *ctx, const struct lf_held_count *h)
{
	struct build *b = ctx;
	long ri = rep_index(b->c, h->rep_id);

	if (ri < 0)
		return LF_OK;
	if (h->opportunity)
		b->c->reps[ri].opportunities += (int)h->n;
	else
		b->c->reps[ri].active += (int)h->n;
	if (LF_GROW(b->items, b->nitems, b->cap, 256))
		return LF_ERR_NOMEM;
	b->items[b->nitems++] = (struct item){ (size_t)ri, h->opportunity, h->logged, h->n };
	return LF_OK;
}

/* What every lead sales has held measured, kept by the store per rep (agg_work). */
static enum lf_result add_measured(void *ctx, const struct lf_work_count *w)
{
	struct build *b = ctx;
	long ri = rep_index(b->c, w->rep_id);
	size_t team;

	if (ri < 0)
		return LF_OK;
	team = team_index(b->c, b->c->reps[ri].rep.team);
	switch (w->kind) {
	case LF_WORK_LEAD:
		return lf_counts_add(&b->lead_s[team], w->value, w->n);
	case LF_WORK_OPPORTUNITY:
		return lf_counts_add(&b->opp_s[team], w->value, w->n);
	case LF_WORK_DAYS:
		b->c->reps[ri].opportunities_closed += (int)w->n;
		return lf_counts_add(&b->days_s[ri], w->value, w->n);
	}
	return LF_OK;
}

static enum lf_result add_last(void *ctx, int64_t rep_id, lf_time_ms at)
{
	struct build *b = ctx;
	long ri = rep_index(b->c, rep_id);
	if (ri >= 0 && at > b->c->reps[ri].last_assigned)
		b->c->reps[ri].last_assigned = at;
	return LF_OK;
}

static enum lf_result list_teams(struct lf_capacity *c)
{
	c->teams = calloc(c->nreps + 1, sizeof(*c->teams));
	if (!c->teams)
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < c->nreps; i++) {
		size_t t = 0;
		while (t < c->nteams && strcmp(c->teams[t].team, c->reps[i].rep.team))
			t++;
		if (t == c->nteams && !(c->teams[c->nteams++].team = strdup(c->reps[i].rep.team)))
			return LF_ERR_NOMEM;
	}
	if (!c->nteams && !(c->teams[c->nteams++].team = strdup("")))
		return LF_ERR_NOMEM;
	return LF_OK;
}

/* The measured times of team, from the cache; false when it has none. */
static bool cached_team(const struct lf_capacity_cache *cache, struct lf_team_capacity *tc)
{
	for (size_t i = 0; cache && i < cache->nteams; i++)
		if (!strcmp(cache->teams[i].team, tc->team)) {
			tc->lead_minutes = cache->teams[i].lead_minutes;
			tc->opportunity_minutes = cache->teams[i].opportunity_minutes;
			tc->leads_measured = cache->teams[i].leads_measured;
			tc->opportunities_measured = cache->teams[i].opportunities_measured;
			return true;
		}
	return false;
}

static void remember(struct lf_capacity_cache *cache, const struct lf_capacity *c, lf_time_ms now)
{
	lf_capacity_cache_release(cache);
	if (!(cache->teams = calloc(c->nteams + 1, sizeof(*cache->teams))))
		return;
	for (size_t t = 0; t < c->nteams; t++) {
		cache->teams[t] = c->teams[t];
		if (!(cache->teams[t].team = strdup(c->teams[t].team))) {
			lf_capacity_cache_release(cache);
			return;
		}
		cache->nteams++;
	}
	cache->at = now;
}

void lf_capacity_cache_release(struct lf_capacity_cache *c)
{
	if (!c)
		return;
	for (size_t t = 0; t < c->nteams; t++)
		free(c->teams[t].team);
	free(c->teams);
	c->teams = NULL;
	c->nteams = 0;
	c->at = 0;
}

static void settle(struct lf_capacity *c, struct build *b, const struct lf_capacity_settings *set,
		   bool from_cache)
{
	for (size_t t = 0; t < c->nteams; t++) {
		struct lf_team_capacity *tc = &c->teams[t];
		if (from_cache && cached_team(set->cache, tc))
			continue;
		double lead = lf_counts_median(&b->lead_s[t]), opp = lf_counts_median(&b->opp_s[t]);
		tc->leads_measured = (int)lf_counts_total(&b->lead_s[t]);
		tc->opportunities_measured = (int)lf_counts_total(&b->opp_s[t]);
		tc->lead_minutes = tc->leads_measured >= set->min_measured && lead > 0
					   ? lead : set->lead_minutes;
		tc->opportunity_minutes = tc->opportunities_measured >= set->min_measured && opp > 0
						  ? opp : set->opportunity_minutes;
	}
	for (size_t i = 0; i < c->nreps; i++) {
		struct lf_rep_capacity *rc = &c->reps[i];
		rc->team = &c->teams[team_index(c, rc->rep.team)];
		rc->away = lf_rep_away_at(&rc->rep, set->now);
		rc->logged_hours = b->week[i] / 60;
		rc->hours_left = rc->rep.weekly_hours * set->utilisation - rc->logged_hours;
		rc->opportunity_days = lf_counts_median(&b->days_s[i]);
	}
	for (size_t k = 0; k < b->nitems; k++) {
		struct lf_rep_capacity *rc = &c->reps[b->items[k].rep];
		double need = b->items[k].opportunity || rc->rep.tier == LF_TIER_AE
				      ? rc->team->opportunity_minutes : rc->team->lead_minutes;
		rc->hours_needed += (double)b->items[k].n * fmax(0, need - b->items[k].logged) / 60;
	}
	for (size_t i = 0; i < c->nreps; i++) {
		struct lf_rep_capacity *rc = &c->reps[i];
		bool ae = rc->rep.tier == LF_TIER_AE;
		double per_item = (ae ? rc->team->opportunity_minutes : rc->team->lead_minutes) / 60;
		double slots = floor((rc->hours_left - rc->hours_needed) / per_item);
		int room = rc->rep.max_active - rc->active;
		if (slots > room)
			slots = room;
		rc->free_slots = rc->away || slots < 0 ? 0 : (int)slots;
		rc->team->reps++;
		rc->team->free_slots += rc->free_slots;
		if (ae) {
			c->aes++;
			c->ae_free_slots += rc->free_slots;
		} else {
			c->free_slots += rc->free_slots;
		}
	}
}

enum lf_result lf_capacity_compute(struct lf_store *s, const struct lf_capacity_settings *set,
				   struct lf_capacity *out, struct lf_error *err)
{
	struct build b = { .c = out };
	enum lf_result r;

	memset(out, 0, sizeof(*out));
	if ((r = lf_store_rep_list(s, add_rep, out, err)))
		goto fail;
	if ((r = list_teams(out)))
		goto nomem;
	b.lead_s = calloc(out->nteams, sizeof(*b.lead_s));
	b.opp_s = calloc(out->nteams, sizeof(*b.opp_s));
	b.days_s = calloc(out->nreps + 1, sizeof(*b.days_s));
	b.week = calloc(out->nreps + 1, sizeof(*b.week));
	if (!b.lead_s || !b.opp_s || !b.days_s || !b.week)
		goto nomem;
	/* a fresh cache that knows every team: only the leads held now are read */
	bool warm = set->cache && set->cache->teams && set->now - set->cache->at < set->cache->ttl_ms &&
		    set->now >= set->cache->at;
	for (size_t t = 0; warm && t < out->nteams; t++)
		warm = cached_team(set->cache, &(struct lf_team_capacity){ .team = out->teams[t].team });
	/* the leads held now, and, unless a fresh cache has them, the times
	 * measured from every lead sales has held (kept by the store) */
	if ((!set->rates_only &&
	     ((r = lf_store_rep_minutes(s, lf_week_start(set->now), add_minutes, &b, err)) ||
	      (r = lf_store_held_load(s, add_held, &b, err)))) ||
	    (!warm && (r = lf_store_work_counts(s, add_measured, &b, err))) ||
	    (!set->rates_only && (r = lf_store_rep_last_assigned(s, add_last, &b, err))))
		goto fail;
	settle(out, &b, set, warm);
	if (set->cache && !warm)
		remember(set->cache, out, set->now);
	goto done;
nomem:
	r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
fail:
done:
	for (size_t t = 0; b.lead_s && b.opp_s && t < out->nteams; t++) {
		lf_counts_release(&b.lead_s[t]);
		lf_counts_release(&b.opp_s[t]);
	}
	for (size_t i = 0; b.days_s && i < out->nreps; i++)
		lf_counts_release(&b.days_s[i]);
	free(b.lead_s);
	free(b.opp_s);
	free(b.days_s);
	free(b.week);
	free(b.items);
	if (r)
		lf_capacity_release(out);
	return r;
}

enum lf_result lf_capacity_measure(struct lf_store *s, const struct lf_capacity_settings *set,
				   struct lf_capacity_cache *out, struct lf_error *err)
{
	struct lf_capacity_settings cold = *set;
	struct lf_capacity c;
	enum lf_result r;

	lf_capacity_cache_release(out);   /* empty: the run below reads everything */
	cold.cache = out;
	if ((r = lf_capacity_compute(s, &cold, &c, err)))
		return r;
	lf_capacity_release(&c);
	return out->teams ? LF_OK : lf_error_set(err, LF_ERR_NOMEM, "out of memory");
}

struct lf_rep_capacity *lf_capacity_rep(struct lf_capacity *c, int64_t id)
{
	long i = rep_index(c, id);
	return i >= 0 ? &c->reps[i] : NULL;
}

struct lf_rep_capacity *lf_capacity_pick(struct lf_capacity *c, const char *pool,
					 enum lf_tier tier, int64_t except_rep)
{
	struct lf_rep_capacity *best = NULL;
	for (size_t i = 0; i < c->nreps; i++) {
		struct lf_rep_capacity *rc = &c->reps[i];
		if (rc->free_slots <= 0 || rc->away || rc->rep.id == except_rep ||
		    rc->rep.tier != tier ||
		    !lf_routing_in_pool(pool, rc->rep.team, rc->rep.pools))
			continue;
		if (!best || rc->free_slots > best->free_slots ||
		    (rc->free_slots == best->free_slots && rc->last_assigned < best->last_assigned))
			best = rc;
	}
	return best;
}

void lf_capacity_release(struct lf_capacity *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nreps; i++)
		lf_rep_release(&c->reps[i].rep);
	for (size_t t = 0; t < c->nteams; t++)
		free(c->teams[t].team);
	free(c->reps);
	free(c->teams);
	memset(c, 0, sizeof(*c));
}

enum lf_result lf_capacity_per_week(struct lf_store *s, struct lf_week_capacity *out,
				    struct lf_error *err)
{
	struct lf_capacity_settings set;
	struct lf_capacity c;
	enum lf_result r;
	lf_capacity_defaults(&set, lf_time_now());
	set.rates_only = true;
	if ((r = lf_capacity_compute(s, &set, &c, err)))
		return r;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < c.nreps; i++) {
		const struct lf_rep_capacity *rc = &c.reps[i];
		double minutes = rc->rep.weekly_hours * set.utilisation * 60;
		if (rc->away)
			continue;
		if (rc->rep.tier == LF_TIER_AE) {
			out->sqls += minutes / rc->team->opportunity_minutes;
			out->aes++;
		} else {
			out->leads += minutes / rc->team->lead_minutes;
			out->sdrs++;
		}
	}
	lf_capacity_release(&c);
	return LF_OK;
}
