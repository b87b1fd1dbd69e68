/*
 * lifecycle.c - the stage table and its one transition function. The
 * checks run in the order a user would fix them: does the action exist,
 * may this role take it, does it leave this stage, does it have what it
 * needs. The reason lists are the active model's: both teams agreed to them.
 */
#include "lifecycle/lifecycle.h"
#include "score/scoring.h"
#include "move/move.h"

#include <stdio.h>
#include <string.h>

#define S(x) LF_STAGE_BIT(LF_STAGE_##x)
#define R(x) LF_ROLE_BIT(LF_ROLE_##x)
#define OPEN (S(LEAD) | S(MQL) | S(ASSIGNED) | S(SAL) | S(SQL) | S(OPPORTUNITY) | \
	      S(RECYCLED))
#define SALES (R(ADMIN) | R(SALES_MANAGER) | R(REP))

const struct lf_stage_rule lf_stage_rules[] = {
	/* action             from                   to                   who                                reason                opp */
	{ "mql",              S(LEAD),               LF_STAGE_MQL,        R(ADMIN) | R(SYSTEM),              -1,                   false },
	{ "assign",           S(MQL),                LF_STAGE_ASSIGNED,   R(ADMIN) | R(SYSTEM) | R(SALES_MANAGER), -1,             false },
	{ "accept",           S(ASSIGNED),           LF_STAGE_SAL,        SALES,                             -1,                   false },
	{ "reject",           S(ASSIGNED) | S(SAL),  LF_STAGE_RECYCLED,   SALES,                             LF_REASON_REJECT,     false },
	{ "qualify",          S(SAL),                LF_STAGE_SQL,        SALES,                             -1,                   false },
	{ "send-back",        S(SQL),                LF_STAGE_SAL,        SALES,                             LF_REASON_SEND_BACK,  false },
	{ "open-opportunity", S(SQL),                LF_STAGE_OPPORTUNITY, SALES,                            -1,                   true },
	{ "won",              S(OPPORTUNITY),        LF_STAGE_WON,        SALES,                             LF_REASON_WON,        false },
	{ "lost",             S(OPPORTUNITY),        LF_STAGE_LOST,       SALES,                             LF_REASON_LOST,       false },
	{ "disqualify",       OPEN,                  LF_STAGE_DISQUALIFIED, SALES | R(MARKETING) | R(SYSTEM), LF_REASON_DISQUALIFY, false },
	{ "requalify",        S(DISQUALIFIED),       LF_STAGE_LEAD,       SALES,                             LF_REASON_REQUALIFY,  false },
	{ "recycle",          S(RECYCLED),           LF_STAGE_LEAD,       R(ADMIN) | R(SYSTEM),              -1,                   false },
};
const size_t lf_stage_rule_count = sizeof(lf_stage_rules) / sizeof(lf_stage_rules[0]);

const struct lf_stage_rule *lf_stage_rule_find(const char *action)
{
	for (size_t i = 0; i < lf_stage_rule_count; i++)
		if (!strcmp(lf_stage_rules[i].action, action))
			return &lf_stage_rules[i];
	return NULL;
}

void lf_lifecycle_allowed(enum lf_stage from, enum lf_role role, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < lf_stage_rule_count; i++) {
		const struct lf_stage_rule *r = &lf_stage_rules[i];
		if (!(r->from & LF_STAGE_BIT(from)) || !(r->roles & LF_ROLE_BIT(role)))
			continue;
		int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", r->action);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
}

/*
 * Checks the reason an action needs against the model's list of its kind;
 * why gets what the model says the code tells the other team ("" when
 * nothing).
 */
static enum lf_result check_reason(struct lf_store *s, const struct lf_stage_rule *rule,
				   const char *reason, int *version, char why[512],
				   struct lf_error *err)
{
	struct lf_model_def def;
	enum lf_reason_kind k = (enum lf_reason_kind)rule->reason;
	enum lf_result r;
	char list[512] = "";

