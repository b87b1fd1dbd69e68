/*
 * scoring.c - the scoring engine applied to the store: read a lead's events,
 * feed them to a fresh state, read the scores at the asked time, write them
 * back. Rescoring runs in one transaction, so a model is either applied to
 * every lead or to none.
 */
#include "score/scoring.h"
#include "move/move.h"
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct find_active {
	int version;
	char *text;
	char *name;
};

static enum lf_result find_active(void *ctx, const struct lf_model *m)
{
	struct find_active *f = ctx;
	if (strcmp(m->status, "active"))
		return LF_OK;
	f->version = m->version;
	free(f->text);
	free(f->name);
	f->text = strdup(m->text);
	f->name = strdup(m->name);
	return f->text && f->name ? LF_OK : LF_ERR_NOMEM;
}

static enum lf_result parse_stored(const char *name, int version, const char *text,
				   struct lf_model_def *def, struct lf_error *err)
{
	char label[96];
	snprintf(label, sizeof(label), "model %d (%s)", version, name);
	return lf_model_parse(label, text, def, NULL, err);
}

enum lf_result lf_model_active(struct lf_store *s, struct lf_model_def *def,
			       int *version, struct lf_error *err)
{
	struct find_active f = { 0 };
	enum lf_result r = lf_store_model_list(s, find_active, &f, err);

	if (!r && !f.version)
		r = lf_error_set(err, LF_ERR_NOT_FOUND,
				 "no model is active: add one with 'leadflow model add "
				 "FILE' and activate it");
	if (!r) {
		*version = f.version;
		r = parse_stored(f.name, f.version, f.text, def, err);
	}
	free(f.text);
	free(f.name);
	return r;
}

enum lf_result lf_model_version(struct lf_store *s, int version, struct lf_model_def *def,
				struct lf_error *err)
{
	struct lf_model m = { 0 };
	enum lf_result r = lf_store_model_get(s, version, &m, err);
	if (!r)
		r = parse_stored(m.name, m.version, m.text, def, err);
	lf_model_release(&m);
	return r;
}

static enum lf_result find_version(void *ctx, const struct lf_model *m)
{
	if (!strcmp(m->status, "active"))
		*(int *)ctx = m->version;
	return LF_OK;
}

enum lf_result lf_model_active_version(struct lf_store *s, int *version, struct lf_error *err)
{
	*version = 0;
	return lf_store_model_list(s, find_version, version, err);
}

enum lf_result lf_model_keep_active(struct lf_store *s, struct lf_model_def *def,
				    int *version, struct lf_error *err)
{
	int now;
	enum lf_result r = lf_model_active_version(s, &now, err);
	if (r || now == *version)
		return r;
	if (*version)
		lf_model_def_release(def);
	*version = 0;
	r = lf_model_active(s, def, &now, err);
	if (!r)
		*version = now;
	return r == LF_ERR_NOT_FOUND ? LF_OK : r; /* none active (any more) */
}

void lf_explain_release(struct lf_explain *x)
{
	if (!x)
		return;
	free(x->items);
	memset(x, 0, sizeof(*x));
}

struct feed {
	struct lf_score_state *st;
	const struct lf_lead *lead;
	lf_time_ms at;
};

static enum lf_result feed_event(void *ctx, const struct lf_event *e)
{
	struct feed *f = ctx;
	if (e->occurred_at > f->at)
		return LF_OK;
	return lf_score_add_stored(f->st, f->lead, e, NULL);
}

enum lf_result lf_score_lead(struct lf_store *s, const struct lf_model_def *def,
			     const struct lf_lead *lead, lf_time_ms at,
			     struct lf_explain *x, struct lf_error *err)
{
	struct lf_score_state st;
	struct feed f = { .st = &st, .lead = lead, .at = at };
	struct lf_expr_env env = { .lead = lead, .now = at };
	const struct lf_disq_rule *d;
	enum lf_result r;

