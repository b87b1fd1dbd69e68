/*
 * recycle.c - the model's recycle rules (leadflow/gate.h): a lead at a
 * rule's stage long enough, worked the agreed number of times without an
 * answer, goes back to marketing with the agreed reason.
 */
#include <leadflow/gate.h>
#include "core/grow.h"
#include "move/move.h"
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A lead at the rule's stage long enough, and since when it is there. */
struct candidate {
	int64_t id;
	lf_time_ms at;
};
struct candidates {
	struct candidate *v;
	size_t n, cap;
};

static enum lf_result take(void *ctx, const struct lf_lead *l, lf_time_ms at, unsigned stages)
{
	struct candidates *c = ctx;
	(void)stages;
	if (LF_GROW(c->v, c->n, c->cap, 64))
		return LF_ERR_NOMEM;
	c->v[c->n++] = (struct candidate){ l->id, at };
	return LF_OK;
}

struct tries {
	const struct lf_recycle_rule *rule;
	lf_time_ms since;
	int counted;
	bool answered;        /* a touch with an outcome the rule does not list */
};

static enum lf_result on_touch(void *ctx, const struct lf_touch *t)
{
	struct tries *x = ctx;
	if (t->at < x->since)
		return LF_OK;
	if (lf_recycle_counts(x->rule, t->outcome))
		x->counted++;
	else
		x->answered = true;
	return LF_OK;
}

static enum lf_result apply_rule(struct lf_store *s, const struct lf_recycle_rule *rule,
				 int version, lf_time_ms now, int *checked, int *recycled,
				 struct lf_error *err)
{
	struct candidates c = { 0 };
	lf_time_ms by = now - (lf_time_ms)(rule->days * (double)LF_MS_PER_DAY);
	enum lf_result r = lf_store_leads_at(s, rule->stage, by, take, &c, err);
	char note[256];

	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	lf_recycle_note(rule, note, sizeof(note));
	for (size_t i = 0; i < c.n && !r; i++) {
		struct tries x = { .rule = rule, .since = c.v[i].at };
		struct lf_lead l;
		struct lf_expr_env env;
		(*checked)++;
		if ((r = lf_store_touch_list(s, c.v[i].id, on_touch, &x, err)))
			break;
		if (x.answered || x.counted < rule->touches)
			continue;
		if ((r = lf_store_lead_get(s, c.v[i].id, &l, err)))
			break;
		env = (struct lf_expr_env){ .lead = &l, .now = now };
		if (l.stage == rule->stage && (!rule->when || lf_expr_holds(rule->when, &env))) {
			struct lf_move m = { .to = LF_STAGE_RECYCLED, .actor = "model", .at = now,
					     .reason = rule->reason, .note = note, .why = rule->why,
					     .model_version = version, .owner = -1,
					     .row = LF_MOVE_ROW_ALL };
			if (!(r = lf_move_lead(s, &l, &m, NULL, err)) &&
			    !(r = lf_rescore_lead(s, l.id, now, err)))
				(*recycled)++;
		}
		lf_lead_release(&l);
	}
	free(c.v);
	return r;
}

enum lf_result lf_recycle_run(struct lf_store *s, const struct lf_model_def *def, int version,
			      lf_time_ms now, int *checked, int *recycled, struct lf_error *err)
{
	enum lf_result r;

	*checked = *recycled = 0;
	if (!def || !def->nrecycle)
		return LF_OK;
	if ((r = lf_store_begin(s, err)))
		return r;
	for (size_t i = 0; i < def->nrecycle && !r; i++)
		r = apply_rule(s, &def->recycle[i], version, now, checked, recycled, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}
