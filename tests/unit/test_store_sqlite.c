/*
 * test_store_sqlite.c - runs the store contract against the SQLite backend,
 * plus what only SQLite can show: the database itself refuses an edit of the
 * transitions table, and a file database keeps its data across a reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_contract.h"
#include "store/migrations.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct lf_store *make_memory_store(void)
{
	struct lf_store *s;
	struct lf_error err;
	if (lf_store_open("sqlite::memory:", &s, &err) ||
	    lf_store_migrate(s, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return NULL;
	}
	return s;
}

static char dbpath[64];

static void test_sql_edit_of_transitions_refused(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_lead l;
	sqlite3 *db;
	char *msg = NULL;
	(void)state;

	unlink(dbpath);
	assert_int_equal(lf_store_open(dbpath, &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	lf_lead_init(&l);
	l.created_at = l.updated_at = 1;
	assert_int_equal(lf_store_lead_insert(s, &l, &err), LF_OK);
	struct lf_transition t = { .lead_id = l.id, .from = LF_STAGE_LEAD,
				   .to = LF_STAGE_MQL, .actor = "system", .at = 1 };
	assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	lf_store_close(s);

	/* straight SQL, as a careless admin would try */
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE transitions SET to_stage='won'",
					  NULL, NULL, &msg), SQLITE_OK);
	assert_string_equal(msg, "transitions are append-only");
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM transitions", NULL, NULL, &msg),
			     SQLITE_OK);
	assert_string_equal(msg, "transitions are append-only");
	sqlite3_free(msg);
	sqlite3_close(db);

	/* the data is still there after a reopen */
	assert_int_equal(lf_store_open(dbpath, &s, &err), LF_OK);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(s, l.id, &l, &err), LF_OK);
	lf_lead_release(&l);
	lf_store_close(s);
	unlink(dbpath);
}

/* A database made by an older binary is brought up to date, data kept. */
static void test_migrates_old_schema(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	struct lf_lead l;
	sqlite3 *db;
	int v;
	(void)state;

	unlink(dbpath);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, lf_sqlite_migrations[0], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE schema_version(version INTEGER "
				      "PRIMARY KEY, applied_at INTEGER NOT NULL);"
				      "INSERT INTO schema_version VALUES (1, 0);"
				      "INSERT INTO leads(email, created_at, updated_at) "
				      "VALUES ('old@example.com', 1, 1);",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(lf_store_open(dbpath, &s, &err), LF_OK);
	assert_int_equal(lf_store_schema_version(s, &v, &err), LF_OK);
	assert_int_equal(v, 1);
	assert_int_equal(lf_store_migrate(s, &err), LF_OK);
	assert_int_equal(lf_store_schema_version(s, &v, &err), LF_OK);
	assert_int_equal(v, lf_store_schema_latest(s));
	assert_int_equal(lf_store_lead_find(s, LF_KEY_EMAIL, "old@example.com", &l, &err), LF_OK);
	assert_int_equal(l.hand_raiser_at, 0);
	lf_lead_release(&l);
	lf_store_close(s);
	unlink(dbpath);
}

static void test_open_bad_path(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	(void)state;
	assert_int_equal(lf_store_open("/nonexistent-dir/x.db", &s, &err), LF_ERR_IO);
	assert_non_null(strstr(err.msg, "cannot open '/nonexistent-dir/x.db'"));
	/* a PostgreSQL target goes to that backend (test_store_pg.c) */
	assert_int_equal(lf_store_open("postgres://h/db?host=/nonexistent", &s, &err), LF_ERR_IO);
	assert_non_null(strstr(err.msg, "cannot connect"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_edit_of_transitions_refused),
		cmocka_unit_test(test_migrates_old_schema),
		cmocka_unit_test(test_open_bad_path),
	};
	int fails;

	snprintf(dbpath, sizeof(dbpath), "/tmp/lf-store-test-%d.db", (int)getpid());
	fails = store_contract_run("store contract: sqlite", make_memory_store);
	fails += cmocka_run_group_tests_name("sqlite only", tests, NULL, NULL);
	return fails ? 1 : 0;
}
