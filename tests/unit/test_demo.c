/*
 * test_demo.c - the demo world: the same seed gives the same files, its
 * export imports back whole, and the hidden truth shows through the data:
 * a fast first touch, a good rating and a good fit all go with conversion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <leadflow/demo.h>
#include <leadflow/import.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir_a[64], dir_b[64], dir_c[64];

static int files_equal(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb, same = fa && fb;
	while (same) {
		ca = fgetc(fa);
		cb = fgetc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static void test_same_seed_same_world(void **state)
{
	struct lf_demo_options o = { .leads = 1500, .seed = 11 };
	struct lf_demo_stats a, b, c;
	struct lf_error err;
	const char *files[] = { "leads.ndjson", "events.ndjson", "touches.ndjson",
				"transitions.ndjson", "reps.csv", "truth.csv", "spend.csv" };
	char pa[128], pb[128], pc[128];
	int differ = 0;
	(void)state;

	assert_int_equal(lf_demo_export(dir_a, &o, &a, &err), LF_OK);
	assert_int_equal(lf_demo_export(dir_b, &o, &b, &err), LF_OK);
	o.seed = 12;
	assert_int_equal(lf_demo_export(dir_c, &o, &c, &err), LF_OK);
	assert_int_equal(a.events, b.events);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(pa, sizeof(pa), "%s/%s", dir_a, files[i]);
		snprintf(pb, sizeof(pb), "%s/%s", dir_b, files[i]);
		snprintf(pc, sizeof(pc), "%s/%s", dir_c, files[i]);
		assert_true(files_equal(pa, pb));
		differ += !files_equal(pa, pc);
	}
	assert_true(differ >= 5);
	/* (about 10 a lead, and the emails sent: 3 or 4 more) */
	assert_true(a.events > 8 * 1500 && a.events < 17 * 1500);
}

