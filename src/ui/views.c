/*
 * The screens of the interactive view. Each draws from the model under the
 * collector's lock (taken by tui.c around a whole frame) and reads nothing else.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/hist.h"
#include "output/cell.h"
#include "ui/ui.h"
#include "util/fmt.h"
#include "util/xalloc.h"

const int maps_sorts[MAPS_SORTS] = { -1, MF_SIZE, MF_RSS, MF_PSS, MF_SWAP, MF_PRIVATE_DIRTY };
static const char *const maps_sort_names[MAPS_SORTS] = {
	"address", "size", "rss", "pss", "swap", "dirty",
};

static const char *
kib(struct buf *b, uint64_t v)
{
	buf_clear(b);
	fmt_kib(b, v);
	return b->data;
}

/* ---- header ------------------------------------------------------------ */

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
		snprintf(text, sizeof text, "%s/", kib(&a, total - s->val[M_AVAILABLE]));
		strncat(text, kib(&a, total), sizeof text - strlen(text) - 1);
		strncat(text, " avail ", sizeof text - strlen(text) - 1);
		strncat(text, kib(&a, s->val[M_AVAILABLE]), sizeof text - strlen(text) - 1);
		ui_bar(u, (*y)++, 0, COLS, "Mem", parts, pc, 3, total, text);
		uint64_t st = s->val[M_SWAP_TOTAL], su = s->val[M_SWAP_USED];
		static const enum ui_color sc[1] = { C_SWAP };
		snprintf(text, sizeof text, "%s/", kib(&a, su));
		strncat(text, kib(&a, st), sizeof text - strlen(text) - 1);
		ui_bar(u, (*y)++, 0, COLS, "Swp", &su, sc, 1, st ? st : 1, text);
	}
	move(*y, 0);
	if (s->psi.known)
		printw("PSI some %u.%02u%% full %u.%02u%% (avg10)", s->psi.some.avg10 / 100,
		       s->psi.some.avg10 % 100, s->psi.full.avg10 / 100, s->psi.full.avg10 % 100);
	printw("   Tasks %zu   Delay %.1fs%s", u->col.t.n, u->delay_s, u->paused ? "   [PAUSED]" : "");
	(*y)++;
	for (int i = 0; s->nnodes > 1 && i < s->nnodes && *y < LINES - 4; i++) {
		const struct node *n = &s->nodes[i];
		uint64_t used = n->val[N_TOTAL] > n->val[N_FREE] ? n->val[N_TOTAL] - n->val[N_FREE] : 0;
		static const enum ui_color nc[1] = { C_USED };
		char label[16];
		snprintf(label, sizeof label, "N%-2d", n->id);
		snprintf(text, sizeof text, "%s/", kib(&a, used));
		strncat(text, kib(&a, n->val[N_TOTAL]), sizeof text - strlen(text) - 1);
		ui_bar(u, (*y)++, 0, COLS, label, &used, nc, 1, n->val[N_TOTAL], text);
	}
	buf_fini(&a);
}

/* ---- process list ------------------------------------------------------ */

/*
 * The tree: rows in display order become parents each followed by their
 * children (in display order), depth first; a row whose parent is not shown is
 * a root. Children are found by binary search in the rows sorted by parent
 * (then display position), so building it is O(n log n): it runs before every
 * frame and after every key, with thousands of rows.
 */
struct tree_key {
	int64_t key; /* a pid or a ppid */
	size_t pos;  /* display position in the sorted rows */
};

struct tree_ctx {
	const struct proc **in;
	size_t n;
	const struct tree_key *by_ppid; /* n entries, by (ppid, pos) */
	bool *placed;                   /* in[pos] is in the output already */
	const struct proc **out;
	int *depth;
	size_t k;
};

