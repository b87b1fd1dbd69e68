/*
 * holt.c - additive Holt-Winters (holt.h).
 *
 * Start: the trend is the mean change per period between the first two
 * seasons, the level the first season's mean carried to its end, the
 * season each first period's difference from the line they make. Then for each period t:
 *   forecast  f = l + b + s[t - m]
 *   level     l' = alpha (y - s[t - m]) + (1 - alpha)(l + b)
 *   trend     b' = beta (l' - l) + (1 - beta) b
 *   season    s[t] = gamma (y - l') + (1 - gamma) s[t - m]
 * The parameters minimise the sum of squared one-step errors after the
 * first season: a grid over [0, 1]^3 by tenths, then by hundredths around
 * the best point.
 */

#include "learn/holt.h"

#include <math.h>
#include <string.h>

/* Runs the recursions over y with the parameters of hw; fills its state and errors. */
static void run(const double *y, size_t n, struct lf_hw *hw)
{
	int m = hw->m;
	double l = 0, b = 0, s[LF_HW_MAX_SEASON];
	for (int k = 0; k < m; k++)
		l += y[k] / m;
	for (int k = 0; k < m; k++)
		b += (y[m + k] - y[k]) / ((double)m * m);
	/* the first season's mean stands at its middle period */
	for (int k = 0; k < m; k++)
		s[k] = y[k] - (l + b * (k - (m - 1) / 2.0));
	l += b * (m - 1) / 2.0;   /* the level at the first season's end */
	hw->sse = 0;
	for (size_t t = (size_t)m; t < n; t++) {
		int k = (int)(t % (size_t)m);
		double f = l + b + s[k], e = y[t] - f;
		double nl = hw->alpha * (y[t] - s[k]) + (1 - hw->alpha) * (l + b);
		b = hw->beta * (nl - l) + (1 - hw->beta) * b;
		s[k] = hw->gamma * (y[t] - nl) + (1 - hw->gamma) * s[k];
		l = nl;
		hw->sse += e * e;
	}
	hw->level = l;
	hw->trend = b;
	for (int k = 0; k < m; k++)   /* season[k]: the period k + 1 steps after the end */
		hw->season[k] = s[(n + (size_t)k) % (size_t)m];
	hw->n = n;
	hw->sigma2 = hw->sse / (double)(n - (size_t)m > 3 ? n - (size_t)m - 3 : 1);
}

bool lf_hw_fit(const double *y, size_t n, int m, struct lf_hw *out)
{
	struct lf_hw best, hw;
	double step = 0.1, lo[3] = { 0, 0, 0 }, hi[3] = { 1, 1, 1 };
	if (m < 1 || m > LF_HW_MAX_SEASON || n < (size_t)(2 * m + 1))
		return false;
	memset(&best, 0, sizeof(best));
	best.sse = INFINITY;
	for (int round = 0; round < 2; round++) {
		int steps[3];
		for (int k = 0; k < 3; k++)
			steps[k] = (int)lround((hi[k] - lo[k]) / step);
		for (int i = 0; i <= steps[0]; i++)
			for (int j = 0; j <= steps[1]; j++)
				for (int g = 0; g <= steps[2]; g++) {
					memset(&hw, 0, sizeof(hw));
					hw.m = m;
					hw.alpha = lo[0] + i * step;
					hw.beta = lo[1] + j * step;
					hw.gamma = lo[2] + g * step;
					run(y, n, &hw);
					if (hw.sse < best.sse)
						best = hw;
				}
		double c[3] = { best.alpha, best.beta, best.gamma };
		for (int k = 0; k < 3; k++) {
			lo[k] = fmax(0, c[k] - 0.1);
			hi[k] = fmin(1, c[k] + 0.1);
		}
		step = 0.01;
	}
	*out = best;
	return true;
}

void lf_hw_forecast(const struct lf_hw *hw, size_t steps, double *mean, double *var)
{
	for (size_t h = 1; h <= steps; h++) {
		double v = 1;
		/* the additive model's h-step variance (Hyndman et al., 2008, table 6.1) */
		for (size_t j = 1; j < h; j++) {
			double c = hw->alpha * (1 + (double)j * hw->beta) +
				   (j % (size_t)hw->m == 0 ? hw->gamma * (1 - hw->alpha) : 0);
			v += c * c;
		}
		mean[h - 1] = hw->level + (double)h * hw->trend +
			      hw->season[(h - 1) % (size_t)hw->m];
		var[h - 1] = hw->sigma2 * v;
	}
}

void lf_seasonal_naive(const double *y, size_t n, int m, size_t steps, double *out)
{
	for (size_t h = 0; h < steps; h++)
		out[h] = y[n - (size_t)m + h % (size_t)m];
}

double lf_mae(const double *a, const double *f, size_t steps)
{
	double s = 0;
	for (size_t h = 0; h < steps; h++)
		s += fabs(a[h] - f[h]);
	return steps ? s / (double)steps : NAN;
}

double lf_mase(const double *y, size_t n, int m, const double *a, const double *f,
	       size_t steps)
{
	double scale = 0;
	for (size_t t = (size_t)m; t < n; t++)
		scale += fabs(y[t] - y[t - (size_t)m]);
	if (n <= (size_t)m || scale == 0)
		return NAN;
	scale /= (double)(n - (size_t)m);
	return lf_mae(a, f, steps) / scale;
}
