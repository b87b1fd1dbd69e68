/*
 * output.c - what a command prints for machines: one JSON document, or CSV
 * (docs/cli.md). A command that has something to say builds it as JSON
 * once; JSON prints it, CSV lays it out:
 *
 *   - an array of objects is a table (its columns the union of the keys, in
 *     the order first seen);
 *   - an object is a one-row table of its plain members, then one table per
 *     member that is an array of objects;
 *   - several tables go into one CSV with a first column `table` naming
 *     each row's table, over the union of their columns.
 *
 * Cells: text as is, numbers as the shortest text that reads back, booleans
 * true/false, null empty, a list of plain values joined by ',', anything
 * else as compact JSON.
 */
#include "cli.h"

#include <leadflow/json.h>
#include <leadflow/table.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 512   /* columns of one CSV answer; more are cut (none comes near) */

struct part {
	const char *name;
	json_t *rows;          /* an array of objects (borrowed) */
	json_t *own;           /* rows made here, released with the part */
};

static bool plain(const json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach((json_t *)v, i, x) if (json_is_object(x) || json_is_array(x))
			return false;
		return true;
	}
	return !json_is_object(v);
}

/* An array (empty or not) whose items are all objects: a table. */
static bool rows_of_objects(const json_t *v)
{
	size_t i;
	json_t *x;
	if (!json_is_array(v))
		return false;
	json_array_foreach((json_t *)v, i, x) if (!json_is_object(x))
		return false;
	return true;
}

static char *cell_text(const json_t *v)
{
	char num[40];
	if (!v || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_real(v)) {
		lf_double_text(json_real_value(v), num);
		return strdup(num);
	}
	if (json_is_array(v) && plain(v)) {
		size_t i, len = 0;
		json_t *x;
		char *out = strdup("");
		json_array_foreach((json_t *)v, i, x) {
			char *t = cell_text(x);
			char *grown = t && out ? realloc(out, len + strlen(t) + 2) : NULL;
			if (!grown) {
				free(t);
				free(out);
				return NULL;
			}
			out = grown;
			if (i)
				out[len++] = ',';
			strcpy(out + len, t);
			len += strlen(t);
			free(t);
		}
		return out;
	}
	return lf_json_text(v, 0);
}

static void add_col(const char **cols, size_t *n, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(cols[i], key))
			return;
	if (*n < MAX_COLS)
		cols[(*n)++] = key;
}

static void print_parts(const struct part *parts, size_t n)
{
	const char *cols[MAX_COLS + 1] = { 0 };
	size_t ncols = 0, first = n > 1 ? 1 : 0;
	struct lf_table t;

	if (first)
		cols[ncols++] = "table";
	for (size_t p = 0; p < n; p++) {
		size_t i;
		json_t *row;
		json_array_foreach(parts[p].rows, i, row) {
			const char *key;
			json_t *v;
			json_object_foreach(row, key, v)
				add_col(cols, &ncols, key);
		}
	}
	lf_table_init(&t, ncols, cols, 0);
	for (size_t p = 0; p < n; p++) {
		size_t i;
		json_t *row;
		json_array_foreach(parts[p].rows, i, row) {
			char *cells[MAX_COLS + 1];
			for (size_t c = 0; c < ncols; c++)
				cells[c] = c < first ? strdup(parts[p].name)
					 : cell_text(json_object_get(row, cols[c]));
			lf_table_add(&t, (const char *const *)cells);
			for (size_t c = 0; c < ncols; c++)
				free(cells[c]);
		}
	}
	lf_table_print(&t, LF_OUT_CSV, stdout);
	lf_table_release(&t);
}

static void print_csv(json_t *doc)
{
	struct part parts[16];
	size_t n = 0;

	if (rows_of_objects(doc)) {
		parts[n++] = (struct part){ "rows", doc, NULL };
	} else if (json_is_object(doc)) {
		json_t *summary = json_object(), *v;
		const char *key;
		json_object_foreach(doc, key, v)
			if (!rows_of_objects(v))
				json_object_set(summary, key, v);
		if (json_object_size(summary)) {
			json_t *rows = json_array();
			json_array_append_new(rows, summary);
			parts[n++] = (struct part){ "summary", rows, rows };
		} else {
			json_decref(summary);
		}
		json_object_foreach(doc, key, v)
			if (rows_of_objects(v) && n < 16)
				parts[n++] = (struct part){ key, v, NULL };
	} else {
		json_t *rows = json_pack("[{s:O}]", "value", doc);
		parts[n++] = (struct part){ "value", rows, rows };
	}
	print_parts(parts, n);
	for (size_t i = 0; i < n; i++)
		json_decref(parts[i].own);
}

static void print_doc(struct cli *cli, json_t *doc, int indent)
{
	if (!doc)
		return;
	if (cli->format == LF_OUT_JSON) {
		lf_json_write(doc, indent, stdout);
		putchar('\n');
	} else {
		print_csv(doc);
	}
	json_decref(doc);
}

void cli_print_doc(struct cli *cli, json_t *doc)
{
	print_doc(cli, doc, 2);
}

void cli_print_tables(struct cli *cli, size_t n, const char *const *names,
		      const struct lf_table *const *tables, const char *const *empty)
{
	if (cli->format != LF_OUT_TABLE) {
		json_t *o = json_object();
		for (size_t k = 0; k < n; k++)
			json_object_set_new(o, names[k], lf_table_json(tables[k]));
		cli_print_doc(cli, o);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		if (k)
			putchar('\n');
		printf("%s\n", names[k]);
		if (!tables[k]->nrows)
			printf("  (none: %s)\n", empty[k]);
		else
			lf_table_print(tables[k], cli->format, stdout);
	}
}

void cli_say(struct cli *cli, json_t *doc, const char *fmt, ...)
{
	if (cli->format == LF_OUT_TABLE) {
		va_list ap;
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
		json_decref(doc);
		return;
	}
	print_doc(cli, doc, 0);   /* a confirmation is one line */
}

enum lf_result cli_print_json_list(struct cli *cli, const char *key, cli_json_fill_fn fill,
				   struct lf_error *err)
{
	struct lf_store *s;
	enum lf_result r;
	json_t *list;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	list = json_array();
	if (!(r = fill(s, list, err)))
		cli_print_doc(cli, json_pack("{s:O}", key, list));
	json_decref(list);
	lf_store_close(s);
	return r;
}
