/* The process list: the main screen, the user's columns, sort, filter and tree. */
#include <curses.h>

#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	panel_header(u, y++);
	h--;
	panel_keep_visible(&u->cursor, &u->top, u->rows.n, h);
	struct tree_state ts = { { false } };
	struct buf branch = BUF_INIT;
	for (size_t i = 0; u->tree && i < u->top && i < u->rows.n; i++)
		tree_step(&ts, u, i); /* the branches that pass by the rows above the screen */
	for (int r = 0; r < h && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r, cols = 0;
		buf_clear(&branch);
		if (u->tree) {
			tree_step(&ts, u, i);
			cols = tree_prefix(&ts, u, i, &branch);
		}
		panel_row(u, y + r, u->rows.v[i], &branch, cols, i == u->cursor);
	}
	buf_fini(&branch);
	if (!u->rows.n)
		mvaddstr(y + 1, 2, u->filter[0] ? "no process matches the filter" : "(collecting...)");
}

const struct screen screen_procs = {
	.name = "procs", .restorable = true, .draw = draw,
};
