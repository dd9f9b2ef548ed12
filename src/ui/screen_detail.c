/*
 * The detail of one process: its figures and its RSS/VSZ and PSS/swap graphs.
 * The screen follows a process, not a PID: it is opened on (pid, start time),
 * keeps a copy of the record and of the history as last seen, and when the
 * process exits, or its PID is reused by another, says so and keeps showing the
 * last values and graph. When the OOM killer killed it (a kill in the kernel
 * log with its pid and comm, logged around when it was last seen), says that,
 * with the time.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "model/table.h"
#include "output/cell.h"
#include "output/oom_out.h"
#include "ui/graph.h"
#include "ui/screen.h"
#include "util/xalloc.h"

/* Keeps a copy of p (the followed process, alive) and of its history. */
static void
remember(struct tui *u, const struct proc *p)
{
	proc_fini(&u->detail_last); /* a long name is all the copy owns */
	u->detail_last = *p;
	proc_comm_unshare(&u->detail_last); /* shown after the record is freed */
	u->detail_seen_ms = u->col.t.wall_ms;
	u->detail_last.cmdline = NULL;
	u->detail_last.cmd_len = 0;
	u->detail_last.known &= ~(FIELD_BIT(F_CMDLINE) | FIELD_BIT(F_CGROUP));
	/* the copy owns none of the record's pointers: they go with the record */
	u->detail_last.cgroup = NULL;
	u->detail_last.hist = NULL;
	u->detail_last.env = NULL;
	if (!p->hist)
		return;
	size_t n = hist_size(p->hist);
	u->detail_hist = xreallocarray(u->detail_hist, n, 1);
	memcpy(u->detail_hist, p->hist, n); /* a ring is one block, with no pointers */
}

/* The followed process if it still runs, or NULL. */
static const struct proc *
followed(const struct tui *u)
{
	const struct proc *p = table_find(&u->col.t, u->detail_pid);

	return p && p->start_ticks == u->detail_start ? p : NULL;
}

static void
enter(struct tui *u)
{
	const struct proc *p = view_selected(u);

	free(u->detail_hist);
	u->detail_hist = NULL;
	u->detail_gone = !p;
	u->detail_pid = u->sel_pid;
	proc_fini(&u->detail_last);
	memset(&u->detail_last, 0, sizeof u->detail_last); /* no values: shown as '-' */
	if (p) {
		u->detail_start = p->start_ticks;
		remember(u, p);
	}
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
	const struct proc *live = u->detail_gone ? NULL : followed(u);
	const struct proc *p = &u->detail_last;

	if (live)
		remember(u, live);
	else
		u->detail_gone = true;
	if (!u->detail_pid) {
		mvaddstr(y, 0, "No process is selected. Esc returns to the list.");
		return;
	}
	move(y, 0);
	attrset(ui_attr(u, C_TITLE));
	printw("PID %d ", (int)u->detail_pid);
	attrset(A_NORMAL);
	/* how it ended: killed by the OOM killer (the kernel log says so), or exited */
	const struct oom_kill *k = u->detail_gone ? oomlog_match(&u->col.t.kills, u->detail_pid,
								 proc_comm(p), u->detail_seen_ms)
						  : NULL;
	char ended[96] = "  has exited: its last values and graph";
	if (k) {
		char when[32];
		oom_kill_time(when, sizeof when, k, false);
		snprintf(ended, sizeof ended,
			 "  was killed by the OOM killer at %s: its last values and graph", when);
	}
	int room = COLS - getcurx(stdscr) - (u->detail_gone ? (int)strlen(ended) : 0);
	ui_text(u, y, getcurx(stdscr), room, proc_comm(p), strlen(proc_comm(p)));
	if (u->detail_gone) {
		attrset(ui_attr(u, C_WARN));
		addstr(ended);
		attrset(A_NORMAL);
	}
	move(y + 1, 0);
	figure(u, p, F_RSS, "RSS");
	figure(u, p, F_VSZ, "VSZ");
	figure(u, p, F_PSS, "PSS");
	figure(u, p, F_USS, "USS");
	figure(u, p, F_SWAP, "Swap");
	figure(u, p, F_GROWTH, "Growth/s");
	figure(u, p, F_LEAK, (p->flags & PROC_LEAK) ? "Leak/h (suspect)" : "Leak/h");
	figure(u, p, F_OOM_SCORE, "OOM");
	int gh = h - 2 - (u->history != NULL);
	int top_h = gh * 3 / 5, bottom_h = gh - top_h;
	/* with a recording, the graphs reach back into it (empty series: none) */
	pid_t pid = u->detail_pid;
	uint64_t st = u->detail_start;
	struct graph_series rss = recalled_series(u, pid, st, H_RSS);
	struct graph_series vsz = recalled_series(u, pid, st, H_VSZ);
	struct graph_series pss = recalled_series(u, pid, st, H_PSS);
	struct graph_series swap = recalled_series(u, pid, st, H_SWAP);
	ui_graph_joined(u, y + 2, 0, top_h, COLS, u->detail_hist, H_RSS, H_VSZ,
			"RSS (filled) vs VSZ (line)", 0, &rss, &vsz);
	ui_graph_joined(u, y + 2 + top_h, 0, bottom_h, COLS, u->detail_hist, H_PSS, H_SWAP,
			"PSS (filled) and swap (line)", 0, &pss, &swap);
	history_line(u, y + h - 1);
}

/*
 * The graphs' zoom; the keys that act on the selected process act on this one,
 * and not once it has exited.
 */
static bool
keys(struct tui *u, int ch)
{
	if (graph_zoom_key(u, ch))
		return true;
	if (ch != 'k' && ch != 'm')
		return false;
	if (u->detail_gone || !followed(u)) {
		ui_status(u, "PID %d has exited", (int)u->detail_pid);
		return true;
	}
	u->sel_pid = u->detail_pid;
	return false;
}

const struct screen screen_detail = {
	.name = "detail", .key = '\n', .key_label = "Ent", .title = "Detail",
	.needs_process = true, .enter = enter, .draw = draw, .keys = keys,
};
