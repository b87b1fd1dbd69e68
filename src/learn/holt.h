/*
 * holt.h - additive Holt-Winters (level, trend and a season of m periods)
 * for daily counts, its smoothing parameters fitted by minimising the
 * squared one-step error, forecasts with intervals, and the seasonal-naive
 * baseline and MASE to judge it by (SPEC 7).
 */
#ifndef LF_LEARN_HOLT_H
#define LF_LEARN_HOLT_H

#include <stdbool.h>
#include <stddef.h>

#define LF_HW_MAX_SEASON 31

struct lf_hw {
	int m;                          /* periods in a season (7: a week of days) */
	double alpha, beta, gamma;      /* smoothing of level, trend and season */
	double level, trend;            /* at the end of the series */
	double season[LF_HW_MAX_SEASON]; /* season[k]: the next period k + 1 steps on is
					  * season[k % m] */
	double sigma2;                  /* variance of the one-step errors */
	double sse;
	size_t n;
};

/* Fits the model to y[0..n); n must be at least 2 m + 1 (false otherwise). */
bool lf_hw_fit(const double *y, size_t n, int m, struct lf_hw *out);

/* The forecast h = 1..steps ahead, and its variance (out arrays of steps). */
void lf_hw_forecast(const struct lf_hw *hw, size_t steps, double *mean, double *var);

/* The seasonal-naive forecast h = 1..steps after y[0..n): the last season repeated. */
void lf_seasonal_naive(const double *y, size_t n, int m, size_t steps, double *out);

/*
 * The mean absolute error of forecast f against actual a (steps each),
 * scaled by the in-sample mean absolute error of the seasonal-naive
 * forecast on y[0..n): the MASE. NAN when that scale is 0.
 */
double lf_mase(const double *y, size_t n, int m, const double *a, const double *f,
	       size_t steps);
double lf_mae(const double *a, const double *f, size_t steps);

#endif
