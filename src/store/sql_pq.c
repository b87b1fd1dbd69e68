/*
 * sql_pq.c - the PostgreSQL engine behind sql.h, through libpq.
 *
 * A statement's ?N parameters become $N. Its parameters are sent as text
 * (a blob as bytes), typed by what was bound (int8, float8, text, bytea;
 * a NULL left for the server to infer from where it is used); a parameter
 * number the text does not use is sent as a typed NULL, so that a
 * statement may leave some out as SQLite allows. A statement kept for many calls is prepared on the
 * server at its first run, under a name of its own.
 *
 * Rows: the whole result of a step is received before the first row is
 * handed over, so that the connection is free for the callers' writes
 * between two rows (the store's lists call back into the store).
 *
 * A lost connection (a restart or failover of the server, a cut link) is
 * made again at the next statement outside a transaction, with the
 * session's settings (SET ...) again and the kept statements prepared
 * again. One lost inside a transaction fails every statement until the
 * caller's ROLLBACK: the server dropped the transaction with the link, and
 * nothing may run as if it were still open (it would commit on its own).
 */
#include <leadflow/buf.h>
#include "store/sql.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PQ_MAX_PARAMS 32
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701
#define OID_BYTEA 17

struct pq {
	struct sql base;
	PGconn *conn;
	int64_t changes;
	int names;             /* statements prepared so far, for their names */
	char *error;           /* the last error's message */
	char state[6];         /* its SQLSTATE */
	char *column;          /* the unique key it names, if any */
	char *spoiled;         /* the error that spoiled the open transaction */
	bool in_tx;            /* a transaction was open when last seen */
	int generation;        /* connections made again so far */
	bool remaking;         /* a connection is being made again (PQresetStart) */
	int64_t remake_began;  /* when, on the monotonic clock, in ms */
	char *settings[8];     /* the session's SET commands, made again with it */
};

struct pq_param {
	Oid type;
	int format;            /* 0 text, 1 binary */
	int length;
	const char *value;     /* NULL: SQL NULL */
	char *owned;           /* a copy this statement frees */
	char number[32];
};

struct pq_stmt {
	struct sql_stmt base;
	char *text;            /* with $N */
	bool keep;
	bool prepared;
	int generation;        /* the connection it was prepared on */
	char name[24];
	int nparams;
	unsigned char used[PQ_MAX_PARAMS + 1];
	struct pq_param p[PQ_MAX_PARAMS + 1];
	PGresult *res;
	int row, rows;
	unsigned char *blob;   /* the last bytea column decoded */
};

static struct pq *pq_of(struct sql *db)
{
	return (struct pq *)db;
}

static struct pq_stmt *st_of(struct sql_stmt *st)
{
	return (struct pq_stmt *)st;
}

static void set_error(struct pq *q, const char *msg, const char *state, const char *column)
{
	free(q->error);
	free(q->column);
	q->error = strdup(msg ? msg : "unknown error");
	if (q->error) {
		size_t n = strlen(q->error);
		while (n && (q->error[n - 1] == '\n' || q->error[n - 1] == ' '))
			q->error[--n] = '\0';
	}
	snprintf(q->state, sizeof(q->state), "%s", state ? state : "");
	q->column = column ? strdup(column) : NULL;
}

/* "Key (email)=(x) already exists.": the column of a unique key taken */
static char *key_column(const char *detail, char *buf, size_t size)
{
	const char *open = detail ? strstr(detail, "Key (") : NULL, *close;
	if (!open || !(close = strchr(open + 5, ')')))
		return NULL;
	snprintf(buf, size, "%.*s", (int)(close - open - 5), open + 5);
	return buf;
}

/*
 * A failed statement spoils the transaction it is in (until a rollback to a
 * savepoint): the first error is kept, and what fails after it because of
 * it (SQLSTATE 25P02, a COMMIT that rolled back) says that error instead.
 */
