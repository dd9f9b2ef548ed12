/*
 * What every screen has around it: the header (memory and swap bars, pressure,
 * task count, one bar per NUMA node) and the footer (a prompt, the status
 * message, or the key hints, taken from the screen registry).
 */
#include <curses.h>
#include <string.h>
#include <unistd.h>

#include "output/forecast_out.h"
#include "ui/screen.h"
#include "ui/ui.h"
#include "util/escape.h"

/*
 * Inside a container (smaptop's cgroup or an ancestor limited below MemTotal)
 * the Mem meter is that cgroup's: its use against its limit, and says so.
 */
static bool
container_meter(struct tui *u, int y)
{
	int i = table_container(&u->col.t);
	struct buf a = BUF_INIT;
	char text[96];

	if (i < 0)
		return false;
	const struct cgroup *c = &u->col.t.cg.v[i];
	uint64_t use = c->known & CG_BIT(CG_USAGE) ? c->val[CG_USAGE] : 0;
	static const enum ui_color cc[1] = { C_USED };
	snprintf(text, sizeof text, "%s/", (c->known & CG_BIT(CG_USAGE)) ? ui_kib(&a, use) : "-");
	strncat(text, ui_kib(&a, c->val[CG_LIMIT]), sizeof text - strlen(text) - 1);
	strncat(text, " cgroup limit", sizeof text - strlen(text) - 1);
	ui_bar(u, y, 0, COLS, "Mem", &use, cc, 1, c->val[CG_LIMIT], text);
	buf_fini(&a);
	return true;
}

/* The nearest time-to-OOM forecast of the machine and every cgroup, or nothing. */
static void
nearest_forecast(struct tui *u)
{
	const struct table *t = &u->col.t;
	const struct oom_forecast *best = t->mach_fc.known ? &t->mach_fc : NULL;
	const char *who = "machine";
	unsigned group_n = 0;

	for (size_t i = 0; i < t->cg.n; i++) {
		const struct oom_forecast *f = &t->cg.v[i].fc;
		if (f->known && (!best || f->eta_s < best->eta_s)) {
			best = f;
			who = t->cg.v[i].path;
			group_n = t->cg.v[i].members_all;
		}
	}
	if (!best)
		return;
	buf_clear(&u->line);
	buf_puts(&u->line, "   OOM: ");
	out_forecast_line(&u->line, t, best, group_n, u->utf8 ? 0 : ESC_ASCII);
	buf_puts(&u->line, " (");
	attrset(ui_attr(u, C_WARN));
	addstr(u->line.data);
	ui_text(u, getcury(stdscr), getcurx(stdscr), COLS - getcurx(stdscr) - 1, who, strlen(who));
	addstr(")");
	attrset(A_NORMAL);
}

void
view_header(struct tui *u, int *y)
{
	const struct sysmem *s = &u->col.t.sys;
	struct buf a = BUF_INIT;
	char text[96];

	if (s->known & (1u << M_TOTAL)) {
		uint64_t total = s->val[M_TOTAL], cache = s->val[M_CACHED] + s->val[M_SLAB_RECLAIM];
		uint64_t buffers = s->val[M_BUFFERS];
		uint64_t used = total > s->val[M_FREE] + buffers + cache
					? total - s->val[M_FREE] - buffers - cache : 0;
		uint64_t parts[3] = { used, buffers, cache };
		static const enum ui_color pc[3] = { C_USED, C_BUFFERS, C_CACHE };
		snprintf(text, sizeof text, "%s/", ui_kib(&a, total - s->val[M_AVAILABLE]));
		strncat(text, ui_kib(&a, total), sizeof text - strlen(text) - 1);
		strncat(text, " avail ", sizeof text - strlen(text) - 1);
		strncat(text, ui_kib(&a, s->val[M_AVAILABLE]), sizeof text - strlen(text) - 1);
		if (!container_meter(u, *y))
			ui_bar(u, *y, 0, COLS, "Mem", parts, pc, 3, total, text);
		(*y)++;
		uint64_t st = s->val[M_SWAP_TOTAL], su = s->val[M_SWAP_USED];
		static const enum ui_color sc[1] = { C_SWAP };
		snprintf(text, sizeof text, "%s/", ui_kib(&a, su));
		strncat(text, ui_kib(&a, st), sizeof text - strlen(text) - 1);
		ui_bar(u, (*y)++, 0, COLS, "Swp", &su, sc, 1, st ? st : 1, text);
	}
	move(*y, 0);
	if (s->psi.known)
		printw("PSI some %u.%02u%% full %u.%02u%% (avg10)", s->psi.some.avg10 / 100,
		       s->psi.some.avg10 % 100, s->psi.full.avg10 / 100, s->psi.full.avg10 % 100);
	if (u->replay)
		replay_header(u);
	else
		printw("   Tasks %zu   Delay %.1fs%s", u->col.t.n, u->delay_s,
		       u->paused ? "   [PAUSED]" : "");
	nearest_forecast(u);
	(*y)++;
	for (int i = 0; s->nnodes > 1 && i < s->nnodes && *y < LINES - 4; i++) {
		const struct node *n = &s->nodes[i];
		uint64_t used = n->val[N_TOTAL] > n->val[N_FREE] ? n->val[N_TOTAL] - n->val[N_FREE] : 0;
		static const enum ui_color nc[1] = { C_USED };
		char label[16];
		snprintf(label, sizeof label, "N%-2d", n->id);
		snprintf(text, sizeof text, "%s/", ui_kib(&a, used));
		strncat(text, ui_kib(&a, n->val[N_TOTAL]), sizeof text - strlen(text) - 1);
		ui_bar(u, (*y)++, 0, COLS, label, &used, nc, 1, n->val[N_TOTAL], text);
	}
	buf_fini(&a);
}

