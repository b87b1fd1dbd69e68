/*
 * mapping.c - import mappings: the table of core fields per entity, the
 * YAML reader for mapping files, and the conversion of one raw cell into a
 * typed value. Everything a user can get wrong in a mapping file is reported
 * with its file:line:column.
 */
#include "ingest/mapping.h"
#include "core/yaml_doc.h"

#include <ctype.h>
#include <errno.h>
#include <leadflow/time.h>
#include <leadflow/types.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define E_LEADS (1u << LF_ENTITY_LEADS)
#define E_EVENTS (1u << LF_ENTITY_EVENTS)
#define E_TOUCHES (1u << LF_ENTITY_TOUCHES)
#define E_SPEND (1u << LF_ENTITY_SPEND)

/* The core fields an import can fill, per entity. */
static const struct field_def {
	const char *name;
	enum lf_col_type type;
	unsigned entities;
} field_defs[] = {
	{ "external_id", LF_COL_STRING, E_LEADS | E_EVENTS | E_TOUCHES },
	{ "email", LF_COL_STRING, E_LEADS | E_EVENTS | E_TOUCHES },
	{ "lead_id", LF_COL_NUMBER, E_EVENTS | E_TOUCHES },
	{ "name", LF_COL_STRING, E_LEADS },
	{ "first_name", LF_COL_STRING, E_LEADS },
	{ "last_name", LF_COL_STRING, E_LEADS },
	{ "company", LF_COL_STRING, E_LEADS },
	{ "title", LF_COL_STRING, E_LEADS },
	{ "country", LF_COL_STRING, E_LEADS },
	{ "industry", LF_COL_STRING, E_LEADS },
	{ "source", LF_COL_STRING, E_LEADS },
	{ "campaign", LF_COL_STRING, E_LEADS | E_SPEND },
	{ "employees", LF_COL_NUMBER, E_LEADS },
	{ "created_at", LF_COL_DATE, E_LEADS },
	{ "stage", LF_COL_STRING, E_LEADS },
	{ "disq_reason", LF_COL_STRING, E_LEADS },
	{ "rating", LF_COL_NUMBER, E_LEADS },
	{ "owner", LF_COL_STRING, E_LEADS },
	{ "opened_at", LF_COL_DATE, E_LEADS },
	{ "stage_at", LF_COL_DATE, E_LEADS },
	{ "id", LF_COL_STRING, E_EVENTS | E_TOUCHES },
	{ "type", LF_COL_STRING, E_EVENTS },
	{ "occurred_at", LF_COL_DATE, E_EVENTS },
	{ "properties", LF_COL_STRING, E_EVENTS },
	{ "attributes", LF_COL_STRING, E_LEADS },
	{ "rep", LF_COL_STRING, E_TOUCHES },
	{ "kind", LF_COL_STRING, E_TOUCHES },
	{ "minutes", LF_COL_NUMBER, E_TOUCHES },
	{ "outcome", LF_COL_STRING, E_TOUCHES },
	{ "at", LF_COL_DATE, E_TOUCHES },
	{ "day", LF_COL_DATE, E_SPEND },
	{ "channel", LF_COL_STRING, E_SPEND },
	{ "amount", LF_COL_NUMBER, E_SPEND },
};

static const char *const type_names[] = {
	[LF_COL_STRING] = "string",
	[LF_COL_NUMBER] = "number",
	[LF_COL_BOOLEAN] = "boolean",
	[LF_COL_DATE] = "date",
};

const char *lf_entity_name(enum lf_entity e)
{
	switch (e) {
	case LF_ENTITY_LEADS: return "leads";
	case LF_ENTITY_EVENTS: return "events";
	case LF_ENTITY_SPEND: return "spend";
	default: return "touches";
	}
}

bool lf_entity_field(enum lf_entity e, const char *name, enum lf_col_type *type)
{
	for (size_t i = 0; i < sizeof(field_defs) / sizeof(field_defs[0]); i++)
		if ((field_defs[i].entities & (1u << e)) && !strcmp(field_defs[i].name, name)) {
			if (type)
				*type = field_defs[i].type;
			return true;
		}
	return false;
}

