/*
 * test_gate.c - the capacity gate: the threshold rises when reps are full
 * and falls to the floor when they free up (every change kept);
 * hand-raisers jump the queue; away reps get nothing; routing rules apply
 * in order and a lead no rule takes goes to the managers' queue; leads
 * that decay below the floor while waiting go back to nurture; routing
 * files are checked with file:line:column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/stats.h"
#include <leadflow/report.h>
#include <leadflow/learn.h>
#include "learn/dataset.h"
#include "gate/capacity.h"
#include "gate/tick.h"
#include "gate/routing.h"
#include <leadflow/model.h>

#include <leadflow/demo.h>
#include "score/scoring.h"

#include <leadflow/import.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400000LL
/* Now: live scoring scores as of the time of the write, so the gate runs from now on. */
static lf_time_ms T0;

static const char *model_text =
	"name: gate\nfloor: 50\nhalf_life_days: 10\n"
	"fit:\n  - {name: big, when: 'employees >= 100', points: 40}\n"
	"engagement:\n"
	"  - {name: demo, event: demo_request, points: 30, hand_raiser: true}\n"
	"  - {name: visit, event: page_view, points: 20}\n"
	"reasons: {reject: [no_need], disqualify: [spam], lost: [price]}\n";

static struct lf_store *store(void)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_model m = { .name = "gate", .text = (char *)model_text };
	struct lf_rescore_stats st;
	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_model_activate(s, 1, T0, &st, &err), LF_OK);
	return s;
}

static int64_t rep(struct lf_store *s, const char *name, const char *team, const char *pools,
		   int max_active)
{
	struct lf_rep r = { .name = (char *)name, .team = (char *)team, .pools = (char *)pools,
			    .weekly_hours = 40, .max_active = max_active };
	struct lf_error err;
	assert_int_equal(lf_store_rep_insert(s, &r, &err), LF_OK);
	return r.id;
}

/* A lead of employees with visits page views and, if demo, a demo request, at t. */
static int64_t lead(struct lf_store *s, const char *key, int employees, int visits, bool demo,
		    lf_time_ms t)
{
	char emp[16], at[LF_TIME_STR_MAX], id[64];
	const char *names[] = { "external_id", "employees", "created_at" };
	const char *values[] = { key, emp, at };
	struct lf_import_summary sum;
	struct lf_error err;
	int64_t lead_id;
	snprintf(emp, sizeof(emp), "%d", employees);
	lf_time_format(t, at);
	assert_int_equal(lf_import_row(s, LF_ENTITY_LEADS, names, values, 3, "test", &sum,
				       &lead_id, &err), LF_OK);
	for (int i = 0; i < visits + (demo ? 1 : 0); i++) {
		const char *en[] = { "id", "external_id", "type", "occurred_at" };
		const char *ev[] = { id, key, i < visits ? "page_view" : "demo_request", at };
		int64_t x;
		snprintf(id, sizeof(id), "%s-%d", key, i);
		assert_int_equal(lf_import_row(s, LF_ENTITY_EVENTS, en, ev, 4, "test", &sum, &x,
					       &err), LF_OK);
	}
	return lead_id;
}

static struct lf_gate_result run(struct lf_store *s, lf_time_ms now)
{
	struct lf_capacity_settings set;
	struct lf_gate_result g;
	struct lf_error err;
	lf_capacity_defaults(&set, now);
	if (lf_gate_run(s, &set, &g, &err))
		fail_msg("gate: %s", err.msg);
	return g;
}

static struct lf_lead get(struct lf_store *s, int64_t id)
{
	struct lf_lead l;
	struct lf_error err;
	assert_int_equal(lf_store_lead_get(s, id, &l, &err), LF_OK);
	return l;
}

static enum lf_stage stage_of(struct lf_store *s, int64_t id)
{
	struct lf_lead l = get(s, id);
	enum lf_stage st = l.stage;
	lf_lead_release(&l);
	return st;
}

static int64_t owner_of(struct lf_store *s, int64_t id)
{
	struct lf_lead l = get(s, id);
	int64_t o = l.owner_rep_id;
	lf_lead_release(&l);
	return o;
}

static enum lf_result count_mark(void *ctx, const struct lf_gate_mark *m)
{
	(void)m;
	(*(int *)ctx)++;
	return LF_OK;
}

