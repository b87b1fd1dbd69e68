/*
 * cmd_webhook.c - `leadflow webhook add|list|delete`: the subscriptions the
 * server's sender delivers domain events to.
 */
#include "cli.h"

#include <leadflow/json.h>
#include <leadflow/webhook.h>

#include <stdio.h>
#include <string.h>

enum { O_URL, O_SECRET, O_TYPES };

static const struct cli_opt hook_opts[] = {
	[O_URL] = { "url", "URL", "where deliveries are POSTed (http or https)" },
	[O_SECRET] = { "secret", "TEXT", "the HMAC-SHA256 key (16 characters at least)" },
	[O_TYPES] = { "types", "T,T", "event types: lead.mql, lead.disqualified, lead.assigned,"
				      " sla.breached, model.activated" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_hook_add(struct cli *cli, const struct cli_args *a,
				   struct lf_error *err)
{
	struct lf_webhook w = { 0 };
	struct lf_store *s;
	enum lf_result r;

	if (!a->opt[O_URL] || !a->opt[O_SECRET] || !a->opt[O_TYPES])
		return lf_error_set(err, LF_ERR_USAGE,
				    "'webhook add' needs --url, --secret and --types");
	w.url = (char *)a->opt[O_URL];
	w.secret = (char *)a->opt[O_SECRET];
	w.types = (char *)a->opt[O_TYPES];
	/* checked and audited by the domain, as over the API */
	if ((r = lf_webhook_check(&w, err))) {
		cli_name_option(err, hook_opts);
		return err->code = LF_ERR_USAGE;
	}
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_webhook_add(s, &w, "cli", err)))
		cli_say(cli, lf_webhook_json(&w), "webhook %lld: %s gets %s", (long long)w.id,
			w.url, w.types);
	lf_store_close(s);
	return r;
}

static enum lf_result add_hook_row(void *ctx, const struct lf_webhook *w)
{
	char id[24], created[LF_TIME_STR_MAX];
	snprintf(id, sizeof(id), "%lld", (long long)w->id);
	lf_time_format(w->created_at, created);
	const char *row[4] = { id, w->url, w->types, created };
	return lf_table_add(ctx, row);
}

static enum lf_result fill_hooks(void *ctx, struct lf_store *s, struct lf_table *t,
				 struct lf_error *err)
{
	static const char *const headers[] = { "id", "url", "types", "created_at" };
	(void)ctx;
	lf_table_init(t, 4, headers, 1u << 0);
	return lf_store_webhook_list(s, add_hook_row, t, err);
}

static enum lf_result fill_hook_json(struct lf_store *s, json_t *list, struct lf_error *err)
{
	return lf_store_webhook_list(s, lf_webhook_json_append, list, err);
}

/* For machines, the same objects as GET /v1/webhooks. */
static enum lf_result run_hook_list(struct cli *cli, const struct cli_args *a,
				    struct lf_error *err)
{
	(void)a;
	if (cli->format == LF_OUT_TABLE)
		return cli_print_table(cli, fill_hooks, NULL, err);
	return cli_print_json_list(cli, "webhooks", fill_hook_json, err);
}

static enum lf_result run_hook_delete(struct cli *cli, const struct cli_args *a,
				      struct lf_error *err)
{
	struct lf_store *s;
	long long id;
	enum lf_result r;
	if ((r = cli_int("id", a->argv[0], 1, INT64_MAX, &id, err)) ||
	    (r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_webhook_remove(s, id, "cli", err)))
		cli_say(cli, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1),
			"webhook %lld deleted", id);
	lf_store_close(s);
	return r;
}

static const struct cli_cmd hook_subs[] = {
	{ .name = "add", .opts = hook_opts, .run = run_hook_add,
	  .summary = "subscribe a URL to event types" },
	{ .name = "list", .run = run_hook_list, .summary = "the subscriptions" },
	{ .name = "delete", .args = "ID", .run = run_hook_delete, .min_args = 1, .max_args = 1,
	  .summary = "unsubscribe" },
	{ .name = NULL },
};

const struct cli_cmd cmd_webhook = {
	.name = "webhook",
	.args = "COMMAND",
	.summary = "webhook subscriptions: add, list, delete",
	.subs = hook_subs,
};
