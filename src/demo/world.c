/*
 * world.c - the demo world's generator.
 *
 * Each lead gets hidden traits: fit (seniority, company size, industry,
 * email domain) and intent. Intent drives its events; fit and intent, plus
 * its source's quality, decide whether marketing qualifies it. Qualified
 * leads are assigned to a rep of their territory, whose first touch comes
 * after a delay that depends on the rep's habits and on the lead's urgency.
 * The hidden truth is
 *
 *   logit P(sql) = -1.3 + 0.9 fit + 0.8 intent + q(source)
 *                  - 0.35 log2(1 + hours to first touch)
 *   logit P(won | sql) = -0.5 + 0.6 fit + 0.3 intent
 *
 * and every outcome is drawn from it, so that the reports and the trained
 * models have something true to find. Reject reasons depend on the source,
 * the rep's rating follows the truth with noise, and sales-sourced leads get
 * more touches than marketing's. Everything comes from one seeded generator,
 * in one order, so the world is the same for the same seed.
 */
#include "demo/world.h"
#include "core/rng.h"
#include "core/strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR (INT64_C(3600000))
#define DAY LF_MS_PER_DAY
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_names[] = {
	"Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines",
	"Jonas", "Keiko", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa",
	"Samir", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Lucas",
	"Amelie", "Ravi", "Sofia", "Mateo", "Priya", "Jan", "Lena", "Omar", "Hana",
};
static const char *const last_names[] = {
	"Kovacs", "Schmidt", "Dubois", "Rossi", "Garcia", "Nguyen", "Patel", "Kim",
	"Johnson", "Okafor", "Silva", "Novak", "Jensen", "Murphy", "Tanaka", "Cohen",
	"Haddad", "Lindqvist", "Moreau", "Fischer", "Costa", "Ivanova", "Chen",
	"Walker", "Bianchi", "Meyer", "Sato", "Larsen", "Kaya", "Mendes",
};
static const char *const company_a[] = {
	"North", "Blue", "Bright", "Iron", "Silver", "Quantum", "Green", "Apex",
	"Cedar", "Nova", "Harbor", "Summit", "Vertex", "Pioneer", "Atlas", "Delta",
};
static const char *const company_b[] = {
	"wind", "stone", "field", "bridge", "works", "logic", "point", "path",
	"forge", "line", "wave", "peak", "grid", "loop",
};
static const char *const company_c[] = {
	"Logistics", "Systems", "Health", "Finance", "Labs", "Retail", "Energy",
	"Foods", "Software", "Industries",
};

struct industry {
	const char *name;
	double fit;
};
static const struct industry industries[] = {
	{ "software", 0.6 }, { "financial services", 0.5 }, { "manufacturing", 0.3 },
	{ "healthcare", 0.2 }, { "logistics", 0.2 }, { "retail", -0.1 },
	{ "education", -0.5 }, { "public sector", -0.6 },
};

struct country {
	const char *code;
	const char *team;
	double weight;
};
static const struct country countries[] = {
	{ "US", "na", 30 }, { "CA", "na", 6 }, { "GB", "emea", 12 },
	{ "DE", "emea", 10 }, { "FR", "emea", 8 }, { "NL", "emea", 4 },
	{ "ES", "emea", 4 }, { "IN", "apac", 8 }, { "AU", "apac", 5 },
	{ "SG", "apac", 3 }, { "JP", "apac", 3 },
};
static const char *const teams[] = { "na", "emea", "apac" };

struct seniority {
	const char *pattern; /* %s: the department */
	double fit;
	double weight;
};
static const struct seniority seniorities[] = {
	{ "Chief %s Officer", 1.2, 3 }, { "VP %s", 1.0, 6 }, { "Head of %s", 0.8, 8 },
	{ "Director of %s", 0.7, 10 }, { "%s Manager", 0.3, 22 },
	{ "Senior %s Specialist", 0.0, 16 }, { "%s Analyst", -0.3, 16 },
	{ "%s Consultant", -0.4, 7 }, { "%s Intern", -1.0, 5 }, { "Student", -1.5, 4 },
};
static const char *const departments[] = {
	"Marketing", "Sales", "Operations", "IT", "Finance", "Engineering",
	"Customer Success", "Procurement",
};

struct source {
	const char *name;
	double quality;     /* added to logit P(sql) */
	double intent;      /* shift of the intent of its leads */
	double weight;
	const char *campaigns[3];
	const char *reject_reasons[3]; /* why reps turn its leads down */
};
static const struct source sources[] = {
	{ "organic_search", 0.3, 0.2, 18, { "seo-blog", "seo-product", NULL },
	  { "no_need", "bad_timing", "no_budget" } },
	{ "paid_search", 0.0, 0.1, 16, { "brand-search", "competitor-keywords", "generic-crm" },
	  { "no_budget", "no_need", "bad_timing" } },
	{ "paid_social", -0.5, -0.3, 14, { "linkedin-lead-gen", "meta-retargeting", NULL },
	  { "no_need", "unreachable", "wrong_contact" } },
	{ "content_syndication", -0.8, -0.5, 10, { "g2-syndication", "techtarget-ebook", NULL },
	  { "wrong_contact", "unreachable", "no_need" } },
	{ "webinar", 0.4, 0.3, 12, { "2026-q2-webinar-series", "product-tour-live", NULL },
	  { "bad_timing", "no_budget", "no_need" } },
	{ "event", 0.2, 0.2, 8, { "saas-connect-2026", "regional-roadshow", NULL },
	  { "bad_timing", "wrong_contact", "no_budget" } },
	{ "referral", 0.8, 0.5, 6, { "customer-referral", "partner-referral", NULL },
	  { "bad_timing", "duplicate", "no_budget" } },
	{ "partner", 0.3, 0.1, 6, { "reseller-mdf", "integration-marketplace", NULL },
	  { "duplicate", "no_need", "bad_timing" } },
};
#define SALES_SHARE 0.12

/*
 * What a lead of each source costs marketing, on average: the demo's spend
 * is each campaign's expected leads a day times its source's cost, with
 * day-to-day noise. Sources differ in cost and in quality, so the cost per
 * won deal differs by more than the cost per lead.
 */
