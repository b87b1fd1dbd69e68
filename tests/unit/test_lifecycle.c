/*
 * test_lifecycle.c - every action from every stage, for every role: allowed
 * exactly where the stage table says, refused elsewhere with the current
 * stage and the allowed actions; reasons checked against the active
 * model's lists; ratings, amounts and close dates checked; each move
 * leaves one transition behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lifecycle/lifecycle.h"
#include "score/scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *model_text =
	"name: m\nfloor: 50\n"
	"fit:\n  - {name: any, when: 'employees > 0', points: 1}\n"
	"reasons:\n"
	"  reject: [no_need, bad_timing]\n"
	"  disqualify: [student, spam]\n"
	"  lost: [price]\n"
	"  requalify: [misjudged]\n"
	"  send_back: [no_pain]\n";

static struct lf_store *store(void)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_model m = { .name = "m", .text = (char *)model_text };
	struct lf_rescore_stats st;
	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_model_activate(s, 1, 1, &st, &err), LF_OK);
	struct lf_rep rep = { .name = "Maya", .weekly_hours = 40, .max_active = 50 };
	assert_int_equal(lf_store_rep_insert(s, &rep, &err), LF_OK);
	assert_int_equal(rep.id, 1);
	return s;
}

static int64_t lead_at(struct lf_store *s, enum lf_stage stage)
{
	struct lf_lead l;
	struct lf_error err;
	lf_lead_init(&l);
	l.stage = stage;
	l.created_at = l.updated_at = 1;
	assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_OK);
	int64_t id = l.id;
	lf_lead_release(&l);
	return id;
}

/* An action with everything its row needs. */
static struct lf_action complete(const struct lf_stage_rule *rule, enum lf_role role)
{
	static const char *const good[LF_REASON_KINDS] = { "no_need", "student", "price",
							   "great_fit", "misjudged", "no_pain" };
	struct lf_action a = { .action = rule->action, .actor = "tester", .role = role,
			       .rating = 4, .note = "checked" };
	if (rule->to == LF_STAGE_ASSIGNED)
		a.rep_id = 1;
	if (rule->reason >= 0)
		a.reason = good[rule->reason];
	if (rule->opportunity) {
		a.amount = 12000;
		a.has_amount = true;
		a.close_date = 1800000000000;
		a.has_close_date = true;
	}
	return a;
}

static enum lf_result count_fn(void *ctx, const struct lf_transition *t)
{
	(void)t;
	(*(int *)ctx)++;
	return LF_OK;
}

static void test_every_action_from_every_stage(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	int allowed = 0, refused = 0;
	(void)state;

	for (int st = 0; st < LF_STAGE_COUNT; st++)
		for (size_t i = 0; i < lf_stage_rule_count; i++) {
			const struct lf_stage_rule *rule = &lf_stage_rules[i];
			int64_t id = lead_at(s, (enum lf_stage)st);
			struct lf_action a = complete(rule, LF_ROLE_ADMIN);
			enum lf_stage to = LF_STAGE_COUNT;
			struct lf_lead l;
			int n = 0;
			enum lf_result r = lf_lifecycle_apply(s, id, &a, &to, &err);

			assert_int_equal(lf_store_transition_list(s, id, count_fn, &n, &err),
					 LF_OK);
			assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
			if (rule->from & LF_STAGE_BIT(st)) {
				if (r)
					fail_msg("%s from %s: %s", rule->action,
						 lf_stage_name((enum lf_stage)st), err.msg);
				assert_int_equal(to, rule->to);
				assert_int_equal(l.stage, rule->to);
				assert_int_equal(n, 1);
				allowed++;
			} else {
				char want[128], list[256];
				assert_int_equal(r, LF_ERR_CONFLICT);
				snprintf(want, sizeof(want), "cannot '%s' lead %lld at stage '%s': "
					 "allowed there: ", rule->action, (long long)id,
					 lf_stage_name((enum lf_stage)st));
				assert_true(!strncmp(err.msg, want, strlen(want)));
				lf_lifecycle_allowed((enum lf_stage)st, LF_ROLE_ADMIN, list,
						     sizeof(list));
				assert_string_equal(err.msg + strlen(want), list[0] ? list : "nothing");
				assert_int_equal(l.stage, st); /* nothing moved */
				assert_int_equal(n, 0);        /* nothing written */
				refused++;
			}
			lf_lead_release(&l);
		}
	assert_int_equal(allowed + refused, LF_STAGE_COUNT * (int)lf_stage_rule_count);
	assert_true(allowed >= 17);
	lf_store_close(s);
}

