/*
 * sqlite.c - the SQLite backend of lf_store.
 *
 * One connection per handle, in WAL mode with synchronous=FULL so that a
 * committed transaction survives a crash or power loss, and foreign keys on.
 * Statements are prepared once, on first use, and kept in a table indexed by
 * enum stmt; every call resets its statement before returning. SQLite's
 * result codes are translated to lf_result here and nowhere else.
 */
#include <leadflow/buf.h>
#include "core/strmap.h"
#include "store/backend.h"
#include "store/migrations.h"
#include "store/schema_pg.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include "store/sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum stmt {
	ST_LEAD_INSERT,
	ST_LEAD_UPDATE,
	ST_LEAD_GET,
	ST_LEAD_BY_EXTERNAL_ID,
	ST_LEAD_BY_EMAIL,
	ST_LEAD_COUNTS,
	ST_LEAD_SET_SCORE,
	ST_GATE_WAKES,
	ST_LEASE,
	ST_LEAD_GET_SCORING,
	ST_EVENT_INSERT,
	ST_EVENT_GET,
	ST_EVENT_LIST,
	ST_EVENT_ALL,
	ST_TOUCH_INSERT,
	ST_TOUCH_LIST,
	ST_TRANSITION_INSERT,
	ST_TRANSITION_LIST,
	ST_TRANSITION_ALL,
	ST_REP_INSERT,
	ST_REP_FIND,
	ST_REP_GET,
	ST_REP_LIST,
	ST_MODEL_ADD,
	ST_MODEL_GET,
	ST_MODEL_LIST,
	ST_MODEL_STATUS,
	ST_TRUTH_PUT,
	ST_TRUTH_GET,
	ST_OUTBOX_ADD,
	ST_LEAD_MOVE,
	ST_WEBHOOK_WANTS,
	ST_ASSIGNMENT_ADD,
	ST_COUNT
};

#define LEAD_COLS                                                            \
	"id, external_id, email, name, company, title, country, industry, "  \
	"source, campaign, disq_reason, employees, created_at, updated_at, " \
	"stage, owner_rep_id, fit, engagement, total, model_version, attrs, " \
	"hand_raiser_at, recycled_at"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_LEAD_INSERT] =
		"INSERT INTO leads(external_id, email, name, company, title, country,"
		" industry, source, campaign, disq_reason, employees, created_at,"
		" updated_at, stage, owner_rep_id, fit, engagement, total,"
		" model_version, attrs, hand_raiser_at, recycled_at)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
		"?18,?19,?20,?21,?22) RETURNING id",
	[ST_LEAD_UPDATE] =
		"UPDATE leads SET external_id=?1, email=?2, name=?3, company=?4,"
		" title=?5, country=?6, industry=?7, source=?8, campaign=?9,"
		" disq_reason=?10, employees=?11, created_at=?12, updated_at=?13,"
		" stage=?14, owner_rep_id=?15, fit=?16, engagement=?17, total=?18,"
		" model_version=?19, attrs=?20, hand_raiser_at=?21, recycled_at=?22"
		" WHERE id=?23",
	[ST_LEAD_GET] = "SELECT " LEAD_COLS " FROM leads WHERE id=?1",
	[ST_LEAD_BY_EXTERNAL_ID] = "SELECT " LEAD_COLS " FROM leads WHERE external_id=?1",
	[ST_LEAD_BY_EMAIL] = "SELECT " LEAD_COLS " FROM leads WHERE email=?1",
	[ST_LEAD_COUNTS] =
		"SELECT stage, source, count(*) FROM leads GROUP BY stage, source"
		" ORDER BY stage, source",
	[ST_GATE_WAKES] = "SELECT n FROM gate_wake WHERE id = 1",
	/* taken when free or run out, renewed by its holder (once a second) */
	[ST_LEASE] =
		"INSERT INTO leases(name, holder, until) VALUES (?1,?2,?3)"
		" ON CONFLICT(name) DO UPDATE SET holder = excluded.holder,"
		" until = excluded.until"
		" WHERE leases.holder = excluded.holder OR leases.until <= ?4",
	[ST_LEAD_SET_SCORE] =
		"UPDATE leads SET fit=?2, engagement=?3, total=?4, model_version=?5,"
		" hand_raiser_at=?6, score_state=?7, rules=?8 WHERE id=?1",
	[ST_LEAD_GET_SCORING] =
		"SELECT " LEAD_COLS ", score_state FROM leads WHERE id=?1",
	[ST_EVENT_INSERT] =
		"INSERT INTO events(id, lead_id, type, occurred_at, properties)"
		" VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO NOTHING",
	[ST_EVENT_GET] =
		"SELECT id, lead_id, type, occurred_at, properties FROM events WHERE id=?1",
	[ST_EVENT_LIST] =
		"SELECT id, lead_id, type, occurred_at, properties FROM events"
		" WHERE lead_id=?1 ORDER BY occurred_at, id",
	/* every lead's, through the index by lead and time; ties of time by id,
	 * as a lead's own list (a sort of the ties alone, about 10% of the scan) */
	[ST_EVENT_ALL] =
		"SELECT id, lead_id, type, occurred_at, properties FROM events"
		" ORDER BY lead_id, occurred_at, id",
	[ST_TOUCH_INSERT] =
		"INSERT INTO touches(key, lead_id, rep_id, kind, minutes,"
		" outcome, at) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO NOTHING RETURNING id",
	[ST_TOUCH_LIST] =
		"SELECT id, key, lead_id, rep_id, kind, minutes, outcome, at FROM touches"
		" WHERE lead_id=?1 ORDER BY at, id",
	[ST_TRANSITION_INSERT] =
		"INSERT INTO transitions(lead_id, from_stage, to_stage, actor, at,"
		" reason, rating, note, model_version, undated, owner_rep_id)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) RETURNING id",
	[ST_TRANSITION_LIST] =
		"SELECT id, lead_id, from_stage, to_stage, actor, at, reason, rating,"
		" note, model_version, undated, owner_rep_id FROM transitions WHERE lead_id=?1"
		" ORDER BY id",
	[ST_TRANSITION_ALL] =
		"SELECT id, lead_id, from_stage, to_stage, actor, at, reason, rating,"
		" note, model_version, undated, owner_rep_id FROM transitions"
		" ORDER BY lead_id, id",
	[ST_REP_INSERT] =
		"INSERT INTO reps(name, team, pools, weekly_hours, max_active, away, away_from,"
		" away_to, tier) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) RETURNING id",
	[ST_REP_FIND] =
		"SELECT id, name, team, pools, weekly_hours, max_active, away, away_from,"
		" away_to, tier FROM reps WHERE name=?1",
	[ST_REP_GET] =
		"SELECT id, name, team, pools, weekly_hours, max_active, away, away_from,"
		" away_to, tier FROM reps WHERE id=?1",
	[ST_REP_LIST] =
		"SELECT id, name, team, pools, weekly_hours, max_active, away, away_from,"
		" away_to, tier FROM reps ORDER BY id",
	[ST_MODEL_ADD] =
		"INSERT INTO models(version, name, text, status, created_at)"
		" SELECT coalesce(max(version), 0) + 1, ?1, ?2, 'draft', ?3 FROM models RETURNING version",
	[ST_MODEL_GET] =
		"SELECT version, name, text, status, created_at FROM models WHERE version=?1",
	[ST_MODEL_LIST] =
		"SELECT version, name, text, status, created_at FROM models ORDER BY version",
	[ST_MODEL_STATUS] = "UPDATE models SET status=?2 WHERE version=?1",
	[ST_TRUTH_PUT] =
		"INSERT INTO demo_truth(lead_id, p_sql, p_won) VALUES (?1,?2,?3)"
		" ON CONFLICT(lead_id) DO UPDATE SET p_sql=excluded.p_sql,"
		" p_won=excluded.p_won",
	[ST_TRUTH_GET] = "SELECT p_sql, p_won FROM demo_truth WHERE lead_id=?1",
	/* one row per live subscription whose types list the event's type */
	[ST_OUTBOX_ADD] =
		"INSERT INTO outbox(webhook_id, type, occurred_at, data, next_at)"
		" SELECT id, ?1, ?2, ?3, ?2 FROM webhooks WHERE deleted_at IS NULL"
		" AND (',' || replace(types, ' ', '') || ',') LIKE ('%,' || ?1 || ',%')",
	[ST_WEBHOOK_WANTS] =
		"SELECT 1 FROM webhooks WHERE deleted_at IS NULL"
		" AND (',' || replace(types, ' ', '') || ',') LIKE ('%,' || ?1 || ',%') LIMIT 1",
	[ST_ASSIGNMENT_ADD] =
		"INSERT INTO assignments(lead_id, rep_id, at, hand_raiser, due_at, reassign_at)"
		" VALUES (?1,?2,?3,?4,?5,?6) RETURNING id",
	[ST_LEAD_MOVE] =
		"UPDATE leads SET stage=?2, owner_rep_id=?3, queue=?4, updated_at=?5 WHERE id=?1",
};

struct lf_sqlite_store {
	struct lf_store base;
	struct sql *db;
	char *path;
	int depth;             /* open transactions: 1 BEGIN, more SAVEPOINTs */
	bool read_only;        /* the file may not be written: opened immutable */
	int64_t lock_wait_ms;  /* how long a write waits for another's lock; -1 forever */
	double waiting_since;  /* the current wait's start (lf_clock_seconds) */
	int64_t staged;        /* PostgreSQL: the events staged so far (pg_stage_events) */
	int64_t emptied_at;    /* ... when the staging table was last emptied */
	int64_t log_bytes;     /* the write-ahead log's length after this handle's last commit
				* (automatic checkpoints off; lf_store_log_length) */
	int page_size;
	struct sql_stmt *stmt[ST_COUNT];
};

/* the key of PostgreSQL's advisory lock the write transactions take */
#define PG_WRITE_LOCK "7321504163"

/* the text of a statement the two engines spell differently */
#define PICK(q, LITE, PG) (sql_dialect((q)->db) == SQL_POSTGRES ? (PG) : (LITE))

static struct lf_sqlite_store *sq(struct lf_store *s)
{
	return (struct lf_sqlite_store *)s;
}

/* Translates the connection's last error into an lf_result and message. */
static enum lf_result db_error(struct lf_sqlite_store *q, struct lf_error *err,
			       const char *what)
{
	const char *m = sql_errmsg(q->db);

	switch (sql_fault(q->db)) {
	case SQL_FAULT_UNIQUE: {
		const char *col = sql_fault_column(q->db);
		return lf_error_field(err, LF_ERR_CONFLICT, col ? col : "",
				      "%s: %s is already taken", what,
				      col ? col : "a unique key");
	}
	case SQL_FAULT_FOREIGN_KEY:
		return lf_error_set(err, LF_ERR_NOT_FOUND,
				    "%s: it refers to a row that does not exist", what);
	case SQL_FAULT_RULE:
		return lf_error_set(err, LF_ERR_CONFLICT, "%s: %s", what, m);
	case SQL_FAULT_NOMEM:
		return lf_error_set(err, LF_ERR_NOMEM, "%s: out of memory", what);
	case SQL_FAULT_READ_ONLY:
		return lf_error_set(err, LF_ERR_STORE, "%s: the database '%s' is read-only here "
				    "(reading works; writing needs write access to it)", what,
				    q->path);
	default:
		return lf_error_set(err, LF_ERR_STORE, "%s: %s ('%s')", what, m, q->path);
	}
}

static enum lf_result prep(struct lf_sqlite_store *q, enum stmt id,
			   struct sql_stmt **out, struct lf_error *err)
{
	if (!q->stmt[id] &&
	    sql_prepare_kept(q->db, stmt_sql[id], &q->stmt[id]) != SQL_OK)
		return db_error(q, err, "cannot prepare a statement");
	*out = q->stmt[id];
	return LF_OK;
}

static enum lf_result exec(struct lf_sqlite_store *q, const char *sql,
			   struct lf_error *err)
{
	if (sql_exec(q->db, sql) != SQL_OK)
		return lf_error_set(err, LF_ERR_STORE, "'%s': %s", q->path, sql_errmsg(q->db));
	return LF_OK;
}

static void bind_text(struct sql_stmt *st, int i, const char *s)
{
	if (s)
		sql_bind_text(st, i, s);
	else
		sql_bind_null(st, i);
}

static void bind_id(struct sql_stmt *st, int i, int64_t id)
{
	if (id)
		sql_bind_int64(st, i, id);
	else
		sql_bind_null(st, i);
}

static char *col_text(struct sql_stmt *st, int i)
{
	const char *t = sql_column_text(st, i);
	return t ? strdup(t) : NULL;
}

static void sqlite_close(struct lf_store *s)
{
	struct lf_sqlite_store *q = sq(s);
	for (int i = 0; i < ST_COUNT; i++)
		sql_finalize(q->stmt[i]);
	sql_close(q->db);
	free(q->path);
	free(q);
}

/* --- schema ---------------------------------------------------------- */

/* The engine's steps: step i takes the schema to version first + i. */
struct steps {
	const char *const *text;
	int first, count;
};

static struct steps steps_of(const struct lf_sqlite_store *q)
{
	if (sql_dialect(q->db) == SQL_POSTGRES)
		return (struct steps){ lf_pg_schema.steps, lf_pg_schema.base, lf_pg_schema.count };
	return (struct steps){ lf_sqlite_migrations, 1, LF_SQLITE_MIGRATIONS };
}

static enum lf_result sqlite_schema_version(struct lf_store *s, int *version,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	bool present;

	*version = 0;
	/* no table yet is a database nobody initialised; any other failure (a
	 * file that is not a database, a disk error) is said as it is */
	if (sql_prepare(q->db, PICK(q, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				    " AND name = 'schema_version'",
				    "SELECT to_regclass('schema_version') IS NOT NULL"), &st) != SQL_OK ||
	    sql_step(st) != SQL_ROW) {
		enum lf_result r = db_error(q, err, "cannot read the schema");
		sql_finalize(st);
		return r;
	}
	present = sql_column_int(st, 0) != 0;
	sql_finalize(st);
	st = NULL;
	if (!present)
		return LF_OK;
	if (sql_prepare(q->db, "SELECT coalesce(max(version), 0) FROM schema_version", &st) !=
		    SQL_OK || sql_step(st) != SQL_ROW) {
		enum lf_result r = db_error(q, err, "cannot read the schema version");
		sql_finalize(st);
		return r;
	}
	*version = sql_column_int(st, 0);
	sql_finalize(st);
	return LF_OK;
}

/*
 * One process migrates at a time: SQLite's write lock, PostgreSQL's lock on
 * schema_version (the other servers wait for it, then find the work done).
 */
static enum lf_result sqlite_migrate(struct lf_store *s, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct steps m = steps_of(q);
	int latest = m.first + m.count - 1, have;
	enum lf_result r;
	char sql[96];

	if ((r = exec(q, PICK(q, "BEGIN IMMEDIATE;"
			      " CREATE TABLE IF NOT EXISTS schema_version("
			      " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
			      "BEGIN; CREATE TABLE IF NOT EXISTS schema_version("
			      " version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL);"
			      " LOCK TABLE schema_version IN EXCLUSIVE MODE"), err)))
		goto fail;
	if ((r = sqlite_schema_version(s, &have, err)))
		goto fail;
	if (have > latest) {
		r = lf_error_set(err, LF_ERR_STORE,
				 "'%s' has schema version %d, newer than this binary's "
				 "%d: upgrade leadflow", q->path, have, latest);
		goto fail;
	}
	for (int i = 0; i < m.count; i++) {
		int v = m.first + i;
		if (v <= have)
			continue;
		if ((r = exec(q, m.text[i], err)))
			goto fail;
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d, %lld)", v,
			 (long long)lf_time_now());
		if ((r = exec(q, sql, err)))
			goto fail;
	}
	return exec(q, "COMMIT", err);
fail:
	exec(q, "ROLLBACK", NULL);
	return r;
}

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE, the inner ones
 * savepoints, so that a step that keeps its own transaction (a lifecycle
 * move) can run inside a larger one (the server's group commit) and still
 * undo only itself.
 */
static enum lf_result begin_as(struct lf_store *s, bool writers_lock, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	char sql[96];
	enum lf_result r;
	if (q->depth == 0)
		/* PostgreSQL: one writer at a time, as SQLite's lock (store.h) */
		snprintf(sql, sizeof(sql), "%s",
			 PICK(q, "BEGIN IMMEDIATE", writers_lock ? "BEGIN; SELECT pg_advisory_xact_lock("
				  PG_WRITE_LOCK ")" : "BEGIN"));
	else
		snprintf(sql, sizeof(sql), "SAVEPOINT lf%d", q->depth);
	if ((r = exec(q, sql, err))) {
		if (q->depth == 0 && sql_dialect(q->db) == SQL_POSTGRES)
			sql_exec(q->db, "ROLLBACK"); /* begun, but the lock not taken */
		return r;
	}
	q->depth++;
	return LF_OK;
}

static enum lf_result sqlite_begin(struct lf_store *s, struct lf_error *err)
{
	return begin_as(s, true, err);
}

static enum lf_result sqlite_commit(struct lf_store *s, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	char sql[48];
	enum lf_result r;
	if (q->depth == 0)
		return lf_error_set(err, LF_ERR_INTERNAL, "no transaction is open");
	if (q->depth == 1)
		snprintf(sql, sizeof(sql), "COMMIT");
	else
		snprintf(sql, sizeof(sql), "RELEASE lf%d", q->depth - 1);
	if (!(r = exec(q, sql, err)))
		q->depth--;
	else if (q->depth == 1) {
		/* a COMMIT that failed ended the transaction on PostgreSQL (and
		 * with the connection, if that was lost), and may have left it
		 * open on SQLite: ended either way, so that the next begins anew
		 * and not as a savepoint of one that is gone */
		exec(q, "ROLLBACK", NULL);
		q->depth = 0;
	}
	return r;
}

static void sqlite_rollback(struct lf_store *s)
{
	struct lf_sqlite_store *q = sq(s);
	char sql[64];
	if (q->depth == 0)
		return;
	if (q->depth == 1)
		snprintf(sql, sizeof(sql), "ROLLBACK");
	else
		snprintf(sql, sizeof(sql), "ROLLBACK TO lf%d; RELEASE lf%d", q->depth - 1,
			 q->depth - 1);
	exec(q, sql, NULL);
	q->depth--;
}

/* --- leads ----------------------------------------------------------- */

static enum lf_result bind_lead(struct lf_sqlite_store *q, struct sql_stmt *st,
				const struct lf_lead *l, char **attrs_json)
{
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		bind_text(st, (int)i + 1,
			  *(char *const *)((const char *)l + lf_lead_text_fields[i].offset));
	if (isnan(l->employees))
		sql_bind_null(st, 11);
	else
		sql_bind_double(st, 11, l->employees);
	sql_bind_int64(st, 12, l->created_at);
	sql_bind_int64(st, 13, l->updated_at);
	sql_bind_text(st, 14, lf_stage_name(l->stage));
	bind_id(st, 15, l->owner_rep_id);
	sql_bind_double(st, 16, l->fit);
	sql_bind_double(st, 17, l->engagement);
	sql_bind_double(st, 18, l->total);
	if (l->model_version)
		sql_bind_int(st, 19, l->model_version);
	else
		sql_bind_null(st, 19);
	*attrs_json = lf_attrs_to_json(&l->attrs);
	if (!*attrs_json)
		return LF_ERR_NOMEM;
	sql_bind_text(st, 20, *attrs_json);
	bind_id(st, 21, l->hand_raiser_at);
	bind_id(st, 22, l->recycled_at);
	(void)q;
	return LF_OK;
}

static enum lf_result read_lead(struct sql_stmt *st, struct lf_lead *l,
				struct lf_error *err)
{
	enum lf_result r;
	const char *stage;

	lf_lead_init(l);
	l->id = sql_column_int64(st, 0);
	for (size_t i = 0; i < lf_lead_text_field_count; i++)
		*(char **)((char *)l + lf_lead_text_fields[i].offset) = col_text(st, (int)i + 1);
	l->employees = sql_column_null(st, 11)
			       ? NAN : sql_column_double(st, 11);
	l->created_at = sql_column_int64(st, 12);
	l->updated_at = sql_column_int64(st, 13);
	stage = (const char *)sql_column_text(st, 14);
	if ((r = lf_stage_parse(stage ? stage : "", &l->stage, err)))
		goto fail;
	l->owner_rep_id = sql_column_int64(st, 15);
	l->fit = sql_column_double(st, 16);
	l->engagement = sql_column_double(st, 17);
	l->total = sql_column_double(st, 18);
	l->model_version = sql_column_int(st, 19);
	if ((r = lf_attrs_from_json(&l->attrs, (const char *)sql_column_text(st, 20),
				    err)))
		goto fail;
	l->hand_raiser_at = sql_column_int64(st, 21);
	l->recycled_at = sql_column_int64(st, 22);
	return LF_OK;
fail:
	lf_error_prefix(err, "lead %lld is damaged", (long long)l->id);
	lf_lead_release(l);
	return LF_ERR_STORE;
}

static enum lf_result sqlite_lead_insert(struct lf_store *s, struct lf_lead *l,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	char *attrs = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_LEAD_INSERT, &st, err)))
		return r;
	if ((r = bind_lead(q, st, l, &attrs)))
		goto out;
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the lead");
	else
		l->id = sql_column_int64(st, 0);