static int
tree_key_cmp(const void *a, const void *b)
{
	const struct tree_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry of keys[0..n) whose key is key, or n. */
static size_t
tree_find(const struct tree_key *keys, size_t n, int64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && keys[lo].key == key ? lo : n;
}

static void
tree_place(struct tree_ctx *c, size_t pos, int depth)
{
	c->placed[pos] = true;
	c->out[c->k] = c->in[pos];
	c->depth[c->k++] = depth;
}

/* Appends the children of pid, in display order, each followed by its subtree. */
static void
tree_walk(struct tree_ctx *c, int64_t pid, int depth)
{
	for (size_t i = tree_find(c->by_ppid, c->n, pid); i < c->n && c->by_ppid[i].key == pid; i++) {
		size_t pos = c->by_ppid[i].pos;
		if (c->placed[pos])
			continue; /* itself (ppid == pid), or met already through a cycle */
		tree_place(c, pos, depth);
		tree_walk(c, c->in[pos]->val[F_PID], depth + 1);
	}
}

static void
make_tree(struct tui *u)
{
	size_t n = u->rows.n;
	struct tree_key *by_pid = xreallocarray(NULL, n ? n : 1, sizeof *by_pid);
	struct tree_key *by_ppid = xreallocarray(NULL, n ? n : 1, sizeof *by_ppid);
	bool *placed = xcalloc(n ? n : 1, sizeof *placed);
	const struct proc **out = xreallocarray(NULL, n ? n : 1, sizeof *out);
	struct tree_ctx c = { u->rows.v, n, by_ppid, placed, out, u->depth, 0 };

	for (size_t i = 0; i < n; i++) {
		by_pid[i] = (struct tree_key){ u->rows.v[i]->val[F_PID], i };
		by_ppid[i] = (struct tree_key){ u->rows.v[i]->val[F_PPID], i };
	}
	qsort(by_pid, n, sizeof *by_pid, tree_key_cmp);
	qsort(by_ppid, n, sizeof *by_ppid, tree_key_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = u->rows.v[i];
		int64_t ppid = p->val[F_PPID];
		if (ppid != p->val[F_PID] && tree_find(by_pid, n, ppid) < n)
			continue; /* not a root: its parent is shown */
		tree_place(&c, i, 0);
		tree_walk(&c, p->val[F_PID], 1);
	}
	memcpy(u->rows.v, out, c.k * sizeof *out);
	u->rows.n = c.k;
	free(out);
	free(placed);
	free(by_ppid);
	free(by_pid);
}

void
view_select(struct tui *u)
{
	struct selection sel = {
		.pids = u->pids, .npids = u->npids, .by_uid = u->by_uid, .uid = u->uid,
		.filter = u->filter, .sort = u->sort, .reverse = u->reverse,
	};
	bool ranking = u->screen == SCR_SWAP || u->screen == SCR_OOM || u->screen == SCR_NUMA;

	if (ranking) {
		sel.sort = u->screen == SCR_SWAP ? F_SWAP : u->screen == SCR_OOM ? F_OOM_SCORE : F_RSS;
		sel.reverse = false;
	}
	select_rows(&u->col.t, &sel, &u->rows);
	if (u->depth_cap < u->rows.n + 1) {
		u->depth_cap = u->rows.n + 1;
		u->depth = xreallocarray(u->depth, u->depth_cap, sizeof *u->depth);
	}
	memset(u->depth, 0, u->depth_cap * sizeof *u->depth);
	if (u->tree && !ranking)
		make_tree(u);
	/* Follow the selected process across re-sorts. */
	for (size_t i = 0; i < u->rows.n; i++)
		if (u->rows.v[i]->val[F_PID] == u->sel_pid) {
			u->cursor = i;
			return;
		}
	if (u->cursor >= u->rows.n)
		u->cursor = u->rows.n ? u->rows.n - 1 : 0;
	u->sel_pid = u->rows.n ? (pid_t)u->rows.v[u->cursor]->val[F_PID] : 0;
}

const struct proc *
view_selected(const struct tui *u)
{
	return table_find(&u->col.t, u->sel_pid);
}

static int
col_width(const struct tui *u, int c)
{
	return field_width(u->cols[c], c == u->ncols - 1);
}

static void
proc_header(struct tui *u, int y)
{
	int x = 0;

	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	for (int c = 0; c < u->ncols && x < COLS; c++) {
		const struct field_info *fi = &field_info[u->cols[c]];
		int w = col_width(u, c);
		char t[32];
		bool sorted = u->cols[c] == u->sort;
		snprintf(t, sizeof t, "%s%s", fi->title,
			 sorted ? ((u->reverse != fi->desc_sort) ? "v" : "^") : "");
		if (fi->kind != FK_TEXT && w)
			mvprintw(y, x, "%*s", w, t);
		else
			mvprintw(y, x, "%-*s", w, t);
		x += (w ? w : (int)strlen(t)) + 1;
	}
	attrset(A_NORMAL);
}

static void
proc_row(struct tui *u, int y, const struct proc *p, int depth, bool selected)
{
	int x = 0;
	uint64_t stale_ms = (uint64_t)(u->delay_s * 2000) + 1000;

	if (selected)
		ui_fill_line(y, ui_attr(u, C_SELECT));
	for (int c = 0; c < u->ncols && x < COLS; c++) {
		enum field f = u->cols[c];
		const struct field_info *fi = &field_info[f];
		int w = col_width(u, c);
		int room = w ? w : COLS - x;
		int attr = selected ? ui_attr(u, C_SELECT) : (int)A_NORMAL;
		if ((fi->need & NEED_ROLLUP) && proc_has(p, F_PSS_AGE) &&
		    (uint64_t)p->val[F_PSS_AGE] > stale_ms && !selected)
			attr = ui_attr(u, C_DIM); /* an old PSS value: shown dim */
		attrset(attr);
		if (fi->kind == FK_TEXT) {
			int indent = 0;
			if (u->tree && (f == F_COMM || f == F_CMDLINE) && depth > 0) {
				indent = depth * 2 < room - 4 ? depth * 2 : 0;
				mvprintw(y, x, "%*s%s", indent - 2, "", u->utf8 ? "└ " : "` ");
			}
			buf_clear(&u->line);
			size_t cols = cell_format(&u->line, p, f, CELL_HUMAN | (u->utf8 ? 0 : CELL_ASCII),
						  (size_t)(room - indent), NULL);
			(void)cols;
			if (u->line.len)
				mvaddnstr(y, x + indent, u->line.data, (int)u->line.len);
		} else {
			buf_clear(&u->line);
			cell_format(&u->line, p, f, CELL_HUMAN, SIZE_MAX, NULL);
			mvprintw(y, x, "%*s", w, u->line.data);
		}
		x += room + 1;
	}
	attrset(A_NORMAL);
}

static void
keep_visible(size_t *cursor, size_t *top, size_t n, int h)
{
	if (n == 0) {
		*cursor = *top = 0;
		return;
	}
	if (*cursor >= n)
		*cursor = n - 1;
	if (*cursor < *top)
		*top = *cursor;
	if (h > 0 && *cursor >= *top + (size_t)h)
		*top = *cursor - (size_t)h + 1;
}

void
view_procs(struct tui *u, int y, int h)
{
	proc_header(u, y++);
	h--;
	keep_visible(&u->cursor, &u->top, u->rows.n, h);
	for (int r = 0; r < h && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r;
		proc_row(u, y + r, u->rows.v[i], u->depth[i], i == u->cursor);
	}
	if (!u->rows.n)
		mvaddstr(y + 1, 2, u->filter[0] ? "no process matches the filter" : "(collecting...)");
}

/* ---- detail ------------------------------------------------------------- */

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

void
view_detail(struct tui *u, int y, int h)
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

/* ---- maps ----------------------------------------------------------------- */

void
view_maps_prepare(struct tui *u)
{
	const struct maplist *m = &u->col.maps;

	free(u->groups);
	u->groups = NULL;
	u->ngroups = 0;
	if (u->maps_grouped)
		u->ngroups = maplist_group(m, &u->groups);
	int field = maps_sorts[u->maps_sort_idx];
	if (u->maps_grouped && field < 0)
		field = MF_PSS;
	u->maps_order_n = maplist_order(m, u->groups, u->ngroups, u->maps_grouped, field,
					u->maps_reverse, &u->maps_order);
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

void
view_maps(struct tui *u, int y, int h)
{
	const struct proc *p = view_selected(u);
	const struct maplist *m = &u->col.maps;

	move(y, 0);
	attrset(ui_attr(u, C_TITLE));
	printw("Maps of PID %d ", (int)u->sel_pid);
	attrset(A_NORMAL);
	if (p)
		ui_text(u, y, getcurx(stdscr), 20, p->comm, strlen(p->comm));
	printw("  %s, sort %s%s  (g group, < > sort, I reverse)",
	       u->maps_grouped ? "grouped by class and path" : "all mappings",
	       maps_sort_names[u->maps_grouped && maps_sorts[u->maps_sort_idx] < 0 ? 3
										    : u->maps_sort_idx],
	       u->maps_reverse ? " reversed" : "");
	y++;
	h--;
	if (u->col.maps_for != u->sel_pid) {
		mvaddstr(y, 0, "(reading smaps...)");
		return;
	}
	if (u->col.maps_rc < 0) {
		int rc = u->col.maps_rc;
		mvprintw(y, 0, "cannot read the maps of this process: %s",
			 rc == -EACCES || rc == -EPERM
				 ? "permission denied (run as root or as its owner)"
			 : rc == -ESTALE ? "it exited while they were read (the list would be cut)"
					 : strerror(-rc));
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
	keep_visible(&u->maps_cursor, &u->maps_top, u->maps_order_n, h);
	for (int r = 0; r < h && u->maps_top + (size_t)r < u->maps_order_n; r++) {
		size_t i = u->maps_order[u->maps_top + (size_t)r];
		bool sel = u->maps_top + (size_t)r == u->maps_cursor;
		if (sel)
			ui_fill_line(y + r, ui_attr(u, C_SELECT));
		attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
		const struct mapping *mp;
		int px;
		if (u->maps_grouped) {
			const struct mapgroup *g = &u->groups[i];
			mp = &m->v[g->first];
			mvprintw(y + r, 0, "%-7s %5u", map_class_name(g->cls), g->count);
			maps_values(u, y + r, x0, g->val, g->unknown);
			px = x0 + NMAPS_COLS * 8;
		} else {
			mp = &m->v[i];
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
	 * what the rows add up to is named beside it when its PSS differs.
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

/* ---- swap ----------------------------------------------------------------- */

/* The rows of a ranking screen (u->rows, sorted by that screen's key) with its own columns. */
static void
ranked(struct tui *u, int y, int h, const enum field *cols, int ncols, bool mark_first)
{
	enum field saved[F_NUM];
	int saved_n = u->ncols;

	memcpy(saved, u->cols, sizeof saved);
	memcpy(u->cols, cols, (size_t)ncols * sizeof *cols);
	u->ncols = ncols;
	proc_header(u, y++);
	h--;
	keep_visible(&u->cursor, &u->top, u->rows.n, h);
	for (int r = 0; r < h && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r;
		proc_row(u, y + r, u->rows.v[i], 0, i == u->cursor);
		if (mark_first && i == 0 && COLS > 60) {
			attrset(ui_attr(u, C_WARN) | A_BOLD);
			mvaddstr(y + r, COLS - 15, " <- next victim");
			attrset(A_NORMAL);
		}
	}
	memcpy(u->cols, saved, sizeof saved);
	u->ncols = saved_n;
}

void
view_swap(struct tui *u, int y, int h)
{
	const struct sysmem *s = &u->col.t.sys;
	static const enum field cols[] = { F_PID, F_USER, F_SWAP, F_SWAP_PSS, F_RSS, F_COMM };
	struct buf a = BUF_INIT, b = BUF_INIT;

	attrset(ui_attr(u, C_TITLE));
	mvprintw(y++, 0, "Swap devices: %d", s->nswaps);
	attrset(A_NORMAL);
	for (int i = 0; i < s->nswaps && h > 12; i++, h--) {
		const struct swapdev *d = &s->swaps[i];
		mvprintw(y, 0, "  %-9s %8s used of %8s  prio %5d  ", d->type, kib(&a, d->used_kib),
			 kib(&b, d->size_kib), d->priority);
		ui_text(u, y++, getcurx(stdscr), COLS - getcurx(stdscr), d->path, strlen(d->path));
	}
	if (!s->nswaps) {
		mvaddstr(y++, 2, "no swap is active (swapon --show)");
		h--;
	}
	int gh = (h - 1) / 2 > 4 ? (h - 1) / 2 : 4;
	ui_graph(u, y, 0, gh, COLS, u->col.t.sys_hist, HS_SWAP_USED, -1, "System swap used");
	y += gh;
	h -= gh + 1;
	ranked(u, y, h, cols, 6, false);
	buf_fini(&a);
	buf_fini(&b);
}

/* ---- OOM ------------------------------------------------------------------ */

void
view_oom(struct tui *u, int y, int h)
{
	static const enum field cols[] = {
		F_PID, F_USER, F_OOM_SCORE, F_OOM_ADJ, F_RSS, F_SWAP, F_COMM,
	};

	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y++, 0, "OOM killer ranking: the highest oom_score is killed first.");
	attrset(A_NORMAL);
	mvaddnstr(y++, 0, "score = (1000 + adj + 1000 x (RSS + swap + page tables) / RAM) x 2/3", COLS);
	mvaddnstr(y++, 0, "adj -1000 exempts a process; 'a' sets the selected one's oom_score_adj", COLS);
	ranked(u, y, h - 3, cols, 7, true);
}

/* ---- NUMA ----------------------------------------------------------------- */

void
view_numa(struct tui *u, int y, int h)
{
	const struct sysmem *s = &u->col.t.sys;
	struct buf a = BUF_INIT;

	attrset(ui_attr(u, C_TITLE));
	mvprintw(y++, 0, "NUMA nodes: %d%s", s->nnodes, s->numa ? "" : " (no NUMA support)");
	attrset(A_NORMAL);
	for (int i = 0; i < s->nnodes && h > 6; i++, h--) {
		const struct node *n = &s->nodes[i];
		uint64_t used = n->val[N_TOTAL] > n->val[N_FREE] ? n->val[N_TOTAL] - n->val[N_FREE] : 0;
		mvprintw(y, 0, "  node %-3d size %8s", n->id, kib(&a, n->val[N_TOTAL]));
		printw("  free %8s", kib(&a, n->val[N_FREE]));
		printw("  used %8s  distances", kib(&a, used));
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
		while (i < u->col.numa_n && u->col.numa_pid[i] != p->val[F_PID])
			i++;
		bool have = i < u->col.numa_n && u->col.numa_ok[i];
		mvprintw(y, 0, "%7lld", (long long)p->val[F_PID]);
		for (int k = 0; k < s->nnodes && 8 + (k + 2) * 9 < COLS; k++) {
			uint64_t v = have ? u->col.numa_kib[i][s->nodes[k].id] : 0;
			total += v;
			printw(" %8s", have ? kib(&a, v) : "-");
		}
		printw(" %8s ", have ? kib(&a, total) : "-");
		ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr), p->comm, strlen(p->comm));
		y++;
	}
	if (!u->col.numa_n)
		mvaddstr(y, 2, "(reading numa_maps...)");
	buf_fini(&a);
}

/* ---- system --------------------------------------------------------------- */

void
view_system(struct tui *u, int y, int h)
{
	const struct hist *sh = u->col.t.sys_hist;
	int g = h / 3;

	ui_graph(u, y, 0, g, COLS, sh, HS_USED, HS_COMMITTED,
		 "System: used (filled) vs committed (line) - resident vs virtual");
	ui_graph(u, y + g, 0, g, COLS, sh, HS_AVAILABLE, -1, "Available");
	ui_graph(u, y + 2 * g, 0, h - 2 * g, COLS, sh, HS_SWAP_USED, -1, "Swap used");
}

/* ---- help and menus -------------------------------------------------------- */

static const char *const help_lines[] = {
	"smaptop - where and how processes use memory",
	"",
	"  h F1 ?       this help                 q F10      quit",
	"  Esc          back to the process list  space      pause / resume",
	"  Up Down PgUp PgDn Home End             move the selection",
	"  F6           choose the sort column    < >        sort by the previous / next column",
	"  I            reverse the order         / F4       filter by name or command line",
	"  t            tree view                 c          choose columns",
	"  + -          refresh delay             k          send a signal (with confirmation)",
	"  Enter        detail: RSS vs VSZ graph  m          maps of the selected process",
	"  g            (maps) group by class     w          swap view",
	"  o            OOM view                  a          (OOM view) set oom_score_adj",
	"  N            NUMA view                 S          system graphs",
	"",
	"Values shown as '-' are unavailable (for PSS, USS and SwapPss of other users'",
	"processes: run as root or give smaptop cap_sys_ptrace or cap_perfmon). Dim PSS",
	"values are older than two refreshes: smaps_rollup is re-read only when a",
	"process's memory changes or its PSS ages past --pss-max-age.",
};

void
view_help(struct tui *u, int y, int h)
{
	(void)u;
	for (size_t i = 0; i < sizeof help_lines / sizeof *help_lines && (int)i < h; i++)
		mvaddnstr(y + (int)i, 0, help_lines[i], COLS);
}

static bool
col_shown(const struct tui *u, int f)
{
	for (int c = 0; c < u->ncols; c++)
		if ((int)u->cols[c] == f)
			return true;
	return false;
}

void
view_menu(struct tui *u, int y, int h)
{
	bool columns = u->screen == SCR_COLUMNS;

	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y++, 0, columns ? "Columns: space toggles, Esc returns"
				 : "Sort by: Enter chooses, Esc returns");
	attrset(A_NORMAL);
	h--;
	size_t top = u->menu_cursor >= (size_t)h ? u->menu_cursor - (size_t)h + 1 : 0;
	for (int r = 0; r < h && top + (size_t)r < F_NUM; r++) {
		int f = (int)(top + (size_t)r);
		bool sel = (size_t)f == u->menu_cursor;
		if (sel)
			ui_fill_line(y + r, ui_attr(u, C_SELECT));
		attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
		mvprintw(y + r, 0, " %s %-10s %s",
			 columns ? (col_shown(u, f) ? "[x]" : "[ ]") : (f == (int)u->sort ? "(*)" : "( )"),
			 field_info[f].key, field_info[f].desc);
		attrset(A_NORMAL);
	}
}

/* ---- footer ----------------------------------------------------------------- */

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
		printw("PSS/USS '-' for %u processes: other users' smaps need root or "
		       "cap_sys_ptrace/cap_perfmon", u->col.t.denied);
		return;
	}
	static const char *const keys[][2] = {
		{ "F1", "Help" }, { "/", "Filter" }, { "F6", "Sort" }, { "Ent", "Detail" },
		{ "m", "Maps" },  { "w", "Swap" },   { "o", "OOM" },   { "N", "NUMA" },
		{ "S", "System" }, { "q", "Quit" },
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys && getcurx(stdscr) < COLS - 10; i++) {
		attrset(ui_attr(u, C_HEADER));
		addstr(keys[i][0]);
		attrset(A_NORMAL);
		printw("%s ", keys[i][1]);
	}
	if (u->filter[0]) {
		printw(" filter: ");
		ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr) - 1, u->filter, strlen(u->filter));
	}
}
