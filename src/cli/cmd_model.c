/*
 * cmd_model.c - `leadflow model validate|add|list|show`: the scoring model
 * file checked (every problem listed, file:line:column), stored as a new
 * draft version, listed and shown.
 */
#include "cli.h"
#include <leadflow/expr.h>
#include <leadflow/json.h>
#include <leadflow/model.h>
#include <leadflow/score.h>
#include <leadflow/learn.h>
#include <leadflow/token.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum lf_result cli_read_file(const char *path, size_t max, char **out, struct lf_error *err)
{
	struct lf_buf buf = LF_BUF_INIT(max);
	enum lf_result r = lf_buf_read_file(&buf, path, err);
	*out = NULL;
	if (r == LF_ERR_LIMIT)
		lf_error_set(err, r, "'%s' is larger than %zu MiB", path, max >> 20);
	if (r) {
		lf_buf_release(&buf);
		return r;
	}
	*out = lf_buf_detach(&buf);
	return LF_OK;
}

enum lf_result cli_load_model(const char *path, char **text, struct lf_model_def *m,
			      struct lf_error *err)
{
	struct lf_buf problems = LF_BUF_INIT(1 << 20);
	enum lf_result r;

	if ((r = cli_read_file(path, 4u << 20, text, err)))
		return r;
	r = lf_model_parse(path, *text, m, &problems, err);
	if (r == LF_ERR_INPUT && problems.len) {
		size_t lines = 0;
		for (const char *p = lf_buf_str(&problems); *p; p++)
			lines += *p == '\n';
		fputs(lf_buf_str(&problems), stderr);
		lf_error_set(err, LF_ERR_INPUT, "'%s' is not a valid model: %zu problem%s",
			     path, lines, lines == 1 ? "" : "s");
	}
	lf_buf_release(&problems);
	if (r) {
		free(*text);
		*text = NULL;
	}
	return r;
}

struct unread {
	struct lf_store *s;
	const char *path, *rule;
	int line;
	json_t *warnings;
};

static void check_name(void *ctx, const char *name, bool attribute)
{
	struct unread *u = ctx;
	struct lf_error err;
	bool present = true;
	char msg[512];
	if (lf_store_lead_field_present(u->s, name, attribute, &present, &err) || present)
		return;
	snprintf(msg, sizeof(msg), "%s:%d: rule '%s' reads %s '%s', which no stored lead has: "
		 "it never holds (a column mapped under another name?)", u->path, u->line,
		 u->rule, attribute ? "attribute" : "field", name);
	json_array_append_new(u->warnings, json_string(msg));
}

static enum lf_result count_leads(void *ctx, enum lf_stage stage, const char *source,
				  int64_t n)
{
	(void)stage;
	(void)source;
	*(int64_t *)ctx += n;
	return LF_OK;
}

/*
 * With a database that holds leads: the rules that read a field or an
 * attribute no stored lead has (a typo, or a column mapped under another
 * name), as warnings; the model is still valid.
 */
static json_t *unread_fields(struct cli *cli, const char *path, const struct lf_model_def *m)
{
	struct unread u = { .path = path, .warnings = json_array() };
	struct lf_error err;
	struct stat st;
	int64_t leads = 0;
	/* a file that does not exist is no database yet (a server database is asked) */
	if ((!strstr(cli->db, "://") && stat(cli->db, &st)) || cli_open_store(cli, &u.s, &err))
		return u.warnings;
	if (lf_store_lead_counts(u.s, count_leads, &leads, &err) || !leads) {
		lf_store_close(u.s);
		return u.warnings;
	}
	for (size_t i = 0; i < m->nfit; i++) {
		u.rule = m->fit[i].name;
		u.line = m->fit[i].line;
		lf_expr_names(m->fit[i].when, check_name, &u);
	}
	for (size_t i = 0; i < m->ndisqualify; i++) {
		u.rule = m->disqualify[i].reason;
		u.line = m->disqualify[i].line;
		lf_expr_names(m->disqualify[i].when, check_name, &u);
	}
	lf_store_close(u.s);
	return u.warnings;
}

