/*
 * crypto.h - the hashing leadflow needs (OpenSSL's): SHA-256 of a token's
 * secret, HMAC-SHA256 of a webhook body, a comparison of secrets that takes
 * the same time whatever the bytes.
 */
#ifndef LF_CORE_CRYPTO_H
#define LF_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define LF_SHA256_HEX 65     /* 64 hex digits and the NUL */

/* out: the hex SHA-256 of data. */
void lf_sha256_hex(const void *data, size_t len, char out[LF_SHA256_HEX]);
/* out: the hex HMAC-SHA256 of data under key. */
void lf_hmac_sha256_hex(const char *key, const void *data, size_t len,
			char out[LF_SHA256_HEX]);
/* Whether a and b (n bytes each) are equal, in time that depends only on n. */
bool lf_equal_secret(const char *a, const char *b, size_t n);
/* out (2n + 1 bytes): b as lower-case hex. */
void lf_hex(const unsigned char *b, size_t n, char *out);

#endif
