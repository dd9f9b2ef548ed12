/* The OOM killer's ranking: who goes first, and setting oom_score_adj ('a'). */
#include <curses.h>

#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	static const enum field cols[] = {
		F_PID, F_USER, F_OOM_SCORE, F_OOM_ADJ, F_RSS, F_SWAP, F_COMM,
	};

	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y++, 0, "OOM killer ranking: the highest oom_score is killed first.");
	attrset(A_NORMAL);
	mvaddnstr(y++, 0, "score = (1000 + adj + 1000 x (RSS + swap + page tables) / RAM) x 2/3", COLS);
	mvaddnstr(y++, 0, "adj -1000 exempts a process; 'a' sets the selected one's oom_score_adj", COLS);
	panel_ranked(u, y, h - 3, cols, 7, true);
}

static bool
keys(struct tui *u, int ch)
{
	if (ch != 'a')
		return false;
	if (u->sel_pid) {
		u->target = u->sel_pid;
		u->input[0] = '\0';
		u->prompt = PR_OOM_ADJ;
	}
	return true;
}

const struct screen screen_oom = {
	.name = "oom", .restorable = true, .key = 'o', .key_label = "o", .title = "OOM",
	.ranked = true, .rank_by = F_OOM_SCORE, .enter = panel_from_top,
	.draw = draw, .keys = keys,
};