static void test_roles(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	(void)state;

	for (int role = 0; role < LF_ROLE_COUNT; role++)
		for (size_t i = 0; i < lf_stage_rule_count; i++) {
			const struct lf_stage_rule *rule = &lf_stage_rules[i];
			enum lf_stage from = 0;
			while (!(rule->from & LF_STAGE_BIT(from)))
				from++;
			int64_t id = lead_at(s, from);
			struct lf_action a = complete(rule, (enum lf_role)role);
			enum lf_stage to;
			enum lf_result r = lf_lifecycle_apply(s, id, &a, &to, &err);
			if (rule->roles & LF_ROLE_BIT(role)) {
				if (r)
					fail_msg("%s as %s: %s", rule->action,
						 lf_role_name((enum lf_role)role), err.msg);
			} else {
				assert_int_equal(r, LF_ERR_CONFLICT);
				assert_non_null(strstr(err.msg, "cannot"));
			}
		}
	/* the readonly role can do nothing, a rep cannot assign */
	char list[256];
	lf_lifecycle_allowed(LF_STAGE_ASSIGNED, LF_ROLE_READONLY, list, sizeof(list));
	assert_string_equal(list, "");
	lf_lifecycle_allowed(LF_STAGE_MQL, LF_ROLE_REP, list, sizeof(list));
	assert_string_equal(list, "disqualify");
	lf_store_close(s);
}

static void test_what_actions_need(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	enum lf_stage to;
	int64_t id = lead_at(s, LF_STAGE_ASSIGNED);
	struct lf_action a = { .action = "reject", .actor = "maya", .role = LF_ROLE_REP };
	(void)state;

	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "'reject' needs a reason code");
	a.reason = "too_expensive";
	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "unknown reject reason 'too_expensive': expected one of "
			    "no_need, bad_timing");
	a.reason = "bad_timing";
	a.rating = 6;
	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "a rating is 1 to 5, got 6");
	a.rating = 2;
	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_OK);
	assert_int_equal(to, LF_STAGE_RECYCLED);

	/* won has no list in this model: any well-formed code */
	int64_t opp = lead_at(s, LF_STAGE_SQL);
	struct lf_action o = { .action = "open-opportunity", .role = LF_ROLE_REP };
	assert_int_equal(lf_lifecycle_apply(s, opp, &o, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "'open-opportunity' needs an amount and an expected "
			    "close date");
	assert_string_equal(err.field, "amount");
	o.amount = 5000;
	o.has_amount = o.has_close_date = true;
	o.close_date = 1800000000000;
	assert_int_equal(lf_lifecycle_apply(s, opp, &o, &to, &err), LF_OK);
	struct lf_lead l;
	assert_int_equal(lf_store_lead_get(s, opp, &l, &err), LF_OK);
	assert_true(lf_attrs_get(&l.attrs, "opportunity_amount")->num == 5000);
	assert_string_equal(lf_attrs_get(&l.attrs, "expected_close")->str,
			    "2027-01-15T08:00:00Z");
	lf_lead_release(&l);
	struct lf_action w = { .action = "won", .role = LF_ROLE_REP, .reason = "Big Win" };
	assert_int_equal(lf_lifecycle_apply(s, opp, &w, &to, &err), LF_ERR_INPUT);
	w.reason = "champion_found";
	assert_int_equal(lf_lifecycle_apply(s, opp, &w, &to, &err), LF_OK);

	/* disqualify records the reason; requalify clears it */
	int64_t d = lead_at(s, LF_STAGE_LEAD);
	struct lf_action dq = { .action = "disqualify", .role = LF_ROLE_MARKETING,
				.reason = "spam" };
	assert_int_equal(lf_lifecycle_apply(s, d, &dq, &to, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, d, &l, &err), LF_OK);
	assert_string_equal(l.disq_reason, "spam");
	lf_lead_release(&l);
	struct lf_action rq = { .action = "requalify", .role = LF_ROLE_REP,
				.reason = "misjudged", .note = "is a real buyer" };
	assert_int_equal(lf_lifecycle_apply(s, d, &rq, &to, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, d, &l, &err), LF_OK);
	assert_null(l.disq_reason);
	assert_int_equal(l.stage, LF_STAGE_LEAD);
	lf_lead_release(&l);

	struct lf_action bad = { .action = "promote", .role = LF_ROLE_ADMIN };
	assert_int_equal(lf_lifecycle_apply(s, d, &bad, &to, &err), LF_ERR_INPUT);
	assert_non_null(strstr(err.msg, "unknown action 'promote': expected one of mql, "));
	assert_int_equal(lf_lifecycle_apply(s, 424242, &a, &to, &err), LF_ERR_NOT_FOUND);
	lf_store_close(s);
}