/* A rule or reason code without a why, a warning each (the model stays valid). */
static void add_missing_whys(json_t *warnings, const char *path, const struct lf_model_def *m)
{
	struct lf_buf lines = LF_BUF_INIT(1 << 20);
	char *line, *save = NULL;
	if (!lf_model_missing_whys(m, path, &lines)) {
		lf_buf_release(&lines);
		return;
	}
	for (line = strtok_r(lines.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(warnings, json_string(line));
	lf_buf_release(&lines);
}

static enum lf_result run_validate(struct cli *cli, const struct cli_args *a,
				   struct lf_error *err)
{
	struct lf_model_def m;
	char *text;
	enum lf_result r = cli_load_model(a->argv[0], &text, &m, err);
	json_t *warnings;
	size_t k;
	json_t *w;
	if (r)
		return r;
	warnings = unread_fields(cli, a->argv[0], &m);
	add_missing_whys(warnings, a->argv[0], &m);
	json_array_foreach(warnings, k, w)
		fprintf(stderr, "warning: %s\n", json_string_value(w));
	char asked[96] = "";
	if (m.nquestions)
		snprintf(asked, sizeof(asked), ", %zu question%s", m.nquestions,
			 m.nquestions == 1 ? "" : "s");
	if (m.nrecycle)
		snprintf(asked + strlen(asked), sizeof(asked) - strlen(asked), ", %zu recycle "
			 "rule%s", m.nrecycle, m.nrecycle == 1 ? "" : "s");
	cli_say(cli, json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:o}", "file",
			       a->argv[0], "name", m.name, "valid", 1, "fit", (json_int_t)m.nfit,
			       "engagement", (json_int_t)m.nengagement, "disqualification",
			       (json_int_t)m.ndisqualify, "questions", (json_int_t)m.nquestions,
			       "recycle", (json_int_t)m.nrecycle,
			       "floor", m.floor, "half_life_days", m.half_life_days, "warnings",
			       warnings),
		"model '%s' in '%s' is valid: %zu fit, %zu engagement and %zu "
		"disqualification rules%s, floor %g, half-life %g days", m.name, a->argv[0],
		m.nfit, m.nengagement, m.ndisqualify, asked, m.floor, m.half_life_days);
	free(text);
	lf_model_def_release(&m);
	return LF_OK;
}

static enum lf_result run_add(struct cli *cli, const struct cli_args *a,
			      struct lf_error *err)
{
	struct lf_model_def m;
	struct lf_model stored = { 0 };
	struct lf_store *s;
	char *text;
	enum lf_result r = cli_load_model(a->argv[0], &text, &m, err);

	if (r)
		return r;
	if (!(r = cli_open_store(cli, &s, err))) {
		stored.name = m.name;
		stored.text = text;
		r = lf_store_model_add(s, &stored, err);
		if (!r)
			cli_say(cli, json_pack("{s:i, s:s, s:s}", "version", stored.version, "name",
					       m.name, "status", "draft"),
				"model '%s' stored as version %d (draft)", m.name, stored.version);
		free(stored.status);
		lf_store_close(s);
	}
	free(text);
	lf_model_def_release(&m);
	return r;
}

static enum lf_result add_row(void *ctx, const struct lf_model *m)
{
	char version[16], at[LF_TIME_STR_MAX];
	snprintf(version, sizeof(version), "%d", m->version);
	lf_time_format(m->created_at, at);
	const char *row[4] = { version, m->name, m->status, at };
	return lf_table_add(ctx, row);
}

static enum lf_result fill_models(void *ctx, struct lf_store *s, struct lf_table *t,
				  struct lf_error *err)
{
	static const char *const headers[] = { "version", "name", "status", "created_at" };
	(void)ctx;
	lf_table_init(t, 4, headers, 1);
	return lf_store_model_list(s, add_row, t, err);
}

