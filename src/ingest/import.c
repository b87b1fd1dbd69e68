/*
 * import.c - a file into the store, as a two-stage pipeline.
 *
 * A reader thread reads the file (CSV or NDJSON), parses each row and
 * prepares it (record.c: pure, the costly part), and hands batches of
 * prepared records through a small bounded queue to the calling thread,
 * which writes them (apply.c) in file order inside one transaction. Reading
 * and writing so overlap on two cores, and memory stays bounded by the
 * queue, whatever the size of the file.
 *
 * A row that fails, in either stage, goes to the rejects file with its
 * original text and the reason; without a rejects file the import stops at
 * it with "file:line: what", rolls back, and keeps nothing of the file.
 */
#include <leadflow/import.h>

#include <leadflow/buf.h>
#include "core/utf8.h"
#include "ingest/apply.h"
#include "ingest/csv.h"
#include "ingest/record.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BATCH_ROWS 512
#define BATCH_RAW_SOFT_MAX (4u << 20) /* a batch closes early past this */
#define QUEUE_BATCHES 16

struct job {
	long line;
	size_t raw_off, raw_len;
	bool syntax;              /* the row's own syntax is broken (CSV quoting) */
	enum lf_result r;         /* LF_OK: rec is prepared */
	struct lf_error err;
	struct lf_record rec;
};

struct batch {
	struct job jobs[BATCH_ROWS];
	size_t n;
	struct lf_buf raw;        /* the rows' original text, for rejects */
	uint64_t pos;             /* bytes of the file read when it closed */
	bool last;
	enum lf_result fatal;     /* the reader itself failed */
	struct lf_error err;
};

/* Batches go round: free -> reader fills -> ready -> writer drains -> free. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *ready[QUEUE_BATCHES];
	size_t head, nready;
	struct batch *free[QUEUE_BATCHES];
	size_t nfree;
	atomic_bool stop;
};

/* NDJSON is read a block at a time (the reader thread's) and cut at '\n'. */
#define BLOCK_BYTES (1u << 16)
struct block_in {
	char *buf;
	size_t at, len;
};

struct importer {
	const struct lf_import_options *o;
	struct lf_mapping map;
	struct lf_applier apply;
	struct lf_import_summary *sum;
	FILE *f, *rejects;
	uint64_t size;
	bool ndjson;
	char delim;
	/* CSV: the header, resolved once */
	struct lf_csv *csv;
	struct lf_buf header;
	struct lf_buf names;
	size_t nfile;            /* the file's columns */
	size_t ncols;            /* and the key cell, when the mapping makes one */
	bool keyed;
	size_t *key_idx;         /* the key columns' places in the header */
	struct lf_buf key;       /* the current row's key */
	struct lf_column_spec *tmp;
	char (*tmp_names)[256];
	const struct lf_column_spec **specs;
	struct lf_cell *cells;
	struct lf_spec_cache spec_cache; /* NDJSON: the reader thread's */
	struct block_in in;              /* NDJSON: the reader thread's */
	struct queue q;
};

/* --- the queue ------------------------------------------------------- */

