/*
 * test_csv.c - the CSV reader against the golden cases of tests/golden/csv:
 * each NAME.csv is read (with the delimiter of NAME.opts, if any) and every
 * record, or error, is printed as NAME.out expects. Add a case by adding the
 * two files; no C needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <leadflow/buf.h>
#include "ingest/csv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct lf_buf b = LF_BUF_INIT(1 << 24);
	char chunk[4096];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lf_buf_add(&b, chunk, n);
	fclose(f);
	return lf_buf_detach(&b);
}

static void escaped(struct lf_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			lf_buf_adds(out, "\\n");
		else if (*s == '\r')
			lf_buf_adds(out, "\\r");
		else if (*s == '\t')
			lf_buf_adds(out, "\\t");
		else
			lf_buf_addch(out, *s);
	}
}

static char *render(const char *path, char delim)
{
	FILE *f = fopen(path, "rb");
	struct lf_csv *c;
	struct lf_buf out = LF_BUF_INIT(1 << 24);
	struct lf_error err;
	bool eof = false;

	assert_non_null(f);
	assert_int_equal(lf_csv_new(f, delim, &c), LF_OK);
	while (!eof) {
		enum lf_result r = lf_csv_next(c, &eof, &err);
		if (r) {
			lf_buf_addf(&out, "error line %ld: %s\n", lf_csv_line(c), err.msg);
			continue;
		}
		if (eof)
			break;
		lf_buf_addf(&out, "line %ld:", lf_csv_line(c));
		for (size_t i = 0; i < lf_csv_count(c); i++) {
			lf_buf_adds(&out, " [");
			escaped(&out, lf_csv_field(c, i));
			lf_buf_addch(&out, ']');
		}
		lf_buf_addch(&out, '\n');
	}
	lf_csv_free(c);
	fclose(f);
	return lf_buf_detach(&out);
}

static void test_golden_cases(void **state)
{
	const char *dir = getenv("LF_TEST_GOLDEN");
	char path[1024];
	DIR *d;
	struct dirent *e;
	int cases = 0, failed = 0;
	(void)state;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/csv", dir);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char base[1536], *want, *got, *opts;
		char delim = ',';
		if (len < 5 || strcmp(e->d_name + len - 4, ".csv"))
			continue;
		snprintf(base, sizeof(base), "%s/%.*s", path, (int)(len - 4), e->d_name);
		char file[1600];
		snprintf(file, sizeof(file), "%s.opts", base);
		if ((opts = slurp(file))) {
			if (strstr(opts, "delimiter: tab"))
				delim = '\t';
			else if (strstr(opts, "delimiter: "))
				delim = strstr(opts, "delimiter: ")[11];
			free(opts);
		}
		snprintf(file, sizeof(file), "%s.out", base);
		want = slurp(file);
		assert_non_null(want);
		snprintf(file, sizeof(file), "%s.csv", base);
		got = render(file, delim);
		if (strcmp(want, got)) {
			fprintf(stderr, "golden case %s:\n--- want\n%s--- got\n%s", file, want, got);
			failed++;
		}
		cases++;
		free(want);
		free(got);
	}
	closedir(d);
	assert_true(cases >= 10);
	assert_int_equal(failed, 0);
}

static void test_record_limit(void **state)
{
	size_t n = LF_CSV_RECORD_MAX + 10;
	char *big = malloc(n + 8);
	FILE *f;
	struct lf_csv *c;
	struct lf_error err;
	bool eof;
	(void)state;

	memset(big, 'x', n);
	memcpy(big + n, "\nok\n", 5);
	f = fmemopen(big, n + 4, "rb");
	assert_int_equal(lf_csv_new(f, ',', &c), LF_OK);
	assert_int_equal(lf_csv_next(c, &eof, &err), LF_ERR_LIMIT);
	assert_string_equal(err.msg, "record longer than 1048576 bytes");
	/* the reader goes on with the next record */
	assert_int_equal(lf_csv_next(c, &eof, &err), LF_OK);
	assert_false(eof);
	assert_string_equal(lf_csv_field(c, 0), "ok");
	lf_csv_free(c);
	fclose(f);
	free(big);
}

static void test_write_field(void **state)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	(void)state;
	lf_csv_write_field(f, "plain", ',');
	fputc('|', f);
	lf_csv_write_field(f, "a,b", ',');
	fputc('|', f);
	lf_csv_write_field(f, "say \"hi\"", ',');
	fclose(f);
	assert_string_equal(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_cases),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_write_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