out:
	sql_reset(st);
	free(attrs);
	return r;
}

static enum lf_result sqlite_lead_update(struct lf_store *s, const struct lf_lead *l,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	char *attrs = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_LEAD_UPDATE, &st, err)))
		return r;
	if ((r = bind_lead(q, st, l, &attrs)))
		goto out;
	sql_bind_int64(st, 23, l->id);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot update the lead");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead %lld", (long long)l->id);
out:
	sql_reset(st);
	free(attrs);
	return r;
}

/* Steps a statement expected to give at most one lead. */
static enum lf_result one_lead(struct lf_sqlite_store *q, struct sql_stmt *st,
			       struct lf_lead *out, struct lf_error *err,
			       const char *what)
{
	enum lf_result r;
	int rc = sql_step(st);

	if (rc == SQL_ROW)
		r = read_lead(st, out, err);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead %s", what);
	else
		r = db_error(q, err, "cannot read a lead");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_lead_get(struct lf_store *s, int64_t id,
				      struct lf_lead *out, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	char what[32];

	if ((r = prep(q, ST_LEAD_GET, &st, err)))
		return r;
	sql_bind_int64(st, 1, id);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return one_lead(q, st, out, err, what);
}

static enum lf_result sqlite_lead_find(struct lf_store *s, enum lf_lead_key key,
				       const char *value, struct lf_lead *out,
				       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	char what[300];

	r = prep(q, key == LF_KEY_EMAIL ? ST_LEAD_BY_EMAIL : ST_LEAD_BY_EXTERNAL_ID,
		 &st, err);
	if (r)
		return r;
	sql_bind_text(st, 1, value);
	snprintf(what, sizeof(what), "with %s '%.250s'",
		 key == LF_KEY_EMAIL ? "email" : "external id", value);
	return one_lead(q, st, out, err, what);
}

static enum lf_result sqlite_lead_list(struct lf_store *s,
				       const struct lf_lead_filter *f,
				       lf_lead_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* one statement per order; the cursor is (key, id) in that order, and
	 * only the filters given are in the statement, so that each can use
	 * its index (email, external id, owner, stage) */
	static const char *const orders[] = {
		[LF_SORT_ID] = " ORDER BY id",
		[LF_SORT_SCORE] = " ORDER BY total DESC, id",
		[LF_SORT_CREATED] = " ORDER BY created_at, id",
		[LF_SORT_SLA_DUE] = " ORDER BY due, id",
	};
	static const char *const cursors[] = {
		[LF_SORT_ID] = " AND id > ?1",
		[LF_SORT_SCORE] = " AND (total < ?12 OR (total = ?12 AND id > ?1))",
		[LF_SORT_CREATED] = " AND (created_at > ?12 OR (created_at = ?12 AND id > ?1))",
		[LF_SORT_SLA_DUE] = " AND (due > ?12 OR (due = ?12 AND id > ?1))",
	};
	enum lf_lead_sort sort = f->sort <= LF_SORT_SLA_DUE ? f->sort : LF_SORT_ID;
	struct lf_buf b = LF_BUF_INIT(2047);
	if (sort == LF_SORT_SLA_DUE)
		lf_buf_adds(&b, "SELECT " LEAD_COLS ", o.due FROM (SELECT lead_id, min(due_at) AS due"
			    " FROM assignments WHERE closed = 0 GROUP BY lead_id) o"
			    " JOIN leads ON leads.id = o.lead_id WHERE true");
	else
		lf_buf_adds(&b, "SELECT " LEAD_COLS " FROM leads WHERE true");
	if (f->stage >= 0)
		lf_buf_adds(&b, " AND stage = ?2");
	if (f->source)
		lf_buf_adds(&b, " AND source = ?3");
	if (f->owner_rep_id)
		lf_buf_adds(&b, " AND owner_rep_id = ?5");
	if (f->campaign)
		lf_buf_adds(&b, " AND campaign = ?6");
	if (f->email)
		lf_buf_adds(&b, " AND email = ?7");
	if (f->external_id)
		lf_buf_adds(&b, " AND external_id = ?8");
	if (f->has_min)
		lf_buf_adds(&b, " AND total >= ?9");
	if (f->has_max)
		lf_buf_adds(&b, " AND total <= ?10");
	if (f->reason)
		lf_buf_adds(&b, " AND EXISTS (SELECT 1 FROM transitions t WHERE t.lead_id = leads.id"
			    " AND t.reason = ?13 AND (CAST(?14 AS TEXT) IS NULL OR t.to_stage = ?14))");
	if (f->created_from)
		lf_buf_adds(&b, " AND created_at >= ?15");
	if (f->created_to)
		lf_buf_adds(&b, " AND created_at < ?16");
	if (f->team)
		lf_buf_adds(&b, " AND owner_rep_id IN (SELECT id FROM reps WHERE team = ?17)");
	if (f->after_id)
		lf_buf_adds(&b, cursors[sort]);
	lf_buf_adds(&b, orders[sort]);
	lf_buf_adds(&b, " LIMIT ?4");
	rc = sql_prepare(q->db, lf_buf_str(&b), &st);
	lf_buf_release(&b);
	if (rc != SQL_OK)
		return db_error(q, err, "cannot list leads");
	sql_bind_int64(st, 1, f->after_id);
	bind_text(st, 2, f->stage >= 0 ? lf_stage_name((enum lf_stage)f->stage) : NULL);
	bind_text(st, 3, f->source);
	sql_bind_int64(st, 4, f->limit > 0 ? f->limit : INT64_MAX);
	bind_id(st, 5, f->owner_rep_id);
	bind_text(st, 6, f->campaign);
	bind_text(st, 7, f->email);
	bind_text(st, 8, f->external_id);
	if (f->has_min)
		sql_bind_double(st, 9, f->min_total);
	if (f->has_max)
		sql_bind_double(st, 10, f->max_total);
	bind_text(st, 13, f->reason);
	bind_text(st, 14, f->reason_stage >= 0 ? lf_stage_name((enum lf_stage)f->reason_stage)
					       : NULL);
	if (f->created_from)
		sql_bind_int64(st, 15, f->created_from);
	if (f->created_to)
		sql_bind_int64(st, 16, f->created_to);
	bind_text(st, 17, f->team);
	if (f->sort != LF_SORT_ID && f->after_id) {
		if (f->sort == LF_SORT_SCORE)
			sql_bind_double(st, 12, f->after_key);
		else
			sql_bind_int64(st, 12, (int64_t)f->after_key);
	}
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_lead l;
		if ((r = read_lead(st, &l, err)))
			break;
		if (f->sort == LF_SORT_SLA_DUE)
			l.sla_due_at = sql_column_int64(st, 23);
		r = fn(ctx, &l);
		lf_lead_release(&l);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list leads");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_lead_counts(struct lf_store *s, lf_count_fn fn,
					 void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_LEAD_COUNTS, &st, err)))
		return r;
	while ((rc = sql_step(st)) == SQL_ROW) {
		enum lf_stage stage;
		if ((r = lf_stage_parse((const char *)sql_column_text(st, 0), &stage,
					err)))
			break;
		if ((r = fn(ctx, stage, (const char *)sql_column_text(st, 1),
			    sql_column_int64(st, 2))))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot count leads");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_lead_set_score(struct lf_store *s,
					    const struct lf_lead_score *sc,
					    const void *state, size_t len,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_LEAD_SET_SCORE, &st, err)))
		return r;
	sql_bind_int64(st, 1, sc->id);
	sql_bind_double(st, 2, sc->fit);
	sql_bind_double(st, 3, sc->engagement);
	sql_bind_double(st, 4, sc->total);
	if (sc->model_version)
		sql_bind_int(st, 5, sc->model_version);
	else
		sql_bind_null(st, 5);
	bind_id(st, 6, sc->hand_raiser_at);
	if (state)
		sql_bind_blob(st, 7, state, len);
	else
		sql_bind_null(st, 7);
	sql_bind_int64(st, 8, (int64_t)sc->rules);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot store the scores");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead %lld", (long long)sc->id);
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_lead_get_scoring(struct lf_store *s, int64_t id,
					      struct lf_lead *out, void **state,
					      size_t *len, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	*state = NULL;
	*len = 0;
	if ((r = prep(q, ST_LEAD_GET_SCORING, &st, err)))
		return r;
	sql_bind_int64(st, 1, id);
	rc = sql_step(st);
	if (rc == SQL_ROW) {
		r = read_lead(st, out, err);
		if (!r && !sql_column_null(st, 23)) {
			size_t n;
			const void *p = sql_column_blob(st, 23, &n);
			if (!(*state = malloc(n ? n : 1))) {
				lf_lead_release(out);
				r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
			} else {
				if (n)
					memcpy(*state, p, n);
				*len = n;
			}
		}
	} else if (rc == SQL_DONE) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead %lld", (long long)id);
	} else {
		r = db_error(q, err, "cannot read a lead");
	}
	sql_reset(st);
	return r;
}

/*
 * The filter every report query ends its WHERE with (leads as l, their
 * owner as p), and its parameters ?1-?5.
 */
#define REPORT_FILTER                                                             \
	" (CAST(?1 AS BIGINT) IS NULL OR l.created_at >= ?1)"                          \
	" AND (CAST(?2 AS BIGINT) IS NULL OR l.created_at < ?2)"                      \
	" AND (CAST(?3 AS TEXT) IS NULL OR l.source = ?3)"                            \
	" AND (CAST(?4 AS TEXT) IS NULL OR l.campaign = ?4)"                          \
	" AND (CAST(?5 AS TEXT) IS NULL OR p.team = ?5)"

static enum lf_result prepare_report(struct lf_sqlite_store *q, const char *sql,
				     const struct lf_report_filter *f, struct sql_stmt **st,
				     const char *what, struct lf_error *err)
{
	if (sql_prepare(q->db, sql, st) != SQL_OK)
		return db_error(q, err, what);
	if (f->from)
		sql_bind_int64(*st, 1, f->from);
	if (f->to)
		sql_bind_int64(*st, 2, f->to);
	bind_text(*st, 3, f->source);
	bind_text(*st, 4, f->campaign);
	bind_text(*st, 5, f->team);
	return LF_OK;
}

/* The stages a lead has been at: its current one and a comma-separated list. */
static unsigned stages_of(const char *current, const char *list)
{
	enum lf_stage stage;
	unsigned mask = 0;

	if (current && !lf_stage_parse(current, &stage, NULL))
		mask |= LF_STAGE_BIT(stage);
	while (list && *list) {
		char name[32];
		size_t n = strcspn(list, ",");
		snprintf(name, sizeof(name), "%.*s", (int)n, list);
		if (!lf_stage_parse(name, &stage, NULL))
			mask |= LF_STAGE_BIT(stage);
		list += n + (list[n] == ',');
	}
	return mask;
}

static enum lf_result sqlite_lead_paths(struct lf_store *s, const struct lf_report_filter *f,
					lf_path_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
#define PATHS(CONCAT)                                                             \
	"SELECT l.source, l.stage, " CONCAT ", l.fit, l.engagement,"                  \
	" l.total, l.model_version,"                                                  \
	" (SELECT rating FROM transitions r WHERE r.lead_id = l.id AND r.rating"      \
	"  IS NOT NULL ORDER BY r.id LIMIT 1)"                                        \
	" FROM leads l"                                                               \
	" LEFT JOIN reps p ON p.id = l.owner_rep_id"                                  \
	" LEFT JOIN transitions t ON t.lead_id = l.id"                                \
	" WHERE" REPORT_FILTER                                                        \
	" GROUP BY l.id"
	const char *sql = PICK(q, PATHS("group_concat(t.to_stage)"),
			       PATHS("string_agg(t.to_stage, ',')"));

	if ((r = prepare_report(q, sql, f, &st, "cannot read the leads' paths", err)))
		return r;
	while ((rc = sql_step(st)) == SQL_ROW) {
		enum lf_stage stage;
		struct lf_lead_path p = {
			.source = (const char *)sql_column_text(st, 0),
			.fit = sql_column_double(st, 3),
			.engagement = sql_column_double(st, 4),
			.total = sql_column_double(st, 5),
			.model_version = sql_column_int(st, 6),
			.rating = sql_column_int(st, 7),
		};
		if (!lf_stage_parse((const char *)sql_column_text(st, 1), &stage, NULL))
			p.stage = stage;
		p.stages = stages_of((const char *)sql_column_text(st, 1),
				     (const char *)sql_column_text(st, 2));
		if ((r = fn(ctx, &p)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the leads' paths");
	sql_finalize(st);
	return r;
}

/*
 * The reports' aggregates (aggregates.h). A query reads the whole weeks of
 * the period from an aggregate table (?6 <= week < ?7) and the leads of
 * the partial weeks at its edges ([?1, ?8) and [?9, ?2)) from lead_facts,
 * both under the cohort's filter; the caller adds the two up.
 */
#define COHORT_FILTER                                                             \
	" (CAST(?3 AS TEXT) IS NULL OR c.source = ?3)"                                \
	" AND (CAST(?4 AS TEXT) IS NULL OR c.campaign = ?4)"                          \
	" AND (CAST(?5 AS TEXT) IS NULL OR c.team = ?5)"
#define AGG_FROM(TABLE)                                                           \
	" FROM " TABLE " a JOIN cohorts c ON c.id = a.cohort"                         \
	" WHERE c.week >= ?6 AND c.week < ?7 AND" COHORT_FILTER
#define EDGE_FROM EDGE_JOIN("")
#define EDGE_JOIN(MORE)                                                           \
	" FROM lead_facts x JOIN cohorts c ON c.id = x.cohort" MORE                   \
	" WHERE ((x.created_at >= ?1 AND x.created_at < ?8)"                          \
	" OR (x.created_at >= ?9 AND x.created_at < ?2)) AND" COHORT_FILTER

/* the week of t (Monday, UTC), as AGG_WEEK_SQL computes it, and its start */
static int64_t week_of(lf_time_ms t)
{
	int64_t day = t / AGG_DAY_MS - (t % AGG_DAY_MS < 0);
	int64_t w = day + 3;
	return w / 7 - (w % 7 < 0);
}

static lf_time_ms week_start(int64_t week)
{
	return (week * 7 - 3) * (lf_time_ms)AGG_DAY_MS;
}

static enum lf_result prepare_agg(struct lf_sqlite_store *q, const char *sql,
				  const struct lf_report_filter *f, struct sql_stmt **st,
				  const char *what, struct lf_error *err)
{
	lf_time_ms from = f->from ? f->from : INT64_MIN, to = f->to ? f->to : INT64_MAX;
	int64_t wf = INT64_MIN, wt = INT64_MAX;
	lf_time_ms edge1 = from, edge2 = to;

	if (sql_prepare(q->db, sql, st) != SQL_OK)
		return db_error(q, err, what);
	if (f->from) {
		wf = week_of(from);
		if (week_start(wf) < from)
			wf++;
		edge1 = week_start(wf);
	}
	if (f->to) {
		wt = week_of(to);
		edge2 = week_start(wt);
	}
	if (wf >= wt) {
		/* no whole week inside: every lead of the period is at an edge */
		wf = wt = 0;
		edge1 = edge2 = to;
	}
	sql_bind_int64(*st, 1, from);
	sql_bind_int64(*st, 2, to);
	bind_text(*st, 3, f->source);
	bind_text(*st, 4, f->campaign);
	bind_text(*st, 5, f->team);
	sql_bind_int64(*st, 6, wf);
	sql_bind_int64(*st, 7, wt);
	sql_bind_int64(*st, 8, edge1);
	sql_bind_int64(*st, 9, edge2);
	return LF_OK;
}

/* Steps st to its end, handing each row to row(); one exit for the errors. */
static enum lf_result each_row(struct lf_sqlite_store *q, struct sql_stmt *st,
			       enum lf_result (*row)(struct sql_stmt *, void *), void *ctx,
			       const char *what, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW)
		if ((r = row(st, ctx)))
			break;
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, what);
	sql_finalize(st);
	return r;
}

struct agg_call {
	void *fn, *ctx;
};

/* Whether f picks every lead: then no read needs the cohorts. */
static bool filter_empty(const struct lf_report_filter *f)
{
	return !f->from && !f->to && !f->source && !f->campaign && !f->team;
}

/* An aggregate read: sql prepared for filter f, each row to row() with fn. */
static enum lf_result agg_query(struct lf_sqlite_store *q, const char *sql,
				const struct lf_report_filter *f,
				enum lf_result (*row)(struct sql_stmt *, void *), void *fn, void *ctx,
				const char *what, struct lf_error *err)
{
	struct agg_call c = { fn, ctx };
	struct sql_stmt *st = NULL;
	enum lf_result r = prepare_agg(q, sql, f, &st, what, err);
	return r ? r : each_row(q, st, row, &c, what, err);
}

static enum lf_result path_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_path_count p = {
		.source = (const char *)sql_column_text(st, 0),
		.campaign = (const char *)sql_column_text(st, 4),
		.stages = (unsigned)sql_column_int(st, 1),
		.overridden = sql_column_int(st, 2) != 0,
		.n = sql_column_int64(st, 3),
	};
	return ((lf_path_count_fn)c->fn)(c->ctx, &p);
}