static struct batch *take_free(struct queue *q)
{
	struct batch *b = NULL;
	pthread_mutex_lock(&q->mu);
	while (!q->nfree && !atomic_load(&q->stop))
		pthread_cond_wait(&q->cv, &q->mu);
	if (!atomic_load(&q->stop))
		b = q->free[--q->nfree];
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void put_ready(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	q->ready[(q->head + q->nready++) % QUEUE_BATCHES] = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static struct batch *take_ready(struct queue *q)
{
	struct batch *b;
	pthread_mutex_lock(&q->mu);
	while (!q->nready)
		pthread_cond_wait(&q->cv, &q->mu);
	b = q->ready[q->head];
	q->head = (q->head + 1) % QUEUE_BATCHES;
	q->nready--;
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void put_free(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	q->free[q->nfree++] = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void stop_reader(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	atomic_store(&q->stop, true);
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void batch_clear(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		lf_record_release(&b->jobs[i].rec);
	b->n = 0;
	b->last = false;
	b->fatal = LF_OK;
	lf_buf_reset(&b->raw);
}

/* --- the reader ------------------------------------------------------ */

/* Starts a job in b for a row whose original text is raw. */
static struct job *new_job(struct batch *b, long line, const char *raw, size_t len)
{
	struct job *j = &b->jobs[b->n++];
	j->line = line;
	j->raw_off = b->raw.len;
	j->raw_len = len;
	j->syntax = false;
	j->r = LF_OK;
	/* the row fits: lines and records are capped below the buffer's max */
	lf_buf_add(&b->raw, raw, len);
	return j;
}

static bool batch_full(const struct batch *b)
{
	return b->n == BATCH_ROWS || b->raw.len > BATCH_RAW_SOFT_MAX;
}

/*
 * One line of f into *line (its '\n' kept), at most max + 1 bytes of it: a
 * longer line is read to its end but not kept (*too_long), so memory stays
 * bounded by the line limit whatever the file. -1 at the end of the file,
 * -2 out of memory.
 */
static ssize_t bounded_line(FILE *f, struct block_in *in, char **line, size_t *cap,
			    size_t max, bool *too_long)
{
	size_t n = 0;
	bool any = false;
	*too_long = false;
	for (;;) {
		if (in->at == in->len) {
			in->at = 0;
			if (!(in->len = fread(in->buf, 1, BLOCK_BYTES, f)))
				break;
		}
		const char *from = in->buf + in->at;
		const char *nl = memchr(from, '\n', in->len - in->at);
		size_t take = nl ? (size_t)(nl - from) + 1 : in->len - in->at;
		size_t keep = n <= max ? take < max + 1 - n ? take : max + 1 - n : 0;
		any = true;
		in->at += take;
		*too_long |= keep < take;
		if (n + keep + 1 > *cap) {
			size_t grown = *cap ? *cap : 4096;
			while (grown < n + keep + 1)
				grown *= 2;
			grown = grown > max + 2 ? max + 2 : grown;
			char *p = realloc(*line, grown);
			if (!p)
				return -2;
			*line = p;
			*cap = grown;
		}
		memcpy(*line + n, from, keep);
		n += keep;
		if (nl)
			break;
	}
	if (!any)
		return -1;
	(*line)[n] = '\0';
	return (ssize_t)n;
}

/* Fills b with NDJSON rows; returns false at the end of the file. */
static bool read_ndjson(struct importer *im, struct batch *b, char **line, size_t *cap,
			long *lineno, struct lf_row *row, size_t *ncells)
{
	ssize_t len;

	while (!batch_full(b)) {
		json_t *obj;
		json_error_t jerr;
		size_t n, bad;
		struct job *j;
		bool too_long;

		if ((len = bounded_line(im->f, &im->in, line, cap, LF_IMPORT_LINE_MAX,
					&too_long)) < 0) {
			if (len == -2)
				b->fatal = lf_error_set(&b->err, LF_ERR_NOMEM, "%s:%ld: out of "
							"memory reading the line", im->o->path,
							*lineno + 1);
			else if (ferror(im->f)) {
				b->fatal = lf_error_set(&b->err, LF_ERR_IO, "cannot read '%s': %s",
							im->o->path, lf_errno_str(errno));
			}
			return false;
		}
		n = (size_t)len;
		++*lineno;
		while (n && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
			(*line)[--n] = '\0';
		if (*lineno == 1 && n >= 3 && !memcmp(*line, "\xEF\xBB\xBF", 3)) {
			memmove(*line, *line + 3, n - 2);
			n -= 3;
		}
		if (too_long || n > LF_IMPORT_LINE_MAX) {
			j = new_job(b, *lineno, *line, 256);
			j->r = lf_error_set(&j->err, LF_ERR_LIMIT, "line longer than %u bytes",
					    LF_IMPORT_LINE_MAX);
			continue;
		}
		j = new_job(b, *lineno, *line, n);
		/* every line is a row: a blank one is said, not skipped unseen */
		if (strspn(*line, " \t") == n) {
			j->r = lf_error_set(&j->err, LF_ERR_INPUT, "an empty line: expected a JSON "
					    "object");
			continue;
		}
		if (!lf_utf8_valid(*line, n, &bad)) {
			j->r = lf_error_set(&j->err, LF_ERR_INPUT, "not UTF-8 text (byte %zu)",
					    bad + 1);
			continue;
		}
		if (!(obj = json_loadb(*line, n, JSON_REJECT_DUPLICATES, &jerr))) {
			j->r = lf_error_set(&j->err, LF_ERR_INPUT, "column %d: bad json: %s",
					    jerr.column, jerr.text);
			continue;
		}
		j->r = lf_row_from_json(obj, row, ncells, &j->err);
		if (!j->r && row->n > im->ncols) {
			const struct lf_column_spec **sp =
				realloc(im->specs, row->n * sizeof(*sp));
			if (!sp)
				j->r = lf_error_set(&j->err, LF_ERR_NOMEM, "out of memory");
			else
				im->specs = sp, im->ncols = row->n;
		}
		if (!j->r) {
			/* a key's spec is the same on every line: look it up once */
			for (size_t i = 0; i < row->n; i++)
				im->specs[i] = lf_spec_cache_get(&im->spec_cache, &im->map,
								 row->cells[i].name);
			row->specs = im->specs;
			j->r = lf_record_prepare(&im->map, row, &j->rec, &j->err);
		}
		json_decref(obj);
	}
	return true;
}

/*
 * The key a mapping makes for a row without an id: the key columns' values
 * joined by '|' (stable however the file is sorted; "" when they are all
 * empty, which leaves the row without a key), or the file's name and the
 * row's line (any file, but a row moved to another line is another lead).
 */
static const char *row_key(struct importer *im, long line)
{
	const char *base = strrchr(im->o->path, '/');
	bool any = false;
	lf_buf_reset(&im->key);
	if (im->map.key_line) {
		lf_buf_addf(&im->key, "%s:%ld", base ? base + 1 : im->o->path, line);
		return lf_buf_str(&im->key);
	}
	for (size_t k = 0; k < im->map.nkey; k++) {
		const char *v = lf_csv_field(im->csv, im->key_idx[k]);
		any |= v && *v;
		if (k)
			lf_buf_addch(&im->key, '|');
		lf_buf_add(&im->key, v ? v : "", v ? strlen(v) : 0);
	}
	return any ? lf_buf_str(&im->key) : "";
}

/* Fills b with CSV records; returns false at the end of the file. */
static bool read_csv(struct importer *im, struct batch *b)
{
	while (!batch_full(b)) {
		struct lf_row row = { im->cells, im->ncols, im->specs };
		struct lf_error err;
		enum lf_result r;
		const char *raw;
		size_t len;
		bool eof;
		struct job *j;

		r = lf_csv_next(im->csv, &eof, &err);
		if (!r && eof) {
			if (ferror(im->f))
				b->fatal = lf_error_set(&b->err, LF_ERR_IO, "cannot read '%s': %s",
							im->o->path, lf_errno_str(errno));
			return false;
		}
		raw = lf_csv_raw(im->csv, &len);
		while (len && (raw[len - 1] == '\n' || raw[len - 1] == '\r'))
			len--;
		j = new_job(b, lf_csv_line(im->csv), raw, len);
		if (r) {
			j->r = r;
			j->err = err;
			j->syntax = true;
			continue;
		}
		if (lf_csv_count(im->csv) != im->nfile) {
			j->r = lf_error_set(&j->err, LF_ERR_INPUT,
					    "%zu fields where the header has %zu",
					    lf_csv_count(im->csv), im->nfile);
			continue;
		}
		for (size_t i = 0; i < im->nfile; i++)
			im->cells[i].text = lf_csv_field(im->csv, i);
		if (im->keyed)
			im->cells[im->nfile].text = row_key(im, lf_csv_line(im->csv));
		j->r = lf_record_prepare(&im->map, &row, &j->rec, &j->err);
	}
	return true;
}

static void *reader_main(void *arg)
{
	struct importer *im = arg;
	struct lf_row row = { 0 };
	char *line = NULL;
	size_t cap = 0, ncells = 0;
	long lineno = 0;
	bool more = true;

	while (more) {
		struct batch *b = take_free(&im->q);
		if (!b)
			break;
		/* records are freed by the thread that made them: glibc's free
		 * of another thread's memory takes the arena lock every time */
		batch_clear(b);
		more = im->ndjson ? read_ndjson(im, b, &line, &cap, &lineno, &row, &ncells)
				  : read_csv(im, b);
		b->pos = (uint64_t)ftello(im->f) - (im->in.len - im->in.at);
		b->last = !more || b->fatal;
		if (b->last && im->ndjson && !b->fatal && lineno == 0)
			b->fatal = lf_error_set(&b->err, LF_ERR_INPUT,
						"%s: empty file: expected one json object "
						"per line", im->o->path);
		put_ready(&im->q, b);
		if (b->fatal)
			break;
	}
	free(line);
	free(row.cells);
	return NULL;
}

/* --- the CSV header -------------------------------------------------- */

static enum lf_result read_header(struct importer *im, struct lf_error *err)
{
	enum lf_result r;
	size_t *off = NULL, len;
	const char *raw;
	bool eof;

	if ((r = lf_csv_new(im->f, im->delim, &im->csv)))
		return lf_error_set(err, r, "out of memory");
	if (im->map.nheader) {
		/* no header line: the mapping names the columns, every line is a row */
		im->nfile = im->map.nheader;
		for (size_t i = 0; i < im->nfile; i++) {
			if (i)
				lf_buf_addch(&im->header, im->delim);
			lf_buf_add(&im->header, im->map.header[i], strlen(im->map.header[i]));
		}
	} else {
		/* a report's title and period above its header */
		for (int i = 0; i < im->map.skip_lines; i++)
			if ((r = lf_csv_next(im->csv, &eof, err)) || eof)
				break;
		if (r || (r = lf_csv_next(im->csv, &eof, err))) {
			lf_error_prefix(err, "%s:%ld", im->o->path, lf_csv_line(im->csv));
			return r;
		}
		if (eof)
			return lf_error_set(err, LF_ERR_INPUT, "%s: empty file: expected a header "
					    "line (or a mapping that gives it: header:)", im->o->path);
		im->nfile = lf_csv_count(im->csv);
		raw = lf_csv_raw(im->csv, &len);
		while (len && (raw[len - 1] == '\n' || raw[len - 1] == '\r'))
			len--;
		lf_buf_add(&im->header, raw, len);
	}
	/* a key made from the row is one more cell, after the file's */
	im->keyed = im->map.nkey || im->map.key_line;
	im->ncols = im->nfile + im->keyed;
	im->tmp = calloc(im->ncols, sizeof(*im->tmp));
	im->tmp_names = calloc(im->ncols, sizeof(*im->tmp_names));
	im->specs = calloc(im->ncols, sizeof(*im->specs));
	im->cells = calloc(im->ncols, sizeof(*im->cells));
	im->key_idx = calloc(im->map.nkey + 1, sizeof(*im->key_idx));
	off = calloc(im->ncols, sizeof(*off));
	if (!im->tmp || !im->tmp_names || !im->specs || !im->cells || !off || !im->key_idx) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < im->ncols; i++) {
		const char *col = i == im->nfile ? lf_mapping_key_field(im->map.entity)
				: im->map.nheader ? im->map.header[i] : lf_csv_field(im->csv, i);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(im->names.data + off[j], col)) {
				r = lf_error_set(err, LF_ERR_INPUT,
						 "%s:%ld: column '%s' appears twice in the "
						 "header", im->o->path, lf_csv_line(im->csv), col);
				goto out;
			}
		off[i] = im->names.len;
		lf_buf_add(&im->names, col, strlen(col) + 1);
	}
	for (size_t i = 0; i < im->ncols; i++) {
		im->cells[i].name = im->names.data + off[i];
		im->cells[i].kind = LF_RAW_TEXT;
		im->specs[i] = lf_mapping_column(&im->map, im->cells[i].name, &im->tmp[i],
						 im->tmp_names[i], sizeof(im->tmp_names[i]), err);
		if (!im->specs[i]) {
			r = LF_ERR_INPUT;
			lf_error_prefix(err, "%s:%ld", im->o->path, lf_csv_line(im->csv));
			goto out;
		}
		if (i == im->nfile && im->specs[i]->target != LF_TARGET_FIELD) {
			r = lf_error_set(err, LF_ERR_INPUT, "%s: 'key' makes the %s, but the mapping "
					 "sends that name elsewhere", im->map.path,
					 lf_mapping_key_field(im->map.entity));
			goto out;
		}
	}
	for (size_t k = 0; k < im->map.nkey; k++) {
		size_t i = 0;
		while (i < im->nfile && strcmp(im->cells[i].name, im->map.key_cols[k]))
			i++;
		if (i == im->nfile) {
			r = lf_error_set(err, LF_ERR_INPUT, "%s: key column '%s' is not in the "
					 "header of '%s'", im->map.path, im->map.key_cols[k],
					 im->o->path);
			goto out;
		}
		im->key_idx[k] = i;
	}
	/* every column the mapping names must be there: a typo must not drop data */
	for (size_t m = 0; m < im->map.ncols; m++) {
		size_t i;
		for (i = 0; i < im->nfile && strcmp(im->cells[i].name, im->map.cols[m].column);
		     i++)
			;
		if (i == im->nfile) {
			r = lf_error_set(err, LF_ERR_INPUT,
					 "%s:%d:%d: column '%s' is not in the header of '%s'",
					 im->map.path, im->map.cols[m].line, im->map.cols[m].col,
					 im->map.cols[m].column, im->o->path);
			goto out;
		}
	}
out:
	free(off);
	return r;
}

/* --- the writer ------------------------------------------------------ */

static bool row_level(enum lf_result r)
{
	return r == LF_ERR_INPUT || r == LF_ERR_CONFLICT || r == LF_ERR_NOT_FOUND ||
	       r == LF_ERR_LIMIT;
}

/*
 * Writes a bad row to the rejects file, or makes it the import's error when
 * there is none. A CSV record whose quoting is broken cannot be written back
 * as it was without breaking the rejects file too: it goes in as one quoted
 * field holding its original text.
 */
static enum lf_result reject(struct importer *im, const struct job *j, const char *raw,
			     struct lf_error *err)
{
	*err = j->err;
	if (!im->rejects) {
		lf_error_prefix(err, "%s:%ld", im->o->path, j->line);
		return err->code ? err->code : LF_ERR_INPUT;
	}
	if (im->ndjson) {
		json_t *o = json_pack("{s:I,s:s}", "line", (json_int_t)j->line, "reason", err->msg);
		json_t *text = json_stringn(raw, j->raw_len);
		if (o && text) {
			json_object_set_new(o, "row", text);
		} else if (o) {
			/* bytes JSON cannot hold as text travel as base64: nothing lost */
			size_t cap = 4 * ((j->raw_len + 2) / 3) + 1;
			unsigned char *b64 = malloc(cap);
			if (b64) {
				EVP_EncodeBlock(b64, (const unsigned char *)raw, (int)j->raw_len);
				json_object_set_new(o, "row_base64", json_string((char *)b64));
			}
			free(b64);
		}
		if (!o || json_dumpf(o, im->rejects, JSON_COMPACT))
			errno = errno ? errno : ENOMEM;
		fputc('\n', im->rejects);
		json_decref(o);
	} else {
		if (im->sum->rejected == 0)
			fprintf(im->rejects, "%s%creason\n", lf_buf_str(&im->header), im->delim);
		if (j->syntax) {
			fputc('"', im->rejects);
			for (size_t i = 0; i < j->raw_len; i++) {
				if (raw[i] == '"')
					fputc('"', im->rejects);
				fputc(raw[i], im->rejects);
			}
			fputc('"', im->rejects);
		} else {
			fwrite(raw, 1, j->raw_len, im->rejects);
		}
		fputc(im->delim, im->rejects);
		lf_csv_write_field(im->rejects, err->msg, im->delim);
		fputc('\n', im->rejects);
	}
	im->sum->rejected++;
	if (ferror(im->rejects))
		return lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s",
				    im->o->rejects_path, lf_errno_str(errno));
	lf_error_clear(err);
	return LF_OK;
}

/* How a job that was applied ends: counted, its row rejected, or the import stopped. */
static enum lf_result settle(struct importer *im, struct batch *b, struct job *j,
			     struct lf_error *err)
{
	if (j->r && row_level(j->r))
		return reject(im, j, b->raw.data + j->raw_off, err);
	if (j->r)
		*err = j->err;
	return j->r;
}

/*
 * Stores the events prepared since the last other row, many at a time
 * (lf_store_event_insert_many), then settles each in file order. When the
 * lot fails (one names a lead id that does not exist), they go one by one
 * so that the row at fault is rejected alone, as any other.
 */
static enum lf_result flush_events(struct importer *im, struct batch *b, struct job **held,
				   size_t *n, struct lf_error *err)
{
	struct lf_event ev[BATCH_ROWS];
	bool inserted[BATCH_ROWS];
	struct lf_error many;
	enum lf_result r = LF_OK, all;

	for (size_t i = 0; i < *n; i++)
		ev[i] = held[i]->rec.event;
	all = lf_store_event_insert_many(im->apply.s, ev, *n, inserted, &many);
	for (size_t i = 0; i < *n && !r; i++) {
		struct job *j = held[i];
		j->r = all ? lf_apply_event_insert(&im->apply, &j->rec, &j->err)
			   : lf_apply_event_stored(&im->apply, &j->rec, inserted[i], &j->err);
		r = settle(im, b, j, err);
	}
	*n = 0;
	return r;
}

static enum lf_result drain(struct importer *im, struct batch *b, struct lf_error *err)
{
	struct job *held[BATCH_ROWS];
	size_t n = 0;
	enum lf_result r = LF_OK;

	for (size_t i = 0; i < b->n && !r; i++) {
		struct job *j = &b->jobs[i];
		if (!j->r && j->rec.entity == LF_ENTITY_EVENTS &&
		    !(j->r = lf_apply_event_prepare(&im->apply, &j->rec, &j->err))) {
			held[n++] = j;   /* stored with the others before the next other row */
			continue;
		}
		if (n && (r = flush_events(im, b, held, &n, err)))
			break;
		if (!j->r)
			j->r = lf_apply_record(&im->apply, &j->rec, &j->err);
		r = settle(im, b, j, err);
	}
	if (!r && n)
		r = flush_events(im, b, held, &n, err);
	if (!r && b->fatal) {
		*err = b->err;
		r = b->fatal;
	}
	if (!r && im->o->progress)
		im->o->progress(im->o->progress_ctx, b->pos, im->size);
	return r;
}

static enum lf_result run(struct importer *im, struct lf_error *err)
{
	struct batch *batches[QUEUE_BATCHES] = { 0 };
	pthread_t reader;
	enum lf_result r = LF_OK;
	bool last = false;

	pthread_mutex_init(&im->q.mu, NULL);
	pthread_cond_init(&im->q.cv, NULL);
	for (int i = 0; i < QUEUE_BATCHES; i++) {
		if (!(batches[i] = calloc(1, sizeof(*batches[i])))) {
			r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
			goto out;
		}
		lf_buf_init(&batches[i]->raw, BATCH_RAW_SOFT_MAX + 2 * LF_IMPORT_LINE_MAX);
		im->q.free[im->q.nfree++] = batches[i];
	}
	if (im->ndjson && !(im->in.buf = malloc(BLOCK_BYTES))) {
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (pthread_create(&reader, NULL, reader_main, im)) {
		r = lf_error_set(err, LF_ERR_INTERNAL, "cannot start the reader thread");
		goto out;
	}
	while (!r && !last) {
		struct batch *b = take_ready(&im->q);
		r = drain(im, b, err);
		last = b->last;
		put_free(&im->q, b);
	}
	stop_reader(&im->q);
	pthread_join(reader, NULL);
out:
	for (int i = 0; i < QUEUE_BATCHES; i++)
		if (batches[i]) {
			batch_clear(batches[i]);
			lf_buf_release(&batches[i]->raw);
			free(batches[i]);
		}
	free(im->in.buf);
	im->in.buf = NULL;
	pthread_cond_destroy(&im->q.cv);
	pthread_mutex_destroy(&im->q.mu);
	return r;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

enum lf_result lf_import_file(struct lf_store *s, const struct lf_import_options *o,
			      struct lf_import_summary *sum, struct lf_error *err)
{
	struct importer im = { .o = o, .sum = sum };
	struct stat st;
	enum lf_result r;
	bool tx = false;

	memset(sum, 0, sizeof(*sum));
	lf_applier_init(&im.apply, s, sum);
	lf_buf_init(&im.header, LF_CSV_RECORD_MAX);
	lf_buf_init(&im.names, LF_CSV_RECORD_MAX);
	lf_buf_init(&im.key, LF_CSV_RECORD_MAX);
	lf_spec_cache_init(&im.spec_cache);
	im.ndjson = o->format == LF_FORMAT_NDJSON ||
		    (o->format == LF_FORMAT_AUTO &&
		     (ends_with(o->path, ".ndjson") || ends_with(o->path, ".jsonl") ||
		      ends_with(o->path, ".json")));
	r = o->map_path ? lf_mapping_load(o->map_path, o->entity, &im.map, err)
			: lf_mapping_default(o->entity, &im.map);
	if (r)
		goto out;
	im.delim = o->delimiter ? o->delimiter : im.map.delimiter ? im.map.delimiter
		 : ends_with(o->path, ".tsv") ? '\t' : ',';
	if (!(im.f = fopen(o->path, "rb"))) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': %s", o->path,
				 lf_errno_str(errno));
		goto out;
	}
	if (fstat(fileno(im.f), &st) == 0 && S_ISDIR(st.st_mode)) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': is a directory",
				 o->path);
		goto out;
	}
	im.size = (uint64_t)st.st_size;
	if (!im.ndjson && (r = read_header(&im, err)))
		goto out;
	if (o->rejects_path && !(im.rejects = fopen(o->rejects_path, "w"))) {
		r = lf_error_set(err, LF_ERR_INPUT, "cannot open '%s': %s", o->rejects_path,
				 lf_errno_str(errno));
		goto out;
	}
	if ((r = lf_store_begin(s, err)))
		goto out;
	tx = true;
	/* scoring happens in the same transaction as the rows it scores */
	if ((r = lf_live_open(s, im.apply.now, &im.apply.live, err)))
		goto out;
	r = run(&im, err);
	if (!r)
		r = lf_apply_spend_flush(&im.apply, err);
	if (!r)
		r = lf_live_flush(im.apply.live, err);
	if (!r && im.rejects && fflush(im.rejects))
		r = lf_error_set(err, LF_ERR_IO, "cannot write '%s': %s", o->rejects_path,
				 lf_errno_str(errno));
	if (!r && !(r = lf_store_commit(s, err)))
		tx = false;
out:
	if (tx) {
		lf_store_rollback(s);
		memset(sum, 0, sizeof(*sum));
	}
	if (im.f)
		fclose(im.f);
	if (im.rejects)
		fclose(im.rejects);
	lf_csv_free(im.csv);
	lf_buf_release(&im.header);
	lf_buf_release(&im.names);
	lf_buf_release(&im.key);
	free(im.tmp);
	free(im.tmp_names);
	free(im.specs);
	free(im.key_idx);
	free(im.cells);
	lf_spec_cache_release(&im.spec_cache);
	lf_mapping_release(&im.map);
	lf_live_free(im.apply.live);
	lf_applier_release(&im.apply);
	return r;
}
