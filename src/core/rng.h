/*
 * rng.h - a small deterministic random generator (xoshiro256**, seeded by
 * splitmix64) so that demo worlds, simulations and cross-validation folds
 * are the same for the same seed on every machine.
 */
#ifndef LF_CORE_RNG_H
#define LF_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

struct lf_rng {
	uint64_t s[4];
};

void lf_rng_seed(struct lf_rng *r, uint64_t seed);
uint64_t lf_rng_next(struct lf_rng *r);
/* Uniform in [0, 1). */
double lf_rng_uniform(struct lf_rng *r);
/* Uniform integer in [0, n). */
uint64_t lf_rng_below(struct lf_rng *r, uint64_t n);
double lf_rng_normal(struct lf_rng *r);
double lf_rng_exponential(struct lf_rng *r, double mean);
unsigned lf_rng_poisson(struct lf_rng *r, double mean);
/* An index drawn with the given weights (need not sum to 1). */
size_t lf_rng_weighted(struct lf_rng *r, const double *w, size_t n);

#endif