static enum lf_result sqlite_report_paths(struct lf_store *s, const struct lf_report_filter *f,
					  lf_path_count_fn fn, void *ctx, struct lf_error *err)
{
	return agg_query(sq(s),
			 "SELECT c.source, a.stages, a.override, sum(a.n), c.campaign"
			 AGG_FROM("agg_paths") " GROUP BY 1, 5, 2, 3 HAVING sum(a.n) <> 0"
			 " UNION ALL SELECT c.source, x.stages, x.override, count(*), c.campaign"
			 EDGE_FROM " GROUP BY 1, 5, 2, 3", f, path_row, (void *)fn, ctx,
			 "cannot read the funnel's counts", err);
}

static enum lf_result signal_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_signal_count k = {
		.signal = (enum lf_signal)sql_column_int(st, 0),
		.band = sql_column_int64(st, 1),
		.stages = (unsigned)sql_column_int(st, 2),
		.n = sql_column_int64(st, 3),
		.sales = sql_column_int64(st, 4),
	};
	return ((lf_signal_count_fn)c->fn)(c->ctx, &k);
}

/*
 * agg_signal is the biggest aggregate (a row per signal, band, stages and
 * cohort): it is summed in the order of its key, with no sort, and reads
 * the cohorts only when the filter picks some.
 */
#define SIGNAL_SUM                                                                \
	"SELECT a.signal, a.band, a.stages, sum(a.n), sum(a.n * a.sales) FROM agg_signal a"
/*
 * The edge days' leads one by one, each giving its four signals to the
 * caller (who adds them up): cheaper than SQLite sorting four rows a lead.
 */
#define SIGNAL_EDGE                                                               \
	"SELECT x.fit_b, x.eng_b, x.total_b, x.rating, x.stages, x.sales" EDGE_FROM

static enum lf_result signal_edge_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	enum lf_result r = LF_OK;
	for (int k = 0; k < LF_SIGNAL_COUNT && !r; k++) {
		struct lf_signal_count one = {
			.signal = (enum lf_signal)k,
			.band = sql_column_int64(st, k),
			.stages = (unsigned)sql_column_int(st, 4),
			.n = 1,
			.sales = sql_column_int64(st, 5),
		};
		if (k == LF_SIGNAL_RATING && !one.band)
			break; /* no rating given */
		r = ((lf_signal_count_fn)c->fn)(c->ctx, &one);
	}
	return r;
}

static enum lf_result sqlite_report_signals(struct lf_store *s,
					    const struct lf_report_filter *f,
					    lf_signal_count_fn fn, void *ctx, struct lf_error *err)
{
	static const char *const what = "cannot read the signals' counts";
	bool all = filter_empty(f);
	enum lf_result r = agg_query(sq(s), all ? SIGNAL_SUM " GROUP BY 1, 2, 3 HAVING sum(a.n) <> 0"
					  : SIGNAL_SUM " WHERE a.cohort IN (SELECT c.id FROM cohorts c"
					    " WHERE c.week >= ?6 AND c.week < ?7 AND" COHORT_FILTER ")"
					    " GROUP BY 1, 2, 3 HAVING sum(a.n) <> 0",
				     f, signal_row, (void *)fn, ctx, what, err);
	if (!r && (f->from || f->to))
		r = agg_query(sq(s), SIGNAL_EDGE, f, signal_edge_row, (void *)fn, ctx, what, err);
	return r;
}

static enum lf_result effort_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_effort_count e = {
		.source = (const char *)sql_column_text(st, 0),
		.wait = sql_column_int64(st, 1),
		.minutes_band = sql_column_int(st, 2),
		.stages = (unsigned)sql_column_int(st, 3),
		.n = sql_column_int64(st, 4),
		.touches = sql_column_int64(st, 5),
		.minutes = sql_column_double(st, 6),
	};
	return ((lf_effort_count_fn)c->fn)(c->ctx, &e);
}

/*
 * Kept counts handed over as they are, for the caller to add up, cost on
 * PostgreSQL what SQLite does not: each row crosses the connection as
 * text. The forecast's are summed by their key there first, a hash
 * aggregate of the server's (77k rows become 5.8k over 1M leads: 0.24 s
 * to 0.20 s for the report). Not the effort's: the planner guesses 46k
 * groups for its 205k rows (there are 8.5k) and sorts them, spilling to
 * disk at the default work_mem (0.30-0.50 s against 0.29 s handed over as
 * they are; a hash aggregate, which it picks for literals, takes 63 ms).
 */
#define PG_SUMMED(KEYS, SUMS, COLUMNS, GROUP, INNER)                             \
	"SELECT " KEYS ", " SUMS " FROM (" INNER ") u(" COLUMNS ") GROUP BY " GROUP

static enum lf_result sqlite_report_efforts(struct lf_store *s,
					    const struct lf_report_filter *f,
					    lf_effort_count_fn fn, void *ctx, struct lf_error *err)
{
	return agg_query(sq(s),
			 /* rows in the order of the key, cohort by cohort: a sort
			  * by source would cost more than the caller's adding up */
			 "SELECT c.source, a.wait_b, a.minutes_b, a.stages, a.n,"
			 " a.touches, a.minutes" AGG_FROM("agg_effort") " AND a.n <> 0"
			 " UNION ALL SELECT c.source, " AGG_WAIT_OF("x") ", " AGG_MINUTES_OF("x")
			 ", x.stages, count(*), sum(x.touches), sum(x.minutes)" EDGE_FROM
			 " AND x.handed_at IS NOT NULL GROUP BY 1, 2, 3, 4", f, effort_row,
			 (void *)fn, ctx, "cannot read the effort's counts", err);
}

static enum lf_result decision_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_decision_count d = {
		.source = (const char *)sql_column_text(st, 0),
		.campaign = (const char *)sql_column_text(st, 1),
		.kind = (const char *)sql_column_text(st, 2),
		.reason = (const char *)sql_column_text(st, 3),
		.n = sql_column_int64(st, 4),
		.rated = sql_column_int64(st, 5),
		.rating_sum = sql_column_int64(st, 6),
	};
	return ((lf_decision_count_fn)c->fn)(c->ctx, &d);
}

static enum lf_result sqlite_report_decisions(struct lf_store *s,
					      const struct lf_report_filter *f,
					      lf_decision_count_fn fn, void *ctx,
					      struct lf_error *err)
{
	return agg_query(sq(s),
			 "SELECT c.source, c.campaign, a.kind, a.reason, sum(a.n), sum(a.rated),"
			 " sum(a.rating_sum)" AGG_FROM("agg_decision")
			 " GROUP BY 1, 2, 3, 4 HAVING sum(a.n) <> 0"
			 " UNION ALL SELECT c.source, c.campaign, " AGG_KIND("t") ", "
			 AGG_REASON("t") ", count(*), count(t.rating), coalesce(sum(t.rating), 0)"
			 EDGE_JOIN(" JOIN transitions t ON t.lead_id = x.lead_id"
				   " AND t.id <= x.tmax")
			 " AND (t.reason IS NOT NULL OR t.rating IS NOT NULL)"
			 " GROUP BY 1, 2, 3, 4", f, decision_row, (void *)fn, ctx,
			 "cannot read the decisions' counts", err);
}

static enum lf_result rule_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_rule_count k = {
		.rule = sql_column_int(st, 0),
		.kind = (const char *)sql_column_text(st, 1),
		.reason = (const char *)sql_column_text(st, 2),
		.n = sql_column_int64(st, 3),
		.rated = sql_column_int64(st, 4),
		.rating_sum = sql_column_int64(st, 5),
	};
	return ((lf_rule_count_fn)c->fn)(c->ctx, &k);
}

/* agg_rule summed in the order of its key, as agg_signal (sqlite_report_signals) */
#define RULE_SUM                                                                  \
	"SELECT a.rule, a.kind, a.reason, sum(a.n), sum(a.rated), sum(a.rating_sum)"   \
	" FROM agg_rule a WHERE a.version = ?10"
#define RULE_EDGE                                                                 \
	" UNION ALL SELECT b.i, " AGG_KIND("t") ", t.reason, count(*),"               \
	" count(t.rating), coalesce(sum(t.rating), 0)"                                \
	EDGE_JOIN(" JOIN transitions t ON t.lead_id = x.lead_id"                      \
		  " AND t.id <= x.tmax JOIN agg_bits b ON ((x.rules >> b.i) & 1) <> 0")      \
	" AND x.version = ?10 AND x.rules <> 0 AND " AGG_KIND("t")                   \
	" IN ('reject', 'disqualify', 'lost') GROUP BY 1, 2, 3"

static enum lf_result sqlite_report_rules(struct lf_store *s, const struct lf_report_filter *f,
					  int version, lf_rule_count_fn fn, void *ctx,
					  struct lf_error *err)
{
	bool all = filter_empty(f);
	static const char *const what = "cannot read the rules' counts";
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prepare_agg(q, all ? RULE_SUM " GROUP BY 1, 2, 3 HAVING sum(a.n) <> 0" RULE_EDGE
				    : RULE_SUM " AND a.cohort IN (SELECT c.id FROM cohorts c"
				      " WHERE c.week >= ?6 AND c.week < ?7 AND" COHORT_FILTER ")"
				      " GROUP BY 1, 2, 3 HAVING sum(a.n) <> 0" RULE_EDGE,
			     f, &st, what, err)))
		return r;
	sql_bind_int(st, 10, version);
	return each_row(q, st, rule_row, &c, what, err);
}

static enum lf_result forecast_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	unsigned bit = (unsigned)sql_column_int(st, 1);
	struct lf_forecast_count k = {
		.part = (enum lf_forecast_part)sql_column_int(st, 0),
		.stage = bit ? (enum lf_stage)__builtin_ctz(bit) : LF_STAGE_LEAD,
		.day = sql_column_int64(st, 2),
		.tenths = sql_column_int64(st, 3),
		.won = sql_column_int(st, 4) != 0,
		.n = sql_column_int64(st, 5),
		.valued = sql_column_int64(st, 6),
		.value = sql_column_double(st, 7),
	};
	return ((lf_forecast_count_fn)c->fn)(c->ctx, &k);
}

/* a decided edge lead that had reached the stage at AT (sql_at, opp_at), by outcome and time */
#define CLOSE_EDGE(BIT, AT)                                                       \
	" UNION ALL SELECT 1, " BIT ", 0, " AGG_TENTHS("x", AT) ","                  \
	" " AGG_INT("x.stage = " AGG_WON_BIT) ", count(*), 0, 0" EDGE_FROM               \
	" AND (x.stage & " AGG_DECIDED_BITS ") <> 0"                                  \
	" AND x." AT " IS NOT NULL GROUP BY 4, 5"
/*
 * The kept counts are handed over row by row, in the order of their keys
 * (no sort: the caller adds them up); with no filter, without the cohorts.
 */
#define FC_ALL(TABLE) " FROM " TABLE " a WHERE a.n <> 0"
#define FC_SOME(TABLE) AGG_FROM(TABLE) " AND a.n <> 0"
#define FORECAST_KEPT(FROM, CLOSE)                                                     \
	"SELECT 0, 0, a.day, 0, 0, a.n, 0, 0" FROM("agg_qualified")                   \
	" UNION ALL SELECT 0, 0, x.qualified_at / 86400000, 0, 0, count(*), 0, 0"     \
	EDGE_FROM " AND x.qualified_at IS NOT NULL GROUP BY 3"                         \
	" UNION ALL SELECT 1, a.stage, 0, a.tenths, a.won, a.n, 0, 0" FROM(CLOSE)        \
	CLOSE_EDGE(AGG_SQL_BIT, "sql_at") CLOSE_EDGE(AGG_OPP_BIT, "opp_at")
/*
 * The open leads of another value field than the kept one: read one by
 * one; ?10 is the attribute (SQLite: its JSON path, PostgreSQL: its name).
 */
#define OPEN_VALUE_LITE                                                           \
	"(CASE WHEN json_type(l.attrs, ?10) IN ('integer', 'real')"                   \
	" THEN json_extract(l.attrs, ?10) END)"
#define OPEN_VALUE_PG                                                             \
	"(CASE WHEN json_typeof(l.attrs::json -> ?10) = 'number'"                     \
	" THEN (l.attrs::json ->> ?10)::float8 END)"
#define FORECAST_OPEN_READ(VALUE)                                                 \
	" UNION ALL SELECT 2, x.stage, " AGG_OPEN_DAY("x") ", 0, 0, count(*),"        \
	" count(" VALUE "), coalesce(sum(" VALUE "), 0)"                              \
	" FROM leads l JOIN lead_facts x ON x.lead_id = l.id"                        \
	" JOIN cohorts c ON c.id = x.cohort WHERE l.stage IN ('sql', 'opportunity')"  \
	" AND x.created_at >= ?1 AND x.created_at < ?2 AND" COHORT_FILTER            \
	" GROUP BY 2, 3"
#define FORECAST_OPEN_KEPT(FROM)                                                  \
	" UNION ALL SELECT 2, a.stage, a.day, 0, 0, a.n, a.valued, a.value" FROM("agg_open") \
	" UNION ALL SELECT 2, x.stage, " AGG_OPEN_DAY("x") ", 0, 0, count(*),"        \
	" count(x.value), coalesce(sum(x.value), 0)" EDGE_FROM                         \
	" AND x.stage IN (" AGG_SQL_BIT ", " AGG_OPP_BIT ") GROUP BY 2, 3"

/* PostgreSQL: the forecast's rows summed by their key (PG_SUMMED) */
#define FC_SUMMED(INNER)                                                          \
	PG_SUMMED("p, k, d, t, w", "sum(n), sum(v), sum(x)", "p, k, d, t, w, n, v, x",  \
		  "1, 2, 3, 4, 5", INNER)

static enum lf_result sqlite_report_forecast(struct lf_store *s,
					     const struct lf_report_filter *f,
					     const char *value_field, lf_forecast_count_fn fn,
					     void *ctx, struct lf_error *err)
{
	static const char *const what = "cannot read the forecast's counts";
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	bool kept = !value_field || !strcmp(value_field, LF_VALUE_FIELD);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	char path[256];

	if (!kept && (strchr(value_field, '"') || strchr(value_field, '\\') ||
		      snprintf(path, sizeof(path), "$.\"%s\"", value_field) >= (int)sizeof(path)))
		return lf_error_field(err, LF_ERR_INPUT, "value_field", "'%s' cannot name an "
				      "attribute (at most 200 bytes, no quotes or backslashes)",
				      value_field);
	bool pg = sql_dialect(q->db) == SQL_POSTGRES;
	const char *sql = filter_empty(f)
		? (kept ? PICK(q, FORECAST_KEPT(FC_ALL, "agg_close_all") FORECAST_OPEN_KEPT(FC_ALL),
			       FC_SUMMED(FORECAST_KEPT(FC_ALL, "agg_close_all")
					 FORECAST_OPEN_KEPT(FC_ALL)))
		   : pg ? FC_SUMMED(FORECAST_KEPT(FC_ALL, "agg_close_all")
				    FORECAST_OPEN_READ(OPEN_VALUE_PG))
			: FORECAST_KEPT(FC_ALL, "agg_close_all") FORECAST_OPEN_READ(OPEN_VALUE_LITE))
		: (kept ? PICK(q, FORECAST_KEPT(FC_SOME, "agg_close") FORECAST_OPEN_KEPT(FC_SOME),
			       FC_SUMMED(FORECAST_KEPT(FC_SOME, "agg_close")
					 FORECAST_OPEN_KEPT(FC_SOME)))
		   : pg ? FC_SUMMED(FORECAST_KEPT(FC_SOME, "agg_close")
				    FORECAST_OPEN_READ(OPEN_VALUE_PG))
			: FORECAST_KEPT(FC_SOME, "agg_close") FORECAST_OPEN_READ(OPEN_VALUE_LITE));
	if ((r = prepare_agg(q, sql, f, &st, what, err)))
		return r;
	if (!kept)
		sql_bind_text_copy(st, 10, pg ? value_field : path);
	return each_row(q, st, forecast_row, &c, what, err);
}

static enum lf_result band_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	return ((lf_band_count_fn)c->fn)(c->ctx, sql_column_int64(st, 0),
					 sql_column_int64(st, 1));
}

static enum lf_result sqlite_report_recent_scores(struct lf_store *s,
						  const struct lf_report_filter *f,
						  lf_time_ms since, lf_band_count_fn fn, void *ctx,
						  struct lf_error *err)
{
	static const char *const what = "cannot read the recently qualified leads' scores";
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	struct sql_stmt *st = NULL;
	enum lf_result r;

	/* through lead_facts_qualified: the leads of the last weeks only */
	if ((r = prepare_agg(q, "SELECT x.total_b, count(*) FROM lead_facts x"
				" JOIN cohorts c ON c.id = x.cohort WHERE x.qualified_at >= ?10"
				/* (+: not by created_at, the planner's guess for a bound range) */
				" AND +x.created_at >= ?1 AND +x.created_at < ?2 AND" COHORT_FILTER
				" GROUP BY 1", f, &st, what, err)))
		return r;
	sql_bind_int64(st, 10, since);
	return each_row(q, st, band_row, &c, what, err);
}

static enum lf_result sqlite_gate_wakes(struct lf_store *s, int64_t *n, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_GATE_WAKES, &st, err)))
		return r;
	if (sql_step(st) == SQL_ROW)
		*n = sql_column_int64(st, 0);
	else
		r = db_error(q, err, "cannot read the gate's wake-up");
	sql_reset(st);
	return r;
}

static enum lf_result work_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_work_count w = {
		.rep_id = sql_column_int64(st, 0),
		.kind = (enum lf_work)sql_column_int(st, 1),
		.value = sql_column_double(st, 2),
		.n = sql_column_int64(st, 3),
	};
	return ((lf_work_count_fn)c->fn)(c->ctx, &w);
}

static enum lf_result sqlite_work_counts(struct lf_store *s, lf_work_count_fn fn, void *ctx,
					 struct lf_error *err)
{
	static const char *const what = "cannot read sales' measured work";
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	struct sql_stmt *st = NULL;

	if (sql_prepare(q->db, "SELECT rep_id, kind, value, n FROM agg_work WHERE n <> 0", &st) != SQL_OK)
		return db_error(q, err, what);
	return each_row(q, st, work_row, &c, what, err);
}

