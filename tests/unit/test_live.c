/*
 * test_live.c - scoring as data arrives equals scoring from scratch: events
 * imported in several files, later ones first, some twice, leave every lead
 * with the same engagement state as a full recomputation; a new model
 * version rebuilds the states; leads get their fit when they are written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/rng.h"
#include "score/live.h"
#include "score/scoring.h"

#include <leadflow/import.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *model_text =
	"name: live\n"
	"floor: 40\n"
	"half_life_days: 20\n"
	"fit:\n"
	"  - {name: senior, when: 'title ~* \"vp|head\"', points: 20}\n"
	"  - {name: big, when: employees >= 100, points: 10}\n"
	"engagement:\n"
	"  - {name: demo, event: demo_request, points: 50, hand_raiser: true}\n"
	"  - {name: pricing, event: page_view, when: 'url ~ \"^/pricing\"', points: 10,"
	" max_per_day: 2, cap: 40}\n"
	"  - {name: pages, event: page_view, points: 1, max_per_day: 3}\n"
	"  - {name: webinar, event: webinar, when: 'title ~* \"vp\"', points: 15}\n"
	"  - {name: unsubscribed, event: unsubscribe, points: -30}\n"
	"disqualify:\n"
	"  - {reason: student, when: 'title ~* \"student\"'}\n"
	"reasons:\n"
	"  reject: [no_need]\n"
	"  disqualify: [student]\n"
	"  lost: [price]\n";

static char dir[64];
static const lf_time_ms T = INT64_C(1793491200000); /* 2026-11-01 */

