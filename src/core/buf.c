/*
 * buf.c - growable byte buffer with a hard cap. Growth doubles the capacity;
 * every append checks the cap first so that a refused append changes nothing.
 */
#include <leadflow/buf.h>

#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lf_buf_init(struct lf_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void lf_buf_release(struct lf_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void lf_buf_reset(struct lf_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static enum lf_result buf_grow(struct lf_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return LF_ERR_LIMIT;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return LF_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return LF_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return LF_OK;
}

enum lf_result lf_buf_add(struct lf_buf *b, const void *p, size_t n)
{
	enum lf_result r = buf_grow(b, n);
	if (r)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return LF_OK;
}

enum lf_result lf_buf_addch(struct lf_buf *b, char c)
{
	if (b->len + 1 < b->cap && b->len < b->max) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return LF_OK;
	}
	return lf_buf_add(b, &c, 1);
}

enum lf_result lf_buf_adds(struct lf_buf *b, const char *s)
{
	return lf_buf_add(b, s, strlen(s));
}

enum lf_result lf_buf_addf(struct lf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	enum lf_result r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return LF_ERR_INTERNAL;
	r = buf_grow(b, (size_t)n);
	if (r)
		return r;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return LF_OK;
}

const char *lf_buf_str(const struct lf_buf *b)
{
	return b->data ? b->data : "";
}

char *lf_buf_detach(struct lf_buf *b)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

enum lf_result lf_open_input(const char *path, FILE **out, struct lf_error *err)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	*out = NULL;
	if (!f)
		return lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': %s", path,
				    lf_errno_str(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': is a directory", path);
	}
	*out = f;
	return LF_OK;
}

enum lf_result lf_buf_read_file(struct lf_buf *b, const char *path, struct lf_error *err)
{
	char chunk[8192];
	size_t n;
	FILE *f;
	enum lf_result r = lf_open_input(path, &f, err);
	if (r)
		return r;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (lf_buf_add(b, chunk, n)) {
			fclose(f);
			return lf_error_set(err, LF_ERR_LIMIT, "'%s' is larger than %zu bytes", path,
					    b->max);
		}
	r = ferror(f) ? lf_error_set(err, LF_ERR_IO, "cannot read '%s': %s", path,
				     lf_errno_str(errno)) : LF_OK;
	fclose(f);
	if (!r && lf_buf_add(b, "", 0))
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	return r;
}
