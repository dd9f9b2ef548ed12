/*
 * The mappings of the selected process (smaps, read by the collector for that
 * pid only): every mapping, or grouped by class and path, in a chosen order.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/screen.h"
#include "util/fmt.h"

const int maps_sorts[MAPS_SORTS] = { -1, MF_SIZE, MF_RSS, MF_PSS, MF_SWAP, MF_PRIVATE_DIRTY };
static const char *const maps_sort_names[MAPS_SORTS] = {
	"address", "size", "rss", "pss", "swap", "dirty",
};

/*
 * The groups and the order for the current list, redone only as far as they
 * changed: at 250,000 mappings a key press must not regroup what it did not
 * touch, and a flip of direction only reverses the order.
 */
void
view_maps_prepare(struct tui *u)
{
	const struct maplist *m = &u->col.maps;
	unsigned gen = u->col.maps_gen + 1;  /* 0 stays "never" */
	int field = maps_sorts[u->maps_sort_idx];
	int sig = u->maps_grouped << 8 | u->maps_sort_idx << 1 | u->maps_reverse;
	struct maporder *o = &u->maps_order;

	if (u->maps_order_gen == gen && (u->maps_order_sig ^ sig) == 1) {
		for (size_t i = 0; i < o->n / 2; i++) {
			size_t t = o->idx[i];

			o->idx[i] = o->idx[o->n - 1 - i];
			o->idx[o->n - 1 - i] = t;
		}
		u->maps_order_sig = sig;
		return;
	}
	if (u->maps_grouped && u->groups_gen != gen) {
		free(u->groups);
		u->groups = NULL;
		u->ngroups = maplist_group(m, &u->groups);
		u->groups_gen = gen;
	}
	if (u->maps_grouped && field < 0)
		field = MF_PSS;
	maplist_order(m, u->groups, u->ngroups, u->maps_grouped, field, u->maps_reverse, o);
	u->maps_order_gen = gen;
	u->maps_order_sig = sig;
}

static const enum map_field maps_cols[] = {
	MF_SIZE, MF_RSS, MF_PSS, MF_PRIVATE_DIRTY, MF_SWAP,
};
static const char *const maps_titles[] = { "SIZE", "RSS", "PSS", "DIRTY", "SWAP" };
#define NMAPS_COLS 5

/* One row's values; "-" for those in unknown (MF_BIT) and sums that include one. */
static void
maps_values(struct tui *u, int y, int x, const uint64_t *val, uint16_t unknown)
{
	for (int c = 0; c < NMAPS_COLS; c++) {
		uint64_t v = val[maps_cols[c]];
		uint16_t need = MF_BIT(maps_cols[c]);
		if (maps_cols[c] == MF_PRIVATE_DIRTY) {
			v += val[MF_SHARED_DIRTY];
			need |= MF_BIT(MF_SHARED_DIRTY);
		}
		buf_clear(&u->line);
		if (unknown & need)
			buf_putc(&u->line, '-');
		else
			fmt_kib(&u->line, v);
		mvprintw(y, x + c * 8, "%7s ", u->line.data);
	}
}

