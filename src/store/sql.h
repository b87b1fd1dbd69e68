/*
 * sql.h - one interface to the SQL engines the store runs on (SQLite,
 * PostgreSQL through libpq), so that the store's operations (sqlite.c) are
 * written once: prepare a statement, bind its parameters ?1..?N, step its
 * rows, read their columns, reset it for the next call.
 *
 * What each engine keeps the same:
 * - a statement's rows stay readable until the next step or reset, and the
 *   connection may run other statements between two steps (a callback
 *   writing while a list streams);
 * - text bound is read at the next step, so it must live until then;
 * - an error is kept on the connection (sql_fault, sql_errmsg) until the
 *   next call.
 */
#ifndef LF_STORE_SQL_H
#define LF_STORE_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SQL_OK = 0, SQL_ERROR = 1, SQL_ROW = 100, SQL_DONE = 101 };

/* What went wrong, as the store tells its callers. */
enum sql_fault {
	SQL_FAULT_OTHER,
	SQL_FAULT_UNIQUE,      /* a unique key taken: sql_fault_column names it */
	SQL_FAULT_FOREIGN_KEY, /* a reference to a row that does not exist */
	SQL_FAULT_RULE,        /* a check, a NOT NULL or a trigger refused it */
	SQL_FAULT_NOMEM,
	SQL_FAULT_READ_ONLY,
};

enum sql_dialect { SQL_SQLITE, SQL_POSTGRES };

struct sql;
struct sql_stmt;

struct sql_driver {
	enum sql_dialect dialect;
	int (*prepare)(struct sql *, const char *, bool keep, struct sql_stmt **);
	void (*bind_int64)(struct sql_stmt *, int, int64_t);
	void (*bind_double)(struct sql_stmt *, int, double);
	void (*bind_text)(struct sql_stmt *, int, const char *, bool copy);
	void (*bind_blob)(struct sql_stmt *, int, const void *, size_t);
	void (*bind_null)(struct sql_stmt *, int);
	int (*step)(struct sql_stmt *);
	bool (*column_null)(struct sql_stmt *, int);
	int64_t (*column_int64)(struct sql_stmt *, int);
	double (*column_double)(struct sql_stmt *, int);
	const char *(*column_text)(struct sql_stmt *, int);
	const void *(*column_blob)(struct sql_stmt *, int, size_t *);
	void (*reset)(struct sql_stmt *);
	void (*finalize)(struct sql_stmt *);
	int64_t (*changes)(struct sql *);
	int (*exec)(struct sql *, const char *);
	enum sql_fault (*fault)(struct sql *);
	const char *(*errmsg)(struct sql *);
	const char *(*fault_column)(struct sql *);
	void (*close)(struct sql *);
};

struct sql {
	const struct sql_driver *drv;
};

struct sql_stmt {
	struct sql *db;
};

/* keep: prepared once and kept for many calls (the engine may plan it once) */
static inline int sql_prepare(struct sql *db, const char *text, struct sql_stmt **out)
{
	return db->drv->prepare(db, text, false, out);
}
static inline int sql_prepare_kept(struct sql *db, const char *text, struct sql_stmt **out)
{
	return db->drv->prepare(db, text, true, out);
}
static inline enum sql_dialect sql_dialect(const struct sql *db)
{
	return db->drv->dialect;
}
static inline void sql_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
	st->db->drv->bind_int64(st, i, v);
}
static inline void sql_bind_int(struct sql_stmt *st, int i, int v)
{
	st->db->drv->bind_int64(st, i, v);
}
static inline void sql_bind_double(struct sql_stmt *st, int i, double v)
{
	st->db->drv->bind_double(st, i, v);
}
/* text that lives until the next step; NULL binds NULL */
static inline void sql_bind_text(struct sql_stmt *st, int i, const char *v)
{
	st->db->drv->bind_text(st, i, v, false);
}
/* text copied at once */
static inline void sql_bind_text_copy(struct sql_stmt *st, int i, const char *v)
{
	st->db->drv->bind_text(st, i, v, true);
}
static inline void sql_bind_blob(struct sql_stmt *st, int i, const void *p, size_t n)
{
	st->db->drv->bind_blob(st, i, p, n);
}
static inline void sql_bind_null(struct sql_stmt *st, int i)
{
	st->db->drv->bind_null(st, i);
}
static inline int sql_step(struct sql_stmt *st)
{
	return st->db->drv->step(st);
}
static inline bool sql_column_null(struct sql_stmt *st, int i)
{
	return st->db->drv->column_null(st, i);
}
static inline int64_t sql_column_int64(struct sql_stmt *st, int i)
{
	return st->db->drv->column_int64(st, i);
}
static inline int sql_column_int(struct sql_stmt *st, int i)
{
	return (int)st->db->drv->column_int64(st, i);
}
static inline double sql_column_double(struct sql_stmt *st, int i)
{
	return st->db->drv->column_double(st, i);
}
/* NULL for NULL; valid until the next step or reset */
static inline const char *sql_column_text(struct sql_stmt *st, int i)
{
	return st->db->drv->column_text(st, i);
}
static inline const void *sql_column_blob(struct sql_stmt *st, int i, size_t *n)
{
	return st->db->drv->column_blob(st, i, n);
}
/* ready for the next call: rows dropped, parameters cleared */
static inline void sql_reset(struct sql_stmt *st)
{
	st->db->drv->reset(st);
}
static inline void sql_finalize(struct sql_stmt *st)
{
	if (st)
		st->db->drv->finalize(st);
}
/* rows the last INSERT, UPDATE or DELETE changed */
static inline int64_t sql_changes(struct sql *db)
{
	return db->drv->changes(db);
}
/* statements separated by ';', no parameters; SQL_OK or SQL_ERROR */
static inline int sql_exec(struct sql *db, const char *text)
{
	return db->drv->exec(db, text);
}
static inline enum sql_fault sql_fault(struct sql *db)
{
	return db->drv->fault(db);
}
static inline const char *sql_errmsg(struct sql *db)
{
	return db->drv->errmsg(db);
}
static inline const char *sql_fault_column(struct sql *db)
{
	return db->drv->fault_column(db);
}
static inline void sql_close(struct sql *db)
{
	if (db)
		db->drv->close(db);
}

/* The SQLite engine: a connection opened by the caller, owned from here on. */
struct sqlite3;
struct sql *sql_sqlite_wrap(struct sqlite3 *db);
struct sqlite3 *sql_sqlite_handle(struct sql *db);

/*
 * The PostgreSQL engine: target is a libpq connection string or URI
 * ("postgresql://user@host/db"); on failure, msg says why.
 */
int sql_pq_open(const char *target, struct sql **out, char *msg, size_t size);
/* COPY ... FROM STDIN (text format): begun by stmt, fed rows, ended and checked */
int sql_pq_copy_begin(struct sql *db, const char *stmt);
int sql_pq_copy_put(struct sql *db, const char *data, size_t n);
int sql_pq_copy_end(struct sql *db);
/* text as a value of COPY's text format (backslash, tab, newline, CR escaped) */
struct lf_buf;
void sql_pq_copy_text(struct lf_buf *b, const char *text);
/* waits up to timeout_ms for a notification on a channel listened to */
int sql_pq_await(struct sql *db, int timeout_ms, bool *got);

#endif