void lf_snake_case(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	bool sep = false;

	if (!cap)
		return;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (isalnum(*p)) {
			bool camel = isupper(*p) && p > (const unsigned char *)in &&
				     (islower(p[-1]) || isdigit(p[-1]));
			if ((sep || camel) && n > 0 && n + 1 < cap)
				out[n++] = '_';
			sep = false;
			if (n + 1 < cap)
				out[n++] = (char)tolower(*p);
		} else if (*p >= 0x80) {
			/* keep UTF-8 letters as they are */
			if (sep && n > 0 && n + 1 < cap)
				out[n++] = '_';
			sep = false;
			if (n + 1 < cap)
				out[n++] = (char)*p;
		} else {
			sep = true;
		}
	}
	out[n] = '\0';
}

static void entry_release(struct lf_value_entry *e)
{
	free(e->from);
	lf_value_release(&e->to);
}

static void spec_release(struct lf_column_spec *c)
{
	free(c->column);
	free(c->name);
	for (size_t i = 0; i < c->nvalues; i++)
		entry_release(&c->values[i]);
	free(c->values);
}

void lf_mapping_release(struct lf_mapping *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ncols; i++)
		spec_release(&m->cols[i]);
	free(m->cols);
	for (size_t i = 0; i < m->nmissing; i++)
		free(m->missing[i]);
	free(m->missing);
	for (size_t i = 0; i < m->nset; i++) {
		free(m->set_fields[i]);
		free(m->set_values[i]);
	}
	free(m->set_fields);
	free(m->set_values);
	for (size_t i = 0; i < m->nheader; i++)
		free(m->header[i]);
	free(m->header);
	for (size_t i = 0; i < m->nkey; i++)
		free(m->key_cols[i]);
	free(m->key_cols);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

enum lf_result lf_mapping_default(enum lf_entity entity, struct lf_mapping *out)
{
	memset(out, 0, sizeof(*out));
	out->entity = entity;
	/* an ad platform's export has dozens of columns spend does not keep */
	out->unknown = entity == LF_ENTITY_TOUCHES ? LF_UNKNOWN_REJECT
		     : entity == LF_ENTITY_SPEND ? LF_UNKNOWN_IGNORE : LF_UNKNOWN_KEEP;
	return LF_OK;
}

/* --- reading a mapping file ------------------------------------------ */

struct reader {
	const char *path;
	struct lf_error *err;
	struct lf_mapping *m;
};

static enum lf_result at(struct reader *rd, const struct lf_yaml *n, const char *fmt,
			 const char *a, const char *b)
{
	char what[LF_ERROR_MSG_MAX];
	snprintf(what, sizeof(what), fmt, a, b);
	return lf_error_set(rd->err, LF_ERR_INPUT, "%s:%d:%d: %s", rd->path, n->line,
			    n->col, what);
}

static enum lf_result want(struct reader *rd, const struct lf_yaml *n,
			   enum lf_yaml_kind kind, const char *key)
{
	if (n->kind == kind)
		return LF_OK;
	return at(rd, n, "'%s' must be %s", key, lf_yaml_kind_name(kind));
}

static bool parse_type(const char *s, enum lf_col_type *t)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(s, type_names[i])) {
			*t = (enum lf_col_type)i;
			return true;
		}
	return false;
}

/* A YAML scalar as the value a raw cell maps to, of the column's type. */
static enum lf_result value_of(struct reader *rd, const struct lf_yaml *n,
			       const struct lf_column_spec *c, struct lf_value *v)
{
	memset(v, 0, sizeof(*v));
	if (n->kind != LF_YAML_SCALAR)
		return at(rd, n, "a value in 'values' must be a single value%s%s", "", "");
	if (lf_yaml_is_null(n))
		return LF_OK;
	enum lf_col_type t = c->type;
	if (!c->typed) {
		char *end;
		if (n->plain && (!strcmp(n->text, "true") || !strcmp(n->text, "false")))
			t = LF_COL_BOOLEAN;
		else if (n->plain && (strtod(n->text, &end), *end == '\0' && end != n->text))
			t = LF_COL_NUMBER;
		else
			t = LF_COL_STRING;
	}
	switch (t) {
	case LF_COL_BOOLEAN:
		if (strcmp(n->text, "true") && strcmp(n->text, "false"))
			return at(rd, n, "'%s' is not a boolean: expected true or false%s",
				  n->text, "");
		v->type = LF_VAL_BOOL;
		v->b = n->text[0] == 't';
		return LF_OK;
	case LF_COL_NUMBER: {
		char *end;
		errno = 0;
		v->num = strtod(n->text, &end);
		if (*end || end == n->text || errno || !isfinite(v->num))
			return at(rd, n, "'%s' is not a number%s", n->text, "");
		v->type = LF_VAL_NUMBER;
		return LF_OK;
	}
	default:
		if (c->target == LF_TARGET_FIELD && !strcmp(c->name, "stage")) {
			enum lf_stage st;
			struct lf_error e2;
			if (lf_stage_parse(n->text, &st, &e2))
				return at(rd, n, "%s%s", e2.msg, "");
		}
		v->type = LF_VAL_STRING;
		v->str = strdup(n->text);
		return v->str ? LF_OK : LF_ERR_NOMEM;
	}
}

