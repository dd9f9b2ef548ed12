/* Filtering and sorting of table rows (see select.h). */
#include "model/select.h"

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
		return p->user;
	case F_COMM:
		return p->comm;
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
	int c = (a->val[f] > b->val[f]) - (a->val[f] < b->val[f]);
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
	return (a->val[F_PID] > b->val[F_PID]) - (a->val[F_PID] < b->val[F_PID]);
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

	return contains(p->comm, strlen(p->comm), needle, m) ||
	       (p->cmdline && contains(p->cmdline, p->cmd_len, needle, m));
}

static bool
chosen(const struct proc *p, const struct selection *sel)
{
	if (sel->npids) {
		size_t i = 0;
		while (i < sel->npids && sel->pids[i] != p->val[F_PID])
			i++;
		if (i == sel->npids)
			return false;
	}
	if (sel->by_uid && (!proc_has(p, F_UID) || p->val[F_UID] != (int64_t)sel->uid))
		return false;
	if (sel->cgroup && *sel->cgroup && (!p->cgroup || !cg_path_within(p->cgroup, sel->cgroup)))
		return false;
	return !sel->filter || !*sel->filter || proc_matches(p, sel->filter);
}

static int
cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct selection *sel = ctx;
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;
	return compare_dir(x, y, sel->sort, sel->reverse);
}

void
select_rows(const struct table *t, const struct selection *sel, struct rows *out)
{
	if (out->cap < t->n) {
		out->cap = t->n;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	out->n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (chosen(&t->procs[i], sel))
			out->v[out->n++] = &t->procs[i];
	if (out->n > 1)
		qsort_r(out->v, out->n, sizeof *out->v, cmp_rows, (void *)sel);
	if (sel->top && out->n > sel->top)
		out->n = sel->top;
}
