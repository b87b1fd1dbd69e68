/*
 * table.h - a result as rows of text cells, and its three renderings: an
 * aligned table, CSV (safe to open in a spreadsheet) and JSON (cells of
 * numeric columns as numbers). Reports build tables; the CLI prints them.
 * A table owns copies of its cells; headers are borrowed and must outlive it.
 */
#ifndef LEADFLOW_TABLE_H
#define LEADFLOW_TABLE_H

#include <leadflow/error.h>
#include <stdbool.h>
#include <stdio.h>

enum lf_format { LF_OUT_TABLE, LF_OUT_CSV, LF_OUT_JSON };

struct lf_table {
	size_t ncols;
	const char *const *headers;
	unsigned numeric;      /* bit i: column i holds numbers (JSON, alignment) */
	size_t nrows, cap;
	char **cells;
};

void lf_table_init(struct lf_table *t, size_t ncols, const char *const *headers,
		   unsigned numeric);
enum lf_result lf_table_add(struct lf_table *t, const char *const *cells);
/* The rows as a JSON array of objects (jansson's json_t; the caller owns it). */
struct json_t;
struct json_t *lf_table_json(const struct lf_table *t);
void lf_table_print(const struct lf_table *t, enum lf_format f, FILE *out);
void lf_table_release(struct lf_table *t);
/* Writes a CSV cell, quoted when needed and defused for spreadsheets. */
void lf_csv_cell(FILE *out, const char *s, bool numeric);

#endif