static const char *type_name(enum lf_col_type t)
{
	switch (t) {
	case LF_COL_NUMBER: return "numbers";
	case LF_COL_BOOLEAN: return "booleans";
	case LF_COL_DATE: return "dates";
	default: return "text";
	}
}

static enum lf_result set_target(struct reader *rd, const struct lf_yaml *n,
				 struct lf_column_spec *c, const char *field)
{
	enum lf_col_type t;

	if (!strcmp(field, "skip")) {
		c->target = LF_TARGET_SKIP;
		return LF_OK;
	}
	if (!strcmp(field, "attribute") || !strcmp(field, "property")) {
		if (rd->m->entity == LF_ENTITY_TOUCHES)
			return at(rd, n, "touches have no free %ss%s", field, "");
		c->target = LF_TARGET_EXTRA;
		return LF_OK;
	}
	if (!lf_entity_field(rd->m->entity, field, &t)) {
		char list[512] = "";
		for (size_t i = 0; i < sizeof(field_defs) / sizeof(field_defs[0]); i++)
			if (field_defs[i].entities & (1u << rd->m->entity)) {
				strcat(list, field_defs[i].name);
				strcat(list, ", ");
			}
		strcat(list, rd->m->entity == LF_ENTITY_LEADS ? "attribute, skip"
			     : rd->m->entity == LF_ENTITY_EVENTS ? "property, skip" : "skip");
		return at(rd, n, "unknown field '%s': expected one of %s", field, list);
	}
	c->target = LF_TARGET_FIELD;
	free(c->name);
	c->name = strdup(field);
	if (!c->typed)
		c->type = t;
	return c->name ? LF_OK : LF_ERR_NOMEM;
}

