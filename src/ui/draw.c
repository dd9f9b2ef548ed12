/*
 * Drawing primitives of the interactive view: escaped text, meter bars, and
 * time graphs of history rings (drawn by graph.c, which takes any series). Every string from the kernel goes through esc_append_fit() here, so
 * no process name reaches the terminal raw and wide characters are measured
 * before they are placed.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "ui/graph.h"
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
	ui_graph_joined(u, y, x, rows, cols, h, area, line, title, cap_kib, NULL, NULL);
}

void
ui_graph_joined(struct tui *u, int y, int x, int rows, int cols, const struct hist *h, int area,
		int line, const char *title, uint64_t cap_kib, const struct graph_series *past_area,
		const struct graph_series *past_line)
{
	const struct table *t = &u->col.t;
	int64_t *at = NULL, *lt = NULL, *jt = NULL;
	double *av = NULL, *lv = NULL, *jv = NULL;
	size_t acap = 0, lcap = 0, jcap = 0;
	struct graph_series a = graph_from_hist(t, h, area, &at, &av, &acap);
	struct graph_series l = { 0 };

	if (line >= 0)
		l = graph_from_hist(t, h, line, &lt, &lv, &lcap);
	/* a recording's past before the live ring's first sample (the arrays are copies) */
	if (past_area && past_area->n) {
		a = graph_join(past_area, &a, &jt, &jv, &jcap);
		free(at);
		free(av);
		at = jt;
		av = jv;
		jt = NULL;
		jv = NULL;
		jcap = 0;
	}
	if (line >= 0 && past_line && past_line->n) {
		l = graph_join(past_line, &l, &jt, &jv, &jcap);
		free(lt);
		free(lv);
		lt = jt;
		lv = jv;
	}
	/* the window ends just after the latest sample: it is the graph's right edge */
	graph_draw(u, y, x, rows, cols, &a, line >= 0 ? &l : NULL, t->wall_ms + 1,
		   (enum graph_zoom)u->zoom, true, cap_kib, title);
	free(at);
	free(av);
	free(lt);
	free(lv);
}
