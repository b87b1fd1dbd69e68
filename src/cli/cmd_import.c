/*
 * cmd_import.c - `leadflow import leads|events|touches|spend FILE`: runs the
 * import of ingest/import.c and prints its summary; draws a progress bar on
 * stderr when stderr is a terminal.
 */
#include "cli.h"

#include <leadflow/import.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { O_MAP, O_REJECTS, O_DELIMITER, O_INPUT };

static const struct cli_opt import_opts[] = {
	[O_MAP] = { "map", "FILE", "YAML mapping from the file's columns to fields" },
	[O_REJECTS] = { "rejects", "FILE", "write bad rows here with the reason and go on "
			"(default: stop at the first bad row, keep nothing)" },
	[O_DELIMITER] = { "delimiter", "C", "CSV field delimiter: one character, or "
			  "'\\t' (default ',')" },
	[O_INPUT] = { "input-format", "F", "csv or ndjson (default: from the file name)" },
	{ NULL, NULL, NULL },
};

static void bar(void *ctx, uint64_t done, uint64_t total)
{
	int width = 30, filled;
	(void)ctx;
	if (!total)
		return;
	filled = (int)(done * (uint64_t)width / total);
	fprintf(stderr, "\r[%.*s%*s] %3d%%  %.1f MB", filled,
		"##############################", width - filled, "",
		(int)(done * 100 / total), (double)done / 1e6);
	if (done >= total)
		fputc('\n', stderr);
}

static enum lf_result run_import(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_import_options o = { 0 };
	struct lf_import_summary sum;
	struct lf_store *s;
	enum lf_result r;
	const char *what = a->argv[0], *d = a->opt[O_DELIMITER];

	if (!strcmp(what, "leads"))
		o.entity = LF_ENTITY_LEADS;
	else if (!strcmp(what, "events"))
		o.entity = LF_ENTITY_EVENTS;
	else if (!strcmp(what, "touches"))
		o.entity = LF_ENTITY_TOUCHES;
	else if (!strcmp(what, "spend"))
		o.entity = LF_ENTITY_SPEND;
	else
		return lf_error_set(err, LF_ERR_USAGE,
				    "cannot import '%s': expected leads, events, touches or "
				    "spend", what);
	o.path = a->argv[1];
	o.map_path = a->opt[O_MAP];
	o.rejects_path = a->opt[O_REJECTS];
	if (d) {
		if (!strcmp(d, "\\t") || !strcmp(d, "tab"))
			o.delimiter = '\t';
		else if (strlen(d) == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r')
			o.delimiter = d[0];
		else
			return lf_error_field(err, LF_ERR_USAGE, "delimiter",
					      "--delimiter: expected one character, got '%s'", d);
	}
	if (a->opt[O_INPUT]) {
		if (!strcmp(a->opt[O_INPUT], "csv"))
			o.format = LF_FORMAT_CSV;
		else if (!strcmp(a->opt[O_INPUT], "ndjson"))
			o.format = LF_FORMAT_NDJSON;
		else
			return lf_error_field(err, LF_ERR_USAGE, "input-format",
					      "--input-format: expected csv or ndjson, got "
					      "'%s'", a->opt[O_INPUT]);
	}
	if (isatty(STDERR_FILENO))
		o.progress = bar;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_import_file(s, &o, &sum, err);
	lf_store_close(s);
	if (r)
		return r;
	if (cli->format == LF_OUT_JSON) {
		printf("{\"inserted\":%lld,\"updated\":%lld,\"unchanged\":%lld,"
		       "\"rejected\":%lld}\n", (long long)sum.inserted,
		       (long long)sum.updated, (long long)sum.unchanged,
		       (long long)sum.rejected);
	} else {
		static const char *const headers[] = { "inserted", "updated", "unchanged",
						       "rejected" };
		char cells[4][24];
		const char *row[4] = { cells[0], cells[1], cells[2], cells[3] };
		struct lf_table t;
		snprintf(cells[0], 24, "%lld", (long long)sum.inserted);
		snprintf(cells[1], 24, "%lld", (long long)sum.updated);
		snprintf(cells[2], 24, "%lld", (long long)sum.unchanged);
		snprintf(cells[3], 24, "%lld", (long long)sum.rejected);
		lf_table_init(&t, 4, headers, 0xF);
		lf_table_add(&t, row);
		lf_table_print(&t, cli->format, stdout);
		lf_table_release(&t);
	}
	if (sum.rejected)
		fprintf(stderr, "leadflow: %lld row%s rejected: see '%s'\n",
			(long long)sum.rejected, sum.rejected == 1 ? "" : "s", o.rejects_path);
	return LF_OK;
}

const struct cli_cmd cmd_import = {
	.name = "import",
	.args = "leads|events|touches|spend FILE",
	.summary = "load leads, events, touches or marketing spend from CSV or NDJSON",
	.opts = import_opts,
	.run = run_import,
	.min_args = 2,
	.max_args = 2,
};