static enum lf_result read_column(struct reader *rd, const struct lf_yaml *key,
				  const struct lf_yaml *n, struct lf_column_spec *c)
{
	char snake[256];
	enum lf_result r;
	const struct lf_yaml *v;

	memset(c, 0, sizeof(*c));
	c->line = key->line;
	c->col = key->col;
	if (!(c->column = strdup(key->text)))
		return LF_ERR_NOMEM;
	lf_snake_case(key->text, snake, sizeof(snake));
	c->target = rd->m->entity == LF_ENTITY_TOUCHES ? LF_TARGET_SKIP : LF_TARGET_EXTRA;
	if (!(c->name = strdup(snake)))
		return LF_ERR_NOMEM;

	if (n->kind == LF_YAML_SCALAR)
		return set_target(rd, n, c, n->text);
	if (n->kind != LF_YAML_MAP)
		return at(rd, n, "column '%s' must map to a field name or a mapping "
			  "with field, name, type, values%s", key->text, "");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->text;
		if (strcmp(k, "field") && strcmp(k, "name") && strcmp(k, "type") &&
		    strcmp(k, "values") && strcmp(k, "skip") && strcmp(k, "thousands") &&
		    strcmp(k, "decimal") && strcmp(k, "order"))
			return at(rd, n->keys[i], "unknown key '%s': expected field, name, "
				  "type, values, skip, thousands, decimal or order%s", k, "");
	}
	if ((v = lf_yaml_get(n, "order"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "order")))
			return r;
		if (strcmp(v->text, "mdy") && strcmp(v->text, "dmy"))
			return at(rd, v, "'order' is mdy (12/31/2026) or dmy (31/12/2026), not "
				  "'%s'%s", v->text, "");
		c->date_order = v->text[0];
	}
	for (int pass = 0; pass < 2; pass++) {
		const char *k = pass ? "decimal" : "thousands";
		if (!(v = lf_yaml_get(n, k)))
			continue;
		if ((r = want(rd, v, LF_YAML_SCALAR, k)))
			return r;
		if (strlen(v->text) != 1 || (v->text[0] >= '0' && v->text[0] <= '9'))
			return at(rd, v, "'%s' is one character that is not a digit (\",\", \".\", "
				  "\" \", \"'\"), got '%s'", k, v->text);
		*(pass ? &c->decimal : &c->thousands) = v->text[0];
	}
	if ((v = lf_yaml_get(n, "type"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "type")))
			return r;
		if (!parse_type(v->text, &c->type))
			return at(rd, v, "unknown type '%s': expected string, number, "
				  "boolean or date%s", v->text, "");
		c->typed = true;
	}
	if ((v = lf_yaml_get(n, "field"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "field")) ||
		    (r = set_target(rd, v, c, v->text)))
			return r;
	} else if (rd->m->entity == LF_ENTITY_TOUCHES && !lf_yaml_get(n, "skip")) {
		return at(rd, n, "column '%s' needs a 'field': touches have no free "
			  "attributes%s", key->text, "");
	}
	if ((v = lf_yaml_get(n, "skip"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "skip")))
			return r;
		if (!strcmp(v->text, "true"))
			c->target = LF_TARGET_SKIP;
		else if (strcmp(v->text, "false"))
			return at(rd, v, "'skip' must be true or false%s%s", "", "");
	}
	if ((v = lf_yaml_get(n, "name"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "name")))
			return r;
		if (c->target != LF_TARGET_EXTRA)
			return at(rd, v, "'name' renames an attribute or property; "
				  "this column goes to field '%s'", c->name, "");
		if (lf_entity_field(rd->m->entity, v->text, NULL))
			return at(rd, v, "'%s' is a field of %s: an attribute of that name would "
				  "never be read; choose another name", v->text,
				  lf_entity_name(rd->m->entity));
		free(c->name);
		if (!(c->name = strdup(v->text)))
			return LF_ERR_NOMEM;
	} else if (c->target == LF_TARGET_EXTRA && !lf_yaml_get(n, "field")) {
		/* a column named like a field is that field, when its type fits: an
		 * attribute of the same name would hide behind the field, never read */
		enum lf_col_type t;
		if (lf_entity_field(rd->m->entity, c->name, &t) && strcmp(c->name, "attributes") &&
		    strcmp(c->name, "properties")) {
			if (c->typed && c->type != t) {
				char what[512];
				snprintf(what, sizeof(what), "column '%s' is named like the field "
					 "'%s', which holds %s, but is typed %s: keep it as an "
					 "attribute under another name (name: %s_value), or drop "
					 "the type", key->text, c->name, type_name(t),
					 type_name(c->type), c->name);
				return at(rd, key, "%s%s", what, "");
			}
			c->target = LF_TARGET_FIELD;
			c->type = t;
		}
	}
	if ((v = lf_yaml_get(n, "values"))) {
		if ((r = want(rd, v, LF_YAML_MAP, "values")))
			return r;
		if (!(c->values = calloc(v->n ? v->n : 1, sizeof(*c->values))))
			return LF_ERR_NOMEM;
		for (size_t i = 0; i < v->n; i++) {
			struct lf_value_entry *e = &c->values[c->nvalues];
			if ((r = value_of(rd, v->items[i], c, &e->to)))
				return r;
			if (!(e->from = strdup(v->keys[i]->text))) {
				lf_value_release(&e->to);
				return LF_ERR_NOMEM;
			}
			c->nvalues++;
		}
	}
	return LF_OK;
}

/* A YAML list of names into a new array. */
static enum lf_result names_list(struct reader *rd, const struct lf_yaml *v, const char *key,
				 char ***out, size_t *n)
{
	enum lf_result r;
	if ((r = want(rd, v, LF_YAML_SEQ, key)))
		return r;
	if (!(*out = calloc(v->n ? v->n : 1, sizeof(char *))))
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < v->n; i++) {
		if ((r = want(rd, v->items[i], LF_YAML_SCALAR, key)))
			return r;
		if (!((*out)[*n] = strdup(v->items[i]->text)))
			return LF_ERR_NOMEM;
		++*n;
	}
	return LF_OK;
}

