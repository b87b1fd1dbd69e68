/*
 * error.h - the one result enum of liblf and the error detail that goes with it.
 *
 * Every fallible function returns enum lf_result and, when it fails, fills a
 * caller-owned struct lf_error with a message that names where (file:line,
 * field) and what. Library errors (SQLite, errno, jansson, libyaml) are
 * translated into these codes at the boundary where they happen.
 */
#ifndef LEADFLOW_ERROR_H
#define LEADFLOW_ERROR_H

#include <stddef.h>

enum lf_result {
	LF_OK = 0,
	LF_ERR_INPUT,     /* bad input: a file, a row, a value, an argument */
	LF_ERR_USAGE,     /* the command line is wrong */
	LF_ERR_NOT_FOUND, /* the thing asked for does not exist */
	LF_ERR_CONFLICT,  /* the input contradicts what is stored */
	LF_ERR_LIMIT,     /* a size or count limit was exceeded */
	LF_ERR_IO,        /* a file or device failed */
	LF_ERR_STORE,     /* the database failed */
	LF_ERR_NOMEM,     /* out of memory */
	LF_ERR_INTERNAL,  /* a broken invariant: a bug */
	LF_ERR_AUTH,      /* no valid credentials */
	LF_ERR_DENIED,    /* valid credentials that may not do this */
	LF_ERR_BUSY       /* too much work queued: try again later */
};

#define LF_ERROR_MSG_MAX 512
#define LF_ERROR_FIELD_MAX 64

/* Detail of the last failure. Embedded by value; nothing in it is heap owned. */
struct lf_error {
	enum lf_result code;
	char field[LF_ERROR_FIELD_MAX]; /* the field or parameter at fault, or "" */
	char msg[LF_ERROR_MSG_MAX];     /* lowercase, no final period */
};

/* A short static description of a result code, e.g. "bad input". */
const char *lf_strerror(enum lf_result code);

/*
 * Fills err (which may be NULL) with code and a printf-style message, and
 * returns code so that callers can write `return lf_error_set(...)`.
 */
enum lf_result lf_error_set(struct lf_error *err, enum lf_result code,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like lf_error_set, and records the field at fault. */
enum lf_result lf_error_field(struct lf_error *err, enum lf_result code,
			      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Puts "prefix: " before the message already in err (e.g. "file:12"). */
void lf_error_prefix(struct lf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Resets err to LF_OK with empty texts. */
void lf_error_clear(struct lf_error *err);

/* errno as a lowercase message, e.g. "no such file"; static storage. */
const char *lf_errno_str(int errnum);

/* The documented process exit code: 0 ok, 2 bad input or usage, 1 other. */
int lf_exit_code(enum lf_result code);

#endif
