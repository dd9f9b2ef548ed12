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

void
ui_graph(struct tui *u, int y, int x, int rows, int cols, const struct hist *h, int area,
	 int line, const char *title)
{
	static const char *const blocks[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[9] = { ' ', '.', '.', '_', '_', 'o', 'o', '#', '#' };
	const int margin = 8;
	int plot_w = cols - margin, plot_h = rows - 2;

	attrset(ui_attr(u, C_TITLE));
	mvaddnstr(y, x, title, cols);
	attrset(A_NORMAL);
	if (!h || h->n == 0 || plot_w < 4 || plot_h < 2) {
		mvaddstr(y + 1, x, "(collecting...)");
		return;
	}
	uint32_t n = h->n < (uint32_t)plot_w ? h->n : (uint32_t)plot_w;
	uint32_t first = h->n - n;
	uint64_t max = 0, v[HIST_SERIES];
	uint32_t t, t_first = 0, t_last = 0;

	for (uint32_t i = first; i < h->n; i++) {
		unsigned known = hist_get(h, i, &t, v, NULL);
		if (i == first)
			t_first = t;
		t_last = t;
		if ((known >> area & 1) && v[area] > max)
			max = v[area];
		if (line >= 0 && (known >> line & 1) && v[line] > max)
			max = v[line];
	}
	max = nice_top(max);
	label_kib(u, y + 1, x, max);
	label_kib(u, y + plot_h / 2 + 1, x, max / 2);
	label_kib(u, y + plot_h, x, 0);
	for (int r = 0; r < plot_h; r++)
		mvaddstr(y + 1 + r, x + margin - 1, u->utf8 ? "│" : "|");

	for (uint32_t i = first; i < h->n; i++) {
		int cx = x + margin + (int)(plot_w - n + (i - first));
		unsigned known = hist_get(h, i, &t, v, NULL);
		if (known >> area & 1) {
			uint64_t eighths = (uint64_t)((double)v[area] / (double)max * plot_h * 8 + 0.5);
			attrset(ui_attr(u, C_USED));
			for (int r = 0; r < plot_h && eighths; r++) {
				int part = eighths >= 8 ? 8 : (int)eighths;
				eighths -= (uint64_t)part;
				if (u->utf8)
					mvaddstr(y + plot_h - r, cx, blocks[part]);
				else
					mvaddch(y + plot_h - r, cx, (chtype)ascii[part]);
			}
		}
		if (line >= 0 && (known >> line & 1)) {
			int r = (int)((double)v[line] / (double)max * (plot_h - 1) + 0.5);
			bool on_fill = (known >> area & 1) &&
				       (double)v[area] / (double)max * plot_h > r + 0.5;
			attrset(ui_attr(u, on_fill && u->color ? C_LINE_ON_FILL : C_LINE) | A_BOLD);
			if (u->utf8)
				mvaddstr(y + plot_h - r, cx, "━");
			else
				mvaddch(y + plot_h - r, cx, '=');
		}
		attrset(A_NORMAL);
	}
	/* Time axis: age of the oldest shown sample on the left, "now" on the right. */
	char axis[48];
	snprintf(axis, sizeof axis, "-%us", (t_last - t_first + 5) / 10);
	int ax = x + margin + (int)(plot_w - n);
	if (ax > x + cols - 3 - (int)strlen(axis) - 1)
		ax = x + cols - 3 - (int)strlen(axis) - 1;
	mvaddstr(y + rows - 1, ax, axis);
	mvaddstr(y + rows - 1, x + cols - 3, "now");
}