static enum lf_result last_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	return ((lf_rep_time_fn)c->fn)(c->ctx, sql_column_int64(st, 0),
				      sql_column_int64(st, 1));
}

static enum lf_result sqlite_rep_last_assigned(struct lf_store *s, lf_rep_time_fn fn, void *ctx,
					       struct lf_error *err)
{
	static const char *const what = "cannot read the reps' last assignments";
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	struct sql_stmt *st = NULL;

	/* a rep at a time through work_facts_rep: the latest is the index's last */
	if (sql_prepare(q->db, "SELECT r.id, coalesce((SELECT max(w.assigned_at)"
			       " FROM work_facts w WHERE w.rep_id = r.id), 0) FROM reps r", &st) != SQL_OK)
		return db_error(q, err, what);
	return each_row(q, st, last_row, &c, what, err);
}

static enum lf_result sqlite_aggregates_pause(struct lf_store *s, struct lf_error *err)
{
	return exec(sq(s), PICK(sq(s), AGG_DROP_ALL, lf_pg_schema.agg_drop), err);
}

static enum lf_result sqlite_scores_pause(struct lf_store *s, struct lf_error *err)
{
	return exec(sq(s), PICK(sq(s), SCORE_DROP, lf_pg_schema.score_drop), err);
}

static enum lf_result sqlite_scores_resume(struct lf_store *s, struct lf_error *err)
{
	return exec(sq(s), PICK(sq(s), SCORE_RESUME, lf_pg_schema.score_resume), err);
}

static enum lf_result sqlite_aggregates_rebuild(struct lf_store *s, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	enum lf_result r;

	if ((r = sqlite_begin(s, err)))
		return r;
	if ((r = exec(q, PICK(q, AGG_REBUILD_ALL, lf_pg_schema.agg_rebuild), err)) ||
	    (r = sqlite_commit(s, err)))
		sqlite_rollback(s);
	return r;
}

/* --- answers --------------------------------------------------------- */

static enum lf_result sqlite_answer_add(struct lf_store *s, struct lf_answer *a,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (!a->at)
		a->at = lf_time_now();
	if (sql_prepare(q->db, "INSERT INTO answers(lead_id, question, value, actor, at,"
			       " model_version) VALUES (?1,?2,?3,?4,?5,?6) RETURNING id",
			&st) != SQL_OK)
		return db_error(q, err, "cannot store the answer");
	sql_bind_int64(st, 1, a->lead_id);
	bind_text(st, 2, a->question);
	bind_text(st, 3, a->value);
	bind_text(st, 4, a->actor);
	sql_bind_int64(st, 5, a->at);
	bind_id(st, 6, a->model_version);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the answer");
	else
		a->id = sql_column_int64(st, 0);
	sql_finalize(st);
	return r;
}

/* --- spend (store.h) ---------------------------------------------------- */