static const double cost_per_lead[N(sources)] = {
	15, 95, 70, 45, 60, 220, 30, 40,
};
/* How often a source's addresses bounce: bought lists and forms filled in
 * for a download more than people who came looking. */
static const double bounce_rate[N(sources)] = {
	0.01, 0.02, 0.05, 0.12, 0.02, 0.03, 0.005, 0.02,
};

static const char *const lost_reasons[] = { "price", "competitor_won", "no_decision",
					    "timing" };
static const char *const free_domains[] = { "gmail.com", "yahoo.com", "hotmail.com",
					    "outlook.com" };
static const char *const rival_domain = "rival.example";

struct event_kind {
	const char *type;
	double base;      /* share of events at intent 0 */
	double slope;     /* how the share grows with intent */
};
static const struct event_kind event_kinds[] = {
	{ "page_view", 40, 0.0 }, { "email_open", 25, -0.2 }, { "email_click", 10, 0.2 },
	{ "download", 6, 0.3 }, { "webinar", 3, 0.4 }, { "form_submit", 3, 0.5 },
	{ "unsubscribe", 1.2, -1.0 },
};
static const char *const pages[] = {
	"/", "/product", "/pricing", "/blog/lead-scoring-101", "/blog/sales-handoff",
	"/case-studies/northwind", "/docs/api", "/integrations", "/security",
};
static const char *const assets[] = { "ebook-mql-playbook", "roi-calculator",
				      "analyst-report-2026", "sla-template" };

struct rep_habit {
	double response_hours; /* median hours to first touch */
};

struct gen {
	struct lf_rng rng;
	const struct lf_demo_options *o;
	lf_time_ms end, start;
	struct lf_rep *reps;          /* the SDRs, then the AEs */
	struct rep_habit *habits;
	size_t nreps;
	size_t team_first[N(teams)], team_count[N(teams)];
	size_t ae_first[N(teams)], ae_count[N(teams)];
	int64_t *ae_load;             /* SQLs handed to each rep so far (AEs only) */
	struct lf_strmap emails;
};

static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

static const char *pick(struct lf_rng *r, const char *const *a, size_t n)
{
	return a[lf_rng_below(r, n)];
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static void lower_alnum(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			*w++ = *p;
		else if (*p >= 'A' && *p <= 'Z')
			*w++ = (char)(*p - 'A' + 'a');
	*w = '\0';
}

/* A rep's name, unique among the first k: the rare repeat suffixed. */
static char *unique_name(struct gen *g, struct lf_rng *rng, size_t k)
{
	char *name = fmt("%s %s", pick(rng, first_names, N(first_names)),
			 pick(rng, last_names, N(last_names)));
	for (size_t j = 0; j < k && name; j++)
		if (!strcmp(g->reps[j].name, name)) {
			char *n = fmt("%s %zu", name, k);
			free(name);
			return n;
		}
	return name;
}

/*
 * The SDRs of each team, then its account executives: a third as many
 * (one at least), in a team of their own ("na-ae") taking the same pools.
 * The AEs come from a generator of their own, so the SDRs and every lead's
 * story up to its SQL are what they were in a world of one tier.
 */
static enum lf_result make_reps(struct gen *g)
{
	size_t per_team = (size_t)(g->o->leads / 1500) + 2;
	if (per_team > 20)
		per_team = 20;
	size_t aes = per_team / 3 + 1;
	struct lf_rng rng;
	g->nreps = (per_team + aes) * N(teams);
	g->reps = calloc(g->nreps, sizeof(*g->reps));
	g->habits = calloc(g->nreps, sizeof(*g->habits));
	g->ae_load = calloc(g->nreps, sizeof(*g->ae_load));
	if (!g->reps || !g->habits || !g->ae_load)
		return LF_ERR_NOMEM;
	size_t k = 0;
	for (size_t t = 0; t < N(teams); t++) {
		g->team_first[t] = k;
		g->team_count[t] = per_team;
		for (size_t i = 0; i < per_team; i++, k++) {
			struct lf_rep *r = &g->reps[k];
			static const double hours[] = { 40, 40, 40, 32, 24 };
			r->name = unique_name(g, &g->rng, k);
			r->team = strdup(teams[t]);
			r->pools = fmt("%s,%s", teams[t], i % 3 == 0 ? "enterprise" : "smb");
			r->weekly_hours = hours[lf_rng_below(&g->rng, N(hours))];
			r->max_active = 30 + (int)lf_rng_below(&g->rng, 31);
			r->away = lf_rng_uniform(&g->rng) < 0.05;
			/* some reps call back within the hour, others take days */
			g->habits[k].response_hours = exp(lf_rng_normal(&g->rng) * 1.1 + 1.6);
			if (!r->name || !r->team || !r->pools)
				return LF_ERR_NOMEM;
		}
	}
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0xD1B54A32D192ED03) + 11);
	for (size_t t = 0; t < N(teams); t++) {
		g->ae_first[t] = k;
		g->ae_count[t] = aes;
		for (size_t i = 0; i < aes; i++, k++) {
			struct lf_rep *r = &g->reps[k];
			r->name = unique_name(g, &rng, k);
			r->tier = LF_TIER_AE;
			r->team = fmt("%s-ae", teams[t]);
			r->pools = fmt("%s,enterprise,smb", teams[t]);
			r->weekly_hours = 40;
			r->max_active = 15 + (int)lf_rng_below(&rng, 11);
			if (!r->name || !r->team || !r->pools)
				return LF_ERR_NOMEM;
		}
	}
	return LF_OK;
}

/* --- story building helpers ------------------------------------------ */

