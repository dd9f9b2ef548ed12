/* Filtering and sorting of table rows (see select.h). */
#include "model/select.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/cgroup.h"
#include "model/fields.h"
#include "util/xalloc.h"

void
rows_fini(struct rows *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

static const char *
text_of(const struct proc *p, enum field f)
{
	switch (f) {
	case F_USER:
		return p->user ? p->user : "";
	case F_COMM:
		return proc_comm(p);
	case F_CMDLINE:
		return p->cmdline ? p->cmdline : "";
	case F_CGROUP:
		return p->cgroup ? p->cgroup : "";
	default:
		return "";
	}
}

/*
 * Key order of a and b on field f in the column's natural direction, 0 on a
 * tie; *unknown is set when exactly one of the values is unavailable.
 */
static int
compare_key(const struct proc *a, const struct proc *b, enum field f, bool *unknown)
{
	const struct field_info *fi = &field_info[f];

	*unknown = false;
	if (f == F_STATE)
		return (a->state > b->state) - (a->state < b->state);
	if (fi->kind == FK_TEXT)
		return strcmp(text_of(a, f), text_of(b, f));
	bool ka = proc_has(a, f), kb = proc_has(b, f);
	if (ka != kb) {
		*unknown = true;
		return ka ? -1 : 1;
	}
	if (!ka)
		return 0;
	int c = (proc_val(a, f) > proc_val(b, f)) - (proc_val(a, f) < proc_val(b, f));
	return fi->desc_sort ? -c : c;
}

/* reverse flips the key order only: unavailable values stay last, ties stay by pid. */
static int
compare_dir(const struct proc *a, const struct proc *b, enum field f, bool reverse)
{
	bool unknown;
	int c = compare_key(a, b, f, &unknown);

	if (c)
		return reverse && !unknown ? -c : c;
	return (proc_val(a, F_PID) > proc_val(b, F_PID)) - (proc_val(a, F_PID) < proc_val(b, F_PID));
}

int
proc_compare(const struct proc *a, const struct proc *b, enum field f)
{
	return compare_dir(a, b, f, false);
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool
contains(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m > n)
		return false;
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m && lower(hay[i + k] ? hay[i + k] : ' ') == lower(needle[k]))
			k++;
		if (k == m)
			return true;
	}
	return false;
}

bool
proc_matches(const struct proc *p, const char *needle)
{
	size_t m = strlen(needle);

	return contains(proc_comm(p), strlen(proc_comm(p)), needle, m) ||
	       (p->cmdline && contains(p->cmdline, p->cmd_len, needle, m));
}

static bool
chosen(const struct proc *p, const struct selection *sel)
{
	if (sel->npids) {
		size_t i = 0;
		while (i < sel->npids && sel->pids[i] != proc_val(p, F_PID))
			i++;
		if (i == sel->npids)
			return false;
	}
	if (sel->by_uid && (!proc_has(p, F_UID) || proc_val(p, F_UID) != (int64_t)sel->uid))
		return false;
	if (sel->cgroup && *sel->cgroup && (!p->cgroup || !cg_path_within(p->cgroup, sel->cgroup)))
		return false;
	return !sel->filter || !*sel->filter || proc_matches(p, sel->filter);
}

/*
 * Sorting on precomputed keys. A row's sort value becomes one 64-bit key
 * whose unsigned order is the column's order in the direction asked for:
 * numbers biased to unsigned and complemented to go the other way; text by
 * its first 8 bytes (big-endian, zero after the end), the whole strings
 * compared only when those are equal and the string goes on. Unavailable
 * values sort last in either direction, ties by pid, as compare_dir() does.
 */
struct sort_ent {
	uint64_t k;
	uint32_t pid;
	uint32_t at : 31;      /* index of the process in the table the key was made from */
	uint32_t last : 1;     /* the value is unavailable */
};

struct sorter {
	const struct proc *procs; /* that table's */
	enum field f;
	bool text;
	bool flip;             /* keys complemented */
};

static void
sorter_init(struct sorter *s, const struct table *t, enum field f, bool reverse)
{
	s->procs = t->procs;
	s->f = f;
	s->text = f != F_STATE && field_info[f].kind == FK_TEXT;
	s->flip = reverse != (f != F_STATE && !s->text && field_info[f].desc_sort);
}

static uint64_t
text_key(const char *t)
{
	uint64_t k = 0;
	int i = 0;

	for (; i < 8 && t[i]; i++)
		k = k << 8 | (unsigned char)t[i];
	return i ? k << (8 * (8 - i)) : 0;
}