static void test_threshold_follows_capacity(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	int64_t a = rep(s, "Ana", "north", "", 2), ids[5];
	struct lf_rep r;
	int marks = 0;
	(void)state;
	rep(s, "Ben", "north", "", 1);
	for (int i = 0; i < 5; i++) {           /* totals 60, 80, 100, 120, 140 */
		char key[16];
		snprintf(key, sizeof(key), "L%d", i);
		ids[i] = lead(s, key, 100, i + 1, false, T0);
	}
	struct lf_gate_result g = run(s, T0);
	assert_int_equal(g.entered, 5);
	assert_int_equal(g.free_slots, 3);
	assert_int_equal(g.released, 3);
	assert_int_equal(g.waiting, 2);
	assert_true(g.threshold > 99.9 && g.threshold < 100.1); /* the last that fitted */
	for (int i = 2; i < 5; i++)
		assert_int_equal(stage_of(s, ids[i]), LF_STAGE_ASSIGNED);
	assert_int_equal(stage_of(s, ids[0]), LF_STAGE_MQL);
	assert_int_equal(owner_of(s, ids[4]), a);  /* most free slots first */

	/* sales frees up: the rest go and the bar falls to the floor */
	assert_int_equal(lf_store_rep_find(s, "Ben", &r, &err), LF_OK);
	r.max_active = 10;
	assert_int_equal(lf_store_rep_update(s, &r, &err), LF_OK);
	lf_rep_release(&r);
	g = run(s, T0 + 1000);
	assert_int_equal(g.released, 2);
	assert_int_equal(g.waiting, 0);
	assert_true(g.threshold == 50);
	assert_int_equal(lf_store_gate_history(s, 0, count_mark, &marks, &err), LF_OK);
	assert_int_equal(marks, 2);
	g = run(s, T0 + 2000);                   /* unchanged: nothing new kept */
	assert_int_equal(lf_store_gate_history(s, 0, count_mark, &marks, &err), LF_OK);
	assert_int_equal(marks, 4);              /* 2 + 2 counted again */
	lf_store_close(s);
}

static void test_hand_raisers_jump_the_queue(void **state)
{
	struct lf_store *s = store();
	(void)state;
	rep(s, "Ana", "north", "", 1);
	int64_t hot = lead(s, "H", 5, 3, false, T0);         /* 60 */
	int64_t hand = lead(s, "D", 5, 0, true, T0);         /* 30, but a demo request */
	struct lf_gate_result g = run(s, T0);
	assert_int_equal(g.released, 1);
	assert_int_equal(stage_of(s, hand), LF_STAGE_ASSIGNED);
	assert_int_equal(stage_of(s, hot), LF_STAGE_MQL);
	lf_store_close(s);
}

static void test_away_reps_get_nothing(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	struct lf_rep r;
	int64_t ana = rep(s, "Ana", "north", "", 10), ben = rep(s, "Ben", "north", "", 10);
	(void)state;
	assert_int_equal(lf_store_rep_find(s, "Ana", &r, &err), LF_OK);
	r.away_from = T0 - DAY;
	r.away_to = T0 + DAY;
	assert_int_equal(lf_store_rep_update(s, &r, &err), LF_OK);
	lf_rep_release(&r);
	int64_t l1 = lead(s, "A1", 100, 1, false, T0), l2 = lead(s, "A2", 100, 2, false, T0);
	struct lf_gate_result g = run(s, T0);
	assert_int_equal(g.released, 2);
	assert_int_equal(owner_of(s, l1), ben);
	assert_int_equal(owner_of(s, l2), ben);
	(void)ana;
	lf_store_close(s);
}

static void test_routing_rules_in_order(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	int version;
	const char *text =
		"rules:\n"
		"  - {name: whales, when: 'employees >= 1000', pool: enterprise}\n"
		"  - {name: mid, when: 'employees >= 100', pool: midmarket}\n"
		"  - {name: mid again, when: 'employees >= 10', pool: enterprise}\n";
	(void)state;
	int64_t ent = rep(s, "Eve", "west", "enterprise", 10);
	int64_t mid = rep(s, "Max", "west", "midmarket", 10);
	assert_int_equal(lf_store_routing_put(s, text, "test", &version, &err), LF_OK);
	int64_t whale = lead(s, "W", 5000, 1, false, T0);
	int64_t midsize = lead(s, "M", 500, 1, false, T0);
	int64_t small = lead(s, "S", 50, 0, true, T0);     /* third rule */
	int64_t tiny = lead(s, "T", 5, 0, true, T0);       /* no rule: the managers */
	struct lf_gate_result g = run(s, T0);
	assert_int_equal(owner_of(s, whale), ent);
	assert_int_equal(owner_of(s, midsize), mid);
	assert_int_equal(owner_of(s, small), ent);
	assert_int_equal(g.to_managers, 1);
	assert_int_equal(stage_of(s, tiny), LF_STAGE_MQL);
	assert_int_equal(owner_of(s, tiny), 0);
	g = run(s, T0 + 1000);                  /* the managers' queue is out of the pool */
	assert_int_equal(g.to_managers, 0);
	assert_int_equal(g.released, 0);
	lf_store_close(s);
}

