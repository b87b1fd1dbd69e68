/*
 * main.c - the leadflow command line: global options, the command table,
 * and the parser that serves every level. Options and --help text come from
 * the same tables; a command's options may appear anywhere after it, and
 * the global options (--db, --format) are taken at every level.
 *
 * Exit codes: 0 success; 2 bad input or usage (the message says where);
 * 1 any other failure (database, i/o, out of memory).
 */
#include "cli.h"
#include <leadflow/json.h>
#include <leadflow/config.h>
#include <leadflow/sla_terms.h>

#include <errno.h>
#include <sys/stat.h>
#include <jansson.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt global_opts[] = {
	{ "db", "PATH", "database file (default $LEADFLOW_DB or ./leadflow.db)" },
	{ "format", "FMT", "output: table, csv or json (default table)" },
	{ "help", NULL, "show this help" },
	{ "commands", NULL, "list every command, one a line, with its arguments" },
	{ NULL, NULL, NULL },
};

static const struct cli_cmd *const commands[] = {
	&cmd_init, &cmd_migrate, &cmd_import, &cmd_lead, &cmd_event, &cmd_touch, &cmd_model, &cmd_score,
	&cmd_report, &cmd_demo, &cmd_serve, &cmd_config, &cmd_token, &cmd_webhook, &cmd_rep, &cmd_gate, &cmd_routing, &cmd_simulate, &cmd_spend, NULL,
};

static const struct cli_cmd root = {
	.name = "leadflow",
	.args = "COMMAND",
	.summary = "the shared system between marketing and sales",
};

static void print_opts(FILE *out, const struct cli_opt *opts)
{
	for (const struct cli_opt *o = opts; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		fprintf(out, "  %-24s %s\n", left, o->help);
	}
}

static void usage(FILE *out, const struct cli *cli, const struct cli_cmd *cmd)
{
	fprintf(out, "usage: %s [OPTIONS] %s\n\n%s\n", cli->path, cmd->args ? cmd->args : "",
		cmd->summary);
	if (cmd == &root || cmd->subs) {
		fprintf(out, "\ncommands:\n");
		if (cmd == &root)
			for (int i = 0; commands[i]; i++)
				fprintf(out, "  %-24s %s\n", commands[i]->name,
					commands[i]->summary);
		else
			for (const struct cli_cmd *s = cmd->subs; s->name; s++)
				fprintf(out, "  %-24s %s\n", s->name, s->summary);
		fprintf(out, "\nrun '%s COMMAND --help' for a command's options\n", cli->path);
	}
	if (cmd->opts && cmd->opts->name) {
		fprintf(out, "\noptions:\n");
		print_opts(out, cmd->opts);
	}
	fprintf(out, "\nglobal options:\n");
	print_opts(out, global_opts);
	if (cmd == &root)
		fprintf(out, "\nexit status: 0 success, 2 bad input or usage, 1 other "
			"failure\n");
}

enum lf_result cli_int(const char *opt, const char *value, long long min,
		       long long max, long long *out, struct lf_error *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (!*value || *end || errno || v < min || v > max)
		return lf_error_field(err, LF_ERR_USAGE, opt,
				      "--%s: expected a whole number from %lld to %lld, "
				      "got '%s'", opt, min, max, value);
	*out = v;
	return LF_OK;
}

enum lf_result cli_time(const char *opt, const char *value, lf_time_ms *out,
			struct lf_error *err)
{
	if (!lf_time_parse(value, out, err))
		return LF_OK;
	lf_error_prefix(err, "--%s", opt);
	err->code = LF_ERR_USAGE;
	return LF_ERR_USAGE;
}

/* Finds a lead by internal id, email or external id, in that order of sense. */
void cli_name_option(struct lf_error *err, const struct cli_opt *opts)
{
	char name[LF_ERROR_FIELD_MAX];
	snprintf(name, sizeof(name), "%s", err->field);
	for (char *p = name; *p; p++)
		if (*p == '_')
			*p = '-';
	for (size_t i = 0; name[0] && opts[i].name; i++)
		if (!strcmp(opts[i].name, name)) {
			lf_error_prefix(err, "--%s", name);
			return;
		}
}

