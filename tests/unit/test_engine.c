/*
 * test_engine.c - the scoring kernel: exact decay against a direct sum,
 * the same score whatever order events arrive in (late ones included), cap,
 * max_per_day, hand-raisers, negative points, fit and disqualification.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/rng.h"
#include "score/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *model_text =
	"name: t\n"
	"floor: 60\n"
	"half_life_days: 30\n"
	"fit:\n"
	"  - {name: senior, when: 'title ~* \"vp|chief\"', points: 20}\n"
	"  - {name: size, when: employees >= 50 and employees <= 5000, points: 15}\n"
	"  - {name: free mail, when: 'domain(email) in [\"gmail.com\"]', points: -10}\n"
	"engagement:\n"
	"  - {name: demo, event: demo_request, points: 50, hand_raiser: true}\n"
	"  - {name: pricing, event: page_view, when: 'url ~ \"^/pricing\"', points: 10,"
	" max_per_day: 1, cap: 30}\n"
	"  - {name: pages, event: page_view, points: 1, max_per_day: 3}\n"
	"  - {name: webinar, event: webinar, points: 15}\n"
	"  - {name: unsubscribed, event: unsubscribe, points: -40}\n"
	"disqualify:\n"
	"  - {reason: student, when: 'title ~* \"student\"'}\n"
	"reasons:\n"
	"  reject: [no_need]\n"
	"  disqualify: [student]\n"
	"  lost: [price]\n";

static struct lf_model_def model;
static struct lf_lead lead;
static const lf_time_ms T0 = INT64_C(1780000000000);
#define DAY LF_MS_PER_DAY

static int setup(void **state)
{
	struct lf_error err;
	struct lf_buf problems = LF_BUF_INIT(1 << 16);
	(void)state;
	if (lf_model_parse("test.yaml", model_text, &model, &problems, &err)) {
		fprintf(stderr, "%s", lf_buf_str(&problems));
		return -1;
	}
	lf_buf_release(&problems);
	lf_lead_init(&lead);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lf_model_def_release(&model);
	lf_lead_release(&lead);
	return 0;
}

struct ev {
	const char *type;
	lf_time_ms at;
	const char *url;
};

static void add(struct lf_score_state *st, const struct ev *e)
{
	struct lf_attrs props;
	struct lf_value v = { .type = LF_VAL_STRING, .str = (char *)e->url };
	lf_attrs_init(&props);
	if (e->url)
		lf_attrs_set(&props, "url", &v);
	assert_int_equal(lf_score_add_event(st, &lead, e->type, e->at, &props), LF_OK);
	lf_attrs_release(&props);
}

static double score_of(const struct ev *evs, size_t n, const size_t *order, lf_time_ms t)
{
	struct lf_score_state st;
	double v;
	assert_int_equal(lf_score_state_init(&st, &model), LF_OK);
	for (size_t i = 0; i < n; i++)
		add(&st, &evs[order ? order[i] : i]);
	v = lf_score_engagement(&st, t);
	lf_score_state_release(&st);
	return v;
}

static void test_decay_is_exact(void **state)
{
	struct lf_rng rng;
	struct ev evs[200];
	double direct = 0;
	lf_time_ms t = T0 + 400 * DAY;
	(void)state;

	lf_rng_seed(&rng, 1);
	for (int i = 0; i < 200; i++) {
		evs[i] = (struct ev){ "webinar", T0 + (lf_time_ms)(lf_rng_uniform(&rng) * 365 * DAY),
				      NULL };
		direct += 15 * pow(2.0, -(double)(t - evs[i].at) / (30.0 * DAY));
	}
	double got = score_of(evs, 200, NULL, t);
	printf("decayed sum: engine %.12f, direct %.12f\n", got, direct);
	assert_true(fabs(got - direct) < 1e-9);
	/* one half-life halves it */
	double later = score_of(evs, 200, NULL, t + 30 * DAY);
	assert_true(fabs(later - direct / 2) < 1e-9);
}

