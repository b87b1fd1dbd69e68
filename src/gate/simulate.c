/*
 * simulate.c - the gate replayed over history (leadflow/gate.h).
 */
#include "gate/capacity.h"
#include <leadflow/model.h>
#include "core/grow.h"

#include "core/rng.h"
#include "core/seek.h"
#include "lifecycle/lifecycle.h"
#include "score/engine.h"
#include "score/scoring.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400000LL

struct slead {
	struct lf_lead lead;
	struct lf_score_state st;
	double fit, p, p_sql;
	bool released;
	bool below;                     /* under the floor at the last gate, no event since:
					 * positive engagement only decays, so still under it */
	bool rising;                    /* has an event of a rule with negative points, whose
					 * decay raises the total: never taken as below */
	lf_time_ms released_at;
	int rep;
};

/*
 * An event the model counts, as small as it can be held (a million leads
 * have ten million of them): its type one of the few the sim has seen, its
 * properties only when a rule reads them.
 */
struct sevent {
	lf_time_ms at;
	uint32_t lead;                  /* index in leads */
	uint32_t type;                  /* index in the sim's types */
	char *properties;               /* NULL: none read */
};

struct srep {
	double weekly_hours;
	int max_active;
	int released_week;
	int touches_left;               /* first touches left today */
	size_t *queue;                  /* assigned, not yet touched (lead indexes) */
	size_t nq, capq;
	lf_time_ms *given;              /* when each lead released to the rep was, in order */
	size_t ngiven, capgiven, holding;   /* given[holding..] still hold a slot */
};

struct sim {
	struct lf_store *s;
	const struct lf_sim_options *o;
	const struct lf_model_def *def;
	struct slead *leads;
	size_t nleads, capl;
	struct sevent *events;
	size_t nevents, cape;
	char **types;                   /* the event types seen */
	size_t ntypes, capt;
	struct srep *reps;              /* the SDRs */
	int nreps;
	double ae_daily;                /* SQLs the AEs take a day (0: no AEs) */
	double ae_queue;                /* expected SQLs waiting for an AE */
	double deciles[10], edges[9];   /* calibration: won rate by decile */
	double sql_deciles[10];         /* ... and sql rate */
	bool truth;
};

static enum lf_result take_lead(void *ctx, const struct lf_lead *l)
{
	struct sim *m = ctx;
	struct slead *x;
	/* sales' own leads and disqualified ones never wait for the gate: not kept */
	if (l->created_at >= m->o->to || l->stage == LF_STAGE_DISQUALIFIED ||
	    lf_source_is_sales(l->source))
		return LF_OK;
	if (m->nleads == m->capl) {
		size_t cap = m->capl ? m->capl * 2 : 1024;
		struct slead *v = realloc(m->leads, cap * sizeof(*v));
		if (!v)
			return LF_ERR_NOMEM;
		m->leads = v;
		m->capl = cap;
	}
	x = &m->leads[m->nleads];
	memset(x, 0, sizeof(*x));
	if (lf_lead_copy(&x->lead, l) || lf_score_state_init(&x->st, m->def))
		return LF_ERR_NOMEM;
	x->fit = lf_score_fit(m->def, l, l->created_at);
	m->nleads++;
	return LF_OK;
}

/* The scan of every event comes in lead order, as the leads do. */
struct collect { struct sim *m; size_t lead; };

static enum lf_result take_event(void *ctx, const struct lf_event *e)
{
	struct collect *c = ctx;
	struct sim *m = c->m;
	size_t t = 0;
	bool props;
	if (!lf_seek_id(m->leads, m->nleads, sizeof(struct slead), offsetof(struct slead, lead.id),
			&c->lead, e->lead_id) || e->occurred_at >= m->o->to ||
	    !lf_score_wants(m->def, e->type, &props))
		return LF_OK;   /* (an event the model does not count is not kept) */
	while (t < m->ntypes && strcmp(m->types[t], e->type))
		t++;
	if (t == m->ntypes) {
		if (LF_GROW(m->types, m->ntypes, m->capt, 16) ||
		    !(m->types[m->ntypes] = strdup(e->type)))
			return LF_ERR_NOMEM;
		m->ntypes++;
	}
	if (LF_GROW(m->events, m->nevents, m->cape, 4096))
		return LF_ERR_NOMEM;
	struct sevent *x = &m->events[m->nevents];
	*x = (struct sevent){ .at = e->occurred_at, .lead = (uint32_t)c->lead, .type = (uint32_t)t };
	if (props && e->properties && !(x->properties = strdup(e->properties)))
		return LF_ERR_NOMEM;
	m->nevents++;
	return LF_OK;
}