static void
hint(struct tui *u, const char *key, const char *title)
{
	attrset(ui_attr(u, C_HEADER));
	addstr(key);
	attrset(A_NORMAL);
	printw("%s ", title);
}

/* The key hints: the common keys, then each screen that has one, in registry order. */
static void
hints(struct tui *u)
{
	static const char *const first[][2] = { { "F1", "Help" }, { "/", "Filter" }, { "F6", "Sort" } };

	for (size_t i = 0; i < sizeof first / sizeof *first && getcurx(stdscr) < COLS - 10; i++)
		hint(u, first[i][0], first[i][1]);
	for (int s = 0; s < SCR_NUM && getcurx(stdscr) < COLS - 10; s++)
		if (screens[s]->key_label)
			hint(u, screens[s]->key_label, screens[s]->title);
	if (getcurx(stdscr) < COLS - 10)
		hint(u, "q", "Quit");
}

void
view_footer(struct tui *u)
{
	int y = LINES - 1;

	ui_fill_line(y, A_NORMAL);
	move(y, 0);
	switch (u->prompt) {
	case PR_FILTER:
		printw("Filter: %s", "");
		ui_text(u, y, 8, COLS - 9, u->filter, strlen(u->filter));
		return;
	case PR_SIGNAL:
		printw("Signal to send to PID %d (number or TERM, KILL, HUP, INT, STOP, CONT): %s",
		       (int)u->target, u->input);
		return;
	case PR_OOM_ADJ:
		printw("New oom_score_adj for PID %d (-1000..1000): %s", (int)u->target, u->input);
		return;
	case PR_GOTO:
		printw("Go to time (2026-12-06T14:00, 14:00, -2h): %s", u->input);
		return;
	case PR_CONFIRM:
		attrset(ui_attr(u, C_WARN));
		ui_text(u, y, 0, COLS - 1, u->status, strlen(u->status));
		attrset(A_NORMAL);
		return;
	case PR_NONE:
		break;
	}
	if (u->status[0]) {
		attrset(ui_attr(u, C_WARN));
		ui_text(u, y, 0, COLS - 1, u->status, strlen(u->status));
		attrset(A_NORMAL);
		return;
	}
	if (u->col.t.denied && geteuid() != 0) {
		unsigned n = u->col.t.denied;
		printw("PSS/USS '-' for %u process%s: other users' smaps need root or "
		       "cap_sys_ptrace/cap_perfmon", n, n == 1 ? "" : "es");
		return;
	}
	hints(u);
	if (u->filter[0]) {
		printw(" filter: ");
		ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr) - 1, u->filter, strlen(u->filter));
	}
	if (u->cg_filter[0] && getcurx(stdscr) < COLS - 10) {
		printw(" cgroup: ");
		ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr) - 1, u->cg_filter,
			strlen(u->cg_filter));
	}
}
