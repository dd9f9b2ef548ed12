/*
 * The per-mapping model of one process: the maplist container, classification
 * of a mapping by its name, grouping by (class, path), and the names of the
 * classes and fields used in configuration and output.
 *
 * Invariants:
 *   - a maplist owns v[] and strings[]; maplist_clear keeps both allocations
 *     so a refresh does not reallocate;
 *   - a mapping's path is strings[path_off .. path_off + path_len), not
 *     NUL-terminated; path_len 0 means anonymous;
 *   - sums (group values) saturate, never wrap; a group's value of a field
 *     that is unavailable in one of its mappings is unavailable too;
 *   - pure functions: no I/O, no locale, no global state.
 */
#include "model/maps.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void
maplist_init(struct maplist *m)
{
	memset(m, 0, sizeof *m);
}

void
maplist_fini(struct maplist *m)
{
	free(m->v);
	free(m->strings);
	maplist_init(m);
}

void
maplist_clear(struct maplist *m)
{
	m->n = 0;
	m->str_len = 0;
	memset(m->total, 0, sizeof m->total);
	memset(m->rollup, 0, sizeof m->rollup);
	m->total_partial = 0;
	m->rollup_known = 0;
}

void
maplist_totals(const struct maplist *m, uint64_t val[MF_NUM], uint16_t *unknown)
{
	*unknown = 0;
	for (int f = 0; f < MF_NUM; f++) {
		if (m->rollup_known & MF_BIT(f))
			val[f] = m->rollup[f];
		else if (m->total_partial & MF_BIT(f))
			*unknown |= MF_BIT(f);
		else
			val[f] = m->total[f];
		if (*unknown & MF_BIT(f))
			val[f] = 0;
	}
}

/* ---- classification ---- */

static bool
starts(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && memcmp(s, lit, l) == 0;
}

static bool
equals(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* Does the file name s[0..n) look like a shared object ("x.so", "x.so.6")? */
static bool
is_lib_name(const char *s, size_t n)
{
	if (n >= 3 && memcmp(s + n - 3, ".so", 3) == 0)
		return true;
	for (size_t i = 0; i + 4 <= n; i++) {
		if (s[i] == '.' && memcmp(s + i, ".so.", 4) == 0)
			return true;
	}
	return false;
}

/*
 * Rules, first match wins:
 *   ""                                   anon
 *   "[heap]"                             heap
 *   "[stack]", "[stack:tid]"             stack
 *   "[anon_shmem:name]"                  shm   (PR_SET_VMA_ANON_NAME, shared)
 *   "[anon:name]"                        anon  (PR_SET_VMA_ANON_NAME)
 *   other "[...]" (vdso, vvar, ...)      special
 *   "/dev/zero", "/anon_hugepage"        shm when shared ('s'), else anon; these
 *                                        are anonymous memory behind a name
 *                                        (shared ones show " (deleted)")
 *   "/SYSV...", "/memfd:...", "/dev/shm/..."   shm (even if private)
 *   a name not starting with '/' ("anon_inode:[perf_event]", "socket:")
 *                                        special
 *   basename ending ".so" or containing ".so."  lib
 *   anything else                        file (shared file mappings too)
 * A trailing " (deleted)" is ignored when looking at the name.
 */
enum map_class
map_classify(const char *path, size_t len, const char perms[5], uint64_t inode)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof deleted - 1;
	bool shared = perms && perms[3] == 's';
	size_t n = len;

	(void)inode; /* the name and perms decide; kept for callers that know better */
	if (len == 0)
		return MC_ANON;
	if (path[0] == '[') {
		if (equals(path, len, "[heap]"))
			return MC_HEAP;
		if (equals(path, len, "[stack]") || starts(path, len, "[stack:"))
			return MC_STACK;
		if (starts(path, len, "[anon_shmem:"))
			return MC_SHM;
		if (starts(path, len, "[anon:"))
			return MC_ANON;
		return MC_SPECIAL;
	}
	if (n > dlen && memcmp(path + n - dlen, deleted, dlen) == 0)
		n -= dlen;
	if (equals(path, n, "/dev/zero") || equals(path, n, "/anon_hugepage"))
		return shared ? MC_SHM : MC_ANON;
	if (starts(path, n, "/SYSV") || starts(path, n, "/memfd:") || starts(path, n, "/dev/shm/"))
		return MC_SHM;
	if (path[0] != '/')
		return MC_SPECIAL;

	const char *slash = memrchr(path, '/', n);
	const char *base = slash ? slash + 1 : path;
	if (is_lib_name(base, (size_t)(path + n - base)))
		return MC_LIB;
	return MC_FILE;
}

static const char *const class_names[MC_NUM] = {
	[MC_HEAP] = "heap",
	[MC_STACK] = "stack",
	[MC_ANON] = "anon",
	[MC_FILE] = "file",
	[MC_LIB] = "lib",
	[MC_SHM] = "shm",
	[MC_SPECIAL] = "special",
};

const char *
map_class_name(enum map_class c)
{
	if ((unsigned)c >= MC_NUM)
		return "?";
	return class_names[c];
}