static enum lf_result add_transition(struct demo_story *s, enum lf_stage from,
				     enum lf_stage to, const char *actor, lf_time_ms at,
				     const char *reason, int rating, const char *note)
{
	struct lf_transition *p = realloc(s->trans, (s->ntrans + 1) * sizeof(*p));
	if (!p)
		return LF_ERR_NOMEM;
	s->trans = p;
	p = &s->trans[s->ntrans++];
	memset(p, 0, sizeof(*p));
	p->from = from;
	p->to = to;
	p->at = at;
	p->rating = rating;
	p->owner_rep_id = s->owner >= 0 ? s->owner + 1 : 0;   /* the sink makes it an id */
	if (lf_set_str(&p->actor, actor) || lf_set_str(&p->reason, reason) ||
	    lf_set_str(&p->note, note))
		return LF_ERR_NOMEM;
	s->lead.stage = to;
	return LF_OK;
}

static enum lf_result add_touch(struct gen *g, struct demo_story *s, int64_t idx,
				int rep, const char *kind, lf_time_ms at)
{
	struct demo_touch *p = realloc(s->touches, (s->ntouches + 1) * sizeof(*p));
	double minutes;
	static const char *const outcomes[] = { "connected", "voicemail", "no answer",
						"follow-up booked" };
	if (!p)
		return LF_ERR_NOMEM;
	s->touches = p;
	p = &s->touches[s->ntouches];
	memset(p, 0, sizeof(*p));
	p->rep = rep;
	if (!strcmp(kind, "meeting"))
		minutes = 30 + 15 * (double)lf_rng_below(&g->rng, 3);
	else if (!strcmp(kind, "call"))
		minutes = 3 + (double)lf_rng_below(&g->rng, 25);
	else
		minutes = 2 + (double)lf_rng_below(&g->rng, 9);
	p->t.key = fmt("t-%lld-%zu", (long long)idx, s->ntouches);
	p->t.kind = strdup(kind);
	p->t.minutes = minutes;
	p->t.at = at;
	if (!strcmp(kind, "call"))
		p->t.outcome = strdup(pick(&g->rng, outcomes, N(outcomes)));
	s->ntouches++;
	return p->t.key && p->t.kind ? LF_OK : LF_ERR_NOMEM;
}

static int cmp_event(const void *a, const void *b)
{
	const struct lf_event *x = a, *y = b;
	return (x->occurred_at > y->occurred_at) - (x->occurred_at < y->occurred_at);
}

static enum lf_result add_event(struct gen *g, struct demo_story *s, int64_t idx,
				const char *type, lf_time_ms at, const char *campaign)
{
	struct lf_event *p = realloc(s->events, (s->nevents + 1) * sizeof(*p));
	if (!p)
		return LF_ERR_NOMEM;
	s->events = p;
	p = &s->events[s->nevents];
	memset(p, 0, sizeof(*p));
	p->id = fmt("ev-%lld-%zu", (long long)idx, s->nevents);
	p->type = strdup(type);
	p->occurred_at = at;
	if (!strcmp(type, "page_view"))
		p->properties = fmt("{\"url\":\"%s\"}", pick(&g->rng, pages, N(pages)));
	else if (!strncmp(type, "email_", 6))
		p->properties = fmt("{\"campaign\":\"%s\"}", campaign);
	else if (!strcmp(type, "download"))
		p->properties = fmt("{\"asset\":\"%s\"}", pick(&g->rng, assets, N(assets)));
	else
		p->properties = strdup("{}");
	s->nevents++;
	return p->id && p->type && p->properties ? LF_OK : LF_ERR_NOMEM;
}

static void story_release(struct demo_story *s)
{
	lf_lead_release(&s->lead);
	for (size_t i = 0; i < s->nevents; i++)
		lf_event_release(&s->events[i]);
	for (size_t i = 0; i < s->ntouches; i++)
		lf_touch_release(&s->touches[i].t);
	for (size_t i = 0; i < s->ntrans; i++)
		lf_transition_release(&s->trans[i]);
	for (size_t i = 0; i < s->nanswers; i++)
		lf_answer_release(&s->answers[i]);
	free(s->events);
	free(s->touches);
	free(s->trans);
	free(s->answers);
	memset(s, 0, sizeof(*s));
}

/* The rep of a team with the fewest leads so far, ties to the first. */
static int assign_rep(struct gen *g, size_t team, const int64_t *load)
{
	int best = -1;
	for (size_t i = 0; i < g->team_count[team]; i++) {
		int k = (int)(g->team_first[team] + i);
		if (g->reps[k].away)
			continue;
		if (best < 0 || load[k] < load[best])
			best = k;
	}
	return best < 0 ? (int)g->team_first[team] : best;
}

/* Touches between from and to by rep: calls and emails, meetings later on. */
static enum lf_result work_lead(struct gen *g, struct demo_story *s, int64_t idx,
				int rep, lf_time_ms from, lf_time_ms to, double mean,
				bool meetings)
{
	unsigned n = lf_rng_poisson(&g->rng, mean);
	enum lf_result r;
	for (unsigned i = 0; i < n; i++) {
		lf_time_ms at = from + (lf_time_ms)(lf_rng_uniform(&g->rng) * (double)(to - from));
		double u = lf_rng_uniform(&g->rng);
		const char *kind = meetings && u < 0.25 ? "meeting" : u < 0.65 ? "call"
				 : u < 0.95 ? "email" : "note";
		if (at > g->end)
			continue;
		if ((r = add_touch(g, s, idx, rep, kind, at)))
			return r;
	}
	return LF_OK;
}

/* --- one lead -------------------------------------------------------- */

/* One answer, kept on the story and as the lead's attribute answer_KEY. */
static enum lf_result add_answer(struct demo_story *s, const char *rep, const char *key,
				 const struct lf_value *v, lf_time_ms at)
{
	struct lf_answer *p = realloc(s->answers, (s->nanswers + 1) * sizeof(*p));
	char attr[64];
	if (!p)
		return LF_ERR_NOMEM;
	s->answers = p;
	p = &s->answers[s->nanswers];
	memset(p, 0, sizeof(*p));
	p->question = strdup(key);
	p->value = v->type == LF_VAL_STRING ? fmt("\"%s\"", v->str) : fmt("%.0f", v->num);
	p->actor = strdup(rep);
	p->at = at;
	s->nanswers++;
	snprintf(attr, sizeof(attr), "answer_%s", key);
	if (!p->question || !p->value || !p->actor || lf_attrs_set(&s->lead.attrs, attr, v))
		return LF_ERR_NOMEM;
	return LF_OK;
}

