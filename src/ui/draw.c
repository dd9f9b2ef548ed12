/*
 * Drawing primitives of the interactive view: escaped text, meter bars and time
 * graphs. Every string from the kernel goes through esc_append_fit() here, so
 * no process name reaches the terminal raw and wide characters are measured
 * before they are placed.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "ui/ui.h"
#include "util/escape.h"
#include "util/fmt.h"
#include "util/xalloc.h"

void
ui_colors_init(struct tui *u)
{
	const char *nc = getenv("NO_COLOR");

	u->color = has_colors() && !(nc && *nc);
	if (!u->color)
		return;
	start_color();
	use_default_colors();
	init_pair(C_HEADER, COLOR_BLACK, COLOR_GREEN);
	init_pair(C_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_USED, COLOR_GREEN, -1);
	init_pair(C_BUFFERS, COLOR_BLUE, -1);
	init_pair(C_CACHE, COLOR_YELLOW, -1);
	init_pair(C_SWAP, COLOR_RED, -1);
	init_pair(C_TITLE, COLOR_CYAN, -1);
	init_pair(C_LINE, COLOR_MAGENTA, -1);
	init_pair(C_LINE_ON_FILL, COLOR_MAGENTA, COLOR_GREEN);
	init_pair(C_WARN, COLOR_RED, -1);
}

int
ui_attr(const struct tui *u, enum ui_color c)
{
	if (c == C_DIM)
		return A_DIM; /* no colour: a dim blue is unreadable on dark terminals */
	if (u->color)
		return c == C_NORMAL ? A_NORMAL : (int)COLOR_PAIR(c) | (c == C_TITLE ? A_BOLD : 0);
	switch (c) {
	case C_HEADER:
	case C_SELECT:
		return A_REVERSE;
	case C_TITLE:
	case C_WARN:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

int
ui_text(struct tui *u, int y, int x, int w, const char *s, size_t len)
{
	if (w <= 0)
		return 0;
	buf_clear(&u->line);
	size_t cols = esc_append_fit(&u->line, s, len, u->utf8 ? 0 : ESC_ASCII, (size_t)w, NULL);
	if (u->line.len)
		mvaddnstr(y, x, u->line.data, (int)u->line.len);
	return (int)cols;
}

void
ui_fill_line(int y, int attr)
{
	attrset(attr);
	move(y, 0);
	for (int x = 0; x < COLS; x++)
		addch(' ');
	attrset(A_NORMAL);
}

/* A run of n cells of a bar: a colour, or a fill character without colour. */
static void
bar_run(struct tui *u, int n, enum ui_color c, int idx)
{
	static const char mono[] = "|#*%@";

	attrset(ui_attr(u, c));
	for (int i = 0; i < n; i++)
		addch(u->color ? '|' : (chtype)mono[idx % 5]);
	attrset(A_NORMAL);
}

void
ui_bar(struct tui *u, int y, int x, int w, const char *label, const uint64_t *parts,
       const enum ui_color *colors, int nparts, uint64_t total, const char *text)
{
	int inner = w - (int)strlen(label) - 3 - (int)strlen(text) - 1;

	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y, x, label);
	attrset(A_NORMAL);
	addstr(" [");
	if (inner < 4)
		inner = 4;
	int used = 0;
	for (int i = 0; i < nparts && total; i++) {
		int n = (int)((double)parts[i] / (double)total * inner + 0.5);
		if (n > inner - used)
			n = inner - used;
		bar_run(u, n, colors[i], i);
		used += n;
	}
	for (; used < inner; used++)
		addch(' ');
	addstr("] ");
	addstr(text);
}

