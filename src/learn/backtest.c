/*
 * backtest.c - two models replayed over the same history (leadflow/learn.h).
 *
 * Engagement only decays between events, so a lead's total is highest
 * just after each of its events: the first event after which fit plus
 * engagement reaches the floor is the moment it qualifies (or its creation,
 * when its fit alone does). A lead a disqualification rule of the model
 * throws away never qualifies under it.
 */
#include <leadflow/learn.h>
#include "core/grow.h"

#include "core/seek.h"
#include "core/stats.h"
#include "gate/capacity.h"
#include "lifecycle/lifecycle.h"
#include "score/engine.h"
#include "score/scoring.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY LF_MS_PER_DAY

/*
 * What the back-test keeps of each lead of the period: a few numbers, not
 * the lead. A lead is read again (by id) when its turn to be replayed
 * comes, with its events, and let go after: at 1M leads the back-test holds
 * one lead and its events at a time and about 64 bytes for each other.
 */
struct blead {
	int64_t id;
	lf_time_ms decided_at;       /* 0: still open */
	bool won, decided, replayed;
	lf_time_ms mql[2];           /* under each model, 0: never */
	double score[2];             /* at the decision time (else the period's end) */
};

struct load {
	struct lf_store *s;
	const struct lf_backtest_options *o;
	struct blead *v;
	size_t n, cap;
	size_t at;                   /* the scans' place among the leads (both in lead order) */
	lf_time_ms first, last;
	lf_time_ms end;              /* the period's end */
	const struct lf_model_def *def;  /* the two models: events neither counts are not kept */
	size_t held;                 /* the lead whose events are held, SIZE_MAX: none */
	struct lf_event *ev;         /* its events */
	size_t nev, capev;
	struct lf_error *err;        /* for a lead that cannot be read again */
};

static enum lf_result replay(const struct lf_model_def *def, struct blead *b,
			     const struct lf_lead *lead, const struct lf_event *ev, size_t nev,
			     lf_time_ms end, int k);

static void drop_events(struct load *d)
{
	for (size_t e = 0; e < d->nev; e++)
		lf_event_release(&d->ev[e]);
	d->nev = 0;
}

/* Replays lead i under both models with the events held (its own, all in). */
static enum lf_result settle(struct load *d, size_t i)
{
	struct blead *b = &d->v[i];
	struct lf_lead lead;
	enum lf_result r = lf_store_lead_get(d->s, b->id, &lead, d->err);
	if (r)
		return r;
	lead.recycled_at = 0;   /* replayed from the start: every event counts */
	for (int k = 0; k < 2 && !r; k++)
		r = replay(&d->def[k], b, &lead, d->ev, d->nev, d->end, k);
	lf_lead_release(&lead);
	drop_events(d);
	b->replayed = true;
	return r;
}

/* The lead of the period with this id, or NULL: the scans come in lead order. */
static struct blead *lead_of(struct load *d, int64_t id)
{
	return lf_seek_id(d->v, d->n, sizeof(struct blead), offsetof(struct blead, id),
			  &d->at, id) ? &d->v[d->at] : NULL;
}

static enum lf_result take_event(void *ctx, const struct lf_event *e)
{
	struct load *d = ctx;
	struct blead *b = lead_of(d, e->lead_id);
	bool props[2], wanted = false;
	enum lf_result r;
	for (int k = 0; k < 2; k++)
		wanted |= lf_score_wants(&d->def[k], e->type, &props[k]);
	if (!b || !wanted)
		return LF_OK;
	/* the events come lead by lead: a new lead means the one before is complete */
	if (d->held != d->at && d->held != SIZE_MAX && (r = settle(d, d->held)))
		return r;
	d->held = d->at;
	if (LF_GROW(d->ev, d->nev, d->capev, 64))
		return LF_ERR_NOMEM;
	struct lf_event *v = &d->ev[d->nev];
	*v = (struct lf_event){ .lead_id = e->lead_id, .occurred_at = e->occurred_at,
				.type = strdup(e->type),
				.properties = strdup(e->properties && (props[0] || props[1])
						     ? e->properties : "{}") };
	d->nev++;
	if (!v->type || !v->properties)
		return LF_ERR_NOMEM;
	return LF_OK;
}

