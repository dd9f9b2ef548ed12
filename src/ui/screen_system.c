/*
 * The system graphs: used vs committed, available (its scale topped at the RAM
 * there is), swap used (topped at the swap there is, or a line saying there is
 * none); below them, the settings that decide when the OOM killer comes, one
 * line each with its meaning (the same lines as smaptop --system prints).
 */
#include <curses.h>
#include <string.h>

#include "model/hist.h"
#include "output/oom_out.h"
#include "ui/screen.h"

/* The knob lines in rows [y, y + h): the OOM part of --system's table. */
static void
knobs(struct tui *u, int y, int h)
{
	struct buf b = BUF_INIT;
	const char *pos, *nl;

	out_knobs_table(&b, &u->col.t.sys);
	pos = b.data ? b.data : "";
	while (*pos == '\n')
		pos++;
	for (int r = 0; r < h && *pos; r++, pos = *nl ? nl + 1 : nl) {
		nl = strchr(pos, '\n');
		if (!nl)
			nl = pos + strlen(pos);
		if (nl == pos) { /* the blank line between the parts */
			r--;
			continue;
		}
		bool title = *pos != ' ';
		if (title)
			attrset(ui_attr(u, C_TITLE));
		mvaddnstr(y + r, 0, pos, (int)(nl - pos) < COLS ? (int)(nl - pos) : COLS);
		attrset(A_NORMAL);
	}
	buf_fini(&b);
}

static void
draw(struct tui *u, int y, int h)
{
	const struct hist *sh = u->col.t.sys_hist;
	const struct sysmem *s = &u->col.t.sys;
	int kh = h >= 24 ? (h / 2 < KN_NUM + 4 ? h / 2 : KN_NUM + 4) : 0;

	knobs(u, y + h - kh, kh);
	h -= kh;
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