static int by_time(const void *a, const void *b)
{
	const struct sevent *x = a, *y = b;
	return (x->at > y->at) - (x->at < y->at);
}

/* Won and sql rates by decile of the stored total, over decided leads. */
struct outcome { double total; int won, sql; };
struct calib { struct outcome *o; size_t n, cap; };

static enum lf_result take_path(void *ctx, const struct lf_lead_path *p)
{
	struct calib *c = ctx;
	if (!(p->stages & LF_DECIDED) && !(p->stages & LF_STAGE_BIT(LF_STAGE_WON)))
		return LF_OK;
	if (LF_GROW(c->o, c->n, c->cap, 1024))
		return LF_ERR_NOMEM;
	c->o[c->n++] = (struct outcome){
		p->total, (p->stages & LF_STAGE_BIT(LF_STAGE_WON)) != 0,
		(p->stages & (LF_STAGE_BIT(LF_STAGE_SQL) | LF_STAGE_BIT(LF_STAGE_OPPORTUNITY) |
			      LF_STAGE_BIT(LF_STAGE_WON) | LF_STAGE_BIT(LF_STAGE_LOST))) != 0 };
	return LF_OK;
}

static int by_total(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;
	return (x->total > y->total) - (x->total < y->total);
}

static enum lf_result calibrate(struct sim *m, struct lf_error *err)
{
	struct lf_report_filter f = { 0 };
	struct calib c = { 0 };
	enum lf_result r;
	f.outcome_won = true;
	r = lf_store_lead_paths(m->s, &f, take_path, &c, err);
	if (!r && c.n >= 10) {
		qsort(c.o, c.n, sizeof(*c.o), by_total);
		for (int d = 0; d < 10; d++) {
			size_t lo = c.n * (size_t)d / 10, hi = c.n * (size_t)(d + 1) / 10, won = 0,
			       sql = 0;
			for (size_t i = lo; i < hi; i++) {
				won += (size_t)c.o[i].won;
				sql += (size_t)c.o[i].sql;
			}
			m->deciles[d] = hi > lo ? (double)won / (double)(hi - lo) : 0;
			m->sql_deciles[d] = hi > lo ? (double)sql / (double)(hi - lo) : 0;
			if (d < 9)
				m->edges[d] = c.o[hi].total;
		}
	}
	free(c.o);
	return r == LF_ERR_NOMEM ? lf_error_set(err, r, "out of memory") : r;
}

static double calibrated(const struct sim *m, const double *deciles, double total)
{
	int d = 0;
	while (d < 9 && total >= m->edges[d])
		d++;
	return deciles[d];
}

static enum lf_result load(struct sim *m, struct lf_error *err)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	enum lf_result r = lf_store_lead_list(m->s, &f, take_lead, m, err);
	if (r == LF_ERR_NOMEM)
		return lf_error_set(err, r, "out of memory");
	struct collect c = { m, 0 };
	if (!r && (r = lf_store_event_list(m->s, 0, take_event, &c, err)) == LF_ERR_NOMEM)
		return lf_error_set(err, r, "out of memory");
	for (size_t i = 0; i < m->nleads && !r; i++) {
		double won, sql;
		if (lf_store_truth_get(m->s, m->leads[i].lead.id, &sql, &won, NULL) == LF_OK) {
			/* the truth's won is the chance of a win once at sql */
			m->leads[i].p = sql * won;
			m->leads[i].p_sql = sql;
			m->truth = true;
		}
	}
	if (r)
		return r;
	if (m->nevents)
		qsort(m->events, m->nevents, sizeof(*m->events), by_time);
	return m->truth ? LF_OK : calibrate(m, err);
}

