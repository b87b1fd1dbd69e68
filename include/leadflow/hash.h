/*
 * hash.h - a fast, stable hash of bytes, for keys and derived ids (not for
 * secrets: leadflow's tokens and signatures use SHA-256).
 */
#ifndef LEADFLOW_HASH_H
#define LEADFLOW_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64-bit: the same value for the same bytes on every machine. */
uint64_t lf_hash64(const void *p, size_t n);

#endif
