/*
 * rep_names.h - every rep's id and name, read once, for the reports that
 * name reps in their rows (by id in what they count).
 */
#ifndef LF_REPORT_REP_NAMES_H
#define LF_REPORT_REP_NAMES_H

#include <leadflow/store.h>

struct lf_rep_names {
	struct lf_rep *r;         /* id and name of each, by id */
	size_t n, cap;
};

/* Reads every rep into out (zeroed first); released after an error too. */
enum lf_result lf_rep_names_load(struct lf_store *s, struct lf_rep_names *out,
				 struct lf_error *err);
/* The name of rep id, or NULL when there is none. */
const char *lf_rep_names_get(const struct lf_rep_names *names, int64_t id);
void lf_rep_names_release(struct lf_rep_names *names);

#endif
