/*
 * grow.c - doubling arrays (grow.h). The array's pointer is read and written
 * through memcpy, so one function serves every element type.
 */
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum lf_result lf_grow_array(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
	void *p, *q;
	size_t c;
	if (n < *cap)
		return LF_OK;
	if (*cap > SIZE_MAX / 2)
		return LF_ERR_NOMEM;
	c = *cap ? *cap * 2 : (first ? first : 1);
	if (c <= n)
		c = n + 1;
	if (c > SIZE_MAX / size)
		return LF_ERR_NOMEM;
	memcpy(&p, items, sizeof(p));
	if (!(q = realloc(p, c * size)))
		return LF_ERR_NOMEM;
	memcpy(items, &q, sizeof(q));
	*cap = c;
	return LF_OK;
}
