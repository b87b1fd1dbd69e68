/*
 * handoffs.c - the handoffs report: marketing -> SDR and SDR -> AE side by
 * side. For each: the leads handed in the period, what the taking team
 * decided (accepted, rejected or sent back, disqualified, not yet), the
 * acceptance among the decided, the mean hours to decide, the mean rating
 * given with the decision, how many were won afterwards; then the same by
 * reason of rejection, and by SDR (for the first handoff the SDR who took
 * marketing's leads, for the second the SDR whose SQLs the AEs judged: AEs
 * rate the SDRs' qualification as SDRs rate marketing's).
 */
#include <leadflow/report.h>
#include "core/grow.h"
#include "report/rep_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum group { G_ALL, G_REASON, G_SDR };

struct line {
	enum lf_tier tier;
	enum group group;
	int64_t sdr;
	char reason[64];
	int64_t handed, accepted, rejected, disqualified, won, rated, rating;
	double decide_ms;
};

struct gather {
	struct line *v;
	size_t n, cap;
};

/* The line of that group, added when new; NULL when out of memory. (A
 * pointer into g->v: good until the next call, which may move the lines.) */
static struct line *line_for(struct gather *g, enum lf_tier tier, enum group group,
			     int64_t sdr, const char *reason)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].tier == tier && g->v[i].group == group && g->v[i].sdr == sdr &&
		    !strcmp(g->v[i].reason, reason))
			return &g->v[i];
	if (LF_GROW(g->v, g->n, g->cap, 32))
		return NULL;
	struct line *l = &g->v[g->n++];
	memset(l, 0, sizeof(*l));
	l->tier = tier;
	l->group = group;
	l->sdr = sdr;
	snprintf(l->reason, sizeof(l->reason), "%s", reason);
	return l;
}

static void count(struct line *l, const struct lf_handoff_count *c)
{
	l->handed += c->n;
	l->won += c->won;
	if (!c->decision[0])
		return;
	l->decide_ms += c->decide_ms;
	l->rated += c->rated;
	l->rating += c->rating;
	if (!strcmp(c->decision, "disqualified"))
		l->disqualified += c->n;
	else if (!strcmp(c->decision, c->tier == LF_TIER_AE ? "opportunity" : "sal"))
		l->accepted += c->n;
	else
		l->rejected += c->n;
}

static enum lf_result take(void *ctx, const struct lf_handoff_count *c)
{
	struct gather *g = ctx;
	struct line *l;
	if (!(l = line_for(g, c->tier, G_ALL, 0, "")))
		return LF_ERR_NOMEM;
	count(l, c);
	if (!(l = line_for(g, c->tier, G_SDR, c->sdr, "")))
		return LF_ERR_NOMEM;
	count(l, c);
	bool rejected = c->decision[0] && strcmp(c->decision, "disqualified") &&
			strcmp(c->decision, c->tier == LF_TIER_AE ? "opportunity" : "sal");
	if (rejected) {
		struct line *why = line_for(g, c->tier, G_REASON, 0, c->reason[0] ? c->reason
									      : "(none)");
		if (!why)
			return LF_ERR_NOMEM;
		count(why, c);
	}
	return LF_OK;
}

static int by_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	if (x->tier != y->tier)
		return (int)x->tier - (int)y->tier;
	if (x->group != y->group)
		return (int)x->group - (int)y->group;
	if (x->group == G_REASON && x->handed != y->handed)
		return x->handed < y->handed ? 1 : -1;
	if (x->sdr != y->sdr)
		return x->sdr < y->sdr ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

static void ratio(char *c, double part, double whole, double scale, const char *f)
{
	if (whole > 0)
		snprintf(c, 32, f, scale * part / whole);
	else
		c[0] = 0;
}

static enum lf_result add_line(struct lf_table *t, const struct lf_rep_names *names,
			       const struct line *l)
{
	char group[160], c[10][32];
	int64_t decided = l->accepted + l->rejected + l->disqualified;
	const char *name = lf_rep_names_get(names, l->sdr);

	if (l->group == G_ALL)
		snprintf(group, sizeof(group), "all");
	else if (l->group == G_REASON)
		snprintf(group, sizeof(group), "reason: %s", l->reason);
	else if (name)
		snprintf(group, sizeof(group), "sdr: %s", name);
	else
		snprintf(group, sizeof(group), "sdr: (not recorded)");
	snprintf(c[0], 32, "%lld", (long long)l->handed);
	snprintf(c[1], 32, "%lld", (long long)l->accepted);
	snprintf(c[2], 32, "%lld", (long long)l->rejected);
	snprintf(c[3], 32, "%lld", (long long)l->disqualified);
	snprintf(c[4], 32, "%lld", (long long)(l->handed - decided));
	ratio(c[5], (double)l->accepted, (double)decided, 100, "%.1f");
	ratio(c[6], l->decide_ms, (double)decided, 1.0 / 3600000, "%.1f");
	ratio(c[7], (double)l->rating, (double)l->rated, 1, "%.2f");
	snprintf(c[8], 32, "%lld", (long long)l->won);
	ratio(c[9], (double)l->won, (double)l->handed, 100, "%.1f");
	const char *row[12] = { l->tier == LF_TIER_AE ? "sdr_to_ae" : "marketing_to_sdr", group,
				c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9] };
	return lf_table_add(t, row);
}

enum lf_result lf_report_handoffs(struct lf_store *s, const struct lf_report_filter *f,
				  struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "handoff", "group", "handed", "accepted",
					       "rejected", "disqualified", "pending",
					       "accepted_pct", "hours_to_decide", "rating",
					       "won_after", "won_pct" };
	struct gather g = { 0 };
	struct lf_rep_names names = { 0 };
	enum lf_result r;

	lf_table_init(out, 12, headers, 0xFFCu);
	r = lf_store_handoff_outcomes(s, f->from, f->to, take, &g, err);
	if (!r)
		r = lf_rep_names_load(s, &names, err);
	if (!r) {
		qsort(g.v, g.n, sizeof(*g.v), by_line);
		for (size_t i = 0; i < g.n && !r; i++)
			r = add_line(out, &names, &g.v[i]);
	}
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	lf_rep_names_release(&names);
	free(g.v);
	return r;
}