static void result_error(struct pq *q, const PGresult *res)
{
	char col[128], said[1024];
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!msg)
		msg = PQerrorMessage(q->conn);
	if (state && !strcmp(state, "25P02") && q->spoiled) {
		snprintf(said, sizeof(said), "an earlier write in this transaction failed: %s",
			 q->spoiled);
		msg = said;
	} else if (PQtransactionStatus(q->conn) == PQTRANS_INERROR && !q->spoiled) {
		q->spoiled = strdup(msg);
	}
	set_error(q, msg, state,
		  res ? key_column(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), col,
				   sizeof(col)) : NULL);
}

/* what the connection says of the transaction after a command */
static void note_tx(struct pq *q)
{
	PGTransactionStatusType t = PQtransactionStatus(q->conn);
	if (t != PQTRANS_UNKNOWN && t != PQTRANS_ACTIVE)
		q->in_tx = t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Making a lost connection again, without blocking for long: each caller
 * waits at most REMAKE_WAIT_MS for the attempt (which goes on across
 * callers), so that while the database cannot be reached every statement
 * fails within a second, not after a connect timeout each. An attempt older
 * than REMAKE_GIVE_UP_MS (the connect timeout of LINK_VALUES) starts over.
 */
#define REMAKE_WAIT_MS 1000
#define REMAKE_GIVE_UP_MS 10000

/* true once the connection is made; false while it is being made or failed */
static bool remake(struct pq *q)
{
	int64_t now = monotonic_ms(), until = now + REMAKE_WAIT_MS;
	if (q->remaking && now - q->remake_began > REMAKE_GIVE_UP_MS)
		q->remaking = false;
	if (!q->remaking) {
		if (!PQresetStart(q->conn))
			return false;
		q->remaking = true;
		q->remake_began = now;
	}
	for (;;) {
		PostgresPollingStatusType st = PQresetPoll(q->conn);
		if (st == PGRES_POLLING_OK || st == PGRES_POLLING_FAILED) {
			q->remaking = false;
			return st == PGRES_POLLING_OK;
		}
		int left = (int)(until - monotonic_ms());
		if (left <= 0)
			return false;
		/* the socket may change between two polls (another address tried) */
		struct pollfd p = { .fd = PQsocket(q->conn),
				    .events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT };
		if (p.fd < 0 || poll(&p, 1, left) < 0)
			return false;
	}
}

/* The connection, made again if it was lost outside a transaction. */
static int ready(struct pq *q)
{
	char msg[512];
	if (PQstatus(q->conn) == CONNECTION_OK)
		return SQL_OK;
	if (q->in_tx) {
		set_error(q, "the connection to the database was lost during a transaction: "
			  "nothing of it was kept", "08006", NULL);
		return SQL_ERROR;
	}
	if (!remake(q)) {
		if (q->remaking)
			snprintf(msg, sizeof(msg), "the connection to the database is lost and is "
				 "being made again (for %.1f s so far)",
				 (double)(monotonic_ms() - q->remake_began) / 1000.0);
		else
			snprintf(msg, sizeof(msg), "the connection to the database is lost and "
				 "cannot be made again: %s", PQerrorMessage(q->conn));
		set_error(q, msg, "08006", NULL);
		return SQL_ERROR;
	}
	q->generation++;
	for (int i = 0; i < 8 && q->settings[i]; i++)
		PQclear(PQexec(q->conn, q->settings[i]));
	return SQL_OK;
}

/* keeps a SET or LISTEN to make again with the connection (the latest of each name) */
static void remember_setting(struct pq *q, const char *text)
{
	size_t skip = strcspn(text, " ") + 1, name = strcspn(text + skip, " =;") + skip;
	int i = 0;
	while (i < 8 && q->settings[i] && strncmp(q->settings[i], text, name))
		i++;
	if (i == 8)
		return;
	free(q->settings[i]);
	q->settings[i] = strdup(text);
}

/* forgets the spoiling error once the transaction is whole again */
static void check_spoiled(struct pq *q)
{
	if (q->spoiled && PQtransactionStatus(q->conn) != PQTRANS_INERROR) {
		free(q->spoiled);
		q->spoiled = NULL;
	}
}

/* ?N to $N outside quotes; notes the numbers used */
static char *convert(const char *text, struct pq_stmt *w)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	char quote = 0;
	if (!out)
		return NULL;
	for (const char *c = text; *c; c++) {
		if (quote) {
			if (*c == quote)
				quote = 0;
			*o++ = *c;
		} else if (*c == '\'' || *c == '"') {
			quote = *c;
			*o++ = *c;
		} else if (*c == '?' && c[1] >= '0' && c[1] <= '9') {
			int n = (int)strtol(c + 1, NULL, 10);
			if (n > 0 && n <= PQ_MAX_PARAMS) {
				w->used[n] = 1;
				if (n > w->nparams)
					w->nparams = n;
			}
			*o++ = '$';
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	return out;
}

static int pq_prepare(struct sql *db, const char *text, bool keep, struct sql_stmt **out)
{
	struct pq_stmt *w = calloc(1, sizeof(*w));
	*out = NULL;
	if (!w || !(w->text = convert(text, w))) {
		free(w);
		set_error(pq_of(db), "out of memory", "53200", NULL);
		return SQL_ERROR;
	}
	w->base.db = db;
	w->keep = keep;
	*out = &w->base;
	return SQL_OK;
}

static void clear_result(struct pq_stmt *w)
{
	PQclear(w->res);
	w->res = NULL;
	w->row = w->rows = 0;
	if (w->blob)
		PQfreemem(w->blob);
	w->blob = NULL;
}

static struct pq_param *param(struct sql_stmt *st, int i)
{
	struct pq_stmt *w = st_of(st);
	if (i < 1 || i > PQ_MAX_PARAMS)
		return NULL;
	struct pq_param *p = &w->p[i];
	free(p->owned);
	memset(p, 0, sizeof(*p));
	return p;
}

static void pq_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
	struct pq_param *p = param(st, i);
	if (!p)
		return;
	snprintf(p->number, sizeof(p->number), "%lld", (long long)v);
	p->type = OID_INT8;
	p->value = p->number;
}

static void pq_bind_double(struct sql_stmt *st, int i, double v)
{
	struct pq_param *p = param(st, i);
	if (!p)
		return;
	if (v != v)
		snprintf(p->number, sizeof(p->number), "NaN");
	else if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
		snprintf(p->number, sizeof(p->number), v > 0 ? "Infinity" : "-Infinity");
	else
		snprintf(p->number, sizeof(p->number), "%.17g", v);
	p->type = OID_FLOAT8;
	p->value = p->number;
}

static void pq_bind_text(struct sql_stmt *st, int i, const char *v, bool copy)
{
	struct pq_param *p = param(st, i);
	if (!p || !v)
		return;
	p->type = OID_TEXT;
	if (copy) {
		p->owned = strdup(v);
		p->value = p->owned;
	} else {
		p->value = v;
	}
}

static void pq_bind_blob(struct sql_stmt *st, int i, const void *v, size_t n)
{
	struct pq_param *p = param(st, i);
	if (!p)
		return;
	p->type = OID_BYTEA;
	p->format = 1;
	p->length = (int)n;
	p->value = n ? v : "";
}

static void pq_bind_null(struct sql_stmt *st, int i)
{
	param(st, i);
}

/* Runs w on the server: its result in w->res, or SQL_ERROR. */
static int run(struct pq *q, struct pq_stmt *w)
{
	const char *values[PQ_MAX_PARAMS];
	int lengths[PQ_MAX_PARAMS], formats[PQ_MAX_PARAMS];
	Oid types[PQ_MAX_PARAMS];

	if (ready(q))
		return SQL_ERROR;
	check_spoiled(q);
	if (w->prepared && w->generation != q->generation)
		w->prepared = false; /* prepared on a connection since lost */
	for (int i = 1; i <= w->nparams; i++) {
		struct pq_param *p = &w->p[i];
		values[i - 1] = p->value;
		lengths[i - 1] = p->length;
		formats[i - 1] = p->format;
		/* a number the text leaves out still needs a type */
		types[i - 1] = w->used[i] ? p->type : OID_TEXT;
	}
	if (w->keep && !w->prepared) {
		snprintf(w->name, sizeof(w->name), "lf%d", ++q->names);
		PGresult *res = PQprepare(q->conn, w->name, w->text, w->nparams, types);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			result_error(q, res);
			PQclear(res);
			return SQL_ERROR;
		}
		PQclear(res);
		w->prepared = true;
		w->generation = q->generation;
	}
	w->res = w->prepared
		? PQexecPrepared(q->conn, w->name, w->nparams, values, lengths, formats, 0)
		: PQexecParams(q->conn, w->text, w->nparams, types, values, lengths, formats, 0);
	ExecStatusType status = PQresultStatus(w->res);
	note_tx(q);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
		result_error(q, w->res);
		clear_result(w);
		return SQL_ERROR;
	}
	return SQL_OK;
}