/* A round scale top >= v KiB: 1, 2 or 5 times a power of ten, in K, M, G, ... (at least 4K). */
static uint64_t
nice_top(uint64_t v)
{
	static const unsigned steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
	uint64_t unit = 1;

	if (v < 4)
		return 4;
	while (v > 1000 * unit && unit < (UINT64_C(1) << 50))
		unit *= 1024;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (steps[i] * unit >= v)
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

/* One graph column: the maximum of each series over the records it covers. */
struct graph_col {
	uint64_t area, line;
	bool has_area, has_line, consolidated;
};

struct graph_rec {
	uint32_t t;
	unsigned known;
	bool consolidated;
	uint64_t v[HIST_SERIES];
};

static void
graph_read(const struct hist *h, uint32_t i, struct graph_rec *r)
{
	r->known = hist_get(h, i, &r->t, r->v, &r->consolidated);
}

/*
 * Spreads the history over w columns by time, newest at the right: each record
 * covers the columns from its time to the next record's, so a consolidated
 * record is as wide as the samples it stands for. Returns the column of the
 * oldest record.
 */
static int
graph_columns(const struct hist *h, int area, int line, struct graph_col *col, int w)
{
	struct graph_rec cur, next;
	uint32_t t0, tn;

	graph_read(h, 0, &cur);
	t0 = cur.t;
	graph_read(h, h->n - 1, &next);
	tn = next.t;
	uint32_t cw = 10; /* a short history: one column per latest interval */
	if (h->n >= 2) {
		graph_read(h, h->n - 2, &next);
		cw = tn > next.t ? tn - next.t : 1;
	}
	uint32_t fit = (tn - t0 + (uint32_t)w - 2) / (uint32_t)(w - 1);
	if (cw < fit)
		cw = fit;
	int first = w - 1 - (int)((tn - t0) / cw);
	for (uint32_t i = 0; i < h->n; i++) {
		int c0 = w - 1 - (int)((tn - cur.t) / cw), c1 = c0;
		if (i + 1 < h->n) {
			graph_read(h, i + 1, &next);
			c1 = w - 2 - (int)((tn - next.t) / cw);
			if (c1 < c0)
				c1 = c0;
		}
		for (int c = c0 < 0 ? 0 : c0; c <= c1 && c < w; c++) {
			struct graph_col *g = &col[c];
			if ((cur.known >> area & 1) && (!g->has_area || cur.v[area] > g->area)) {
				g->area = cur.v[area];
				g->has_area = true;
			}
			if (line >= 0 && (cur.known >> line & 1) && (!g->has_line || cur.v[line] > g->line)) {
				g->line = cur.v[line];
				g->has_line = true;
			}
			g->consolidated |= cur.consolidated;
		}
		cur = next;
	}
	return first < 0 ? 0 : first;
}

/* The age of the oldest sample: "-45s", "-9m58s", "-2h05m". */
static void
span_label(char *out, size_t n, unsigned s)
{
	if (s < 120)
		snprintf(out, n, "-%us", s);
	else if (s < 7200)
		snprintf(out, n, "-%um%02us", s / 60, s % 60);
	else
		snprintf(out, n, "-%uh%02um", s / 3600, s / 60 % 60);
}

static void
graph_column(struct tui *u, int y, int cx, int plot_h, uint64_t max, const struct graph_col *g)
{
	static const char *const blocks[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[9] = { ' ', '.', '.', '_', '_', 'o', 'o', '#', '#' };

	if (g->has_area) {
		uint64_t eighths = (uint64_t)((double)g->area / (double)max * plot_h * 8 + 0.5);
		/* Consolidated maxima are drawn dim: an older, coarser part of the graph. */
		attrset(ui_attr(u, C_USED) | (g->consolidated ? A_DIM : 0));
		for (int r = 0; r < plot_h && eighths; r++) {
			int part = eighths >= 8 ? 8 : (int)eighths;
			eighths -= (uint64_t)part;
			if (u->utf8)
				mvaddstr(y + plot_h - r, cx, blocks[part]);
			else
				mvaddch(y + plot_h - r, cx, (chtype)ascii[part]);
		}
	}
	if (g->has_line) {
		int r = (int)((double)g->line / (double)max * (plot_h - 1) + 0.5);
		bool on_fill = g->has_area && (double)g->area / (double)max * plot_h > r + 0.5;
		attrset(ui_attr(u, on_fill && u->color ? C_LINE_ON_FILL : C_LINE) | A_BOLD);
		if (u->utf8)
			mvaddstr(y + plot_h - r, cx, "━");
		else
			mvaddch(y + plot_h - r, cx, '=');
	}
	attrset(A_NORMAL);
}

void
ui_graph(struct tui *u, int y, int x, int rows, int cols, const struct hist *h, int area,
	 int line, const char *title)
{
	ui_graph_capped(u, y, x, rows, cols, h, area, line, title, 0);
}

void
ui_graph_capped(struct tui *u, int y, int x, int rows, int cols, const struct hist *h, int area,
		int line, const char *title, uint64_t cap_kib)
{
	const int margin = 8;
	int plot_w = cols - margin, plot_h = rows - 2;

	attrset(ui_attr(u, C_TITLE));
	mvaddnstr(y, x, title, cols);
	attrset(A_NORMAL);
	if (!h || h->n == 0 || plot_w < 4 || plot_h < 2) {
		mvaddstr(y + 1, x, "(collecting...)");
		return;
	}
	struct graph_col *col = xcalloc((size_t)plot_w, sizeof *col);
	int first = graph_columns(h, area, line, col, plot_w);
	uint64_t max = 0;

	for (int c = 0; c < plot_w; c++) {
		if (col[c].has_area && col[c].area > max)
			max = col[c].area;
		if (col[c].has_line && col[c].line > max)
			max = col[c].line;
	}
	uint64_t top = nice_top(max);
	if (cap_kib && top > cap_kib) /* the natural top, unless the data passed it */
		top = cap_kib > max ? cap_kib : max;
	max = top;
	label_kib(u, y + 1, x, max);
	label_kib(u, y + plot_h / 2 + 1, x, max / 2);
	label_kib(u, y + plot_h, x, 0);
	for (int r = 0; r < plot_h; r++)
		mvaddstr(y + 1 + r, x + margin - 1, u->utf8 ? "│" : "|");
	for (int c = 0; c < plot_w; c++)
		graph_column(u, y, x + margin + c, plot_h, max, &col[c]);
	free(col);

	/* Time axis: age of the oldest sample on the left, "now" on the right. */
	uint32_t t_first, t_last;
	uint64_t v[HIST_SERIES];
	hist_get(h, 0, &t_first, v, NULL);
	hist_get(h, h->n - 1, &t_last, v, NULL);
	char axis[48];
	span_label(axis, sizeof axis, (t_last - t_first + 5) / 10);
	int ax = x + margin + first;
	if (ax > x + cols - 3 - (int)strlen(axis) - 1)
		ax = x + cols - 3 - (int)strlen(axis) - 1;
	mvaddstr(y + rows - 1, ax, axis);
	mvaddstr(y + rows - 1, x + cols - 3, "now");
}
