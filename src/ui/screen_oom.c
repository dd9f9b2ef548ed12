/*
 * The OOM killer: its ranking (who goes first, and setting oom_score_adj with
 * 'a'), and below it the kills it made, newest first, from the kernel log, with
 * the kernel's count since boot. When the log cannot be read, one line says
 * why in place of the kills.
 */
#include <curses.h>
#include <string.h>

#include "output/oom_out.h"
#include "ui/screen.h"

/* Rows the kills take at the bottom of a screen of h rows. */
static int
kills_rows(const struct tui *u, int h)
{
	const struct table *t = &u->col.t;
	int want = 1 + (t->kills.n ? (int)t->kills.n + 1 : 1);
	int most = h / 3 > 3 ? h / 3 : 3;

	return want < most ? want : most;
}

static void
kills(struct tui *u, int y, int h)
{
	const struct table *t = &u->col.t;
	const struct oom_events *e = &t->sys.oom;
	const char *why = oom_log_reason(e->log_err);

	attrset(ui_attr(u, C_TITLE));
	move(y, 0);
	if (e->vmstat_known)
		printw("OOM kills since boot: %llu", (unsigned long long)e->vmstat_kills);
	else
		printw("OOM kills since boot: -");
	printw("   recent kills, newest first");
	attrset(A_NORMAL);
	if (why || !t->kills.n) {
		mvaddnstr(y + 1, 0, why ? why : "  none in the kernel log", COLS);
		return;
	}
	attrset(ui_attr(u, C_HEADER));
	mvaddnstr(y + 1, 0,
		  "  TIME          PID    ANON   FILE  SHMEM   ADJ COMM             CGROUP", COLS);
	attrset(A_NORMAL);
	for (int r = 0; r + 2 < h && (size_t)r < t->kills.n; r++) {
		const struct oom_kill *k = &t->kills.v[r];
		char when[32];
		bool today = (k->known & OOMK_TIME) && t->wall_ms - k->time_unix_ms < 86400000;
		oom_kill_time(when, sizeof when, k, !today);
		mvprintw(y + 2 + r, 0, "  %-10.19s %7d ", when, (int)k->pid);
		const struct {
			unsigned bit;
			uint64_t v;
		} kib[] = { { OOMK_ANON, k->anon_rss_kib }, { OOMK_FILE, k->file_rss_kib },
			    { OOMK_SHMEM, k->shmem_rss_kib } };
		for (int i = 0; i < 3; i++)
			printw("%6s ", k->known & kib[i].bit ? ui_kib(&u->line, kib[i].v) : "-");
		if (k->known & OOMK_ADJ)
			printw("%5d ", (int)k->oom_score_adj);
		else
			printw("%5s ", "-");
		int x = getcurx(stdscr);
		ui_text(u, y + 2 + r, x, 16, k->comm, strlen(k->comm));
		if (k->known & OOMK_CGROUP && COLS > x + 17)
			ui_text(u, y + 2 + r, x + 17, COLS - x - 17, k->cgroup, strlen(k->cgroup));
	}
}

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
	int kh = kills_rows(u, h - 3);
	panel_ranked(u, y, h - 3 - kh, cols, 7, true);
	kills(u, y + h - 3 - kh, kh);
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