enum lf_result cli_sla_terms(struct lf_sla_terms *t, struct lf_error *err)
{
	struct lf_config cfg;
	enum lf_result r;
	lf_config_defaults(&cfg);
	if ((r = lf_config_env(&cfg, err)))
		return r;
	lf_sla_from_config(&cfg, t);
	return LF_OK;
}

enum lf_result cli_find_lead(struct lf_store *s, const char *key,
				struct lf_lead *l, struct lf_error *err)
{
	enum lf_result r;
	char *end;

	if (strchr(key, '@')) {
		char email[512];
		snprintf(email, sizeof(email), "%s", key);
		lf_email_normalise(email);
		r = lf_store_lead_find(s, LF_KEY_EMAIL, email, l, err);
		goto out;
	}
	long long id = strtoll(key, &end, 10);
	if (*key && !*end && id > 0) {
		r = lf_store_lead_get(s, id, l, err);
		if (r != LF_ERR_NOT_FOUND)
			return r;
	}
	r = lf_store_lead_find(s, LF_KEY_EXTERNAL_ID, key, l, err);
out:
	if (r == LF_ERR_NOT_FOUND)
		lf_error_set(err, r, "no lead with id, email or external id '%s'", key);
	return r;
}

/* Every command that runs (a leaf of the table), one a line: "lead assign ID|EMAIL|...". */
static void list_commands(const char *prefix, const struct cli_cmd *cmd)
{
	char path[128];
	if (snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? " " : "",
		     cmd->name) >= (int)sizeof(path))
		return; /* no command is nested that deep */
	if (!cmd->subs) {
		printf("%s%s%s\n", path, cmd->args ? " " : "", cmd->args ? cmd->args : "");
		return;
	}
	for (const struct cli_cmd *s = cmd->subs; s->name; s++)
		list_commands(path, s);
}

static enum lf_result set_global(struct cli *cli, int id, const char *v,
				 struct lf_error *err)
{
	if (id == 0) {
		cli->db = v;
	} else if (id == 1) {
		if (!strcmp(v, "table"))
			cli->format = LF_OUT_TABLE;
		else if (!strcmp(v, "csv"))
			cli->format = LF_OUT_CSV;
		else if (!strcmp(v, "json"))
			cli->format = LF_OUT_JSON;
		else
			return lf_error_field(err, LF_ERR_USAGE, "format",
					      "--format: expected table, csv or json, got "
					      "'%s'", v);
	}
	return LF_OK;
}

enum lf_result cli_dispatch(struct cli *cli, const struct cli_cmd *cmd, int argc,
			    char **argv, struct lf_error *err)
{
	struct option longopts[CLI_MAX_OPTS + 4];
	struct cli_args a = { .cmd = cmd };
	size_t nopts = 0, n = 0;
	char path[256];
	bool help = false;
	int c;

	for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
		nopts++;
	for (size_t i = 0; i < nopts; i++)
		longopts[n++] = (struct option){ cmd->opts[i].name,
						 cmd->opts[i].arg ? required_argument
								  : no_argument,
						 NULL, 1000 + (int)i };
	for (int i = 0; global_opts[i].name; i++)
		longopts[n++] = (struct option){ global_opts[i].name,
						 global_opts[i].arg ? required_argument
								    : no_argument,
						 NULL, 2000 + i };
	longopts[n] = (struct option){ 0 };

	/* "+": stop at the first word, which may be a subcommand */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmd->subs || cmd == &root ? "+h" : "h", longopts, NULL)) != -1) {
		if (c == 'h' || c == 2002) {
			help = true;
		} else if (c == 2003) {
			for (int i = 0; commands[i]; i++)
				list_commands("", commands[i]);
			return LF_OK;
		} else if (c >= 2000) {
			enum lf_result r = set_global(cli, c - 2000, optarg, err);
			if (r)
				return r;
		} else if (c >= 1000) {
			a.opt[c - 1000] = optarg ? optarg : "1";
		} else {
			/* getopt sets optopt to the option's value when its argument
			 * is missing, and to 0 for an option it does not know */
			for (size_t i = 0; i < n; i++)
				if (optopt && longopts[i].val == optopt)
					return lf_error_set(err, LF_ERR_USAGE,
							    "option '--%s' needs a value",
							    longopts[i].name);
			return lf_error_set(err, LF_ERR_USAGE,
					    "unknown option '%s' for '%s': see '%s --help'",
					    argv[optind - 1], cli->path, cli->path);
		}
	}
	argc -= optind;
	argv += optind;

	if (cmd->subs || cmd == &root) {
		if (help || argc == 0) {
			usage(help ? stdout : stderr, cli, cmd);
			return help ? LF_OK
				    : lf_error_set(err, LF_ERR_USAGE, "'%s' needs a command",
						   cli->path);
		}
		const struct cli_cmd *sub = NULL;
		if (cmd == &root) {
			for (int i = 0; commands[i]; i++)
				if (!strcmp(commands[i]->name, argv[0]))
					sub = commands[i];
		} else {
			for (const struct cli_cmd *s = cmd->subs; s->name; s++)
				if (!strcmp(s->name, argv[0]))
					sub = s;
		}
		if (!sub)
			return lf_error_set(err, LF_ERR_USAGE,
					    "unknown command '%s' for '%s': see '%s --help'",
					    argv[0], cli->path, cli->path);
		snprintf(path, sizeof(path), "%s %s", cli->path, sub->name);
		cli->path = path;
		return cli_dispatch(cli, sub, argc, argv, err);
	}
	if (help) {
		usage(stdout, cli, cmd);
		return LF_OK;
	}
	if (argc < cmd->min_args || argc > cmd->max_args || argc > CLI_MAX_ARGS)
		return lf_error_set(err, LF_ERR_USAGE, "usage: %s %s (see '%s --help')",
				    cli->path, cmd->args ? cmd->args : "", cli->path);
	a.argc = argc;
	for (int i = 0; i < argc; i++)
		a.argv[i] = argv[i];
	char *shown = lf_store_target_shown(cli->db);
	cli->db_shown = shown ? shown : cli->db;
	enum lf_result r = cmd->run(cli, &a, err);
	free(shown);
	return r;
}

