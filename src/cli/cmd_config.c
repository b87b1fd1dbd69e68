/*
 * cmd_config.c - `leadflow config show`: every server setting, its value
 * and where it came from, read exactly as `serve` reads them.
 */
#include "cli.h"

#include <leadflow/config.h>

#include <stdio.h>

static enum lf_result run_show(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_config c;
	struct lf_table t;
	enum lf_result r;
	if ((r = cli_server_settings(a, &c, err)))
		return r;
	if (!(r = lf_config_table(&c, &t)))
		lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	return r;
}

static const struct cli_cmd config_subs[] = {
	{ .name = "show", .opts = cli_server_opts, .run = run_show,
	  .summary = "every setting, its value and where it came from" },
	{ .name = NULL },
};

const struct cli_cmd cmd_config = {
	.name = "config",
	.args = "COMMAND",
	.summary = "the server's settings",
	.subs = config_subs,
};
