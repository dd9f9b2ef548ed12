/*
 * Robust line fit (model/trend.c): exact lines, noise, outliers, gaps and
 * unsorted points, epoch-sized times, too few points, the confidence scale,
 * the large-n pair sampling, and the median it is built on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "model/trend.h"

/* Deterministic generator so a failure names a reproducible series. */
static double
unif(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* Approximately normal (sum of 12 uniforms), mean 0, standard deviation 1. */
static double
gauss(uint64_t *s)
{
	double x = 0;

	for (int i = 0; i < 12; i++)
		x += unif(s);
	return x - 6;
}

static void
assert_near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.9g, want %.9g +- %.3g", what, got, want, tol);
}

static void
test_exact_line(void **state)
{
	double t[50], y[50];
	struct trend r;

	(void)state;
	for (int i = 0; i < 50; i++) {
		t[i] = 0.5 * i;
		y[i] = 1000 + 3 * t[i];
	}
	assert_int_equal(trend_fit(t, y, 50, &r), 0);
	assert_near(r.slope, 3, 1e-9, "slope");
	assert_near(r.intercept, 1000, 1e-6, "intercept");
	assert_near(r.spread, 0, 1e-6, "spread");
	assert_near(r.confidence, 48.0 / 50, 1e-9, "confidence");
	assert_int_equal(r.n, 50);
}

static void
test_flat_exact_no_trend(void **state)
{
	double t[10], y[10];
	struct trend r;

	(void)state;
	for (int i = 0; i < 10; i++) {
		t[i] = i;
		y[i] = 77;
	}
	assert_int_equal(trend_fit(t, y, 10, &r), 0);
	assert_near(r.slope, 0, 0, "slope");
	assert_near(r.intercept, 77, 0, "intercept");
	assert_near(r.confidence, 0, 0, "confidence: no trend");
}

static void
test_noise_around_line(void **state)
{
	double t[300], y[300];
	uint64_t s = 7;
	struct trend r;

	(void)state;
	for (int i = 0; i < 300; i++) {
		t[i] = 2.0 * i;
		y[i] = 50000 + 10 * t[i] + 100 * gauss(&s); /* 6000 of rise, noise sd 100 */
	}
	assert_int_equal(trend_fit(t, y, 300, &r), 0);
	assert_near(r.slope, 10, 0.3, "slope");
	assert_near(r.spread, 100, 15, "spread");
	if (r.confidence < 0.9)
		fail_msg("confidence %.3f for a clear trend under small noise", r.confidence);
}

static void
test_pure_noise_no_confidence(void **state)
{
	double t[300], y[300];
	uint64_t s = 11;
	struct trend r;

	(void)state;
	for (int i = 0; i < 300; i++) {
		t[i] = i;
		y[i] = 1e6 + 500 * gauss(&s);
	}
	assert_int_equal(trend_fit(t, y, 300, &r), 0);
	/* any slope it finds explains nothing */
	if (fabs(r.slope) * 300 > 500)
		fail_msg("slope %.3f moves more over the span than the noise", r.slope);
	if (r.confidence > 0.1)
		fail_msg("confidence %.3f for pure noise", r.confidence);
}

static void
test_outliers_ignored(void **state)
{
	double t[100], y[100];
	struct trend r;

	(void)state;
	for (int i = 0; i < 100; i++) {
		t[i] = i;
		y[i] = 200 + 2 * i;
	}
	/* a quarter of the points wild, both ways */
	for (int i = 0; i < 100; i += 4)
		y[i] = i % 8 ? 1e9 : -1e9;
	assert_int_equal(trend_fit(t, y, 100, &r), 0);
	assert_near(r.slope, 2, 0.05, "slope");
	assert_near(r.intercept, 200, 5, "intercept");
	/* the wild quarter costs confidence (the pairs it touches vote at random), not the slope */
	if (r.confidence < 0.45 || r.confidence > 0.75)
		fail_msg("confidence %.3f: 75%% of the points lie on the line", r.confidence);
}

