/*
 * The memory cgroups (key C): the tree of the cgroups that hold processes,
 * with usage against the limit as a bar, swap, the PSS of their processes,
 * OOM kills and each cgroup's time to OOM with its victim. < > choose the
 * sort key (each entry's children are ordered by it, the tree stays), I
 * reverses, Enter shows the processes of the cgroup under the cursor (and
 * below it) in the process list; Esc there shows all again.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "model/cgroup.h"
#include "ui/screen.h"
#include "util/duration.h"
#include "util/fmt.h"
#include "util/xalloc.h"

enum { BAR_W = 12 };

static void
kib_cell(struct tui *u, int y, int x, const struct cgroup *c, enum cg_field f, int w)
{
	buf_clear(&u->line);
	if (!(c->known & CG_BIT(f)))
		buf_putc(&u->line, '-');
	else if (c->nolimit & CG_BIT(f))
		buf_puts(&u->line, "max");
	else
		fmt_kib(&u->line, c->val[f]);
	mvprintw(y, x, "%*s", w, u->line.data);
}

/* Use of the limit as a bar of BAR_W cells, in the warning colour past 90%. */
static void
bar(struct tui *u, int y, int x, const struct cgtable *ct, int i, bool sel)
{
	double pct;
	int fill = 0;

	if (cgroup_pct(ct, i, &pct))
		fill = pct >= 100 ? BAR_W : (int)(pct * BAR_W / 100 + 0.5);
	mvaddch(y, x, '[');
	attrset(sel ? ui_attr(u, C_SELECT) : ui_attr(u, pct >= 90 && fill ? C_WARN : C_USED));
	for (int k = 0; k < BAR_W; k++)
		mvaddch(y, x + 1 + k, k < fill ? '|' : ' ');
	attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
	mvaddch(y, x + 1 + BAR_W, ']');
	if (cgroup_pct(ct, i, &pct))
		mvprintw(y, x + BAR_W + 3, "%5.1f", pct);
	else
		mvprintw(y, x + BAR_W + 3, "%5s", "-");
}

static void
row(struct tui *u, int y, const struct cgtable *ct, int i, bool sel)
{
	const struct cgroup *c = &ct->v[i];
	int x = 0;

	if (sel)
		ui_fill_line(y, ui_attr(u, C_SELECT));
	attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
	kib_cell(u, y, x, c, CG_USAGE, 6);
	kib_cell(u, y, x + 7, c, CG_LIMIT, 6);
	bar(u, y, x + 14, ct, i, sel);
	kib_cell(u, y, x + 35, c, CG_SWAP, 6);
	buf_clear(&u->line);
	if (c->members_all > c->pss_missing)
		fmt_kib(&u->line, c->pss_kib);
	else
		buf_putc(&u->line, '-');
	mvprintw(y, x + 42, "%6s %5u", u->line.data, c->members_all);
	if (c->known & CG_BIT(CG_OOM_KILLS))
		mvprintw(y, x + 55, "%4llu", (unsigned long long)c->val[CG_OOM_KILLS]);
	else
		mvprintw(y, x + 55, "%4s", "-");
	buf_clear(&u->line);
	if (c->fc.known)
		fmt_duration(&u->line, c->fc.eta_s);
	else
		buf_putc(&u->line, '-');
	mvprintw(y, x + 60, "%6s", u->line.data);
	if (c->fc.known && c->fc.victim)
		mvprintw(y, x + 67, "%7d%c", (int)c->fc.victim, c->fc.victim_group ? '+' : ' ');
	else
		mvprintw(y, x + 67, "%7s ", "-");
	int px = x + 76 + 2 * (c->depth < 20 ? c->depth : 20);
	const char *name = c->depth ? strrchr(c->path, '/') + 1 : c->path;
	if (px < COLS)
		ui_text(u, y, px, COLS - px, name, strlen(name));
	attrset(A_NORMAL);
}

static void
draw(struct tui *u, int y, int h)
{
	const struct cgtable *ct = &u->col.t.cg;

	attrset(ui_attr(u, C_TITLE));
	mvprintw(y++, 0,
		 "Memory cgroups (%s), sort %s%s  (< > sort, I reverse, Enter: its processes)",
		 ct->version == CG_V1 ? "v1" : ct->version == CG_V2 ? "v2" : "none found",
		 cg_sort_keys[u->cg_sort], u->cg_reverse ? " reversed" : "");
	attrset(A_NORMAL);
	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	mvaddstr(y++, 0,
		 " USAGE  LIMIT  USE OF THE LIMIT %    SWAP    PSS PROCS OOMK OOM IN  VICTIM  CGROUP");
	attrset(A_NORMAL);
	h -= 2;
	u->cg_n = ct->n;
	if (!ct->n) {
		mvaddstr(y, 2, "(reading cgroups...)");
		return;
	}
	int *order = xmalloc(ct->n * sizeof *order);
	cgtable_order(ct, (enum cg_sort)u->cg_sort, u->cg_reverse, order);
	panel_keep_visible(&u->cg_cursor, &u->cg_top, ct->n, h);
	for (int r = 0; r < h && u->cg_top + (size_t)r < ct->n; r++) {
		size_t k = u->cg_top + (size_t)r;
		row(u, y + r, ct, order[k], k == u->cg_cursor);
	}
	free(order);
}

static void
enter(struct tui *u)
{
	u->cg_n = u->col.t.cg.n;
	if (u->cg_cursor >= u->cg_n)
		u->cg_cursor = u->cg_top = 0;
}

/* Enter: the process list, only the cgroup under the cursor and below. */
static void
show_members(struct tui *u)
{
	const struct cgtable *ct = &u->col.t.cg;

	if (u->cg_cursor >= ct->n)
		return;
	int *order = xmalloc(ct->n * sizeof *order);
	cgtable_order(ct, (enum cg_sort)u->cg_sort, u->cg_reverse, order);
	const char *path = ct->v[order[u->cg_cursor]].path;
	if (strcmp(path, "/") == 0)
		u->cg_filter[0] = '\0';
	else
		snprintf(u->cg_filter, sizeof u->cg_filter, "%s", path);
	free(order);
	u->screen = SCR_PROCS;
	u->cursor = u->top = 0;
	u->sel_pid = 0;
	if (u->cg_filter[0])
		ui_status(u, "cgroup: %.400s and below it; Esc shows all", u->cg_filter);
}

static bool
keys(struct tui *u, int ch)
{
	switch (ch) {
	case '<':
	case '>':
		u->cg_sort = (u->cg_sort + (ch == '>' ? 1 : CGS_NUM - 1)) % CGS_NUM;
		return true;
	case 'I':
		u->cg_reverse = !u->cg_reverse;
		return true;
	case '\n':
	case '\r':
	case KEY_ENTER:
		show_members(u);
		return true;
	}
	return false;
}

const struct screen screen_cgroups = {
	.name = "cgroups", .restorable = true, .key = 'C', .key_label = "C", .title = "Cgroups",
	.enter = enter, .draw = draw, .keys = keys,
};