static enum lf_result reps(struct sim *m, struct lf_sim_result *out, struct lf_error *err)
{
	struct lf_capacity cap;
	double hours = 0, max_active = 0, ae_hours = 0;
	int sdrs = 0, aes = 0;
	enum lf_result r = lf_capacity_compute(m->s, &m->o->cap, &cap, err);
	if (r)
		return r;
	/* the SDRs first, in their order, then the ones added */
	struct lf_rep_capacity **sdr = calloc(cap.nreps + 1, sizeof(*sdr));
	if (!sdr) {
		lf_capacity_release(&cap);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < cap.nreps; i++) {
		if (cap.reps[i].rep.tier == LF_TIER_AE) {
			ae_hours += cap.reps[i].rep.weekly_hours;
			aes++;
			continue;
		}
		sdr[sdrs++] = &cap.reps[i];
		hours += cap.reps[i].rep.weekly_hours, max_active += cap.reps[i].rep.max_active;
	}
	m->nreps = sdrs + m->o->reps_delta;
	if (m->nreps < 0)
		m->nreps = 0;
	if (!(m->reps = calloc((size_t)m->nreps + 1, sizeof(*m->reps)))) {
		free(sdr);
		lf_capacity_release(&cap);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	for (int i = 0; i < m->nreps; i++) {
		bool real = i < sdrs;
		m->reps[i].weekly_hours = (real ? sdr[i]->rep.weekly_hours
						: hours / (double)(sdrs ? sdrs : 1)) +
					  m->o->hours_delta;
		m->reps[i].max_active = real ? sdr[i]->rep.max_active
					     : (int)(max_active / (double)(sdrs ? sdrs : 1));
		if (m->reps[i].weekly_hours < 0)
			m->reps[i].weekly_hours = 0;
		out->weekly_hours += m->reps[i].weekly_hours;
	}
	out->reps = m->nreps;
	/* the AEs, as a tier: the average AE's hours for each one added */
	if (aes) {
		double mean = ae_hours / aes;
		out->aes = aes + m->o->aes_delta > 0 ? aes + m->o->aes_delta : 0;
		out->ae_weekly_hours = fmax(0, mean + m->o->hours_delta) * out->aes;
	} else if (m->o->aes_delta > 0) {
		out->aes = m->o->aes_delta;
		out->ae_weekly_hours = fmax(0, 40 + m->o->hours_delta) * out->aes;
	}
	m->ae_daily = out->ae_weekly_hours * m->o->cap.utilisation * 60 /
		      m->o->cap.opportunity_minutes / 7;
	free(sdr);
	lf_capacity_release(&cap);
	return LF_OK;
}

static int week_budget(const struct sim *m, const struct srep *r)
{
	return (int)floor(r->weekly_hours * m->o->cap.utilisation * 60 / m->o->cap.lead_minutes);
}

/* The leads released to rep that still hold a slot at now (released in time order). */
static int held(const struct sim *m, struct srep *r, lf_time_ms now)
{
	while (r->holding < r->ngiven &&
	       now - r->given[r->holding] >= (lf_time_ms)m->o->work_days * DAY)
		r->holding++;
	return (int)(r->ngiven - r->holding);
}

struct ranked { size_t i; double total; lf_time_ms hr; };

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if ((x->hr != 0) != (y->hr != 0))
		return x->hr ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static enum lf_result day(struct sim *m, lf_time_ms t, double floor, struct lf_rng *rng,
			  struct lf_sim_week *w)
{
	struct ranked *pool = malloc((m->nleads + 1) * sizeof(*pool));
	int *free_slots = calloc((size_t)m->nreps + 1, sizeof(int));
	size_t np = 0;
	if (!pool || !free_slots) {
		free(pool);
		free(free_slots);
		return LF_ERR_NOMEM;
	}
	for (size_t i = 0; i < m->nleads; i++) {
		struct slead *l = &m->leads[i];
		double total;
		/* sales' own leads never wait for the gate */
		if (l->released || l->below || l->lead.created_at >= t)
			continue;
		total = l->fit + lf_score_engagement(&l->st, t);
		if (l->st.hand_raiser_at || total >= floor)
			pool[np++] = (struct ranked){ i, total, l->st.hand_raiser_at };
		else
			l->below = !l->rising;
	}
	qsort(pool, np, sizeof(*pool), by_rank);
	for (int r = 0; r < m->nreps; r++) {
		int room = m->reps[r].max_active - held(m, &m->reps[r], t);
		int budget = week_budget(m, &m->reps[r]) - m->reps[r].released_week;
		free_slots[r] = room < budget ? room : budget;
		m->reps[r].touches_left = week_budget(m, &m->reps[r]) / 5 + 1;
	}
	size_t k = 0;
	for (; k < np; k++) {
		int best = -1;
		for (int r = 0; r < m->nreps; r++)
			if (free_slots[r] > 0 && (best < 0 || free_slots[r] > free_slots[best]))
				best = r;
		if (best < 0)
			break;
		struct slead *l = &m->leads[pool[k].i];
		struct srep *rp = &m->reps[best];
		l->released = true;
		l->released_at = t;
		l->rep = best;
		free_slots[best]--;
		rp->released_week++;
		w->released++;
		w->expected += m->truth ? l->p : calibrated(m, m->deciles, pool[k].total);
		double sql = m->truth ? l->p_sql : calibrated(m, m->sql_deciles, pool[k].total);
		w->sqls += sql;
		m->ae_queue += sql;
		if (rp->nq == rp->capq) {
			size_t cap = rp->capq ? rp->capq * 2 : 64;
			size_t *q = realloc(rp->queue, cap * sizeof(*q));
			if (!q) {
				free(pool);
				free(free_slots);
				return LF_ERR_NOMEM;
			}
			rp->queue = q;
			rp->capq = cap;
		}
		rp->queue[rp->nq++] = pool[k].i;
		if (LF_GROW(rp->given, rp->ngiven, rp->capgiven, 64)) {
			free(pool);
			free(free_slots);
			return LF_ERR_NOMEM;
		}
		rp->given[rp->ngiven++] = t;
	}
	w->pool = (int)(np - k);
	/* first touches: oldest assignment first, at a seeded time of the day */
	for (int r = 0; r < m->nreps; r++) {
		struct srep *rp = &m->reps[r];
		size_t done = 0;
		while (done < rp->nq && rp->touches_left > 0) {
			struct slead *l = &m->leads[rp->queue[done++]];
			lf_time_ms at = t + (lf_time_ms)(lf_rng_uniform(rng) * 8 * 3600000.0);
			double limit = l->st.hand_raiser_at ? m->o->cap.sla.hand_raiser_due
							    : m->o->cap.sla.due;
			w->breaches += (double)(at - l->released_at) > limit * 60000.0;
			rp->touches_left--;
		}
		if (done)   /* (a rep never given a lead has no queue at all) */
			memmove(rp->queue, rp->queue + done, (rp->nq - done) * sizeof(*rp->queue));
		rp->nq -= done;
	}
	free(pool);
	free(free_slots);
	return LF_OK;
}

/* Whether an event of this type may count for a rule with negative points. */
static bool negative_event(const struct lf_model_def *def, const char *type)
{
	for (size_t i = 0; i < def->nengagement; i++)
		if (def->engagement[i].points < 0 && def->engagement[i].event &&
		    !strcmp(def->engagement[i].event, type))
			return true;
	return false;
}

static enum lf_result replay(struct sim *m, struct lf_sim_result *out, double floor,
			     struct lf_error *err)
{
	struct lf_rng rng;
	size_t ev = 0;
	lf_time_ms start = m->o->from - m->o->from % DAY;
	lf_rng_seed(&rng, m->o->seed);
	out->nweeks = (size_t)((m->o->to - start + 7 * DAY - 1) / (7 * DAY));
	if (!(out->weeks = calloc(out->nweeks + 1, sizeof(*out->weeks))))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	for (lf_time_ms t = start; t < m->o->to; t += DAY) {
		size_t wk = (size_t)((t - start) / (7 * DAY));
		struct lf_sim_week *w = &out->weeks[wk];
		enum lf_result r;
		if ((t - start) % (7 * DAY) == 0) {
			w->start = t;
			for (int i = 0; i < m->nreps; i++)
				m->reps[i].released_week = 0;
		}
		/* the day's events, then the gate at the day's end */
		for (; ev < m->nevents && m->events[ev].at < t + DAY; ev++) {
			const struct sevent *x = &m->events[ev];
			struct slead *l = &m->leads[x->lead];
			struct lf_event e = { .lead_id = l->lead.id, .type = m->types[x->type],
					      .occurred_at = x->at,
					      .properties = x->properties ? x->properties : "{}" };
			if ((r = lf_score_add_stored(&l->st, &l->lead, &e, NULL)))
				return lf_error_set(err, r, "cannot score an event");
			l->below = false;
			l->rising |= negative_event(m->def, e.type);
		}
		if ((r = day(m, t + DAY, floor, &rng, w)))
			return lf_error_set(err, r, "out of memory");
		/* the AEs take their day's share of the SQLs waiting */
		m->ae_queue = fmax(0, m->ae_queue - m->ae_daily);
		w->ae_waiting = m->ae_queue;
	}
	for (size_t i = 0; i < out->nweeks; i++) {
		out->released += out->weeks[i].released;
		out->breaches += out->weeks[i].breaches;
		out->expected += out->weeks[i].expected;
		out->sqls += out->weeks[i].sqls;
	}
	return LF_OK;
}

enum lf_result lf_simulate(struct lf_store *s, const struct lf_sim_options *o,
			   struct lf_sim_result *out, struct lf_error *err)
{
	struct sim m = { .s = s, .o = o };
	struct lf_model_def active;
	int version;
	bool own = false;
	enum lf_result r = LF_OK;