/*
 * The answers to models/default.yaml's questions, once the story is told:
 * at accept, budget (yes far more often for leads that go on to sql),
 * heard_from and seats (chance alone); at qualify, timeline (this quarter
 * far more often for leads that are won). Each rep answers at a rate of
 * their own. A generator of its own, seeded by the lead, so that the rest
 * of the world is the same as without answers.
 */
static enum lf_result add_answers(struct gen *g, int64_t idx, struct demo_story *s)
{
	static const char *const heard[] = { "search", "event", "colleague", "social", "other" };
	static const char *const timeline[] = { "this_quarter", "this_year", "later" };
	lf_time_ms accepted = 0, qualified = 0;
	bool sql = false, won = false, lost = false;
	struct lf_rng rng;
	enum lf_result r = LF_OK;

	for (size_t i = 0; i < s->ntrans; i++) {
		const struct lf_transition *t = &s->trans[i];
		if (t->to == LF_STAGE_SAL && !accepted)
			accepted = t->at;
		if (t->to == LF_STAGE_SQL && !qualified)
			qualified = t->at;
		sql |= t->to == LF_STAGE_SQL;
		won |= t->to == LF_STAGE_WON;
		lost |= t->to == LF_STAGE_LOST;
	}
	if (s->owner < 0 || (!accepted && !qualified))
		return LF_OK;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)idx + 1);
	int asker = s->sdr >= 0 ? s->sdr : s->owner;   /* the SDR asks, not the AE */
	const char *rep = g->reps[asker].name;
	/* how often this rep asks: 55% to 95% */
	double asks = 0.55 + 0.4 * fmod(0.618034 * (double)(asker + 1), 1.0);
	if (accepted) {
		/* a lead still at sal: whether it would go on, from the truth */
		bool goes_on = sql || (s->lead.stage == LF_STAGE_SAL &&
				       lf_rng_uniform(&rng) < s->p_sql);
		if (lf_rng_uniform(&rng) < asks)
			r = add_answer(s, rep, "budget", &(struct lf_value){ .type = LF_VAL_STRING,
				.str = lf_rng_uniform(&rng) < (goes_on ? 0.72 : 0.30) ? "yes" : "no" },
				accepted);
		if (!r && lf_rng_uniform(&rng) < asks)
			r = add_answer(s, rep, "heard_from", &(struct lf_value){
				.type = LF_VAL_STRING, .str = (char *)pick(&rng, heard, N(heard)) },
				accepted);
		if (!r && lf_rng_uniform(&rng) < asks)
			r = add_answer(s, rep, "seats", &(struct lf_value){ .type = LF_VAL_NUMBER,
				.num = round(exp(2.0 + 0.8 * lf_rng_normal(&rng))) }, accepted);
	}
	if (!r && qualified && lf_rng_uniform(&rng) < asks) {
		bool wins = won || (!lost && lf_rng_uniform(&rng) < s->p_won);
		size_t k = lf_rng_weighted(&rng, wins ? (const double[]){ 6, 3, 1 }
						      : (const double[]){ 2, 4, 4 }, 3);
		r = add_answer(s, rep, "timeline", &(struct lf_value){ .type = LF_VAL_STRING,
			.str = (char *)timeline[k] }, qualified);
	}
	return r;
}

/*
 * The second handoff of an SQL: to the AE of the SDR's team with the
 * fewest SQLs so far, a few hours after it qualified (before its
 * opportunity would open). The AE sends it back to the SDR more often the
 * less likely it is to be won, and more often for some SDRs than others
 * (each qualifies more or less loosely: 0.5 to 1.8 times the base rate);
 * the SDR then recycles most of those. A generator of its own, seeded by
 * the lead. ae is -1 when the SQL is not handed before the world ends.
 */
struct handoff {
	int ae;
	lf_time_ms at;
	bool back;                  /* sent back to the SDR */
	lf_time_ms back_at, recycle_at;
	const char *reason;         /* of the model's send_back list */
	int rating;
	size_t recycle_reason;      /* index into the source's reject reasons */
};

static void plan_handoff(struct gen *g, int64_t idx, const struct demo_story *s, int sdr,
			 size_t team, lf_time_ms qualified, lf_time_ms opens, struct handoff *h)
{
	static const char *const reasons[] = { "no_pain", "no_authority", "no_timeline",
					       "too_small" };
	struct lf_rng rng;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0xD1B54A32D192ED03) + (uint64_t)idx + 101);
	memset(h, 0, sizeof(*h));
	h->ae = -1;
	h->at = qualified + (lf_time_ms)((0.05 + lf_rng_exponential(&rng, 0.25)) * DAY);
	if (h->at >= opens)
		h->at = qualified + (opens - qualified) / 2;
	if (h->at >= g->end)
		return;
	for (size_t i = 0; i < g->ae_count[team]; i++) {
		int k = (int)(g->ae_first[team] + i);
		if (h->ae < 0 || g->ae_load[k] < g->ae_load[h->ae])
			h->ae = k;
	}
	double loose = 0.5 + 1.3 * fmod(0.381966 * (double)(sdr + 1), 1.0);
	double miss = 1 - s->p_won;
	double p_back = fmin(0.9, (0.06 + 0.45 * miss * miss) * loose);
	h->back = lf_rng_uniform(&rng) < p_back;
	h->back_at = h->at + (lf_time_ms)((0.3 + lf_rng_exponential(&rng, 1.5)) * DAY);
	h->reason = reasons[lf_rng_weighted(&rng, (const double[]){ 5, 3, 3, 2 }, 4)];
	h->rating = 1 + (int)lf_rng_below(&rng, 2);
	h->recycle_at = lf_rng_uniform(&rng) < 0.75
			? h->back_at + (lf_time_ms)((1 + lf_rng_exponential(&rng, 4)) * DAY)
			: INT64_MAX;
	h->recycle_reason = lf_rng_weighted(&rng, (const double[]){ 5, 3, 2 }, 3);
}

