/*
 * copy.c - lf_store_copy: a SQLite database into an empty PostgreSQL one,
 * for a team that outgrows the file (`leadflow migrate --to`).
 *
 * The tables a user's data lives in are copied as they are, ids included,
 * through COPY, with the target's triggers off; what is derived from them
 * (`held`, the reports' aggregates, the gate's wake-up) is then made again
 * there from the copied rows, and the identity counters are moved past the
 * copied ids. All in one transaction of the target: a failed copy leaves
 * it empty. Each table is then read back on both sides and compared: its
 * rows and a checksum that does not depend on their order (the sum of a
 * hash of each row's values, each written the same way on both engines).
 */
#include <leadflow/buf.h>
#include "store/backend.h"
#include "store/schema_pg.h"
#include "store/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* in the order their references need; the key their identity counts, if any */
static const struct {
	const char *name, *identity;
} tables[] = {
	{ "reps", "id" }, { "leads", "id" }, { "events", NULL }, { "touches", "id" },
	{ "transitions", "id" }, { "answers", "id" }, { "models", NULL }, { "demo_truth", NULL },
	{ "spend", NULL }, { "cdp_identities", NULL }, { "cdp_pending", NULL },
	{ "lead_touches", NULL },
	{ "tokens", "id" }, { "webhooks", "id" }, { "outbox", "id" },
	{ "delivery_log", "id" }, { "audit", "id" }, { "routing", "version" },
	{ "gate_history", "id" }, { "assignments", "id" }, { "model_approvals", "id" },
	{ "sessions", "id" },
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))
#define MAX_COLS 40

enum kind { K_INT, K_REAL, K_TEXT, K_BLOB };

struct layout {
	int n;
	char names[MAX_COLS][40];
	enum kind kinds[MAX_COLS];
};

static enum lf_result fail(struct sql *db, struct lf_error *err, const char *what,
			   const char *table)
{
	return lf_error_set(err, LF_ERR_STORE, "%s '%s': %s", what, table, sql_errmsg(db));
}

/* The columns of table in the source (SQLite), with the kind of each. */
static enum lf_result layout_of(struct sql *src, const char *table, struct layout *l,
				struct lf_error *err)
{
	char q[96];
	struct sql_stmt *st = NULL;
	int rc;
	l->n = 0;
	snprintf(q, sizeof(q), "SELECT name, upper(type) FROM pragma_table_info('%s')", table);
	if (sql_prepare(src, q, &st) != SQL_OK)
		return fail(src, err, "cannot read the columns of", table);
	while ((rc = sql_step(st)) == SQL_ROW && l->n < MAX_COLS) {
		const char *type = sql_column_text(st, 1);
		snprintf(l->names[l->n], sizeof(l->names[0]), "%s", sql_column_text(st, 0));
		l->kinds[l->n] = strstr(type, "INT") ? K_INT : strstr(type, "REAL") ? K_REAL
			       : strstr(type, "BLOB") ? K_BLOB : K_TEXT;
		l->n++;
	}
	sql_finalize(st);
	if (rc != SQL_DONE && rc != SQL_ROW)
		return fail(src, err, "cannot read the columns of", table);
	return l->n ? LF_OK : lf_error_set(err, LF_ERR_STORE, "no table '%s' in the source", table);
}

static void column_list(const struct layout *l, struct lf_buf *b)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			lf_buf_adds(b, ", ");
		lf_buf_adds(b, l->names[i]);
	}
}

/* Every row of table, its columns in l's order, prepared on db. */
static enum lf_result select_all(struct sql *db, const char *table, const struct layout *l,
				 struct sql_stmt **st, struct lf_error *err)
{
	struct lf_buf q = LF_BUF_INIT(4095);
	lf_buf_adds(&q, "SELECT ");
	column_list(l, &q);
	lf_buf_adds(&q, " FROM ");
	lf_buf_adds(&q, table);
	int rc = sql_prepare(db, lf_buf_str(&q), st);
	lf_buf_release(&q);
	return rc == SQL_OK ? LF_OK : fail(db, err, "cannot read", table);
}