static enum lf_result run_list(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	(void)a;
	return cli_print_table(cli, fill_models, NULL, err);
}

/* The model version named by arg, and the store opened. */
static enum lf_result open_version(struct cli *cli, const char *arg, long long *v,
				   struct lf_store **s, struct lf_error *err)
{
	enum lf_result r = cli_int("version", arg, 1, 1000000000, v, err);
	return r ? r : cli_open_store(cli, s, err);
}

static enum lf_result run_show(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_model m = { 0 };
	struct lf_store *s;
	enum lf_result r;
	long long v;

	if ((r = open_version(cli, a->argv[0], &v, &s, err)))
		return r;
	if (!(r = lf_store_model_get(s, (int)v, &m, err))) {
		if (cli->format != LF_OUT_TABLE) {
			json_t *o = lf_model_json(&m, true), *approvals;
			if (!lf_model_approvals_json(s, m.version, &approvals, err))
				json_object_set_new(o, "approvals", approvals);
			cli_print_doc(cli, o);
		} else {
			char at[LF_TIME_STR_MAX];
			lf_time_format(m.created_at, at);
			printf("# version %d of '%s', %s, added %s\n%s", m.version, m.name,
			       m.status, at, m.text);
		}
		lf_model_release(&m);
	}
	lf_store_close(s);
	return r;
}


static enum lf_result run_activate(struct cli *cli, const struct cli_args *a,
				   struct lf_error *err)
{
	struct lf_rescore_stats st;
	struct lf_store *s;
	double t0;
	enum lf_result r;
	long long v;

	if ((r = open_version(cli, a->argv[0], &v, &s, err)))
		return r;
	t0 = lf_clock_seconds();
	r = lf_model_put_in_force(s, (int)v, "cli", lf_time_now(), &st, err);
	double took = lf_clock_seconds() - t0;
	if (!r)
		cli_say(cli, json_pack("{s:I, s:I, s:I, s:I, s:f}", "version", (json_int_t)v,
				       "leads", (json_int_t)st.leads, "disqualified",
				       (json_int_t)st.disqualified, "hand_raisers",
				       (json_int_t)st.hand_raisers, "seconds", took),
			"model %lld is active: %lld leads rescored (%lld disqualified by its "
			"rules, %lld hand-raisers) in %.2f s", v, (long long)st.leads,
			(long long)st.disqualified, (long long)st.hand_raisers, took);
	lf_store_close(s);
	return r;
}

static enum lf_result load_version(struct lf_store *s, const char *arg,
				   struct lf_model_def *def, struct lf_error *err)
{
	struct lf_model m = { 0 };
	long long v;
	char label[64];
	enum lf_result r;

	if ((r = cli_int("version", arg, 1, 1000000000, &v, err)) ||
	    (r = lf_store_model_get(s, (int)v, &m, err)))
		return r;
	snprintf(label, sizeof(label), "model %lld", v);
	r = lf_model_parse(label, m.text, def, NULL, err);
	lf_model_release(&m);
	return r;
}

static enum lf_result run_diff(struct cli *cli, const struct cli_args *a,
			       struct lf_error *err)
{
	struct lf_model_def x, y;
	struct lf_table t;
	struct lf_store *s;
	enum lf_result r;

	if ((r = cli_open_store(cli, &s, err)))
		return r;
	if ((r = load_version(s, a->argv[0], &x, err))) {
		lf_store_close(s);
		return r;
	}
	if ((r = load_version(s, a->argv[1], &y, err))) {
		lf_model_def_release(&x);
		lf_store_close(s);
		return r;
	}
	if (!(r = lf_model_diff(&x, &y, &t))) {
		lf_table_print(&t, cli->format, stdout);
		if (cli->format == LF_OUT_TABLE && !t.nrows)
			printf("(no differences in rules, floor or half-life)\n");
	}
	lf_table_release(&t);
	lf_model_def_release(&x);
	lf_model_def_release(&y);
	lf_store_close(s);
	return r;
}