/*
 * Marketing's emails to the lead (email_send, one before each open and some
 * never opened) and, for some sources' addresses, a bounce: what the email
 * KPIs count. From a generator of their own, added after the story's other
 * events (ids "em-..."), so that the rest stays as it was.
 */
static enum lf_result email_events(struct gen *g, int64_t idx, struct demo_story *s,
				   size_t source, lf_time_ms window)
{
	struct lf_rng rng;
	size_t opens = s->nevents, n = s->nevents;
	lf_time_ms first = INT64_MAX;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0x8EBC6AF09C88C6E3) + (uint64_t)idx + 3);
	unsigned extra = lf_rng_poisson(&rng, 1.5);
	for (size_t i = 0; i < opens + extra; i++) {
		lf_time_ms at;
		if (i < opens) {
			if (strcmp(s->events[i].type, "email_open"))
				continue;
			at = s->events[i].occurred_at -
			     (lf_time_ms)(lf_rng_exponential(&rng, 6) * HOUR) - 60000;
		} else {
			at = s->lead.created_at + (lf_time_ms)(lf_rng_uniform(&rng) * (double)window);
		}
		if (at < s->lead.created_at)
			at = s->lead.created_at;
		if (at >= g->end)
			continue;
		first = at < first ? at : first;
		if (add_event(g, s, idx, "email_send", at, s->lead.campaign))
			return LF_ERR_NOMEM;
	}
	if (first < g->end - 60000 && lf_rng_uniform(&rng) < bounce_rate[source] &&
	    add_event(g, s, idx, "email_bounce", first + 60000, s->lead.campaign))
		return LF_ERR_NOMEM;
	for (size_t i = n; i < s->nevents; i++) {
		free(s->events[i].id);
		if (!(s->events[i].id = fmt("em-%lld-%zu", (long long)idx, i - n)))
			return LF_ERR_NOMEM;
	}
	return LF_OK;
}

/*
 * A touch after the lead came: some leads click a retargeting or a search
 * ad later (an ad_click event naming its utm_source and utm_campaign), which
 * last-touch attribution credits. From a generator of its own.
 */
static enum lf_result ad_click(struct gen *g, int64_t idx, struct demo_story *s,
			       lf_time_ms window)
{
	static const char *const ads[][2] = {
		{ "paid_social", "meta-retargeting" }, { "paid_search", "brand-search" },
		{ "paid_social", "linkedin-lead-gen" },
	};
	struct lf_rng rng;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0x589965CC75374CC3) + (uint64_t)idx + 9);
	if (lf_rng_uniform(&rng) >= 0.2)
		return LF_OK;
	size_t k = lf_rng_below(&rng, N(ads));
	lf_time_ms at = s->lead.created_at + (lf_time_ms)(lf_rng_uniform(&rng) * (double)window);
	if (at >= g->end)
		return LF_OK;
	size_t n = s->nevents;
	if (add_event(g, s, idx, "ad_click", at, NULL))
		return LF_ERR_NOMEM;
	struct lf_event *e = &s->events[n];
	free(e->properties);
	free(e->id);
	e->properties = fmt("{\"utm_source\":\"%s\",\"utm_campaign\":\"%s\"}", ads[k][0],
			    ads[k][1]);
	e->id = fmt("ad-%lld", (long long)idx);
	return e->properties && e->id ? LF_OK : LF_ERR_NOMEM;
}

/*
 * An opportunity's value (close_value, which the forecast's pipeline and the
 * channels report sum): bigger with the company, from a generator of its
 * own so that the rest of every story stays as it was.
 */
static enum lf_result close_value(struct gen *g, int64_t idx, struct demo_story *s)
{
	struct lf_rng rng;
	bool opened = false;
	for (size_t i = 0; i < s->ntrans; i++)
		opened |= s->trans[i].to == LF_STAGE_OPPORTUNITY;
	if (!opened)
		return LF_OK;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0xA0761D6478BD642F) + (uint64_t)idx + 7);
	double employees = isnan(s->lead.employees) ? 50 : s->lead.employees;
	double v = 8000.0 * pow(fmax(employees, 5) / 100.0, 0.35) * exp(0.4 * lf_rng_normal(&rng));
	struct lf_value val = { .type = LF_VAL_NUMBER, .num = 100.0 * round(v / 100.0) };
	return lf_attrs_set(&s->lead.attrs, LF_VALUE_FIELD, &val) ? LF_ERR_NOMEM : LF_OK;
}

static enum lf_result make_story(struct gen *g, int64_t idx, int64_t *load,
				 struct demo_story *s)
{
	struct lf_rng *rng = &g->rng;
	struct lf_lead *l = &s->lead;
	double cw[N(countries)], sw[N(sources)], tw[N(seniorities)];
	enum lf_result r;
	char domain[128], local[128], *title;

	memset(s, 0, sizeof(*s));
	lf_lead_init(l);
	s->owner = -1;
	s->sdr = -1;

	for (size_t i = 0; i < N(countries); i++)
		cw[i] = countries[i].weight;
	for (size_t i = 0; i < N(sources); i++)
		sw[i] = sources[i].weight;
	for (size_t i = 0; i < N(seniorities); i++)
		tw[i] = seniorities[i].weight;

