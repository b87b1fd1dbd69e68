/*
 * strmap.h - a hash map from strings to int64, for caches that must stay
 * O(1) per lookup on the hot path of imports (email -> lead id).
 * Keys are copied into the map; lf_strmap_release frees everything.
 */
#ifndef LF_CORE_STRMAP_H
#define LF_CORE_STRMAP_H

#include <leadflow/error.h>
#include <leadflow/hash.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lf_strmap_slot {
	char *key;   /* NULL: empty */
	uint64_t hash;
	int64_t value;
};

struct lf_strmap {
	struct lf_strmap_slot *slots;
	size_t cap, n; /* cap is a power of two */
};

void lf_strmap_init(struct lf_strmap *m);
void lf_strmap_release(struct lf_strmap *m);
bool lf_strmap_get(const struct lf_strmap *m, const char *key, int64_t *value);
/* The map's own copy of key (valid until the map is released), or NULL. */
const char *lf_strmap_key(const struct lf_strmap *m, const char *key);
enum lf_result lf_strmap_put(struct lf_strmap *m, const char *key, int64_t value);

#endif
