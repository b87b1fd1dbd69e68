/*
 * seek.c - walking an array in step with a scan (seek.h).
 */
#include "core/seek.h"

#include <string.h>

static int64_t id_at(const void *items, size_t size, size_t offset, size_t i)
{
	int64_t id;
	memcpy(&id, (const char *)items + i * size + offset, sizeof(id));
	return id;
}

bool lf_seek_id(const void *items, size_t n, size_t size, size_t offset, size_t *at,
		int64_t id)
{
	while (*at < n && id_at(items, size, offset, *at) < id)
		(*at)++;
	return *at < n && id_at(items, size, offset, *at) == id;
}