	/* who they are */
	const struct country *ctry = &countries[lf_rng_weighted(rng, cw, N(countries))];
	const struct industry *ind = &industries[lf_rng_below(rng, N(industries))];
	const struct seniority *sen = &seniorities[lf_rng_weighted(rng, tw, N(seniorities))];
	const char *dept = pick(rng, departments, N(departments));
	const char *first = pick(rng, first_names, N(first_names));
	const char *last = pick(rng, last_names, N(last_names));
	double employees = floor(exp(lf_rng_normal(rng) * 1.6 + 5.0)) + 2;
	bool sales = lf_rng_uniform(rng) < SALES_SHARE;
	const struct source *src = &sources[lf_rng_weighted(rng, sw, N(sources))];
	double u_mail = lf_rng_uniform(rng);
	char *company = fmt("%s%s %s", pick(rng, company_a, N(company_a)),
			    pick(rng, company_b, N(company_b)),
			    pick(rng, company_c, N(company_c)));
	if (!company)
		return LF_ERR_NOMEM;
	snprintf(domain, sizeof(domain), "%s", company);
	lower_alnum(domain);
	strcat(domain, ".example");
	if (!sales && u_mail < 0.14)
		snprintf(domain, sizeof(domain), "%s", pick(rng, free_domains, N(free_domains)));
	else if (!sales && u_mail < 0.15)
		snprintf(domain, sizeof(domain), "%s", rival_domain);
	{
		char f[64], la[64];
		snprintf(f, sizeof(f), "%s", first);
		snprintf(la, sizeof(la), "%s", last);
		lower_alnum(f);
		lower_alnum(la);
		snprintf(local, sizeof(local), "%s.%s", f, la);
	}
	title = strchr(sen->pattern, '%') ? fmt(sen->pattern, dept) : strdup(sen->pattern);

	l->email = fmt("%s@%s", local, domain);
	{
		int64_t seen;
		if (l->email && lf_strmap_get(&g->emails, l->email, &seen)) {
			free(l->email);
			l->email = fmt("%s.%lld@%s", local, (long long)idx, domain);
		}
		if (!l->email || lf_strmap_put(&g->emails, l->email, idx))
			goto nomem;
	}
	l->external_id = fmt("crm-%07lld", (long long)idx + 1);
	l->name = fmt("%s %s", first, last);
	l->company = company;
	l->title = title;
	l->country = strdup(ctry->code);
	l->industry = strdup(ind->name);
	l->employees = employees;
	l->source = strdup(sales ? LF_SOURCE_SALES : src->name);
	if (!sales) {
		size_t nc = src->campaigns[2] ? 3 : 2;
		l->campaign = strdup(src->campaigns[lf_rng_below(rng, nc)]);
	}
	if (!l->external_id || !l->name || !l->title || !l->country || !l->industry ||
	    !l->source || (!sales && !l->campaign))
		goto nomem;

	/* hidden traits */
	double size_fit = employees >= 50 && employees <= 5000 ? 0.6
			: employees > 5000 ? 0.2 : -0.5;
	bool free_mail = !sales && u_mail < 0.14;
	bool rival = !sales && u_mail >= 0.14 && u_mail < 0.15;
	bool student = !strcmp(sen->pattern, "Student");
	double fit = sen->fit + size_fit + ind->fit - (free_mail ? 0.6 : 0) +
		     0.4 * lf_rng_normal(rng);
	double intent = lf_rng_normal(rng) + (sales ? 0.3 : src->intent);
	double quality = sales ? 0.6 : src->quality;
	{
		struct lf_value v = { .type = LF_VAL_STRING };
		static const char *const tools[] = { "salesforce", "hubspot", "pipedrive",
						      "spreadsheet", "none" };
		v.str = (char *)tools[lf_rng_below(rng, N(tools))];
		if (lf_attrs_set(&l->attrs, "current_crm", &v))
			goto nomem;
		v.type = LF_VAL_BOOL;
		v.b = lf_rng_uniform(rng) < sigmoid(intent - 0.5);
		if (lf_attrs_set(&l->attrs, "newsletter", &v))
			goto nomem;
	}

	lf_time_ms span = (lf_time_ms)g->o->days * DAY;
	l->created_at = g->start + (lf_time_ms)(lf_rng_uniform(rng) * (double)span);
	l->updated_at = l->created_at;
	size_t team = 0;
	for (size_t t = 0; t < N(teams); t++)
		if (!strcmp(teams[t], ctry->team))
			team = t;

	/* sales-sourced: a rep found them and starts at sql */
	if (sales) {
		int rep = assign_rep(g, team, load);
		lf_time_ms t = l->created_at;
		load[rep]++;
		s->owner = rep;
		s->p_sql = 1.0;
		s->p_won = sigmoid(-0.5 + 0.6 * fit + 0.3 * intent);
		if ((r = add_transition(s, LF_STAGE_LEAD, LF_STAGE_SQL, g->reps[rep].name, t,
					NULL, 3 + (int)lf_rng_below(rng, 3), "outbound prospect")))
			return r;
		lf_time_ms opp = t + (lf_time_ms)(lf_rng_exponential(rng, 10) * DAY);
		lf_time_ms close = opp + (lf_time_ms)((15 + lf_rng_exponential(rng, 30)) * DAY);
		if ((r = work_lead(g, s, idx, rep, t, close < g->end ? close : g->end, 6.0, true)))
			return r;
		if (opp > g->end)
			goto done;
		if ((r = add_transition(s, LF_STAGE_SQL, LF_STAGE_OPPORTUNITY, g->reps[rep].name,
					opp, NULL, 0, NULL)))
			return r;
		if (close > g->end)
			goto done;
		if (lf_rng_uniform(rng) < s->p_won)
			r = add_transition(s, LF_STAGE_OPPORTUNITY, LF_STAGE_WON,
					   g->reps[rep].name, close, NULL, 5, NULL);
		else
			r = add_transition(s, LF_STAGE_OPPORTUNITY, LF_STAGE_LOST,
					   g->reps[rep].name, close,
					   pick(rng, lost_reasons, N(lost_reasons)),
					   1 + (int)lf_rng_below(rng, 3), NULL);
		if (r)
			return r;
		goto done;
	}

