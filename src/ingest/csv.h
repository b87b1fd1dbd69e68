/*
 * csv.h - a streaming RFC 4180 reader: quoted fields with embedded
 * delimiters, quotes and newlines; CRLF, LF or CR line ends; a UTF-8 byte
 * order mark; any one-byte delimiter. Memory is bounded by the longest
 * record (LF_CSV_RECORD_MAX), never by the file.
 *
 * After a record that cannot be read (a quoted field never closed, text
 * after a closing quote), lf_csv_next fails with LF_ERR_INPUT naming the
 * line; the record's raw text stays readable and the next call goes on with
 * the following record, so a caller can reject it and continue.
 */
#ifndef LF_INGEST_CSV_H
#define LF_INGEST_CSV_H

#include <leadflow/error.h>
#include <stdbool.h>
#include <stdio.h>

#define LF_CSV_RECORD_MAX (1u << 20)
#define LF_CSV_FIELDS_MAX 4096

struct lf_csv;

/* Reads from f (borrowed: the caller closes it after lf_csv_free). */
enum lf_result lf_csv_new(FILE *f, char delimiter, struct lf_csv **out);
void lf_csv_free(struct lf_csv *c);

/*
 * Reads the next record. *eof is set at the end of input (and LF_OK is
 * returned). Blank lines are skipped.
 */
enum lf_result lf_csv_next(struct lf_csv *c, bool *eof, struct lf_error *err);

/* The current record: fields are borrowed until the next lf_csv_next. */
size_t lf_csv_count(const struct lf_csv *c);
const char *lf_csv_field(const struct lf_csv *c, size_t i);
/*
 * The physical line the current record starts on, from 1; after a failure,
 * the line the failure is about (where a never-closed quote opened).
 */
long lf_csv_line(const struct lf_csv *c);
/* The record as it stood in the file, without its line end. */
const char *lf_csv_raw(const struct lf_csv *c, size_t *len);

/* Writes one field to out, quoted when it needs to be. */
void lf_csv_write_field(FILE *out, const char *s, char delimiter);

#endif
