/*
 * Swap: the swap devices, the system's swap use over time, and the processes
 * that have memory in swap, biggest first, from the top (the others are left
 * out: a list of zeros hides the few that matter).
 */
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
	panel_swap_graph(u, y, gh, "System swap used");
	y += gh;
	h -= gh + 1;
	panel_ranked(u, y, h, cols, 6, false);
	if (!u->rows.n)
		mvaddstr(y + 1, 2,
			 u->filter[0] ? "no process that matches the filter has memory in swap"
				      : "no process has memory in swap");
	buf_fini(&a);
	buf_fini(&b);
}

static bool
has_swap(const struct proc *p)
{
	return proc_has(p, F_SWAP) && proc_val(p, F_SWAP) > 0;
}

const struct screen screen_swap = {
	.name = "swap", .restorable = true, .key = 'w', .key_label = "w", .title = "Swap",
	.ranked = true, .rank_by = F_SWAP, .keep = has_swap, .enter = panel_from_top, .draw = draw,
};
