/*
 * mapping.h - how the columns of an import file become leadflow fields.
 *
 * A mapping is read from a YAML file (see docs/import.md) or built by
 * default. For every column of a file it says the target field (a core
 * field such as email or created_at, a free attribute, or an event
 * property), the type, and an optional table of raw value -> value (a raw
 * value outside that table is bad input). Values listed under `missing` mean
 * "no value" in every column. Pure: no I/O beyond reading the YAML file.
 */
#ifndef LF_INGEST_MAPPING_H
#define LF_INGEST_MAPPING_H

#include <leadflow/import.h>
#include <leadflow/value.h>

#include "core/strmap.h"
#include <stdbool.h>
#include <stddef.h>

const char *lf_entity_name(enum lf_entity e);

enum lf_col_type { LF_COL_STRING, LF_COL_NUMBER, LF_COL_BOOLEAN, LF_COL_DATE };

/* The target of a column. */
enum lf_target {
	LF_TARGET_FIELD,     /* a core field of the entity, by name */
	LF_TARGET_EXTRA,     /* a free attribute (leads) or property (events) */
	LF_TARGET_SKIP,      /* read and left out on purpose */
};

struct lf_value_entry {
	char *from;           /* raw value as it appears in the file */
	struct lf_value to;   /* LF_VAL_NULL: the raw value means missing */
};

struct lf_column_spec {
	char *column;         /* header name (CSV) or key (NDJSON) */
	enum lf_target target;
	char *name;           /* the field, attribute or property name */
	enum lf_col_type type;
	bool typed;           /* the mapping gave a type (else raw JSON types stay) */
	char thousands;       /* numbers: the thousands separator to drop ("10,000"), 0 none */
	char decimal;         /* numbers: the decimal mark when not '.' ("3,5"), 0 '.' */
	char date_order;      /* dates: 'm' for 12/31/2026, 'd' for 31/12/2026, 0 ISO only */
	struct lf_value_entry *values;
	size_t nvalues;       /* 0: no value table */
	int line, col;        /* where the mapping said it, 0 for defaults */
};

enum lf_unknown_policy { LF_UNKNOWN_KEEP, LF_UNKNOWN_IGNORE, LF_UNKNOWN_REJECT };

struct lf_mapping {
	enum lf_entity entity;
	char *path;           /* the mapping file, or NULL for the default */
	char delimiter;       /* 0 when the mapping does not say */
	char **missing;
	size_t nmissing;
	enum lf_unknown_policy unknown;
	struct lf_column_spec *cols;
	size_t ncols;
	/* `set`: fields given the same value on every row (e.g. stage: mql) */
	char **set_fields, **set_values;
	size_t nset;
	/* `skip_lines`: lines before the header (a report's title, its period) */
	int skip_lines;
	/* `header`: a CSV file without a header line, its columns named here */
	char **header;
	size_t nheader;
	/* `key`: a file without an id; the key field (lf_mapping_key_field) is
	 * made from these columns' values, or (key_line) from the file's name
	 * and the row's line */
	char **key_cols;
	size_t nkey;
	bool key_line;
};

/* The field a `key` makes: external_id for leads, id for events and touches. */
const char *lf_mapping_key_field(enum lf_entity e);

/* The mapping used without a file: every column by its snake_case name. */
enum lf_result lf_mapping_default(enum lf_entity entity, struct lf_mapping *out);
/* Reads a mapping file; errors name path:line:column. */
enum lf_result lf_mapping_load(const char *path, enum lf_entity entity,
			       struct lf_mapping *out, struct lf_error *err);
void lf_mapping_release(struct lf_mapping *m);

/*
 * The spec for a column of the file: the mapping's own entry, else a default
 * one written to *tmp (a core field when the snake_case name is one, else an
 * attribute or property, per the unknown-column policy). Returns NULL when
 * the policy rejects unknown columns and sets err.
 */
const struct lf_column_spec *lf_mapping_column(const struct lf_mapping *m,
					       const char *column,
					       struct lf_column_spec *tmp,
					       char *name_buf, size_t name_cap,
					       struct lf_error *err);

/*
 * Specs of the columns seen so far, by name, for NDJSON files whose keys
 * are looked up on every line. Holds at most LF_SPEC_CACHE_MAX names; past
 * that lf_spec_cache_get answers NULL and the caller resolves the column
 * itself. Refused columns are not cached (their error is per row).
 */
#define LF_SPEC_CACHE_MAX 1024
struct lf_spec_cache {
	struct lf_strmap index;        /* column name -> slot + 1 */
	struct lf_column_spec *slot[LF_SPEC_CACHE_MAX];
	size_t n;
};
void lf_spec_cache_init(struct lf_spec_cache *c);
void lf_spec_cache_release(struct lf_spec_cache *c);
const struct lf_column_spec *lf_spec_cache_get(struct lf_spec_cache *c,
					       const struct lf_mapping *m,
					       const char *column);

/* A raw cell: text, with what JSON said it was when it came from NDJSON. */
enum lf_raw_kind { LF_RAW_TEXT, LF_RAW_JSON_STRING, LF_RAW_JSON_NUMBER,
		   LF_RAW_JSON_BOOL, LF_RAW_JSON_NULL };

/*
 * Converts one cell by its spec. Missing values give LF_VAL_NULL. Dates give
 * a number of milliseconds (UTC). A failure is LF_ERR_INPUT with a message
 * that names the column and the value, e.g.
 * "column 'TotalVisits': bad number 'ten'". out->str is heap owned.
 */
enum lf_result lf_mapping_convert(const struct lf_mapping *m,
				  const struct lf_column_spec *spec,
				  enum lf_raw_kind kind, const char *raw,
				  struct lf_value *out, struct lf_error *err);

/* "Lead Quality" -> "lead_quality", "TotalVisits" -> "total_visits". */
void lf_snake_case(const char *in, char *out, size_t cap);

/* The type a core field of an entity has, or false when name is not one. */
bool lf_entity_field(enum lf_entity e, const char *name, enum lf_col_type *type);

#endif
