/*
 * utf8.h - whether bytes are UTF-8 text: what leadflow stores and prints
 * (JSON cannot carry anything else), checked where text comes in.
 */
#ifndef LF_CORE_UTF8_H
#define LF_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF); else false with *bad the offset of the first
 * byte that is not.
 */
bool lf_utf8_valid(const char *s, size_t n, size_t *bad);

#endif