static int pq_step(struct sql_stmt *st)
{
	struct pq_stmt *w = st_of(st);
	struct pq *q = pq_of(st->db);

	if (!w->res) {
		bool retry = !q->in_tx && PQstatus(q->conn) == CONNECTION_OK;
		int rc = run(q, w);
		/*
		 * A connection found lost by a read outside a transaction (the
		 * server restarted while it was idle): made again and the read
		 * run once more. Not a write: it may have been done before the
		 * link went, and would be done twice. Nor a connection already
		 * being made again: that attempt has just been waited for.
		 */
		if (rc && retry && PQstatus(q->conn) != CONNECTION_OK &&
		    !strncmp(w->text, "SELECT", 6))
			rc = run(q, w);
		if (rc)
			return SQL_ERROR;
		ExecStatusType status = PQresultStatus(w->res);
		const char *n = PQcmdTuples(w->res);
		q->changes = n && *n ? strtoll(n, NULL, 10) : 0;
		w->rows = status == PGRES_TUPLES_OK ? PQntuples(w->res) : 0;
		w->row = -1;
	}
	if (w->blob) {
		PQfreemem(w->blob);
		w->blob = NULL;
	}
	if (w->row + 1 >= w->rows) {
		w->row = w->rows;
		return SQL_DONE;
	}
	w->row++;
	return SQL_ROW;
}

