/* The system graphs: used vs committed, available, swap used. */
#include <curses.h>

#include "model/hist.h"
#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	const struct hist *sh = u->col.t.sys_hist;
	int g = h / 3;

	ui_graph(u, y, 0, g, COLS, sh, HS_USED, HS_COMMITTED,
		 "System: used (filled) vs committed (line) - resident vs virtual");
	ui_graph(u, y + g, 0, g, COLS, sh, HS_AVAILABLE, -1, "Available");
	ui_graph(u, y + 2 * g, 0, h - 2 * g, COLS, sh, HS_SWAP_USED, -1, "Swap used");
}

const struct screen screen_system = {
	.name = "system", .restorable = true, .key = 'S', .key_label = "S", .title = "System",
	.draw = draw,
};