static void import(struct lf_store *s, enum lf_entity e, const char *name,
		   int64_t want_inserted)
{
	struct lf_import_options o = { .entity = e };
	struct lf_import_summary sum;
	struct lf_error err;
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	o.path = path;
	if (lf_import_file(s, &o, &sum, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sum.inserted, want_inserted);
}

struct compare {
	struct lf_store *s;
	const struct lf_model_def *def;
	int version;
	int leads, with_events;
};

static enum lf_result compare_lead(void *ctx, const struct lf_lead *l)
{
	struct compare *c = ctx;
	struct lf_explain x;
	struct lf_score_state st;
	struct lf_error err;
	struct lf_lead stored;
	void *bytes;
	size_t len;

	assert_int_equal(lf_score_lead(c->s, c->def, l, T, &x, &err), LF_OK);
	assert_int_equal(l->model_version, c->version);
	assert_true(fabs(l->fit - x.fit) < 1e-12);
	assert_int_equal(lf_store_lead_get_scoring(c->s, l->id, &stored, &bytes, &len, &err),
			 LF_OK);
	lf_lead_release(&stored);
	if (bytes) {
		assert_int_equal(lf_score_state_decode(&st, c->def, c->version, bytes, len),
				 LF_OK);
		double live = lf_score_engagement(&st, T);
		if (fabs(live - x.engagement) >= 1e-9)
			fail_msg("lead %lld: live %.12f, from scratch %.12f", (long long)l->id,
				 live, x.engagement);
		assert_int_equal(st.hand_raiser_at, x.hand_raiser_at);
		c->with_events += live != 0;
		lf_score_state_release(&st);
		free(bytes);
	}
	c->leads++;
	lf_explain_release(&x);
	return LF_OK;
}

static void check_all(struct lf_store *s, int version, int min_with_events)
{
	struct lf_model_def def;
	struct lf_error err;
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	int v;
	struct compare c = { s, &def, version, 0, 0 };

	assert_int_equal(lf_model_active(s, &def, &v, &err), LF_OK);
	assert_int_equal(v, version);
	assert_int_equal(lf_store_lead_list(s, &f, compare_lead, &c, &err), LF_OK);
	assert_int_equal(c.leads, 60);
	assert_true(c.with_events >= min_with_events);
	lf_model_def_release(&def);
}

static void test_live_equals_scratch(void **state)
{
	static const char *const types[] = { "page_view", "page_view", "webinar",
					     "unsubscribe", "demo_request", "email_open" };
	static const char *const urls[] = { "/pricing", "/pricing/x", "/blog", "/" };
	static const char *const titles[] = { "VP Sales", "Analyst", "Head of IT", "Student" };
	struct lf_store *s;
	struct lf_error err;
	struct lf_model m = { .name = "live", .text = (char *)model_text };
	struct lf_rescore_stats st;
	struct lf_rng rng;
	FILE *leads, *late, *early, *last;
	char path[128];
	int nlate = 0, nearly = 0;
	(void)state;

	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_model_activate(s, 1, T, &st, &err), LF_OK);

	lf_rng_seed(&rng, 5);
	snprintf(path, sizeof(path), "%s/leads.ndjson", dir);
	leads = fopen(path, "w");
	for (int i = 0; i < 60; i++)
		fprintf(leads, "{\"external_id\":\"L%d\",\"title\":\"%s\",\"employees\":%d}\n",
			i, titles[i % 4], (i * 37) % 400);
	fclose(leads);
	snprintf(path, sizeof(path), "%s/late.ndjson", dir);
	late = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/early.ndjson", dir);
	early = fopen(path, "w");
	for (int i = 0; i < 3000; i++) {
		const char *type = types[lf_rng_below(&rng, 6)];
		lf_time_ms at = T - (lf_time_ms)(lf_rng_uniform(&rng) * 40 * LF_MS_PER_DAY);
		char when[LF_TIME_STR_MAX];
		lf_time_format(at, when);
		/* the newer events arrive first, the older ones later */
		FILE *f = at > T - 20 * LF_MS_PER_DAY ? late : early;
		fprintf(f, "{\"id\":\"e%d\",\"external_id\":\"L%d\",\"type\":\"%s\","
			"\"occurred_at\":\"%s\",\"properties\":{\"url\":\"%s\"}}\n", i,
			(int)lf_rng_below(&rng, 60), type, when, urls[lf_rng_below(&rng, 4)]);
		if (f == late)
			nlate++;
		else
			nearly++;
	}
	fclose(late);
	fclose(early);

	import(s, LF_ENTITY_LEADS, "leads.ndjson", 60);
	check_all(s, 1, 0);             /* fit at once */
	import(s, LF_ENTITY_EVENTS, "late.ndjson", nlate);
	import(s, LF_ENTITY_EVENTS, "early.ndjson", nearly);
	import(s, LF_ENTITY_EVENTS, "late.ndjson", 0);  /* a retry counts nothing */
	check_all(s, 1, 40);

	/* a new version: states are rebuilt on the next event */
	m = (struct lf_model){ .name = "live", .text = (char *)model_text };
	assert_int_equal(lf_store_model_add(s, &m, &err), LF_OK);
	free(m.status);
	assert_int_equal(lf_model_activate(s, 2, T, &st, &err), LF_OK);
	snprintf(path, sizeof(path), "%s/last.ndjson", dir);
	last = fopen(path, "w");
	for (int i = 0; i < 60; i++)
		fprintf(last, "{\"id\":\"x%d\",\"external_id\":\"L%d\",\"type\":\"page_view\","
			"\"occurred_at\":\"2026-10-31T12:00:00Z\",\"properties\":"
			"{\"url\":\"/pricing\"}}\n", i, i);
	fclose(last);
	import(s, LF_ENTITY_EVENTS, "last.ndjson", 60);
	check_all(s, 2, 55);
	lf_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_equals_scratch),
	};
	int r;
	const char *files[] = { "leads.ndjson", "late.ndjson", "early.ndjson", "last.ndjson" };
	snprintf(dir, sizeof(dir), "/tmp/lf-live-%d", (int)getpid());
	mkdir(dir, 0700);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	for (size_t i = 0; i < 4; i++) {
		char p[128];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	return r;
}
