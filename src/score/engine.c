/*
 * engine.c - the scoring kernel of engine.h. Day slots for max_per_day are
 * kept in a small array searched from the end: a lead's events cluster in
 * recent days, so the slot sought is almost always among the last few.
 */
#include "score/engine.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum lf_result lf_score_state_init(struct lf_score_state *st, const struct lf_model_def *m)
{
	memset(st, 0, sizeof(*st));
	st->m = m;
	if (m->nengagement && !(st->acc = calloc(m->nengagement, sizeof(*st->acc))))
		return LF_ERR_NOMEM;
	return LF_OK;
}

void lf_score_state_release(struct lf_score_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nslots; i++)
		free(st->slots[i].times);
	free(st->slots);
	free(st->acc);
	memset(st, 0, sizeof(*st));
}

static double weight(const struct lf_score_state *st, lf_time_ms dt)
{
	return exp2(-(double)dt / ((double)LF_MS_PER_DAY * st->m->half_life_days));
}

static void acc_add(struct lf_score_state *st, size_t r, lf_time_ms t, double p)
{
	struct lf_rule_acc *a = &st->acc[r];
	if (a->counted == 0) {
		a->sum = p;
		a->ref = t;
	} else if (t > a->ref) {
		a->sum = a->sum * weight(st, t - a->ref) + p;
		a->ref = t;
	} else {
		a->sum += p * weight(st, a->ref - t);
	}
	a->counted++;
}

static void acc_remove(struct lf_score_state *st, size_t r, lf_time_ms t, double p)
{
	struct lf_rule_acc *a = &st->acc[r];
	/* t <= ref: a counted event is never later than the reference */
	a->sum -= p * weight(st, a->ref - t);
	a->counted--;
}

static struct lf_day_slot *day_slot(struct lf_score_state *st, int rule, int64_t day,
				    int capacity)
{
	for (size_t i = st->nslots; i-- > 0;)
		if (st->slots[i].rule == rule && st->slots[i].day == day)
			return &st->slots[i];
	if (LF_GROW(st->slots, st->nslots, st->cap, 8))
		return NULL;
	struct lf_day_slot *s = &st->slots[st->nslots];
	if (!(s->times = malloc((size_t)capacity * sizeof(*s->times))))
		return NULL;
	s->rule = rule;
	s->day = day;
	s->n = 0;
	st->nslots++;
	return s;
}

static void slot_insert(struct lf_day_slot *s, lf_time_ms t)
{
	int i = s->n++;
	while (i > 0 && s->times[i - 1] > t) {
		s->times[i] = s->times[i - 1];
		i--;
	}
	s->times[i] = t;
}

enum lf_result lf_score_add_event(struct lf_score_state *st, const struct lf_lead *lead,
				  const char *type, lf_time_ms occurred_at,
				  const struct lf_attrs *props)
{
	const struct lf_model_def *m = st->m;
	struct lf_expr_env env = { .lead = lead, .event_type = type,
				   .occurred_at = occurred_at, .props = props,
				   .now = occurred_at };

	/* after a rejection, only what the lead does later counts (SPEC 4) */
	if (lead && lead->recycled_at && occurred_at <= lead->recycled_at)
		return LF_OK;
	for (size_t r = 0; r < m->nengagement; r++) {
		const struct lf_rule *rule = &m->engagement[r];
		if (strcmp(rule->event, type) || (rule->when && !lf_expr_holds(rule->when, &env)))
			continue;
		if (rule->hand_raiser && (!st->hand_raiser_at || occurred_at < st->hand_raiser_at)) {
			st->hand_raiser_at = occurred_at;
			st->hand_raiser_rule = rule->name;
		}
		if (!rule->max_per_day) {
			acc_add(st, r, occurred_at, rule->points);
			continue;
		}
		int64_t day = occurred_at >= 0 ? occurred_at / LF_MS_PER_DAY
					       : -((-occurred_at - 1) / LF_MS_PER_DAY) - 1;
		struct lf_day_slot *s = day_slot(st, (int)r, day, rule->max_per_day);
		if (!s)
			return LF_ERR_NOMEM;
		if (s->n < rule->max_per_day) {
			slot_insert(s, occurred_at);
			acc_add(st, r, occurred_at, rule->points);
		} else if (occurred_at < s->times[s->n - 1]) {
			/* the day is full, and this one came earlier: it counts instead */
			acc_remove(st, r, s->times[--s->n], rule->points);
			slot_insert(s, occurred_at);
			acc_add(st, r, occurred_at, rule->points);
		}
	}
	return LF_OK;
}

