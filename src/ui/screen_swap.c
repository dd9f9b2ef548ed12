/* Swap: the swap devices, the system's swap use over time, and who is swapped out. */
#include <curses.h>
#include <string.h>

#include "model/hist.h"
#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	const struct sysmem *s = &u->col.t.sys;
	static const enum field cols[] = { F_PID, F_USER, F_SWAP, F_SWAP_PSS, F_RSS, F_COMM };
	struct buf a = BUF_INIT, b = BUF_INIT;

	attrset(ui_attr(u, C_TITLE));
	mvprintw(y++, 0, "Swap devices: %d", s->nswaps);
	attrset(A_NORMAL);
	for (int i = 0; i < s->nswaps && h > 12; i++, h--) {
		const struct swapdev *d = &s->swaps[i];
		mvprintw(y, 0, "  %-9s %8s used of %8s  prio %5d  ", d->type, ui_kib(&a, d->used_kib),
			 ui_kib(&b, d->size_kib), d->priority);
		ui_text(u, y++, getcurx(stdscr), COLS - getcurx(stdscr), d->path, strlen(d->path));
	}
	if (!s->nswaps) {
		mvaddstr(y++, 2, "no swap is active (swapon --show)");
		h--;
	}
	int gh = (h - 1) / 2 > 4 ? (h - 1) / 2 : 4;
	ui_graph(u, y, 0, gh, COLS, u->col.t.sys_hist, HS_SWAP_USED, -1, "System swap used");
	y += gh;
	h -= gh + 1;
	panel_ranked(u, y, h, cols, 6, false);
	buf_fini(&a);
	buf_fini(&b);
}

const struct screen screen_swap = {
	.name = "swap", .restorable = true, .key = 'w', .key_label = "w", .title = "Swap",
	.ranked = true, .rank_by = F_SWAP, .draw = draw,
};
