/*
 * The rows the process screens show: filtered and sorted by the model
 * (select_rows), ranked by the screen's own key on the ranking screens, and
 * arranged as a tree when the tree is on. Asked for before every frame and
 * after every key, under the collector's lock; redone only when its inputs changed.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/screen.h"
#include "ui/ui.h"
#include "util/xalloc.h"

/*
 * The tree: rows in display order become parents each followed by their
 * children (in display order), depth first; a row whose parent is not shown is
 * a root (rows of a parent cycle are then never reached, and left out). Each
 * row's parent is found through the table (by pid) and its display position,
 * and the children are grouped by parent in one counting pass, so building it
 * is O(n log n) in cheap steps: it runs after every refresh and every key that
 * changes the rows, with thousands of rows.
 */
#define NONE SIZE_MAX

struct tree_ctx {
	const struct proc **in;
	const size_t *first;  /* children of in[pos]: kids[first[pos] .. first[pos + 1]) */
	const size_t *kids;   /* display positions, in display order */
	const struct proc **out;
	int *depth;
	bool *last;           /* out[k] is the last child of its parent */
	size_t k;
};

static void
tree_place(struct tree_ctx *c, size_t pos, int depth)
{
	c->out[c->k] = c->in[pos];
	c->last[c->k] = false;
	c->depth[c->k++] = depth;
}

/* Appends the children of in[pos], in display order, each followed by its subtree. */
static void
tree_walk(struct tree_ctx *c, size_t pos, int depth)
{
	size_t i = c->first[pos], end = c->first[pos + 1];

	for (; i < end; i++) {
		tree_place(c, c->kids[i], depth);
		if (i + 1 == end)
			c->last[c->k - 1] = true;
		tree_walk(c, c->kids[i], depth + 1);
	}
}

static void
make_tree(struct tui *u)
{
	const struct table *t = &u->col.t;
	size_t n = u->rows.n;
	size_t *shown = xreallocarray(NULL, t->n ? t->n : 1, sizeof *shown);
	size_t *parent = xreallocarray(NULL, n ? n : 1, sizeof *parent);
	size_t *first = xcalloc(n + 2, sizeof *first);
	size_t *kids = xreallocarray(NULL, n ? n : 1, sizeof *kids);
	const struct proc **out = xreallocarray(NULL, n ? n : 1, sizeof *out);
	struct tree_ctx c = { u->rows.v, first, kids, out, u->depth, u->last, 0 };

	for (size_t i = 0; i < t->n; i++)
		shown[i] = NONE;
	for (size_t i = 0; i < n; i++)
		shown[u->rows.v[i] - t->procs] = i;
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = u->rows.v[i], *q;
		parent[i] = NONE;
		if (proc_val(p, F_PPID) != proc_val(p, F_PID) && (q = table_find(t, (pid_t)proc_val(p, F_PPID))))
			parent[i] = shown[q - t->procs];
		if (parent[i] != NONE)
			first[parent[i] + 2]++;
	}
	/* counts to starts, then each child placed at its parent's next slot */
	for (size_t i = 2; i < n + 2; i++)
		first[i] += first[i - 1];
	for (size_t i = 0; i < n; i++)
		if (parent[i] != NONE)
			kids[first[parent[i] + 1]++] = i;
	for (size_t i = 0; i < n; i++) {
		if (parent[i] != NONE)
			continue; /* not a root: its parent is shown */
		tree_place(&c, i, 0);
		tree_walk(&c, i, 1);
	}
	if (c.k) /* with no rows, rows.v may be NULL: memcpy(NULL, ..., 0) is undefined */
		memcpy(u->rows.v, out, c.k * sizeof *out);
	u->rows.n = c.k;
	free(out);
	free(kids);
	free(first);
	free(parent);
	free(shown);
}

/* The selection as the screen shows it: its ranking filter, then the tree. */
static void
arrange(struct tui *u, const struct screen *s)
{
	select_result(&u->selc, &u->rows);
	if (s->keep) {
		size_t k = 0;
		for (size_t i = 0; i < u->rows.n; i++)
			if (s->keep(u->rows.v[i]))
				u->rows.v[k++] = u->rows.v[i];
		u->rows.n = k;
	}
	if (u->depth_cap < u->rows.n + 1) {
		u->depth_cap = u->rows.n + 1;
		u->depth = xreallocarray(u->depth, u->depth_cap, sizeof *u->depth);
		u->last = xreallocarray(u->last, u->depth_cap, sizeof *u->last);
	}
	memset(u->depth, 0, u->depth_cap * sizeof *u->depth);
	memset(u->last, 0, u->depth_cap * sizeof *u->last);
	if (u->tree && !s->ranked)
		make_tree(u);
}

/*
 * Redoes only what changed: nothing for a key that moves the cursor, the
 * model's incremental select_update() for a filter, a sort or a refresh, and
 * the screen's ranking filter and the tree whenever the rows changed.
 */
void
view_select(struct tui *u)
{
	struct selection sel = {
		.pids = u->pids, .npids = u->npids, .by_uid = u->by_uid, .uid = u->uid,
		.filter = u->filter, .sort = u->sort, .reverse = u->reverse, .cgroup = u->cg_filter,
	};
	const struct screen *s = screens[u->screen];
	bool same_table = u->selc.valid && u->rows_gen == u->col.gen;

	if (s->ranked) {
		sel.sort = s->rank_by;
		sel.reverse = false;
	}
	u->rows_gen = u->col.gen;
	if (select_update(&u->col.t, same_table, &sel, &u->selc) || u->rows_screen != s ||
	    u->rows_tree != u->tree) {
		u->rows_screen = s;
		u->rows_tree = u->tree;
		arrange(u, s);
	}
	/* Follow the selected process across re-sorts. */
	if (u->cursor < u->rows.n && proc_val(u->rows.v[u->cursor], F_PID) == u->sel_pid)
		return;
	for (size_t i = 0; i < u->rows.n; i++)
		if (proc_val(u->rows.v[i], F_PID) == u->sel_pid) {
			u->cursor = i;
			return;
		}
	if (u->cursor >= u->rows.n)
		u->cursor = u->rows.n ? u->rows.n - 1 : 0;
	u->sel_pid = u->rows.n ? (pid_t)proc_val(u->rows.v[u->cursor], F_PID) : 0;
}

void
tree_step(struct tree_state *s, const struct tui *u, size_t i)
{
	int d = u->depth[i];

	if (d > 0 && d < TREE_DRAW_MAX)
		s->more[d] = !u->last[i];
}

size_t
tree_prefix(const struct tree_state *s, const struct tui *u, size_t i, struct buf *out)
{
	static const char *const glyphs[2][3] = {
		{ "| ", "|-", "`-" }, /* ASCII, as pstree -A draws it */
		{ "│ ", "├─", "└─" },
	};
	const char *const *g = glyphs[u->utf8];
	int d = u->depth[i];

	if (d <= 0 || d >= TREE_DRAW_MAX)
		return 0;
	for (int k = 1; k < d; k++)
		buf_puts(out, s->more[k] ? g[0] : "  ");
	buf_puts(out, u->last[i] ? g[2] : g[1]);
	return (size_t)d * 2;
}

const struct proc *
view_selected(const struct tui *u)
{
	return table_find(&u->col.t, u->sel_pid);
}
