/*
 * crypto.c - SHA-256, HMAC-SHA256 and a constant-time comparison, from
 * OpenSSL's libcrypto (crypto.h).
 */
#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <string.h>

void lf_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

void lf_sha256_hex(const void *data, size_t len, char out[LF_SHA256_HEX])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(data, len, md);
	lf_hex(md, sizeof(md), out);
}

void lf_hmac_sha256_hex(const char *key, const void *data, size_t len,
			char out[LF_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	HMAC(EVP_sha256(), key, (int)strlen(key), data, len, md, &n);
	lf_hex(md, n, out);
}

bool lf_equal_secret(const char *a, const char *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
