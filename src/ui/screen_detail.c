/*
 * The detail of one process: its figures and its RSS/VSZ and PSS/swap graphs.
 * When it has gone, and the OOM killer killed it (same pid and comm, logged
 * around the time it was last seen), says so, with what it held then.
 */
#include <curses.h>
#include <string.h>

#include "output/cell.h"
#include "output/oom_out.h"
#include "ui/screen.h"

static void
gone(struct tui *u, int y)
{
	const struct oom_kill *k = NULL;

	if (u->seen_pid && u->seen_pid == u->sel_pid)
		k = oomlog_match(&u->col.t.kills, u->seen_pid, u->seen_comm, u->seen_ms);
	if (!k) {
		mvaddstr(y, 0, u->col.t.sys.oom.log_err
				       ? "The process has gone: exited, or killed (the kernel log cannot "
					 "be read). Esc returns to the list."
				       : "The process has exited. Esc returns to the list.");
		return;
	}
	char when[32];
	oom_kill_time(when, sizeof when, k, false);
	move(y, 0);
	attrset(ui_attr(u, C_WARN));
	printw("PID %d ", (int)k->pid);
	ui_text(u, y, getcurx(stdscr), 16, k->comm, strlen(k->comm));
	printw(" was killed by the OOM killer at %s", when);
	attrset(A_NORMAL);
	move(y + 1, 0);
	if (k->known & OOMK_ANON)
		printw("anon %s  ", ui_kib(&u->line, k->anon_rss_kib));
	if (k->known & OOMK_FILE)
		printw("file %s  ", ui_kib(&u->line, k->file_rss_kib));
	if (k->known & OOMK_SHMEM)
		printw("shmem %s  ", ui_kib(&u->line, k->shmem_rss_kib));
	if (k->known & OOMK_CONSTRAINT)
		printw("constraint %s  ", k->constraint);
	if (k->known & OOMK_CGROUP) {
		addstr("cgroup ");
		ui_text(u, y + 1, getcurx(stdscr), COLS - getcurx(stdscr), k->cgroup,
			strlen(k->cgroup));
	}
	mvaddstr(y + 3, 0, "Esc returns to the list.");
}

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
		gone(u, y);
		return;
	}
	u->seen_pid = (pid_t)p->val[F_PID];
	memcpy(u->seen_comm, p->comm, sizeof u->seen_comm);
	u->seen_ms = u->col.t.wall_ms;
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