enum { T_OUTCOME, T_FOLDS, T_SEED, T_OUT, T_EXCLUDE, T_NAME, T_PREDICTIONS, T_L2, T_PAIRS, T_TO,
       T_WITH_SALES };

static const struct cli_opt train_opts[] = {
	[T_OUTCOME] = { "outcome", "sql|won", "what to predict (default won)" },
	[T_FOLDS] = { "folds", "K", "cross-validation folds (default 5)" },
	[T_SEED] = { "seed", "S", "for the folds (default 1)" },
	[T_OUT] = { "out", "FILE", "write the model file there (default: standard output)" },
	[T_EXCLUDE] = { "exclude", "F,F", "fields left out (a trailing * takes a prefix)" },
	[T_NAME] = { "name", "NAME", "the model's name (default trained)" },
	[T_PREDICTIONS] = { "predictions", "FILE", "each lead's logit under the final fit (CSV)" },
	[T_L2] = { "l2", "X", "the penalty on each weight (default 1)" },
	[T_PAIRS] = { "pairs", "N", "pairs of levels added at most (default 8, 0: none)" },
	[T_TO] = { "to", "DATE", "learn from leads created before DATE only (back-test after it)" },
	[T_WITH_SALES] = { "with-sales", NULL,
			   "learn from sales' own closed leads too (which deals win)" },
	{ NULL, NULL, NULL },
};

static enum lf_result write_text(const char *path, const struct lf_buf *b, struct lf_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s", path,
				    lf_errno_str(errno));
	fwrite(b->data ? b->data : "", 1, b->len, f);
	if (fclose(f))
		return lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s", path,
				    lf_errno_str(errno));
	return LF_OK;
}

static enum lf_result run_train(struct cli *cli, const struct cli_args *a, struct lf_error *err)
{
	struct lf_train_options o;
	struct lf_train_result res;
	struct lf_store *s;
	long long n;
	enum lf_result r;