static void
test_gaps_and_order(void **state)
{
	/* two runs of samples an hour apart, given newest first, NaN holes in between */
	double t[40], y[40];
	struct trend r;

	(void)state;
	for (int i = 0; i < 40; i++) {
		double ts = i < 20 ? i : 3600 + i;

		t[39 - i] = ts;
		y[39 - i] = 5 - 0.25 * ts;
	}
	t[3] = NAN;
	y[7] = NAN;
	assert_int_equal(trend_fit(t, y, 40, &r), 0);
	assert_near(r.slope, -0.25, 1e-9, "slope");
	assert_near(r.intercept, 5, 1e-6, "intercept");
	assert_int_equal(r.n, 38);
}

static void
test_epoch_times(void **state)
{
	double t[30], y[30];
	struct trend r;

	(void)state;
	for (int i = 0; i < 30; i++) {
		t[i] = 1796540000.0 + 10 * i;
		y[i] = 123456.0 + 0.001 * 10 * i;
	}
	assert_int_equal(trend_fit(t, y, 30, &r), 0);
	assert_near(r.slope, 0.001, 1e-9, "slope");
	/* the value the line gives at the first time, where precision matters */
	assert_near(r.intercept + r.slope * t[0], 123456.0, 1e-4, "level at t[0]");
}

static void
test_too_few(void **state)
{
	double t[3] = { 1, 2, 3 }, y[3] = { 1, 2, 3 };
	struct trend r = { .slope = 99 };

	(void)state;
	assert_int_equal(trend_fit(t, y, 0, &r), -EINVAL);
	assert_int_equal(trend_fit(t, y, 2, &r), -EINVAL);
	y[1] = NAN;
	assert_int_equal(trend_fit(t, y, 3, &r), -EINVAL);
	/* three points at one time: no span */
	double same[3] = { 5, 5, 5 }, v[3] = { 1, 2, 3 };

	assert_int_equal(trend_fit(same, v, 3, &r), -EINVAL);
	assert_near(r.slope, 99, 0, "out unchanged");
	y[1] = 2;
	assert_int_equal(trend_fit(t, y, 3, &r), 0);
	assert_near(r.slope, 1, 1e-12, "slope of three");
	assert_near(r.confidence, 1.0 / 3, 1e-9, "three points are never certain");
}

static void
test_many_points_sampled(void **state)
{
	enum { N = 20000 };
	double *t = malloc(N * sizeof *t), *y = malloc(N * sizeof *y);
	uint64_t s = 3;
	struct trend a, b;

	(void)state;
	assert_non_null(t);
	assert_non_null(y);
	for (int i = 0; i < N; i++) {
		t[i] = 10.0 * i;
		y[i] = 4e6 + 0.02 * t[i] + 300 * gauss(&s);
		if (i % 10 == 0)
			y[i] += 1e7; /* outliers */
	}
	assert_int_equal(trend_fit(t, y, N, &a), 0);
	assert_near(a.slope, 0.02, 0.001, "slope");
	assert_int_equal(trend_fit(t, y, N, &b), 0);
	assert_true(a.slope == b.slope); /* deterministic */
	free(t);
	free(y);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
test_median_matches_sort(void **state)
{
	uint64_t s = 5;

	(void)state;
	for (size_t n = 1; n < 60; n++) {
		for (int round = 0; round < 20; round++) {
			double v[60], w[60];

			for (size_t i = 0; i < n; i++)
				v[i] = w[i] = round % 3 ? floor(unif(&s) * 5) : unif(&s); /* ties too */
			qsort(w, n, sizeof *w, cmp_d);
			double want = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;

			assert_near(trend_median(v, n), want, 1e-12, "median");
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_line),
		cmocka_unit_test(test_flat_exact_no_trend),
		cmocka_unit_test(test_noise_around_line),
		cmocka_unit_test(test_pure_noise_no_confidence),
		cmocka_unit_test(test_outliers_ignored),
		cmocka_unit_test(test_gaps_and_order),
		cmocka_unit_test(test_epoch_times),
		cmocka_unit_test(test_too_few),
		cmocka_unit_test(test_many_points_sampled),
		cmocka_unit_test(test_median_matches_sort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
