/*
 * cmd_serve.c - `leadflow serve`: the HTTP API with the settings it runs
 * with (defaults, a config file, LEADFLOW_*, --listen; cmd_config.c shows them).
 */
#include "cli.h"

#include <leadflow/serve.h>

#include <stdio.h>

enum { O_LISTEN, O_CONFIG };   /* the places of cli_server_opts */

const struct cli_opt cli_server_opts[] = {
	[O_LISTEN] = { "listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8080;"
					      " port 0 picks a free one)" },
	[O_CONFIG] = { "config", "FILE", "a config file of `key value` lines" },
	{ NULL, NULL, NULL },
};

enum lf_result cli_server_settings(const struct cli_args *a, struct lf_config *c,
				   struct lf_error *err)
{
	enum lf_result r;
	lf_config_defaults(c);
	if (a->opt[O_CONFIG] && (r = lf_config_load(c, a->opt[O_CONFIG], err)))
		return r;
	if ((r = lf_config_env(c, err)))
		return r;
	if (a->opt[O_LISTEN] &&
	    (r = lf_config_set(c, "listen", a->opt[O_LISTEN], LF_CONF_FLAG, err)))
		return r;
	return LF_OK;
}

static enum lf_result run_serve(struct cli *cli, const struct cli_args *a,
				struct lf_error *err)
{
	struct lf_config c;
	struct lf_store *s;
	enum lf_result r;
	if ((r = cli_server_settings(a, &c, err)))
		return r;
	/* the database must exist and be at this binary's schema */
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	lf_store_close(s);
	return lf_serve(cli->db, &c, err);
}

const struct cli_cmd cmd_serve = {
	.name = "serve",
	.summary = "run the HTTP API until SIGINT or SIGTERM",
	.opts = cli_server_opts,
	.run = run_serve,
};