int
map_class_parse(const char *name)
{
	for (int c = 0; c < MC_NUM; c++) {
		if (strcmp(name, class_names[c]) == 0)
			return c;
	}
	return -1;
}

/* ---- fields ---- */

static const char *const field_keys[MF_NUM] = {
	[MF_SIZE] = "size",
	[MF_RSS] = "rss",
	[MF_PSS] = "pss",
	[MF_PSS_DIRTY] = "pss_dirty",
	[MF_SHARED_CLEAN] = "shared_clean",
	[MF_SHARED_DIRTY] = "shared_dirty",
	[MF_PRIVATE_CLEAN] = "private_clean",
	[MF_PRIVATE_DIRTY] = "private_dirty",
	[MF_REFERENCED] = "referenced",
	[MF_ANONYMOUS] = "anonymous",
	[MF_SWAP] = "swap",
	[MF_SWAP_PSS] = "swap_pss",
	[MF_LOCKED] = "locked",
	[MF_THP] = "thp",
};

const char *
map_field_key(enum map_field f)
{
	if ((unsigned)f >= MF_NUM)
		return "?";
	return field_keys[f];
}

int
map_field_parse(const char *key)
{
	for (int f = 0; f < MF_NUM; f++) {
		if (strcmp(key, field_keys[f]) == 0)
			return f;
	}
	return -1;
}

/* ---- grouping ---- */

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Orders mapping indices by (class, path bytes, index). */
static int
cmp_mapping(const void *a, const void *b, void *arg)
{
	const struct maplist *m = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const struct mapping *x = &m->v[ia], *y = &m->v[ib];

	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	size_t lx = x->path_len, ly = y->path_len;
	if (lx && ly) {
		int c = memcmp(mapping_path(m, x), mapping_path(m, y), lx < ly ? lx : ly);
		if (c)
			return c;
	}
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int
cmp_group_first(const void *a, const void *b)
{
	const struct mapgroup *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static bool
same_group(const struct maplist *m, const struct mapping *x, const struct mapping *y)
{
	return x->cls == y->cls && x->path_len == y->path_len &&
	       (x->path_len == 0 ||
		memcmp(mapping_path(m, x), mapping_path(m, y), x->path_len) == 0);
}

/*
 * Sorts an index array by (class, path), folds each run into one group, then
 * orders the groups by their first mapping so output follows address order.
 * O(n log n) time, O(n) extra memory.
 */
size_t
maplist_group(const struct maplist *m, struct mapgroup **out)
{
	size_t *idx, ng = 0;
	struct mapgroup *g;

	*out = NULL;
	if (m->n == 0)
		return 0;
	idx = xreallocarray(NULL, m->n, sizeof *idx);
	for (size_t i = 0; i < m->n; i++)
		idx[i] = i;
	qsort_r(idx, m->n, sizeof *idx, cmp_mapping, (void *)m);

	g = xreallocarray(NULL, m->n, sizeof *g);
	for (size_t i = 0; i < m->n; i++) {
		const struct mapping *mp = &m->v[idx[i]];

		if (ng == 0 || !same_group(m, &m->v[g[ng - 1].first], mp)) {
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng].first = idx[i];
			g[ng].cls = mp->cls;
			ng++;
		}
		struct mapgroup *cur = &g[ng - 1];
		cur->count++;
		cur->unknown |= mp->unknown;
		for (int f = 0; f < MF_NUM; f++)
			cur->val[f] = add_sat(cur->val[f], mp->val[f]);
	}
	free(idx);
	qsort(g, ng, sizeof *g, cmp_group_first);
	*out = xreallocarray(g, ng, sizeof *g);
	return ng;
}

struct order_ctx {
	const uint64_t *vals; /* of row 0 */
	size_t stride;        /* between rows, in uint64_t */
	int field;
	bool reverse;
};

static int
cmp_order(const void *a, const void *b, void *arg)
{
	const struct order_ctx *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = 0;

	if (c->field >= 0) {
		uint64_t vx = c->vals[x * c->stride + (size_t)c->field];
		uint64_t vy = c->vals[y * c->stride + (size_t)c->field];
		r = (vx < vy) - (vx > vy); /* biggest first */
	}
	if (!r)
		r = (x > y) - (x < y);
	return c->reverse ? -r : r;
}

size_t
maplist_order(const struct maplist *m, const struct mapgroup *groups, size_t ngroups,
	      bool grouped, int field, bool reverse, size_t **idx)
{
	size_t n = grouped ? ngroups : m->n;

	*idx = xreallocarray(*idx, n ? n : 1, sizeof **idx);
	for (size_t i = 0; i < n; i++)
		(*idx)[i] = i;
	if (n < 2 || (field < 0 && !reverse))
		return n;
	struct order_ctx c = {
		grouped ? groups[0].val : m->v[0].val,
		(grouped ? sizeof *groups : sizeof *m->v) / sizeof(uint64_t),
		field, reverse,
	};
	qsort_r(*idx, n, sizeof **idx, cmp_order, &c);
	return n;
}
