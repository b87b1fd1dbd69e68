/*
 * record.h - one row of an import file, and what it becomes once checked:
 * a prepared lead, event or touch that the store can take without further
 * parsing. Preparing is pure (no store, no I/O), so the import can run it on
 * a thread of its own while another writes (see import.c).
 *
 * A record owns everything in it; lf_record_release frees it.
 */
#ifndef LF_INGEST_RECORD_H
#define LF_INGEST_RECORD_H

#include "ingest/mapping.h"

#include <jansson.h>
#include <leadflow/types.h>

/* One cell of a row: CSV text, or an NDJSON value. */
struct lf_cell {
	const char *name;
	const char *text;
	enum lf_raw_kind kind;
	json_t *json;          /* NDJSON objects and arrays, else NULL */
	char num[40];          /* NDJSON numbers and booleans as text */
};

struct lf_row {
	struct lf_cell *cells;
	size_t n;
	/* the cells' specs when known (CSV: from the header; NDJSON: from a
	 * cache), NULL or a NULL entry to resolve a cell by its name */
	const struct lf_column_spec **specs;
};

/* How an event or touch names its lead. */
struct lf_lead_ref {
	enum { LF_REF_NONE, LF_REF_ID, LF_REF_EXTERNAL, LF_REF_EMAIL } kind;
	int64_t id;
	char *text;
	char column[64];       /* the column that named it, for messages */
};

/* Lead fields other than text that a row may name. */
enum { LF_IN_EMPLOYEES, LF_IN_CREATED_AT, LF_IN_STAGE, LF_IN_FIRST, LF_IN_LAST,
       LF_IN_COUNT };

struct lf_record {
	enum lf_entity entity;
	/* leads: the values the row gives, and which fields it names */
	struct lf_lead lead;
	bool text[16];
	bool other[LF_IN_COUNT];
	int rating;             /* 1-5 on the stage change the row makes, 0 none */
	char *owner;            /* the owning rep by name, NULL when not named */
	lf_time_ms stage_at;    /* when the row's stage was reached, 0: the import's time */
	lf_time_ms opened_at;   /* when its opportunity opened (won, lost, opportunity) */
	struct lf_attrs attrs;  /* LF_VAL_NULL: the row clears that attribute */
	/* events and touches */
	struct lf_lead_ref ref;
	struct lf_event event;  /* lead_id unset */
	struct lf_attrs props;  /* the event's scalar properties, parsed once */
	struct lf_touch touch;  /* lead_id, rep_id unset; key may be NULL */
	char *rep;              /* a touch's rep by name, or NULL */
	struct lf_spend spend;  /* day INT64_MIN until a cell gives one */
};

/* Fills rec from row; LF_ERR_INPUT (and err) when the row is bad. */
enum lf_result lf_record_prepare(const struct lf_mapping *m, const struct lf_row *row,
				 struct lf_record *rec, struct lf_error *err);
void lf_record_release(struct lf_record *rec);
/*
 * Whether a lead record names its lead (an external id or an email), as an
 * upsert needs; LF_ERR_INPUT in err when not. A patch by id needs neither.
 */
bool lf_record_has_key(const struct lf_record *rec, struct lf_error *err);

/* Fills row's cells from a JSON object; the cells borrow from obj. */
enum lf_result lf_row_from_json(json_t *obj, struct lf_row *row, size_t *cap,
				struct lf_error *err);

#endif
