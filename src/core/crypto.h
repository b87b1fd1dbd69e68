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
/* out: 32 random bytes as hex (a secret); false when there are no random bytes. */
bool lf_random_secret(char out[LF_SHA256_HEX]);

#include <stdint.h>
/*
 * Splits a credential "<prefix>_<id>_<64 hex digits>" (prefix "lf", "ls",
 * "lk"): *id, and *secret pointing into presented; false when it is not of
 * that shape.
 */
bool lf_credential_split(const char *presented, const char *prefix, int64_t *id,
			 const char **secret);

#endif
