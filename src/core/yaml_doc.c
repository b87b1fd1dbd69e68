/*
 * yaml_doc.c - builds the position-keeping tree of yaml_doc.h from libyaml's
 * event stream: a recursive descent over MAPPING/SEQUENCE start and end
 * events, with libyaml's marks (0-based) turned into 1-based positions.
 */
#include <leadflow/buf.h>
#include "core/yaml_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct loader {
	yaml_parser_t parser;
	const char *path;
	struct lf_error *err;
};

const char *lf_yaml_kind_name(enum lf_yaml_kind k)
{
	switch (k) {
	case LF_YAML_SCALAR: return "a value";
	case LF_YAML_SEQ: return "a list";
	default: return "a mapping";
	}
}

void lf_yaml_free(struct lf_yaml *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->n; i++) {
		lf_yaml_free(node->items[i]);
		if (node->keys)
			lf_yaml_free(node->keys[i]);
	}
	free(node->items);
	free(node->keys);
	free(node->text);
	free(node);
}

static enum lf_result parse_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
	return lf_error_set(ld->err, LF_ERR_INPUT, "%s:%zu:%zu: %s%s%s", ld->path,
			    m->line + 1, m->column + 1,
			    p->problem ? p->problem : "bad yaml",
			    p->context ? " " : "", p->context ? p->context : "");
}

static struct lf_yaml *new_node(enum lf_yaml_kind kind, const yaml_mark_t *m)
{
	struct lf_yaml *n = calloc(1, sizeof(*n));
	if (n) {
		n->kind = kind;
		n->line = (int)m->line + 1;
		n->col = (int)m->column + 1;
	}
	return n;
}

static enum lf_result push(struct lf_yaml *parent, struct lf_yaml *key,
			   struct lf_yaml *child)
{
	struct lf_yaml **items = realloc(parent->items, (parent->n + 1) * sizeof(*items));
	if (!items)
		return LF_ERR_NOMEM;
	parent->items = items;
	if (parent->kind == LF_YAML_MAP) {
		struct lf_yaml **keys = realloc(parent->keys, (parent->n + 1) * sizeof(*keys));
		if (!keys)
			return LF_ERR_NOMEM;
		parent->keys = keys;
		keys[parent->n] = key;
	}
	items[parent->n++] = child;
	return LF_OK;
}

/* Reads one node whose first event is ev (already taken from the parser). */
static enum lf_result read_node(struct loader *ld, yaml_event_t *ev, int depth,
				struct lf_yaml **out)
{
	struct lf_yaml *node = NULL;
	enum lf_result r = LF_OK;

	*out = NULL;
	if (depth > LF_YAML_MAX_DEPTH)
		return lf_error_set(ld->err, LF_ERR_LIMIT, "%s:%zu:%zu: nested deeper than %d",
				    ld->path, ev->start_mark.line + 1,
				    ev->start_mark.column + 1, LF_YAML_MAX_DEPTH);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node = new_node(LF_YAML_SCALAR, &ev->start_mark);
		if (!node || !(node->text = strdup((char *)ev->data.scalar.value)))
			goto nomem;
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		*out = node;
		return LF_OK;
	case YAML_ALIAS_EVENT:
		return lf_error_set(ld->err, LF_ERR_INPUT,
				    "%s:%zu:%zu: aliases are not supported: write the "
				    "value out", ld->path, ev->start_mark.line + 1,
				    ev->start_mark.column + 1);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		return lf_error_set(ld->err, LF_ERR_INPUT, "%s:%zu:%zu: unexpected yaml",
				    ld->path, ev->start_mark.line + 1,
				    ev->start_mark.column + 1);
	}
	node = new_node(ev->type == YAML_SEQUENCE_START_EVENT ? LF_YAML_SEQ : LF_YAML_MAP,
			&ev->start_mark);
	if (!node)
		goto nomem;
	for (;;) {
		yaml_event_t e;
		struct lf_yaml *key = NULL, *val = NULL;

		if (!yaml_parser_parse(&ld->parser, &e)) {
			r = parse_error(ld);
			goto fail;
		}
		if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (node->kind == LF_YAML_MAP) {
			r = read_node(ld, &e, depth + 1, &key);
			yaml_event_delete(&e);
			if (r)
				goto fail;
			if (key->kind != LF_YAML_SCALAR) {
				r = lf_error_set(ld->err, LF_ERR_INPUT,
						 "%s:%d:%d: a key must be a plain value",
						 ld->path, key->line, key->col);
				lf_yaml_free(key);
				goto fail;
			}
			if (lf_yaml_get(node, key->text)) {
				r = lf_error_set(ld->err, LF_ERR_INPUT,
						 "%s:%d:%d: duplicate key '%s'", ld->path,
						 key->line, key->col, key->text);
				lf_yaml_free(key);
				goto fail;
			}
			if (!yaml_parser_parse(&ld->parser, &e)) {
				lf_yaml_free(key);
				r = parse_error(ld);
				goto fail;
			}
		}
		r = read_node(ld, &e, depth + 1, &val);
		yaml_event_delete(&e);
		if (r || (r = push(node, key, val))) {
			lf_yaml_free(key);
			lf_yaml_free(val);
			goto fail;
		}
	}
	*out = node;
	return LF_OK;
nomem:
	r = lf_error_set(ld->err, LF_ERR_NOMEM, "out of memory");
fail:
	lf_yaml_free(node);
	return r;
}

static enum lf_result read_text(const char *path, char **text, size_t *len,
				struct lf_error *err)
{
	struct lf_buf b = LF_BUF_INIT(LF_YAML_MAX_BYTES);
	enum lf_result r = lf_buf_read_file(&b, path, err);
	if (r) {
		lf_buf_release(&b);
		return r;
	}
	*len = b.len;
	*text = lf_buf_detach(&b);
	return LF_OK;
}

enum lf_result lf_yaml_load(const char *path, const char *text,
			    struct lf_yaml **out, struct lf_error *err)
{
	struct loader ld = { .path = path, .err = err };
	char *owned = NULL;
	size_t len = 0;
	enum lf_result r = LF_OK;
	yaml_event_t ev;
	bool done = false;

	*out = NULL;
	if (!text) {
		if ((r = read_text(path, &owned, &len, err)))
			return r;
		text = owned;
	} else {
		len = strlen(text);
	}
	if (!yaml_parser_initialize(&ld.parser)) {
		free(owned);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&ld.parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&ld.parser, &ev)) {
			r = parse_error(&ld);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		default:
			if (*out) {
				r = lf_error_set(err, LF_ERR_INPUT,
						 "%s:%zu:%zu: only one document is allowed",
						 path, ev.start_mark.line + 1,
						 ev.start_mark.column + 1);
				done = true;
				break;
			}
			r = read_node(&ld, &ev, 0, out);
			if (r)
				done = true;
		}
		yaml_event_delete(&ev);
		if (r)
			break;
	}
	yaml_parser_delete(&ld.parser);
	free(owned);
	if (!r && !*out) {
		yaml_mark_t m = { 0, 0, 0 };
		if (!(*out = new_node(LF_YAML_MAP, &m)))
			r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	if (r) {
		lf_yaml_free(*out);
		*out = NULL;
	}
	return r;
}

const struct lf_yaml *lf_yaml_get(const struct lf_yaml *map, const char *key)
{
	if (!map || map->kind != LF_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->text, key))
			return map->items[i];
	return NULL;
}

bool lf_yaml_is_null(const struct lf_yaml *node)
{
	return node->kind == LF_YAML_SCALAR && node->plain &&
	       (!node->text[0] || !strcmp(node->text, "~") || !strcmp(node->text, "null"));
}
