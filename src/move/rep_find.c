/*
 * rep_find.c - a rep by name or id, with the close names when there is
 * none (leadflow/rep.h). The close names come from one pass over the reps, which
 * only an error pays for.
 */
#include <leadflow/rep.h>

#include "core/names.h"

#include <stdlib.h>
#include <string.h>

static enum lf_result near_rep(void *ctx, const struct lf_rep *r)
{
	lf_names_close(ctx, r->name);
	return LF_OK;
}

static enum lf_result unknown(struct lf_store *s, const char *key, const char *field,
			      struct lf_error *err)
{
	struct lf_close_names near = { .wanted = key };
	char list[400];
	enum lf_result r = lf_store_rep_list(s, near_rep, &near, err);
	if (r)
		return r;
	lf_names_close_text(&near, list, sizeof(list));
	if (near.n)
		return lf_error_field(err, LF_ERR_INPUT, field, "no rep named '%s'; close "
				      "names: %s", key, list);
	return lf_error_field(err, LF_ERR_INPUT, field, "no rep named '%s' (reps are added "
			      "first, by an admin or a sales manager)", key);
}

enum lf_result lf_rep_lookup(struct lf_store *s, const char *key, bool by_id,
			     const char *field, struct lf_rep *out, struct lf_error *err)
{
	enum lf_result r;
	char *end;

	if (!key || !*key)
		return lf_error_field(err, LF_ERR_INPUT, field, "a rep needs a name");
	if (by_id && *key >= '0' && *key <= '9') {
		long long id = strtoll(key, &end, 10);
		if (!*end && id > 0) {
			r = lf_store_rep_get(s, id, out, err);
			if (r == LF_ERR_NOT_FOUND)
				return lf_error_field(err, LF_ERR_INPUT, field, "no rep with id %lld",
						      id);
			return r;
		}
	}
	r = lf_store_rep_find(s, key, out, err);
	return r == LF_ERR_NOT_FOUND ? unknown(s, key, field, err) : r;
}

enum lf_result lf_rep_check(const struct lf_rep *r, struct lf_error *err)
{
	if (!r->name || strspn(r->name, " \t") == strlen(r->name))
		return lf_error_field(err, LF_ERR_INPUT, "name", "a rep needs a name, got '%s'",
				      r->name ? r->name : "");
	if (!(r->weekly_hours >= 0 && r->weekly_hours <= 168))
		return lf_error_field(err, LF_ERR_INPUT, "weekly_hours", "weekly hours are 0 to "
				      "168, got %g", r->weekly_hours);
	if (r->max_active < 0 || r->max_active > 100000)
		return lf_error_field(err, LF_ERR_INPUT, "max_active", "the most active leads is 0 "
				      "to 100000, got %d", r->max_active);
	if (r->away_from && r->away_to && r->away_to <= r->away_from)
		return lf_error_field(err, LF_ERR_INPUT, "away_to", "away_to must come after "
				      "away_from");
	return LF_OK;
}