static struct sort_ent
make_ent(const struct sorter *s, const struct table *t, size_t at)
{
	const struct proc *p = &t->procs[at];
	struct sort_ent e = { .pid = (uint32_t)proc_val(p, F_PID), .at = (uint32_t)at };

	if (s->f == F_STATE)
		e.k = (uint64_t)((int)p->state + 128);
	else if (s->text)
		e.k = text_key(text_of(p, s->f));
	else if (!proc_has(p, s->f))
		e.last = 1;
	else
		e.k = (uint64_t)proc_val(p, s->f) ^ (UINT64_C(1) << 63);
	if (s->flip && !e.last)
		e.k = ~e.k;
	return e;
}

static int
ent_cmp(const struct sort_ent *a, const struct sort_ent *b, const struct sorter *s)
{
	if (a->last != b->last)
		return a->last ? 1 : -1;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	/* equal first 8 bytes, and neither string ends within them */
	if (s->text && ((s->flip ? ~a->k : a->k) & 0xff)) {
		int c = strcmp(text_of(&s->procs[a->at], s->f), text_of(&s->procs[b->at], s->f));
		if (c)
			return s->flip ? -c : c;
	}
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* a[0..na) and b[0..nb), each in order, into out in order. */
static void
merge(const struct sort_ent *a, size_t na, const struct sort_ent *b, size_t nb,
      struct sort_ent *out, const struct sorter *s)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb)
		out[k++] = ent_cmp(&b[j], &a[i], s) < 0 ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

enum { RUN = 16 };

/*
 * The adjacent runs v[0..na) and v[na..na+nb), each in order, into one run in
 * order, through tmp (room for the shorter run): the shorter is moved out and
 * merged back from its end of v, so no write overtakes an unread entry.
 */
static void
merge_runs(struct sort_ent *v, size_t na, size_t nb, struct sort_ent *tmp,
	   const struct sorter *s)
{
	if (na <= nb) {
		memcpy(tmp, v, na * sizeof *v);
		merge(tmp, na, v + na, nb, v, s);
		return;
	}
	size_t i = na, j = nb, k = na + nb;

	memcpy(tmp, v + na, nb * sizeof *v);
	while (i > 0 && j > 0)
		v[--k] = ent_cmp(&tmp[j - 1], &v[i - 1], s) < 0 ? v[--i] : tmp[--j];
	while (j > 0)
		v[--k] = tmp[--j];
}

