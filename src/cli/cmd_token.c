/*
 * cmd_token.c - `leadflow token create|list|revoke|link`: API tokens, made and
 * revoked by whoever holds the database, and one-time sign-in links to the
 * app for a token (cmd_webhook.c: subscriptions).
 */
#include "cli.h"

#include <leadflow/json.h>

#include <leadflow/session.h>
#include <leadflow/token.h>
#include <leadflow/buf.h>

#include <stdio.h>
#include <string.h>

enum { O_ROLE, O_REP, O_NAME };
enum { O_MINUTES, O_URL };

static const struct cli_opt create_opts[] = {
	[O_ROLE] = { "role", "ROLE", "admin, marketing, sales_manager, rep or readonly" },
	[O_REP] = { "rep", "ID|NAME", "the rep a rep token acts as" },
	[O_NAME] = { "name", "NAME", "what the token is for (unique)" },
	{ NULL, NULL, NULL },
};

static enum lf_result find_rep(struct lf_store *s, const char *key, int64_t *id,
			       struct lf_error *err)
{
	struct lf_rep rep;
	long long v;
	enum lf_result r = lf_store_rep_find(s, key, &rep, err);
	if (!r) {
		*id = rep.id;
		lf_rep_release(&rep);
		return LF_OK;
	}
	if (r == LF_ERR_NOT_FOUND && sscanf(key, "%lld", &v) == 1 && v > 0) {
		*id = v; /* an id: the store checks it exists */
		return LF_OK;
	}
	return r == LF_ERR_NOT_FOUND ? lf_error_field(err, LF_ERR_USAGE, "rep",
						      "--rep: no rep named '%s'", key)
				     : r;
}

static enum lf_result run_create(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_store *s;
	struct lf_token row = { 0 };
	enum lf_role role;
	int64_t rep = 0;
	char token[LF_TOKEN_MAX];
	enum lf_result r;

	if (!a->opt[O_ROLE] || !a->opt[O_NAME])
		return lf_error_set(err, LF_ERR_USAGE, "'token create' needs --role and --name");
	if (lf_role_parse(a->opt[O_ROLE], &role, err))
		return err->code = LF_ERR_USAGE;
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if (a->opt[O_REP] && (r = find_rep(s, a->opt[O_REP], &rep, err)))
		goto out;
	r = lf_token_create(s, a->opt[O_NAME], role, rep, "cli", &row, token, err);
	if (r == LF_ERR_NOT_FOUND)
		r = lf_error_field(err, LF_ERR_INPUT, "rep", "--rep: no rep with id %lld",
				   (long long)rep);
	if (!r && cli->format != LF_OUT_TABLE) {
		json_t *o;
		row.name = (char *)a->opt[O_NAME];   /* lf_token_create lends none back */
		row.role = (char *)lf_role_name(role);
		o = lf_token_json(&row);
		json_object_set_new(o, "token", json_string(token));
		cli_print_doc(cli, o);
	} else if (!r) {
		printf("%s\n", token);
	}
	if (!r && cli->format == LF_OUT_TABLE)
		fprintf(stderr, "token %lld '%s' (%s) created; it is shown this once\n",
			(long long)row.id, a->opt[O_NAME], lf_role_name(role));
out:
	lf_store_close(s);
	return r;
}

static enum lf_result add_token_row(void *ctx, const struct lf_token *t)
{
	char id[24], rep[24], created[LF_TIME_STR_MAX], revoked[LF_TIME_STR_MAX] = "";
	snprintf(id, sizeof(id), "%lld", (long long)t->id);
	snprintf(rep, sizeof(rep), "%s", "");
	if (t->rep_id)
		snprintf(rep, sizeof(rep), "%lld", (long long)t->rep_id);
	lf_time_format(t->created_at, created);
	if (t->revoked_at)
		lf_time_format(t->revoked_at, revoked);
	const char *row[6] = { id, t->name, t->role, rep, created, revoked };
	return lf_table_add(ctx, row);
}

static enum lf_result fill_tokens(void *ctx, struct lf_store *s, struct lf_table *t,
				  struct lf_error *err)
{
	static const char *const headers[] = { "id", "name", "role", "rep_id", "created_at",
					       "revoked_at" };
	(void)ctx;
	lf_table_init(t, 6, headers, 1u << 0 | 1u << 3);
	return lf_store_token_list(s, add_token_row, t, err);
}

static enum lf_result fill_token_json(struct lf_store *s, json_t *list, struct lf_error *err)
{
	return lf_store_token_list(s, lf_token_json_append, list, err);
}

/* For machines, the same objects as GET /v1/tokens. */
static enum lf_result run_list(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	(void)a;
	if (cli->format == LF_OUT_TABLE)
		return cli_print_table(cli, fill_tokens, NULL, err);
	return cli_print_json_list(cli, "tokens", fill_token_json, err);
}

static enum lf_result run_revoke(struct cli *cli, const struct cli_args *a,
				 struct lf_error *err)
{
	struct lf_store *s;
	long long id;
	enum lf_result r;
	if ((r = cli_int("id", a->argv[0], 1, INT64_MAX, &id, err)) ||
	    (r = cli_open_store(cli, &s, err)))
		return r;
	if (!(r = lf_token_revoke(s, id, "cli", err)))
		cli_say(cli, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1),
			"token %lld revoked (a running server stops taking it within its "
			"token_cache_ms)", id);
	lf_store_close(s);
	return r;
}

static const struct cli_opt link_opts[] = {
	[O_MINUTES] = { "minutes", "N", "how long the link may be used, once (default 15)" },
	[O_URL] = { "url", "URL", "the app's address (default http://127.0.0.1:8080)" },
	{ NULL },
};

static enum lf_result run_link(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_store *s;
	long long id, minutes = 15;
	const char *base = a->opt[O_URL] ? a->opt[O_URL] : "http://127.0.0.1:8080";
	char link[LF_SESSION_MAX], url[512];
	enum lf_result r;
	if ((r = cli_int("id", a->argv[0], 1, INT64_MAX, &id, err)) ||
	    (a->opt[O_MINUTES] && (r = cli_int("--minutes", a->opt[O_MINUTES], 1, 1440, &minutes,
					       err))) ||
	    (r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_session_link(s, id, (int)minutes, "cli", link, err);
	if (!r) {
		size_t n = strlen(base);
		snprintf(url, sizeof(url), "%.*s/#signin=%s", (int)(n && base[n - 1] == '/' ? n - 1 : n),
			 base, link);
		if (cli->format != LF_OUT_TABLE)
			cli_print_doc(cli, json_pack("{s:I, s:s, s:s, s:I}", "token_id", (json_int_t)id,
						     "link", link, "url", url, "minutes",
						     (json_int_t)minutes));
		else
			printf("%s\n", url);
	}
	lf_store_close(s);
	return r;
}

static const struct cli_cmd token_subs[] = {
	{ .name = "create", .opts = create_opts, .run = run_create,
	  .summary = "create an API token and print it (only a hash is kept)" },
	{ .name = "list", .run = run_list, .summary = "the tokens, never their secrets" },
	{ .name = "revoke", .args = "ID", .run = run_revoke, .min_args = 1, .max_args = 1,
	  .summary = "revoke a token" },
	{ .name = "link", .args = "ID", .opts = link_opts, .run = run_link, .min_args = 1,
	  .max_args = 1, .summary = "a one-time sign-in link to the app, acting as token ID" },
	{ .name = NULL },
};

const struct cli_cmd cmd_token = {
	.name = "token",
	.args = "COMMAND",
	.summary = "API tokens: create, list, revoke; sign-in links to the app",
	.subs = token_subs,
};
