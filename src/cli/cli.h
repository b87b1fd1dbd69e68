/*
 * cli.h - what the subcommands of the leadflow binary share: the command
 * and option tables (from which parsing and --help are both derived), the
 * global options, opening the store, and output as table, CSV or JSON.
 */
#ifndef LF_CLI_H
#define LF_CLI_H

#include <jansson.h>
#include <leadflow/table.h>

#include <leadflow/store.h>
#include <stdio.h>


#define CLI_MAX_OPTS 16
#define CLI_MAX_ARGS 8

struct cli_opt {
	const char *name;      /* long name, without "--" */
	const char *arg;       /* name of its argument, or NULL for a flag */
	const char *help;
};

struct cli;
struct cli_cmd;

/* What a command receives: positional args and the values of its options. */
struct cli_args {
	int argc;
	char *argv[CLI_MAX_ARGS];
	const char *opt[CLI_MAX_OPTS]; /* by index in the command's opts; flags "1" */
	const struct cli_cmd *cmd;
};

struct cli_cmd {
	const char *name;
	const char *args;      /* positional arguments for usage, e.g. "FILE" */
	const char *summary;
	const struct cli_opt *opts;    /* terminated by a {NULL} entry */
	enum lf_result (*run)(struct cli *cli, const struct cli_args *a,
			      struct lf_error *err);
	const struct cli_cmd *subs;    /* subcommands, terminated by {NULL} */
	int min_args, max_args;
};

struct cli {
	const char *db;
	const char *db_shown;        /* db as messages show it (no password) */
	enum lf_format format;
	const char *path;      /* "leadflow import" etc., for messages */
};

/* Opens the store named by --db, checking that it was initialised. */
enum lf_result cli_open_store(struct cli *cli, struct lf_store **s,
			      struct lf_error *err);

/* Fills a table from the store (initialising it first); ctx is the caller's. */
typedef enum lf_result (*cli_fill_fn)(void *ctx, struct lf_store *s, struct lf_table *t,
				      struct lf_error *err);
/* Opens the store, fills a table and prints it in the format asked for. */
enum lf_result cli_print_table(struct cli *cli, cli_fill_fn fill, void *ctx,
			       struct lf_error *err);

/*
 * Several tables of one answer: as tables one after the other under their
 * names (empty[k] said for an empty one), as one CSV with a first column
 * 'table', or as one JSON object of arrays by name (output.c).
 */
struct lf_table;
void cli_print_tables(struct cli *cli, size_t n, const char *const *names,
		      const struct lf_table *const *tables, const char *const *empty);

/*
 * A command's answer for machines, built once as JSON: printed as one JSON
 * document, or laid out as CSV (output.c). Takes doc; NULL prints nothing.
 * Only for --format json and csv: the table format is the command's own text.
 */
void cli_print_doc(struct cli *cli, json_t *doc);

/*
 * A list for machines, as the API answers it: {"<key>": [objects fill
 * appended to list]}, printed with cli_print_doc. Opens and closes the store.
 */
typedef enum lf_result (*cli_json_fill_fn)(struct lf_store *s, json_t *list,
					   struct lf_error *err);
enum lf_result cli_print_json_list(struct cli *cli, const char *key, cli_json_fill_fn fill,
				   struct lf_error *err);

/*
 * A command's confirmation: the line fmt makes (a newline added) for the
 * table format, doc (taken) for JSON and CSV.
 */
void cli_say(struct cli *cli, json_t *doc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs cmd (or one of its subcommands) with argv after the command name. */
enum lf_result cli_dispatch(struct cli *cli, const struct cli_cmd *cmd, int argc,
			    char **argv, struct lf_error *err);

/* A parsed non-negative integer option, or LF_ERR_USAGE naming it. */
enum lf_result cli_int(const char *opt, const char *value, long long min,
		       long long max, long long *out, struct lf_error *err);

/* A parsed ISO 8601 time option, or LF_ERR_USAGE naming it. */
enum lf_result cli_time(const char *opt, const char *value, lf_time_ms *out,
			struct lf_error *err);

/* A whole file of at most max bytes, NUL-terminated; the caller frees *out. */
enum lf_result cli_read_file(const char *path, size_t max, char **out, struct lf_error *err);

/* Reads and checks a model file, printing every problem on stderr. */
struct lf_model_def;
enum lf_result cli_load_model(const char *path, char **text, struct lf_model_def *m,
			      struct lf_error *err);

/* The SLA terms of the settings (defaults, then LEADFLOW_* as the server reads them). */
struct lf_sla_terms;
enum lf_result cli_sla_terms(struct lf_sla_terms *t, struct lf_error *err);

/*
 * The library names the field at fault (err->field: "close_date"); when it
 * is one of opts ("close-date"), the message is prefixed with the option, as
 * the person typed it: "--close-date: ...".
 */
struct cli_opt;
void cli_name_option(struct lf_error *err, const struct cli_opt *opts);

/* The lead named by an id, an email (any case) or an external id. */
enum lf_result cli_find_lead(struct lf_store *s, const char *key, struct lf_lead *l,
			     struct lf_error *err);
/* `lead answer` (cmd_answer.c), a command of `lead`. */
extern const struct cli_opt cli_answer_opts[];
enum lf_result cli_run_answer(struct cli *cli, const struct cli_args *a, struct lf_error *err);

/* The server's options (--listen, --config) and its settings as serve reads
 * them: defaults, then the file, then LEADFLOW_*, then --listen. */
extern const struct cli_opt cli_server_opts[];
struct lf_config;
enum lf_result cli_server_settings(const struct cli_args *a, struct lf_config *c,
				   struct lf_error *err);

extern const struct cli_cmd cmd_init;
extern const struct cli_cmd cmd_migrate;
extern const struct cli_cmd cmd_import;
extern const struct cli_cmd cmd_lead;
extern const struct cli_cmd cmd_demo;
extern const struct cli_cmd cmd_model;
extern const struct cli_cmd cmd_score;
extern const struct cli_cmd cmd_touch;
extern const struct cli_cmd cmd_event;
extern const struct cli_cmd cmd_report;
extern const struct cli_cmd cmd_serve;
extern const struct cli_cmd cmd_config;
extern const struct cli_cmd cmd_token;
extern const struct cli_cmd cmd_webhook;
extern const struct cli_cmd cmd_rep;
extern const struct cli_cmd cmd_gate;
extern const struct cli_cmd cmd_routing;
extern const struct cli_cmd cmd_simulate;
extern const struct cli_cmd cmd_spend;

#endif