static enum lf_result sqlite_spend_put(struct lf_store *s, const struct lf_spend *sp, bool add,
				       bool *inserted, bool *changed, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	double old = 0;
	*inserted = *changed = false;
	if (sql_prepare(q->db, "SELECT amount FROM spend WHERE day = ?1 AND channel = ?2"
			       " AND campaign = ?3", &st) != SQL_OK)
		return db_error(q, err, "cannot read the spend");
	sql_bind_int64(st, 1, sp->day);
	sql_bind_text(st, 2, sp->channel);
	sql_bind_text(st, 3, sp->campaign ? sp->campaign : "");
	if ((rc = sql_step(st)) == SQL_ROW)
		old = sql_column_double(st, 0);
	sql_finalize(st);
	if (rc != SQL_ROW && rc != SQL_DONE)
		return db_error(q, err, "cannot read the spend");
	*inserted = rc == SQL_DONE;
	double amount = add && !*inserted ? old + sp->amount : sp->amount;
	if (!*inserted && amount == old)
		return LF_OK;
	*changed = true;
	if (sql_prepare(q->db, *inserted ? "INSERT INTO spend(day, channel, campaign, amount)"
					   " VALUES (?1,?2,?3,?4)"
					 : "UPDATE spend SET amount = ?4 WHERE day = ?1"
					   " AND channel = ?2 AND campaign = ?3", &st) != SQL_OK)
		return db_error(q, err, "cannot store the spend");
	sql_bind_int64(st, 1, sp->day);
	sql_bind_text(st, 2, sp->channel);
	sql_bind_text(st, 3, sp->campaign ? sp->campaign : "");
	sql_bind_double(st, 4, amount);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot store the spend");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_spend_sum(struct lf_store *s, lf_time_ms from, lf_time_ms to,
				       lf_spend_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* summed in cents: money adds up exactly, the same on either engine */
	if (sql_prepare(q->db, "SELECT channel, campaign,"
			       " sum(CAST(round(amount * 100) AS BIGINT)), count(DISTINCT day)"
			       " FROM spend WHERE day >= ?1 AND day < ?2 GROUP BY 1, 2 ORDER BY 1, 2",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the spend");
	sql_bind_int64(st, 1, from ? from : INT64_MIN);
	sql_bind_int64(st, 2, to ? to : INT64_MAX);
	while ((rc = sql_step(st)) == SQL_ROW)
		if ((r = fn(ctx, (const char *)sql_column_text(st, 0),
			    (const char *)sql_column_text(st, 1),
			    (double)sql_column_int64(st, 2) / 100.0, sql_column_int64(st, 3))))
			break;
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the spend");
	sql_finalize(st);
	return r;
}

/*
 * The pipeline and revenue of the period's leads, from their facts: only
 * the leads with a value that reached an opportunity (AGG_OPP_BIT), read
 * through lead_facts_valued (a few in a hundred leads).
 */
static enum lf_result sqlite_report_values(struct lf_store *s, const struct lf_report_filter *f,
					   lf_value_count_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* summed by cohort first, then its source and campaign looked up once a
	 * cohort, not once a lead */
	if (sql_prepare(q->db, "SELECT c.source, c.campaign, sum(v.p), sum(v.pn), sum(v.r),"
			       " sum(v.rn) FROM (SELECT cohort, sum(value) AS p, count(*) AS pn,"
			       "  sum(CASE WHEN stages & " AGG_WON_BIT " <> 0 THEN value END) AS r,"
			       "  count(CASE WHEN stages & " AGG_WON_BIT " <> 0 THEN 1 END) AS rn"
			       "  FROM lead_facts WHERE value IS NOT NULL"
			       "  AND stages & " AGG_OPP_BIT " <> 0"
			       "  AND created_at >= ?1 AND created_at < ?2 GROUP BY cohort) v"
			       " JOIN cohorts c ON c.id = v.cohort WHERE" COHORT_FILTER
			       " GROUP BY 1, 2", &st) != SQL_OK)
		return db_error(q, err, "cannot read the pipeline's values");
	sql_bind_int64(st, 1, f->from ? f->from : INT64_MIN);
	sql_bind_int64(st, 2, f->to ? f->to : INT64_MAX);
	bind_text(st, 3, f->source);
	bind_text(st, 4, f->campaign);
	bind_text(st, 5, f->team);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_value_count v = {
			.source = (const char *)sql_column_text(st, 0),
			.campaign = (const char *)sql_column_text(st, 1),
			.pipeline = sql_column_double(st, 2),
			.pipeline_n = sql_column_int64(st, 3),
			.revenue = sql_column_double(st, 4),
			.revenue_n = sql_column_int64(st, 5),
		};
		if ((r = fn(ctx, &v)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the pipeline's values");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_report_last_touch(struct lf_store *s,
					       const struct lf_report_filter *f,
					       lf_touch_count_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* the touch as "source<US>campaign", split here; NULL: none before */
#define LAST_TOUCH(US)                                                            \
	"SELECT (SELECT u.source || " US " || u.campaign FROM lead_touches u"           \
	"  WHERE u.lead_id = x.lead_id AND u.at < coalesce(x.qualified_at,"             \
	"  9223372036854775807) ORDER BY u.at DESC, u.source, u.campaign LIMIT 1),"     \
	" c.source, coalesce(c.campaign, ''), x.stages, count(*), sum(x.value)"         \
	" FROM lead_facts x JOIN cohorts c ON c.id = x.cohort"                         \
	" WHERE x.created_at >= ?1 AND x.created_at < ?2"                              \
	" AND (CAST(?3 AS TEXT) IS NULL OR c.team = ?3) GROUP BY 1, 2, 3, 4"
	if (sql_prepare(q->db, PICK(q, LAST_TOUCH("char(31)"), LAST_TOUCH("chr(31)")),
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the leads' last touches");
#undef LAST_TOUCH
	sql_bind_int64(st, 1, f->from ? f->from : INT64_MIN);
	sql_bind_int64(st, 2, f->to ? f->to : INT64_MAX);
	bind_text(st, 3, f->team);
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *touch = (const char *)sql_column_text(st, 0);
		char src[256], *us;
		struct lf_touch_count c = {
			.source = (const char *)sql_column_text(st, 1),
			.campaign = (const char *)sql_column_text(st, 2),
			.stages = (unsigned)sql_column_int(st, 3),
			.n = sql_column_int64(st, 4),
			.value = sql_column_double(st, 5),
		};
		if (touch) {
			snprintf(src, sizeof(src), "%s", touch);
			if ((us = strchr(src, 31))) {
				*us = '\0';
				c.campaign = us + 1;
			} else {
				c.campaign = "";
			}
			c.source = src;
		}
		if ((r = fn(ctx, &c)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the leads' last touches");
	sql_finalize(st);
	return r;
}

/* The leads a KPI filter selects: source ?3, campaign ?4, team ?5 (NULL: any). */
#define KPI_LEADS                                                                 \
	" JOIN leads l ON l.id = e.lead_id LEFT JOIN reps p ON p.id = l.owner_rep_id"   \
	" WHERE e.occurred_at >= ?1 AND e.occurred_at < ?2"                            \
	" AND (CAST(?3 AS TEXT) IS NULL OR l.source = ?3)"                              \
	" AND (CAST(?4 AS TEXT) IS NULL OR l.campaign = ?4)"                            \
	" AND (CAST(?5 AS TEXT) IS NULL OR p.team = ?5)"
#define KPI_GAP "1800000"

static enum lf_result sqlite_report_events(struct lf_store *s, const struct lf_report_filter *f,
					   lf_event_count_fn fn, void *ctx, struct lf_error *err)
{
	static const char *const sql[2] = {
		"SELECT " AGG_WEEK_SQL("e.occurred_at") ", l.source, l.campaign, e.type,"
		" count(*), 0 FROM events e" KPI_LEADS " AND e.type IN ('email_send',"
		" 'email_bounce', 'email_open', 'email_click', 'unsubscribe', 'page_view')"
		" GROUP BY 1, 2, 3, 4",
		/* a visit begins with a page view no other came 30 minutes before; it
		 * is of one page when none follows within 30 minutes */
		"SELECT " AGG_WEEK_SQL("e.occurred_at") ", l.source, l.campaign, 'page_session',"
		" count(*), sum(CASE WHEN e.next IS NULL OR e.next - e.occurred_at > " KPI_GAP
		" THEN 1 ELSE 0 END) FROM (SELECT lead_id, occurred_at,"
		"  lag(occurred_at) OVER w AS prev, lead(occurred_at) OVER w AS next"
		"  FROM events WHERE type = 'page_view' AND occurred_at >= ?1 AND occurred_at < ?2"
		"  WINDOW w AS (PARTITION BY lead_id ORDER BY occurred_at)) e" KPI_LEADS
		" AND (e.prev IS NULL OR e.occurred_at - e.prev > " KPI_GAP ") GROUP BY 1, 2, 3",
	};
	struct lf_sqlite_store *q = sq(s);
	enum lf_result r = LF_OK;
	for (int k = 0; k < 2 && !r; k++) {
		struct sql_stmt *st = NULL;
		int rc;
		if (sql_prepare(q->db, sql[k], &st) != SQL_OK)
			return db_error(q, err, "cannot count the events");
		sql_bind_int64(st, 1, f->from ? f->from : INT64_MIN);
		sql_bind_int64(st, 2, f->to ? f->to : INT64_MAX);
		bind_text(st, 3, f->source);
		bind_text(st, 4, f->campaign);
		bind_text(st, 5, f->team);
		while ((rc = sql_step(st)) == SQL_ROW) {
			struct lf_event_count c = {
				.week = week_start(sql_column_int64(st, 0)),
				.source = (const char *)sql_column_text(st, 1),
				.campaign = (const char *)sql_column_text(st, 2),
				.type = (const char *)sql_column_text(st, 3),
				.n = sql_column_int64(st, 4),
				.single = sql_column_int64(st, 5),
			};
			if ((r = fn(ctx, &c)))
				break;
		}
		if (!r && rc != SQL_DONE)
			r = db_error(q, err, "cannot count the events");
		sql_finalize(st);
	}
	return r;
}

/* --- CDP identities (store.h) ------------------------------------------ */

static enum lf_result sqlite_cdp_identity(struct lf_store *s, const char *anonymous_id,
					  int64_t *lead_id, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	int rc;
	*lead_id = 0;
	if (sql_prepare(q->db, "SELECT lead_id FROM cdp_identities WHERE anonymous_id = ?1",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the anonymous ids");
	sql_bind_text(st, 1, anonymous_id);
	if ((rc = sql_step(st)) == SQL_ROW)
		*lead_id = sql_column_int64(st, 0);
	sql_finalize(st);
	return rc == SQL_ROW || rc == SQL_DONE ? LF_OK
					       : db_error(q, err, "cannot read the anonymous ids");
}

static enum lf_result sqlite_cdp_link(struct lf_store *s, const char *anonymous_id,
				      int64_t lead_id, lf_time_ms at, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO cdp_identities(anonymous_id, lead_id, at)"
			       " VALUES (?1,?2,?3) ON CONFLICT(anonymous_id) DO UPDATE SET"
			       " lead_id = excluded.lead_id, at = excluded.at"
			       " WHERE cdp_identities.lead_id <> excluded.lead_id", &st) != SQL_OK)
		return db_error(q, err, "cannot link the anonymous id");
	sql_bind_text(st, 1, anonymous_id);
	sql_bind_int64(st, 2, lead_id);
	sql_bind_int64(st, 3, at);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot link the anonymous id");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_cdp_hold(struct lf_store *s, const char *message_id,
				      const char *anonymous_id, lf_time_ms received_at,
				      const char *message, bool *kept, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO cdp_pending(message_id, anonymous_id, received_at,"
			       " message) VALUES (?1,?2,?3,?4) ON CONFLICT DO NOTHING", &st) != SQL_OK)
		return db_error(q, err, "cannot hold the anonymous message");
	sql_bind_text(st, 1, message_id);
	sql_bind_text(st, 2, anonymous_id);
	sql_bind_int64(st, 3, received_at);
	sql_bind_text(st, 4, message);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot hold the anonymous message");
	else
		*kept = sql_changes(q->db) > 0;
	sql_finalize(st);
	return r;
}

struct held_msg {
	lf_time_ms at;
	char *text;
};

static enum lf_result sqlite_cdp_take(struct lf_store *s, const char *anonymous_id,
				      lf_cdp_held_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	struct held_msg *held = NULL;
	size_t n = 0, cap = 0;
	enum lf_result r = LF_OK;
	int rc;
	/* read whole, then deleted, then given: fn writes to this store */
	if (sql_prepare(q->db, "SELECT received_at, message FROM cdp_pending"
			       " WHERE anonymous_id = ?1 ORDER BY received_at, message_id",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the held messages");
	sql_bind_text(st, 1, anonymous_id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		if (n == cap) {
			struct held_msg *grown = realloc(held, (cap = cap ? 2 * cap : 16) *
							 sizeof(*held));
			if (!grown) {
				r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
				break;
			}
			held = grown;
		}
		held[n].at = sql_column_int64(st, 0);
		if (!(held[n].text = strdup((const char *)sql_column_text(st, 1)))) {
			r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
			break;
		}
		n++;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the held messages");
	sql_finalize(st);
	st = NULL;
	if (!r && n) {
		if (sql_prepare(q->db, "DELETE FROM cdp_pending WHERE anonymous_id = ?1",
				&st) != SQL_OK)
			r = db_error(q, err, "cannot take the held messages");
		else {
			sql_bind_text(st, 1, anonymous_id);
			if (sql_step(st) != SQL_DONE)
				r = db_error(q, err, "cannot take the held messages");
		}
		sql_finalize(st);
	}
	for (size_t i = 0; i < n; i++) {
		if (!r)
			r = fn(ctx, held[i].at, held[i].text);
		free(held[i].text);
	}
	free(held);
	return r;
}

static enum lf_result sqlite_answer_list(struct lf_store *s, int64_t lead_id, lf_answer_fn fn,
					 void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT id, lead_id, question, value, actor, at, model_version"
			       " FROM answers WHERE lead_id = ?1 ORDER BY id DESC", &st) != SQL_OK)
		return db_error(q, err, "cannot read the answers");
	sql_bind_int64(st, 1, lead_id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_answer a = {
			.id = sql_column_int64(st, 0),
			.lead_id = sql_column_int64(st, 1),
			.question = (char *)sql_column_text(st, 2),
			.value = (char *)sql_column_text(st, 3),
			.actor = (char *)sql_column_text(st, 4),
			.at = sql_column_int64(st, 5),
			.model_version = sql_column_int(st, 6),
		};
		if ((r = fn(ctx, &a)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the answers");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_answer_firsts(struct lf_store *s, lf_first_answer_fn fn, void *ctx,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT question, min(at) FROM answers GROUP BY question"
			       " ORDER BY question", &st) != SQL_OK)
		return db_error(q, err, "cannot read the answers");
	while ((rc = sql_step(st)) == SQL_ROW)
		if ((r = fn(ctx, (const char *)sql_column_text(st, 0), sql_column_int64(st, 1))))
			break;
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the answers");
	sql_finalize(st);
	return r;
}

/* Stage names separated by commas as bits; unknown names are skipped. */
static unsigned stage_bits(const char *list)
{
	unsigned bits = 0;
	while (list && *list) {
		size_t n = strcspn(list, ",");
		char name[32];
		enum lf_stage stage;
		struct lf_error ignored;
		snprintf(name, sizeof(name), "%.*s", (int)(n < 31 ? n : 31), list);
		if (!lf_stage_parse(name, &stage, &ignored))
			bits |= LF_STAGE_BIT(stage);
		list += n + (list[n] == ',');
	}
	return bits;
}

/*
 * The rows of st (LEAD_COLS, then a time; then, when bits is 0, the stages
 * reached as names) to fn, each lead with that time and its stages. Takes st.
 */
static enum lf_result each_entered(struct lf_sqlite_store *q, struct sql_stmt *st,
				   unsigned bits, lf_entered_fn fn, void *ctx, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_lead l;
		if ((r = read_lead(st, &l, err)))
			break;
		r = fn(ctx, &l, sql_column_int64(st, 23), bits ? bits :
		       stage_bits((const char *)sql_column_text(st, 24)) | LF_STAGE_BIT(l.stage));
		lf_lead_release(&l);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the leads at a stage");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_leads_entered(struct lf_store *s, enum lf_stage entered,
					   lf_time_ms since, lf_entered_fn fn, void *ctx,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	char sql[1024];
	snprintf(sql, sizeof(sql), "SELECT " LEAD_COLS ", e.at, (SELECT %s FROM transitions p"
		 " WHERE p.lead_id = l.id) FROM (SELECT lead_id, min(at) AS at FROM transitions"
		 " WHERE to_stage = ?1 GROUP BY lead_id) e JOIN leads l ON l.id = e.lead_id"
		 " WHERE e.at >= ?2 ORDER BY l.id",
		 PICK(q, "group_concat(DISTINCT to_stage)", "string_agg(DISTINCT to_stage, ',')"));
	if (sql_prepare(q->db, sql, &st) != SQL_OK)
		return db_error(q, err, "cannot read the leads that entered a stage");
	bind_text(st, 1, lf_stage_name(entered));
	sql_bind_int64(st, 2, since);
	return each_entered(q, st, 0, fn, ctx, err);
}

static enum lf_result sqlite_leads_at(struct lf_store *s, enum lf_stage stage,
				      lf_time_ms entered_by, lf_entered_fn fn, void *ctx,
				      struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	if (sql_prepare(q->db, "SELECT * FROM (SELECT " LEAD_COLS ", (SELECT max(t.at) FROM"
			       " transitions t WHERE t.lead_id = l.id AND t.to_stage = ?1) AS entered"
			       " FROM leads l WHERE l.stage = ?1) x WHERE entered <= ?2 ORDER BY id",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the leads at a stage");
	bind_text(st, 1, lf_stage_name(stage));
	sql_bind_int64(st, 2, entered_by);
	return each_entered(q, st, LF_STAGE_BIT(stage), fn, ctx, err);
}

static enum lf_result sqlite_sqls_unhanded(struct lf_store *s, lf_entered_fn fn, void *ctx,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	if (sql_prepare(q->db, "SELECT " LEAD_COLS ", (SELECT max(t.at) FROM transitions t"
			       " WHERE t.lead_id = l.id AND t.to_stage = 'sql') FROM leads l"
			       " WHERE l.stage = 'sql' AND NOT EXISTS (SELECT 1 FROM reps r"
			       " WHERE r.id = l.owner_rep_id AND r.tier = 'ae') ORDER BY l.id",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the SQLs waiting for an account executive");
	return each_entered(q, st, LF_STAGE_BIT(LF_STAGE_SQL), fn, ctx, err);
}

static enum lf_result sqlite_recycle_outcomes(struct lf_store *s, lf_time_ms from,
					      lf_time_ms to, lf_recycle_count_fn fn, void *ctx,
					      struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* the facts the moves keep (aggregates.h): a period's recycles summed */
	if (sql_prepare(q->db, "SELECT by_rule, note, reason, count(*), sum(back), sum(on_sql),"
			       " sum(on_won) FROM recycle_facts WHERE +at >= ?1 AND +at < ?2"
			       " GROUP BY by_rule, note, reason ORDER BY by_rule DESC, note, reason",
			&st) != SQL_OK)
		return db_error(q, err, "cannot read the recycled leads");
	sql_bind_int64(st, 1, from);
	sql_bind_int64(st, 2, to ? to : INT64_MAX);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_recycle_count c = {
			.by_rule = sql_column_int(st, 0) != 0,
			.note = (const char *)sql_column_text(st, 1),
			.reason = (const char *)sql_column_text(st, 2),
			.n = sql_column_int64(st, 3), .back = sql_column_int64(st, 4),
			.sql = sql_column_int64(st, 5), .won = sql_column_int64(st, 6),
		};
		if ((r = fn(ctx, &c)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the recycled leads");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_stage_stays(struct lf_store *s, enum lf_stage stage,
					 lf_time_ms from, lf_time_ms to, lf_time_ms min_ms,
					 lf_time_ms now, lf_stage_stay_fn fn, void *ctx,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db,
			"SELECT t.lead_id, t.at, n.at, coalesce(n.to_stage, ''), coalesce(n.actor, ''),"
			" coalesce(n.note, ''), CASE WHEN EXISTS (SELECT 1 FROM transitions w WHERE"
			" w.lead_id = t.lead_id AND w.id > t.id AND w.to_stage = 'sql') THEN 1 ELSE 0"
			" END, CASE WHEN EXISTS (SELECT 1 FROM transitions w WHERE w.lead_id ="
			" t.lead_id AND w.id > t.id AND w.to_stage = 'won') THEN 1 ELSE 0 END"
			" FROM transitions t LEFT JOIN transitions n ON n.id = (SELECT min(x.id) FROM"
			" transitions x WHERE x.lead_id = t.lead_id AND x.id > t.id AND x.to_stage <> ?1)"
			" WHERE t.to_stage = ?1 AND t.from_stage <> ?1 AND t.at >= ?2 AND t.at < ?3"
			" AND coalesce(n.at, ?5) - t.at >= ?4 ORDER BY t.lead_id, t.id", &st) != SQL_OK)
		return db_error(q, err, "cannot read the stays at a stage");
	bind_text(st, 1, lf_stage_name(stage));
	sql_bind_int64(st, 2, from);
	sql_bind_int64(st, 3, to ? to : INT64_MAX);
	sql_bind_int64(st, 4, min_ms);
	sql_bind_int64(st, 5, now);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_stage_stay y = {
			.lead_id = sql_column_int64(st, 0), .entered = sql_column_int64(st, 1),
			.left = sql_column_int64(st, 2),
			.next_stage = (const char *)sql_column_text(st, 3),
			.next_actor = (const char *)sql_column_text(st, 4),
			.next_note = (const char *)sql_column_text(st, 5),
			.sql_after = sql_column_int(st, 6) != 0,
			.won_after = sql_column_int(st, 7) != 0,
		};
		if ((r = fn(ctx, &y)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the stays at a stage");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_handoff_outcomes(struct lf_store *s, lf_time_ms from,
					      lf_time_ms to, lf_handoff_count_fn fn, void *ctx,
					      struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* the facts the moves keep (aggregates.h): a period's handoffs summed */
	if (sql_prepare(q->db,
			/* +at: the groups' covering index, in its order, not a
			 * look-up of each row by time */
			"SELECT tier, sdr, coalesce(decision, ''), coalesce(reason, ''), count(*),"
			" sum(won), sum(decided_at - at), count(rating), sum(coalesce(rating, 0))"
			" FROM handoff_facts WHERE +at >= ?1 AND +at < ?2"
			" GROUP BY tier, sdr, decision, reason ORDER BY 1, 2, 3, 4", &st) != SQL_OK)
		return db_error(q, err, "cannot read the handoffs");
	sql_bind_int64(st, 1, from);
	sql_bind_int64(st, 2, to ? to : INT64_MAX);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_handoff_count c = {
			.tier = sql_column_int(st, 0) ? LF_TIER_AE : LF_TIER_SDR,
			.sdr = sql_column_int64(st, 1),
			.decision = (const char *)sql_column_text(st, 2),
			.reason = (const char *)sql_column_text(st, 3),
			.n = sql_column_int64(st, 4), .won = sql_column_int64(st, 5),
			.decide_ms = sql_column_double(st, 6), .rated = sql_column_int64(st, 7),
			.rating = sql_column_int64(st, 8),
		};
		if ((r = fn(ctx, &c)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the handoffs");
	sql_finalize(st);
	return r;
}

/* --- events ---------------------------------------------------------- */

static enum lf_result sqlite_event_insert(struct lf_store *s, const struct lf_event *e,
					  bool *inserted, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_EVENT_INSERT, &st, err)))
		return r;
	sql_bind_text(st, 1, e->id);
	sql_bind_int64(st, 2, e->lead_id);
	sql_bind_text(st, 3, e->type);
	sql_bind_int64(st, 4, e->occurred_at);
	sql_bind_text(st, 5, e->properties ? e->properties : "{}");
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot store the event");
	else
		*inserted = sql_changes(q->db) > 0;
	sql_reset(st);
	return r;
}

/*
 * PostgreSQL: the events through COPY into a temporary staging table (the
 * connection's own), then one INSERT ... SELECT of this batch's rows in
 * their order; the ids it returns are the new ones. Each row is numbered
 * (ord) in the connection's count, so a batch is read by its range through
 * an index while the earlier ones' rows stay until the commit empties the
 * table, or until 64 batches' worth, when a TRUNCATE does (its few
 * milliseconds paid once in 64 batches, not each time; a DELETE would
 * leave dead rows to be read again until the commit).
 */
#define STAGE_EMPTY_EVERY 32768
static enum lf_result pg_stage_events(struct lf_sqlite_store *q, const struct lf_event *e,
				      size_t n, bool *inserted, struct lf_error *err)
{
	struct lf_buf rows = LF_BUF_INIT(n * 160 + 1);
	struct lf_strmap at;
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	char num[64];
	int rc;

	int64_t first = q->staged;

	lf_strmap_init(&at);
	if ((r = exec(q, "CREATE TEMP TABLE IF NOT EXISTS event_stage(ord BIGINT, id TEXT,"
			 " lead_id BIGINT, type TEXT, occurred_at BIGINT, properties TEXT)"
			 " ON COMMIT DELETE ROWS;"
			 " CREATE INDEX IF NOT EXISTS event_stage_ord ON event_stage(ord)", err)))
		goto out;
	if (q->staged - q->emptied_at >= STAGE_EMPTY_EVERY) {
		if ((r = exec(q, "TRUNCATE event_stage", err)))
			goto out;
		q->emptied_at = q->staged;
	}
	for (size_t i = 0; i < n; i++) {
		inserted[i] = false;
		int64_t seen;
		if (!lf_strmap_get(&at, e[i].id, &seen) &&
		    (r = lf_strmap_put(&at, e[i].id, (int64_t)i)))
			goto out;
		snprintf(num, sizeof(num), "%lld\t", (long long)(first + (int64_t)i));
		lf_buf_adds(&rows, num);
		sql_pq_copy_text(&rows, e[i].id);
		snprintf(num, sizeof(num), "\t%lld\t", (long long)e[i].lead_id);
		lf_buf_adds(&rows, num);
		sql_pq_copy_text(&rows, e[i].type);
		snprintf(num, sizeof(num), "\t%lld\t", (long long)e[i].occurred_at);
		lf_buf_adds(&rows, num);
		sql_pq_copy_text(&rows, e[i].properties ? e[i].properties : "{}");
		lf_buf_adds(&rows, "\n");
	}
	if (sql_pq_copy_begin(q->db, "COPY event_stage FROM STDIN") != SQL_OK ||
	    sql_pq_copy_put(q->db, rows.data, rows.len) != SQL_OK ||
	    sql_pq_copy_end(q->db) != SQL_OK) {
		r = db_error(q, err, "cannot stage the events");
		goto out;
	}
	q->staged += (int64_t)n;
	if (sql_prepare(q->db, "INSERT INTO events(id, lead_id, type, occurred_at, properties)"
			       " SELECT id, lead_id, type, occurred_at, properties FROM event_stage"
			       " WHERE ord >= ?1 ORDER BY ord ON CONFLICT DO NOTHING RETURNING id",
			&st) != SQL_OK) {
		r = db_error(q, err, "cannot store the events");
		goto out;
	}
	sql_bind_int64(st, 1, first);
	while ((rc = sql_step(st)) == SQL_ROW) {
		int64_t i;   /* an id twice in the batch: its first is the one stored */
		if (lf_strmap_get(&at, sql_column_text(st, 0), &i))
			inserted[i] = true;
	}
	if (rc != SQL_DONE)
		r = db_error(q, err, "cannot store the events");
out:
	sql_finalize(st);
	lf_strmap_release(&at);
	lf_buf_release(&rows);
	return r;
}

static enum lf_result sqlite_event_insert_many(struct lf_store *s, const struct lf_event *e,
					       size_t n, bool *inserted, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	enum lf_result r;
	if (!n)
		return LF_OK;
	if ((r = sqlite_begin(s, err)))   /* all or nothing: a savepoint of the caller's */
		return r;
	if (sql_dialect(q->db) == SQL_POSTGRES) {
		r = pg_stage_events(q, e, n, inserted, err);
	} else {
		for (size_t i = 0; i < n && !r; i++)
			r = sqlite_event_insert(s, &e[i], &inserted[i], err);
	}
	if (r) {
		sqlite_rollback(s);
		return r;
	}
	return sqlite_commit(s, err);
}

static void read_event(struct sql_stmt *st, struct lf_event *e)
{
	e->id = col_text(st, 0);
	e->lead_id = sql_column_int64(st, 1);
	e->type = col_text(st, 2);
	e->occurred_at = sql_column_int64(st, 3);
	e->properties = col_text(st, 4);
}

static enum lf_result sqlite_event_get(struct lf_store *s, const char *id,
				       struct lf_event *out, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_EVENT_GET, &st, err)))
		return r;
	sql_bind_text(st, 1, id);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		read_event(st, out);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no event '%s'", id);
	else
		r = db_error(q, err, "cannot read an event");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_event_list(struct lf_store *s, int64_t lead_id,
					lf_event_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, lead_id ? ST_EVENT_LIST : ST_EVENT_ALL, &st, err)))
		return r;
	if (lead_id)
		sql_bind_int64(st, 1, lead_id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		/* borrowed for the callback: SQLite's own text, no copies */
		struct lf_event e = {
			.id = (char *)sql_column_text(st, 0),
			.lead_id = sql_column_int64(st, 1),
			.type = (char *)sql_column_text(st, 2),
			.occurred_at = sql_column_int64(st, 3),
			.properties = (char *)sql_column_text(st, 4),
		};
		if ((r = fn(ctx, &e)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list events");
	sql_reset(st);
	return r;
}

/* --- touches --------------------------------------------------------- */

static enum lf_result sqlite_touch_insert(struct lf_store *s, struct lf_touch *t,
					  bool *inserted, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_TOUCH_INSERT, &st, err)))
		return r;
	sql_bind_text(st, 1, t->key);
	sql_bind_int64(st, 2, t->lead_id);
	bind_id(st, 3, t->rep_id);
	sql_bind_text(st, 4, t->kind);
	sql_bind_double(st, 5, t->minutes);
	bind_text(st, 6, t->outcome);
	sql_bind_int64(st, 7, t->at);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		t->id = sql_column_int64(st, 0);
	else if (rc != SQL_DONE)
		r = db_error(q, err, "cannot store the touch");
	*inserted = rc == SQL_ROW;
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_touch_list(struct lf_store *s, int64_t lead_id,
					lf_touch_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_TOUCH_LIST, &st, err)))
		return r;
	sql_bind_int64(st, 1, lead_id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_touch t = {
			.id = sql_column_int64(st, 0),
			.key = col_text(st, 1),
			.lead_id = sql_column_int64(st, 2),
			.rep_id = sql_column_int64(st, 3),
			.kind = col_text(st, 4),
			.minutes = sql_column_double(st, 5),
			.outcome = col_text(st, 6),
			.at = sql_column_int64(st, 7),
		};
		r = fn(ctx, &t);
		lf_touch_release(&t);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list touches");
	sql_reset(st);
	return r;
}

/* --- transitions ----------------------------------------------------- */

static enum lf_result sqlite_transition_append(struct lf_store *s,
					       struct lf_transition *t,
					       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_TRANSITION_INSERT, &st, err)))
		return r;
	sql_bind_int64(st, 1, t->lead_id);
	sql_bind_text(st, 2, lf_stage_name(t->from));
	sql_bind_text(st, 3, lf_stage_name(t->to));
	sql_bind_text(st, 4, t->actor ? t->actor : "system");
	sql_bind_int64(st, 5, t->at);
	bind_text(st, 6, t->reason);
	if (t->rating)
		sql_bind_int(st, 7, t->rating);
	else
		sql_bind_null(st, 7);
	bind_text(st, 8, t->note);
	if (t->model_version)
		sql_bind_int(st, 9, t->model_version);
	else
		sql_bind_null(st, 9);
	sql_bind_int(st, 10, t->undated);
	bind_id(st, 11, t->owner_rep_id);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the transition");
	else
		t->id = sql_column_int64(st, 0);
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_transition_list(struct lf_store *s, int64_t lead_id,
					     lf_transition_fn fn, void *ctx,
					     struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, lead_id ? ST_TRANSITION_LIST : ST_TRANSITION_ALL, &st, err)))
		return r;
	if (lead_id)
		sql_bind_int64(st, 1, lead_id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_transition t = {
			.id = sql_column_int64(st, 0),
			.lead_id = sql_column_int64(st, 1),
			.actor = col_text(st, 4),
			.at = sql_column_int64(st, 5),
			.reason = col_text(st, 6),
			.rating = sql_column_int(st, 7),
			.note = col_text(st, 8),
			.model_version = sql_column_int(st, 9),
			.undated = sql_column_int(st, 10) != 0,
			.owner_rep_id = sql_column_int64(st, 11),
		};
		if (!(r = lf_stage_parse((const char *)sql_column_text(st, 2), &t.from,
					 err)) &&
		    !(r = lf_stage_parse((const char *)sql_column_text(st, 3), &t.to,
					 err)))
			r = fn(ctx, &t);
		lf_transition_release(&t);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list transitions");
	sql_reset(st);
	return r;
}

/* --- reps ------------------------------------------------------------ */

static enum lf_result sqlite_rep_insert(struct lf_store *s, struct lf_rep *rep,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_REP_INSERT, &st, err)))
		return r;
	bind_text(st, 1, rep->name);
	bind_text(st, 2, rep->team);
	bind_text(st, 3, rep->pools);
	sql_bind_double(st, 4, rep->weekly_hours);
	sql_bind_int(st, 5, rep->max_active);
	sql_bind_int(st, 6, rep->away);
	bind_id(st, 7, rep->away_from);
	bind_id(st, 8, rep->away_to);
	sql_bind_text(st, 9, lf_tier_name(rep->tier));
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the rep");
	else
		rep->id = sql_column_int64(st, 0);
	sql_reset(st);
	return r;
}

static void read_rep(struct sql_stmt *st, struct lf_rep *rep)
{
	rep->id = sql_column_int64(st, 0);
	rep->name = col_text(st, 1);
	rep->team = col_text(st, 2);
	rep->pools = col_text(st, 3);
	rep->weekly_hours = sql_column_double(st, 4);
	rep->max_active = sql_column_int(st, 5);
	rep->away = sql_column_int(st, 6) != 0;
	rep->away_from = sql_column_int64(st, 7);
	rep->away_to = sql_column_int64(st, 8);
	struct lf_error e;   /* the schema allows no other tier */
	if (lf_tier_parse((const char *)sql_column_text(st, 9), "tier", &rep->tier, &e))
		rep->tier = LF_TIER_SDR;
}

/* The JSON path of attribute name: $."name", its double quotes doubled. */
static char *json_path(const char *name)
{
	char *out = malloc(2 * strlen(name) + 5), *o = out;
	if (!out)
		return NULL;
	o += sprintf(o, "$.\"");
	for (; *name; name++) {
		if (*name == '"')
			*o++ = '"';
		*o++ = *name;
	}
	strcpy(o, "\"");
	return out;
}

static enum lf_result sqlite_lead_field_present(struct lf_store *s, const char *name,
						bool attribute, bool *present,
						struct lf_error *err)
{
	static const char *const columns[] = { "email", "external_id", "name", "company",
					       "title", "country", "industry", "source",
					       "campaign", "employees", NULL };
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	char sql[128];
	size_t i = 0;
	int rc;

	*present = false;
	if (!attribute) {
		while (columns[i] && strcmp(columns[i], name))
			i++;
		if (!columns[i])
			return LF_OK;
		snprintf(sql, sizeof(sql), "SELECT 1 FROM leads WHERE %s IS NOT NULL LIMIT 1",
			 columns[i]);
	} else {
		snprintf(sql, sizeof(sql), "%s", PICK(q, "SELECT 1 FROM leads WHERE json_type(attrs,"
			 " ?1) IS NOT NULL AND json_type(attrs, ?1) != 'null' LIMIT 1",
			 "SELECT 1 FROM leads WHERE json_typeof(attrs::json -> ?1) <> 'null' LIMIT 1"));
	}
	if (sql_prepare(q->db, sql, &st) != SQL_OK)
		return db_error(q, err, "cannot read the leads");
	if (attribute) {
		char *path = sql_dialect(q->db) == SQL_POSTGRES ? strdup(name) : json_path(name);
		if (!path) {
			sql_finalize(st);
			return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		}
		sql_bind_text_copy(st, 1, path);
		free(path);
	}
	rc = sql_step(st);
	*present = rc == SQL_ROW;
	enum lf_result r = rc == SQL_ROW || rc == SQL_DONE ? LF_OK
			 : db_error(q, err, "cannot read the leads");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_rep_get(struct lf_store *s, int64_t id, struct lf_rep *out,
				     struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_REP_GET, &st, err)))
		return r;
	sql_bind_int64(st, 1, id);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		read_rep(st, out);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no rep with id %lld", (long long)id);
	else
		r = db_error(q, err, "cannot read a rep");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_rep_find(struct lf_store *s, const char *name,
				      struct lf_rep *out, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_REP_FIND, &st, err)))
		return r;
	sql_bind_text(st, 1, name);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		read_rep(st, out);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no rep named '%s'", name);
	else
		r = db_error(q, err, "cannot read a rep");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_rep_list(struct lf_store *s, lf_rep_fn fn, void *ctx,
				      struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_REP_LIST, &st, err)))
		return r;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_rep rep = { 0 };
		read_rep(st, &rep);
		r = fn(ctx, &rep);
		lf_rep_release(&rep);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list reps");
	sql_reset(st);
	return r;
}