static void test_decaying_leads_leave_the_pool(void **state)
{
	struct lf_store *s = store();
	(void)state;
	/* no reps: everyone waits. fit 40 + a visit worth 20 now, 10 in 10 days */
	int64_t id = lead(s, "K", 100, 1, false, T0);
	struct lf_gate_result g = run(s, T0);
	assert_int_equal(g.entered, 1);
	assert_int_equal(g.waiting, 1);
	assert_true(g.threshold > 59.9 && g.threshold < 60.1);
	g = run(s, T0 + 10 * DAY);              /* 50: still at the floor */
	assert_int_equal(g.nurtured, 0);
	assert_int_equal(stage_of(s, id), LF_STAGE_MQL);
	g = run(s, T0 + 20 * DAY);              /* 45: below it */
	assert_int_equal(g.nurtured, 1);
	assert_int_equal(stage_of(s, id), LF_STAGE_LEAD);
	lf_store_close(s);
}

static void test_routing_file_errors(void **state)
{
	struct lf_buf problems = LF_BUF_INIT(1 << 16);
	struct lf_routing r;
	struct lf_error err;
	(void)state;
	assert_int_equal(lf_routing_parse("r.yaml",
					  "rules:\n"
					  "  - name: a\n"
					  "    when: employees >>= 3\n"
					  "    pool: x\n"
					  "  - name: a\n"
					  "    colour: red\n"
					  "routes: []\n", &r, &problems, &err), LF_ERR_INPUT);
	assert_string_equal(lf_buf_str(&problems),
			    "r.yaml:3:22: in 'when': expected a value, got '>='\n"
			    "r.yaml:5:5: a rule needs 'pool': where its leads go\n"
			    "r.yaml:5:5: duplicate rule name 'a'\n"
			    "r.yaml:6:5: unknown key 'colour': expected name, when or pool\n"
			    "r.yaml:7:1: unknown key 'routes': a routing file has 'rules'\n");
	assert_string_equal(err.msg, "r.yaml:3:22: in 'when': expected a value, got '>='");
	lf_buf_release(&problems);
	assert_true(lf_routing_in_pool("emea", "emea", ""));
	assert_true(lf_routing_in_pool("big", "emea", "small, big"));
	assert_false(lf_routing_in_pool("bi", "emea", "small,big"));
}

static struct lf_sla_result sla(struct lf_store *s, lf_time_ms now)
{
	struct lf_capacity_settings set;
	struct lf_sla_result res;
	struct lf_error err;
	lf_capacity_defaults(&set, now);
	if (lf_sla_run(s, &set, &res, &err))
		fail_msg("sla: %s", err.msg);
	return res;
}

static void touch(struct lf_store *s, int64_t lead_id, lf_time_ms t)
{
	char id[24], at[LF_TIME_STR_MAX];
	const char *names[] = { "lead_id", "kind", "at", "minutes" };
	const char *values[] = { id, "call", at, "10" };
	struct lf_import_summary sum;
	struct lf_error err;
	int64_t x;
	snprintf(id, sizeof(id), "%lld", (long long)lead_id);
	lf_time_format(t, at);
	assert_int_equal(lf_import_row(s, LF_ENTITY_TOUCHES, names, values, 4, "test", &sum, &x,
				       &err), LF_OK);
}

static enum lf_result last_actor(void *ctx, const struct lf_transition *t)
{
	struct lf_transition *last = ctx;
	free(last->actor);
	*last = *t;
	last->actor = strdup(t->actor);
	last->reason = last->note = NULL;
	return LF_OK;
}

