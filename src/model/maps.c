/*
 * The per-mapping model of one process: classification of a mapping by its
 * name, grouping by (class, path), display order, and the names of the
 * classes and fields used in configuration and output. The container itself
 * is maplist.c.
 *
 * Invariants:
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

/*
 * Grouping is one pass in list order: each mapping's (class, path) is looked
 * up in a hash table of the groups so far, so groups come out ordered by
 * their first mapping, as output wants them, in O(n). Mappings of one file
 * come in runs that share one copy of its path (parse_smaps.c): a mapping
 * with the same path bytes at the same place and class as the one before
 * joins its group without a lookup.
 */
struct gkey {
	uint64_t hash;
	uint32_t off, len;
};

struct gtab {
	uint32_t *slot;     /* group index + 1; 0: empty */
	size_t size;        /* a power of two, more than twice the groups */
};

static uint64_t
group_hash(const char *s, size_t n, unsigned cls)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ cls;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
	return h;
}

static void
gtab_insert(struct gtab *t, uint64_t hash, size_t gi)
{
	size_t i = (size_t)hash & (t->size - 1);

	while (t->slot[i])
		i = (i + 1) & (t->size - 1);
	t->slot[i] = (uint32_t)gi + 1;
}

static void
gtab_grow(struct gtab *t, const struct gkey *keys, size_t ng)
{
	free(t->slot);
	t->size = t->size ? t->size * 2 : 64;
	t->slot = xcalloc(t->size, sizeof *t->slot);
	for (size_t i = 0; i < ng; i++)
		gtab_insert(t, keys[i].hash, i);
}

size_t
maplist_group(const struct maplist *m, struct mapgroup **out)
{
	struct mapgroup *g = NULL;
	struct gkey *keys = NULL;
	struct gtab t = { NULL, 0 };
	size_t ng = 0, cap = 0, cur = 0;
	struct mapping mp, prev = { .cls = 0xff };

	*out = NULL;
	if (m->n == 0)
		return 0;
	gtab_grow(&t, keys, 0);
	for (size_t i = 0; i < m->n; i++) {
		maplist_get(m, i, &mp);
		if (mp.cls != prev.cls || mp.path_off != prev.path_off ||
		    mp.path_len != prev.path_len) {
			const char *path = mp.path_len ? mapping_path(m, &mp) : "";
			uint64_t h = group_hash(path, mp.path_len, mp.cls);
			size_t s = (size_t)h & (t.size - 1);

			for (; t.slot[s]; s = (s + 1) & (t.size - 1)) {
				const struct gkey *k = &keys[t.slot[s] - 1];

				if (k->hash == h && g[t.slot[s] - 1].cls == mp.cls &&
				    k->len == mp.path_len &&
				    (k->len == 0 || memcmp(m->strings + k->off, path, k->len) == 0))
					break;
			}
			if (t.slot[s]) {
				cur = t.slot[s] - 1;
			} else {
				if (ng == cap) {
					cap = cap ? cap * 2 : 64;
					g = xreallocarray(g, cap, sizeof *g);
					keys = xreallocarray(keys, cap, sizeof *keys);
				}
				memset(&g[ng], 0, sizeof g[ng]);
				g[ng].first = i;
				g[ng].cls = mp.cls;
				keys[ng] = (struct gkey){ h, mp.path_off, mp.path_len };
				cur = ng++;
				if (2 * ng > t.size)
					gtab_grow(&t, keys, ng);
				else
					t.slot[s] = (uint32_t)cur + 1;
			}
			prev = mp;
		}
		struct mapgroup *gr = &g[cur];
		gr->count++;
		gr->unknown |= mp.unknown;
		for (int f = 0; f < MF_NUM; f++)
			gr->val[f] = add_sat(gr->val[f], mp.val[f]);
	}
	free(t.slot);
	free(keys);
	*out = xreallocarray(g, ng, sizeof *g);
	return ng;
}

void
maporder_fini(struct maporder *o)
{
	free(o->idx);
	free(o->key);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/*
 * Sorts idx[0..n) by key[idx[i]], biggest first, ties in idx order, with tmp
 * as room: an LSD radix sort (stable, a byte a pass) that skips the bytes
 * all keys share, so KiB values usually take one to three passes. A compare
 * sort of 250,000 mappings took ~100 ms on a loaded machine, too slow for a
 * key press.
 */
static void
sort_by_key(size_t *idx, size_t *tmp, size_t n, const uint64_t *key)
{
	size_t count[8][256];
	size_t *src = idx, *dst = tmp;

	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = ~key[i];  /* ascending in ~key is descending in key */

		for (int b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	for (int b = 0; b < 8; b++) {
		size_t pos = 0, c;
		unsigned shift = 8u * (unsigned)b;

		if (count[b][(~key[0] >> shift) & 0xff] == n)
			continue;  /* one value of this byte: the pass would change nothing */
		for (int d = 0; d < 256; d++) {
			c = count[b][d];
			count[b][d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[b][(~key[src[i]] >> shift) & 0xff]++] = src[i];
		size_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != idx)
		memcpy(idx, src, n * sizeof *idx);
}

size_t
maplist_order(const struct maplist *m, const struct mapgroup *groups, size_t ngroups,
	      bool grouped, int field, bool reverse, struct maporder *o)
{
	size_t n = grouped ? ngroups : m->n;
	size_t *v;

	if (n > o->cap || !o->idx) {
		o->cap = n ? n : 1;
		o->idx = xreallocarray(o->idx, o->cap, sizeof *o->idx);
		free(o->key);
		free(o->tmp);
		o->key = NULL;
		o->tmp = NULL;
	}
	o->n = n;
	v = o->idx;
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	if (n >= 2 && field >= 0) {
		/* the field is taken out once: a pass must not decode a mapping */
		if (!o->key) {
			o->key = xreallocarray(NULL, o->cap, sizeof *o->key);
			o->tmp = xreallocarray(NULL, o->cap, sizeof *o->tmp);
		}
		for (size_t i = 0; i < n; i++)
			o->key[i] = grouped ? groups[i].val[field]
					    : maplist_value(m, i, (enum map_field)field);
		sort_by_key(v, o->tmp, n, o->key);
	}
	/* reverse flips the whole order, ties too */
	for (size_t i = 0; reverse && i < n / 2; i++) {
		size_t t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	return n;
}
