/*
 * Time graphs (see graph.h). The window is cut into "dot columns": two a cell
 * in braille, one a cell in ASCII. Each dot column holds the maximum of the
 * points it covers; the plot's height is counted in dots (four a cell in
 * braille) or in eighths of a cell (ASCII levels). The area series fills its
 * dot columns from the bottom; the line series sets one dot a column and the
 * dots between it and the previous column's, so a steep change stays a
 * connected line. A cell holding line dots takes the line's colour.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/hist.h"
#include "model/table.h"
#include "ui/graph.h"
#include "ui/ui.h"
#include "util/fmt.h"
#include "util/xalloc.h"

#define MIN_MS (60 * INT64_C(1000))
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

const struct graph_zoom_info graph_zooms[GZ_NUM] = {
	[GZ_10M] = { "10 min", 10 * MIN_MS, 2 * MIN_MS },
	[GZ_1H] = { "1 hour", HOUR_MS, 10 * MIN_MS },
	[GZ_6H] = { "6 hours", 6 * HOUR_MS, HOUR_MS },
	[GZ_1D] = { "1 day", DAY_MS, 4 * HOUR_MS },
	[GZ_1W] = { "1 week", 7 * DAY_MS, DAY_MS },
};

int
graph_bin(const struct graph_series *s, int64_t end_ms, int64_t span_ms, int ncols, double *out)
{
	int64_t start = end_ms - span_ms;
	int filled = 0;

	for (int c = 0; c < ncols; c++)
		out[c] = NAN;
	if (ncols <= 0 || span_ms <= 0)
		return 0;
	int prev_col = -1;
	double prev_v = NAN, lead = NAN; /* lead: the value in effect at the window's start */
	bool inside = false;

	for (size_t i = 0; i < s->n; i++) {
		int64_t t = s->t_ms[i];
		double v = s->v[i];

		if (t < start) {
			lead = v;
			continue;
		}
		if (t >= end_ms)
			continue;
		if (isnan(v)) {
			prev_col = -1; /* an unavailable point breaks the line */
			inside = true;
			continue;
		}
		int c = (int)((double)(t - start) / (double)span_ms * ncols);

		if (c >= ncols)
			c = ncols - 1;
		/* the value older than the window holds up to its first point */
		if (!inside && !isnan(lead))
			for (int k = 0; k < c; k++)
				out[k] = lead;
		inside = true;
		/* hold the previous point's value over the columns in between */
		if (prev_col >= 0 && c > prev_col + 1)
			for (int k = prev_col + 1; k < c; k++)
				out[k] = prev_v;
		if (isnan(out[c]) || v > out[c])
			out[c] = v;
		prev_col = c;
		prev_v = v;
	}
	for (int c = 0; c < ncols; c++)
		filled += !isnan(out[c]);
	return filled;
}