static void test_sla_breach_then_reassignment(void **state)
{
	struct lf_store *s = store();
	struct lf_error err;
	struct lf_transition actor = { 0 };
	(void)state;
	int64_t ana = rep(s, "Ana", "north", "", 10), ben = rep(s, "Ben", "north", "", 5);
	int64_t id = lead(s, "S1", 100, 1, false, T0);        /* a normal lead: 240 / 480 min */
	run(s, T0);
	assert_int_equal(owner_of(s, id), ana);
	struct lf_sla_result r = sla(s, T0 + 239 * 60000LL);
	assert_int_equal(r.breached, 0);
	r = sla(s, T0 + 241 * 60000LL);
	assert_int_equal(r.breached, 1);
	r = sla(s, T0 + 242 * 60000LL);              /* once per assignment */
	assert_int_equal(r.breached, 0);
	r = sla(s, T0 + 481 * 60000LL);
	assert_int_equal(r.reassigned, 1);
	assert_int_equal(owner_of(s, id), ben);
	assert_int_equal(stage_of(s, id), LF_STAGE_ASSIGNED);
	r = sla(s, T0 + 482 * 60000LL);              /* Ben's clock is new */
	assert_int_equal(r.breached + r.reassigned, 0);
	assert_int_equal(r.checked, 1);
	assert_int_equal(lf_store_transition_list(s, id, last_actor, &actor, &err), LF_OK);
	assert_string_equal(actor.actor, "sla");  /* the reassignment is on record */
	assert_int_equal(actor.to, LF_STAGE_ASSIGNED);
	free(actor.actor);
	lf_store_close(s);
}

static void test_sla_met_by_a_touch(void **state)
{
	struct lf_store *s = store();
	(void)state;
	rep(s, "Ana", "north", "", 10);
	int64_t hand = lead(s, "S2", 5, 0, true, T0);        /* a hand-raiser: 15 / 60 min */
	run(s, T0);
	touch(s, hand, T0 + 10 * 60000LL);
	struct lf_sla_result r = sla(s, T0 + 100 * 60000LL);
	assert_int_equal(r.met, 1);
	assert_int_equal(r.breached, 0);
	assert_int_equal(r.reassigned, 0);
	r = sla(s, T0 + 200 * 60000LL);              /* closed: not checked again */
	assert_int_equal(r.checked, 0);
	lf_store_close(s);
}

static void test_simulation_replays_the_same(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_demo_options d = { .leads = 800, .seed = 3, .end = 1793491200000LL, .days = 90 };
	struct lf_demo_stats stats;
	struct lf_model m = { .name = "gate", .text = (char *)model_text };
	struct lf_rescore_stats st;
	struct lf_sim_options o = { .from = 1793491200000LL - 60 * DAY, .to = 1793491200000LL,
				    .seed = 9, .work_days = 14 };
	struct lf_sim_result a, b, fewer;
	(void)state;
	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_demo_build(s, &d, &stats, &err), LF_OK);
	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_model_activate(s, 1, d.end, &st, &err), LF_OK);
	lf_capacity_defaults(&o.cap, o.to);
	assert_int_equal(lf_simulate(s, &o, &a, &err), LF_OK);
	assert_int_equal(lf_simulate(s, &o, &b, &err), LF_OK);
	assert_true(a.released > 0 && a.truth);
	assert_int_equal(a.nweeks, b.nweeks);
	for (size_t i = 0; i < a.nweeks; i++) {      /* the same history, the same replay */
		assert_int_equal(a.weeks[i].released, b.weeks[i].released);
		assert_int_equal(a.weeks[i].breaches, b.weeks[i].breaches);
		assert_int_equal(a.weeks[i].pool, b.weeks[i].pool);
		assert_true(a.weeks[i].expected == b.weeks[i].expected);
	}
	o.reps_delta = -(a.reps - 1);                  /* one rep left: fewer released */
	o.hours_delta = -20;
	assert_int_equal(lf_simulate(s, &o, &fewer, &err), LF_OK);
	assert_int_equal(fewer.reps, 1);
	assert_true(fewer.released < a.released);
	assert_true(fewer.weeks[fewer.nweeks - 1].pool > a.weeks[a.nweeks - 1].pool);
	assert_true(fewer.expected < a.expected);
	lf_sim_result_release(&a);
	lf_sim_result_release(&b);
	lf_sim_result_release(&fewer);
	o.to = o.from;
	assert_int_equal(lf_simulate(s, &o, &a, &err), LF_ERR_INPUT);
	assert_string_equal(err.field, "to");
	lf_store_close(s);
}

