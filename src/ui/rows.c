/*
 * The rows the process screens show: filtered and sorted by the model
 * (select_rows), ranked by the screen's own key on the ranking screens, and
 * arranged as a tree when the tree is on. Runs before every frame and after
 * every key, under the collector's lock.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/screen.h"
#include "ui/ui.h"
#include "util/xalloc.h"

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
	bool *last;                     /* out[k] is the last child of its parent */
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
	c->last[c->k] = false;
	c->depth[c->k++] = depth;
}

/* Appends the children of pid, in display order, each followed by its subtree. */
static void
tree_walk(struct tree_ctx *c, int64_t pid, int depth)
{
	size_t youngest = SIZE_MAX; /* output index of the last child placed */

	for (size_t i = tree_find(c->by_ppid, c->n, pid); i < c->n && c->by_ppid[i].key == pid; i++) {
		size_t pos = c->by_ppid[i].pos;
		if (c->placed[pos])
			continue; /* itself (ppid == pid), or met already through a cycle */
		youngest = c->k;
		tree_place(c, pos, depth);
		tree_walk(c, c->in[pos]->val[F_PID], depth + 1);
	}
	if (youngest != SIZE_MAX)
		c->last[youngest] = true;
}

static void
make_tree(struct tui *u)
{
	size_t n = u->rows.n;
	struct tree_key *by_pid = xreallocarray(NULL, n ? n : 1, sizeof *by_pid);
	struct tree_key *by_ppid = xreallocarray(NULL, n ? n : 1, sizeof *by_ppid);
	bool *placed = xcalloc(n ? n : 1, sizeof *placed);
	const struct proc **out = xreallocarray(NULL, n ? n : 1, sizeof *out);
	struct tree_ctx c = { u->rows.v, n, by_ppid, placed, out, u->depth, u->last, 0 };

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
	if (c.k) /* with no rows, rows.v may be NULL: memcpy(NULL, ..., 0) is undefined */
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
		.filter = u->filter, .sort = u->sort, .reverse = u->reverse, .cgroup = u->cg_filter,
	};
	const struct screen *s = screens[u->screen];

	if (s->ranked) {
		sel.sort = s->rank_by;
		sel.reverse = false;
	}
	select_rows(&u->col.t, &sel, &u->rows);
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