	memset(out, 0, sizeof(*out));
	if (o->to <= o->from)
		return lf_error_field(err, LF_ERR_INPUT, "to", "--to must come after --from");
	m.def = o->model;
	if (!m.def) {
		if ((r = lf_model_active(s, &active, &version, err)))
			return r;
		m.def = &active;
		own = true;
	}
	out->floor = o->has_floor ? o->floor : m.def->floor;
	if (!(r = reps(&m, out, err)) && !(r = load(&m, err)))
		r = replay(&m, out, out->floor, err);
	out->truth = m.truth;
	for (size_t i = 0; i < m.nleads; i++) {
		lf_lead_release(&m.leads[i].lead);
		lf_score_state_release(&m.leads[i].st);
	}
	for (size_t i = 0; i < m.nevents; i++)
		free(m.events[i].properties);
	for (size_t i = 0; i < m.ntypes; i++)
		free(m.types[i]);
	free(m.types);
	for (int i = 0; m.reps && i < m.nreps; i++) {
		free(m.reps[i].queue);
		free(m.reps[i].given);
	}
	free(m.reps);
	free(m.leads);
	free(m.events);
	if (own)
		lf_model_def_release(&active);
	if (r)
		lf_sim_result_release(out);
	return r;
}

void lf_sim_result_release(struct lf_sim_result *r)
{
	if (!r)
		return;
	free(r->weeks);
	memset(r, 0, sizeof(*r));
}

static void cellf(char *buf, const char *fmt, double v)
{
	snprintf(buf, 32, fmt, v);
}

enum lf_result lf_simulate_compare(struct lf_store *s, const struct lf_sim_options *base,
				   const struct lf_sim_options *alt, struct lf_table *t,
				   struct lf_sim_result *rb, struct lf_sim_result *ra,
				   struct lf_error *err)
{
	static const char *const headers[] = {
		"week", "released", "released_scenario", "waiting", "waiting_scenario",
		"sla_breaches", "sla_breaches_scenario", "expected_conversions",
		"expected_conversions_scenario", "expected_sqls", "expected_sqls_scenario",
		"sqls_waiting_for_ae", "sqls_waiting_for_ae_scenario" };
	enum lf_result r;

