/* NUMA: the nodes, their distances, and the biggest processes split by node. */
#include <curses.h>
#include <string.h>

#include "ui/screen.h"

static void
draw(struct tui *u, int y, int h)
{
	const struct sysmem *s = &u->col.t.sys;
	struct buf a = BUF_INIT;

	attrset(ui_attr(u, C_TITLE));
	mvprintw(y++, 0, "NUMA nodes: %d%s", s->nnodes, s->numa ? "" : " (no NUMA support)");
	attrset(A_NORMAL);
	for (int i = 0; i < s->nnodes && h > 6; i++, h--) {
		const struct node *n = &s->nodes[i];
		uint64_t used = n->val[N_TOTAL] > n->val[N_FREE] ? n->val[N_TOTAL] - n->val[N_FREE] : 0;
		mvprintw(y, 0, "  node %-3d size %8s", n->id, ui_kib(&a, n->val[N_TOTAL]));
		printw("  free %8s", ui_kib(&a, n->val[N_FREE]));
		printw("  used %8s  distances", ui_kib(&a, used));
		for (int j = 0; j < s->nnodes; j++)
			printw(" %3u", n->distance[s->nodes[j].id]);
		y++;
	}
	y++;
	h--;
	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	mvaddstr(y, 0, "    PID");
	for (int k = 0; k < s->nnodes && 8 + (k + 2) * 9 < COLS; k++)
		printw(" %7s%d", "N", s->nodes[k].id);
	printw(" %8s COMMAND", "TOTAL");
	attrset(A_NORMAL);
	y++;
	for (size_t r = 0; r < u->rows.n && r < NUMA_ROWS_MAX && (int)r < h - 2; r++) {
		const struct proc *p = u->rows.v[r];
		size_t i = 0;
		uint64_t total = 0;
		while (i < u->col.numa_n && u->col.numa_pid[i] != proc_val(p, F_PID))
			i++;
		bool have = i < u->col.numa_n && u->col.numa_ok[i];
		mvprintw(y, 0, "%7lld", (long long)proc_val(p, F_PID));
		for (int k = 0; k < s->nnodes && 8 + (k + 2) * 9 < COLS; k++) {
			uint64_t v = have ? u->col.numa_kib[i][s->nodes[k].id] : 0;
			total += v;
			printw(" %8s", have ? ui_kib(&a, v) : "-");
		}
		printw(" %8s ", have ? ui_kib(&a, total) : "-");
		const char *comm = proc_comm(p);
		ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr), comm, strlen(comm));
		y++;
	}
	if (u->replay)
		mvaddstr(y, 2, "Per-process NUMA placement is not recorded: not available in a replay.");
	else if (!u->col.numa_n)
		mvaddstr(y, 2, "(reading numa_maps...)");
	buf_fini(&a);
}

const struct screen screen_numa = {
	.name = "numa", .restorable = true, .key = 'N', .key_label = "N", .title = "NUMA",
	.ranked = true, .rank_by = F_RSS, .draw = draw,
};