static enum lf_result take_transition(void *ctx, const struct lf_transition *t)
{
	struct blead *b = lead_of(ctx, t->lead_id);
	if (b)
		lf_decision_note(&b->decided_at, t);
	return LF_OK;
}

static enum lf_result take_lead(void *ctx, const struct lf_lead *l)
{
	struct load *d = ctx;
	if (lf_source_is_sales(l->source) ||
	    (d->o->from && l->created_at < d->o->from) || (d->o->to && l->created_at >= d->o->to))
		return LF_OK;
	if (LF_GROW(d->v, d->n, d->cap, 1024))
		return LF_ERR_NOMEM;
	d->v[d->n++] = (struct blead){ .id = l->id, .won = l->stage == LF_STAGE_WON,
				       .decided = (LF_STAGE_BIT(l->stage) & LF_DECIDED) != 0 };
	if (!d->first || l->created_at < d->first)
		d->first = l->created_at;
	if (l->created_at > d->last)
		d->last = l->created_at;
	return LF_OK;
}

/*
 * The leads of the period (in lead order, a few numbers each), their
 * decisions (one scan of the transitions), then one scan of the events,
 * each lead read again and replayed as soon as its events are in; the
 * leads without events the models count after.
 */
static enum lf_result load(struct load *d, struct lf_error *err)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	enum lf_result r = lf_store_lead_list(d->s, &f, take_lead, d, err);
	if (r || !d->n)
		return r;
	d->err = err;
	d->end = d->o->to ? d->o->to : d->last - d->last % DAY + DAY;
	d->at = 0;
	if ((r = lf_store_transition_list(d->s, 0, take_transition, d, err)))
		return r;
	d->at = 0;
	d->held = SIZE_MAX;
	if ((r = lf_store_event_list(d->s, 0, take_event, d, err)))
		return r;
	if (d->held != SIZE_MAX && (r = settle(d, d->held)))
		return r;
	for (size_t i = 0; i < d->n && !r; i++)
		if (!d->v[i].replayed)
			r = settle(d, i);
	return r;
}

/* When the lead qualifies under def (0: not before end), and its total at `at`. */
static enum lf_result replay(const struct lf_model_def *def, struct blead *b,
			     const struct lf_lead *lead, const struct lf_event *ev, size_t nev,
			     lf_time_ms end, int k)
{
	struct lf_score_state st;
	lf_time_ms at = b->decided_at ? b->decided_at : end;
	double fit = lf_score_fit(def, lead, lead->created_at);
	bool scored = false;
	enum lf_result r = lf_score_state_init(&st, def);
	if (r)
		return r;
	/* a disqualification rule that holds throws the lead away: never an MQL */
	bool thrown = lf_score_disqualified(def, lead, lead->created_at) != NULL;
	b->mql[k] = !thrown && fit >= def->floor ? lead->created_at : 0;
	for (size_t e = 0; e < nev && !r; e++) {
		if (!scored && ev[e].occurred_at > at) {
			b->score[k] = fit + lf_score_engagement(&st, at);
			scored = true;
		}
		if (ev[e].occurred_at >= end && scored)
			break;
		if ((r = lf_score_add_stored(&st, lead, &ev[e], NULL)))
			break;
		lf_time_ms t = ev[e].occurred_at;
		if (!thrown && !b->mql[k] && t < end &&
		    (st.hand_raiser_at || fit + lf_score_engagement(&st, t) >= def->floor))
			b->mql[k] = t;
	}
	if (!r && !scored)
		b->score[k] = fit + lf_score_engagement(&st, at);
	lf_score_state_release(&st);
	return r;
}

static void num(char *b, double v, const char *f)
{
	if (isnan(v))
		b[0] = 0;
	else
		snprintf(b, 32, f, v);
}