static void test_order_does_not_matter(void **state)
{
	static const char *const urls[] = { "/pricing", "/pricing/enterprise", "/blog",
					    "/product", NULL };
	static const char *const types[] = { "page_view", "page_view", "page_view",
					     "webinar", "unsubscribe", "demo_request" };
	struct lf_rng rng;
	struct ev evs[300];
	size_t order[300];
	lf_time_ms t = T0 + 90 * DAY;
	double first;
	(void)state;

	lf_rng_seed(&rng, 7);
	for (int i = 0; i < 300; i++) {
		/* a few days, many events per day: max_per_day and cap both bite */
		evs[i].type = types[lf_rng_below(&rng, 6)];
		evs[i].at = T0 + (lf_time_ms)(lf_rng_uniform(&rng) * 20 * DAY);
		evs[i].url = strcmp(evs[i].type, "page_view") ? NULL
			   : urls[lf_rng_below(&rng, 4)];
	}
	first = score_of(evs, 300, NULL, t);
	for (int round = 0; round < 100; round++) {
		for (size_t i = 0; i < 300; i++)
			order[i] = i;
		for (size_t i = 299; i > 0; i--) {
			size_t j = lf_rng_below(&rng, i + 1), x = order[i];
			order[i] = order[j];
			order[j] = x;
		}
		double v = score_of(evs, 300, order, t);
		if (fabs(v - first) >= 1e-9)
			fail_msg("order %d: %.12f != %.12f", round, v, first);
	}

	/* late events: the newest first, then older ones trickle in */
	for (size_t i = 0; i < 300; i++)
		order[i] = i;
	for (size_t i = 0; i < 300; i++)
		for (size_t j = i + 1; j < 300; j++)
			if (evs[order[j]].at > evs[order[i]].at) {
				size_t x = order[i];
				order[i] = order[j];
				order[j] = x;
			}
	assert_true(fabs(score_of(evs, 300, order, t) - first) < 1e-9);
}

static void test_cap(void **state)
{
	struct ev evs[10];
	(void)state;
	/* ten pricing views on ten days: 100 points, capped at 30 */
	for (int i = 0; i < 10; i++)
		evs[i] = (struct ev){ "page_view", T0 + i * DAY, "/pricing" };
	struct lf_score_state st;
	lf_score_state_init(&st, &model);
	for (int i = 0; i < 10; i++)
		add(&st, &evs[i]);
	assert_true(fabs(lf_score_rule_value(&st, 1, T0 + 9 * DAY) - 30) < 1e-12);
	/* decay brings it under the cap again: 10 events, the newest at T0+9d */
	double uncapped = 0;
	lf_time_ms t = T0 + 200 * DAY;
	for (int i = 0; i < 10; i++)
		uncapped += 10 * pow(2.0, -(double)(t - evs[i].at) / (30.0 * DAY));
	assert_true(uncapped < 30);
	assert_true(fabs(lf_score_rule_value(&st, 1, t) - uncapped) < 1e-9);
	lf_score_state_release(&st);
}

static void test_max_per_day(void **state)
{
	struct lf_score_state st;
	lf_time_ms day = T0 - T0 % DAY + 10 * DAY; /* midnight UTC */
	lf_time_ms t = day + 5 * DAY;
	(void)state;

	lf_score_state_init(&st, &model);
	/* five pricing views in one day: one counts */
	for (int i = 0; i < 5; i++)
		add(&st, &(struct ev){ "page_view", day + (10 + i) * 3600000, "/pricing" });
	assert_int_equal(st.acc[1].counted, 1);
	double one = 10 * pow(2.0, -(double)(t - (day + 10 * 3600000)) / (30.0 * DAY));
	assert_true(fabs(lf_score_rule_value(&st, 1, t) - one) < 1e-9);
	/* a late event earlier that day takes the place of the counted one */
	add(&st, &(struct ev){ "page_view", day + 3600000, "/pricing" });
	assert_int_equal(st.acc[1].counted, 1);
	double earlier = 10 * pow(2.0, -(double)(t - (day + 3600000)) / (30.0 * DAY));
	assert_true(fabs(lf_score_rule_value(&st, 1, t) - earlier) < 1e-9);
	/* the next day counts again */
	add(&st, &(struct ev){ "page_view", day + DAY + 60000, "/pricing" });
	assert_int_equal(st.acc[1].counted, 2);
	/* the generic page rule counts 3 a day: 7 views that day -> 3 */
	assert_int_equal(st.acc[2].counted, 4);
	lf_score_state_release(&st);
}

