/*
 * import.h - loading leads, events and touches from CSV or NDJSON files
 * through a mapping, into a store.
 *
 * Leads are upserted by external id, else by email; events are idempotent
 * on their id (an event whose lead is given by an unknown email creates the
 * lead); touches on their id, or on (lead, kind, time, rep, minutes) when
 * the file has no id; spend replaces the amount of each (day, channel,
 * campaign) the file holds with the sum of its rows for it (counted once a
 * key, when the rows are flushed). A re-run of the same file changes nothing.
 *
 * A row that cannot be taken is written to the rejects file with the reason
 * when one is given; otherwise the import stops at the first such row with
 * "file:line: what" and keeps nothing of the file (one transaction).
 */
#ifndef LEADFLOW_IMPORT_H
#define LEADFLOW_IMPORT_H

#include <leadflow/store.h>

enum lf_entity { LF_ENTITY_LEADS, LF_ENTITY_EVENTS, LF_ENTITY_TOUCHES, LF_ENTITY_SPEND };

enum lf_import_format { LF_FORMAT_AUTO, LF_FORMAT_CSV, LF_FORMAT_NDJSON };

typedef void (*lf_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct lf_import_options {
	enum lf_entity entity;
	const char *path;          /* the file to read */
	const char *map_path;      /* a YAML mapping, or NULL for the default */
	const char *rejects_path;  /* where bad rows go, or NULL to stop at one */
	char delimiter;            /* 0: the mapping's, else ',' */
	enum lf_import_format format; /* AUTO: .ndjson/.jsonl/.json are NDJSON */
	lf_progress_fn progress;   /* called now and then with bytes read, or NULL */
	void *progress_ctx;
};

struct lf_import_summary {
	int64_t inserted, updated, unchanged, rejected;
};

/* The longest NDJSON line taken. */
#define LF_IMPORT_LINE_MAX (1u << 20)

enum lf_result lf_import_file(struct lf_store *s, const struct lf_import_options *o,
			      struct lf_import_summary *sum, struct lf_error *err);

/*
 * Imports one row given as n name/value pairs (text, as in a CSV file with
 * the default mapping), in its own transaction, by actor (recorded on a
 * stage change). The same checks and messages as a file's rows; *id gets
 * the lead or touch written (or found unchanged), for events the lead.
 */
enum lf_result lf_import_row(struct lf_store *s, enum lf_entity entity,
			     const char *const *names, const char *const *values,
			     size_t n, const char *actor, struct lf_import_summary *sum,
			     int64_t *id, struct lf_error *err);

/*
 * A write session: rows written one at a time inside the caller's
 * transaction (the server's group commit), with the checks and messages of
 * a file's rows, scored live. Fields that the entity does not know are
 * refused (strict) or, for leads, kept as attributes (not strict).
 */
struct lf_ingest;

enum lf_result lf_ingest_open(struct lf_store *s, const char *actor, bool strict,
			      struct lf_ingest **out, struct lf_error *err);
/* What a row did. */
enum lf_row_outcome { LF_ROW_INSERTED, LF_ROW_UPDATED, LF_ROW_UNCHANGED };
/*
 * Writes one JSON object (jansson's json_t, borrowed) as entity. *id gets
 * the lead or touch written (or found unchanged), for events the lead.
 * On a row-level error nothing of the row is written.
 */
enum lf_result lf_ingest_json(struct lf_ingest *in, enum lf_entity entity, void *obj,
			      enum lf_row_outcome *outcome, int64_t *id,
			      struct lf_error *err);
/* Writes a JSON object of lead fields over the stored lead id. */
enum lf_result lf_ingest_patch_lead(struct lf_ingest *in, int64_t id, void *obj,
				    enum lf_row_outcome *outcome, struct lf_error *err);
/*
 * Starts a new transaction's worth of rows: forgets every cached lead and
 * rep (another connection may have changed them) and reloads the scoring
 * model only when the active version changed. Flush before.
 */
enum lf_result lf_ingest_refresh(struct lf_ingest *in, struct lf_error *err);
/* Who the next rows are written by (recorded on stage changes); borrowed. */
void lf_ingest_set_actor(struct lf_ingest *in, const char *actor);
/*
 * The rep adding the next rows (0: none): a lead sales found itself
 * (lf_source_is_sales) that names no owner is theirs.
 */
void lf_ingest_set_rep(struct lf_ingest *in, int64_t rep_id);
/*
 * The active model the session scores with (as of its last refresh), NULL
 * with none; *version gets its version, 0 with none. Borrowed.
 */
struct lf_model_def;
const struct lf_model_def *lf_ingest_model(const struct lf_ingest *in, int *version);
/*
 * Records lead's answer to question key of the session's model (in s, the
 * session's store): text is
 * yes or no (yes_no), a number, one of the choices, or up to 1000
 * characters (text). Stores it with actor and the time
 * (lf_store_answer_add; *out gets it) and sets the lead's attribute
 * answer_KEY, so it is rescored like any change. LF_ERR_INPUT, naming
 * question or value: no such question, a value its type refuses, a lead it
 * is not for; LF_ERR_CONFLICT: no model is active.
 */
enum lf_result lf_answer_record(struct lf_ingest *in, struct lf_store *s,
				const struct lf_lead *lead, const char *key, const char *text, const char *actor,
				struct lf_answer *out, struct lf_error *err);
/* The session's counts so far (rows inserted, updated, unchanged). */
void lf_ingest_summary(const struct lf_ingest *in, struct lf_import_summary *out);
/* Writes the scores of what the session changed; call before committing. */
enum lf_result lf_ingest_flush(struct lf_ingest *in, struct lf_error *err);
void lf_ingest_close(struct lf_ingest *in);

#endif
