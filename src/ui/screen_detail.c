/* The detail of one process: its figures and its RSS/VSZ and PSS/swap graphs. */
#include <curses.h>
#include <string.h>

#include "output/cell.h"
#include "ui/screen.h"

static void
figure(struct tui *u, const struct proc *p, enum field f, const char *label)
{
	buf_clear(&u->line);
	cell_format(&u->line, p, f, CELL_HUMAN, SIZE_MAX, NULL);
	attrset(ui_attr(u, C_TITLE));
	addstr(label);
	attrset(A_NORMAL);
	printw(" %s  ", u->line.data);
}

static void
draw(struct tui *u, int y, int h)
{
	const struct proc *p = view_selected(u);

	if (!p) {
		mvaddstr(y, 0, "The process has exited. Esc returns to the list.");
		return;
	}
	move(y, 0);
	attrset(ui_attr(u, C_TITLE));
	printw("PID %lld ", (long long)p->val[F_PID]);
	attrset(A_NORMAL);
	ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr), p->comm, strlen(p->comm));
	move(y + 1, 0);
	figure(u, p, F_RSS, "RSS");
	figure(u, p, F_VSZ, "VSZ");
	figure(u, p, F_PSS, "PSS");
	figure(u, p, F_USS, "USS");
	figure(u, p, F_SWAP, "Swap");
	figure(u, p, F_GROWTH, "Growth/s");
	figure(u, p, F_OOM_SCORE, "OOM");
	int gh = h - 2;
	int top_h = gh * 3 / 5, bottom_h = gh - top_h;
	ui_graph(u, y + 2, 0, top_h, COLS, p->hist, H_RSS, H_VSZ,
		 "RSS (filled) vs VSZ (line)");
	ui_graph(u, y + 2 + top_h, 0, bottom_h, COLS, p->hist, H_PSS, H_SWAP,
		 "PSS (filled) and swap (line)");
}

const struct screen screen_detail = {
	.name = "detail", .key = '\n', .key_label = "Ent", .title = "Detail",
	.needs_process = true, .draw = draw,
};
