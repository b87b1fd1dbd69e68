/*
 * rep_names.c - every rep's id and name (rep_names.h).
 */
#include "report/rep_names.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

static enum lf_result on_rep(void *ctx, const struct lf_rep *r)
{
	struct lf_rep_names *names = ctx;
	if (LF_GROW(names->r, names->n, names->cap, 16))
		return LF_ERR_NOMEM;
	names->r[names->n] = (struct lf_rep){ .id = r->id, .name = strdup(r->name) };
	return names->r[names->n++].name ? LF_OK : LF_ERR_NOMEM;
}

enum lf_result lf_rep_names_load(struct lf_store *s, struct lf_rep_names *out,
				 struct lf_error *err)
{
	enum lf_result r;
	memset(out, 0, sizeof(*out));
	r = lf_store_rep_list(s, on_rep, out, err);
	if (r == LF_ERR_NOMEM)
		lf_error_set(err, r, "out of memory");
	if (r)
		lf_rep_names_release(out);
	return r;
}

const char *lf_rep_names_get(const struct lf_rep_names *names, int64_t id)
{
	for (size_t i = 0; i < names->n; i++)
		if (names->r[i].id == id)
			return names->r[i].name;
	return NULL;
}

void lf_rep_names_release(struct lf_rep_names *names)
{
	for (size_t i = 0; i < names->n; i++)
		free(names->r[i].name);
	free(names->r);
	memset(names, 0, sizeof(*names));
}