	/* marketing's leads: events first */
	double mean_events = 13.6 * exp(0.45 * intent - 0.1);
	unsigned nev = lf_rng_poisson(rng, mean_events);
	lf_time_ms window = (lf_time_ms)((20 + lf_rng_exponential(rng, 50)) * DAY);
	double kw[N(event_kinds)];
	for (size_t i = 0; i < N(event_kinds); i++)
		kw[i] = event_kinds[i].base * exp(event_kinds[i].slope * intent);
	for (unsigned i = 0; i < nev; i++) {
		lf_time_ms at = l->created_at +
				(lf_time_ms)(lf_rng_uniform(rng) * (double)window);
		const char *type = event_kinds[lf_rng_weighted(rng, kw, N(event_kinds))].type;
		if (at >= g->end)
			continue;
		if ((r = add_event(g, s, idx, type, at, l->campaign)))
			return r;
	}
	bool hand_raiser = lf_rng_uniform(rng) < sigmoid(-3.2 + 1.3 * intent + 0.5 * fit);
	lf_time_ms demo_at = l->created_at + (lf_time_ms)(lf_rng_exponential(rng, 12) * DAY);
	if (hand_raiser && demo_at < g->end &&
	    (r = add_event(g, s, idx, "demo_request", demo_at, l->campaign)))
		return r;
	if (s->nevents)
		qsort(s->events, s->nevents, sizeof(*s->events), cmp_event);
	/* ids follow time, as a sender's sequence would */
	for (size_t i = 0; i < s->nevents; i++) {
		free(s->events[i].id);
		if (!(s->events[i].id = fmt("ev-%lld-%zu", (long long)idx, i)))
			goto nomem;
	}
	if ((r = email_events(g, idx, s, (size_t)(src - sources), window)) ||
	    (r = ad_click(g, idx, s, window)))
		return r;

	/* explicit rules throw some leads away at once */
	if (student || rival) {
		lf_time_ms t = l->created_at + HOUR;
		if (t < g->end) {
			if ((r = add_transition(s, LF_STAGE_LEAD, LF_STAGE_DISQUALIFIED, "model",
						t, student ? "student" : "competitor", 0, NULL)))
				return r;
			if ((r = lf_set_str(&l->disq_reason, student ? "student" : "competitor")))
				goto nomem;
		}
		s->p_sql = sigmoid(-4);
		s->p_won = 0.05;
		goto done;
	}

	/* does marketing qualify it, and when */
	double mql_score = 0.9 * fit + 0.9 * intent + 0.3 * lf_rng_normal(rng);
	lf_time_ms t_mql;
	if (hand_raiser && demo_at < g->end)
		t_mql = demo_at;
	else if (mql_score > 0.9)
		t_mql = l->created_at + (lf_time_ms)(lf_rng_exponential(rng, 9) * DAY);
	else {
		s->p_sql = sigmoid(-1.3 + 0.9 * fit + 0.8 * intent + quality - 0.35 * 6);
		s->p_won = sigmoid(-0.5 + 0.6 * fit + 0.3 * intent);
		goto done;
	}
	if (t_mql >= g->end)
		goto done;
	if ((r = add_transition(s, LF_STAGE_LEAD, LF_STAGE_MQL, "system", t_mql,
				NULL, 0, NULL)))
		return r;
	int rep = assign_rep(g, team, load);
	lf_time_ms t_assign = t_mql + (lf_time_ms)(lf_rng_exponential(rng, 2) * HOUR);
	if (t_assign >= g->end)
		goto done;
	load[rep]++;
	s->owner = rep;
	if ((r = add_transition(s, LF_STAGE_MQL, LF_STAGE_ASSIGNED, "gate", t_assign,
				NULL, 0, NULL)))
		return r;

	/* speed to lead: the rep's habit, faster for hand-raisers */
	double hours = g->habits[rep].response_hours * exp(0.7 * lf_rng_normal(rng)) *
		       (hand_raiser ? 0.3 : 1.0);
	s->p_sql = sigmoid(-1.3 + 0.9 * fit + 0.8 * intent + quality -
			   0.35 * log2(1.0 + hours));
	s->p_won = sigmoid(-0.5 + 0.6 * fit + 0.3 * intent);
	lf_time_ms t_touch = t_assign + (lf_time_ms)(hours * (double)HOUR);
	if (t_touch >= g->end)
		goto done;
	if ((r = add_touch(g, s, idx, rep, "call", t_touch)))
		return r;

	bool reaches_sql = lf_rng_uniform(rng) < s->p_sql;
	/* the rep's feeling: the truth seen through noise */
	int rating = (int)lround(1 + 4 * s->p_sql + 0.8 * lf_rng_normal(rng));
	rating = rating < 1 ? 1 : rating > 5 ? 5 : rating;
	const char *who = g->reps[rep].name;
	lf_time_ms t_decide = t_touch + (lf_time_ms)(lf_rng_exponential(rng, 2) * DAY);
	double reject_now = reaches_sql ? 0 : 0.6;