	lf_train_defaults(&o);
	if (a->opt[T_OUTCOME] && strcmp(a->opt[T_OUTCOME], "won")) {
		if (strcmp(a->opt[T_OUTCOME], "sql"))
			return lf_error_field(err, LF_ERR_USAGE, "outcome",
					      "--outcome: expected sql or won, got '%s'",
					      a->opt[T_OUTCOME]);
		o.outcome_won = false;
	}
	if (a->opt[T_FOLDS]) {
		if ((r = cli_int("folds", a->opt[T_FOLDS], 2, 32, &n, err)))
			return r;
		o.folds = (int)n;
	}
	if (a->opt[T_SEED]) {
		if ((r = cli_int("seed", a->opt[T_SEED], 0, INT64_MAX, &n, err)))
			return r;
		o.seed = (uint64_t)n;
	}
	if (a->opt[T_PAIRS]) {
		if ((r = cli_int("pairs", a->opt[T_PAIRS], 0, 500, &n, err)))
			return r;
		o.pairs = (int)n;
	}
	if (a->opt[T_TO] && (r = cli_time("to", a->opt[T_TO], &o.to, err)))
		return r;
	o.exclude = a->opt[T_EXCLUDE];
	o.with_sales = a->opt[T_WITH_SALES] != NULL;
	if (a->opt[T_L2]) {
		char *end;
		o.l2 = strtod(a->opt[T_L2], &end);
		if (*end || end == a->opt[T_L2] || o.l2 < 0 || o.l2 > 1e6)
			return lf_error_field(err, LF_ERR_USAGE, "l2",
					      "--l2: a number from 0 to 1000000, got '%s'", a->opt[T_L2]);
	}
	if (a->opt[T_NAME])
		o.name = a->opt[T_NAME];
	if ((r = cli_open_store(cli, &s, err)))
		return r;
	r = lf_train(s, &o, &res, err);
	lf_store_close(s);
	if (r)
		return r;
	if (a->opt[T_OUT])
		r = write_text(a->opt[T_OUT], &res.model, err);
	else if (cli->format == LF_OUT_TABLE)
		fwrite(res.model.data, 1, res.model.len, stdout);
	if (!r && a->opt[T_PREDICTIONS])
		r = write_text(a->opt[T_PREDICTIONS], &res.predictions, err);
	if (!r) {
		FILE *o2 = a->opt[T_OUT] ? stdout : stderr;
		if (cli->format != LF_OUT_TABLE) {
			/* the figures, and the model file itself unless it went to --out */
			json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:f, s:f, s:f, s:f}",
					      "leads", (json_int_t)res.leads, "positives",
					      (json_int_t)res.positives, "features", (json_int_t)res.features,
					      "levels", (json_int_t)res.levels, "pairs", (json_int_t)res.pairs,
					      "event_types", (json_int_t)res.events, "patterns",
					      (json_int_t)res.patterns, "folds", res.folds, "auc", res.auc_mean,
					      "auc_sd", res.auc_sd, "seconds", res.seconds, "read_seconds",
					      res.read_seconds);
			if (o && !isnan(res.truth_auc))
				json_object_set_new(o, "truth_auc", json_real(res.truth_auc));
			if (o && a->opt[T_OUT])
				json_object_set_new(o, "out", json_string(a->opt[T_OUT]));
			else if (o)
				json_object_set_new(o, "model", json_stringn(res.model.data ? res.model.data
									     : "", res.model.len));
			cli_print_doc(cli, o);
		} else {
			fprintf(o2, "trained on %lld closed leads (%lld positive): %zu features, %zu "
				"levels, %zu pairs of levels, %zu event types; %d-fold AUC %.3f +- %.3f; "
				"%.3f s (reading %.3f s)\ncalibration (held-out):\n%s",
				(long long)res.leads, (long long)res.positives, res.features, res.levels,
				res.pairs, res.events, res.folds, res.auc_mean, res.auc_sd, res.seconds,
				res.read_seconds, lf_buf_str(&res.calibration));
			if (!isnan(res.truth_auc))
				fprintf(o2, "the demo world's hidden odds on the same leads (the ceiling): "
					"AUC %.3f\n", res.truth_auc);
		}
	}
	lf_train_result_release(&res);
	return r;
}

enum { B_AGAINST, B_FROM, B_TO };