const char *lf_mapping_key_field(enum lf_entity e)
{
	return e == LF_ENTITY_LEADS ? "external_id" : "id";
}

static enum lf_result read_top(struct reader *rd, const struct lf_yaml *doc)
{
	struct lf_mapping *m = rd->m;
	const struct lf_yaml *v;
	enum lf_result r;

	if (doc->kind != LF_YAML_MAP)
		return at(rd, doc, "a mapping file must be a mapping with 'columns'%s%s",
			  "", "");
	for (size_t i = 0; i < doc->n; i++) {
		const char *k = doc->keys[i]->text;
		if (strcmp(k, "entity") && strcmp(k, "delimiter") && strcmp(k, "missing") &&
		    strcmp(k, "unknown_columns") && strcmp(k, "columns") && strcmp(k, "set") &&
		    strcmp(k, "header") && strcmp(k, "key") && strcmp(k, "skip_lines"))
			return at(rd, doc->keys[i], "unknown key '%s': expected entity, "
				  "delimiter, missing, unknown_columns, set, header, key, "
				  "skip_lines or columns%s", k, "");
	}
	if ((v = lf_yaml_get(doc, "skip_lines"))) {
		char *end;
		if ((r = want(rd, v, LF_YAML_SCALAR, "skip_lines")))
			return r;
		long n = strtol(v->text, &end, 10);
		if (*end || end == v->text || n < 0 || n > 100)
			return at(rd, v, "'skip_lines' is a number of lines from 0 to 100, not "
				  "'%s'%s", v->text, "");
		m->skip_lines = (int)n;
	}
	if ((v = lf_yaml_get(doc, "header"))) {
		if ((r = names_list(rd, v, "header", &m->header, &m->nheader)))
			return r;
		if (!m->nheader)
			return at(rd, v, "'header' names the file's columns, in order%s%s", "", "");
	}
	if ((v = lf_yaml_get(doc, "key"))) {
		if (v->kind == LF_YAML_SCALAR && !strcmp(v->text, "line")) {
			m->key_line = true;
		} else if (v->kind != LF_YAML_SEQ) {
			return at(rd, v, "'key' is a list of columns whose values make the id, or "
				  "'line'%s%s", "", "");
		} else if ((r = names_list(rd, v, "key", &m->key_cols, &m->nkey))) {
			return r;
		} else if (!m->nkey) {
			return at(rd, v, "'key' needs at least one column%s%s", "", "");
		}
	}
	if ((v = lf_yaml_get(doc, "entity"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "entity")))
			return r;
		if (strcmp(v->text, lf_entity_name(m->entity)))
			return at(rd, v, "this mapping is for %s, not %s",
				  v->text, lf_entity_name(m->entity));
	}
	if ((v = lf_yaml_get(doc, "delimiter"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "delimiter")))
			return r;
		if (strlen(v->text) == 2 && v->text[0] == '\\' && v->text[1] == 't')
			m->delimiter = '\t';
		else if (strlen(v->text) == 1 && v->text[0] != '"' && v->text[0] != '\n')
			m->delimiter = v->text[0];
		else
			return at(rd, v, "'delimiter' must be one character, got '%s'%s",
				  v->text, "");
	}
	if ((v = lf_yaml_get(doc, "unknown_columns"))) {
		if ((r = want(rd, v, LF_YAML_SCALAR, "unknown_columns")))
			return r;
		if (!strcmp(v->text, "keep"))
			m->unknown = LF_UNKNOWN_KEEP;
		else if (!strcmp(v->text, "ignore"))
			m->unknown = LF_UNKNOWN_IGNORE;
		else if (!strcmp(v->text, "reject"))
			m->unknown = LF_UNKNOWN_REJECT;
		else
			return at(rd, v, "'unknown_columns' must be keep, ignore or reject, "
				  "got '%s'%s", v->text, "");
		if (m->entity == LF_ENTITY_TOUCHES && m->unknown == LF_UNKNOWN_KEEP)
			return at(rd, v, "touches have no free attributes: use ignore or "
				  "reject%s%s", "", "");
	}
	if ((v = lf_yaml_get(doc, "missing"))) {
		if ((r = want(rd, v, LF_YAML_SEQ, "missing")))
			return r;
		if (!(m->missing = calloc(v->n ? v->n : 1, sizeof(char *))))
			return LF_ERR_NOMEM;
		for (size_t i = 0; i < v->n; i++) {
			if ((r = want(rd, v->items[i], LF_YAML_SCALAR, "missing")))
				return r;
			if (!(m->missing[m->nmissing] = strdup(v->items[i]->text)))
				return LF_ERR_NOMEM;
			m->nmissing++;
		}
	}
	if ((v = lf_yaml_get(doc, "set"))) {
		if ((r = want(rd, v, LF_YAML_MAP, "set")))
			return r;
		m->set_fields = calloc(v->n ? v->n : 1, sizeof(char *));
		m->set_values = calloc(v->n ? v->n : 1, sizeof(char *));
		if (!m->set_fields || !m->set_values)
			return LF_ERR_NOMEM;
		for (size_t i = 0; i < v->n; i++) {
			if (!lf_entity_field(m->entity, v->keys[i]->text, NULL))
				return at(rd, v->keys[i], "'set' takes fields of %s; '%s' is "
					  "not one", lf_entity_name(m->entity), v->keys[i]->text);
			if ((r = want(rd, v->items[i], LF_YAML_SCALAR, v->keys[i]->text)))
				return r;
			m->set_fields[m->nset] = strdup(v->keys[i]->text);
			m->set_values[m->nset] = strdup(v->items[i]->text);
			if (!m->set_fields[m->nset] || !m->set_values[m->nset])
				return LF_ERR_NOMEM;
			m->nset++;
		}
	}
	v = lf_yaml_get(doc, "columns");
	if (!v)
		return at(rd, doc, "a mapping needs 'columns'%s%s", "", "");
	if ((r = want(rd, v, LF_YAML_MAP, "columns")))
		return r;
	if (!(m->cols = calloc(v->n ? v->n : 1, sizeof(*m->cols))))
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < v->n; i++) {
		r = read_column(rd, v->keys[i], v->items[i], &m->cols[m->ncols]);
		m->ncols++;
		if (r)
			return r;
		/* one field, one column: which of two would win is not for a file to say */
		const struct lf_column_spec *c = &m->cols[m->ncols - 1];
		for (size_t k = 0; c->target == LF_TARGET_FIELD && k + 1 < m->ncols; k++)
			if (m->cols[k].target == LF_TARGET_FIELD &&
			    !strcmp(m->cols[k].name, c->name)) {
				char what[512];
				snprintf(what, sizeof(what), "columns '%s' (line %d) and '%s' both "
					 "map to field '%s': map one of them elsewhere (skip, or an "
					 "attribute with name:)", m->cols[k].column, m->cols[k].line,
					 c->column, c->name);
				return at(rd, v->keys[i], "%s%s", what, "");
			}
	}
	return LF_OK;
}

