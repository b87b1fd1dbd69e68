/*
 * cmd_init.c - `leadflow init`: creates the database or migrates it to the
 * schema this binary knows.
 */
#include "cli.h"
#include <leadflow/json.h>

#include <jansson.h>

static enum lf_result run_init(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_store *s;
	enum lf_result r;
	int before = 0, after = 0;
	(void)a;

	if ((r = lf_store_open(cli->db, &s, err)))
		return r;
	if (!(r = lf_store_schema_version(s, &before, err)) &&
	    !(r = lf_store_migrate(s, err)) &&
	    !(r = lf_store_schema_version(s, &after, err))) {
		if (cli->format != LF_OUT_TABLE)
			cli_print_doc(cli, json_pack("{s:s,s:i,s:i}", "database", cli->db_shown,
						     "schema_version", after, "migrated_from",
						     before));
		else if (before == after)
			printf("database '%s' is up to date (schema version %d)\n", cli->db_shown,
			       after);
		else
			printf("database '%s' is at schema version %d (was %d)\n", cli->db_shown,
			       after, before);
	}
	lf_store_close(s);
	return r;
}

const struct cli_cmd cmd_init = {
	.name = "init",
	.summary = "create the database, or migrate it to this version's schema",
	.run = run_init,
};
