/*
 * cmd_migrate.c - `leadflow migrate --to postgresql://...`: the database of
 * --db (a SQLite file) copied into an empty PostgreSQL database, made and
 * migrated first, then every table compared on both sides (rows and a
 * checksum), printed one line a table.
 */
#include "cli.h"
#include <leadflow/table.h>

#include <stdio.h>
#include <string.h>

enum { O_TO };

static const struct cli_opt migrate_opts[] = {
	[O_TO] = { "to", "URI", "the PostgreSQL database to copy into "
		   "(postgresql://user@host/db; empty, or not yet initialised)" },
	{ NULL, NULL, NULL },
};

static enum lf_result add_table(void *ctx, const char *table, int64_t rows, uint64_t sum)
{
	char n[24], c[24];
	snprintf(n, sizeof(n), "%lld", (long long)rows);
	snprintf(c, sizeof(c), "%016llx", (unsigned long long)sum);
	const char *row[4] = { table, n, c, "yes" };
	return lf_table_add(ctx, row);
}

static enum lf_result run_migrate(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	static const char *const headers[] = { "table", "rows", "checksum", "same" };
	struct lf_store *from = NULL, *to = NULL;
	struct lf_table t;
	enum lf_result r;
	const char *target = a->opt[O_TO];

	if (!target || (strncmp(target, "postgresql://", 13) && strncmp(target, "postgres://", 11)))
		return lf_error_set(err, LF_ERR_USAGE, "--to: give the PostgreSQL database to "
				    "copy into, as postgresql://user@host/db");
	lf_table_init(&t, 4, headers, 1u << 1);
	if (!(r = cli_open_store(cli, &from, err)) && !(r = lf_store_open(target, &to, err)) &&
	    !(r = lf_store_migrate(to, err)) &&
	    !(r = lf_store_copy(from, to, add_table, &t, err))) {
		lf_table_print(&t, cli->format, stdout);
		if (cli->format == LF_OUT_TABLE)
			printf("copied: every table has the same rows and checksum on both sides\n");
	}
	lf_table_release(&t);
	lf_store_close(from);
	lf_store_close(to);
	return r;
}

const struct cli_cmd cmd_migrate = {
	.name = "migrate",
	.summary = "copy this SQLite database into PostgreSQL, checked table by table",
	.opts = migrate_opts,
	.run = run_migrate,
};
