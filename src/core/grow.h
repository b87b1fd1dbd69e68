/*
 * grow.h - room for one more item in an array that grows by doubling: the
 * one way leadflow's hand-kept arrays grow.
 *
 *	if (LF_GROW(l->items, l->n, l->cap, 64))
 *		return LF_ERR_NOMEM;
 *	l->items[l->n++] = item;
 */
#ifndef LF_CORE_GROW_H
#define LF_CORE_GROW_H

#include <leadflow/error.h>
#include <stddef.h>

/*
 * When n == *cap, reallocates *(void **)items to twice *cap items of size
 * bytes (first when *cap is 0) and updates *cap. LF_ERR_NOMEM, the array
 * left as it was, when memory (or size_t) runs out.
 */
enum lf_result lf_grow_array(void *items, size_t *cap, size_t n, size_t size, size_t first);

#define LF_GROW(items, n, cap, first) \
	lf_grow_array(&(items), &(cap), (n), sizeof(*(items)), (first))

#endif
