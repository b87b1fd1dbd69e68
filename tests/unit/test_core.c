/*
 * test_core.c - core pieces: ISO 8601 times, attribute lists and their JSON,
 * the capped buffer, the string map, errors and the seeded generator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <leadflow/buf.h>
#include "core/grow.h"
#include <leadflow/json.h>
#include "core/names.h"
#include "core/seek.h"
#include "core/stats.h"
#include "core/rng.h"
#include "core/strmap.h"
#include <leadflow/time.h>
#include <leadflow/types.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_time_parse(void **state)
{
	struct { const char *in; lf_time_ms want; } ok[] = {
		{ "1970-01-01", 0 },
		{ "2026-03-01", INT64_C(1772323200000) },
		{ "2026-03-01T09:30", INT64_C(1772357400000) },
		{ "2026-03-01 09:30:15", INT64_C(1772357415000) },
		{ "2026-03-01T09:30:15.250Z", INT64_C(1772357415250) },
		{ "2026-03-01T11:30:15+02:00", INT64_C(1772357415000) },
		{ "2026-03-01T04:30:15-0500", INT64_C(1772357415000) },
		{ "2024-02-29T00:00:00Z", INT64_C(1709164800000) },
		{ "1969-12-31T23:59:59Z", -1000 },
	};
	const char *bad[] = { "", "2026-02-30", "2026-13-01", "2026-3-1", "yesterday",
			      "2026-03-01T25:00", "2026-03-01T09:30Zjunk", "2023-02-29" };
	struct lf_error err;
	lf_time_ms t;
	(void)state;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(lf_time_parse(ok[i].in, &t, &err), LF_OK);
		assert_int_equal(t, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lf_time_parse(bad[i], &t, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "bad date '2023-02-29': expected ISO 8601 like "
			    "2026-03-01 or 2026-03-01T09:30:00Z");
}

static void test_time_format_roundtrip(void **state)
{
	char buf[LF_TIME_STR_MAX];
	struct lf_error err;
	lf_time_ms t;
	(void)state;

	/* placeholders of exports are not dates */
	assert_int_equal(lf_time_parse("0000-01-01", &t, &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "bad date '0000-01-01': the year must be from 1800 to 2199");
	assert_int_equal(lf_time_parse("9999-12-31T00:00:00Z", &t, &err), LF_ERR_INPUT);
	lf_time_format(INT64_C(1772357415250), buf);
	assert_string_equal(buf, "2026-03-01T09:30:15.250Z");
	lf_time_format(-1000, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	for (lf_time_ms x = -INT64_C(5000000000000); x < INT64_C(5000000000000);
	     x += INT64_C(99999999937)) {
		lf_time_format(x, buf);
		assert_int_equal(lf_time_parse(buf, &t, &err), LF_OK);
		assert_int_equal(t, x);
	}
}

static void test_attrs(void **state)
{
	struct lf_attrs a, b;
	struct lf_value v = { .type = LF_VAL_STRING, .str = "x" };
	struct lf_error err;
	char *json;
	(void)state;

	lf_attrs_init(&a);
	assert_int_equal(lf_attrs_set(&a, "zeta", &v), LF_OK);
	v.type = LF_VAL_NUMBER;
	v.num = 2.5;
	assert_int_equal(lf_attrs_set(&a, "alpha", &v), LF_OK);
	v.type = LF_VAL_BOOL;
	v.b = false;
	assert_int_equal(lf_attrs_set(&a, "mid", &v), LF_OK);
	v.type = LF_VAL_NUMBER;
	v.num = 7;
	assert_int_equal(lf_attrs_set(&a, "alpha", &v), LF_OK);
	assert_int_equal(a.n, 3);
	json = lf_attrs_to_json(&a);
	assert_string_equal(json, "{\"alpha\":7,\"mid\":false,\"zeta\":\"x\"}");
	assert_int_equal(lf_attrs_from_json(&b, json, &err), LF_OK);
	assert_true(lf_attrs_equal(&a, &b));
	lf_attrs_remove(&b, "mid");
	assert_false(lf_attrs_equal(&a, &b));
	assert_null(lf_attrs_get(&b, "mid"));
	free(json);
	lf_attrs_release(&a);
	lf_attrs_release(&b);
	assert_int_equal(lf_attrs_from_json(&b, "{\"x\":[1]}", &err), LF_ERR_INPUT);
	assert_string_equal(err.msg, "attribute 'x': expected a string, number or boolean");
}

static void test_buf_cap(void **state)
{
	struct lf_buf b = LF_BUF_INIT(8);
	(void)state;
	assert_int_equal(lf_buf_adds(&b, "12345678"), LF_OK);
	assert_int_equal(lf_buf_addch(&b, '9'), LF_ERR_LIMIT);
	assert_string_equal(lf_buf_str(&b), "12345678");
	lf_buf_reset(&b);
	assert_int_equal(lf_buf_addf(&b, "%d-%s", 42, "x"), LF_OK);
	assert_string_equal(lf_buf_str(&b), "42-x");
	lf_buf_release(&b);
}

static void test_strmap(void **state)
{
	struct lf_strmap m;
	char key[32];
	int64_t v;
	(void)state;
	lf_strmap_init(&m);
	assert_false(lf_strmap_get(&m, "x", &v));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(lf_strmap_put(&m, key, i), LF_OK);
	}
	assert_int_equal(lf_strmap_put(&m, "k7", 70), LF_OK);
	assert_int_equal(m.n, 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(lf_strmap_get(&m, key, &v));
		assert_int_equal(v, i == 7 ? 70 : i);
	}
	lf_strmap_release(&m);
}