/* --- models ---------------------------------------------------------- */

static enum lf_result sqlite_model_add(struct lf_store *s, struct lf_model *m,
				       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_MODEL_ADD, &st, err)))
		return r;
	bind_text(st, 1, m->name);
	bind_text(st, 2, m->text);
	if (!m->created_at)
		m->created_at = lf_time_now();
	sql_bind_int64(st, 3, m->created_at);
	if (sql_step(st) != SQL_ROW) {
		r = db_error(q, err, "cannot store the model");
	} else {
		m->version = (int)sql_column_int64(st, 0);
		r = lf_set_str(&m->status, "draft");
	}
	sql_reset(st);
	return r;
}

static void read_model(struct sql_stmt *st, struct lf_model *m)
{
	m->version = sql_column_int(st, 0);
	m->name = col_text(st, 1);
	m->text = col_text(st, 2);
	m->status = col_text(st, 3);
	m->created_at = sql_column_int64(st, 4);
}

static enum lf_result sqlite_model_get(struct lf_store *s, int version,
				       struct lf_model *out, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_MODEL_GET, &st, err)))
		return r;
	sql_bind_int(st, 1, version);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		read_model(st, out);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no model version %d", version);
	else
		r = db_error(q, err, "cannot read a model");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_model_list(struct lf_store *s, lf_model_fn fn, void *ctx,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_MODEL_LIST, &st, err)))
		return r;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_model m = { 0 };
		read_model(st, &m);
		r = fn(ctx, &m);
		lf_model_release(&m);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list models");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_model_set_status(struct lf_store *s, int version,
					      const char *status, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_MODEL_STATUS, &st, err)))
		return r;
	sql_bind_int(st, 1, version);
	sql_bind_text(st, 2, status);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot change the model's status");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no model version %d", version);
	sql_reset(st);
	return r;
}

/* --- demo truth ------------------------------------------------------ */

static enum lf_result sqlite_truth_put(struct lf_store *s, int64_t lead_id,
				       double p_sql, double p_won, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;

	if ((r = prep(q, ST_TRUTH_PUT, &st, err)))
		return r;
	sql_bind_int64(st, 1, lead_id);
	sql_bind_double(st, 2, p_sql);
	sql_bind_double(st, 3, p_won);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot store the demo truth");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_truth_get(struct lf_store *s, int64_t lead_id,
				       double *p_sql, double *p_won, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	if ((r = prep(q, ST_TRUTH_GET, &st, err)))
		return r;
	sql_bind_int64(st, 1, lead_id);
	rc = sql_step(st);
	if (rc == SQL_ROW) {
		*p_sql = sql_column_double(st, 0);
		*p_won = sql_column_double(st, 1);
	} else if (rc == SQL_DONE) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no demo truth for lead %lld",
				 (long long)lead_id);
	} else {
		r = db_error(q, err, "cannot read the demo truth");
	}
	sql_reset(st);
	return r;
}

/* --- erasure and audit ------------------------------------------------ */

/* Runs sql (prepared for this call) with id a as ?1 and the time now as ?2. */
static enum lf_result run_ids(struct lf_sqlite_store *q, const char *sql, int64_t a,
			      int64_t *changes, const char *what, struct lf_error *err)
{
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, sql, &st) != SQL_OK)
		return db_error(q, err, what);
	sql_bind_int64(st, 1, a);
	sql_bind_int64(st, 2, lf_time_now()); /* ?2: now, for a statement that dates its change */
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, what);
	else if (changes)
		*changes = sql_changes(q->db);
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_audit(struct lf_store *s, const char *actor,
				   const char *action, const char *subject,
				   const char *detail, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO audit(at, actor, action, subject, detail)"
			       " VALUES (?1,?2,?3,?4,?5)", &st) != SQL_OK)
		return db_error(q, err, "cannot write the audit trail");
	sql_bind_int64(st, 1, lf_time_now());
	bind_text(st, 2, actor);
	bind_text(st, 3, action);
	bind_text(st, 4, subject);
	bind_text(st, 5, detail);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot write the audit trail");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_lead_erase(struct lf_store *s, int64_t id, const char *actor,
					int64_t *events, int64_t *touches,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	int64_t found = 0;
	char subject[32], detail[96];
	enum lf_result r;

	if ((r = sqlite_begin(s, err)))
		return r;
	if ((r = run_ids(q, "UPDATE leads SET external_id=NULL, email=NULL, name=NULL,"
			 " company=NULL, title=NULL, attrs='{}', score_state=NULL"
			 " WHERE id=?1", id, &found, "cannot erase the lead", err)))
		goto fail;
	if (!found) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead with id %lld", (long long)id);
		goto fail;
	}
	if ((r = run_ids(q, "DELETE FROM events WHERE lead_id=?1", id, events,
			 "cannot erase the lead's events", err)) ||
	    (r = run_ids(q, "DELETE FROM touches WHERE lead_id=?1", id, touches,
			 "cannot erase the lead's touches", err)) ||
	    (r = run_ids(q, "UPDATE transitions SET note=NULL WHERE lead_id=?1"
			 " AND note IS NOT NULL", id, NULL,
			 "cannot erase the lead's notes", err)) ||
	    (r = run_ids(q, "DELETE FROM answers WHERE lead_id=?1", id, NULL,
			 "cannot erase the lead's answers", err)) ||
	    (r = run_ids(q, "DELETE FROM cdp_identities WHERE lead_id=?1", id, NULL,
			 "cannot erase the lead's anonymous ids", err)) ||
	    (r = run_ids(q, "DELETE FROM lead_touches WHERE lead_id=?1", id, NULL,
			 "cannot erase the lead's touches", err)))
		goto fail;
	snprintf(subject, sizeof(subject), "lead:%lld", (long long)id);
	snprintf(detail, sizeof(detail), "{\"events\":%lld,\"touches\":%lld}",
		 (long long)*events, (long long)*touches);
	if ((r = sqlite_audit(s, actor, "lead.erase", subject, detail, err)))
		goto fail;
	return sqlite_commit(s, err);
fail:
	sqlite_rollback(s);
	return r;
}

/* --- tokens ----------------------------------------------------------- */

#define TOKEN_COLS "id, name, role, rep_id, hash, created_at, revoked_at"

static void read_token(struct sql_stmt *st, struct lf_token *t)
{
	t->id = sql_column_int64(st, 0);
	t->name = col_text(st, 1);
	t->role = col_text(st, 2);
	t->rep_id = sql_column_int64(st, 3);
	t->hash = col_text(st, 4);
	t->created_at = sql_column_int64(st, 5);
	t->revoked_at = sql_column_int64(st, 6);
}

static enum lf_result sqlite_token_insert(struct lf_store *s, struct lf_token *t,
					  struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO tokens(name, role, rep_id, hash, created_at)"
			       " VALUES (?1,?2,?3,?4,?5) RETURNING id", &st) != SQL_OK)
		return db_error(q, err, "cannot store the token");
	if (!t->created_at)
		t->created_at = lf_time_now();
	bind_text(st, 1, t->name);
	bind_text(st, 2, t->role);
	bind_id(st, 3, t->rep_id);
	bind_text(st, 4, t->hash);
	sql_bind_int64(st, 5, t->created_at);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the token");
	else
		t->id = sql_column_int64(st, 0);
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_token_get(struct lf_store *s, int64_t id, struct lf_token *out,
				       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	memset(out, 0, sizeof(*out));
	if (sql_prepare(q->db, "SELECT " TOKEN_COLS " FROM tokens WHERE id=?1", &st) != SQL_OK)
		return db_error(q, err, "cannot read the token");
	sql_bind_int64(st, 1, id);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		read_token(st, out);
	else if (rc == SQL_DONE)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no token with id %lld", (long long)id);
	else
		r = db_error(q, err, "cannot read the token");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_token_list(struct lf_store *s, lf_token_fn fn, void *ctx,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT " TOKEN_COLS " FROM tokens ORDER BY id", &st) != SQL_OK)
		return db_error(q, err, "cannot list tokens");
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_token t = { 0 };
		read_token(st, &t);
		r = fn(ctx, &t);
		lf_token_release(&t);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list tokens");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_token_revoke(struct lf_store *s, int64_t id, lf_time_ms at,
					  struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "UPDATE tokens SET revoked_at=coalesce(revoked_at, ?2)"
			       " WHERE id=?1", &st) != SQL_OK)
		return db_error(q, err, "cannot revoke the token");
	sql_bind_int64(st, 1, id);
	sql_bind_int64(st, 2, at);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot revoke the token");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no token with id %lld", (long long)id);
	sql_finalize(st);
	return r;
}

/* --- sessions ---------------------------------------------------------- */

static enum lf_result sqlite_session_insert(struct lf_store *s, struct lf_session *x,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO sessions(token_id, link, hash, csrf, created_at,"
			       " expires_at) VALUES (?1,?2,?3,?4,?5,?6) RETURNING id", &st) != SQL_OK)
		return db_error(q, err, "cannot store the session");
	if (!x->created_at)
		x->created_at = lf_time_now();
	sql_bind_int64(st, 1, x->token_id);
	sql_bind_int(st, 2, x->link);
	bind_text(st, 3, x->hash);
	bind_text(st, 4, x->csrf);
	sql_bind_int64(st, 5, x->created_at);
	sql_bind_int64(st, 6, x->expires_at);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the session");
	else
		x->id = sql_column_int64(st, 0);
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_session_get(struct lf_store *s, int64_t id, struct lf_session *out,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	memset(out, 0, sizeof(*out));
	if (sql_prepare(q->db, "SELECT id, token_id, link, hash, csrf, created_at,"
			       " expires_at, coalesce(ended_at, 0) FROM sessions WHERE id=?1", &st) != SQL_OK)
		return db_error(q, err, "cannot read the session");
	sql_bind_int64(st, 1, id);
	rc = sql_step(st);
	if (rc == SQL_ROW) {
		out->id = sql_column_int64(st, 0);
		out->token_id = sql_column_int64(st, 1);
		out->link = sql_column_int(st, 2) != 0;
		snprintf(out->hash, sizeof(out->hash), "%s", (const char *)sql_column_text(st, 3));
		snprintf(out->csrf, sizeof(out->csrf), "%s", (const char *)sql_column_text(st, 4));
		out->created_at = sql_column_int64(st, 5);
		out->expires_at = sql_column_int64(st, 6);
		out->ended_at = sql_column_int64(st, 7);
	} else if (rc == SQL_DONE) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no session with id %lld", (long long)id);
	} else {
		r = db_error(q, err, "cannot read the session");
	}
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_session_end(struct lf_store *s, int64_t id, lf_time_ms at,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "UPDATE sessions SET ended_at=?2 WHERE id=?1 AND ended_at"
			       " IS NULL", &st) != SQL_OK)
		return db_error(q, err, "cannot end the session");
	sql_bind_int64(st, 1, id);
	sql_bind_int64(st, 2, at);
	if (sql_step(st) != SQL_DONE) {
		r = db_error(q, err, "cannot end the session");
	} else if (sql_changes(q->db) == 0) {
		struct lf_session x;
		r = sqlite_session_get(s, id, &x, err);
		if (!r)
			r = lf_error_set(err, LF_ERR_CONFLICT, "session %lld has ended already",
					 (long long)id);
	}
	sql_finalize(st);
	return r;
}

/* --- webhooks and the outbox ------------------------------------------ */

static enum lf_result sqlite_webhook_insert(struct lf_store *s, struct lf_webhook *w,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO webhooks(url, secret, types, created_at)"
			       " VALUES (?1,?2,?3,?4) RETURNING id", &st) != SQL_OK)
		return db_error(q, err, "cannot store the webhook");
	if (!w->created_at)
		w->created_at = lf_time_now();
	bind_text(st, 1, w->url);
	bind_text(st, 2, w->secret);
	bind_text(st, 3, w->types);
	sql_bind_int64(st, 4, w->created_at);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the webhook");
	else
		w->id = sql_column_int64(st, 0);
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_webhook_list(struct lf_store *s, lf_webhook_fn fn, void *ctx,
					  struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT id, url, secret, types, created_at FROM webhooks"
			       " WHERE deleted_at IS NULL ORDER BY id", &st) != SQL_OK)
		return db_error(q, err, "cannot list webhooks");
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_webhook w = { 0 };
		w.id = sql_column_int64(st, 0);
		w.url = col_text(st, 1);
		w.secret = col_text(st, 2);
		w.types = col_text(st, 3);
		w.created_at = sql_column_int64(st, 4);
		r = fn(ctx, &w);
		lf_webhook_release(&w);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot list webhooks");
	sql_finalize(st);
	return r;
}

/* A deleted subscription stops at once: its pending deliveries fail. */
static enum lf_result sqlite_webhook_delete(struct lf_store *s, int64_t id,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	int64_t n = 0;
	enum lf_result r;
	if ((r = sqlite_begin(s, err)))
		return r;
	if ((r = run_ids(q, "UPDATE webhooks SET deleted_at=?2"
			 " WHERE id=?1 AND deleted_at IS NULL", id, &n,
			 "cannot delete the webhook", err)))
		goto fail;
	if (!n) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no webhook with id %lld", (long long)id);
		goto fail;
	}
	if ((r = run_ids(q, "UPDATE outbox SET status='failed', next_at=NULL,"
			 " last_error='the subscription was deleted'"
			 " WHERE webhook_id=?1 AND status='pending'", id, NULL,
			 "cannot delete the webhook", err)))
		goto fail;
	return sqlite_commit(s, err);
fail:
	sqlite_rollback(s);
	return r;
}

static enum lf_result sqlite_outbox_add(struct lf_store *s, const char *type,
					lf_time_ms occurred_at, const char *data,
					int *queued, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	if ((r = prep(q, ST_OUTBOX_ADD, &st, err)))
		return r;
	bind_text(st, 1, type);
	sql_bind_int64(st, 2, occurred_at);
	bind_text(st, 3, data);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot queue the webhook delivery");
	else if (queued)
		*queued = sql_changes(q->db);
	sql_reset(st);
	return r;
}

#define DELIVERY_COLS                                                         \
	"o.id, o.webhook_id, w.url, w.secret, o.type, o.occurred_at, o.data,"   \
	" o.attempt, o.next_at, o.status, o.last_code, o.last_error"

static void read_delivery(struct sql_stmt *st, struct lf_delivery *d)
{
	d->id = sql_column_int64(st, 0);
	d->webhook_id = sql_column_int64(st, 1);
	d->url = col_text(st, 2);
	d->secret = col_text(st, 3);
	d->type = col_text(st, 4);
	d->occurred_at = sql_column_int64(st, 5);
	d->data = col_text(st, 6);
	d->attempt = sql_column_int(st, 7);
	d->next_at = sql_column_int64(st, 8);
	d->status = col_text(st, 9);
	d->last_code = sql_column_int(st, 10);
	d->last_error = col_text(st, 11);
}

static enum lf_result deliveries(struct lf_sqlite_store *q, struct sql_stmt *st,
				 lf_delivery_fn fn, void *ctx, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_delivery d = { 0 };
		read_delivery(st, &d);
		r = fn(ctx, &d);
		lf_delivery_release(&d);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the outbox");
	sql_finalize(st);
	return r;
}

/* per subscription, through its pending index: a backlog of one costs one
 * index step, not a scan of everyone's */
#define CLAIM_DUE                                                             \
	"SELECT " DELIVERY_COLS " FROM webhooks w"                            \
	" JOIN outbox o ON o.id = (SELECT x.id FROM outbox x"                 \
	"  WHERE x.webhook_id = w.id AND x.status = 'pending'"                \
	"  AND x.next_at <= ?1 ORDER BY x.id LIMIT 1)"                        \
	" WHERE w.claimed_until IS NULL OR w.claimed_until <= ?1"             \
	" ORDER BY o.next_at, o.id LIMIT ?2"

