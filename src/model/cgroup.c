/*
 * The cgroup table (see cgroup.h). Entries live in one array kept in tree
 * order, so lookups are binary searches, a subtree is a contiguous run and
 * sums go up the parent chain. Tables are small (one entry per cgroup that
 * holds a process, plus ancestors: tens to a few hundred), so an insertion
 * that moves the tail is cheap, and it happens only for a new path.
 */
#include "model/cgroup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

int
cg_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	/* '/' ranks just above the end of the string and below every other byte */
	int cx = *x == '/' ? 1 : *x ? *x + 1 : 0, cy = *y == '/' ? 1 : *y ? *y + 1 : 0;
	return (cx > cy) - (cx < cy);
}

void
fill_hist_push(struct fill_hist *h, uint64_t t_ms, uint64_t used_kib)
{
	if (h->n == CG_RING) {
		memmove(h->t_ms, h->t_ms + 1, (CG_RING - 1) * sizeof *h->t_ms);
		memmove(h->used_kib, h->used_kib + 1, (CG_RING - 1) * sizeof *h->used_kib);
		h->n--;
	}
	h->t_ms[h->n] = t_ms;
	h->used_kib[h->n] = used_kib;
	h->n++;
}

void
cgtable_init(struct cgtable *ct)
{
	memset(ct, 0, sizeof *ct);
	ct->self = -1;
}

void
cgtable_clear(struct cgtable *ct)
{
	for (size_t i = 0; i < ct->n; i++)
		free(ct->v[i].path);
	ct->n = 0;
	ct->self = -1;
	ct->version = CG_NONE;
}

void
cgtable_fini(struct cgtable *ct)
{
	cgtable_clear(ct);
	free(ct->v);
	cgtable_init(ct);
}