	lf_table_init(t, 13, headers, 0x1FFEu);
	if ((r = lf_simulate(s, base, rb, err)))
		return r;
	if ((r = lf_simulate(s, alt, ra, err))) {
		lf_sim_result_release(rb);
		return r;
	}
	for (size_t i = 0; i <= rb->nweeks && i <= ra->nweeks && !r; i++) {
		bool total = i == rb->nweeks;
		const struct lf_sim_week *x = total ? NULL : &rb->weeks[i];
		const struct lf_sim_week *y = total ? NULL : &ra->weeks[i];
		char c[13][32];
		if (total)
			snprintf(c[0], 32, "total");
		else
			lf_time_format(x->start, c[0]), c[0][10] = 0;
		cellf(c[1], "%.0f", total ? rb->released : x->released);
		cellf(c[2], "%.0f", total ? ra->released : y->released);
		cellf(c[3], "%.0f", total ? (rb->nweeks ? rb->weeks[rb->nweeks - 1].pool : 0) : x->pool);
		cellf(c[4], "%.0f", total ? (ra->nweeks ? ra->weeks[ra->nweeks - 1].pool : 0) : y->pool);
		cellf(c[5], "%.0f", total ? rb->breaches : x->breaches);
		cellf(c[6], "%.0f", total ? ra->breaches : y->breaches);
		cellf(c[7], "%.1f", total ? rb->expected : x->expected);
		cellf(c[8], "%.1f", total ? ra->expected : y->expected);
		cellf(c[9], "%.1f", total ? rb->sqls : x->sqls);
		cellf(c[10], "%.1f", total ? ra->sqls : y->sqls);
		/* the queue at the end of the week (of the last one for the total) */
		const struct lf_sim_week *lb = !total ? x : rb->nweeks ? &rb->weeks[rb->nweeks - 1] : NULL;
		const struct lf_sim_week *la = !total ? y : ra->nweeks ? &ra->weeks[ra->nweeks - 1] : NULL;
		cellf(c[11], "%.1f", lb ? lb->ae_waiting : 0);
		cellf(c[12], "%.1f", la ? la->ae_waiting : 0);
		if (!rb->aes)
			c[11][0] = 0;
		if (!ra->aes)
			c[12][0] = 0;
		const char *row[13] = { c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9],
					c[10], c[11], c[12] };
		r = lf_table_add(t, row);
	}
	if (r) {
		lf_sim_result_release(ra);
		lf_sim_result_release(rb);
	}
	return r;
}
