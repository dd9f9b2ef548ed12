/*
 * Binning of graph series (ui/graph.c graph_bin): maxima per column, the
 * window's edges, holding a value across columns finer than the sampling, an
 * unavailable point breaking the line, and a zoomed-out window that the
 * history fills only at its right.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "ui/graph.h"

#define END INT64_C(1796600000000)

static void
test_maxima_per_column(void **state)
{
	int64_t t[600];
	double v[600], out[100];
	struct graph_series s = { t, v, 600 };

	(void)state;
	for (int i = 0; i < 600; i++) {
		t[i] = END - 600000 + 1000 * i; /* every second over the 10 minutes */
		v[i] = i % 6 == 3 ? 1000 + i : i; /* a peak in every 6 s */
	}
	assert_int_equal(graph_bin(&s, END, 600000, 100, out), 100);
	for (int c = 0; c < 100; c++)
		assert_true(out[c] == 1000 + 6 * c + 3);
}

static void
test_window_edges(void **state)
{
	int64_t t[4] = { END - 700000, END - 600000, END - 1, END };
	double v[4] = { 9, 1, 2, 99 };
	double out[10];
	struct graph_series s = { t, v, 4 };

	(void)state;
	graph_bin(&s, END, 600000, 10, out);
	assert_true(out[0] == 1); /* the window's first instant is in */
	assert_true(out[9] == 2); /* end_ms itself is not; older than the window neither */
	for (int c = 1; c < 9; c++)
		assert_true(out[c] == 1); /* held between the two points */
}

static void
test_hold_and_break(void **state)
{
	int64_t t[4] = { END - 500000, END - 400000, END - 300000, END - 100000 };
	double v[4] = { 10, 20, NAN, 40 };
	double out[60];
	struct graph_series s = { t, v, 4 };

	(void)state;
	/* 10 s a column: points at columns 10, 20, (30 unavailable), 50 */
	assert_int_equal(graph_bin(&s, END, 600000, 60, out), 12);
	for (int c = 0; c < 10; c++)
		assert_true(isnan(out[c]));
	for (int c = 10; c < 20; c++)
		assert_true(out[c] == 10);
	assert_true(out[20] == 20);
	for (int c = 21; c < 50; c++)
		assert_true(isnan(out[c])); /* the unavailable point breaks the line */
	assert_true(out[50] == 40);
	assert_true(isnan(out[51]));
}

static void
test_week_of_ten_minutes(void **state)
{
	int64_t t[600];
	double v[600], out[140];
	struct graph_series s = { t, v, 600 };
	int64_t week = graph_zooms[GZ_1W].span_ms;

	(void)state;
	for (int i = 0; i < 600; i++) {
		t[i] = END - 600000 + 1000 * i;
		v[i] = 5;
	}
	/* a week in 140 columns: 72 minutes a column, the ten minutes in the last one */
	assert_int_equal(graph_bin(&s, END, week, 140, out), 1);
	assert_true(out[139] == 5);
	assert_true(isnan(out[138]));
	assert_int_equal(graph_zooms[GZ_10M].span_ms, 600000);
	assert_int_equal(graph_zooms[GZ_1D].span_ms, 86400000);
}

/* A value older than the window holds to the window's first point (a recording writes changes only). */
static void
test_value_before_the_window_holds(void **state)
{
	int64_t t[3] = { END - 3600000, END - 300000, END - 200000 };
	double v[3] = { 7, 8, 9 };
	double out[60];
	struct graph_series s = { t, v, 3 };

	(void)state;
	assert_int_equal(graph_bin(&s, END, 600000, 60, out), 41);
	for (int c = 0; c < 30; c++)
		assert_true(out[c] == 7);
	assert_true(out[30] == 8);
	assert_true(out[40] == 9);
	/* unavailable before the window: nothing is held */
	v[0] = NAN;
	assert_int_equal(graph_bin(&s, END, 600000, 60, out), 11);
	assert_true(isnan(out[0]));
}

/* A recorded past is joined before the live series: its points older than the live ones. */
static void
test_join(void **state)
{
	int64_t pt[4] = { 100, 200, 300, 400 }, lt[2] = { 300, 350 };
	double pv[4] = { 1, 2, 3, 4 }, lv[2] = { 30, 35 };
	struct graph_series past = { pt, pv, 4 }, live = { lt, lv, 2 }, none = { 0 };
	int64_t *t = NULL;
	double *v = NULL;
	size_t cap = 0;

	(void)state;
	struct graph_series j = graph_join(&past, &live, &t, &v, &cap);
	assert_int_equal(j.n, 4);
	assert_true(j.t_ms[1] == 200 && j.v[1] == 2);
	assert_true(j.t_ms[2] == 300 && j.v[2] == 30);
	assert_true(j.t_ms[3] == 350 && j.v[3] == 35);
	j = graph_join(&past, &none, &t, &v, &cap); /* no live sample: all of the past */
	assert_int_equal(j.n, 4);
	assert_true(j.v[3] == 4);
	j = graph_join(NULL, &live, &t, &v, &cap);
	assert_int_equal(j.n, 2);
	free(t);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maxima_per_column),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_hold_and_break),
		cmocka_unit_test(test_week_of_ten_minutes),
		cmocka_unit_test(test_value_before_the_window_holds),
		cmocka_unit_test(test_join),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
