/*
 * test_expr.c - runs the golden cases of tests/golden/expr (*.test files) against
 * the expression compiler and evaluator (the format is described at the top
 * of basics.test), plus the limits that are awkward to write as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <leadflow/buf.h>
#include <leadflow/json.h>
#include "core/value_json.h"
#include <leadflow/expr.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcase {
	char file[256];
	int line;
	char *expr, *lead, *event, *now, *want, *error;
};

static void case_reset(struct tcase *c)
{
	free(c->expr);
	free(c->lead);
	free(c->event);
	free(c->now);
	free(c->want);
	free(c->error);
	c->expr = c->lead = c->event = c->now = c->want = c->error = NULL;
}

/* Builds a lead from a JSON object: core fields by name, the rest attributes. */
static void lead_from_json(struct lf_lead *l, const char *text)
{
	json_error_t e;
	json_t *o = json_loads(text, 0, &e), *v;
	const char *key;
	assert_non_null(o);
	lf_lead_init(l);
	json_object_foreach(o, key, v) {
		char **m = lf_lead_text(l, key);
		if (m) {
			lf_set_str(m, json_string_value(v));
		} else if (!strcmp(key, "employees")) {
			l->employees = json_number_value(v);
		} else if (!strcmp(key, "created_at")) {
			assert_int_equal(lf_time_parse(json_string_value(v), &l->created_at, NULL),
					 LF_OK);
		} else {
			struct lf_value val;
			assert_int_equal(lf_value_from_json(v, &val), LF_OK);
			lf_attrs_set(&l->attrs, key, &val);
		}
	}
	json_decref(o);
}

static int run_case(const struct tcase *c)
{
	struct lf_expr *x = NULL;
	struct lf_expr_error e;
	struct lf_lead lead;
	struct lf_attrs props;
	struct lf_expr_env env = { 0 };
	char *got = NULL;
	char type[64] = "";
	int ok = 1;
	enum lf_result r;

	lf_attrs_init(&props);
	lead_from_json(&lead, c->lead ? c->lead : "{}");
	env.lead = &lead;
	lf_time_parse(c->now ? c->now : "2026-11-01T00:00:00Z", &env.now, NULL);
	if (c->event) {
		json_t *ev = json_loads(c->event, 0, NULL);
		char *ptext;
		assert_non_null(ev);
		snprintf(type, sizeof(type), "%s", json_string_value(json_object_get(ev, "type")));
		env.event_type = type;
		lf_time_parse(json_string_value(json_object_get(ev, "occurred_at")),
			      &env.occurred_at, NULL);
		ptext = json_dumps(json_object_get(ev, "properties"), 0);
		assert_int_equal(lf_attrs_from_json(&props, ptext, NULL), LF_OK);
		free(ptext);
		env.props = &props;
		json_decref(ev);
	}
	r = lf_expr_compile(c->expr, c->event ? LF_SCOPE_EVENT : LF_SCOPE_LEAD, &x, &e);
	if (r) {
		char msg[LF_ERROR_MSG_MAX + 32];
		snprintf(msg, sizeof(msg), "column %d: %s", e.column, e.msg);
		if (!c->error || strcmp(msg, c->error)) {
			fprintf(stderr, "%s:%d: %s\n  want %s%s\n  got  error: %s\n", c->file,
				c->line, c->expr, c->error ? "error: " : "",
				c->error ? c->error : c->want, msg);
			ok = 0;
		}
	} else {
		struct lf_value v;
		assert_int_equal(lf_expr_eval(x, &env, &v), LF_OK);
		json_t *j = lf_value_json(&v);
		got = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		json_decref(j);
		lf_value_release(&v);
		json_t *w = c->want ? json_loads(c->want, JSON_DECODE_ANY, NULL) : NULL;
		char *want = w ? json_dumps(w, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		json_decref(w);
		if (!want || strcmp(want, got)) {
			fprintf(stderr, "%s:%d: %s\n  want %s%s\n  got  %s\n", c->file, c->line,
				c->expr, c->error ? "error: " : "",
				c->error ? c->error : c->want ? c->want : "?", got);
			ok = 0;
		}
		free(want);
		/* lf_expr_holds agrees with the value */
		if (ok && lf_expr_holds(x, &env) != !strcmp(got, "true")) {
			fprintf(stderr, "%s:%d: holds() disagrees\n", c->file, c->line);
			ok = 0;
		}
	}
	free(got);
	lf_expr_free(x);
	lf_lead_release(&lead);
	lf_attrs_release(&props);
	return ok;
}

static char **field_of(struct tcase *c, const char *key)
{
	if (!strcmp(key, "expr")) return &c->expr;
	if (!strcmp(key, "lead")) return &c->lead;
	if (!strcmp(key, "event")) return &c->event;
	if (!strcmp(key, "now")) return &c->now;
	if (!strcmp(key, "want")) return &c->want;
	if (!strcmp(key, "error")) return &c->error;
	return NULL;
}

static void run_file(const char *path, int *cases, int *failed)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;
	struct tcase c = { 0 };

	assert_non_null(f);
	snprintf(c.file, sizeof(c.file), "%s", strrchr(path, '/') + 1);
	for (;;) {
		char *got = fgets(line, sizeof(line), f);
		lineno += got != NULL;
		if (got)
			line[strcspn(line, "\n")] = '\0';
		if (!got || !line[0]) {
			if (c.expr) {
				(*cases)++;
				*failed += !run_case(&c);
			}
			case_reset(&c);
			if (!got)
				break;
			continue;
		}
		if (line[0] == '#')
			continue;
		char *colon = strchr(line, ':');
		assert_non_null(colon);
		*colon = '\0';
		char *value = colon + 1 + (colon[1] == ' ');
		char **slot = field_of(&c, line);
		if (!slot) {
			fprintf(stderr, "%s:%d: unknown key '%s'\n", c.file, lineno, line);
			fail();
		}
		if (!c.expr)
			c.line = lineno;
		free(*slot);
		*slot = strdup(value);
	}
	fclose(f);
}

