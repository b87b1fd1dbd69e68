/*
 * rng.c - xoshiro256** with splitmix64 seeding; normal deviates by
 * Box-Muller (no cached second value, so every call costs the same state
 * advance and streams stay aligned across code changes elsewhere).
 */
#include "core/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void lf_rng_seed(struct lf_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t lf_rng_next(struct lf_rng *r)
{
	uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double lf_rng_uniform(struct lf_rng *r)
{
	return (double)(lf_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t lf_rng_below(struct lf_rng *r, uint64_t n)
{
	return n ? (uint64_t)(lf_rng_uniform(r) * (double)n) % n : 0;
}

double lf_rng_normal(struct lf_rng *r)
{
	double u1 = 1.0 - lf_rng_uniform(r), u2 = lf_rng_uniform(r);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double lf_rng_exponential(struct lf_rng *r, double mean)
{
	return -mean * log(1.0 - lf_rng_uniform(r));
}

unsigned lf_rng_poisson(struct lf_rng *r, double mean)
{
	if (mean > 60) {
		double x = mean + sqrt(mean) * lf_rng_normal(r);
		return x < 0 ? 0 : (unsigned)(x + 0.5);
	}
	double l = exp(-mean), p = 1.0;
	unsigned k = 0;
	do {
		k++;
		p *= lf_rng_uniform(r);
	} while (p > l);
	return k - 1;
}

size_t lf_rng_weighted(struct lf_rng *r, const double *w, size_t n)
{
	double total = 0, x;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = lf_rng_uniform(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
