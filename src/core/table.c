/*
 * table.c - the three renderings of a table. A table is kept as text
 * cells; JSON turns cells of numeric columns back into numbers. CSV cells
 * that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
#include <leadflow/table.h>
#include <leadflow/json.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void lf_table_init(struct lf_table *t, size_t ncols, const char *const *headers,
		   unsigned numeric)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = headers;
	t->numeric = numeric;
}

enum lf_result lf_table_add(struct lf_table *t, const char *const *cells)
{
	if ((t->nrows + 1) * t->ncols > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : t->ncols * 16;
		char **p = realloc(t->cells, cap * sizeof(*p));
		if (!p)
			return LF_ERR_NOMEM;
		t->cells = p;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		char *c = strdup(cells[i] ? cells[i] : "");
		if (!c) {
			for (size_t j = 0; j < i; j++)
				free(t->cells[t->nrows * t->ncols + j]);
			return LF_ERR_NOMEM;
		}
		t->cells[t->nrows * t->ncols + i] = c;
	}
	t->nrows++;
	return LF_OK;
}

void lf_table_release(struct lf_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* Display width of UTF-8 text: one column per character. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void lf_csv_cell(FILE *out, const char *s, bool numeric)
{
	bool formula = !numeric && strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n");

	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}

json_t *lf_table_json(const struct lf_table *t)
{
	json_t *arr = json_array();
	for (size_t r = 0; r < t->nrows; r++) {
		json_t *o = json_object();
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			char *end;
			double d = strtod(cell, &end);
			json_t *v;
			if ((t->numeric >> c & 1) && *cell && !*end)
				v = d == (double)(json_int_t)d ? json_integer((json_int_t)d)
							       : json_real(d);
			else if ((t->numeric >> c & 1) && !*cell)
				v = json_null();
			else
				v = json_string(cell);
			json_object_set_new(o, t->headers[c], v);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

void lf_table_print(const struct lf_table *t, enum lf_format f, FILE *out)
{
	if (f == LF_OUT_JSON) {
		json_t *arr = lf_table_json(t);
		lf_json_write(arr, 2, out);
		fputc('\n', out);
		json_decref(arr);
		return;
	}
	if (f == LF_OUT_CSV) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			lf_csv_cell(out, t->headers[c], false);
		}
		fputc('\n', out);
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				if (c)
					fputc(',', out);
				lf_csv_cell(out, t->cells[r * t->ncols + c], t->numeric >> c & 1);
			}
			fputc('\n', out);
		}
		return;
	}
	size_t *w = calloc(t->ncols, sizeof(*w));
	if (!w)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t x = width(t->cells[r * t->ncols + c]);
			if (x > w[c])
				w[c] = x;
		}
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->ncols + c] : t->headers[c];
			size_t pad = w[c] - width(s);
			bool right = r && (t->numeric >> c & 1);
			if (right)
				fprintf(out, "%*s", (int)pad, "");
			fputs(s, out);
			if (c + 1 < t->ncols)
				fprintf(out, "%*s  ", right ? 0 : (int)pad, "");
		}
		fputc('\n', out);
	}
	free(w);
}