	memset(x, 0, sizeof(*x));
	if (lf_score_state_init(&st, def))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if ((r = lf_store_event_list(s, lead->id, feed_event, &f, err)))
		goto out;
	x->items = calloc(def->nfit + def->nengagement + 1, sizeof(*x->items));
	if (!x->items) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < def->nfit; i++)
		if (lf_expr_holds(def->fit[i].when, &env)) {
			x->items[x->nitems++] = (struct lf_explain_item){
				def->fit[i].name, false, def->fit[i].points, 0, def->fit[i].why };
			x->fit += def->fit[i].points;
			if (i < 64)
				x->rules |= UINT64_C(1) << i;
		}
	for (size_t i = 0; i < def->nengagement; i++) {
		if (!st.acc[i].counted)
			continue;
		double v = lf_score_rule_value(&st, i, at);
		x->items[x->nitems++] = (struct lf_explain_item){
			def->engagement[i].name, true, v, st.acc[i].counted, def->engagement[i].why };
		x->engagement += v;
	}
	x->total = x->fit + x->engagement;
	x->rules |= lf_score_engaged(&st);
	x->hand_raiser_at = st.hand_raiser_at;
	x->hand_raiser_rule = st.hand_raiser_rule;
	d = lf_score_disqualified(def, lead, at);
	x->disqualified = d ? d->reason : NULL;
	x->disqualified_why = d ? d->why : NULL;
out:
	lf_score_state_release(&st);
	if (r)
		lf_explain_release(x);
	return r;
}

enum lf_result lf_recycle_on_engagement(struct lf_store *s, struct lf_lead *lead,
					lf_time_ms at, struct lf_error *err)
{
	struct lf_move m = { .to = LF_STAGE_LEAD, .actor = "system", .at = at,
			     .note = "new engagement after the rejection", .owner = -1,
			     .row = LF_MOVE_ROW_ALL };

	if (lead->stage != LF_STAGE_RECYCLED)
		return LF_OK;
	return lf_move_lead(s, lead, &m, NULL, err);
}

enum lf_result lf_rescore_lead(struct lf_store *s, int64_t lead_id, lf_time_ms at,
			       struct lf_error *err)
{
	struct lf_model_def def;
	struct lf_explain x;
	struct lf_lead l;
	int version = 0;   /* set with the model; -O3 cannot tell */
	enum lf_result r = lf_model_active(s, &def, &version, err);

	if (r == LF_ERR_NOT_FOUND)
		return LF_OK;
	if (r)
		return r;
	if (!(r = lf_store_lead_get(s, lead_id, &l, err))) {
		if (!(r = lf_score_lead(s, &def, &l, at, &x, err))) {
			struct lf_lead_score sc = { l.id, x.fit, x.engagement, x.total, version,
						    x.hand_raiser_at, x.rules };
			r = lf_store_lead_set_score(s, &sc, NULL, 0, err);
			lf_explain_release(&x);
		}
		lf_lead_release(&l);
	}
	lf_model_def_release(&def);
	return r;
}

/* --- every lead ------------------------------------------------------ */

struct rescore {
	struct lf_store *s;
	const struct lf_model_def *def;
	int version;
	lf_time_ms at;
	struct lf_rescore_stats *stats;
	struct lf_error *err;
};

enum lf_result lf_disqualify_by_rule(struct lf_store *s, const struct lf_lead *lead,
				     const char *reason, const char *why, int version,
				     lf_time_ms at,
				     const struct lf_lead_score *score,
				     struct lf_error *err)
{
	struct lf_lead l;
	struct lf_move m = { .to = LF_STAGE_DISQUALIFIED, .actor = "model", .at = at,
			     .reason = reason, .why = why, .model_version = version, .owner = -1,
			     .row = LF_MOVE_ROW_ALL };
	enum lf_result r;

	if (!lf_stage_open(lead->stage))
		return LF_OK;
	if ((r = lf_lead_copy(&l, lead)))
		return lf_error_set(err, r, "out of memory");
	if (score) {
		l.fit = score->fit;
		l.engagement = score->engagement;
		l.total = score->total;
		l.model_version = score->model_version;
		l.hand_raiser_at = score->hand_raiser_at;
	}
	r = lf_move_lead(s, &l, &m, NULL, err);
	lf_lead_release(&l);
	return r;
}