	*version = 0;
	why[0] = 0;
	if (rule->reason < 0)
		return LF_OK;
	if (!reason || !*reason)
		return lf_error_field(err, LF_ERR_INPUT, "reason",
				      "'%s' needs a reason code", rule->action);
	r = lf_model_active(s, &def, version, err);
	if (r == LF_ERR_NOT_FOUND)
		return lf_error_set(err, LF_ERR_INPUT, "'%s' needs a reason from the active "
				    "model's lists, and no model is active", rule->action);
	if (r)
		return r;
	if (!lf_model_has_reason_list(&def, k)) {
		/* an optional list the model does not have: any well-formed code */
		r = lf_code_valid(reason) ? LF_OK
		    : lf_error_field(err, LF_ERR_INPUT, "reason", "reason '%s' must be "
				     "lower-case letters, digits and '_'", reason);
	} else if (!lf_model_has_reason(&def, k, reason)) {
		for (size_t i = 0; i < def.nreasons[k] && strlen(list) < 400; i++) {
			strcat(list, i ? ", " : "");
			strncat(list, def.reasons[k][i], 60);
		}
		r = lf_error_field(err, LF_ERR_INPUT, "reason",
				   "unknown %s reason '%s': expected one of %s",
				   lf_reason_kind_name(k), reason, list);
	} else if (lf_model_reason_why(&def, k, reason)) {
		snprintf(why, 512, "%s", lf_model_reason_why(&def, k, reason));
	}
	lf_model_def_release(&def);
	return r;
}

/* The SDR of a lead: who held it last at assigned or sal (0: none recorded). */
static enum lf_result note_sdr(void *ctx, const struct lf_transition *t)
{
	if ((t->to == LF_STAGE_ASSIGNED || t->to == LF_STAGE_SAL) && t->owner_rep_id > 0)
		*(int64_t *)ctx = t->owner_rep_id;
	return LF_OK;
}

/*
 * Who a move by rule gives the lead to: the rep named for an assignment;
 * for an AE's send-back, the SDR who qualified it (kept by the AE when the
 * history does not say, as with moves recorded before schema version 20);
 * -1 (the owner stays) for every other move.
 */
static enum lf_result new_owner(struct lf_store *s, const struct lf_stage_rule *rule,
				const struct lf_lead *l, const struct lf_action *a,
				int64_t *owner, struct lf_error *err)
{
	struct lf_rep rep;
	enum lf_result r;
	int64_t sdr = 0;

	*owner = -1;
	if (rule->to == LF_STAGE_ASSIGNED) {
		/* an assignment names a rep that exists: never an ownerless 'assigned' */
		if (a->rep_id <= 0)
			return lf_error_field(err, LF_ERR_INPUT, "rep_id", "'assign' needs the "
					      "rep the lead goes to (rep_id)");
		if ((r = lf_store_rep_get(s, a->rep_id, &rep, err)))
			return r == LF_ERR_NOT_FOUND ? lf_error_field(err, LF_ERR_INPUT, "rep_id",
								     "no rep with id %lld",
								     (long long)a->rep_id) : r;
		lf_rep_release(&rep);
		*owner = a->rep_id;
	} else if (l->stage == LF_STAGE_SQL && rule->to == LF_STAGE_SAL) {
		if ((r = lf_store_transition_list(s, l->id, note_sdr, &sdr, err)))
			return r;
		*owner = sdr > 0 ? sdr : -1;
	}
	return LF_OK;
}

static enum lf_result apply_in_tx(struct lf_store *s, int64_t lead_id,
				  const struct lf_action *a, enum lf_stage *to,
				  struct lf_error *err)
{
	const struct lf_stage_rule *rule = lf_stage_rule_find(a->action);
	struct lf_lead l;
	enum lf_result r;
	char allowed[256], why[512];
	int version;
	int64_t owner;