/* Index of the first entry not below path in tree order. */
static size_t
lower_bound(const struct cgtable *ct, const char *path)
{
	size_t lo = 0, hi = ct->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cg_path_cmp(ct->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
cgtable_find(const struct cgtable *ct, const char *path)
{
	size_t i = lower_bound(ct, path);

	return i < ct->n && strcmp(ct->v[i].path, path) == 0 ? (int)i : -1;
}

/* Index of the parent of p (its path up to the last '/'), -1 for the root. */
static int
parent_of(const struct cgtable *ct, char *p, size_t len)
{
	size_t cut = len;

	if (len <= 1)
		return -1;
	while (cut > 0 && p[cut - 1] != '/')
		cut--;
	if (cut > 1)
		cut--; /* "/a/b" -> "/a"; "/a" -> "/" */
	char c = p[cut];
	p[cut] = '\0';
	int i = cgtable_find(ct, p);
	p[cut] = c;
	return i;
}

/* Inserts path[0..len) (its parent is in already) and fixes the indices after it. */
static int
insert(struct cgtable *ct, char *path, size_t len, int depth)
{
	char *p = xmemdup(path, len + 1);
	p[len] = '\0';
	size_t at = lower_bound(ct, p);

	if (ct->n == ct->cap) {
		ct->cap = ct->cap ? ct->cap * 2 : 32;
		ct->v = xreallocarray(ct->v, ct->cap, sizeof *ct->v);
	}
	memmove(&ct->v[at + 1], &ct->v[at], (ct->n - at) * sizeof *ct->v);
	ct->n++;
	memset(&ct->v[at], 0, sizeof ct->v[at]);
	ct->v[at].path = p;
	ct->v[at].depth = depth;
	for (size_t i = at + 1; i < ct->n; i++)
		if (ct->v[i].parent >= (int)at)
			ct->v[i].parent++;
	if (ct->self >= (int)at)
		ct->self++;
	ct->v[at].parent = parent_of(ct, p, len);
	return (int)at;
}

int
cgtable_add(struct cgtable *ct, const char *path)
{
	size_t len = strlen(path);
	int depth = 1;

	if (len == 0 || path[0] != '/' || strstr(path, "//"))
		return -EINVAL; /* the kernel gives neither */
	if (len > 1 && path[len - 1] == '/')
		len--; /* "/a/" is "/a" */
	char *tmp = xmemdup(path, len + 1);
	tmp[len] = '\0';
	int i = cgtable_find(ct, "/");
	if (i < 0)
		i = insert(ct, tmp, 1, 0);
	/* each prefix that ends before a '/', then the whole path */
	for (size_t at = 1; at <= len; at++) {
		if ((at < len && tmp[at] != '/') || at == 1)
			continue;
		char c = tmp[at];
		tmp[at] = '\0';
		i = cgtable_find(ct, tmp);
		if (i < 0)
			i = insert(ct, tmp, at, depth);
		tmp[at] = c;
		depth++;
	}
	free(tmp);
	return i;
}

void
cgtable_carry_slow(struct cgtable *ct, const struct cgtable *prev, uint64_t now_ms,
		   uint32_t max_age_ms)
{
	for (size_t i = 0; i < ct->n; i++) {
		struct cgroup *c = &ct->v[i];
		int j = max_age_ms && prev ? cgtable_find(prev, c->path) : -1;
		const struct cgroup *o = j >= 0 ? &prev->v[j] : NULL;

		c->keep_slow = o && now_ms - o->slow_ms <= max_age_ms;
		if (!c->keep_slow) {
			c->slow_ms = now_ms;
			continue;
		}
		c->slow_ms = o->slow_ms;
		for (int f = 0; f < CG_NUM; f++)
			if (CG_SLOW & CG_BIT(f))
				c->val[f] = o->val[f];
		c->known = (c->known & ~CG_SLOW) | (o->known & CG_SLOW);
		c->nolimit = (c->nolimit & ~CG_SLOW) | (o->nolimit & CG_SLOW);
	}
}

bool
cgroup_limit(const struct cgtable *ct, int i, uint64_t *limit_kib)
{
	const struct cgroup *c = &ct->v[i];

	if (ct->version == CG_V1 && (c->known & ~c->nolimit & CG_BIT(CG_MEMSW_LIMIT)) &&
	    (c->known & CG_BIT(CG_MEMSW_USAGE))) {
		*limit_kib = c->val[CG_MEMSW_LIMIT]; /* memory + swap: what v1 kills at */
		return true;
	}
	if (!(c->known & ~c->nolimit & CG_BIT(CG_LIMIT)))
		return false;
	*limit_kib = c->val[CG_LIMIT];
	return true;
}

bool
cgroup_used(const struct cgtable *ct, int i, uint64_t *used_kib)
{
	const struct cgroup *c = &ct->v[i];
	enum cg_field f = CG_USAGE;
	uint64_t lim;

	if (ct->version == CG_V1 && cgroup_limit(ct, i, &lim) &&
	    (c->known & ~c->nolimit & CG_BIT(CG_MEMSW_LIMIT)))
		f = CG_MEMSW_USAGE;
	if (!(c->known & CG_BIT(f)))
		return false;
	uint64_t u = c->val[f];
	if (c->known & CG_BIT(CG_INACTIVE_FILE))
		u = u > c->val[CG_INACTIVE_FILE] ? u - c->val[CG_INACTIVE_FILE] : 0;
	*used_kib = u;
	return true;
}

bool
cgroup_pct(const struct cgtable *ct, int i, double *pct)
{
	const struct cgroup *c = &ct->v[i];

	if (!(c->known & ~c->nolimit & CG_BIT(CG_LIMIT)) || !(c->known & CG_BIT(CG_USAGE)) ||
	    !c->val[CG_LIMIT])
		return false;
	*pct = 100.0 * (double)c->val[CG_USAGE] / (double)c->val[CG_LIMIT];
	return true;
}

void
cgtable_sum(struct cgtable *ct, const struct proc *procs, size_t n)
{
	for (size_t i = 0; i < ct->n; i++) {
		ct->v[i].members = ct->v[i].members_all = ct->v[i].pss_missing = 0;
		ct->v[i].pss_kib = 0;
	}
	const char *last = NULL;
	int at = -1;

	for (size_t k = 0; k < n; k++) {
		const struct proc *p = &procs[k];
		if (!p->cgroup)
			continue;
		/* neighbours mostly share a cgroup: one strcmp, not a search of long paths */
		if (!last || strcmp(p->cgroup, last) != 0) {
			at = cgtable_find(ct, p->cgroup);
			last = p->cgroup;
		}
		if (at < 0)
			continue;
		ct->v[at].members++;
		for (int j = at; j >= 0; j = ct->v[j].parent) {
			ct->v[j].members_all++;
			if (proc_has(p, F_PSS))
				ct->v[j].pss_kib += (uint64_t)proc_val(p, F_PSS);
			else
				ct->v[j].pss_missing++;
		}
	}
}

bool
cg_path_within(const char *q, const char *path)
{
	size_t l = strlen(path);

	if (l == 1 && path[0] == '/')
		return true;
	return strncmp(q, path, l) == 0 && (q[l] == '\0' || q[l] == '/');
}

pid_t
oom_victim(const struct proc *procs, size_t n, const char *path)
{
	const struct proc *best = NULL;

	for (size_t k = 0; k < n; k++) {
		const struct proc *p = &procs[k];
		if (!proc_has(p, F_OOM_SCORE) || (p->flags & (PROC_KTHREAD | PROC_ZOMBIE)))
			continue;
		if (proc_has(p, F_OOM_ADJ) && proc_val(p, F_OOM_ADJ) == -1000)
			continue; /* OOM_SCORE_ADJ_MIN: the kernel never picks it */
		if (path && (!p->cgroup || !cg_path_within(p->cgroup, path)))
			continue;
		if (!best || proc_val(p, F_OOM_SCORE) > proc_val(best, F_OOM_SCORE) ||
		    (proc_val(p, F_OOM_SCORE) == proc_val(best, F_OOM_SCORE) && proc_has(p, F_RSS) &&
		     (!proc_has(best, F_RSS) || proc_val(p, F_RSS) > proc_val(best, F_RSS))))
			best = p;
	}
	return best ? (pid_t)proc_val(best, F_PID) : 0;
}

void
cgtable_update(struct cgtable *ct, const struct cgtable *old, uint64_t now_ms,
	       const struct proc *procs, size_t nprocs)
{
	for (size_t i = 0; i < ct->n; i++) {
		struct cgroup *c = &ct->v[i];
		int j = old ? cgtable_find(old, c->path) : -1;
		uint64_t used, cap;

		if (j >= 0)
			c->hist = old->v[j].hist;
		memset(&c->fc, 0, sizeof c->fc);
		if (!cgroup_used(ct, (int)i, &used)) {
			c->hist.n = 0; /* a gap: the trend starts again */
			c->fc.why = FCW_NO_DATA;
			continue;
		}
		fill_hist_push(&c->hist, now_ms, used);
		if (!cgroup_limit(ct, (int)i, &cap)) {
			c->fc.why = FCW_NO_LIMIT;
			continue;
		}
		cgroup_forecast(c->hist.t_ms, c->hist.used_kib, c->hist.n, cap, &c->fc);
		if (!c->fc.known)
			continue;
		c->fc.victim = oom_victim(procs, nprocs, c->path);
		c->fc.victim_group = (c->known & CG_BIT(CG_OOM_GROUP)) && c->val[CG_OOM_GROUP];
	}
}

/* ---- order ---- */

const char *const cg_sort_keys[CGS_NUM] = {
	[CGS_PATH] = "cgroup", [CGS_USAGE] = "usage", [CGS_LIMIT] = "limit", [CGS_PCT] = "pct",
	[CGS_SWAP] = "swap", [CGS_PSS] = "pss", [CGS_PROCS] = "procs",
	[CGS_OOM_KILLS] = "oom_kills", [CGS_ETA] = "oom_eta",
};
static const char *const cg_sort_csv[CGS_NUM] = {
	[CGS_PATH] = "path", [CGS_USAGE] = "usage_kib", [CGS_LIMIT] = "limit_kib",
	[CGS_PCT] = "limit_pct", [CGS_SWAP] = "swap_kib", [CGS_PSS] = "pss_kib",
	[CGS_PROCS] = "processes", [CGS_OOM_KILLS] = "oom_kills", [CGS_ETA] = "oom_eta_s",
};

int
cg_sort_parse(const char *key)
{
	for (int k = 0; k < CGS_NUM; k++)
		if (!strcmp(key, cg_sort_keys[k]) || !strcmp(key, cg_sort_csv[k]))
			return k;
	return -1;
}

/* The sort value of entry i; false when unavailable. No limit is the biggest limit. */
static bool
key_of(const struct cgtable *ct, int i, enum cg_sort key, double *v)
{
	const struct cgroup *c = &ct->v[i];
	enum cg_field f;

	switch (key) {
	case CGS_PCT:
		return cgroup_pct(ct, i, v);
	case CGS_PSS:
		*v = (double)c->pss_kib;
		return c->members_all > c->pss_missing;
	case CGS_PROCS:
		*v = c->members_all;
		return true;
	case CGS_ETA:
		*v = -(double)c->fc.eta_s; /* soonest first */
		return c->fc.known;
	case CGS_LIMIT:
		*v = c->nolimit & CG_BIT(CG_LIMIT) ? 1e300 : (double)c->val[CG_LIMIT];
		return c->known & CG_BIT(CG_LIMIT);
	case CGS_USAGE:
		f = CG_USAGE;
		break;
	case CGS_SWAP:
		f = CG_SWAP;
		break;
	case CGS_OOM_KILLS:
		f = CG_OOM_KILLS;
		break;
	default:
		return false;
	}
	*v = (double)c->val[f];
	return c->known & CG_BIT(f);
}

struct order_ctx {
	const struct cgtable *ct;
	enum cg_sort key;
	bool reverse;
};

/* By parent, then key (biggest first; reverse flips; unavailable last), then tree order. */
static int
by_key(const void *a, const void *b, void *arg)
{
	const struct order_ctx *o = arg;
	int i = *(const int *)a, j = *(const int *)b;
	int pi = o->ct->v[i].parent, pj = o->ct->v[j].parent;
	double vi = 0, vj = 0;

	if (pi != pj)
		return (pi > pj) - (pi < pj);
	if (o->key != CGS_PATH) {
		bool ki = key_of(o->ct, i, o->key, &vi), kj = key_of(o->ct, j, o->key, &vj);
		if (ki != kj)
			return ki ? -1 : 1;
		if (ki && vi != vj)
			return (vi < vj) == !o->reverse ? 1 : -1;
	} else if (o->reverse) {
		return (i < j) - (i > j);
	}
	return (i > j) - (i < j);
}

void
cgtable_order(const struct cgtable *ct, enum cg_sort key, bool reverse, int *order)
{
	struct order_ctx o = { ct, key, reverse };
	size_t n = ct->n, out = 0, top = 0;

	if (!n)
		return;
	int *sorted = xmalloc(n * sizeof *sorted), *first = xmalloc((n + 1) * sizeof *first);
	int *stack = xmalloc(n * sizeof *stack);
	for (size_t i = 0; i < n; i++)
		sorted[i] = (int)i;
	qsort_r(sorted, n, sizeof *sorted, by_key, &o);
	/* first[p + 1]: where the children of p (-1: the topmost entries) start in sorted */
	for (size_t i = 0; i <= n; i++)
		first[i] = -1;
	for (size_t k = n; k-- > 0;)
		first[ct->v[sorted[k]].parent + 1] = (int)k;
	/* depth first; children pushed in reverse so the first comes out first */
	for (int k = first[0]; k >= 0 && (size_t)k < n && ct->v[sorted[k]].parent == -1; k++)
		top++;
	for (size_t k = top; k-- > 0;)
		stack[out++] = sorted[(size_t)first[0] + k];
	size_t sp = out;
	out = 0;
	while (sp) {
		int i = stack[--sp];
		order[out++] = i;
		int f = first[i + 1];
		size_t nk = 0;
		while (f >= 0 && (size_t)f + nk < n && ct->v[sorted[(size_t)f + nk]].parent == i)
			nk++;
		for (size_t k = nk; k-- > 0;)
			stack[sp++] = sorted[(size_t)f + k];
	}
	free(sorted);
	free(first);
	free(stack);
}