static void test_hand_raiser_and_negative(void **state)
{
	struct lf_score_state st;
	(void)state;
	lf_score_state_init(&st, &model);
	add(&st, &(struct ev){ "unsubscribe", T0, NULL });
	assert_int_equal(st.hand_raiser_at, 0);
	assert_true(fabs(lf_score_engagement(&st, T0) + 40) < 1e-12);
	add(&st, &(struct ev){ "demo_request", T0 + DAY, NULL });
	add(&st, &(struct ev){ "demo_request", T0 + 3 * DAY, NULL });
	assert_int_equal(st.hand_raiser_at, T0 + DAY);
	assert_string_equal(st.hand_raiser_rule, "demo");
	double want = -40 * pow(2.0, -3.0 / 30) + 50 * pow(2.0, -2.0 / 30) + 50;
	assert_true(fabs(lf_score_engagement(&st, T0 + 3 * DAY) - want) < 1e-9);
	/* an event type no rule counts changes nothing */
	add(&st, &(struct ev){ "email_open", T0 + 3 * DAY, NULL });
	assert_true(fabs(lf_score_engagement(&st, T0 + 3 * DAY) - want) < 1e-9);
	lf_score_state_release(&st);
}

static void test_fit_and_disqualify(void **state)
{
	struct lf_lead l;
	(void)state;
	lf_lead_init(&l);
	lf_set_str(&l.title, "VP Operations");
	lf_set_str(&l.email, "vp@gmail.com");
	l.employees = 300;
	assert_true(lf_score_fit(&model, &l, T0) == 25);
	assert_null(lf_score_disqualified(&model, &l, T0));
	lf_set_str(&l.title, "Student");
	assert_true(lf_score_fit(&model, &l, T0) == 5);
	const struct lf_disq_rule *d = lf_score_disqualified(&model, &l, T0);
	assert_non_null(d);
	assert_string_equal(d->reason, "student");
	lf_lead_release(&l);
}

static void test_state_round_trip(void **state)
{
	struct lf_score_state st, back;
	struct lf_buf b = LF_BUF_INIT(1 << 20);
	lf_time_ms t = T0 + 30 * DAY;
	(void)state;

	lf_score_state_init(&st, &model);
	for (int i = 0; i < 40; i++)
		add(&st, &(struct ev){ i % 3 ? "page_view" : "webinar", T0 + i * 3600000,
				       i % 2 ? "/pricing" : "/blog" });
	add(&st, &(struct ev){ "demo_request", T0 + DAY, NULL });
	assert_int_equal(lf_score_state_encode(&st, 3, &b), LF_OK);
	assert_int_equal(lf_score_state_decode(&back, &model, 3, b.data, b.len), LF_OK);
	assert_true(lf_score_engagement(&back, t) == lf_score_engagement(&st, t));
	assert_int_equal(back.hand_raiser_at, T0 + DAY);
	assert_string_equal(back.hand_raiser_rule, "demo");
	/* going on from the decoded state is going on from the original */
	add(&st, &(struct ev){ "page_view", T0 + 2 * 3600000 + 1, "/pricing" });
	add(&back, &(struct ev){ "page_view", T0 + 2 * 3600000 + 1, "/pricing" });
	assert_true(lf_score_engagement(&back, t) == lf_score_engagement(&st, t));
	lf_score_state_release(&back);
	/* another model version, or damaged bytes: refused, to be rebuilt */
	assert_int_equal(lf_score_state_decode(&back, &model, 4, b.data, b.len), LF_ERR_INPUT);
	assert_int_equal(lf_score_state_decode(&back, &model, 3, b.data, b.len - 1),
			 LF_ERR_INPUT);
	lf_score_state_release(&st);
	lf_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decay_is_exact),
		cmocka_unit_test(test_order_does_not_matter),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_max_per_day),
		cmocka_unit_test(test_hand_raiser_and_negative),
		cmocka_unit_test(test_fit_and_disqualify),
		cmocka_unit_test(test_state_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