/* --- the state as bytes ---------------------------------------------- */

#define STATE_MAGIC "LFS1"

static enum lf_result put(struct lf_buf *b, const void *p, size_t n)
{
	return lf_buf_add(b, p, n);
}

enum lf_result lf_score_state_encode(const struct lf_score_state *st, int version,
				     struct lf_buf *out)
{
	uint32_t nrules = (uint32_t)st->m->nengagement, nslots = (uint32_t)st->nslots;
	int32_t v = version;
	int32_t hr = -1;
	enum lf_result r;

	for (size_t i = 0; st->hand_raiser_rule && i < st->m->nengagement; i++)
		if (st->m->engagement[i].name == st->hand_raiser_rule)
			hr = (int32_t)i;
	if ((r = put(out, STATE_MAGIC, 4)) || (r = put(out, &v, 4)) || (r = put(out, &nrules, 4)) ||
	    (r = put(out, &nslots, 4)) || (r = put(out, &st->hand_raiser_at, 8)) ||
	    (r = put(out, &hr, 4)))
		return r;
	for (size_t i = 0; i < nrules; i++)
		if ((r = put(out, &st->acc[i].sum, 8)) || (r = put(out, &st->acc[i].ref, 8)) ||
		    (r = put(out, &st->acc[i].counted, 8)))
			return r;
	for (size_t i = 0; i < nslots; i++) {
		const struct lf_day_slot *s = &st->slots[i];
		int32_t rule = s->rule, n = s->n;
		if ((r = put(out, &rule, 4)) || (r = put(out, &s->day, 8)) ||
		    (r = put(out, &n, 4)) || (r = put(out, s->times, (size_t)n * 8)))
			return r;
	}
	return LF_OK;
}

struct reader {
	const unsigned char *p, *end;
};

static bool get(struct reader *rd, void *out, size_t n)
{
	if ((size_t)(rd->end - rd->p) < n)
		return false;
	memcpy(out, rd->p, n);
	rd->p += n;
	return true;
}

enum lf_result lf_score_state_decode(struct lf_score_state *st, const struct lf_model_def *m,
				     int version, const void *bytes, size_t len)
{
	struct reader rd = { bytes, (const unsigned char *)bytes + len };
	char magic[4];
	uint32_t nrules, nslots;
	int32_t hr, v;

	if (lf_score_state_init(st, m))
		return LF_ERR_NOMEM;
	if (!get(&rd, magic, 4) || memcmp(magic, STATE_MAGIC, 4) || !get(&rd, &v, 4) ||
	    v != version || !get(&rd, &nrules, 4) ||
	    nrules != m->nengagement || !get(&rd, &nslots, 4) ||
	    !get(&rd, &st->hand_raiser_at, 8) || !get(&rd, &hr, 4) ||
	    hr < -1 || hr >= (int32_t)nrules)
		goto bad;
	st->hand_raiser_rule = hr >= 0 ? m->engagement[hr].name : NULL;
	for (size_t i = 0; i < nrules; i++)
		if (!get(&rd, &st->acc[i].sum, 8) || !get(&rd, &st->acc[i].ref, 8) ||
		    !get(&rd, &st->acc[i].counted, 8))
			goto bad;
	for (size_t i = 0; i < nslots; i++) {
		int32_t rule, n;
		int64_t day;
		struct lf_day_slot *s;
		if (!get(&rd, &rule, 4) || !get(&rd, &day, 8) || !get(&rd, &n, 4) ||
		    rule < 0 || rule >= (int32_t)nrules ||
		    n < 0 || n > m->engagement[rule].max_per_day)
			goto bad;
		if (!(s = day_slot(st, rule, day, m->engagement[rule].max_per_day)))
			goto bad;
		if (!get(&rd, s->times, (size_t)n * 8))
			goto bad;
		s->n = n;
	}
	if (rd.p != rd.end)
		goto bad;
	return LF_OK;
bad:
	lf_score_state_release(st);
	return LF_ERR_INPUT;
}

