/*
 * crypto.c - SHA-256, HMAC-SHA256 and a constant-time comparison, from
 * OpenSSL's libcrypto (crypto.h).
 */
#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdint.h>
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

bool lf_random_secret(char out[LF_SHA256_HEX])
{
	unsigned char raw[32];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return false;
	lf_hex(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return true;
}

bool lf_credential_split(const char *presented, const char *prefix, int64_t *id,
			 const char **secret)
{
	size_t n = strlen(prefix);
	const char *p = presented;
	int64_t v = 0;
	if (strncmp(p, prefix, n) != 0 || p[n] != '_')
		return false;
	p += n + 1;
	if (*p < '1' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p++ - '0');
	}
	if (*p != '_' || strlen(p + 1) != 64)
		return false;
	for (const char *h = p + 1; *h; h++)
		if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
			return false;
	*id = v;
	*secret = p + 1;
	return true;
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