/* Scores one lead of the iteration and writes its scores back. */
static enum lf_result rescore_one(void *ctx, const struct lf_lead *lead)
{
	struct rescore *rs = ctx;
	struct lf_explain x;
	struct lf_lead_score sc;
	enum lf_result r;

	if ((r = lf_score_lead(rs->s, rs->def, lead, rs->at, &x, rs->err)))
		return r;
	sc = (struct lf_lead_score){ lead->id, x.fit, x.engagement, x.total, rs->version,
				     x.hand_raiser_at, x.rules };
	rs->stats->hand_raisers += x.hand_raiser_at != 0;
	rs->stats->leads++;
	if (x.disqualified && lf_stage_open(lead->stage)) {
		/* the rare case: the stage changes too, so the whole lead is written */
		r = lf_disqualify_by_rule(rs->s, lead, x.disqualified, x.disqualified_why,
					  rs->version, rs->at, &sc, rs->err);
		rs->stats->disqualified++;
		/* the rules it fired, which the whole lead's row does not carry */
		if (!r)
			r = lf_store_lead_set_score(rs->s, &sc, NULL, 0, rs->err);
	} else {
		/* no saved state: live scoring rebuilds it once from the events,
		 * which keeps rescoring to one read and one write a lead */
		r = lf_store_lead_set_score(rs->s, &sc, NULL, 0, rs->err);
	}
	lf_explain_release(&x);
	return r;
}

/*
 * Every lead rescored in the caller's transaction; what follows a lead's
 * scores (the reports' bands, the gate's wake-up) takes them all at once at
 * the end instead of lead by lead.
 */
static enum lf_result rescore_in_tx(struct rescore *rs)
{
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	enum lf_result r = lf_store_scores_pause(rs->s, rs->err);
	if (!r)
		r = lf_store_lead_list(rs->s, &f, rescore_one, rs, rs->err);
	if (!r)
		r = lf_store_scores_resume(rs->s, rs->err);
	return r;
}

enum lf_result lf_rescore_all(struct lf_store *s, const struct lf_model_def *def,
			      int version, lf_time_ms at, struct lf_rescore_stats *stats,
			      struct lf_error *err)
{
	struct rescore rs = { s, def, version, at, stats, err };
	enum lf_result r;

	memset(stats, 0, sizeof(*stats));
	if ((r = lf_store_begin(s, err)))
		return r;
	r = rescore_in_tx(&rs);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}

enum lf_result lf_model_activate(struct lf_store *s, int version, lf_time_ms at,
				 struct lf_rescore_stats *stats, struct lf_error *err)
{
	struct lf_model m = { 0 };
	struct lf_model_def def;
	struct find_active old = { 0 };
	struct rescore rs = { s, &def, version, at, stats, err };
	enum lf_result r;

	memset(stats, 0, sizeof(*stats));
	if ((r = lf_store_model_get(s, version, &m, err)))
		return r;
	if (!strcmp(m.status, "active")) {
		lf_model_release(&m);
		return lf_error_set(err, LF_ERR_CONFLICT, "model %d is already active",
				    version);
	}
	/* a retired version may be activated again: going back is a decision too */
	r = parse_stored(m.name, m.version, m.text, &def, err);
	lf_model_release(&m);
	if (r)
		return r;
	if ((r = lf_store_begin(s, err)))
		goto out;
	if (!(r = lf_store_model_list(s, find_active, &old, err)) && old.version)
		r = lf_store_model_set_status(s, old.version, "retired", err);
	if (!r)
		r = lf_store_model_set_status(s, version, "active", err);
	if (!r)
		r = rescore_in_tx(&rs);
	if (!r)
		r = lf_notify_model_activated(s, version, def.name, at, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
out:
	free(old.text);
	free(old.name);
	lf_model_def_release(&def);
	return r;
}