/* One value as COPY's text format reads it (\N for NULL, escapes, bytea hex). */
static void copy_value(struct sql_stmt *st, int i, enum kind k, struct lf_buf *b)
{
	char num[40];
	if (sql_column_null(st, i)) {
		lf_buf_adds(b, "\\N");
		return;
	}
	switch (k) {
	case K_INT:
		snprintf(num, sizeof(num), "%lld", (long long)sql_column_int64(st, i));
		lf_buf_adds(b, num);
		return;
	case K_REAL:
		snprintf(num, sizeof(num), "%.17g", sql_column_double(st, i));
		lf_buf_adds(b, num);
		return;
	case K_BLOB: {
		size_t n;
		const unsigned char *p = sql_column_blob(st, i, &n);
		lf_buf_adds(b, "\\\\x");
		for (size_t j = 0; j < n; j++) {
			snprintf(num, sizeof(num), "%02x", p[j]);
			lf_buf_adds(b, num);
		}
		return;
	}
	case K_TEXT:
		sql_pq_copy_text(b, sql_column_text(st, i));
		return;
	}
}

static enum lf_result copy_table(struct sql *src, struct sql *dst, const char *table,
				  const struct layout *l, struct lf_error *err)
{
	struct lf_buf q = LF_BUF_INIT(4095), rows = LF_BUF_INIT(64 << 20);
	struct sql_stmt *st = NULL;
	enum lf_result r = LF_OK;
	int rc;

	if ((r = select_all(src, table, l, &st, err)))
		goto out;
	lf_buf_adds(&q, "COPY ");
	lf_buf_adds(&q, table);
	lf_buf_adds(&q, " (");
	column_list(l, &q);
	lf_buf_adds(&q, ") FROM STDIN");
	if (sql_pq_copy_begin(dst, lf_buf_str(&q)) != SQL_OK) {
		r = fail(dst, err, "cannot copy into", table);
		goto out;
	}
	while ((rc = sql_step(st)) == SQL_ROW) {
		for (int i = 0; i < l->n; i++) {
			if (i)
				lf_buf_adds(&rows, "\t");
			copy_value(st, i, l->kinds[i], &rows);
		}
		lf_buf_adds(&rows, "\n");
		if (rows.len >= (1 << 20)) {
			if (sql_pq_copy_put(dst, rows.data, rows.len) != SQL_OK)
				break;
			lf_buf_reset(&rows);
		}
	}
	if (rc != SQL_DONE && rc != SQL_ROW)
		r = fail(src, err, "cannot read", table);
	else if ((rows.len && sql_pq_copy_put(dst, rows.data, rows.len) != SQL_OK) ||
		 sql_pq_copy_end(dst) != SQL_OK)
		r = fail(dst, err, "cannot copy into", table);
	else if (rc == SQL_ROW)
		r = fail(dst, err, "cannot copy into", table);
out:
	sql_finalize(st);
	lf_buf_release(&q);
	lf_buf_release(&rows);
	return r;
}

/* FNV-1a, 64 bits */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}

/* The rows of table on db and the sum of their hashes. */
static enum lf_result checksum(struct sql *db, const char *table, const struct layout *l,
			       int64_t *rows, uint64_t *sum, struct lf_error *err)
{
	struct sql_stmt *st = NULL;
	enum lf_result r;
	int rc;

	*rows = 0;
	*sum = 0;
	if ((r = select_all(db, table, l, &st, err)))
		return r;
	while ((rc = sql_step(st)) == SQL_ROW) {
		uint64_t h = 14695981039346656037ULL;
		char num[40];
		for (int i = 0; i < l->n; i++) {
			h = fnv(h, "\x1f", 1);
			if (sql_column_null(st, i)) {
				h = fnv(h, "\\N", 2);
			} else if (l->kinds[i] == K_INT) {
				snprintf(num, sizeof(num), "%lld", (long long)sql_column_int64(st, i));
				h = fnv(h, num, strlen(num));
			} else if (l->kinds[i] == K_REAL) {
				snprintf(num, sizeof(num), "%.17g", sql_column_double(st, i));
				h = fnv(h, num, strlen(num));
			} else if (l->kinds[i] == K_BLOB) {
				size_t n;
				const void *p = sql_column_blob(st, i, &n);
				h = fnv(h, p, n);
			} else {
				const char *t = sql_column_text(st, i);
				h = fnv(h, t, strlen(t));
			}
		}
		*sum += h;
		(*rows)++;
	}
	if (rc != SQL_DONE)
		r = fail(db, err, "cannot read", table);
	sql_finalize(st);
	return r;
}