static void test_email_and_stage(void **state)
{
	char e[] = "  Ada.Lovelace@Example.COM \t";
	char bad[] = "not-an-email";
	enum lf_stage st;
	struct lf_error err;
	(void)state;
	assert_true(lf_email_normalise(e));
	assert_string_equal(e, "ada.lovelace@example.com");
	assert_false(lf_email_normalise(bad));
	assert_int_equal(lf_stage_parse("opportunity", &st, &err), LF_OK);
	assert_int_equal(st, LF_STAGE_OPPORTUNITY);
	assert_int_equal(lf_stage_parse("closed", &st, &err), LF_ERR_INPUT);
	assert_non_null(strstr(err.msg, "unknown stage 'closed'"));
}

static void test_error_helpers(void **state)
{
	struct lf_error err;
	(void)state;
	lf_error_set(&err, LF_ERR_INPUT, "bad number '%s'", "x");
	lf_error_prefix(&err, "%s:%d", "leads.csv", 12);
	assert_string_equal(err.msg, "leads.csv:12: bad number 'x'");
	assert_int_equal(lf_exit_code(LF_OK), 0);
	assert_int_equal(lf_exit_code(LF_ERR_INPUT), 2);
	assert_int_equal(lf_exit_code(LF_ERR_USAGE), 2);
	assert_int_equal(lf_exit_code(LF_ERR_STORE), 1);
	assert_string_equal(lf_strerror(LF_ERR_CONFLICT), "conflict");
}

static void test_rng_deterministic(void **state)
{
	struct lf_rng a, b;
	double sum = 0;
	(void)state;
	lf_rng_seed(&a, 42);
	lf_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		assert_true(lf_rng_next(&a) == lf_rng_next(&b));
	for (int i = 0; i < 100000; i++)
		sum += lf_rng_uniform(&a);
	assert_true(sum / 100000 > 0.49 && sum / 100000 < 0.51);
}

static void test_names_and_medians(void **state)
{
	struct lf_doubles d = { 0 };
	(void)state;
	assert_true(lf_names_has("small, big ,vip", "big", false));
	assert_false(lf_names_has("small,big", "bi", false));
	assert_false(lf_names_has(NULL, "x", false));
	assert_false(lf_names_has("asym*", "asymmetrique_score", false));
	assert_true(lf_names_has("tags, asym*", "asymmetrique_score", true));
	assert_false(lf_names_has("tags,asym*", "as", true));

	struct lf_close_names c = { .wanted = "Ximena Kosta" };
	const char *reps[] = { "Omar Haddad", "Ximena Costa", "ximena kost", "Maya", "Xim" };
	char text[128];
	for (size_t i = 0; i < 5; i++)
		lf_names_close(&c, reps[i]);
	lf_names_close_text(&c, text, sizeof(text));
	assert_string_equal(text, "'Ximena Costa', 'ximena kost'");
	c = (struct lf_close_names){ .wanted = "Zed" };
	lf_names_close(&c, "Omar Haddad");
	assert_int_equal(c.n, 0);
	assert_true(isnan(lf_doubles_median(&d)));
	for (int i = 5; i >= 1; i--)
		assert_int_equal(lf_doubles_push(&d, i), LF_OK);
	assert_true(lf_doubles_median(&d) == 3);
	assert_int_equal(lf_doubles_push(&d, 10), LF_OK);
	assert_true(lf_doubles_median(&d) == 3.5);
	lf_doubles_release(&d);
	assert_int_equal(d.n, 0);
}

