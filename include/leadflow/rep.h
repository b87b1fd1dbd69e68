/*
 * rep.h - the rep a person or a row names, by name or by id. A name
 * that is not a rep is an error that lists the reps whose names are close
 * to it: a touch or an assignment never makes a rep on the fly (reps are
 * added on purpose, with their hours and pools).
 */
#ifndef LEADFLOW_REP_H
#define LEADFLOW_REP_H

#include <leadflow/store.h>

/*
 * The rep named key: its id when by_id and key is all digits, else its name.
 * LF_ERR_INPUT (field, when given, in err) naming the close names when there
 * is none. out is the caller's on success.
 */
enum lf_result lf_rep_lookup(struct lf_store *s, const char *key, bool by_id,
			     const char *field, struct lf_rep *out, struct lf_error *err);

/*
 * LF_ERR_INPUT naming the field unless r has a name with a visible
 * character, weekly_hours from 0 to 168, max_active from 0 to 100000, and
 * away_to after away_from when both are set: the one check of a rep, for
 * the command line and the API.
 */
enum lf_result lf_rep_check(const struct lf_rep *r, struct lf_error *err);

#endif