	if (lf_rng_uniform(rng) < reject_now) {
		if (t_decide >= g->end)
			goto done;
		if ((r = work_lead(g, s, idx, rep, t_touch, t_decide, 1.0, false)) ||
		    (r = add_transition(s, LF_STAGE_ASSIGNED, LF_STAGE_RECYCLED, who, t_decide,
					src->reject_reasons[lf_rng_weighted(
						rng, (const double[]){ 5, 3, 2 }, 3)],
					rating, NULL)))
			return r;
		goto done;
	}
	if (t_decide >= g->end)
		goto done;
	if ((r = add_transition(s, LF_STAGE_ASSIGNED, LF_STAGE_SAL, who, t_decide, NULL,
				rating, NULL)))
		return r;
	lf_time_ms t_qual = t_decide + (lf_time_ms)((2 + lf_rng_exponential(rng, 8)) * DAY);
	if ((r = work_lead(g, s, idx, rep, t_decide, t_qual, reaches_sql ? 3.0 : 1.5,
			   false)))
		return r;
	if (t_qual >= g->end)
		goto done;
	if (!reaches_sql) {
		r = add_transition(s, LF_STAGE_SAL, LF_STAGE_RECYCLED, who, t_qual,
				   src->reject_reasons[lf_rng_weighted(
					   rng, (const double[]){ 5, 3, 2 }, 3)],
				   rating > 1 ? rating - 1 : 1, NULL);
		if (r)
			return r;
		goto done;
	}
	if ((r = add_transition(s, LF_STAGE_SAL, LF_STAGE_SQL, who, t_qual, NULL, rating,
				NULL)))
		return r;
	lf_time_ms t_opp = t_qual + (lf_time_ms)(lf_rng_exponential(rng, 7) * DAY);
	lf_time_ms t_close = t_opp + (lf_time_ms)((15 + lf_rng_exponential(rng, 30)) * DAY);
	struct handoff h;
	plan_handoff(g, idx, s, rep, team, t_qual, t_opp, &h);
	if ((r = work_lead(g, s, idx, h.ae >= 0 && !h.back ? h.ae : rep, t_qual,
			   t_close < g->end ? t_close : g->end, 4.0, true)))
		return r;
	/* the draws of a close are made whatever becomes of the lead, so that
	 * the leads after it are those of a world of one tier */
	bool opens = t_opp < g->end, closes = opens && t_close < g->end, wins = false;
	const char *lost = NULL;
	if (closes && !(wins = lf_rng_uniform(rng) < s->p_won))
		lost = pick(rng, lost_reasons, N(lost_reasons));
	const char *closer = who;
	if (h.ae >= 0) {
		g->ae_load[h.ae]++;
		s->sdr = rep;
		s->owner = h.ae;
		closer = g->reps[h.ae].name;
		if ((r = add_transition(s, LF_STAGE_SQL, LF_STAGE_SQL, "handoff", h.at, NULL, 0,
					NULL)))
			return r;
		if (h.back) {
			if (h.back_at >= g->end)
				goto done;
			s->owner = rep;
			if ((r = add_transition(s, LF_STAGE_SQL, LF_STAGE_SAL, closer, h.back_at,
						h.reason, h.rating, NULL)))
				return r;
			if (h.recycle_at < g->end)
				r = add_transition(s, LF_STAGE_SAL, LF_STAGE_RECYCLED, who,
						   h.recycle_at, src->reject_reasons[h.recycle_reason],
						   1, NULL);
			if (r)
				return r;
			goto done;
		}
	}
	if (!opens)
		goto done;
	if ((r = add_transition(s, LF_STAGE_SQL, LF_STAGE_OPPORTUNITY, closer, t_opp, NULL, 0,
				NULL)))
		return r;
	if (!closes)
		goto done;
	if (wins)
		r = add_transition(s, LF_STAGE_OPPORTUNITY, LF_STAGE_WON, closer, t_close, NULL,
				   rating < 5 ? rating + 1 : 5, NULL);
	else
		r = add_transition(s, LF_STAGE_OPPORTUNITY, LF_STAGE_LOST, closer, t_close, lost,
				   rating > 1 ? rating - 1 : 1, NULL);
	if (r)
		return r;
done:
	if (s->ntrans)
		l->updated_at = s->trans[s->ntrans - 1].at;
	if ((r = close_value(g, idx, s)))
		return r;
	return add_answers(g, idx, s);
nomem:
	return LF_ERR_NOMEM;
}

/* Each marketing campaign's spend of each day, from a generator of its own. */
static enum lf_result make_spend(struct gen *g, const struct demo_sink *sink,
				 struct lf_error *err)
{
	struct lf_rng rng;
	double weights = 0;
	int64_t days = (g->end - g->start) / DAY;
	enum lf_result r = LF_OK;

	if (!sink->spend)
		return LF_OK;
	lf_rng_seed(&rng, g->o->seed * UINT64_C(0xE7037ED1A0B428DB) + 5);
	for (size_t i = 0; i < N(sources); i++)
		weights += sources[i].weight;
	for (int64_t d = 0; d < days && !r; d++) {
		for (size_t i = 0; i < N(sources) && !r; i++) {
			size_t nc = 0;
			while (nc < N(sources[i].campaigns) && sources[i].campaigns[nc])
				nc++;
			double leads_a_day = (double)g->o->leads * (1 - SALES_SHARE) *
					     sources[i].weight / weights / (double)nc / (double)days;
			for (size_t c = 0; c < nc && !r; c++) {
				double amount = leads_a_day * cost_per_lead[i] *
						exp(0.25 * lf_rng_normal(&rng) - 0.03125);
				struct lf_spend sp = {
					.day = g->start + d * DAY,
					.channel = (char *)sources[i].name,
					.campaign = (char *)sources[i].campaigns[c],
					.amount = round(amount * 100.0) / 100.0,
				};
				r = sink->spend(sink->ctx, &sp, err);
			}
		}
	}
	return r;
}

enum lf_result demo_generate(const struct lf_demo_options *opts,
			     const struct demo_sink *sink, struct lf_demo_stats *stats,
			     struct lf_error *err)
{
	struct lf_demo_options o = *opts;
	struct gen g = { .o = &o };
	int64_t *load = NULL;
	enum lf_result r;

	memset(stats, 0, sizeof(*stats));
	if (o.leads < 1 || o.leads > 100000000)
		return lf_error_set(err, LF_ERR_USAGE, "--leads: expected 1 to 100000000");
	if (!o.end)
		o.end = lf_days_from_civil(2026, 11, 1) * DAY;
	if (!o.days)
		o.days = 180;
	g.end = o.end;
	g.start = o.end - (lf_time_ms)o.days * DAY;
	lf_rng_seed(&g.rng, o.seed);
	lf_strmap_init(&g.emails);
	if ((r = make_reps(&g)) || !(load = calloc(g.nreps, sizeof(*load)))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((r = sink->reps(sink->ctx, g.reps, g.nreps, err)))
		goto out;
	stats->reps = (int64_t)g.nreps;
	for (int64_t i = 0; i < o.leads; i++) {
		struct demo_story s;
		r = make_story(&g, i, load, &s);
		if (r) {
			story_release(&s);
			lf_error_set(err, r, "out of memory");
			goto out;
		}
		stats->leads++;
		stats->events += (int64_t)s.nevents;
		stats->touches += (int64_t)s.ntouches;
		stats->transitions += (int64_t)s.ntrans;
		r = sink->story(sink->ctx, &s, err);
		story_release(&s);
		if (r)
			goto out;
	}
	r = make_spend(&g, sink, err);
out:
	for (size_t i = 0; i < g.nreps; i++)
		lf_rep_release(&g.reps[i]);
	free(g.reps);
	free(g.habits);
	free(g.ae_load);
	free(load);
	lf_strmap_release(&g.emails);
	return r;
}
