/*
 * csv.c - the RFC 4180 reader. A byte-at-a-time state machine over a block
 * buffer: every byte of a record goes both into the raw copy (for rejects
 * files) and, decoded, into a field buffer where fields are NUL-separated.
 * Offsets into the field buffer become pointers only when the record is
 * complete, since the buffer may move while it grows.
 */
#include "ingest/csv.h"
#include "core/utf8.h"
#include <leadflow/buf.h>

#include <stdlib.h>
#include <string.h>

#define BLOCK 65536

struct lf_csv {
	FILE *f;
	char delim;
	unsigned char block[BLOCK];
	size_t pos, len;
	bool at_start; /* nothing read yet: a BOM may follow */
	bool eof;
	long line;        /* physical line of the next byte */
	long record_line; /* line the current record started on */
	long err_line;    /* line a failure is about, 0 when none */
	struct lf_buf raw;
	struct lf_buf fields;
	size_t offs[LF_CSV_FIELDS_MAX];
	const char *ptrs[LF_CSV_FIELDS_MAX];
	size_t n;
};

enum lf_result lf_csv_new(FILE *f, char delimiter, struct lf_csv **out)
{
	struct lf_csv *c = calloc(1, sizeof(*c));
	if (!c)
		return LF_ERR_NOMEM;
	c->f = f;
	c->delim = delimiter;
	c->at_start = true;
	c->line = 1;
	lf_buf_init(&c->raw, LF_CSV_RECORD_MAX);
	lf_buf_init(&c->fields, LF_CSV_RECORD_MAX);
	*out = c;
	return LF_OK;
}

void lf_csv_free(struct lf_csv *c)
{
	if (!c)
		return;
	lf_buf_release(&c->raw);
	lf_buf_release(&c->fields);
	free(c);
}

/* The next byte, or -1 at the end of input. */
static int next_byte(struct lf_csv *c)
{
	if (c->pos == c->len) {
		if (c->eof)
			return -1;
		c->len = fread(c->block, 1, BLOCK, c->f);
		c->pos = 0;
		if (c->len == 0) {
			c->eof = true;
			return -1;
		}
		if (c->at_start) {
			c->at_start = false;
			if (c->len >= 3 && !memcmp(c->block, "\xEF\xBB\xBF", 3))
				c->pos = 3;
			if (c->pos == c->len)
				return next_byte(c);
		}
	}
	return c->block[c->pos++];
}

static int peek_byte(struct lf_csv *c)
{
	int ch = next_byte(c);
	if (ch >= 0)
		c->pos--;
	return ch;
}

/* Consumes a line end that started with ch ('\r' or '\n'). */
static void eat_line_end(struct lf_csv *c, int ch)
{
	if (ch == '\r' && peek_byte(c) == '\n')
		next_byte(c);
	c->line++;
}

static enum lf_result end_field(struct lf_csv *c, struct lf_error *err)
{
	if (c->n == LF_CSV_FIELDS_MAX)
		return lf_error_set(err, LF_ERR_LIMIT, "more than %d fields",
				    LF_CSV_FIELDS_MAX);
	if (lf_buf_addch(&c->fields, '\0'))
		goto too_long;
	c->n++;
	c->offs[c->n] = c->fields.len;
	return LF_OK;
too_long:
	return lf_error_set(err, LF_ERR_LIMIT, "record longer than %u bytes",
			    LF_CSV_RECORD_MAX);
}

/* Skips the rest of a broken record up to the end of its physical line. */
static void skip_line(struct lf_csv *c)
{
	int ch;
	while ((ch = next_byte(c)) >= 0 && ch != '\n' && ch != '\r')
		lf_buf_addch(&c->raw, (char)ch);
	if (ch >= 0)
		eat_line_end(c, ch);
}

static enum lf_result add(struct lf_buf *b, int ch, struct lf_error *err)
{
	if (lf_buf_addch(b, (char)ch))
		return lf_error_set(err, LF_ERR_LIMIT, "record longer than %u bytes",
				    LF_CSV_RECORD_MAX);
	return LF_OK;
}

