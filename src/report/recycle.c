/*
 * recycle.c - the recycle report: what became of the leads sent back to
 * marketing, by who sent them (each of the model's recycle rules, or reps'
 * own rejections) and reason: how many came back to lead on new
 * engagement, reached sql afterwards, were won afterwards. A rule that
 * throws back leads that go on to convert, where reps' rejections with the
 * same reason do not, is one to loosen.
 *
 * Then, for each of the active model's rules, the leads its reps kept past
 * its threshold: the rule replayed over each stay at its stage that began
 * in the period (the stay's touches, as the clock counts them), a stay
 * whose threshold came while the lead was still there and that did not end
 * in the rule's own move (the rule was added later, the rep moved the lead
 * on before the clock ran). How those leads went on (sql, won) beside how
 * the rule's own leads went on says whether the threshold is right.
 */
#include <leadflow/report.h>
#include <leadflow/score.h>
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pct(char *c, int64_t part, int64_t whole)
{
	if (whole)
		snprintf(c, 32, "%.1f", 100.0 * (double)part / (double)whole);
	else
		c[0] = 0;
}

static enum lf_result add_row(void *ctx, const struct lf_recycle_count *k)
{
	static const char prefix[] = "recycle rule '";
	char by[256], c[7][32];
	const char *note = k->note ? k->note : "";

	if (!k->by_rule)
		snprintf(by, sizeof(by), "reps");
	else if (!strncmp(note, prefix, sizeof(prefix) - 1))
		snprintf(by, sizeof(by), "rule: %.*s", (int)(strlen(note) - sizeof(prefix)),
			 note + sizeof(prefix) - 1);
	else
		snprintf(by, sizeof(by), "rule");
	snprintf(c[0], 32, "%lld", (long long)k->n);
	snprintf(c[1], 32, "%lld", (long long)k->back);
	pct(c[2], k->back, k->n);
	snprintf(c[3], 32, "%lld", (long long)k->sql);
	pct(c[4], k->sql, k->n);
	snprintf(c[5], 32, "%lld", (long long)k->won);
	pct(c[6], k->won, k->n);
	const char *row[9] = { by, k->reason ? k->reason : "", c[0], c[1], c[2], c[3], c[4],
			       c[5], c[6] };
	return lf_table_add(ctx, row);
}

/* A stay at a rule's stage long enough for its threshold, not ended by the rule. */
struct stay {
	int64_t lead;
	lf_time_ms entered, end;      /* end: when it left, or now */
	bool sql, won;
};
struct stays {
	struct stay *v;
	size_t n, cap;
	char note[256];               /* the rule's own move's note */
	lf_time_ms now;
};

static enum lf_result take_stay(void *ctx, const struct lf_stage_stay *y)
{
	struct stays *x = ctx;
	if (!strcmp(y->next_actor, "model") && !strcmp(y->next_note, x->note))
		return LF_OK;   /* the rule's own: counted above */
	if (LF_GROW(x->v, x->n, x->cap, 64))
		return LF_ERR_NOMEM;
	x->v[x->n++] = (struct stay){ y->lead_id, y->entered, y->left ? y->left : x->now,
				      y->sql_after, y->won_after };
	return LF_OK;
}

/* The touches of a stay in time order, as the clock reads them. */
struct tries {
	const struct lf_recycle_rule *rule;
	const struct stay *stay;
	int counted;
	lf_time_ms nth;               /* when the rule's touches-th listed one came, 0 not yet */
	lf_time_ms answered;          /* the first touch of an outcome it does not list */
};

static enum lf_result on_touch(void *ctx, const struct lf_touch *t)
{
	struct tries *x = ctx;
	if (t->at < x->stay->entered || t->at >= x->stay->end)
		return LF_OK;
	if (!lf_recycle_counts(x->rule, t->outcome)) {
		if (!x->answered)
			x->answered = t->at;
	} else if (++x->counted == x->rule->touches) {
		x->nth = t->at;
	}
	return LF_OK;
}

/* Whether the rule's threshold came during the stay, for a lead it is for. */
static enum lf_result past_threshold(struct lf_store *s, const struct lf_recycle_rule *rule,
				     const struct stay *y, bool *past, struct lf_error *err)
{
	struct tries x = { .rule = rule, .stay = y };
	enum lf_result r;
	*past = false;
	if ((r = lf_store_touch_list(s, y->lead, on_touch, &x, err)) || !x.nth)
		return r;
	lf_time_ms at = y->entered + (lf_time_ms)(rule->days * (double)LF_MS_PER_DAY);
	if (x.nth > at)
		at = x.nth;
	if (at >= y->end || (x.answered && x.answered <= at))
		return LF_OK;
	if (rule->when) {
		struct lf_lead l;
		if ((r = lf_store_lead_get(s, y->lead, &l, err)))
			return r;
		*past = lf_expr_holds(rule->when, &(struct lf_expr_env){ .lead = &l, .now = at });
		lf_lead_release(&l);
	} else {
		*past = true;
	}
	return LF_OK;
}

static enum lf_result kept_rows(struct lf_store *s, const struct lf_report_filter *f,
				struct lf_table *out, struct lf_error *err)
{
	struct lf_model_def def;
	int version;
	enum lf_result r = lf_model_active(s, &def, &version, err);
	if (r == LF_ERR_NOT_FOUND)
		return LF_OK;   /* no model, no rules */
	for (size_t i = 0; i < def.nrecycle && !r; i++) {
		const struct lf_recycle_rule *rule = &def.recycle[i];
		struct stays x = { .now = lf_time_now() };
		int64_t kept = 0, sql = 0, won = 0;
		lf_recycle_note(rule, x.note, sizeof(x.note));
		r = lf_store_stage_stays(s, rule->stage, f->from, f->to,
					 (lf_time_ms)(rule->days * (double)LF_MS_PER_DAY), x.now,
					 take_stay, &x, err);
		for (size_t k = 0; k < x.n && !r; k++) {
			bool past;
			if ((r = past_threshold(s, rule, &x.v[k], &past, err)) || !past)
				continue;
			kept++;
			sql += x.v[k].sql;
			won += x.v[k].won;
		}
		free(x.v);
		if (r)
			break;
		char by[300], c[7][32];
		snprintf(by, sizeof(by), "kept past rule: %s", rule->name ? rule->name : "");
		snprintf(c[0], 32, "%lld", (long long)kept);
		snprintf(c[1], 32, "%lld", (long long)sql);
		pct(c[2], sql, kept);
		snprintf(c[3], 32, "%lld", (long long)won);
		pct(c[4], won, kept);
		const char *row[9] = { by, rule->reason ? rule->reason : "", c[0], "", "", c[1],
				       c[2], c[3], c[4] };
		r = lf_table_add(out, row);
	}
	lf_model_def_release(&def);
	return r;
}

enum lf_result lf_report_recycle(struct lf_store *s, const struct lf_report_filter *f,
				 struct lf_table *out, struct lf_error *err)
{
	static const char *const headers[] = { "by", "reason", "leads", "came_back",
					       "came_back_pct", "reached_sql_after", "sql_pct",
					       "won_after", "won_pct" };
	enum lf_result r;
	lf_table_init(out, 9, headers, 0x1FCu);
	r = lf_store_recycle_outcomes(s, f->from, f->to, add_row, out, err);
	if (!r)
		r = kept_rows(s, f, out, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	return r;
}
