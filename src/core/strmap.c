/*
 * strmap.c - open addressing with linear probing, kept at most half full.
 * Stored hashes make most failed probes a single integer compare.
 */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t lf_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void lf_strmap_init(struct lf_strmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void lf_strmap_release(struct lf_strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	lf_strmap_init(m);
}

static struct lf_strmap_slot *find(const struct lf_strmap *m, const char *key,
				   uint64_t h)
{
	size_t i = h & (m->cap - 1);
	for (;;) {
		struct lf_strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && !strcmp(s->key, key)))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

bool lf_strmap_get(const struct lf_strmap *m, const char *key, int64_t *value)
{
	struct lf_strmap_slot *s;
	if (!m->cap)
		return false;
	s = find(m, key, lf_hash64(key, strlen(key)));
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

const char *lf_strmap_key(const struct lf_strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	return find(m, key, lf_hash64(key, strlen(key)))->key;
}

static enum lf_result grow(struct lf_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct lf_strmap old = *m;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return LF_ERR_NOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return LF_OK;
}

enum lf_result lf_strmap_put(struct lf_strmap *m, const char *key, int64_t value)
{
	uint64_t h = lf_hash64(key, strlen(key));
	struct lf_strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m))
		return LF_ERR_NOMEM;
	s = find(m, key, h);
	if (!s->key) {
		if (!(s->key = strdup(key)))
			return LF_ERR_NOMEM;
		s->hash = h;
		m->n++;
	}
	s->value = value;
	return LF_OK;
}