enum lf_result lf_mapping_load(const char *path, enum lf_entity entity,
			       struct lf_mapping *out, struct lf_error *err)
{
	struct lf_yaml *doc;
	struct reader rd = { path, err, out };
	enum lf_result r;

	lf_mapping_default(entity, out);
	if ((r = lf_yaml_load(path, NULL, &doc, err)))
		return r;
	if (!(out->path = strdup(path)))
		r = lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	else
		r = read_top(&rd, doc);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	lf_yaml_free(doc);
	if (r)
		lf_mapping_release(out);
	return r;
}

const struct lf_column_spec *lf_mapping_column(const struct lf_mapping *m,
					       const char *column,
					       struct lf_column_spec *tmp,
					       char *name_buf, size_t name_cap,
					       struct lf_error *err)
{
	enum lf_col_type t;

	for (size_t i = 0; i < m->ncols; i++)
		if (!strcmp(m->cols[i].column, column))
			return &m->cols[i];
	memset(tmp, 0, sizeof(*tmp));
	tmp->column = (char *)column;
	lf_snake_case(column, name_buf, name_cap);
	tmp->name = name_buf;
	if (lf_entity_field(m->entity, name_buf, &t)) {
		tmp->target = LF_TARGET_FIELD;
		tmp->type = t;
		return tmp;
	}
	switch (m->unknown) {
	case LF_UNKNOWN_KEEP:
		tmp->target = LF_TARGET_EXTRA;
		return tmp;
	case LF_UNKNOWN_IGNORE:
		tmp->target = LF_TARGET_SKIP;
		return tmp;
	default:
		if (m->path)
			lf_error_field(err, LF_ERR_INPUT, column,
				       "column '%s' is not a field of %s: map it in the mapping "
				       "file or mark it skip", column, lf_entity_name(m->entity));
		else
			lf_error_field(err, LF_ERR_INPUT, column, "unknown field '%s': %s do not"
				       " have it", column, lf_entity_name(m->entity));
		return NULL;
	}
}