static void test_export_imports_back(void **state)
{
	struct lf_demo_options o = { .leads = 1500, .seed = 11 };
	struct lf_demo_stats st;
	struct lf_import_summary sum;
	struct lf_import_options io = { .entity = LF_ENTITY_LEADS };
	struct lf_store *s;
	struct lf_error err;
	char path[128];
	(void)state;

	assert_int_equal(lf_demo_export(dir_a, &o, &st, &err), LF_OK);
	assert_int_equal(lf_store_open("sqlite::memory:", &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	snprintf(path, sizeof(path), "%s/leads.ndjson", dir_a);
	io.path = path;
	assert_int_equal(lf_import_file(s, &io, &sum, &err), LF_OK);
	assert_int_equal(sum.inserted, st.leads);
	assert_int_equal(sum.rejected, 0);
	snprintf(path, sizeof(path), "%s/events.ndjson", dir_a);
	io.entity = LF_ENTITY_EVENTS;
	assert_int_equal(lf_import_file(s, &io, &sum, &err), LF_OK);
	assert_int_equal(sum.inserted, st.events);
	snprintf(path, sizeof(path), "%s/touches.ndjson", dir_a);
	io.entity = LF_ENTITY_TOUCHES;
	assert_int_equal(lf_import_file(s, &io, &sum, &err), LF_OK);
	assert_int_equal(sum.inserted, st.touches);
	assert_int_equal(sum.rejected, 0);
	lf_store_close(s);
}

/* What the test learns of one lead from its stored history. */
struct history {
	lf_time_ms assigned, first_touch;
	bool sql;
	int rating;
};

static enum lf_result on_transition(void *ctx, const struct lf_transition *t)
{
	struct history *h = ctx;
	if (t->to == LF_STAGE_ASSIGNED)
		h->assigned = t->at;
	if (t->to == LF_STAGE_SQL)
		h->sql = true;
	if (t->from == LF_STAGE_ASSIGNED && t->rating)
		h->rating = t->rating;
	return LF_OK;
}

static enum lf_result on_touch(void *ctx, const struct lf_touch *t)
{
	struct history *h = ctx;
	if (!h->first_touch || t->at < h->first_touch)
		h->first_touch = t->at;
	return LF_OK;
}

struct tally {
	struct lf_store *s;
	double n[2], sql[2];          /* first touch within 2 h, after 24 h */
	double rating_sum[2], rating_n[2]; /* by outcome: no sql, sql */
	double fit_sql[2], fit_n[2];       /* senior titles vs analysts */
};

static enum lf_result on_lead(void *ctx, const struct lf_lead *l)
{
	struct tally *t = ctx;
	struct history h = { 0 };
	struct lf_error err;

	if (!strcmp(l->source, "sales"))
		return LF_OK;
	lf_store_transition_list(t->s, l->id, on_transition, &h, &err);
	lf_store_touch_list(t->s, l->id, on_touch, &h, &err);
	if (!h.assigned || !h.first_touch || (l->stage != LF_STAGE_RECYCLED &&
					      l->stage < LF_STAGE_SQL))
		return LF_OK;
	double hours = (double)(h.first_touch - h.assigned) / 3600000.0;
	int k = hours <= 2 ? 0 : hours >= 24 ? 1 : -1;
	if (k >= 0) {
		t->n[k]++;
		t->sql[k] += h.sql;
	}
	if (h.rating) {
		t->rating_sum[h.sql] += h.rating;
		t->rating_n[h.sql]++;
	}
	int senior = strstr(l->title, "VP ") || strstr(l->title, "Chief") ||
		     strstr(l->title, "Head of") || strstr(l->title, "Director");
	int junior = strstr(l->title, "Analyst") || strstr(l->title, "Intern") != NULL;
	if (senior || junior) {
		t->fit_n[senior]++;
		t->fit_sql[senior] += h.sql;
	}
	return LF_OK;
}

static void test_hidden_truth_shows(void **state)
{
	struct lf_demo_options o = { .leads = 12000, .seed = 3 };
	struct lf_demo_stats st;
	struct lf_lead_filter f = LF_LEAD_FILTER_ALL;
	struct tally t = { 0 };
	struct lf_error err;
	double p_fast, p_slow;
	(void)state;

	assert_int_equal(lf_store_open("sqlite::memory:", &t.s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(t.s, &err), LF_OK);
	assert_int_equal(lf_demo_build(t.s, &o, &st, &err), LF_OK);
	assert_int_equal(lf_store_lead_list(t.s, &f, on_lead, &t, &err), LF_OK);
	p_fast = t.sql[0] / t.n[0];
	p_slow = t.sql[1] / t.n[1];
	printf("sql rate: first touch <= 2h %.3f (n=%.0f), >= 24h %.3f (n=%.0f)\n",
	       p_fast, t.n[0], p_slow, t.n[1]);
	printf("mean rating: reached sql %.2f, did not %.2f\n",
	       t.rating_sum[1] / t.rating_n[1], t.rating_sum[0] / t.rating_n[0]);
	printf("sql rate: senior titles %.3f, analysts and interns %.3f\n",
	       t.fit_sql[1] / t.fit_n[1], t.fit_sql[0] / t.fit_n[0]);
	assert_true(t.n[0] > 100 && t.n[1] > 100);
	assert_true(p_fast > p_slow + 0.05);
	assert_true(t.rating_sum[1] / t.rating_n[1] > t.rating_sum[0] / t.rating_n[0] + 0.5);
	assert_true(t.fit_sql[1] / t.fit_n[1] > t.fit_sql[0] / t.fit_n[0]);
	lf_store_close(t.s);
}

static void rmdir_all(const char *d)
{
	const char *files[] = { "leads.ndjson", "events.ndjson", "touches.ndjson",
				"transitions.ndjson", "reps.csv", "truth.csv", "spend.csv" };
	char p[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", d, files[i]);
		unlink(p);
	}
	rmdir(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_world),
		cmocka_unit_test(test_export_imports_back),
		cmocka_unit_test(test_hidden_truth_shows),
	};
	int r;
	snprintf(dir_a, sizeof(dir_a), "/tmp/lf-demo-a-%d", (int)getpid());
	snprintf(dir_b, sizeof(dir_b), "/tmp/lf-demo-b-%d", (int)getpid());
	snprintf(dir_c, sizeof(dir_c), "/tmp/lf-demo-c-%d", (int)getpid());
	r = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir_all(dir_a);
	rmdir_all(dir_b);
	rmdir_all(dir_c);
	return r;
}