/*
 * The claim takes the subscriptions' rows (their claimed_until) and then
 * the deliveries', in the order the deletion of a subscription takes them,
 * so the two never wait on each other in a circle.
 */
static enum lf_result sqlite_outbox_claim(struct lf_store *s, lf_time_ms now,
					  lf_time_ms hold_until, int limit,
					  lf_delivery_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL, *hold = NULL, *count = NULL;
	struct lf_delivery d[64];
	int n = 0, rc = SQL_DONE;
	enum lf_result r;

	if (limit > (int)(sizeof(d) / sizeof(d[0])))
		limit = (int)(sizeof(d) / sizeof(d[0]));
	if ((r = begin_as(s, false, err)))
		return r;
	if (sql_dialect(q->db) == SQL_POSTGRES &&
	    (r = exec(q, "SET LOCAL synchronous_commit = on", err)))
		goto fail;
	if (sql_prepare(q->db, PICK(q, CLAIM_DUE, CLAIM_DUE " FOR UPDATE OF w SKIP LOCKED"),
			&st) != SQL_OK ||
	    sql_prepare(q->db, "UPDATE webhooks SET claimed_until = ?2 WHERE id = ?1",
			&hold) != SQL_OK ||
	    sql_prepare(q->db, "UPDATE outbox SET attempt = attempt + 1 WHERE id = ?1",
			&count) != SQL_OK) {
		r = db_error(q, err, "cannot claim the due deliveries");
		goto fail;
	}
	sql_bind_int64(st, 1, now);
	sql_bind_int(st, 2, limit);
	while (n < limit && (rc = sql_step(st)) == SQL_ROW) {
		memset(&d[n], 0, sizeof(d[n]));
		read_delivery(st, &d[n++]);
	}
	if (n < limit && rc != SQL_DONE) {
		r = db_error(q, err, "cannot claim the due deliveries");
		goto fail;
	}
	sql_finalize(st);
	st = NULL;
	for (int i = 0; i < n; i++) {
		sql_bind_int64(hold, 1, d[i].webhook_id);
		sql_bind_int64(hold, 2, hold_until);
		sql_bind_int64(count, 1, d[i].id);
		if (sql_step(hold) != SQL_DONE || sql_step(count) != SQL_DONE) {
			r = db_error(q, err, "cannot claim the due deliveries");
			goto fail;
		}
		sql_reset(hold);
		sql_reset(count);
		d[i].attempt++;
	}
	sql_finalize(hold);
	sql_finalize(count);
	hold = count = NULL;
	if ((r = sqlite_commit(s, err)))
		goto out;
	for (int i = 0; i < n && !r; i++)
		r = fn(ctx, &d[i]);
	goto out;
fail:
	sqlite_rollback(s);
out:
	sql_finalize(st);
	sql_finalize(hold);
	sql_finalize(count);
	for (int i = 0; i < n; i++)
		lf_delivery_release(&d[i]);
	return r;
}

static enum lf_result sqlite_outbox_next(struct lf_store *s, lf_time_ms *next,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	*next = 0;
	if (sql_prepare(q->db, "SELECT min(next_at) FROM outbox WHERE status='pending'", &st) != SQL_OK)
		return db_error(q, err, "cannot read the outbox");
	if (sql_step(st) == SQL_ROW)
		*next = sql_column_int64(st, 0);
	else
		r = db_error(q, err, "cannot read the outbox");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_outbox_attempt(struct lf_store *s, const struct lf_delivery *d,
					    lf_time_ms at, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st[3] = { NULL, NULL, NULL };
	/* the subscription's row first, as the claim and a deletion take them;
	 * each only while this attempt is the delivery's latest and pending */
	static const char *const sql[3] = {
		"UPDATE webhooks SET claimed_until = NULL WHERE id = (SELECT webhook_id"
		" FROM outbox WHERE id = ?1 AND attempt = ?2 AND status = 'pending')",
		"UPDATE outbox SET status=?3, next_at=?4, last_code=?5, last_error=?6"
		" WHERE id=?1 AND attempt=?2 AND status='pending'",
		"INSERT INTO delivery_log(outbox_id, attempt, code, error, at)"
		" VALUES (?1,?2,?3,?4,?5)",
	};
	enum lf_result r = LF_OK;
	int i;

	for (i = 0; i < 3; i++) {
		if (sql_prepare(q->db, sql[i], &st[i]) != SQL_OK) {
			r = db_error(q, err, "cannot record the delivery");
			goto out;
		}
		sql_bind_int64(st[i], 1, d->id);
		sql_bind_int(st[i], 2, d->attempt);
	}
	bind_text(st[1], 3, d->status);
	bind_id(st[1], 4, d->next_at);
	bind_id(st[1], 5, d->last_code);
	bind_text(st[1], 6, d->last_error);
	bind_id(st[2], 3, d->last_code);
	bind_text(st[2], 4, d->last_error);
	sql_bind_int64(st[2], 5, at);
	if ((r = begin_as(s, false, err)))
		goto out;
	for (i = 0; i < 3; i++)
		if (sql_step(st[i]) != SQL_DONE)
			break;
	if (i < 3) {
		r = db_error(q, err, "cannot record the delivery");
		sqlite_rollback(s);
	} else {
		r = sqlite_commit(s, err);
	}
out:
	for (i = 0; i < 3; i++)
		sql_finalize(st[i]);
	return r;
}

static enum lf_result sqlite_delivery_list(struct lf_store *s, int64_t webhook_id,
					   int limit, lf_delivery_fn fn, void *ctx,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	if (sql_prepare(q->db, "SELECT " DELIVERY_COLS " FROM outbox o"
			       " JOIN webhooks w ON w.id = o.webhook_id"
			       " WHERE ?1 = 0 OR o.webhook_id = ?1"
			       " ORDER BY o.id DESC LIMIT ?2", &st) != SQL_OK)
		return db_error(q, err, "cannot read the outbox");
	sql_bind_int64(st, 1, webhook_id);
	sql_bind_int64(st, 2, limit > 0 ? limit : INT64_MAX);
	return deliveries(q, st, fn, ctx, err);
}

/* Waits for another process's lock, telling stderr every 5 s that it does. */
/*
 * Waiting for another connection's lock. Most are short (the webhook
 * sender marking a delivery, the writer's commit): the waits grow from 50
 * microseconds to 10 ms, so that a write queued behind a lock held for a
 * millisecond does not sleep 10 (SQLite's own timeout sleeps 1 ms first,
 * then longer). Forever (-1) says so every 5 seconds.
 */
static int wait_for_lock(void *ctx, int tries)
{
	struct lf_sqlite_store *q = ctx;
	if (!tries)
		q->waiting_since = lf_clock_seconds();
	double waited = lf_clock_seconds() - q->waiting_since;
	if (q->lock_wait_ms >= 0 && waited * 1000 >= (double)q->lock_wait_ms)
		return 0;
	if (q->lock_wait_ms < 0 && tries >= 8 && (tries - 8) % 500 == 499)
		fprintf(stderr, "leadflow: '%s' is locked by another process (an import?); "
			"waiting for it\n", q->path);
	usleep(tries < 8 ? 50u << tries : 10000u);
	return 1;
}

static enum lf_result sqlite_set_lock_wait(struct lf_store *s, int64_t ms,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	(void)err;
	q->lock_wait_ms = ms;
	sqlite3_busy_handler(sql_sqlite_handle(q->db), wait_for_lock, q);
	return LF_OK;
}

/* After each commit of a handle without automatic checkpoints: the log's length. */
static int note_log_length(void *ctx, sqlite3 *db, const char *name, int frames)
{
	struct lf_sqlite_store *q = ctx;
	(void)db;
	(void)name;
	/* a frame is a page and its 24-byte header */
	q->log_bytes = (int64_t)frames * (q->page_size + 24);
	return SQLITE_OK;
}

static enum lf_result sqlite_autocheckpoint(struct lf_store *s, int64_t log_bound,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	sqlite3 *db = sql_sqlite_handle(q->db);
	struct sql_stmt *st = NULL;
	char limit[64];

	q->log_bytes = 0;
	if (sqlite3_wal_autocheckpoint(db, log_bound ? 0 : 1000) != SQLITE_OK)
		return db_error(q, err, "cannot set automatic checkpoints");
	if (!log_bound)
		return exec(q, "PRAGMA journal_size_limit=-1", err);
	if (sql_prepare(q->db, "PRAGMA page_size", &st) != SQL_OK || sql_step(st) != SQL_ROW) {
		sql_finalize(st);
		return db_error(q, err, "cannot read the page size");
	}
	q->page_size = (int)sql_column_int64(st, 0);
	sql_finalize(st);
	sqlite3_wal_hook(db, note_log_length, q);
	/* a log that started over is cut back near its bound; its overshoot
	 * (the writes of the moments before it started over) is kept, so
	 * that the file's blocks are written again rather than made anew */
	snprintf(limit, sizeof(limit), "PRAGMA journal_size_limit=%lld",
		 (long long)(log_bound + log_bound / 4));
	return exec(q, limit, err);
}

static enum lf_result sqlite_log_length(struct lf_store *s, int64_t *bytes, struct lf_error *err)
{
	(void)err;
	*bytes = sq(s)->log_bytes;
	return LF_OK;
}

static enum lf_result sqlite_lease(struct lf_store *s, const char *name, const char *holder,
				   lf_time_ms now, lf_time_ms ttl_ms, bool *held,
				   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;

	*held = false;
	if ((r = prep(q, ST_LEASE, &st, err)))
		return r;
	bind_text(st, 1, name);
	bind_text(st, 2, holder);
	sql_bind_int64(st, 3, now + ttl_ms);
	sql_bind_int64(st, 4, now);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot take the lease");
	else
		*held = sql_changes(q->db) > 0;
	sql_reset(st);
	return r;
}

/* WAL with synchronous=NORMAL: a commit is synced by the next FULL one or a checkpoint. */
static enum lf_result sqlite_lazy_commits(struct lf_store *s, struct lf_error *err)
{
	return exec(sq(s), "PRAGMA synchronous=NORMAL", err);
}

/* The write-ahead log, which the connection has open (WAL mode) since it was opened. */
static enum lf_result sqlite_log_file(struct lf_store *s, char **path, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	const char *wal = sqlite3_filename_wal(sqlite3_db_filename(sql_sqlite_handle(q->db),
								    "main"));
	if (!wal || !*wal || q->read_only)
		return lf_error_set(err, LF_ERR_NOT_FOUND, "'%s' has no write-ahead log", q->path);
	if (!(*path = strdup(wal)))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	return LF_OK;
}

/* PASSIVE: copies what it can without waiting for the writer or readers. */
static enum lf_result sqlite_checkpoint(struct lf_store *s, int *left, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(sql_sqlite_handle(q->db), NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
		return db_error(q, err, "cannot checkpoint the write-ahead log");
	/* busy (another checkpoint under way): all of it left */
	if (left)
		*left = rc != SQLITE_OK ? (log > 0 ? log : 1) : log > done ? log - done : 0;
	return LF_OK;
}

static enum lf_result sqlite_rep_update(struct lf_store *s, const struct lf_rep *rep,
					struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "UPDATE reps SET name=?2, team=?3, pools=?4,"
			       " weekly_hours=?5, max_active=?6, away=?7, away_from=?8,"
			       " away_to=?9, tier=?10 WHERE id=?1", &st) != SQL_OK)
		return db_error(q, err, "cannot update the rep");
	sql_bind_int64(st, 1, rep->id);
	bind_text(st, 2, rep->name);
	bind_text(st, 3, rep->team);
	bind_text(st, 4, rep->pools);
	sql_bind_double(st, 5, rep->weekly_hours);
	sql_bind_int(st, 6, rep->max_active);
	sql_bind_int(st, 7, rep->away);
	bind_id(st, 8, rep->away_from);
	bind_id(st, 9, rep->away_to);
	sql_bind_text(st, 10, lf_tier_name(rep->tier));
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot update the rep");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no rep with id %lld", (long long)rep->id);
	sql_finalize(st);
	return r;
}

/*
 * One row per lead that sales has had: its owner and stage, when it was
 * first assigned, when its opportunity opened and closed, and the touch
 * minutes logged on it before and after the opportunity opened.
 */
static enum lf_result held_row(struct sql_stmt *st, void *ctx)
{
	struct agg_call *c = ctx;
	struct lf_held_count h = {
		.rep_id = sql_column_int64(st, 0),
		.opportunity = sql_column_int(st, 1) != 0,
		.logged = sql_column_double(st, 2),
		.n = sql_column_int64(st, 3),
	};
	return ((lf_held_count_fn)c->fn)(c->ctx, &h);
}

static enum lf_result sqlite_held_load(struct lf_store *s, lf_held_count_fn fn, void *ctx,
				       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct agg_call c = { (void *)fn, ctx };
	struct sql_stmt *st = NULL;
	if (sql_prepare(q->db, "SELECT rep_id, opportunity, logged, n FROM held_load"
			       " WHERE n <> 0", &st) != SQL_OK)
		return db_error(q, err, "cannot read sales' load");
	return each_row(q, st, held_row, &c, "cannot read sales' load", err);
}

/* Touch minutes each rep logged at or after since. */
static enum lf_result sqlite_rep_minutes(struct lf_store *s, lf_time_ms since,
					 lf_rep_minutes_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	/* this week's touches only (the planner would walk every touch by rep) */
#define REP_MINUTES(INDEX)                                                        \
	"SELECT rep_id, sum(minutes) FROM touches" INDEX " WHERE at >= ?1"            \
	" AND rep_id IS NOT NULL GROUP BY rep_id"
	if (sql_prepare(q->db, PICK(q, REP_MINUTES(" INDEXED BY touches_at"), REP_MINUTES("")),
			&st) != SQL_OK)
		return db_error(q, err, "cannot read touch minutes");
	sql_bind_int64(st, 1, since);
	while ((rc = sql_step(st)) == SQL_ROW)
		if ((r = fn(ctx, sql_column_int64(st, 0), sql_column_double(st, 1))))
			break;
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read touch minutes");
	sql_finalize(st);
	return r;
}

static enum lf_result candidates(struct lf_sqlite_store *q, struct sql_stmt *st,
				 lf_candidate_fn fn, void *ctx, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_lead l;
		if ((r = read_lead(st, &l, err)))
			break;
		size_t n;
		const void *state = sql_column_blob(st, 23, &n);
		r = fn(ctx, &l, state, n);
		lf_lead_release(&l);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the gate's candidates");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_gate_candidates(struct lf_store *s, double floor,
					     lf_candidate_fn fn, void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	static const char *const sql[] = {
		"SELECT " LEAD_COLS ", score_state FROM leads WHERE stage = 'mql' AND queue IS NULL",
		"SELECT " LEAD_COLS ", score_state FROM leads WHERE stage = 'lead' AND total >= ?1",
		/* the partial index of hand-raisers: without it the planner walks
		 * every lead below the floor (1.4 s at 1M leads) */
		"SELECT " LEAD_COLS ", score_state FROM leads INDEXED BY leads_hand"
		" WHERE stage = 'lead' AND hand_raiser_at IS NOT NULL AND total < ?1",
		/* PostgreSQL's planner finds the partial index by itself */
		"SELECT " LEAD_COLS ", score_state FROM leads"
		" WHERE stage = 'lead' AND hand_raiser_at IS NOT NULL AND total < ?1",
	};
	enum lf_result r = LF_OK;
	for (size_t i = 0; i < 3 && !r; i++) {
		struct sql_stmt *st = NULL;
		const char *text = i == 2 ? PICK(q, sql[2], sql[3]) : sql[i];
		if (sql_prepare(q->db, text, &st) != SQL_OK)
			return db_error(q, err, "cannot read the gate's candidates");
		if (i)
			sql_bind_double(st, 1, floor);
		r = candidates(q, st, fn, ctx, err);
	}
	return r;
}