void lf_spec_cache_init(struct lf_spec_cache *c)
{
	lf_strmap_init(&c->index);
	c->n = 0;
}

void lf_spec_cache_release(struct lf_spec_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->slot[i]->column);
		free(c->slot[i]->name);
		free(c->slot[i]);
	}
	lf_strmap_release(&c->index);
	c->n = 0;
}

const struct lf_column_spec *lf_spec_cache_get(struct lf_spec_cache *c,
					       const struct lf_mapping *m,
					       const char *column)
{
	struct lf_column_spec tmp, *copy;
	const struct lf_column_spec *spec;
	char name[256];
	int64_t slot;

	if (lf_strmap_get(&c->index, column, &slot))
		return c->slot[slot - 1];
	if (c->n == LF_SPEC_CACHE_MAX)
		return NULL;
	spec = lf_mapping_column(m, column, &tmp, name, sizeof(name), NULL);
	if (!spec || !(copy = malloc(sizeof(*copy))))
		return NULL;
	/* column and name are the cache's own; a value table is the mapping's */
	*copy = *spec;
	copy->column = strdup(column);
	copy->name = strdup(spec->name);
	if (!copy->column || !copy->name ||
	    lf_strmap_put(&c->index, column, (int64_t)c->n + 1)) {
		free(copy->column);
		free(copy->name);
		free(copy);
		return NULL;
	}
	c->slot[c->n++] = copy;
	return copy;
}

/* --- converting a cell ----------------------------------------------- */

static bool is_missing(const struct lf_mapping *m, const char *s)
{
	if (!*s)
		return true;
	for (size_t i = 0; i < m->nmissing; i++)
		if (!strcmp(m->missing[i], s))
			return true;
	return false;
}

static enum lf_result bad(struct lf_error *err, const struct lf_column_spec *c,
			  const char *what, const char *raw, const char *expected)
{
	return lf_error_field(err, LF_ERR_INPUT, c->column, "column '%s': %s '%s'%s%s",
			      c->column, what, raw, expected ? ": expected " : "",
			      expected ? expected : "");
}

enum lf_result lf_mapping_convert(const struct lf_mapping *m,
				  const struct lf_column_spec *c,
				  enum lf_raw_kind kind, const char *raw,
				  struct lf_value *out, struct lf_error *err)
{
	char trimmed[1024], *buf = NULL;
	const char *s = raw;
	size_t len;
	enum lf_result r = LF_OK;

	memset(out, 0, sizeof(*out));
	if (kind == LF_RAW_JSON_NULL)
		return LF_OK;
	/* trim surrounding blanks: CRM exports pad values */
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (s[len] != '\0') {
		if (len < sizeof(trimmed)) {
			memcpy(trimmed, s, len);
			trimmed[len] = '\0';
			s = trimmed;
		} else {
			if (!(buf = strndup(s, len)))
				return LF_ERR_NOMEM;
			s = buf;
		}
	}
	if ((kind == LF_RAW_TEXT || kind == LF_RAW_JSON_STRING) && is_missing(m, s))
		goto out;

