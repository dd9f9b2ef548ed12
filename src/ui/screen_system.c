/*
 * The system graphs: used vs committed, available (its scale topped at the RAM
 * there is), swap used (topped at the swap there is, or a line saying there is
 * none).
 */
#include <curses.h>

#include "model/hist.h"
#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	const struct hist *sh = u->col.t.sys_hist;
	const struct sysmem *s = &u->col.t.sys;
	int g = h / 3;

	ui_graph(u, y, 0, g, COLS, sh, HS_USED, HS_COMMITTED,
		 "System: used (filled) vs committed (line) - resident vs virtual");
	/* Available memory tops at the RAM there is. */
	ui_graph_capped(u, y + g, 0, g, COLS, sh, HS_AVAILABLE, -1, "Available",
			s->known & (1u << M_TOTAL) ? s->val[M_TOTAL] : 0);
	panel_swap_graph(u, y + 2 * g, h - 2 * g, "Swap used");
}

const struct screen screen_system = {
	.name = "system", .restorable = true, .key = 'S', .key_label = "S", .title = "System",
	.draw = draw,
};
