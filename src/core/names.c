/*
 * names.c - comma-separated lists of names (names.h).
 */
#include "core/names.h"

#include <ctype.h>
#include <stdio.h>
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

/* Edit distance between a and b, letters compared without case; capped at 64. */
static size_t distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), row[65];
	if (na > 64 || nb > 64)
		return 64;
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t same = tolower((unsigned char)a[i - 1]) ==
				      tolower((unsigned char)b[j - 1]);
			size_t best = diag + !same;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (up + 1 < best)
				best = up + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

void lf_names_close(struct lf_close_names *c, const char *candidate)
{
	size_t len = strlen(c->wanted), d = distance(c->wanted, candidate);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	size_t at;

	if (d > limit)
		return;
	/* kept sorted by distance; the farthest falls off a full list */
	for (at = c->n; at > 0 && c->dist[at - 1] > d; at--)
		;
	if (at >= LF_CLOSE_NAMES_MAX)
		return;
	if (c->n == LF_CLOSE_NAMES_MAX)
		c->n--;
	memmove(&c->dist[at + 1], &c->dist[at], (c->n - at) * sizeof(c->dist[0]));
	memmove(&c->names[at + 1], &c->names[at], (c->n - at) * sizeof(c->names[0]));
	c->dist[at] = d;
	snprintf(c->names[at], sizeof(c->names[at]), "%s", candidate);
	c->n++;
}

void lf_names_close_text(const struct lf_close_names *c, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->n; i++) {
		int w = snprintf(buf + n, cap - n, "%s'%s'", i ? ", " : "", c->names[i]);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
}