	if (!rule) {
		char all[512] = "";
		for (size_t i = 0; i < lf_stage_rule_count; i++) {
			strcat(all, i ? ", " : "");
			strcat(all, lf_stage_rules[i].action);
		}
		return lf_error_set(err, LF_ERR_INPUT, "unknown action '%s': expected one of %s",
				    a->action, all);
	}
	if (a->rating && (a->rating < 1 || a->rating > 5))
		return lf_error_field(err, LF_ERR_INPUT, "rating",
				      "a rating is 1 to 5, got %d", a->rating);
	if ((r = lf_store_lead_get(s, lead_id, &l, err)))
		return r;
	lf_lifecycle_allowed(l.stage, a->role, allowed, sizeof(allowed));
	if (!(rule->roles & LF_ROLE_BIT(a->role))) {
		r = lf_error_set(err, LF_ERR_CONFLICT, "a %s cannot '%s' a lead: lead %lld is "
				 "at stage '%s', where a %s may: %s", lf_role_name(a->role),
				 a->action, (long long)lead_id, lf_stage_name(l.stage),
				 lf_role_name(a->role), allowed[0] ? allowed : "nothing");
		goto out;
	}
	if (!(rule->from & LF_STAGE_BIT(l.stage))) {
		r = lf_error_set(err, LF_ERR_CONFLICT, "cannot '%s' lead %lld at stage '%s': "
				 "allowed there: %s", a->action, (long long)lead_id,
				 lf_stage_name(l.stage), allowed[0] ? allowed : "nothing");
		goto out;
	}
	if (rule->opportunity && (!a->has_amount || !a->has_close_date)) {
		r = lf_error_field(err, LF_ERR_INPUT, a->has_amount ? "close_date" : "amount",
				   "'%s' needs an amount and an expected close date",
				   a->action);
		goto out;
	}
	if (rule->opportunity && a->amount < 0) {
		r = lf_error_field(err, LF_ERR_INPUT, "amount",
				   "an amount cannot be negative, got %g", a->amount);
		goto out;
	}
	if ((r = check_reason(s, rule, a->reason, &version, why, err)) ||
	    (r = new_owner(s, rule, &l, a, &owner, err)))
		goto out;
	struct lf_move m = { .to = rule->to,
			     .actor = a->actor ? a->actor : lf_role_name(a->role),
			     .at = a->at, .reason = a->reason, .rating = a->rating,
			     .note = a->note, .why = why[0] ? why : NULL,
			     .model_version = version,
			     .owner = owner,
			     .sla = a->sla, .row = LF_MOVE_ROW_ALL };
	if (rule->opportunity) {
		/* the forecast reads these: amount and expected close, as attributes */
		struct lf_value v = { .type = LF_VAL_NUMBER, .num = a->amount };
		char close[LF_TIME_STR_MAX];
		if (!(r = lf_attrs_set(&l.attrs, "opportunity_amount", &v))) {
			lf_time_format(a->close_date, close);
			v = (struct lf_value){ .type = LF_VAL_STRING, .str = close };
			r = lf_attrs_set(&l.attrs, "expected_close", &v);
		}
	}
	if (r)
		r = lf_error_set(err, r, "out of memory");
	else
		r = lf_move_lead(s, &l, &m, NULL, err);
	/* a rejection changes which events count: the engagement is redone */
	if (!r && rule->to == LF_STAGE_RECYCLED)
		r = lf_rescore_lead(s, l.id, l.updated_at, err);
	if (!r)
		*to = l.stage;
out:
	lf_lead_release(&l);
	return r;
}

enum lf_result lf_lifecycle_apply(struct lf_store *s, int64_t lead_id,
				  const struct lf_action *a, enum lf_stage *to,
				  struct lf_error *err)
{
	enum lf_result r;

	if ((r = lf_store_begin(s, err)))
		return r;
	r = apply_in_tx(s, lead_id, a, to, err);
	if (!r)
		r = lf_store_commit(s, err);
	if (r)
		lf_store_rollback(s);
	return r;
}

unsigned lf_stages_reached(unsigned s)
{
	if (s & (S(WON) | S(LOST)))
		s |= S(OPPORTUNITY);
	if (s & S(OPPORTUNITY))
		s |= S(SQL);
	if (s & S(RECYCLED))
		s |= S(ASSIGNED);
	return s;
}

const enum lf_stage lf_waterfall[LF_WATERFALL_STEPS] = {
	LF_STAGE_LEAD, LF_STAGE_MQL, LF_STAGE_ASSIGNED, LF_STAGE_SAL, LF_STAGE_SQL,
	LF_STAGE_OPPORTUNITY, LF_STAGE_WON,
};

int lf_waterfall_furthest(unsigned stages)
{
	unsigned reached = lf_stages_reached(stages);
	int furthest = 0;
	for (int k = 0; k < LF_WATERFALL_STEPS; k++)
		if (reached & LF_STAGE_BIT(lf_waterfall[k]))
			furthest = k;
	return furthest;
}

void lf_decision_note(lf_time_ms *at, const struct lf_transition *t)
{
	if (t->to != LF_STAGE_LEAD && t->to != LF_STAGE_RECYCLED && (!*at || t->at < *at))
		*at = t->at;
}
