/*
 * names.c - comma-separated lists of names (names.h).
 */
#include "core/names.h"

#include <string.h>

bool lf_names_has(const char *list, const char *name, bool prefixes)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && !strncmp(p, name, n))
			return true;
		if (prefixes && len && p[len - 1] == '*' && !strncmp(p, name, len - 1))
			return true;
		p = end ? end + 1 : p + len;
	}
	return false;
}
