/*
 * dataset.h - the closed leads as training data (SPEC 8), read once as they
 * stream from the store: a row per closed lead (its outcome, its decision
 * time: the first move out of marketing's stages) and a column per
 * candidate field (the lead's describing fields and every attribute not
 * left out), text interned so that a value is a number from then on; and,
 * per event type, the decayed count at the decision of the events before
 * it (what the engine's engagement rules count; later events are sales'
 * doing or the outcome's, left out).
 */
#ifndef LF_LEARN_DATASET_H
#define LF_LEARN_DATASET_H

#include "core/stats.h"
#include "core/strmap.h"

#include <leadflow/store.h>

#define LF_CELL_MISSING -1
#define LF_CELL_NUMBER -2           /* and below: a number, by its place in nums */

/*
 * A field column holds a cell per row: an interned text (>= 0),
 * LF_CELL_MISSING, or a number as LF_CELL_NUMBER - k (the k-th of nums). An
 * event column holds the decayed counts themselves. Four bytes a cell: on a
 * machine where the first touch of a page costs microseconds, memory is
 * time.
 */
struct lf_column {
	char *name;
	int32_t *v;                 /* field columns */
	double *x;                  /* event columns */
	bool is_bool, event;
};

struct lf_row {
	int64_t id;
	int y;                      /* the outcome came */
	int fold;                   /* the trainer's */
	lf_time_ms decided_at;      /* 0: not known */
};

struct lf_dataset_options {
	bool outcome_won;           /* else: reached sql */
	lf_time_ms to;              /* leads created before it only (0: all) */
	const char *exclude;        /* comma-separated fields left out (a trailing * a prefix) */
	double half_life_days;      /* of the event counts */
	bool with_sales;            /* sales' own closed leads too */
};

#define LF_DATASET_ATTR_CACHE 64

struct lf_dataset {
	struct lf_dataset_options o;
	struct lf_row *rows;        /* in lead order */
	size_t n, cap;
	struct lf_column *cols;
	size_t ncols;
	char **texts;               /* interned, by id; "false" is 0, "true" 1 */
	size_t ntexts, captexts;
	struct lf_doubles nums;     /* the numbers of field cells */
	double take_seconds;        /* time spent building columns while reading */
	double read_seconds;        /* the rest of the reading: the store's own time */
	size_t sales_closed;        /* closed leads of sales' own, left out */
	/* reading state */
	struct lf_strmap colmap;    /* field name -> column, -1 when excluded */
	struct lf_strmap evmap;     /* event type -> column */
	struct lf_strmap textmap;   /* text -> interned id */
	const char *last_name[LF_DATASET_ATTR_CACHE];
	int64_t last_col[LF_DATASET_ATTR_CACHE];
	size_t text_offsets[8];
	int64_t field_col[8];       /* the columns of the lead's fields, then employees */
};

/* Reads the closed leads (sales' own left out); release even after a failure. */
enum lf_result lf_dataset_read(struct lf_store *s, const struct lf_dataset_options *o,
			       struct lf_dataset *d, struct lf_error *err);
void lf_dataset_release(struct lf_dataset *d);

#endif