static void test_golden(void **state)
{
	const char *dir = getenv("LF_TEST_GOLDEN");
	char path[1024];
	DIR *d;
	struct dirent *de;
	int cases = 0, failed = 0;
	(void)state;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/expr", dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char file[1400];
		if (n < 6 || strcmp(de->d_name + n - 5, ".test"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		run_file(file, &cases, &failed);
	}
	closedir(d);
	printf("%d golden expression cases, %d failed\n", cases, failed);
	assert_true(cases >= 70);
	assert_int_equal(failed, 0);
}

static void test_limits(void **state)
{
	struct lf_expr *x;
	struct lf_expr_error e;
	struct lf_buf b = LF_BUF_INIT(1 << 20);
	(void)state;

	for (int i = 0; i < 70; i++)
		lf_buf_addch(&b, '(');
	lf_buf_adds(&b, "true");
	for (int i = 0; i < 70; i++)
		lf_buf_addch(&b, ')');
	assert_int_equal(lf_expr_compile(lf_buf_str(&b), LF_SCOPE_LEAD, &x, &e), LF_ERR_INPUT);
	assert_string_equal(e.msg, "nested deeper than 64");
	assert_int_equal(e.column, 65);

	lf_buf_reset(&b);
	lf_buf_adds(&b, "title == \"");
	for (int i = 0; i < LF_EXPR_MAX_LEN; i++)
		lf_buf_addch(&b, 'x');
	lf_buf_adds(&b, "\"");
	assert_int_equal(lf_expr_compile(lf_buf_str(&b), LF_SCOPE_LEAD, &x, &e), LF_ERR_LIMIT);
	assert_string_equal(e.msg, "expression longer than 4096 characters");

	lf_buf_reset(&b);
	lf_buf_adds(&b, "title ~ \"");
	for (int i = 0; i < 1100; i++)
		lf_buf_addch(&b, 'a');
	lf_buf_adds(&b, "\"");
	assert_int_equal(lf_expr_compile(lf_buf_str(&b), LF_SCOPE_LEAD, &x, &e), LF_ERR_INPUT);
	assert_string_equal(e.msg, "regular expression longer than 1000 characters");

	lf_buf_reset(&b);
	lf_buf_adds(&b, "country in [");
	for (int i = 0; i < 1001; i++)
		lf_buf_addf(&b, "%s%d", i ? "," : "", i);
	lf_buf_adds(&b, "]");
	assert_int_equal(lf_expr_compile(lf_buf_str(&b), LF_SCOPE_LEAD, &x, &e), LF_ERR_INPUT);
	assert_string_equal(e.msg, "a list has more than 1000 items");
	lf_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
