/*
 * Theil-Sen line fit (see trend.h for the contract). The pairwise slopes go
 * into one scratch array and their median is found by selection (O(m) on
 * average), not by sorting. Beyond TREND_ALL_PAIRS points a fixed generator
 * picks TREND_PAIRS pairs, so the same input always gives the same line.
 * Times are taken relative to the median time before any product, so that
 * epoch seconds (1.7e9) lose no precision in y - slope * t.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/trend.h"
#include "util/xalloc.h"

/* Consistency constant of the median absolute deviation for a normal distribution. */
#define MAD_SCALE 1.4826

static void
swap_d(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* Moves the k-th smallest of v[0..n-1] to v[k] (Hoare selection, median-of-three pivot). */
static double
select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < v[lo])
			swap_d(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap_d(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap_d(&v[hi], &v[mid]);
		double pivot = v[mid];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swap_d(&v[i], &v[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

double
trend_median(double *v, size_t n)
{
	if (n % 2)
		return select_kth(v, n, n / 2);
	double hi = select_kth(v, n, n / 2);
	double lo = v[0];

	/* After selection everything below n / 2 is <= hi: the lower middle is their maximum. */
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return lo / 2 + hi / 2;
}

static uint64_t
next_rand(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return *s >> 17;
}

/* The pairwise slopes of the m usable points (t, y) into out; returns how many. */
static size_t
pair_slopes(const double *t, const double *y, size_t m, double *out)
{
	size_t k = 0;

	if (m <= TREND_ALL_PAIRS) {
		for (size_t i = 0; i < m; i++)
			for (size_t j = i + 1; j < m; j++)
				if (t[j] != t[i])
					out[k++] = (y[j] - y[i]) / (t[j] - t[i]);
		return k;
	}
	uint64_t s = 42;

	for (size_t p = 0; p < TREND_PAIRS; p++) {
		size_t i = next_rand(&s) % m, j = next_rand(&s) % m;

		if (t[j] != t[i])
			out[k++] = (y[j] - y[i]) / (t[j] - t[i]);
	}
	return k;
}

int
trend_fit(const double *t_s, const double *y, size_t n, struct trend *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(t_s[i]) && !isnan(y[i]))
			m++;
	if (m < 3)
		return -EINVAL;

	size_t pairs = m <= TREND_ALL_PAIRS ? m * (m - 1) / 2 : TREND_PAIRS;
	double *t = xmalloc(m * sizeof *t), *v = xmalloc(m * sizeof *v);
	double *w = xmalloc((pairs > m ? pairs : m) * sizeof *w);

	m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(t_s[i]) && !isnan(y[i])) {
			t[m] = t_s[i];
			v[m++] = y[i];
		}
	for (size_t i = 0; i < m; i++)
		w[i] = t[i];
	double tc = trend_median(w, m);

	for (size_t i = 0; i < m; i++)
		t[i] -= tc;

	size_t k = pair_slopes(t, v, m, w);
	int rc = -EINVAL;

	if (k == 0)
		goto out;

	struct trend r = { .n = m };

	size_t up = 0, down = 0;

	for (size_t i = 0; i < k; i++) {
		up += w[i] > 0;
		down += w[i] < 0;
	}
	r.slope = trend_median(w, k);
	for (size_t i = 0; i < m; i++)
		w[i] = v[i] - r.slope * t[i];
	double level = trend_median(w, m); /* y at t = tc */

	r.intercept = level - r.slope * tc;
	for (size_t i = 0; i < m; i++)
		w[i] = fabs(v[i] - (level + r.slope * t[i]));
	r.spread = MAD_SCALE * trend_median(w, m);

	/* Kendall's tau between t and y, in the direction of the slope */
	double tau = ((double)up - (double)down) / (double)k;

	if (r.slope < 0)
		tau = -tau;
	r.confidence = r.slope != 0 && tau > 0 ? tau * (double)(m - 2) / (double)m : 0;
	*out = r;
	rc = 0;
out:
	free(t);
	free(v);
	free(w);
	return rc;
}
