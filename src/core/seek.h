/*
 * seek.h - walking an array in step with a scan: both in increasing id
 * order (leads listed by id beside events or transitions scanned in lead
 * order), so that each scanned item finds its element by moving forward,
 * never searching.
 */
#ifndef LF_CORE_SEEK_H
#define LF_CORE_SEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Moves *at forward over items (n of them, size bytes each, an int64_t id
 * at offset, ids increasing) to the first whose id is not below id; true
 * when that one has this id. Ids asked for must not decrease.
 */
bool lf_seek_id(const void *items, size_t n, size_t size, size_t offset, size_t *at,
		int64_t id);

#endif
