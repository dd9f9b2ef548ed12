/*
 * Time graphs of the interactive view over any (time, value) series: the live
 * history rings (model/hist.h) and, when a recording is read, the points it
 * gives (the store feeds the same arrays). A graph shows a window that ends
 * at end_ms and spans one of the zoom levels, drawn in braille on a UTF-8
 * terminal (2 x 4 dots a cell, as btop does) and in one ASCII character a
 * cell otherwise, with a time axis in clock times, or dates for a week.
 *
 * The binning (graph_bin) is plain computation and has unit tests
 * (tests/unit/test_graph.c); graph_draw puts the result on the screen.
 */
#ifndef SMAPTOP_UI_GRAPH_H
#define SMAPTOP_UI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tui;
struct hist;
struct table;

/* Any series, oldest first: times in milliseconds since the epoch, NaN for unavailable. */
struct graph_series {
	const int64_t *t_ms;
	const double *v;
	size_t n;
};

enum graph_zoom { GZ_10M, GZ_1H, GZ_6H, GZ_1D, GZ_1W, GZ_NUM };

struct graph_zoom_info {
	const char *label;   /* "10 min" */
	int64_t span_ms;
	int64_t tick_ms;     /* between time-axis labels */
};
extern const struct graph_zoom_info graph_zooms[GZ_NUM];

/*
 * Bins s into ncols columns covering [end_ms - span_ms, end_ms): out[c] is
 * the maximum of the points in column c (so a peak is never hidden). A column
 * without a point of its own, between two available points, holds the older
 * point's value: a line is not broken by columns finer than the sampling; so
 * do the columns before the window's first point when the point before the
 * window had a value (a recording writes a value only when it changes). An
 * unavailable point (NaN) breaks the line. Elsewhere out[c] is NaN. Returns
 * how many columns hold a value.
 */
int graph_bin(const struct graph_series *s, int64_t end_ms, int64_t span_ms, int ncols,
	      double *out);

/*
 * The series-th series of ring h (enum hist_series or sys_series) into
 * *t_ms and *v (grown with xreallocarray; *cap their capacity), times on the
 * wall clock of table t's latest refresh. Returns the series (borrowing the
 * arrays).
 */
struct graph_series graph_from_hist(const struct table *t, const struct hist *h, int series,
				    int64_t **t_ms, double **v, size_t *cap);

/*
 * A recorded series joined with a live one into *t_ms and *v (grown with
 * xreallocarray; *cap their capacity): the points of past (NULL: none) older
 * than live's first, then live's. Returns the series (borrowing the arrays).
 */
struct graph_series graph_join(const struct graph_series *past, const struct graph_series *live,
			       int64_t **t_ms, double **v, size_t *cap);

/*
 * A graph of `area` (filled) and `line` (a line; NULL for none) in the box
 * (y, x, rows, cols): the title and the zoom on the first row, the plot with
 * its scale on the left, the time axis on the last row ("now" at the right
 * when live). The scale's top is a round number above the largest value
 * shown; with cap_kib (0: none), no higher than cap_kib unless a value is
 * (a total the series cannot exceed, such as the swap size). Must be called
 * with curses active.
 */
void graph_draw(struct tui *u, int y, int x, int rows, int cols, const struct graph_series *area,
		const struct graph_series *line, int64_t end_ms, enum graph_zoom zoom, bool live,
		uint64_t cap_kib, const char *title);

/*
 * The zoom keys of the graph screens: 'z' a longer window, 'Z' a shorter one
 * (10 min, 1 hour, 6 hours, 1 day, 1 week, then round again). Returns true
 * when ch was one of them.
 */
bool graph_zoom_key(struct tui *u, int ch);

#endif
