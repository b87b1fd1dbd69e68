/*
 * names.h - comma-separated lists of names ("emea, enterprise", a rep's
 * pools; "tags,asymmetrique*", fields left out of training), spaces around
 * each name ignored.
 */
#ifndef LF_CORE_NAMES_H
#define LF_CORE_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether list (NULL: empty) names name; with prefixes, an entry ending in
 * '*' takes every name that starts with what comes before it.
 */
bool lf_names_has(const char *list, const char *name, bool prefixes);

/*
 * The names close to one that was not found ("did you mean"), for errors:
 * fed every candidate, it keeps the nearest few by edit distance (letters
 * compared without case), none farther than a third of the name's length
 * (at least 2). Zero it, set wanted, feed it, read names[0..n).
 */
#define LF_CLOSE_NAMES_MAX 5
struct lf_close_names {
	const char *wanted;
	char names[LF_CLOSE_NAMES_MAX][64];
	size_t dist[LF_CLOSE_NAMES_MAX];
	size_t n;
};
void lf_names_close(struct lf_close_names *c, const char *candidate);
/* "'a', 'b'" ("" when none), cut to cap. */
void lf_names_close_text(const struct lf_close_names *c, char *buf, size_t cap);

#endif