bool lf_score_wants(const struct lf_model_def *m, const char *type, bool *props)
{
	bool any = false;
	*props = false;
	for (size_t r = 0; r < m->nengagement; r++)
		if (!strcmp(m->engagement[r].event, type)) {
			any = true;
			*props |= m->engagement[r].when != NULL;
		}
	return any;
}

enum lf_result lf_score_add_stored(struct lf_score_state *st, const struct lf_lead *lead,
				   const struct lf_event *e, const struct lf_attrs *given)
{
	struct lf_attrs props;
	bool need;
	enum lf_result r;

	if (!lf_score_wants(st->m, e->type, &need))
		return LF_OK; /* no rule counts it: not worth parsing */
	lf_attrs_init(&props);
	/* LF_ERR_INPUT leaves props empty: nested values, or not an object */
	if (need && !given && (r = lf_attrs_from_json(&props, e->properties, NULL)) &&
	    r != LF_ERR_INPUT)
		return r;
	r = lf_score_add_event(st, lead, e->type, e->occurred_at, given ? given : &props);
	lf_attrs_release(&props);
	return r;
}

double lf_score_rule_value(const struct lf_score_state *st, size_t r, lf_time_ms t)
{
	const struct lf_rule_acc *a = &st->acc[r];
	const struct lf_rule *rule = &st->m->engagement[r];
	double v;

	if (!a->counted)
		return 0;
	v = a->sum * weight(st, t - a->ref);
	if (rule->cap > 0 && v > rule->cap)
		v = rule->cap;
	return v;
}

double lf_score_engagement(const struct lf_score_state *st, lf_time_ms t)
{
	double total = 0;
	for (size_t r = 0; r < st->m->nengagement; r++)
		total += lf_score_rule_value(st, r, t);
	return total;
}

double lf_score_fit_rules(const struct lf_model_def *m, const struct lf_lead *lead,
			  lf_time_ms now, uint64_t *fired)
{
	struct lf_expr_env env = { .lead = lead, .now = now };
	double fit = 0;
	uint64_t mask = 0;
	for (size_t i = 0; i < m->nfit; i++)
		if (lf_expr_holds(m->fit[i].when, &env)) {
			fit += m->fit[i].points;
			if (i < 64)
				mask |= UINT64_C(1) << i;
		}
	if (fired)
		*fired = mask;
	return fit;
}

double lf_score_fit(const struct lf_model_def *m, const struct lf_lead *lead,
		    lf_time_ms now)
{
	return lf_score_fit_rules(m, lead, now, NULL);
}

uint64_t lf_score_engaged(const struct lf_score_state *st)
{
	uint64_t mask = 0;
	for (size_t r = 0; r < st->m->nengagement; r++)
		if (st->acc[r].counted && st->m->nfit + r < 64)
			mask |= UINT64_C(1) << (st->m->nfit + r);
	return mask;
}

const struct lf_disq_rule *lf_score_disqualified(const struct lf_model_def *m,
						 const struct lf_lead *lead,
						 lf_time_ms now)
{
	struct lf_expr_env env = { .lead = lead, .now = now };
	for (size_t i = 0; i < m->ndisqualify; i++)
		if (lf_expr_holds(m->disqualify[i].when, &env))
			return &m->disqualify[i];
	return NULL;
}
