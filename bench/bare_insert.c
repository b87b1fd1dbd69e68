/*
 * bare_insert.c - the baseline of bench/import.sh: the same event rows,
 * inserted straight into the same SQLite table with one prepared statement
 * in one durable transaction (WAL, synchronous=FULL, foreign keys on) and
 * nothing else. Reading and parsing the file is done first and not timed,
 * so the figure is what SQLite alone can take on this machine.
 *
 * usage: bench_bare_insert DB EVENTS.ndjson   (DB already holds the leads)
 * prints: bare_rows=N bare_seconds=S bare_rate=R
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leadflow/time.h>

struct row {
	char *id, *type, *props;
	int64_t lead_id, at;
};

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_bare_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *find, *ins;
	struct row *rows = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *line = NULL;
	FILE *f;
	double t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_bare_insert DB EVENTS.ndjson\n");
		return 2;
	}
	/* the same process-wide setting leadflow makes (store/sqlite.c) */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(db, "open");
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			     " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536",
			 NULL, NULL, NULL) != SQLITE_OK)
		die(db, "pragmas");
	if (sqlite3_prepare_v2(db, "SELECT id FROM leads WHERE external_id=?1", -1, &find,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO events(id, lead_id, type, occurred_at,"
				   " properties) VALUES (?1,?2,?3,?4,?5)", -1, &ins,
			       NULL) != SQLITE_OK)
		die(db, "prepare");
	if (!(f = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 1;
	}
	while (getline(&line, &len, f) > 0) {
		json_error_t e;
		json_t *o = json_loads(line, 0, &e);
		lf_time_ms at = 0;
		if (!o)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			rows = realloc(rows, cap * sizeof(*rows));
		}
		struct row *r = &rows[n++];
		r->id = strdup(json_string_value(json_object_get(o, "id")));
		r->type = strdup(json_string_value(json_object_get(o, "type")));
		r->props = json_dumps(json_object_get(o, "properties"),
				      JSON_COMPACT | JSON_SORT_KEYS);
		lf_time_parse(json_string_value(json_object_get(o, "occurred_at")), &at, NULL);
		r->at = at;
		sqlite3_bind_text(find, 1, json_string_value(json_object_get(o, "external_id")),
				  -1, SQLITE_TRANSIENT);
		r->lead_id = sqlite3_step(find) == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
		sqlite3_reset(find);
		json_decref(o);
	}
	fclose(f);
	free(line);

	t0 = lf_clock_seconds();
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "begin");
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(ins, 1, rows[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, rows[i].lead_id);
		sqlite3_bind_text(ins, 3, rows[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, rows[i].at);
		sqlite3_bind_text(ins, 5, rows[i].props, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die(db, "insert");
		sqlite3_reset(ins);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "commit");
	t1 = lf_clock_seconds();
	printf("bare_rows=%zu bare_seconds=%.3f bare_rate=%.0f\n", n, t1 - t0,
	       (double)n / (t1 - t0));
	for (size_t i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].type);
		free(rows[i].props);
	}
	free(rows);
	sqlite3_finalize(find);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
