/*
 * governance.c - proposals, approvals, the gate on activation (leadflow/model.h).
 */
#include <leadflow/model.h>

#include "score/scoring.h"

#include <stdio.h>
#include <string.h>

static enum lf_result audit(struct lf_store *s, const char *actor, const char *action,
			    int version, const char *detail, struct lf_error *err)
{
	char subject[32];
	snprintf(subject, sizeof(subject), "model:%d", version);
	return lf_store_audit(s, actor, action, subject, detail, err);
}

enum lf_result lf_model_propose(struct lf_store *s, int version, const char *actor,
				struct lf_error *err)
{
	struct lf_model m = { 0 };
	enum lf_result r;
	if ((r = lf_store_model_get(s, version, &m, err)))
		return r;
	if (strcmp(m.status, "draft") && strcmp(m.status, "retired"))
		r = lf_error_set(err, LF_ERR_CONFLICT, "model %d is %s: only a draft (or a retired "
				 "version) is proposed", version, m.status);
	lf_model_release(&m);
	if (r || (r = lf_store_begin(s, err)))
		return r;
	if (!(r = lf_store_model_set_status(s, version, "proposed", err)) &&
	    !(r = audit(s, actor, "model.propose", version, NULL, err)))
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}

enum lf_result lf_model_approve(struct lf_store *s, int version, int64_t token_id,
				const char *token_name, const char *role, struct lf_error *err)
{
	struct lf_approval a = { version, token_id, (char *)token_name, (char *)role,
				 lf_time_now() };
	struct lf_model m = { 0 };
	enum lf_result r;

	if (strcmp(role, "marketing") && strcmp(role, "sales_manager"))
		return lf_error_set(err, LF_ERR_DENIED, "a model is approved by a marketing or a "
				    "sales_manager token, not a '%s' one", role);
	if ((r = lf_store_model_get(s, version, &m, err)))
		return r;
	if (strcmp(m.status, "proposed"))
		r = lf_error_set(err, LF_ERR_CONFLICT, "model %d is %s: propose it first", version,
				 m.status);
	lf_model_release(&m);
	if (r || (r = lf_store_begin(s, err)))
		return r;
	r = lf_store_approval_add(s, &a, err);
	if (r == LF_ERR_CONFLICT)
		lf_error_set(err, r, "token '%s' approved model %d already", token_name, version);
	if (!r && !(r = audit(s, token_name, "model.approve", version, role, err)))
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}

struct seen { bool marketing, sales, ever; };

static enum lf_result by_role(void *ctx, const struct lf_approval *a)
{
	struct seen *x = ctx;
	x->marketing |= !strcmp(a->role, "marketing");
	x->sales |= !strcmp(a->role, "sales_manager");
	return LF_OK;
}

static enum lf_result ever_active(void *ctx, const struct lf_model *m)
{
	((struct seen *)ctx)->ever |= !strcmp(m->status, "active") || !strcmp(m->status, "retired");
	return LF_OK;
}

enum lf_result lf_model_may_activate(struct lf_store *s, int version, struct lf_error *err)
{
	struct seen x = { false, false, false };
	struct lf_model m = { 0 };
	enum lf_result r;

	if ((r = lf_store_model_get(s, version, &m, err)))
		return r;
	bool active = !strcmp(m.status, "active");
	lf_model_release(&m);
	if (active)
		return LF_OK; /* activation itself says it is active already */
	if ((r = lf_store_model_list(s, ever_active, &x, err)))
		return r;
	if (!x.ever)
		return LF_OK; /* the first model of a database: nothing to govern yet */
	if ((r = lf_store_approval_list(s, version, by_role, &x, err)))
		return r;
	if (x.marketing && x.sales)
		return LF_OK;
	return lf_error_set(err, LF_ERR_CONFLICT, "model %d needs an approval by a marketing "
			    "token and one by a sales_manager token before it is activated; it has "
			    "%s", version,
			    x.marketing ? "marketing's only" : x.sales ? "sales' only" : "none");
}

enum lf_result lf_model_put_in_force(struct lf_store *s, int version, const char *actor,
				     lf_time_ms at, struct lf_rescore_stats *stats,
				     struct lf_error *err)
{
	enum lf_result r;
	memset(stats, 0, sizeof(*stats));
	if ((r = lf_model_may_activate(s, version, err)) || (r = lf_store_begin(s, err)))
		return r;
	if (!(r = lf_model_activate(s, version, at, stats, err)) &&
	    !(r = audit(s, actor, "model.activate", version, NULL, err)))
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}