enum lf_result cli_print_table(struct cli *cli, cli_fill_fn fill, void *ctx,
			       struct lf_error *err)
{
	struct lf_table t = { 0 };
	struct lf_store *s;
	enum lf_result r;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = fill(ctx, s, &t, err)))
		lf_table_print(&t, cli->format, stdout);
	lf_table_release(&t);
	lf_store_close(s);
	return r;
}

enum lf_result cli_open_store(struct cli *cli, struct lf_store **s,
			      struct lf_error *err)
{
	enum lf_result r;
	int version;
	struct stat st;

	/* a command that reads never leaves a new, empty database file behind */
	if (!strstr(cli->db, "://") && strcmp(cli->db, ":memory:") &&
	    strncmp(cli->db, "sqlite:", 7) && stat(cli->db, &st) && errno == ENOENT)
		return lf_error_set(err, LF_ERR_USAGE, "database '%s' does not exist: create it "
				    "with 'leadflow --db %s init'", cli->db_shown, cli->db_shown);
	if ((r = lf_store_open(cli->db, s, err)))
		return r;
	if ((r = lf_store_schema_version(*s, &version, err)))
		goto fail;
	if (version == 0) {
		r = lf_error_set(err, LF_ERR_USAGE,
				 "database '%s' is not initialised: run 'leadflow --db %s "
				 "init'", cli->db_shown, cli->db_shown);
		goto fail;
	}
	if (version != lf_store_schema_latest(*s)) {
		/* older schemas are brought up to date; newer ones are refused */
		if ((r = lf_store_migrate(*s, err)))
			goto fail;
	}
	return LF_OK;
fail:
	lf_store_close(*s);
	*s = NULL;
	return r;
}

int main(int argc, char **argv)
{
	struct cli cli = { .format = LF_OUT_TABLE, .path = "leadflow" };
	struct lf_error err;
	enum lf_result r;

	lf_error_clear(&err);
	cli.db = getenv("LEADFLOW_DB");
	if (!cli.db || !*cli.db)
		cli.db = "leadflow.db";
	r = cli_dispatch(&cli, &root, argc, argv, &err);
	if (r) {
		fprintf(stderr, "leadflow: %s\n", err.msg[0] ? err.msg : lf_strerror(r));
		if (fflush(stdout))
			return 1;
	} else if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "leadflow: cannot write the output\n");
		return 1;
	}
	return lf_exit_code(r);
}