static void
draw(struct tui *u, int y, int h)
{
	const struct proc *p = view_selected(u);
	const struct maplist *m = &u->col.maps;

	move(y, 0);
	attrset(ui_attr(u, C_TITLE));
	printw("Maps of PID %d ", (int)u->sel_pid);
	attrset(A_NORMAL);
	if (p)
		ui_text(u, y, getcurx(stdscr), 20, proc_comm(p), strlen(proc_comm(p)));
	printw("  %s, sort %s%s  (g group, < > sort, I reverse)",
	       u->maps_grouped ? "grouped by class and path" : "all mappings",
	       maps_sort_names[u->maps_grouped && maps_sorts[u->maps_sort_idx] < 0 ? 3
										    : u->maps_sort_idx],
	       u->maps_reverse ? " reversed" : "");
	y++;
	h--;
	if (u->replay) {
		mvaddstr(y, 0, "Per-mapping breakdowns are not recorded: not available in a replay.");
		return;
	}
	if (u->col.maps_for != u->sel_pid) {
		mvaddstr(y, 0, "(reading smaps...)");
		return;
	}
	if (u->col.maps_rc < 0) {
		int rc = u->col.maps_rc;
		bool denied = rc == -EACCES || rc == -EPERM;
		/* advice only where it can help: root was refused by the kernel itself */
		mvprintw(y, 0, "cannot read the maps of this process: %s",
			 rc == -ESTALE ? "it exited while they were read (the list would be cut)"
			 : !denied ? strerror(-rc)
			 : geteuid() == 0 ? "permission denied, even to root"
					  : "permission denied (only root, or its owner if the "
					    "process is dumpable, may read them)");
		return;
	}
	int x0 = u->maps_grouped ? 14 : 23;
	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	mvaddstr(y, 0, u->maps_grouped ? "CLASS   COUNT" : "ADDRESS          PERM");
	for (int c = 0; c < NMAPS_COLS; c++)
		mvprintw(y, x0 + c * 8, "%7s ", maps_titles[c]);
	mvaddstr(y, x0 + NMAPS_COLS * 8, u->maps_grouped ? "PATH" : "CLASS   MAPPING");
	attrset(A_NORMAL);
	y++;
	h -= 2; /* header and totals */
	panel_keep_visible(&u->maps_cursor, &u->maps_top, u->maps_order.n, h);
	for (int r = 0; r < h && u->maps_top + (size_t)r < u->maps_order.n; r++) {
		size_t i = u->maps_order.idx[u->maps_top + (size_t)r];
		bool sel = u->maps_top + (size_t)r == u->maps_cursor;
		if (sel)
			ui_fill_line(y + r, ui_attr(u, C_SELECT));
		attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
		struct mapping row, *mp = &row;
		int px;
		if (u->maps_grouped) {
			const struct mapgroup *g = &u->groups[i];
			maplist_get(m, g->first, mp);
			mvprintw(y + r, 0, "%-7s %5u", map_class_name(g->cls), g->count);
			maps_values(u, y + r, x0, g->val, g->unknown);
			px = x0 + NMAPS_COLS * 8;
		} else {
			maplist_get(m, i, mp);
			mvprintw(y + r, 0, "%16llx %-4s", (unsigned long long)mp->start, mp->perms);
			maps_values(u, y + r, x0, mp->val, mp->unknown);
			mvprintw(y + r, x0 + NMAPS_COLS * 8, "%-7s ", map_class_name(mp->cls));
			px = x0 + NMAPS_COLS * 8 + 8;
		}
		if (mp->path_len)
			ui_text(u, y + r, px, COLS - px, mapping_path(m, mp), mp->path_len);
		else
			mvaddstr(y + r, px, "[anon]");
		attrset(A_NORMAL);
	}
	/*
	 * The total is the kernel's (smaps_rollup), as the process list shows it;
	 * what the rows' PSS adds up to is named beside it when it differs.
	 */
	int ty = y + h;
	uint64_t tot[MF_NUM];
	uint16_t unknown;
	maplist_totals(m, tot, &unknown);
	attrset(ui_attr(u, C_TITLE));
	mvprintw(ty, 0, u->maps_grouped ? "total %7zu" : "total %zu maps", m->n);
	maps_values(u, ty, x0, tot, unknown);
	attrset(A_NORMAL);
	if (m->rollup_known & MF_BIT(MF_PSS)) {
		printw(" smaps_rollup");
		if (!(m->total_partial & MF_BIT(MF_PSS)) && m->total[MF_PSS] != m->rollup[MF_PSS])
			printw(" (PSS %llu KiB; the rows, rounded each, add up to %llu)",
			       (unsigned long long)m->rollup[MF_PSS],
			       (unsigned long long)m->total[MF_PSS]);
	}
}

static void
enter(struct tui *u)
{
	u->maps_cursor = u->maps_top = 0;
}

static bool
keys(struct tui *u, int ch)
{
	switch (ch) {
	case 'g':
		u->maps_grouped = !u->maps_grouped;
		u->maps_cursor = u->maps_top = 0;
		return true;
	case '<':
	case '>':
		u->maps_sort_idx = (u->maps_sort_idx + (ch == '>' ? 1 : MAPS_SORTS - 1)) % MAPS_SORTS;
		return true;
	case 'I':
		u->maps_reverse = !u->maps_reverse;
		return true;
	}
	return false;
}

const struct screen screen_maps = {
	.name = "maps", .key = 'm', .key_label = "m", .title = "Maps", .needs_process = true,
	.enter = enter, .draw = draw, .keys = keys,
};
