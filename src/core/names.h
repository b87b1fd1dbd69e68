/*
 * names.h - comma-separated lists of names ("emea, enterprise", a rep's
 * pools; "tags,asymmetrique*", fields left out of training), spaces around
 * each name ignored.
 */
#ifndef LF_CORE_NAMES_H
#define LF_CORE_NAMES_H

#include <stdbool.h>

/*
 * Whether list (NULL: empty) names name; with prefixes, an entry ending in
 * '*' takes every name that starts with what comes before it.
 */
bool lf_names_has(const char *list, const char *name, bool prefixes);

#endif
