/*
 * yaml_doc.h - a YAML file read into a small tree that keeps every node's
 * line and column, so that whoever interprets the tree (import mappings,
 * models, routing rules) can say exactly where a value is wrong.
 *
 * The tree owns all its memory; lf_yaml_free releases it. Anchors and
 * aliases are refused: files that both teams sign should read top to bottom.
 */
#ifndef LF_CORE_YAML_DOC_H
#define LF_CORE_YAML_DOC_H

#include <leadflow/error.h>
#include <stdbool.h>
#include <stddef.h>

enum lf_yaml_kind { LF_YAML_SCALAR, LF_YAML_SEQ, LF_YAML_MAP };

struct lf_yaml {
	enum lf_yaml_kind kind;
	int line, col;      /* 1-based, of the node's first character */
	char *text;         /* LF_YAML_SCALAR: the value as written */
	bool plain;         /* scalar written without quotes */
	size_t n;           /* children; for a map, n keys and n values */
	struct lf_yaml **items;  /* sequence items, or map values */
	struct lf_yaml **keys;   /* map keys (scalars) */
};

#define LF_YAML_MAX_BYTES (4u << 20)
#define LF_YAML_MAX_DEPTH 32

/*
 * Reads path (or, when text is not NULL, text under the name path). An empty
 * document gives an empty map. Errors name path:line:column.
 */
enum lf_result lf_yaml_load(const char *path, const char *text,
			    struct lf_yaml **out, struct lf_error *err);
void lf_yaml_free(struct lf_yaml *node);

/* The value under key in a map, or NULL. */
const struct lf_yaml *lf_yaml_get(const struct lf_yaml *map, const char *key);
/* A plain scalar that YAML reads as null: "", "~", "null". */
bool lf_yaml_is_null(const struct lf_yaml *node);
const char *lf_yaml_kind_name(enum lf_yaml_kind k);

#endif