static enum lf_result sqlite_lead_move(struct lf_store *s, int64_t id, enum lf_stage stage,
				       int64_t owner, const char *queue, lf_time_ms at,
				       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	if ((r = prep(q, ST_LEAD_MOVE, &st, err)))
		return r;
	sql_bind_int64(st, 1, id);
	bind_text(st, 2, lf_stage_name(stage));
	bind_id(st, 3, owner);
	bind_text(st, 4, queue);
	sql_bind_int64(st, 5, at);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot move the lead");
	else if (sql_changes(q->db) == 0)
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no lead %lld", (long long)id);
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_routing_put(struct lf_store *s, const char *text,
					 const char *actor, int *version, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO routing(text, actor, created_at)"
			       " VALUES (?1,?2,?3) RETURNING version", &st) != SQL_OK)
		return db_error(q, err, "cannot store the routing");
	bind_text(st, 1, text);
	bind_text(st, 2, actor);
	sql_bind_int64(st, 3, lf_time_now());
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the routing");
	else
		*version = (int)sql_column_int64(st, 0);
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_routing_get(struct lf_store *s, int *version, char **text,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	*text = NULL;
	*version = 0;
	if (sql_prepare(q->db, "SELECT version, text FROM routing ORDER BY version DESC"
			       " LIMIT 1", &st) != SQL_OK)
		return db_error(q, err, "cannot read the routing");
	rc = sql_step(st);
	if (rc == SQL_ROW) {
		*version = sql_column_int(st, 0);
		if (!(*text = col_text(st, 1)))
			r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	} else if (rc == SQL_DONE) {
		r = lf_error_set(err, LF_ERR_NOT_FOUND, "no routing file was set");
	} else {
		r = db_error(q, err, "cannot read the routing");
	}
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_gate_record(struct lf_store *s, const struct lf_gate_mark *m,
					 struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO gate_history(at, threshold, floor, free_slots,"
			       " pool, released) VALUES (?1,?2,?3,?4,?5,?6)", &st) != SQL_OK)
		return db_error(q, err, "cannot record the gate");
	sql_bind_int64(st, 1, m->at);
	sql_bind_double(st, 2, m->threshold);
	sql_bind_double(st, 3, m->floor);
	sql_bind_int64(st, 4, m->free_slots);
	sql_bind_int64(st, 5, m->pool);
	sql_bind_int64(st, 6, m->released);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot record the gate");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_gate_history(struct lf_store *s, int limit, lf_gate_mark_fn fn,
					  void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT at, threshold, floor, free_slots, pool, released"
			       " FROM gate_history ORDER BY id DESC LIMIT ?1", &st) != SQL_OK)
		return db_error(q, err, "cannot read the gate's history");
	sql_bind_int64(st, 1, limit > 0 ? limit : INT64_MAX);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_gate_mark m = { sql_column_int64(st, 0), sql_column_double(st, 1),
					  sql_column_double(st, 2), sql_column_int64(st, 3),
					  sql_column_int64(st, 4), sql_column_int64(st, 5) };
		if ((r = fn(ctx, &m)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the gate's history");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_webhook_wants(struct lf_store *s, const char *type, bool *wants,
					   struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;
	if ((r = prep(q, ST_WEBHOOK_WANTS, &st, err)))
		return r;
	bind_text(st, 1, type);
	rc = sql_step(st);
	*wants = rc == SQL_ROW;
	if (rc != SQL_ROW && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the webhooks");
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_assignment_add(struct lf_store *s, struct lf_assignment *a,
					    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r;
	if ((r = prep(q, ST_ASSIGNMENT_ADD, &st, err)))
		return r;
	sql_bind_int64(st, 1, a->lead_id);
	sql_bind_int64(st, 2, a->rep_id);
	sql_bind_int64(st, 3, a->at);
	sql_bind_int(st, 4, a->hand_raiser);
	sql_bind_int64(st, 5, a->due_at);
	sql_bind_int64(st, 6, a->reassign_at);
	if (sql_step(st) != SQL_ROW)
		r = db_error(q, err, "cannot store the assignment");
	else
		a->id = sql_column_int64(st, 0);
	sql_reset(st);
	return r;
}

static enum lf_result sqlite_assignment_update(struct lf_store *s, const struct lf_assignment *a,
					       struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "UPDATE assignments SET first_touch_at=?2, breached_at=?3,"
			       " reassigned_at=?4, closed=?5 WHERE id=?1", &st) != SQL_OK)
		return db_error(q, err, "cannot update the assignment");
	sql_bind_int64(st, 1, a->id);
	bind_id(st, 2, a->first_touch_at);
	bind_id(st, 3, a->breached_at);
	bind_id(st, 4, a->reassigned_at);
	sql_bind_int(st, 5, a->closed);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot update the assignment");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_assignments(struct lf_store *s, bool open_only, lf_assignment_fn fn,
					 void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	const char *sql = open_only
		? "SELECT a.id, a.lead_id, a.rep_id, a.at, a.hand_raiser, a.due_at, a.reassign_at,"
		  " (SELECT min(t.at) FROM touches t WHERE t.lead_id = a.lead_id AND t.at >= a.at),"
		  " a.breached_at, a.reassigned_at, a.closed FROM assignments a WHERE a.closed = 0"
		  " ORDER BY a.id"
		: "SELECT a.id, a.lead_id, a.rep_id, a.at, a.hand_raiser, a.due_at, a.reassign_at,"
		  " coalesce(a.first_touch_at, CASE WHEN a.closed = 0 THEN (SELECT min(t.at)"
		  " FROM touches t WHERE t.lead_id = a.lead_id AND t.at >= a.at) END),"
		  " a.breached_at, a.reassigned_at, a.closed FROM assignments a ORDER BY a.id";
	if (sql_prepare(q->db, sql, &st) != SQL_OK)
		return db_error(q, err, "cannot read the assignments");
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_assignment a = {
			sql_column_int64(st, 0), sql_column_int64(st, 1),
			sql_column_int64(st, 2), sql_column_int64(st, 3),
			sql_column_int(st, 4) != 0, sql_column_int64(st, 5),
			sql_column_int64(st, 6), sql_column_int64(st, 7),
			sql_column_int64(st, 8), sql_column_int64(st, 9),
			sql_column_int(st, 10) != 0 };
		if ((r = fn(ctx, &a)))
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the assignments");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_approval_add(struct lf_store *s, const struct lf_approval *a,
					  struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	if (sql_prepare(q->db, "INSERT INTO model_approvals(version, token_id, token_name,"
			       " role, at) VALUES (?1,?2,?3,?4,?5)", &st) != SQL_OK)
		return db_error(q, err, "cannot record the approval");
	sql_bind_int(st, 1, a->version);
	sql_bind_int64(st, 2, a->token_id);
	bind_text(st, 3, a->token_name);
	bind_text(st, 4, a->role);
	sql_bind_int64(st, 5, a->at);
	if (sql_step(st) != SQL_DONE)
		r = db_error(q, err, "cannot record the approval");
	sql_finalize(st);
	return r;
}

static enum lf_result sqlite_approval_list(struct lf_store *s, int version, lf_approval_fn fn,
					   void *ctx, struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;
	if (sql_prepare(q->db, "SELECT version, token_id, token_name, role, at FROM"
			       " model_approvals WHERE version = ?1 ORDER BY id", &st) != SQL_OK)
		return db_error(q, err, "cannot read the approvals");
	sql_bind_int(st, 1, version);
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct lf_approval a = { sql_column_int(st, 0), sql_column_int64(st, 1),
					 col_text(st, 2), col_text(st, 3),
					 sql_column_int64(st, 4) };
		r = fn(ctx, &a);
		free(a.token_name);
		free(a.role);
		if (r)
			break;
	}
	if (!r && rc != SQL_DONE)
		r = db_error(q, err, "cannot read the approvals");
	sql_finalize(st);
	return r;
}

/* SQLite: no wake-ups between processes (one writer process, or a poll) */
static enum lf_result sqlite_listen(struct lf_store *s, bool *can, struct lf_error *err)
{
	(void)s;
	(void)err;
	*can = false;
	return LF_OK;
}

static enum lf_result sqlite_await_wake(struct lf_store *s, int timeout_ms, bool *woken,
					struct lf_error *err)
{
	(void)s;
	(void)timeout_ms;
	(void)err;
	*woken = false;
	return LF_OK;
}

static const struct lf_store_ops sqlite_ops = {
	.name = "sqlite",
	.schema_latest = LF_SQLITE_MIGRATIONS,
	.close = sqlite_close,
	.migrate = sqlite_migrate,
	.schema_version = sqlite_schema_version,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.lead_insert = sqlite_lead_insert,
	.lead_update = sqlite_lead_update,
	.lead_get = sqlite_lead_get,
	.lead_find = sqlite_lead_find,
	.lead_list = sqlite_lead_list,
	.lead_counts = sqlite_lead_counts,
	.lead_set_score = sqlite_lead_set_score,
	.lead_get_scoring = sqlite_lead_get_scoring,
	.lead_paths = sqlite_lead_paths,
	.report_paths = sqlite_report_paths,
	.report_signals = sqlite_report_signals,
	.report_efforts = sqlite_report_efforts,
	.report_decisions = sqlite_report_decisions,
	.report_rules = sqlite_report_rules,
	.report_forecast = sqlite_report_forecast,
	.report_recent_scores = sqlite_report_recent_scores,
	.aggregates_rebuild = sqlite_aggregates_rebuild,
	.aggregates_pause = sqlite_aggregates_pause,
	.scores_pause = sqlite_scores_pause,
	.scores_resume = sqlite_scores_resume,
	.gate_wakes = sqlite_gate_wakes,
	.work_counts = sqlite_work_counts,
	.rep_last_assigned = sqlite_rep_last_assigned,
	.event_insert = sqlite_event_insert,
	.event_insert_many = sqlite_event_insert_many,
	.answer_add = sqlite_answer_add,
	.answer_list = sqlite_answer_list,
	.answer_firsts = sqlite_answer_firsts,
	.leads_entered = sqlite_leads_entered,
	.leads_at = sqlite_leads_at,
	.sqls_unhanded = sqlite_sqls_unhanded,
	.handoff_outcomes = sqlite_handoff_outcomes,
	.spend_put = sqlite_spend_put,
	.spend_sum = sqlite_spend_sum,
	.report_values = sqlite_report_values,
	.report_events = sqlite_report_events,
	.report_last_touch = sqlite_report_last_touch,
	.cdp_identity = sqlite_cdp_identity,
	.cdp_link = sqlite_cdp_link,
	.cdp_hold = sqlite_cdp_hold,
	.cdp_take = sqlite_cdp_take,
	.stage_stays = sqlite_stage_stays,
	.recycle_outcomes = sqlite_recycle_outcomes,
	.event_get = sqlite_event_get,
	.event_list = sqlite_event_list,
	.touch_insert = sqlite_touch_insert,
	.touch_list = sqlite_touch_list,
	.transition_append = sqlite_transition_append,
	.transition_list = sqlite_transition_list,
	.rep_insert = sqlite_rep_insert,
	.rep_find = sqlite_rep_find,
	.rep_get = sqlite_rep_get,
	.lead_field_present = sqlite_lead_field_present,
	.rep_list = sqlite_rep_list,
	.model_add = sqlite_model_add,
	.model_get = sqlite_model_get,
	.model_list = sqlite_model_list,
	.model_set_status = sqlite_model_set_status,
	.truth_put = sqlite_truth_put,
	.truth_get = sqlite_truth_get,
	.lead_erase = sqlite_lead_erase,
	.audit = sqlite_audit,
	.token_insert = sqlite_token_insert,
	.token_get = sqlite_token_get,
	.token_list = sqlite_token_list,
	.token_revoke = sqlite_token_revoke,
	.session_insert = sqlite_session_insert,
	.session_get = sqlite_session_get,
	.session_end = sqlite_session_end,
	.webhook_insert = sqlite_webhook_insert,
	.webhook_list = sqlite_webhook_list,
	.webhook_delete = sqlite_webhook_delete,
	.outbox_add = sqlite_outbox_add,
	.outbox_claim = sqlite_outbox_claim,
	.outbox_next = sqlite_outbox_next,
	.outbox_attempt = sqlite_outbox_attempt,
	.delivery_list = sqlite_delivery_list,
	.autocheckpoint = sqlite_autocheckpoint,
	.lazy_commits = sqlite_lazy_commits,
	.lease = sqlite_lease,
	.set_lock_wait = sqlite_set_lock_wait,
	.checkpoint = sqlite_checkpoint,
	.log_length = sqlite_log_length,
	.log_file = sqlite_log_file,
	.rep_update = sqlite_rep_update,
	.held_load = sqlite_held_load,
	.rep_minutes = sqlite_rep_minutes,
	.gate_candidates = sqlite_gate_candidates,
	.lead_move = sqlite_lead_move,
	.routing_put = sqlite_routing_put,
	.routing_get = sqlite_routing_get,
	.gate_record = sqlite_gate_record,
	.gate_history = sqlite_gate_history,
	.webhook_wants = sqlite_webhook_wants,
	.assignment_add = sqlite_assignment_add,
	.assignment_update = sqlite_assignment_update,
	.assignments = sqlite_assignments,
	.approval_add = sqlite_approval_add,
	.approval_list = sqlite_approval_list,
	.listen = sqlite_listen,
	.await_wake = sqlite_await_wake,
};

/* A handle of either engine's operations, named as messages say it (owned), or NULL. */
static struct lf_sqlite_store *new_store(const struct lf_store_ops *ops, char *shown)
{
	struct lf_sqlite_store *q = shown ? calloc(1, sizeof(*q)) : NULL;
	if (!q) {
		free(shown);
		return NULL;
	}
	q->base.ops = ops;
	q->path = shown;
	return q;
}

/*
 * Process-wide SQLite settings, made once before the first connection:
 * without memory statistics every allocation SQLite makes skips a global
 * mutex, which a writer doing a million inserts feels.
 */
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * A database file this process may not write (a copy handed over, a
 * read-only mount) is still readable: opened read-only and immutable (no
 * log, no locks to take), so every command that reads works and one that
 * writes fails saying the file is read-only.
 */
static enum lf_result open_read_only(struct lf_sqlite_store *q, struct lf_store **out,
				     struct lf_error *err)
{
	char *uri = sqlite3_mprintf("file:%s?immutable=1", q->path);
	enum lf_result r = LF_OK;
	sqlite3 *db = NULL;
	if (!uri || sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		r = lf_error_set(err, LF_ERR_IO, "cannot open '%s' (read-only): %s", q->path,
				 db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_free(uri);
	if (!r && !(q->db = sql_sqlite_wrap(db)))
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if (r)
		sqlite3_close(db);
	if (!r) {
		sqlite3_extended_result_codes(db, 1);
		q->read_only = true;
		if ((r = exec(q, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
				 " PRAGMA temp_store=MEMORY", err)))
			lf_error_set(err, LF_ERR_IO, "cannot open '%s': %s", q->path,
				     sql_errmsg(q->db));
	}
	if (r) {
		sqlite_close(&q->base);
		return r;
	}
	*out = &q->base;
	return LF_OK;
}

enum lf_result lf_sqlite_open(const char *path, struct lf_store **out,
			      struct lf_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct lf_sqlite_store *q;
	enum lf_result r;

	pthread_once(&once, sqlite_configure);
	*out = NULL;
	if (!(q = new_store(&sqlite_ops, strdup(path))))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if (strcmp(path, ":memory:") && access(path, F_OK) == 0 && access(path, W_OK) != 0 &&
	    (errno == EACCES || errno == EROFS || errno == EPERM))
		return open_read_only(q, out, err);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				  SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		r = lf_error_set(err, LF_ERR_IO, "cannot open '%s': %s", path,
				 db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		goto fail;
	}
	if (!(q->db = sql_sqlite_wrap(db))) {
		sqlite3_close(db);
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	q->lock_wait_ms = 5000;
	sqlite3_busy_handler(db, wait_for_lock, q);
	/*
	 * WAL + FULL: a commit is on disk when it returns (SPEC 11). Temporary
	 * files in memory: a statement that fires triggers (held, the
	 * aggregates) keeps a statement journal, in memory no system call. But
	 * SQLite truncates that journal by walking it from the start, and under
	 * a long savepoint it holds every page written since: a bulk write in a
	 * nested transaction (an activation's rescore) drops the aggregates'
	 * triggers for its duration (lf_store_aggregates_pause), or each of
	 * its writes would cost as much as all the writes before it.
	 */
	if ((r = exec(q, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY", err))) {
		lf_error_set(err, LF_ERR_IO, "cannot open '%s': %s", path,
			     sql_errmsg(q->db));
		goto fail;
	}
	*out = &q->base;
	return LF_OK;
fail:
	sqlite_close(&q->base);
	return r;
}

/* --- PostgreSQL ------------------------------------------------------ */

/*
 * The same operations on PostgreSQL (sql_pq.c): what differs is the lock
 * wait (the server's lock_timeout), lazy commits (synchronous_commit off),
 * that there is no write-ahead log of ours to checkpoint, and wake-ups.
 */
static enum lf_result pg_set_lock_wait(struct lf_store *s, int64_t ms, struct lf_error *err)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "SET lock_timeout = %lld", (long long)(ms < 0 ? 0 : ms));
	sq(s)->lock_wait_ms = ms;
	return exec(sq(s), sql, err);
}

/* a commit returns before it is on the server's disk; a crash of the server may lose it */
static enum lf_result pg_lazy_commits(struct lf_store *s, struct lf_error *err)
{
	return exec(sq(s), "SET synchronous_commit = off", err);
}

/* the server keeps its own log: nothing to hold back or copy */
static enum lf_result pg_autocheckpoint(struct lf_store *s, int64_t log_bound,
					struct lf_error *err)
{
	(void)s;
	(void)log_bound;
	(void)err;
	return LF_OK;
}

/* PostgreSQL keeps its own log. */
static enum lf_result pg_log_length(struct lf_store *s, int64_t *bytes, struct lf_error *err)
{
	(void)s;
	(void)err;
	*bytes = 0;
	return LF_OK;
}

static enum lf_result pg_checkpoint(struct lf_store *s, int *left, struct lf_error *err)
{
	(void)s;
	(void)err;
	if (left)
		*left = 0;
	return LF_OK;
}

/* a COMMIT returns once the server has it on disk: nothing to sync apart */
static enum lf_result pg_log_file(struct lf_store *s, char **path, struct lf_error *err)
{
	*path = NULL;
	return lf_error_set(err, LF_ERR_NOT_FOUND, "'%s': commits sync themselves", sq(s)->path);
}

/* PostgreSQL: the channel the schema's triggers notify (schema_pg.c) */
static enum lf_result pg_listen(struct lf_store *s, bool *can, struct lf_error *err)
{
	*can = true;
	return exec(sq(s), "LISTEN " LF_PG_WAKE_CHANNEL, err);
}

static enum lf_result pg_await_wake(struct lf_store *s, int timeout_ms, bool *woken,
				    struct lf_error *err)
{
	struct lf_sqlite_store *q = sq(s);
	if (sql_pq_await(q->db, timeout_ms, woken) != SQL_OK)
		return lf_error_set(err, LF_ERR_STORE, "'%s': %s", q->path, sql_errmsg(q->db));
	return LF_OK;
}

/*
 * A transaction left waiting for its client's next statement for 10 s is
 * ended by the server (unless the role, the database or the URI's options
 * set a limit of their own): a server whose link to the database is cut
 * while it holds the writers' lock would otherwise hold every other
 * server's writes until PostgreSQL noticed the link gone (its keepalives:
 * two hours by default). No transaction of leadflow's waits on its client
 * that long: each runs its statements back to back.
 */
static enum lf_result pg_idle_limit(struct lf_sqlite_store *q, struct lf_error *err)
{
	struct sql_stmt *st = NULL;
	bool unset;
	if (sql_prepare(q->db, "SELECT current_setting('idle_in_transaction_session_timeout')"
			       " = '0'", &st) != SQL_OK || sql_step(st) != SQL_ROW) {
		sql_finalize(st);
		return db_error(q, err, "cannot read the session's settings");
	}
	unset = sql_column_int(st, 0) != 0;
	sql_finalize(st);
	return unset ? exec(q, "SET idle_in_transaction_session_timeout = 10000", err) : LF_OK;
}

static struct lf_store_ops pg_ops;

static void pg_configure(void)
{
	pg_ops = sqlite_ops;
	pg_ops.name = "postgresql";
	pg_ops.failure_spoils = true;
	pg_ops.schema_latest = lf_pg_schema.base + lf_pg_schema.count - 1;  /* steps_of */
	pg_ops.set_lock_wait = pg_set_lock_wait;
	pg_ops.lazy_commits = pg_lazy_commits;
	pg_ops.log_file = pg_log_file;
	pg_ops.autocheckpoint = pg_autocheckpoint;
	pg_ops.checkpoint = pg_checkpoint;
	pg_ops.log_length = pg_log_length;
	pg_ops.listen = pg_listen;
	pg_ops.await_wake = pg_await_wake;
}


enum lf_result lf_pg_open(const char *target, struct lf_store **out, struct lf_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct lf_sqlite_store *q;
	char msg[512];
	enum lf_result r;

	pthread_once(&once, pg_configure);
	*out = NULL;
	if (!(q = new_store(&pg_ops, lf_store_target_shown(target))))
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	if (sql_pq_open(target, &q->db, msg, sizeof(msg)) != SQL_OK) {
		r = lf_error_set(err, LF_ERR_IO, "cannot connect to '%s': %s", q->path, msg);
		sqlite_close(&q->base);
		return r;
	}
	if ((r = exec(q, "SET client_min_messages = warning", err)) ||
	    (r = pg_set_lock_wait(&q->base, 5000, err)) || (r = pg_idle_limit(q, err))) {
		sqlite_close(&q->base);
		return r;
	}
	*out = &q->base;
	return LF_OK;
}

struct sql *lf_store_sql(struct lf_store *s)
{
	return sq(s)->db;
}