static enum lf_result exec(struct sql *db, const char *text, const char *what,
			   struct lf_error *err)
{
	if (sql_exec(db, text) != SQL_OK)
		return lf_error_set(err, LF_ERR_STORE, "%s: %s", what, sql_errmsg(db));
	return LF_OK;
}

enum lf_result lf_store_copy(struct lf_store *from, struct lf_store *to, lf_copy_fn fn,
			     void *ctx, struct lf_error *err)
{
	struct sql *src = lf_store_sql(from), *dst = lf_store_sql(to);
	struct layout l;
	enum lf_result r;
	char q[256];

	if (sql_dialect(src) != SQL_SQLITE || sql_dialect(dst) != SQL_POSTGRES)
		return lf_error_set(err, LF_ERR_USAGE, "a copy goes from a SQLite database to a "
				    "PostgreSQL one");
	struct sql_stmt *st = NULL;
	bool empty = sql_prepare(dst, "SELECT NOT EXISTS (SELECT 1 FROM leads) AND NOT EXISTS"
				 " (SELECT 1 FROM reps) AND NOT EXISTS (SELECT 1 FROM models)"
				 " AND NOT EXISTS (SELECT 1 FROM tokens)", &st) == SQL_OK &&
		     sql_step(st) == SQL_ROW && sql_column_int(st, 0);
	sql_finalize(st);
	if (!empty)
		return lf_error_set(err, LF_ERR_USAGE, "the target database already holds leads, "
				    "reps, models or tokens: a copy goes into an empty one");
	if ((r = exec(dst, "BEGIN", "cannot begin the copy", err)))
		return r;
	for (size_t t = 0; t < NTABLES && !r; t++) {
		snprintf(q, sizeof(q), "ALTER TABLE %s DISABLE TRIGGER USER", tables[t].name);
		if (!(r = layout_of(src, tables[t].name, &l, err)) &&
		    !(r = exec(dst, q, "cannot set the triggers aside", err)))
			r = copy_table(src, dst, tables[t].name, &l, err);
	}
	for (size_t t = 0; t < NTABLES && !r; t++) {
		snprintf(q, sizeof(q), "ALTER TABLE %s ENABLE TRIGGER USER", tables[t].name);
		r = exec(dst, q, "cannot put the triggers back", err);
		if (!r && tables[t].identity) {
			snprintf(q, sizeof(q), "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
				 " greatest(coalesce(max(%s), 0), 1), max(%s) IS NOT NULL) FROM %s",
				 tables[t].name, tables[t].identity, tables[t].identity,
				 tables[t].identity, tables[t].name);
			r = exec(dst, q, "cannot move the ids on", err);
		}
	}
	if (!r && !(r = exec(dst, lf_pg_schema.held_fill, "cannot make `held` again", err)))
		r = exec(dst, lf_pg_schema.agg_rebuild, "cannot make the aggregates again", err);
	if (r || (r = exec(dst, "COMMIT", "cannot commit the copy", err))) {
		sql_exec(dst, "ROLLBACK");
		return r;
	}
	/* read back: every table's rows and checksum on both sides */
	for (size_t t = 0; t < NTABLES && !r; t++) {
		int64_t n1, n2;
		uint64_t c1, c2;
		if ((r = layout_of(src, tables[t].name, &l, err)) ||
		    (r = checksum(src, tables[t].name, &l, &n1, &c1, err)) ||
		    (r = checksum(dst, tables[t].name, &l, &n2, &c2, err)))
			break;
		if (n1 != n2 || c1 != c2)
			r = lf_error_set(err, LF_ERR_STORE, "table '%s' differs after the copy: "
					 "%lld rows (checksum %016llx) in the source, %lld "
					 "(%016llx) in the target", tables[t].name,
					 (long long)n1, (unsigned long long)c1, (long long)n2,
					 (unsigned long long)c2);
		else if (fn)
			r = fn(ctx, tables[t].name, n1, c1);
	}
	return r;
}