static enum lf_result last_assignment(void *ctx, const struct lf_assignment *a)
{
	*(struct lf_assignment *)ctx = *a;
	return LF_OK;
}

/* An assignment names a rep that exists, and starts its clock on the terms given. */
static void test_assign_names_a_rep_and_starts_the_clock(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	struct lf_sla_terms terms = { .due = 30, .hand_raiser_due = 5, .reassign = 90,
				      .hand_raiser_reassign = 20 };
	struct lf_assignment got = { 0 };
	struct lf_lead l;
	enum lf_stage to;
	int n = 0;
	int64_t id = lead_at(s, LF_STAGE_MQL);
	struct lf_action a = { .action = "assign", .actor = "boss",
			       .role = LF_ROLE_SALES_MANAGER, .at = 1700000000000 };
	(void)state;

	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.field, "rep_id");
	a.rep_id = 77;
	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_ERR_INPUT);
	assert_string_equal(err.field, "rep_id");
	assert_string_equal(err.msg, "no rep with id 77");
	assert_int_equal(lf_store_transition_list(s, id, count_fn, &n, &err), LF_OK);
	assert_int_equal(n, 0);

	a.rep_id = 1;
	a.sla = &terms;
	assert_int_equal(lf_lifecycle_apply(s, id, &a, &to, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	assert_int_equal(l.stage, LF_STAGE_ASSIGNED);
	assert_int_equal(l.owner_rep_id, 1);
	lf_lead_release(&l);
	assert_int_equal(lf_store_assignments(s, true, last_assignment, &got, &err), LF_OK);
	assert_int_equal(got.lead_id, id);
	assert_int_equal(got.rep_id, 1);
	assert_int_equal(got.at, a.at);
	assert_int_equal(got.due_at, a.at + 30 * 60000);
	assert_int_equal(got.reassign_at, a.at + 90 * 60000);
	lf_store_close(s);
}

/* The door itself: every move's side effects, whoever calls. */
static void test_the_door(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	struct lf_lead l;
	int n = 0;
	int64_t id = lead_at(s, LF_STAGE_MQL);
	(void)state;

	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	struct lf_move m = { .to = LF_STAGE_ASSIGNED, .actor = "gate", .at = 5000, .owner = 0 };
	assert_int_equal(lf_move_lead(s, &l, &m, NULL, &err), LF_ERR_INPUT);
	assert_string_equal(err.field, "rep_id");
	m.owner = 1;
	assert_int_equal(lf_move_lead(s, &l, &m, NULL, &err), LF_OK);
	/* a disqualification keeps its reason on the lead, the whole row written */
	struct lf_move d = { .to = LF_STAGE_DISQUALIFIED, .actor = "model", .at = 6000,
			     .reason = "spam", .owner = -1, .audit = "lead.disqualify" };
	assert_int_equal(lf_move_lead(s, &l, &d, NULL, &err), LF_OK);
	lf_lead_release(&l);
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	assert_int_equal(l.stage, LF_STAGE_DISQUALIFIED);
	assert_string_equal(l.disq_reason, "spam");
	assert_int_equal(l.owner_rep_id, 1);
	assert_int_equal(l.updated_at, 6000);
	lf_lead_release(&l);
	assert_int_equal(lf_store_transition_list(s, id, count_fn, &n, &err), LF_OK);
	assert_int_equal(n, 2);
	lf_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_from_every_stage),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_what_actions_need),
		cmocka_unit_test(test_assign_names_a_rep_and_starts_the_clock),
		cmocka_unit_test(test_the_door),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
