/*
 * A robust straight-line fit y = intercept + slope * t, for growth that must
 * not be fooled by outliers, gaps or a few wild samples: the leak estimator
 * (model/leak.c) and the cgroup OOM forecast use it.
 *
 * The slope is the Theil-Sen estimator, the median of the slopes of all pairs
 * of points with different times (breakdown point 29%: that share of the
 * points can be anything without moving it far). The intercept is the median
 * of y - slope * t. Points need not be evenly spaced or sorted; a gap is just
 * a longer distance in t. Pure computation, no I/O; it allocates a scratch
 * array and uses O(n^2) pairs up to TREND_ALL_PAIRS points and a fixed number of
 * deterministically chosen pairs beyond (measured: 1.5 ms for 600 points,
 * 4.5 ms for 10,000).
 */
#ifndef SMAPTOP_TREND_H
#define SMAPTOP_TREND_H

#include <stddef.h>

enum {
	/* Up to this many points every pair is used; beyond, TREND_PAIRS pairs. */
	TREND_ALL_PAIRS = 600,
	TREND_PAIRS = 180000,
};

struct trend {
	double slope;      /* y per second */
	double intercept;  /* y at t = 0 */
	double spread;     /* robust residual scale, y units: 1.4826 * median |residual| */
	double confidence; /* 0..1 */
	size_t n;          /* points used */
};

/*
 * Fits n points (t_s[i] in seconds, y[i]); NaN in either is a missing point and
 * is skipped. confidence says how steadily the points follow the line's
 * direction: Kendall's tau between t and y (the share of pairs that rise
 * minus the share that fall; the Mann-Kendall trend statistic that goes with
 * Theil-Sen), taken in the direction of the slope and scaled by (n - 2) / n
 * so that three points never look certain. It is 0 for a slope of 0 (even an
 * exact flat line: no trend to be confident in), about 0 for noise without a
 * trend, (n - 2) / n for a strictly monotonic series, and high for a clear
 * trend under noise small against the rise between distant points. Wild
 * points do not move the slope but cost confidence: a share q of them leaves
 * about (1 - q)^2 of the pairs voting.
 *
 * Returns 0 and fills *out, -EINVAL when fewer than 3 usable points remain or
 * all share one time (out is then left unchanged). The scratch array comes
 * from xmalloc (util/xalloc.h), which does not return on exhaustion.
 */
int trend_fit(const double *t_s, const double *y, size_t n, struct trend *out);

/* The median of v[0..n-1] (n >= 1), reordering v. Exposed for the leak estimator. */
double trend_median(double *v, size_t n);

#endif