/* Seeking in step with a scan: forward only, found or not, and AUC by hand. */
struct item { double pad; int64_t id; };

static void test_seek_and_auc(void **state)
{
	struct item v[4] = { { 0, 2 }, { 0, 5 }, { 0, 7 }, { 0, 9 } };
	size_t at = 0;
	(void)state;
	assert_false(lf_seek_id(v, 4, sizeof(*v), offsetof(struct item, id), &at, 1));
	assert_int_equal(at, 0);
	assert_true(lf_seek_id(v, 4, sizeof(*v), offsetof(struct item, id), &at, 5));
	assert_int_equal(at, 1);
	assert_true(lf_seek_id(v, 4, sizeof(*v), offsetof(struct item, id), &at, 5));
	assert_false(lf_seek_id(v, 4, sizeof(*v), offsetof(struct item, id), &at, 6));
	assert_int_equal(at, 2);
	assert_false(lf_seek_id(v, 4, sizeof(*v), offsetof(struct item, id), &at, 10));
	assert_int_equal(at, 4);
	/* 2 positives and 2 negatives: of the 4 pairs 3 ranked right, 1 tied: 3.5 / 4 */
	struct lf_scored s[4] = { { 0.9, 1 }, { 0.5, 1 }, { 0.5, 0 }, { 0.1, 0 } };
	assert_true(fabs(lf_auc(s, 4) - 0.875) < 1e-12);
	struct lf_scored one[2] = { { 1, 1 }, { 2, 1 } };
	assert_true(isnan(lf_auc(one, 2)));
}

/* Numbers print as the shortest text that reads back to the same double. */
static void test_json_text(void **state)
{
	char buf[32];
	(void)state;
	lf_double_text(0.236, buf);
	assert_string_equal(buf, "0.236");
	lf_double_text(0.1 + 0.2, buf);
	assert_string_equal(buf, "0.30000000000000004");
	lf_double_text(1e300, buf);
	assert_string_equal(buf, "1e+300");
	lf_double_text(10, buf);
	assert_string_equal(buf, "10");
	lf_double_text(-250, buf);
	assert_string_equal(buf, "-250");
	for (double d = -3.75; d < 4; d += 0.173) {
		lf_double_text(d, buf);
		assert_true(strtod(buf, NULL) == d);
	}
	json_t *o = json_pack("{s:f, s:f, s:i, s:s, s:[b,n], s:{}}", "auc", 0.236, "one", 1.0,
			      "n", 7, "s", "a\"b\u00e9", "l", 1, "o");
	char *t = lf_json_text(o, 0);
	assert_string_equal(t, "{\"auc\":0.236,\"one\":1.0,\"n\":7,\"s\":\"a\\\"b\u00e9\","
			    "\"l\":[true,null],\"o\":{}}");
	free(t);
	t = lf_json_text(o, 2);
	json_error_t jerr;
	json_t *back = json_loads(t, 0, &jerr);
	assert_non_null(back);
	assert_true(json_equal(back, o));
	json_decref(back);
	free(t);
	json_decref(o);
}

static void test_grow(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0;
	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(LF_GROW(v, n, cap, 4), LF_OK);
		v[n++] = i;
	}
	assert_true(cap >= 1000 && cap < 2048);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	free(v);
	/* an array that cannot grow (its size would not fit a size_t) is left as it was */
	char *big = malloc(8);
	size_t bigcap = 1;
	assert_int_equal(lf_grow_array(&big, &bigcap, 1, SIZE_MAX / 2 + 1, 4), LF_ERR_NOMEM);
	assert_non_null(big);
	assert_int_equal(bigcap, 1);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_format_roundtrip),
		cmocka_unit_test(test_attrs),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_email_and_stage),
		cmocka_unit_test(test_error_helpers),
		cmocka_unit_test(test_rng_deterministic),
		cmocka_unit_test(test_names_and_medians),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_seek_and_auc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
