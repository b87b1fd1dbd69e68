/*
 * target.c - a store's target as messages show it: the backends' own
 * messages and the command line's say the database without a password a
 * URI may carry (a file path is shown as it is).
 */
#include <leadflow/store.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The target as messages may show it: a password in it replaced by "***". */
char *lf_store_target_shown(const char *target)
{
	const char *scheme = strstr(target, "://"), *at, *colon;
	char *out;
	if (!scheme)
		return strdup(target);
	/* user:password@ comes before the host's end (its path or options) */
	size_t authority = strcspn(scheme + 3, "/?");
	if (!(at = memchr(scheme + 3, '@', authority)) ||
	    !(colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))))
		return strdup(target);
	if (!(out = malloc(strlen(target) + 4)))
		return NULL;
	sprintf(out, "%.*s:***%s", (int)(colon - target), target, at);
	return out;
}