static bool pq_column_null(struct sql_stmt *st, int i)
{
	struct pq_stmt *w = st_of(st);
	return !w->res || w->row < 0 || w->row >= w->rows || i >= PQnfields(w->res) ||
	       PQgetisnull(w->res, w->row, i);
}

/* A column's text as a number (a boolean as 1 or 0, NULL as 0); *text: its digits, if any. */
static double number(struct sql_stmt *st, int i, const char **text)
{
	*text = NULL;
	if (pq_column_null(st, i))
		return 0;
	const char *v = PQgetvalue(st_of(st)->res, st_of(st)->row, i);
	if ((v[0] == 't' || v[0] == 'f') && !v[1])
		return v[0] == 't';
	*text = v;
	return strtod(v, NULL);
}

static int64_t pq_column_int64(struct sql_stmt *st, int i)
{
	const char *v;
	double d = number(st, i, &v);
	/* whole numbers exactly (all 64 bits), the rest truncated as SQLite does */
	return v && !strpbrk(v, ".eEnN") ? strtoll(v, NULL, 10) : (int64_t)d;
}

static double pq_column_double(struct sql_stmt *st, int i)
{
	const char *v;
	return number(st, i, &v);
}

static const char *pq_column_text(struct sql_stmt *st, int i)
{
	if (pq_column_null(st, i))
		return NULL;
	return PQgetvalue(st_of(st)->res, st_of(st)->row, i);
}

static const void *pq_column_blob(struct sql_stmt *st, int i, size_t *n)
{
	struct pq_stmt *w = st_of(st);
	*n = 0;
	if (pq_column_null(st, i))
		return NULL;
	if (w->blob)
		PQfreemem(w->blob);
	w->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(w->res, w->row, i), n);
	return w->blob;
}

static void pq_reset(struct sql_stmt *st)
{
	struct pq_stmt *w = st_of(st);
	clear_result(w);
	for (int i = 1; i <= PQ_MAX_PARAMS; i++)
		param(st, i);
}

static void pq_finalize(struct sql_stmt *st)
{
	struct pq_stmt *w = st_of(st);
	struct pq *q = pq_of(st->db);
	pq_reset(st);
	if (w->prepared && w->generation == q->generation && PQstatus(q->conn) == CONNECTION_OK) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", w->name);
		PQclear(PQexec(q->conn, sql));
	}
	free(w->text);
	free(w);
}