enum lf_result lf_csv_next(struct lf_csv *c, bool *eof, struct lf_error *err)
{
	enum lf_result r = LF_OK;
	int ch;

	*eof = false;
	c->err_line = 0;
	lf_buf_reset(&c->raw);
	lf_buf_reset(&c->fields);
	c->n = 0;
	c->offs[0] = 0;

	/* skip blank lines */
	while ((ch = peek_byte(c)) == '\n' || ch == '\r') {
		next_byte(c);
		eat_line_end(c, ch);
	}
	if (ch < 0) {
		*eof = true;
		return LF_OK;
	}
	c->record_line = c->line;

	for (;;) {
		ch = next_byte(c);
		if (ch == '"') {
			/* a quoted field */
			long opened = c->line;
			if ((r = add(&c->raw, ch, err)))
				goto broken;
			for (;;) {
				ch = next_byte(c);
				if (ch < 0) {
					c->err_line = opened;
					r = lf_error_set(err, LF_ERR_INPUT,
							 "quoted field is never closed");
					goto fail;
				}
				if ((r = add(&c->raw, ch, err)))
					goto broken;
				if (ch == '"') {
					if (peek_byte(c) != '"')
						break;
					next_byte(c);
					if ((r = add(&c->raw, ch, err)))
						goto broken;
				} else if (ch == '\n' ||
					   (ch == '\r' && peek_byte(c) != '\n')) {
					c->line++;
				}
				if ((r = add(&c->fields, ch, err)))
					goto broken;
			}
			ch = next_byte(c);
			if (ch >= 0 && ch != c->delim && ch != '\n' && ch != '\r') {
				lf_buf_addch(&c->raw, (char)ch);
				c->err_line = c->line;
				r = lf_error_set(err, LF_ERR_INPUT,
						 "unexpected '%c' after a closing quote: "
						 "expected '%c' or the end of the line",
						 ch, c->delim);
				goto broken;
			}
		} else {
			while (ch >= 0 && ch != c->delim && ch != '\n' && ch != '\r') {
				if ((r = add(&c->raw, ch, err)) ||
				    (r = add(&c->fields, ch, err)))
					goto broken;
				ch = next_byte(c);
			}
		}
		if ((r = end_field(c, err)))
			goto broken;
		if (ch == c->delim) {
			if ((r = add(&c->raw, ch, err)))
				goto broken;
			continue;
		}
		if (ch >= 0)
			eat_line_end(c, ch);
		break;
	}
	for (size_t i = 0; i < c->n; i++) {
		size_t len = c->offs[i + 1] - c->offs[i] - 1, bad;
		c->ptrs[i] = c->fields.data + c->offs[i];
		/* text that cannot be stored as it is is refused, not cut or mangled */
		if (memchr(c->ptrs[i], '\0', len)) {
			c->err_line = c->record_line;
			r = lf_error_set(err, LF_ERR_INPUT, "field %zu holds a NUL byte", i + 1);
			goto fail;
		}
		if (!lf_utf8_valid(c->ptrs[i], len, &bad)) {
			c->err_line = c->record_line;
			r = lf_error_set(err, LF_ERR_INPUT, "field %zu is not UTF-8 text (byte %zu):"
					 " convert the file to UTF-8 first (iconv -f LATIN1 -t "
					 "UTF-8 for a Latin-1 export)", i + 1, bad + 1);
			goto fail;
		}
	}
	return LF_OK;
broken:
	skip_line(c);
fail:
	c->n = 0;
	return r;
}

size_t lf_csv_count(const struct lf_csv *c)
{
	return c->n;
}

const char *lf_csv_field(const struct lf_csv *c, size_t i)
{
	return i < c->n ? c->ptrs[i] : NULL;
}

long lf_csv_line(const struct lf_csv *c)
{
	return c->err_line ? c->err_line : c->record_line;
}

const char *lf_csv_raw(const struct lf_csv *c, size_t *len)
{
	*len = c->raw.len;
	return lf_buf_str(&c->raw);
}

void lf_csv_write_field(FILE *out, const char *s, char delimiter)
{
	if (!strpbrk(s, "\"\r\n") && !strchr(s, delimiter)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}
