/*
 * test_store_pg.c - runs the store contract against the PostgreSQL backend,
 * plus what only a server database shows: the database itself refuses an
 * edit of the transitions table, and a second connection sees the first
 * one's commits. LEADFLOW_PG names a database (tests/pg/cluster.sh makes a
 * throwaway cluster and sets it); each case gets a fresh copy of it,
 * migrated once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_contract.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *uri;      /* the migrated template */
static char case_uri[1024];  /* the copy a case works on */

/* Runs sql on the cluster's maintenance database. */
static int admin(const char *sql)
{
	const char *keys[] = { "dbname", "dbname", NULL };
	const char *vals[] = { uri, "postgres", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	return ok ? 0 : -1;
}

static struct lf_store *make_pg_store(void)
{
	struct lf_store *s;
	struct lf_error err;
	if (admin("DROP DATABASE IF EXISTS lf_case") ||
	    admin("CREATE DATABASE lf_case TEMPLATE leadflow"))
		return NULL;
	if (lf_store_open(case_uri, &s, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return NULL;
	}
	return s;
}

static void test_sql_edit_of_transitions_refused(void **state)
{
	struct lf_store *s = make_pg_store();
	struct lf_transition t = { .from = LF_STAGE_LEAD, .to = LF_STAGE_MQL, .actor = "model",
				   .at = 1700000000000, .note = "first" };
	struct lf_error err;
	(void)state;
	assert_non_null(s);
	t.lead_id = contract_lead(s, "x-1", "x1@example.com");
	assert_int_equal(lf_store_transition_append(s, &t, &err), LF_OK);
	lf_store_close(s);

	PGconn *c = PQconnectdb(case_uri);
	PGresult *res = PQexec(c, "UPDATE transitions SET to_stage = 'won'");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	assert_non_null(strstr(PQresultErrorMessage(res), "append-only"));
	PQclear(res);
	res = PQexec(c, "DELETE FROM transitions");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);
	/* erasure's one change: a note cleared */
	res = PQexec(c, "UPDATE transitions SET note = NULL");
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	PQfinish(c);
}

static void test_second_connection_sees_commits(void **state)
{
	struct lf_store *a = make_pg_store(), *b;
	struct lf_error err;
	struct lf_lead l;
	(void)state;
	assert_non_null(a);
	assert_int_equal(lf_store_open(case_uri, &b, &err), LF_OK);
	assert_int_equal(lf_store_begin(a, &err), LF_OK);
	int64_t id = contract_lead(a, "x-2", "x2@example.com");
	/* not yet committed: the other connection does not see it */
	assert_int_equal(lf_store_lead_get(b, id, &l, &err), LF_ERR_NOT_FOUND);
	assert_int_equal(lf_store_commit(a, &err), LF_OK);
	assert_int_equal(lf_store_lead_get(b, id, &l, &err), LF_OK);
	assert_string_equal(l.email, "x2@example.com");
	lf_lead_release(&l);
	/* the same key from the other connection: a conflict naming the column */
	contract_make_lead(&l, "x-3", "x2@example.com");
	assert_int_equal(lf_store_lead_insert(b, &l, &err), LF_ERR_CONFLICT);
	assert_string_equal(err.field, "email");
	lf_lead_release(&l);
	lf_store_close(a);
	lf_store_close(b);
}

/* the urls of the deliveries claimed, in order, comma-separated */
static enum lf_result note_claimed(void *ctx, const struct lf_delivery *d)
{
	char *urls = ctx;
	size_t n = strlen(urls);
	snprintf(urls + n, 64 - n, "%s%s", n ? "," : "", d->url);
	return LF_OK;
}

static void must(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	assert_true(PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK);
	PQclear(res);
}

/*
 * Another server's claim under way (its row lock on a subscription) is
 * skipped, not waited for; a writer's transaction open (the writers' lock)
 * does not hold a claim back either.
 */
static void test_claims_skip_locked(void **state)
{
	struct lf_store *s = make_pg_store(), *w;
	struct lf_error err;
	struct lf_webhook a = { .url = "http://a/", .secret = "k1", .types = "lead.mql" };
	struct lf_webhook b = { .url = "http://b/", .secret = "k2", .types = "lead.mql" };
	char got[64] = "";
	int queued;
	(void)state;
	assert_non_null(s);
	assert_int_equal(lf_store_webhook_insert(s, &a, &err), LF_OK);
	assert_int_equal(lf_store_webhook_insert(s, &b, &err), LF_OK);
	assert_int_equal(lf_store_outbox_add(s, "lead.mql", 1000, "{}", &queued, &err), LF_OK);
	assert_int_equal(queued, 2);

	assert_int_equal(lf_store_open(case_uri, &w, &err), LF_OK);
	assert_int_equal(lf_store_begin(w, &err), LF_OK);    /* a writer at work */
	PGconn *c = PQconnectdb(case_uri);
	must(c, "BEGIN");
	must(c, "SELECT id FROM webhooks WHERE url = 'http://a/' FOR UPDATE");
	assert_int_equal(lf_store_outbox_claim(s, 2000, 60000, 10, note_claimed, got, &err),
			 LF_OK);
	assert_string_equal(got, "http://b/");
	must(c, "ROLLBACK");
	*got = 0;
	assert_int_equal(lf_store_outbox_claim(s, 2000, 60000, 10, note_claimed, got, &err),
			 LF_OK);
	assert_string_equal(got, "http://a/");
	lf_store_rollback(w);
	PQfinish(c);
	lf_store_close(w);
	lf_store_close(s);
}

/*
 * A long import's batches in one transaction: each batch's rows are told
 * apart from the earlier ones' left in the staging table, and the table
 * emptied on the way (past 32768 rows) loses nothing of the next batch.
 */
static void test_many_batches_in_one_transaction(void **state)
{
	struct lf_store *s = make_pg_store();
	struct lf_error err;
	static struct lf_event e[512];
	static char ids[512][24];
	bool ins[512];
	int64_t lead;
	int new_ones = 0;
	(void)state;
	assert_non_null(s);
	lead = contract_lead(s, "b-1", "b1@example.com");
	assert_int_equal(lf_store_begin(s, &err), LF_OK);
	for (int b = 0; b < 70; b++) {
		for (int i = 0; i < 512; i++) {
			/* every batch repeats the previous one's last 12 ids */
			snprintf(ids[i], sizeof(ids[i]), "b-%d", b * 500 + i);
			e[i] = (struct lf_event){ .id = ids[i], .lead_id = lead, .type = "page_view",
						  .occurred_at = 1000 + i };
		}
		assert_int_equal(lf_store_event_insert_many(s, e, 512, ins, &err), LF_OK);
		for (int i = 0; i < 512; i++) {
			assert_int_equal(ins[i], b == 0 || i >= 12);
			new_ones += ins[i];
		}
	}
	assert_int_equal(lf_store_commit(s, &err), LF_OK);
	assert_int_equal(new_ones, 69 * 500 + 512);
	PGconn *c = PQconnectdb(case_uri);
	PGresult *res = PQexec(c, "SELECT count(*) FROM events");
	assert_int_equal(atoi(PQgetvalue(res, 0, 0)), new_ones);
	PQclear(res);
	PQfinish(c);
	lf_store_close(s);
}

static void test_bad_target(void **state)
{
	struct lf_store *s;
	struct lf_error err;
	(void)state;
	assert_int_equal(lf_store_open("postgresql://someone:secret@/nowhere?host=/nonexistent",
				       &s, &err), LF_ERR_IO);
	assert_non_null(strstr(err.msg, "cannot connect to"));
	/* the password is not repeated in the message */
	assert_null(strstr(err.msg, "secret"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_edit_of_transitions_refused),
		cmocka_unit_test(test_second_connection_sees_commits),
		cmocka_unit_test(test_claims_skip_locked),
		cmocka_unit_test(test_many_batches_in_one_transaction),
		cmocka_unit_test(test_bad_target),
	};
	struct lf_store *s;
	struct lf_error err;
	const char *path;
	int fails;

	if (!(uri = getenv("LEADFLOW_PG"))) {
		fprintf(stderr, "LEADFLOW_PG is not set: run through tests/pg/cluster.sh run\n");
		return 1;
	}
	/* the case database: the template's URI with another database name */
	if (!(path = strstr(uri, "/leadflow")) ||
	    snprintf(case_uri, sizeof(case_uri), "%.*s/lf_case%s", (int)(path - uri), uri,
		     path + 9) >= (int)sizeof(case_uri)) {
		fprintf(stderr, "LEADFLOW_PG should name the database leadflow: %s\n", uri);
		return 1;
	}
	if (lf_store_open(uri, &s, &err) || lf_store_migrate(s, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	lf_store_close(s);
	fails = store_contract_run("store contract: postgresql", make_pg_store);
	fails += cmocka_run_group_tests_name("postgresql only", tests, NULL, NULL);
	return fails ? 1 : 0;
}
