/* The process list: the main screen, the user's columns, sort, filter and tree. */
#include <curses.h>

#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	panel_header(u, y++);
	h--;
	panel_keep_visible(&u->cursor, &u->top, u->rows.n, h);
	for (int r = 0; r < h && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r;
		panel_row(u, y + r, u->rows.v[i], u->depth[i], i == u->cursor);
	}
	if (!u->rows.n)
		mvaddstr(y + 1, 2, u->filter[0] ? "no process matches the filter" : "(collecting...)");
}

const struct screen screen_procs = {
	.name = "procs", .restorable = true, .draw = draw,
};
