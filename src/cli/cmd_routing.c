/*
 * cmd_routing.c - `leadflow routing set|show`: the routing file sales
 * managers own, checked (every problem, file:line:column) and versioned.
 */
#include "cli.h"

#include <leadflow/buf.h>
#include <leadflow/gate.h>

#include <stdio.h>
#include <stdlib.h>

static enum lf_result run_set(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_buf problems = LF_BUF_INIT(1u << 20);
	struct lf_store *s;
	char *text;
	int version;
	size_t rules = 0;
	enum lf_result r;

	if ((r = cli_read_file(a->argv[0], 1u << 20, &text, err)))
		return r;
	if (!(r = cli_open_store(cli, &s, err))) {
		r = lf_routing_set(s, a->argv[0], text, "cli", &version, &rules, &problems, err);
		if (r == LF_ERR_INPUT)
			fputs(lf_buf_str(&problems), stderr);
		else if (!r)
			cli_say(cli, json_pack("{s:i, s:I}", "version", version, "rules",
					       (json_int_t)rules),
				"routing version %d: %zu rules", version, rules);
		lf_store_close(s);
	}
	lf_buf_release(&problems);
	free(text);
	return r;
}

static enum lf_result run_show(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_store *s;
	char *text;
	int version;
	enum lf_result r;
	(void)a;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (cli->format != LF_OUT_TABLE) {
		json_t *doc;
		if (!(r = lf_routing_json(s, &doc, err)))
			cli_print_doc(cli, doc);
		lf_store_close(s);
		return r;
	}
	r = lf_store_routing_get(s, &version, &text, err);
	if (r == LF_ERR_NOT_FOUND) {
		printf("# no routing file: every lead goes to one pool of every rep\n");
		r = LF_OK;
	} else if (!r) {
		printf("# routing version %d\n%s", version, text);
		free(text);
	}
	lf_store_close(s);
	return r;
}

static const struct cli_cmd routing_subs[] = {
	{ .name = "set", .args = "FILE", .run = run_set, .min_args = 1, .max_args = 1,
	  .summary = "check a routing file (every problem, file:line:column) and put it in force" },
	{ .name = "show", .run = run_show, .summary = "the routing file in force" },
	{ .name = NULL },
};

const struct cli_cmd cmd_routing = {
	.name = "routing",
	.args = "COMMAND",
	.summary = "routing rules: which pool a released lead goes to",
	.subs = routing_subs,
};