/* Merge sort of v[0..n), with tmp room for n / 2 more. */
static void
sort_ents(struct sort_ent *v, size_t n, struct sort_ent *tmp, const struct sorter *s)
{
	for (size_t lo = 0; lo < n; lo += RUN) {
		size_t hi = lo + RUN < n ? lo + RUN : n;
		for (size_t i = lo + 1; i < hi; i++) {
			struct sort_ent x = v[i];
			size_t j = i;
			for (; j > lo && ent_cmp(&x, &v[j - 1], s) < 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	for (size_t w = RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo + w < n; lo += 2 * w) {
			size_t nb = n - lo - w < w ? n - lo - w : w;
			merge_runs(v + lo, w, nb, tmp, s);
		}
	}
}

static void
ents_reserve(struct select_cache *c, size_t n)
{
	if (c->cap < n) {
		c->cap = n;
		c->e = xreallocarray(c->e, n, sizeof *c->e);
	}
}

/* The chosen rows of t, keyed, in table (pid) order, into v; returns how many. */
static size_t
choose_all(const struct table *t, const struct selection *sel, const struct sorter *s,
	   struct sort_ent *v)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (chosen(&t->procs[i], sel))
			v[n++] = make_ent(s, t, i);
	return n;
}

static void
sort_all(struct select_cache *c, const struct sorter *s)
{
	struct sort_ent *tmp = xreallocarray(NULL, c->n / 2 ? c->n / 2 : 1, sizeof *tmp);

	sort_ents(c->e, c->n, tmp, s);
	free(tmp);
}

/*
 * A new table, the selection unchanged: each chosen row keeps its place when
 * the previous result had its pid with the same key (then it still sorts the
 * same against every other such row), the others are sorted and merged in.
 */
static void
resort_changed(const struct table *t, const struct selection *sel, const struct sorter *s,
	       struct select_cache *c)
{
	size_t oldn = c->n, nch = 0, nk = 0, r = 0;
	bool *keep = xcalloc(oldn ? oldn : 1, sizeof *keep);
	struct sort_ent *ch = xreallocarray(NULL, t->n ? t->n : 1, sizeof *ch);

	for (size_t i = 0; i < t->n; i++) {
		if (!chosen(&t->procs[i], sel))
			continue;
		struct sort_ent e = make_ent(s, t, i);
		/* the previous result's rows in pid order: by table index */
		while (r < c->npos && (c->pos[r] == UINT32_MAX || c->e[c->pos[r]].pid < e.pid))
			r++;
		struct sort_ent *o = r < c->npos ? &c->e[c->pos[r]] : NULL;
		if (o && o->pid == e.pid && o->last == e.last && o->k == e.k) {
			*o = e; /* in its old place, now indexing t */
			keep[c->pos[r]] = true;
		} else {
			ch[nch++] = e;
		}
	}
	for (size_t i = 0; i < oldn; i++)
		if (keep[i])
			c->e[nk++] = c->e[i];
	struct sort_ent *v = xreallocarray(NULL, nk + nch ? nk + nch : 1, sizeof *v);
	sort_ents(ch, nch, v, s);
	merge(c->e, nk, ch, nch, v, s);
	free(c->e);
	c->e = v;
	c->n = c->cap = nk + nch;
	free(ch);
	free(keep);
}

static bool
same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Is every row the filter `now` lets through one that `was` let through? */
static bool
narrower(const char *was, const char *now)
{
	size_t m = was ? strlen(was) : 0;

	return !m || (now && contains(now, strlen(now), was, m));
}

static void
remember(struct select_cache *c, const struct selection *sel)
{
	free((char *)c->sel.filter);
	free((char *)c->sel.cgroup);
	c->sel = *sel;
	c->sel.filter = sel->filter ? xstrdup(sel->filter) : NULL;
	c->sel.cgroup = sel->cgroup ? xstrdup(sel->cgroup) : NULL;
	c->valid = true;
}

/* Brings c->e up to date with sel over t (see select_update()); false when it was already. */
static bool
update(const struct table *t, bool same_table, const struct selection *sel,
       struct select_cache *c)
{
	const struct selection *o = &c->sel;
	bool same_set = c->valid && o->pids == sel->pids && o->npids == sel->npids &&
			o->by_uid == sel->by_uid && (!sel->by_uid || o->uid == sel->uid) &&
			same_str(o->cgroup, sel->cgroup);
	bool same_filter = same_set && same_str(o->filter, sel->filter);
	bool same_sort = c->valid && o->sort == sel->sort && o->reverse == sel->reverse;
	struct sorter s;

	if (same_table && same_filter && same_sort)
		return false;
	sorter_init(&s, t, sel->sort, sel->reverse);
	if (same_table && same_sort && same_set && narrower(o->filter, sel->filter)) {
		size_t k = 0;
		for (size_t i = 0; i < c->n; i++)
			if (chosen(&t->procs[c->e[i].at], sel))
				c->e[k++] = c->e[i];
		c->n = k;
	} else if (same_table && same_filter) {
		for (size_t i = 0; i < c->n; i++)
			c->e[i] = make_ent(&s, t, c->e[i].at);
		sort_all(c, &s);
	} else if (!same_table && same_filter && same_sort && !s.text) {
		resort_changed(t, sel, &s, c);
	} else {
		ents_reserve(c, t->n);
		c->n = choose_all(t, sel, &s, c->e);
		sort_all(c, &s);
	}
	remember(c, sel);
	c->procs = t->procs;
	return true;
}

bool
select_update(const struct table *t, bool same_table, const struct selection *sel,
	      struct select_cache *c)
{
	if (!update(t, same_table, sel, c))
		return false;
	/* where each table row is in the result, for the next resort_changed() */
	if (c->npos < t->n)
		c->pos = xreallocarray(c->pos, t->n, sizeof *c->pos);
	c->npos = t->n;
	if (t->n)
		memset(c->pos, 0xff, t->n * sizeof *c->pos);
	for (size_t i = 0; i < c->n; i++)
		c->pos[c->e[i].at] = (uint32_t)i;
	return true;
}

void
select_result(const struct select_cache *c, struct rows *out)
{
	if (out->cap < c->n) {
		out->cap = c->n;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	for (size_t i = 0; i < c->n; i++)
		out->v[i] = &c->procs[c->e[i].at];
	out->n = c->n;
}

void
select_cache_fini(struct select_cache *c)
{
	free(c->e);
	free(c->pos);
	free((char *)c->sel.filter);
	free((char *)c->sel.cgroup);
	memset(c, 0, sizeof *c);
}

void
select_rows(const struct table *t, const struct selection *sel, struct rows *out)
{
	struct select_cache c = { 0 };

	update(t, false, sel, &c);
	select_result(&c, out);
	if (sel->top && out->n > sel->top)
		out->n = sel->top;
	select_cache_fini(&c);
}
