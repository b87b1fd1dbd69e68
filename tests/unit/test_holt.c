/*
 * test_holt.c - additive Holt-Winters: a series that is exactly a line
 * plus a weekly season is forecast exactly, whatever the parameters found;
 * noise around it is forecast closer than by the seasonal-naive baseline;
 * a level shift is followed (alpha above zero); the seasonal-naive forecast
 * repeats the last week; MAE and MASE by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/rng.h"
#include "learn/holt.h"

#include <math.h>

static const double week[7] = { 5, 9, 12, 11, 8, -20, -25 };

static void line_and_season_forecast_exactly(void **state)
{
	double y[70], mean[21], var[21];
	struct lf_hw hw;
	(void)state;
	for (int t = 0; t < 70; t++)
		y[t] = 100 + 0.5 * t + week[t % 7];
	assert_true(lf_hw_fit(y, 70, 7, &hw));
	assert_true(hw.sse < 1e-12);
	lf_hw_forecast(&hw, 21, mean, var);
	for (int h = 0; h < 21; h++)
		assert_true(fabs(mean[h] - (100 + 0.5 * (70 + h) + week[(70 + h) % 7])) < 1e-9);
}

static void beats_seasonal_naive_on_noise(void **state)
{
	double y[400], mean[28], var[28], naive[28];
	struct lf_rng rng;
	struct lf_hw hw;
	(void)state;
	lf_rng_seed(&rng, 7);
	for (int t = 0; t < 400; t++)
		y[t] = 50 + 0.05 * t + week[t % 7] + 4 * lf_rng_normal(&rng);
	assert_true(lf_hw_fit(y, 372, 7, &hw));
	lf_hw_forecast(&hw, 28, mean, var);
	lf_seasonal_naive(y, 372, 7, 28, naive);
	double hw_mase = lf_mase(y, 372, 7, y + 372, mean, 28);
	double naive_mase = lf_mase(y, 372, 7, y + 372, naive, 28);
	assert_true(hw_mase < naive_mase);
	assert_true(hw.alpha >= 0 && hw.alpha <= 1 && hw.beta >= 0 && hw.beta <= 1 &&
		    hw.gamma >= 0 && hw.gamma <= 1);
	/* the interval widens with the horizon */
	for (int h = 1; h < 28; h++)
		assert_true(var[h] >= var[h - 1] - 1e-12);
	assert_true(var[0] > 0);
}

static void follows_a_level_shift(void **state)
{
	double y[140], mean[7], var[7];
	struct lf_hw hw;
	(void)state;
	for (int t = 0; t < 140; t++)
		y[t] = (t < 100 ? 20 : 60) + week[t % 7];
	assert_true(lf_hw_fit(y, 140, 7, &hw));
	lf_hw_forecast(&hw, 7, mean, var);
	assert_true(hw.alpha > 0.5);
	for (int h = 0; h < 7; h++)
		assert_true(fabs(mean[h] - (60 + week[(140 + h) % 7])) < 3);
}

static void baseline_and_errors_by_hand(void **state)
{
	double y[14] = { 1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8 }, out[9];
	double actual[2] = { 4, 0 }, f[2] = { 2, 1 };
	struct lf_hw hw;
	(void)state;
	lf_seasonal_naive(y, 14, 7, 9, out);
	assert_true(out[0] == 2 && out[6] == 8 && out[7] == 2 && out[8] == 3);
	assert_true(fabs(lf_mae(actual, f, 2) - 1.5) < 1e-12);
	/* in-sample seasonal-naive error of y: every |y[t] - y[t-7]| is 1 */
	assert_true(fabs(lf_mase(y, 14, 7, actual, f, 2) - 1.5) < 1e-12);
	assert_false(lf_hw_fit(y, 14, 7, &hw));      /* two seasons and a day at least */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_and_season_forecast_exactly),
		cmocka_unit_test(beats_seasonal_naive_on_noise),
		cmocka_unit_test(follows_a_level_shift),
		cmocka_unit_test(baseline_and_errors_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
