/*
 * sql_sqlite.c - the SQLite engine behind sql.h: each call is SQLite's
 * own, with the rows streamed as SQLite steps them.
 */
#include "store/sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct lite {
	struct sql base;
	sqlite3 *db;
};

struct lite_stmt {
	struct sql_stmt base;
	sqlite3_stmt *st;
};

static sqlite3 *db_of(struct sql *db)
{
	return ((struct lite *)db)->db;
}

static sqlite3_stmt *st_of(struct sql_stmt *st)
{
	return ((struct lite_stmt *)st)->st;
}

static int lite_prepare(struct sql *db, const char *text, bool keep, struct sql_stmt **out)
{
	struct lite_stmt *w = calloc(1, sizeof(*w));
	*out = NULL;
	if (!w)
		return SQL_ERROR;
	w->base.db = db;
	if (sqlite3_prepare_v3(db_of(db), text, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
			       &w->st, NULL) != SQLITE_OK) {
		free(w);
		return SQL_ERROR;
	}
	*out = &w->base;
	return SQL_OK;
}

static void lite_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st_of(st), i, v);
}

static void lite_bind_double(struct sql_stmt *st, int i, double v)
{
	sqlite3_bind_double(st_of(st), i, v);
}

static void lite_bind_text(struct sql_stmt *st, int i, const char *v, bool copy)
{
	if (v)
		sqlite3_bind_text(st_of(st), i, v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
	else
		sqlite3_bind_null(st_of(st), i);
}

static void lite_bind_blob(struct sql_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob(st_of(st), i, p, (int)n, SQLITE_STATIC);
}

static void lite_bind_null(struct sql_stmt *st, int i)
{
	sqlite3_bind_null(st_of(st), i);
}

static int lite_step(struct sql_stmt *st)
{
	int rc = sqlite3_step(st_of(st));
	return rc == SQLITE_ROW ? SQL_ROW : rc == SQLITE_DONE ? SQL_DONE : SQL_ERROR;
}

static bool lite_column_null(struct sql_stmt *st, int i)
{
	return sqlite3_column_type(st_of(st), i) == SQLITE_NULL;
}

static int64_t lite_column_int64(struct sql_stmt *st, int i)
{
	return sqlite3_column_int64(st_of(st), i);
}

static double lite_column_double(struct sql_stmt *st, int i)
{
	return sqlite3_column_double(st_of(st), i);
}

static const char *lite_column_text(struct sql_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st_of(st), i);
}

static const void *lite_column_blob(struct sql_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(st_of(st), i);
	*n = (size_t)sqlite3_column_bytes(st_of(st), i);
	return p;
}

static void lite_reset(struct sql_stmt *st)
{
	sqlite3_reset(st_of(st));
	sqlite3_clear_bindings(st_of(st));
}

static void lite_finalize(struct sql_stmt *st)
{
	sqlite3_finalize(st_of(st));
	free(st);
}

static int64_t lite_changes(struct sql *db)
{
	return sqlite3_changes(db_of(db));
}

static int lite_exec(struct sql *db, const char *text)
{
	return sqlite3_exec(db_of(db), text, NULL, NULL, NULL) == SQLITE_OK ? SQL_OK : SQL_ERROR;
}

static enum sql_fault lite_fault(struct sql *db)
{
	switch (sqlite3_extended_errcode(db_of(db))) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return SQL_FAULT_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return SQL_FAULT_FOREIGN_KEY;
	case SQLITE_CONSTRAINT_TRIGGER:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return SQL_FAULT_RULE;
	case SQLITE_NOMEM:
		return SQL_FAULT_NOMEM;
	case SQLITE_READONLY:
		return SQL_FAULT_READ_ONLY;
	default:
		return SQL_FAULT_OTHER;
	}
}

static const char *lite_errmsg(struct sql *db)
{
	return sqlite3_errmsg(db_of(db));
}

/* "UNIQUE constraint failed: leads.email": the column after the table */
static const char *lite_fault_column(struct sql *db)
{
	const char *dot = strrchr(sqlite3_errmsg(db_of(db)), '.');
	return dot ? dot + 1 : NULL;
}

static void lite_close(struct sql *db)
{
	sqlite3_close(db_of(db));
	free(db);
}

static const struct sql_driver lite_driver = {
	.dialect = SQL_SQLITE,
	.prepare = lite_prepare,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.column_null = lite_column_null,
	.column_int64 = lite_column_int64,
	.column_double = lite_column_double,
	.column_text = lite_column_text,
	.column_blob = lite_column_blob,
	.reset = lite_reset,
	.finalize = lite_finalize,
	.changes = lite_changes,
	.exec = lite_exec,
	.fault = lite_fault,
	.errmsg = lite_errmsg,
	.fault_column = lite_fault_column,
	.close = lite_close,
};

struct sql *sql_sqlite_wrap(sqlite3 *db)
{
	struct lite *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->base.drv = &lite_driver;
	w->db = db;
	return &w->base;
}

sqlite3 *sql_sqlite_handle(struct sql *db)
{
	return db_of(db);
}