static const struct cli_opt backtest_opts[] = {
	[B_AGAINST] = { "against", "M", "the version to compare with (default: the active one)" },
	[B_FROM] = { "from", "DATE", "leads created on or after" },
	[B_TO] = { "to", "DATE", "leads created before" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_backtest(struct cli *cli, const struct cli_args *a,
				   struct lf_error *err)
{
	struct lf_backtest_options o = { 0 };
	struct lf_backtest b;
	struct lf_store *s;
	long long v;
	enum lf_result r;
	if (a->opt[B_AGAINST]) {
		if ((r = cli_int("against", a->opt[B_AGAINST], 1, 1000000000, &v, err)))
			return r;
		o.against = (int)v;
	}
	if ((a->opt[B_FROM] && (r = cli_time("from", a->opt[B_FROM], &o.from, err))) ||
	    (a->opt[B_TO] && (r = cli_time("to", a->opt[B_TO], &o.to, err))) ||
	    (r = open_version(cli, a->argv[0], &v, &s, err)))
		return r;
	o.version = (int)v;
	r = lf_backtest(s, &o, &b, err);
	lf_store_close(s);
	if (r)
		return r;
	const struct lf_table *parts[2] = { &b.summary, &b.weeks };
	const char *names[2] = { "summary", "weeks" };
	const char *empty[2] = { "no leads", "no weeks" };
	cli_print_tables(cli, 2, names, parts, empty);
	lf_backtest_release(&b);
	return LF_OK;
}

static enum lf_result run_propose(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_store *s;
	long long v;
	enum lf_result r;
	if ((r = open_version(cli, a->argv[0], &v, &s, err)))
		return r;
	if (!(r = lf_model_propose(s, (int)v, "cli", err)))
		cli_say(cli, json_pack("{s:I, s:s, s:[s,s]}", "version", (json_int_t)v, "status",
				       "proposed", "needs", "marketing", "sales_manager"),
			"model %lld proposed: it needs an approval by a marketing token and one "
			"by a sales_manager token", v);
	lf_store_close(s);
	return r;
}

static const struct cli_opt approve_opts[] = {
	{ "token", "TOKEN", "the approver's token (marketing or sales_manager)" },
	{ NULL, NULL, NULL },
};

static enum lf_result run_approve(struct cli *cli, const struct cli_args *a,
				  struct lf_error *err)
{
	struct lf_principal who;
	struct lf_store *s;
	long long v;
	enum lf_result r;
	if (!a->opt[0])
		return lf_error_field(err, LF_ERR_USAGE, "token",
				      "'model approve' needs the approver's --token");
	if ((r = open_version(cli, a->argv[0], &v, &s, err)))
		return r;
	if ((r = lf_token_check(s, a->opt[0], &who, err))) {
		char msg[LF_ERROR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		r = lf_error_field(err, LF_ERR_USAGE, "token", "--token: %s", msg);
	} else if (!(r = lf_model_approve(s, (int)v, who.token_id, who.name,
					lf_role_name(who.role), err)))
		cli_say(cli, json_pack("{s:I, s:s, s:s}", "version", (json_int_t)v, "approved_by",
				       who.name, "role", lf_role_name(who.role)),
			"model %lld approved by '%s' (%s)", v, who.name, lf_role_name(who.role));
	if (r == LF_ERR_DENIED)
		err->code = r = LF_ERR_USAGE;
	lf_store_close(s);
	return r;
}

static const struct cli_cmd model_subs[] = {
	{ .name = "propose", .args = "VERSION", .run = run_propose, .min_args = 1, .max_args = 1,
	  .summary = "draft -> proposed: ready for approvals" },
	{ .name = "approve", .args = "VERSION", .opts = approve_opts, .run = run_approve,
	  .min_args = 1, .max_args = 1,
	  .summary = "approve a proposed version with a marketing or sales_manager token" },
	{ .name = "train", .opts = train_opts, .run = run_train,
	  .summary = "learn a scorecard from closed leads: a draft model file, its AUC" },
	{ .name = "backtest", .args = "N", .opts = backtest_opts, .run = run_backtest,
	  .summary = "replay history under version N beside another: MQLs a week, conversion, "
		     "wins missed, AUC", .min_args = 1, .max_args = 1 },
	{ .name = "validate", .args = "FILE",
	  .summary = "check a model file and list every problem (file:line:column)",
	  .run = run_validate, .min_args = 1, .max_args = 1 },
	{ .name = "add", .args = "FILE", .summary = "store a model file as a new draft version",
	  .run = run_add, .min_args = 1, .max_args = 1 },
	{ .name = "list", .summary = "the stored versions and their status", .run = run_list },
	{ .name = "show", .args = "VERSION", .summary = "a stored version as written",
	  .run = run_show, .min_args = 1, .max_args = 1 },
	{ .name = "activate", .args = "VERSION",
	  .summary = "make a version the active model and rescore every lead",
	  .run = run_activate, .min_args = 1, .max_args = 1 },
	{ .name = "diff", .args = "A B",
	  .summary = "rules added, removed and changed from version A to B",
	  .run = run_diff, .min_args = 2, .max_args = 2 },
	{ .name = NULL },
};

const struct cli_cmd cmd_model = {
	.name = "model",
	.args = "COMMAND",
	.summary = "the scoring model: validate, add, list, show, diff, propose, approve, activate, train, backtest",
	.subs = model_subs,
};