static int64_t pq_changes(struct sql *db)
{
	return pq_of(db)->changes;
}

static int pq_exec(struct sql *db, const char *text)
{
	struct pq *q = pq_of(db);
	if (PQstatus(q->conn) != CONNECTION_OK && q->in_tx && !strncmp(text, "ROLLBACK", 8)) {
		/* the server dropped the transaction with the connection */
		if (strncmp(text, "ROLLBACK TO", 11))
			q->in_tx = false;
		return SQL_OK;
	}
	if (ready(q))
		return SQL_ERROR;
	check_spoiled(q);
	char *spoiled = q->spoiled ? strdup(q->spoiled) : NULL;
	PGresult *res = PQexec(q->conn, text);
	ExecStatusType status = PQresultStatus(res);
	int rc = SQL_OK;
	note_tx(q);
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
	    status != PGRES_EMPTY_QUERY) {
		result_error(q, res);
		rc = SQL_ERROR;
	} else if (!strncmp(text, "COMMIT", 6) && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
		/* the server rolls a spoiled transaction back and calls it done */
		char msg[1024];
		snprintf(msg, sizeof(msg), "the transaction was rolled back, nothing of it "
			 "was kept: an earlier write in it failed: %s",
			 spoiled ? spoiled : "(unknown)");
		set_error(q, msg, "25P02", NULL);
		rc = SQL_ERROR;
	}
	free(spoiled);
	check_spoiled(q);
	PQclear(res);
	if (!rc && (!strncmp(text, "SET ", 4) || !strncmp(text, "LISTEN ", 7)))
		remember_setting(q, text);
	return rc;
}

static enum sql_fault pq_fault(struct sql *db)
{
	const char *s = pq_of(db)->state;
	if (!strcmp(s, "23505"))
		return SQL_FAULT_UNIQUE;
	if (!strcmp(s, "23503"))
		return SQL_FAULT_FOREIGN_KEY;
	if (!strcmp(s, "23514") || !strcmp(s, "23502") || !strcmp(s, "P0001"))
		return SQL_FAULT_RULE;
	if (!strcmp(s, "53200"))
		return SQL_FAULT_NOMEM;
	if (!strcmp(s, "25006"))
		return SQL_FAULT_READ_ONLY;
	return SQL_FAULT_OTHER;
}

static const char *pq_errmsg(struct sql *db)
{
	struct pq *q = pq_of(db);
	return q->error ? q->error : "no error";
}

static const char *pq_fault_column(struct sql *db)
{
	return pq_of(db)->column;
}

static void pq_close(struct sql *db)
{
	struct pq *q = pq_of(db);
	PQfinish(q->conn);
	free(q->error);
	free(q->column);
	free(q->spoiled);
	for (int i = 0; i < 8; i++)
		free(q->settings[i]);
	free(q);
}

static const struct sql_driver pq_driver = {
	.dialect = SQL_POSTGRES,
	.prepare = pq_prepare,
	.bind_int64 = pq_bind_int64,
	.bind_double = pq_bind_double,
	.bind_text = pq_bind_text,
	.bind_blob = pq_bind_blob,
	.bind_null = pq_bind_null,
	.step = pq_step,
	.column_null = pq_column_null,
	.column_int64 = pq_column_int64,
	.column_double = pq_column_double,
	.column_text = pq_column_text,
	.column_blob = pq_column_blob,
	.reset = pq_reset,
	.finalize = pq_finalize,
	.changes = pq_changes,
	.exec = pq_exec,
	.fault = pq_fault,
	.errmsg = pq_errmsg,
	.fault_column = pq_fault_column,
	.close = pq_close,
};

/* Notices (a table that already exists, ...) are the store's to tell, not libpq's. */
static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/*
 * How soon a lost link is noticed. Without these, a statement on a TCP
 * connection whose packets vanish (a cable, a firewall, a failover)
 * waits for the kernel's retransmissions, a quarter of an hour; with
 * them it fails within about 10 s (unacknowledged data, or an idle link
 * whose probes go unanswered), and making a connection gives up after
 * 10 s. They come before the target's own, so a URI that sets any of them
 * wins; a Unix socket ignores them.
 */