	if (c->nvalues) {
		for (size_t i = 0; i < c->nvalues; i++)
			if (!strcmp(c->values[i].from, s)) {
				r = lf_value_copy(out, &c->values[i].to);
				goto out;
			}
		char expected[400] = "one of ";
		for (size_t i = 0; i < c->nvalues && strlen(expected) < 300; i++) {
			strcat(expected, i ? ", '" : "'");
			strncat(expected, c->values[i].from, 60);
			strcat(expected, "'");
		}
		r = bad(err, c, "unknown value", s, expected);
		goto out;
	}
	if (!c->typed && kind != LF_RAW_TEXT && kind != LF_RAW_JSON_STRING &&
	    c->target == LF_TARGET_EXTRA) {
		/* NDJSON keeps its own types for free attributes */
		if (kind == LF_RAW_JSON_BOOL) {
			out->type = LF_VAL_BOOL;
			out->b = !strcmp(s, "true");
		} else {
			out->type = LF_VAL_NUMBER;
			out->num = strtod(s, NULL);
		}
		goto out;
	}
	/* JSON says what a value is: a number or a boolean is never bent into text,
	 * nor a boolean into a number */
	if ((kind == LF_RAW_JSON_NUMBER || kind == LF_RAW_JSON_BOOL) &&
	    (c->type == LF_COL_STRING || c->type == LF_COL_DATE ||
	     (c->type == LF_COL_NUMBER && kind == LF_RAW_JSON_BOOL))) {
		r = lf_error_field(err, LF_ERR_INPUT, c->column, "column '%s': expected %s, got "
				   "the %s %s", c->column, c->type == LF_COL_NUMBER ? "a number"
				   : c->type == LF_COL_DATE ? "a date as text" : "text",
				   kind == LF_RAW_JSON_BOOL ? "boolean" : "number", s);
		goto out;
	}
	switch (c->type) {
	case LF_COL_NUMBER: {
		char *end, plain[128];
		if ((c->thousands || c->decimal) && strlen(s) < sizeof(plain)) {
			/* "10,000" or "1.234,5" as the export wrote it: separators between
			 * digits are dropped, the decimal mark becomes '.' */
			size_t k = 0;
			for (const char *p = s; *p; p++) {
				bool between = p > s && isdigit((unsigned char)p[-1]) &&
					       isdigit((unsigned char)p[1]);
				if (*p == c->thousands && between)
					continue;
				plain[k++] = *p == c->decimal && between ? '.' : *p;
			}
			plain[k] = '\0';
			s = plain;
		}
		errno = 0;
		out->num = strtod(s, &end);
		if (*end || end == s || errno == ERANGE || !isfinite(out->num))
			r = bad(err, c, "bad number", s, NULL);
		else
			out->type = LF_VAL_NUMBER;
		break;
	}
	case LF_COL_BOOLEAN:
		out->type = LF_VAL_BOOL;
		if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1") ||
		    !strcasecmp(s, "y"))
			out->b = true;
		else if (!strcasecmp(s, "no") || !strcasecmp(s, "false") ||
			 !strcmp(s, "0") || !strcasecmp(s, "n"))
			out->b = false;
		else
			r = bad(err, c, "bad boolean", s, "yes/no, true/false or 1/0");
		break;
	case LF_COL_DATE: {
		lf_time_ms t;
		struct lf_error e2;
		char iso[96];
		const char *raw = s;
		int a, b, y, used = 0;
		/* "12/31/2026" or "31.12.2026", a time after it: as ISO 8601 */
		if (c->date_order && strlen(s) < 64 &&
		    sscanf(s, "%d%*[/.-]%d%*[/.-]%d%n", &a, &b, &y, &used) == 3 && y >= 1000) {
			int month = c->date_order == 'm' ? a : b, day = c->date_order == 'm' ? b : a;
			snprintf(iso, sizeof(iso), "%04d-%02d-%02d%s%s", y, month, day,
				 s[used] ? "T" : "", s[used] ? s + used + 1 : "");
			if (s[used] && s[used] != ' ' && s[used] != 'T')
				iso[0] = '\0';   /* something else after the date: bad */
			s = iso;
		}
		if (lf_time_parse(s, &t, &e2)) {
			r = bad(err, c, "bad date", raw, c->date_order == 'm' ? "12/31/2026 (mdy)"
				: c->date_order == 'd' ? "31/12/2026 (dmy)" : "ISO 8601 like "
				"2026-03-01 or 2026-03-01T09:30:00Z");
		} else {
			out->type = LF_VAL_NUMBER;
			out->num = (double)t;
		}
		break;
	}
	default:
		out->type = LF_VAL_STRING;
		if (!(out->str = strdup(s)))
			r = LF_ERR_NOMEM;
	}
out:
	free(buf);
	if (r)
		lf_value_release(out);
	return r;
}