static enum lf_result summarise(const struct load *d, int k, int version, double weeks,
				struct lf_table *t)
{
	size_t mqls = 0, decided = 0, won = 0, wins = 0, missed = 0, ns = 0;
	struct lf_scored *v = malloc((d->n + 1) * sizeof(*v));
	char c[8][32];
	if (!v)
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < d->n; i++) {
		const struct blead *b = &d->v[i];
		wins += b->won;
		if (b->mql[k]) {
			mqls++;
			decided += b->decided;
			won += b->won;
		} else {
			missed += b->won;
		}
		if (b->decided)
			v[ns++] = (struct lf_scored){ b->score[k], b->won };
	}
	snprintf(c[0], 32, "%d", version);
	snprintf(c[1], 32, "%zu", mqls);
	num(c[2], weeks > 0 ? (double)mqls / weeks : NAN, "%.1f");
	num(c[3], decided ? (double)won / (double)decided : NAN, "%.3f");
	snprintf(c[4], 32, "%zu", won);
	snprintf(c[5], 32, "%zu", missed);
	snprintf(c[6], 32, "%zu", wins);
	num(c[7], lf_auc(v, ns), "%.3f");
	free(v);
	const char *row[9] = { k ? "against" : "model", c[0], c[1], c[2], c[3], c[4], c[5], c[6],
			       c[7] };
	return lf_table_add(t, row);
}

void lf_backtest_release(struct lf_backtest *b)
{
	if (!b)
		return;
	lf_table_release(&b->summary);
	lf_table_release(&b->weeks);
}

enum lf_result lf_backtest(struct lf_store *s, const struct lf_backtest_options *o,
			   struct lf_backtest *out, struct lf_error *err)
{
	static const char *const sh[] = { "role", "version", "mqls", "mqls_per_week",
					  "conversion", "wins_qualified", "wins_missed", "wins",
					  "auc" };
	static const char *const wh[] = { "week", "mqls", "mqls_against", "capacity" };
	struct lf_model_def def[2];
	struct load d = { .s = s, .o = o };
	int versions[2] = { o->version, o->against }, got = 0;
	struct lf_week_capacity week = { 0 };
	enum lf_result r;

	lf_table_init(&out->summary, 9, sh, 0x1FEu);
	lf_table_init(&out->weeks, 4, wh, 0xEu);
	if (!versions[1] && (r = lf_model_active_version(s, &versions[1], err)))
		return r;
	if (!versions[1])
		return lf_error_field(err, LF_ERR_INPUT, "against", "no model is active: name one "
				      "to compare with (--against M)");
	for (; got < 2; got++)
		if ((r = lf_model_version(s, versions[got], &def[got], err)))
			goto out;
	d.def = def;
	if ((r = lf_capacity_per_week(s, &week, err)) || (r = load(&d, err)))
		goto out;
	if (!d.n) {
		r = lf_error_set(err, LF_ERR_INPUT, "no leads were created in the period");
		goto out;
	}
	lf_time_ms from = o->from ? o->from : d.first - d.first % DAY, to = d.end;
	/* each lead's MQL counted once, in its week's bucket; MQLs a week is the
	 * mean of those weeks, so the summary and the table always agree (a
	 * period of one day is one week of the table, not a seventh of one) */
	lf_time_ms start = lf_week_start(from);
	size_t nw = to > start ? (size_t)((to - start + 7 * DAY - 1) / (7 * DAY)) : 0;
	for (int k = 0; k < 2 && !r; k++)
		r = summarise(&d, k, versions[k], (double)nw, &out->summary);
	size_t (*m)[2] = calloc(nw + 1, sizeof(*m));
	if (!m) {
		r = LF_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < d.n; i++)
		for (int k = 0; k < 2; k++)
			if (d.v[i].mql[k] >= start && d.v[i].mql[k] < to)
				m[(d.v[i].mql[k] - start) / (7 * DAY)][k]++;
	for (size_t wk = 0; wk < nw && !r; wk++) {
		char at[LF_TIME_STR_MAX], c[3][32];
		lf_time_format(start + (lf_time_ms)wk * 7 * DAY, at);
		at[10] = 0;
		snprintf(c[0], 32, "%zu", m[wk][0]);
		snprintf(c[1], 32, "%zu", m[wk][1]);
		num(c[2], week.sdrs ? week.leads : NAN, "%.1f");
		const char *row[4] = { at, c[0], c[1], c[2] };
		r = lf_table_add(&out->weeks, row);
	}
	free(m);
out:
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	for (int k = 0; k < got; k++)
		lf_model_def_release(&def[k]);
	drop_events(&d);
	free(d.ev);
	free(d.v);
	if (r)
		lf_backtest_release(out);
	return r;
}