static const char *const link_keys[] = {
	"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
	"keepalives_count", "tcp_user_timeout", "dbname", NULL,
};
#define LINK_VALUES "10", "1", "5", "2", "3", "10000"

int sql_pq_open(const char *target, struct sql **out, char *msg, size_t size)
{
	struct pq *q = calloc(1, sizeof(*q));
	*out = NULL;
	if (!q) {
		snprintf(msg, size, "out of memory");
		return SQL_ERROR;
	}
	q->base.drv = &pq_driver;
	q->conn = PQconnectdbParams(link_keys, (const char *const[]){ LINK_VALUES, target, NULL },
				    1);
	if (!q->conn || PQstatus(q->conn) != CONNECTION_OK) {
		snprintf(msg, size, "%s", q->conn ? PQerrorMessage(q->conn) : "out of memory");
		size_t n = strlen(msg);
		while (n && msg[n - 1] == '\n')
			msg[--n] = '\0';
		PQfinish(q->conn);
		free(q);
		return SQL_ERROR;
	}
	PQsetNoticeProcessor(q->conn, quiet, NULL);
	*out = &q->base;
	return SQL_OK;
}

void sql_pq_copy_text(struct lf_buf *b, const char *text)
{
	for (const char *c = text; *c; c++) {
		const char *esc = *c == '\\' ? "\\\\" : *c == '\t' ? "\\t" : *c == '\n' ? "\\n"
				: *c == '\r' ? "\\r" : NULL;
		if (esc)
			lf_buf_adds(b, esc);
		else
			lf_buf_add(b, c, 1);
	}
}

/* COPY ... FROM STDIN: started by stmt, fed by copy_put, ended (and checked) by copy_end. */
int sql_pq_copy_begin(struct sql *db, const char *stmt)
{
	struct pq *q = pq_of(db);
	if (ready(q))
		return SQL_ERROR;
	PGresult *res = PQexec(q->conn, stmt);
	int rc = PQresultStatus(res) == PGRES_COPY_IN ? SQL_OK : SQL_ERROR;
	if (rc)
		result_error(q, res);
	PQclear(res);
	return rc;
}

int sql_pq_copy_put(struct sql *db, const char *data, size_t n)
{
	struct pq *q = pq_of(db);
	if (PQputCopyData(q->conn, data, (int)n) == 1)
		return SQL_OK;
	set_error(q, PQerrorMessage(q->conn), NULL, NULL);
	return SQL_ERROR;
}

int sql_pq_copy_end(struct sql *db)
{
	struct pq *q = pq_of(db);
	PGresult *res;
	int rc = SQL_OK;
	if (PQputCopyEnd(q->conn, NULL) != 1) {
		set_error(q, PQerrorMessage(q->conn), NULL, NULL);
		return SQL_ERROR;
	}
	while ((res = PQgetResult(q->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == SQL_OK) {
			result_error(q, res);
			rc = SQL_ERROR;
		}
		PQclear(res);
	}
	return rc;
}

/*
 * Waits up to timeout_ms for a notification on a channel this connection
 * listens to (LISTEN, made again with the connection); *got says whether
 * one came. Every one that came is taken: a wake-up, not a message.
 */
int sql_pq_await(struct sql *db, int timeout_ms, bool *got)
{
	struct pq *q = pq_of(db);
	PGnotify *n;
	*got = false;
	if (ready(q))
		return SQL_ERROR;
	if (!PQconsumeInput(q->conn)) {
		set_error(q, PQerrorMessage(q->conn), "08006", NULL);
		return SQL_ERROR;
	}
	if (!(n = PQnotifies(q->conn))) {
		struct pollfd p = { .fd = PQsocket(q->conn), .events = POLLIN };
		if (poll(&p, 1, timeout_ms) > 0 && !PQconsumeInput(q->conn)) {
			set_error(q, PQerrorMessage(q->conn), "08006", NULL);
			return SQL_ERROR;
		}
		n = PQnotifies(q->conn);
	}
	while (n) {
		*got = true;
		PQfreemem(n);
		n = PQnotifies(q->conn);
	}
	return SQL_OK;
}