struct graph_series
graph_join(const struct graph_series *past, const struct graph_series *live, int64_t **t_ms,
	   double **v, size_t *cap)
{
	struct graph_series s = { 0 };
	size_t np = 0;

	while (past && np < past->n && (!live->n || past->t_ms[np] < live->t_ms[0]))
		np++;
	if (*cap < np + live->n) {
		*cap = np + live->n;
		*t_ms = xreallocarray(*t_ms, *cap, sizeof **t_ms);
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	if (np) {
		memcpy(*t_ms, past->t_ms, np * sizeof **t_ms);
		memcpy(*v, past->v, np * sizeof **v);
	}
	if (live->n) {
		memcpy(*t_ms + np, live->t_ms, live->n * sizeof **t_ms);
		memcpy(*v + np, live->v, live->n * sizeof **v);
	}
	s.t_ms = *t_ms;
	s.v = *v;
	s.n = np + live->n;
	return s;
}

struct graph_series
graph_from_hist(const struct table *t, const struct hist *h, int series, int64_t **t_ms,
		double **v, size_t *cap)
{
	struct graph_series s = { 0 };
	int64_t base = t->wall_ms - (int64_t)(t->now_ms - t->t0_ms);

	if (!h)
		return s;
	if (*cap < h->n) {
		*cap = h->n;
		*t_ms = xreallocarray(*t_ms, *cap, sizeof **t_ms);
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	for (uint32_t i = 0; i < h->n; i++) {
		uint32_t ds;
		uint64_t vals[HIST_SERIES];
		unsigned known = hist_get(h, i, &ds, vals, NULL);

		(*t_ms)[i] = base + (int64_t)ds * 100;
		(*v)[i] = known >> series & 1 ? (double)vals[series] : NAN;
	}
	s.t_ms = *t_ms;
	s.v = *v;
	s.n = h->n;
	return s;
}

/* A round scale top >= v KiB: 1, 2 or 5 times a power of ten, in K, M, G, ... (at least 4K). */
static uint64_t
nice_top(double v)
{
	static const unsigned steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
	uint64_t unit = 1;

	if (!(v >= 4))
		return 4;
	while (v > 1000.0 * (double)unit && unit < (UINT64_C(1) << 50))
		unit *= 1024;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if ((double)(steps[i] * unit) >= v)
			return steps[i] * unit;
	return 1024 * unit;
}

static void
label_kib(struct tui *u, int y, int x, uint64_t v)
{
	buf_clear(&u->line);
	fmt_kib(&u->line, v);
	mvprintw(y, x, "%6s", u->line.data);
}

/* Height of v in units (dots or eighths) of a plot of `units`, 0..units. */
static int
height(double v, double max, int units)
{
	if (isnan(v) || v <= 0)
		return 0;
	int hgt = (int)(v / max * units + 0.5);

	return hgt > units ? units : hgt < 1 ? 1 : hgt;
}

/* Braille dot bits: [column 0/1][row from the bottom 0..3]. */
static const unsigned braille_bit[2][4] = {
	{ 0x40, 0x04, 0x02, 0x01 },
	{ 0x80, 0x20, 0x10, 0x08 },
};

static void
put_braille(unsigned bits)
{
	char s[4];
	unsigned cp = 0x2800 + bits;

	s[0] = (char)(0xe0 | (cp >> 12));
	s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	s[2] = (char)(0x80 | (cp & 0x3f));
	s[3] = '\0';
	addstr(s);
}

/* Dots of the line in dot column d: from its height down (or up) to the previous column's. */
static void
line_span(const int *lh, int d, int *lo, int *hi)
{
	*lo = *hi = lh[d];
	if (d > 0 && lh[d - 1] > 0 && lh[d] > 0) {
		int p = lh[d - 1];

		/* meet the previous column half way: the other half is its own */
		if (p < *lo)
			*lo = (p + *lo + 1) / 2;
		if (p > *hi)
			*hi = (p + *hi) / 2;
	}
}

static void
draw_braille(struct tui *u, int y, int x, int plot_w, int plot_h, const int *ah, const int *lh)
{
	for (int r = 0; r < plot_h; r++) {
		int base = (plot_h - 1 - r) * 4; /* dots below this cell row */

		for (int c = 0; c < plot_w; c++) {
			unsigned area = 0, line = 0;

			for (int k = 0; k < 2; k++) {
				int d = 2 * c + k, lo, hi;

				for (int dot = 0; dot < 4; dot++)
					if (ah[d] > base + dot)
						area |= braille_bit[k][dot];
				if (!lh[d])
					continue;
				line_span(lh, d, &lo, &hi);
				for (int dot = 0; dot < 4; dot++)
					if (base + dot + 1 >= lo && base + dot + 1 <= hi)
						line |= braille_bit[k][dot];
			}
			if (!area && !line)
				continue;
			attrset(line ? (int)(ui_attr(u, C_LINE) | A_BOLD) : ui_attr(u, C_USED));
			move(y + r, x + c);
			put_braille(area | line);
		}
	}
	attrset(A_NORMAL);
}

static void
draw_ascii(struct tui *u, int y, int x, int plot_w, int plot_h, const int *ah, const int *lh)
{
	static const char levels[9] = { ' ', '.', '.', '_', '_', 'o', 'o', '#', '#' };

	for (int c = 0; c < plot_w; c++) {
		int e = ah[c];

		attrset(ui_attr(u, C_USED));
		for (int r = 0; r < plot_h && e > 0; r++, e -= 8)
			mvaddch(y + plot_h - 1 - r, x + c, (chtype)levels[e >= 8 ? 8 : e]);
		if (lh[c]) {
			int r = (lh[c] - 1) / 8;

			attrset(ui_attr(u, C_LINE) | A_BOLD);
			mvaddch(y + plot_h - 1 - r, x + c, '=');
		}
	}
	attrset(A_NORMAL);
}

/* Clock-time labels under the plot at each tick of the zoom, none overlapping. */
static void
time_axis(int y, int x, int plot_w, int64_t end_ms, enum graph_zoom zoom, bool live)
{
	const struct graph_zoom_info *z = &graph_zooms[zoom];
	int64_t start = end_ms - z->span_ms;
	time_t now = (time_t)(end_ms / 1000);
	struct tm tm;
	int free_x = x, right = x + plot_w - (live ? 4 : 0);

	localtime_r(&now, &tm);
	int64_t off = (int64_t)tm.tm_gmtoff * 1000;
	int64_t tick = (start + off) / z->tick_ms * z->tick_ms - off;

	for (; tick < end_ms; tick += z->tick_ms) {
		char text[24];
		time_t ts = (time_t)(tick / 1000);

		if (tick < start)
			continue;
		localtime_r(&ts, &tm);
		strftime(text, sizeof text, zoom == GZ_1W ? "%a %d" : "%H:%M", &tm);
		int cx = x + (int)((double)(tick - start) / (double)z->span_ms * plot_w);
		int len = (int)strlen(text);

		if (cx < free_x || cx + len + 1 > right)
			continue;
		mvaddch(y, cx, '|');
		mvaddstr(y, cx + 1, text);
		free_x = cx + len + 2;
	}
	if (live)
		mvaddstr(y, x + plot_w - 3, "now");
}

void
graph_draw(struct tui *u, int y, int x, int rows, int cols, const struct graph_series *area,
	   const struct graph_series *line, int64_t end_ms, enum graph_zoom zoom, bool live,
	   uint64_t cap_kib, const char *title)
{
	const int margin = 8;
	int plot_w = cols - margin, plot_h = rows - 2;
	char zl[32];

	snprintf(zl, sizeof zl, " [z] %s", graph_zooms[zoom].label);
	attrset(ui_attr(u, C_TITLE));
	mvaddnstr(y, x, title, cols - (int)strlen(zl));
	attrset(A_NORMAL);
	if ((int)strlen(zl) < cols)
		mvaddstr(y, x + cols - (int)strlen(zl), zl);
	if (plot_w < 4 || plot_h < 2)
		return;
	int per = u->utf8 ? 2 : 1, units = plot_h * (u->utf8 ? 4 : 8), nd = plot_w * per;
	double *av = xcalloc((size_t)nd * 2, sizeof *av), *lv = av + nd;
	int *ah = xcalloc((size_t)nd * 2, sizeof *ah), *lh = ah + nd;
	int64_t span = graph_zooms[zoom].span_ms;
	int got = graph_bin(area, end_ms, span, nd, av);

	if (line)
		got += graph_bin(line, end_ms, span, nd, lv);
	else
		for (int d = 0; d < nd; d++)
			lv[d] = NAN;
	if (!got) {
		mvaddstr(y + 1, x, "(collecting...)");
		free(av);
		free(ah);
		return;
	}
	double top = 0;

	for (int d = 0; d < nd; d++) {
		if (av[d] > top)
			top = av[d];
		if (lv[d] > top)
			top = lv[d];
	}
	uint64_t max = nice_top(top);

	if (cap_kib && max > cap_kib) /* the natural top, unless the data passed it */
		max = (double)cap_kib > top ? cap_kib : (uint64_t)ceil(top);

	for (int d = 0; d < nd; d++) {
		ah[d] = height(av[d], (double)max, units);
		lh[d] = height(lv[d], (double)max, units);
	}
	label_kib(u, y + 1, x, max);
	label_kib(u, y + plot_h / 2 + 1, x, max / 2);
	label_kib(u, y + plot_h, x, 0);
	for (int r = 0; r < plot_h; r++)
		mvaddstr(y + 1 + r, x + margin - 1, u->utf8 ? "│" : "|");
	if (u->utf8)
		draw_braille(u, y + 1, x + margin, plot_w, plot_h, ah, lh);
	else
		draw_ascii(u, y + 1, x + margin, plot_w, plot_h, ah, lh);
	time_axis(y + rows - 1, x + margin, plot_w, end_ms, zoom, live);
	free(av);
	free(ah);
}

bool
graph_zoom_key(struct tui *u, int ch)
{
	if (ch == 'z')
		u->zoom = (u->zoom + 1) % GZ_NUM;
	else if (ch == 'Z')
		u->zoom = (u->zoom + GZ_NUM - 1) % GZ_NUM;
	else
		return false;
	return true;
}