static void test_capacity_cache_agrees(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_demo_options d = { .leads = 1500, .seed = 4, .end = 1793491200000LL, .days = 120 };
	struct lf_demo_stats stats;
	struct lf_capacity_settings set;
	struct lf_capacity_cache cache = { .ttl_ms = 60000 };
	struct lf_capacity full, cold, warm;
	(void)state;
	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_demo_build(s, &d, &stats, &err), LF_OK);
	lf_capacity_defaults(&set, d.end);
	set.min_measured = 5;
	assert_int_equal(lf_capacity_compute(s, &set, &full, &err), LF_OK);
	set.cache = &cache;
	assert_int_equal(lf_capacity_compute(s, &set, &cold, &err), LF_OK);  /* fills it */
	assert_int_equal(lf_capacity_compute(s, &set, &warm, &err), LF_OK);  /* reads held leads only */
	assert_int_equal(cache.nteams, full.nteams);
	assert_true(full.free_slots > 0);
	assert_int_equal(warm.free_slots, full.free_slots);
	assert_int_equal(cold.free_slots, full.free_slots);
	for (size_t i = 0; i < full.nreps; i++) {
		assert_int_equal(warm.reps[i].free_slots, full.reps[i].free_slots);
		assert_int_equal(warm.reps[i].active, full.reps[i].active);
		assert_int_equal(warm.reps[i].opportunities, full.reps[i].opportunities);
		assert_true(fabs(warm.reps[i].hours_needed - full.reps[i].hours_needed) < 1e-9);
	}
	for (size_t t = 0; t < full.nteams; t++)
		assert_true(warm.teams[t].lead_minutes == full.teams[t].lead_minutes);
	/* measured apart (the server's measurer), then taken by the clocks */
	struct lf_capacity_cache apart = { .ttl_ms = 1 };
	struct lf_tick tick = { .measured_elsewhere = true };
	struct lf_capacity adopted;
	assert_int_equal(lf_capacity_measure(s, &set, &apart, &err), LF_OK);
	assert_int_equal(apart.nteams, full.nteams);
	assert_int_equal(apart.ttl_ms, 1);
	for (size_t t = 0; t < full.nteams; t++) {
		assert_string_equal(apart.teams[t].team, full.teams[t].team);
		assert_true(apart.teams[t].lead_minutes == full.teams[t].lead_minutes);
		assert_true(apart.teams[t].opportunity_minutes == full.teams[t].opportunity_minutes);
		assert_int_equal(apart.teams[t].leads_measured, full.teams[t].leads_measured);
	}
	lf_tick_adopt(&tick, &apart);
	assert_null(apart.teams);
	assert_int_equal(tick.cache.ttl_ms, 600000);
	set.cache = &tick.cache;
	assert_int_equal(lf_capacity_compute(s, &set, &adopted, &err), LF_OK);
	assert_int_equal(adopted.free_slots, full.free_slots);
	lf_capacity_release(&adopted);
	lf_tick_release(&tick);
	lf_capacity_release(&full);
	lf_capacity_release(&cold);
	lf_capacity_release(&warm);
	lf_capacity_cache_release(&cache);
	lf_store_close(s);
}

/* Free functions accept NULL (STYLE: habit 3), so a cleanup path need not check. */
static void test_release_null(void **state)
{
	(void)state;
	lf_capacity_cache_release(NULL);
	lf_capacity_release(NULL);
	lf_gate_status_release(NULL);
	lf_routing_release(NULL);
	lf_sim_result_release(NULL);
	lf_doubles_release(NULL);
	lf_backtest_release(NULL);
	lf_dataset_release(NULL);
	lf_train_result_release(NULL);
	lf_forecast_release(NULL);
}

int main(void)
{
	T0 = lf_time_now();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_null),
		cmocka_unit_test(test_threshold_follows_capacity),
		cmocka_unit_test(test_hand_raisers_jump_the_queue),
		cmocka_unit_test(test_away_reps_get_nothing),
		cmocka_unit_test(test_routing_rules_in_order),
		cmocka_unit_test(test_decaying_leads_leave_the_pool),
		cmocka_unit_test(test_routing_file_errors),
		cmocka_unit_test(test_sla_breach_then_reassignment),
		cmocka_unit_test(test_sla_met_by_a_touch),
		cmocka_unit_test(test_simulation_replays_the_same),
		cmocka_unit_test(test_capacity_cache_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
