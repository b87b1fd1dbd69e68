/*
 * buf.h - a growable, NUL-terminated byte buffer with a hard maximum size.
 *
 * The buffer owns data; lf_buf_release frees it. Appending past max fails
 * with LF_ERR_LIMIT and leaves the buffer as it was, so that an oversized
 * input is refused rather than read into memory.
 */
#ifndef LEADFLOW_BUF_H
#define LEADFLOW_BUF_H

#include <leadflow/error.h>
#include <stddef.h>

struct lf_buf {
	char *data; /* always NUL-terminated once anything was added, or NULL */
	size_t len;
	size_t cap;
	size_t max; /* the most bytes it may hold, not counting the NUL */
};

#define LF_BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes) }

void lf_buf_init(struct lf_buf *b, size_t max);
void lf_buf_release(struct lf_buf *b);
void lf_buf_reset(struct lf_buf *b); /* len = 0, keeps memory */
enum lf_result lf_buf_add(struct lf_buf *b, const void *p, size_t n);
enum lf_result lf_buf_addch(struct lf_buf *b, char c);
enum lf_result lf_buf_adds(struct lf_buf *b, const char *s);
enum lf_result lf_buf_addf(struct lf_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "" when nothing was added yet, never NULL. */
const char *lf_buf_str(const struct lf_buf *b);
/* Hands data to the caller (who frees it) and resets the buffer. */
char *lf_buf_detach(struct lf_buf *b);

#include <stdio.h>
/*
 * Opens path for reading, or LF_ERR_INPUT naming it and why ("no such
 * file", "is a directory": a directory opens as a file on Linux and then
 * reads as nothing).
 */
enum lf_result lf_open_input(const char *path, FILE **out, struct lf_error *err);
/* Appends the whole file at path to b (LF_ERR_LIMIT past b's maximum). */
enum lf_result lf_buf_read_file(struct lf_buf *b, const char *path, struct lf_error *err);

#endif
