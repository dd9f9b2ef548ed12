/*
 * Parsers for /proc/<pid>/smaps and /proc/<pid>/smaps_rollup.
 *
 * smaps is the one large file smaptop reads: a process with 100,000 mappings
 * gives about 43 MB. The kernel already spends a lot of time producing it, so
 * the parser must stay a small fraction of that: one memchr per line, keys
 * dispatched on length then compared with memcmp of a constant size, and
 * hand-rolled digit loops. No stdio, no locale, no allocation per mapping
 * (the maplist grows by doubling and keeps its capacity across refreshes).
 *
 * Invariants:
 *   - a line is either "Key: value", a mapping header
 *     ("start-end perms offset major:minor inode [path]"), or ignored;
 *   - key lines before the first header, or after a line that is neither,
 *     belong to no mapping and are dropped;
 *   - every recognised key is in kB; a value that overflows, or whose byte
 *     count would not fit in 64 bits, is not stored (left 0 in the mapping,
 *     since struct mapping has no per-field known bits) and not summed;
 *   - totals saturate instead of wrapping.
 */
#include "collect/parse.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "collect/parse_util.h"
#include "util/xalloc.h"

/* The keys smaptop uses from smaps and smaps_rollup; everything else is SK_NONE. */
enum smaps_key {
	SK_NONE = -1,
	SK_SIZE,
	SK_RSS,
	SK_PSS,
	SK_PSS_DIRTY,
	SK_PSS_ANON,
	SK_PSS_FILE,
	SK_PSS_SHMEM,
	SK_SHARED_CLEAN,
	SK_SHARED_DIRTY,
	SK_PRIVATE_CLEAN,
	SK_PRIVATE_DIRTY,
	SK_REFERENCED,
	SK_ANONYMOUS,
	SK_ANON_HUGE,   /* AnonHugePages */
	SK_SHMEM_PMD,   /* ShmemPmdMapped */
	SK_FILE_PMD,    /* FilePmdMapped */
	SK_SWAP,
	SK_SWAP_PSS,
	SK_LOCKED,
	SK_NUM
};

/* Direct smaps key -> map field; -1 for keys that are not a field of their own. */
static const signed char sk_to_mf[SK_NUM] = {
	[SK_SIZE] = MF_SIZE,
	[SK_RSS] = MF_RSS,
	[SK_PSS] = MF_PSS,
	[SK_PSS_DIRTY] = MF_PSS_DIRTY,
	[SK_PSS_ANON] = -1,
	[SK_PSS_FILE] = -1,
	[SK_PSS_SHMEM] = -1,
	[SK_SHARED_CLEAN] = MF_SHARED_CLEAN,
	[SK_SHARED_DIRTY] = MF_SHARED_DIRTY,
	[SK_PRIVATE_CLEAN] = MF_PRIVATE_CLEAN,
	[SK_PRIVATE_DIRTY] = MF_PRIVATE_DIRTY,
	[SK_REFERENCED] = MF_REFERENCED,
	[SK_ANONYMOUS] = MF_ANONYMOUS,
	[SK_ANON_HUGE] = -1,
	[SK_SHMEM_PMD] = -1,
	[SK_FILE_PMD] = -1,
	[SK_SWAP] = MF_SWAP,
	[SK_SWAP_PSS] = MF_SWAP_PSS,
	[SK_LOCKED] = MF_LOCKED,
};

static inline bool
key_is(const char *k, const char *lit, size_t n)
{
	return memcmp(k, lit, n) == 0;
}

/*
 * Identifies the key k[0..n) (without the colon). Dispatch on the length and
 * the first byte keeps this to one or two fixed-size compares per line.
 */
static inline enum smaps_key
smaps_key(const char *k, size_t n)
{
	switch (n) {
	case 3:
		if (k[0] == 'R' && key_is(k, "Rss", 3))
			return SK_RSS;
		if (k[0] == 'P' && key_is(k, "Pss", 3))
			return SK_PSS;
		break;
	case 4:
		if (k[0] == 'S' && key_is(k, "Size", 4))
			return SK_SIZE;
		if (k[0] == 'S' && key_is(k, "Swap", 4))
			return SK_SWAP;
		break;
	case 6:
		if (key_is(k, "Locked", 6))
			return SK_LOCKED;
		break;
	case 7:
		if (key_is(k, "SwapPss", 7))
			return SK_SWAP_PSS;
		break;
	case 8:
		if (k[0] == 'P' && key_is(k, "Pss_Anon", 8))
			return SK_PSS_ANON;
		if (k[0] == 'P' && key_is(k, "Pss_File", 8))
			return SK_PSS_FILE;
		break;
	case 9:
		if (k[0] == 'P') {
			if (key_is(k, "Pss_Dirty", 9))
				return SK_PSS_DIRTY;
			if (key_is(k, "Pss_Shmem", 9))
				return SK_PSS_SHMEM;
		} else if (k[0] == 'A' && key_is(k, "Anonymous", 9)) {
			return SK_ANONYMOUS;
		}
		break;
	case 10:
		if (key_is(k, "Referenced", 10))
			return SK_REFERENCED;
		break;
	case 12:
		if (key_is(k, "Shared_Clean", 12))
			return SK_SHARED_CLEAN;
		if (key_is(k, "Shared_Dirty", 12))
			return SK_SHARED_DIRTY;
		break;
	case 13:
		switch (k[0]) {
		case 'P':
			if (key_is(k, "Private_Clean", 13))
				return SK_PRIVATE_CLEAN;
			if (key_is(k, "Private_Dirty", 13))
				return SK_PRIVATE_DIRTY;
			break;
		case 'A':
			if (key_is(k, "AnonHugePages", 13))
				return SK_ANON_HUGE;
			break;
		case 'F':
			if (key_is(k, "FilePmdMapped", 13))
				return SK_FILE_PMD;
			break;
		}
		break;
	case 14:
		if (k[0] == 'S' && key_is(k, "ShmemPmdMapped", 14))
			return SK_SHMEM_PMD;
		break;
	}
	return SK_NONE;
}

/*
 * If [ls, le) is a "Key: value" line, returns its key (SK_NONE for a key
 * smaptop ignores) and sets *val_at just past the colon. Returns SK_NUM when
 * the line is not a key line at all (no colon before the first blank).
 */
static inline int
key_line(const char *ls, const char *le, const char **val_at)
{
	const char *p = ls;

	while (p < le && *p != ':' && *p != ' ')
		p++;
	if (p == le || *p != ':')
		return SK_NUM;
	*val_at = p + 1;
	return smaps_key(ls, (size_t)(p - ls));
}

/* A kB value after a key: 0 and *out, or -1 when absent, malformed or too big. */
static inline int
kib_value(const char *p, const char *le, uint64_t *out)
{
	const char *after;

	p = pu_skip_blanks(p, le);
	if (pu_digits(p, le, out, &after) != 0 || *out > PU_KIB_MAX)
		return -1;
	if (after < le && !pu_isblank(*after))
		return -1;  /* "12x": not a number */
	return 0;
}

/* ---- smaps_rollup ---- */

int
parse_rollup(const char *buf, size_t len, struct proc *p)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *vp;
	uint64_t v[SK_NUM] = { 0 };
	bool have[SK_NUM] = { false };
	int found = 0;

	p->known &= ~(uint64_t)ROLLUP_FIELDS;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		int k = key_line(ls, le, &vp);

		if (k == SK_NUM || k == SK_NONE)
			continue;  /* the "[rollup]" header, or a key we do not use */
		found++;
		uint64_t x;
		if (kib_value(vp, le, &x) == 0) {
			v[k] = x;
			have[k] = true;
		} else {
			have[k] = false;
		}
	}
	if (!found)
		return -EINVAL;

	static const struct {
		enum field f;
		enum smaps_key a, b; /* b: SK_NONE, or a second summand */
	} map[] = {
		{ F_PSS, SK_PSS, SK_NONE },
		{ F_PSS_ANON, SK_PSS_ANON, SK_NONE },
		{ F_PSS_FILE, SK_PSS_FILE, SK_NONE },
		{ F_PSS_SHMEM, SK_PSS_SHMEM, SK_NONE },
		{ F_USS, SK_PRIVATE_CLEAN, SK_PRIVATE_DIRTY },
		{ F_SHARED, SK_SHARED_CLEAN, SK_SHARED_DIRTY },
		{ F_SWAP_PSS, SK_SWAP_PSS, SK_NONE },
		{ F_THP, SK_ANON_HUGE, SK_NONE },
		{ F_REFERENCED, SK_REFERENCED, SK_NONE },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (!have[map[i].a])
			continue;
		uint64_t x = v[map[i].a];
		if (map[i].b != SK_NONE) {
			if (!have[map[i].b])
				continue;
			x += v[map[i].b];  /* both <= PU_KIB_MAX: cannot wrap */
			if (x > PU_KIB_MAX)
				continue;
		}
		proc_set(p, map[i].f, (int64_t)x);
	}
	return 0;
}

/* ---- smaps ---- */

/* Appends a zeroed mapping to m and returns its index. */
static size_t
push_mapping(struct maplist *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	memset(&m->v[m->n], 0, sizeof m->v[0]);
	return m->n++;
}

/* Stores path bytes in m's arena; false if the arena would pass 4 GiB. */
static bool
push_path(struct maplist *m, const char *s, size_t n, uint32_t *off)
{
	if (n > UINT32_MAX - m->str_len)
		return false;
	if (m->str_len + n > m->str_cap) {
		size_t cap = m->str_cap ? m->str_cap : 4096;

		while (cap < m->str_len + n)
			cap *= 2;
		m->strings = xreallocarray(m->strings, cap, 1);
		m->str_cap = cap;
	}
	memcpy(m->strings + m->str_len, s, n);
	*off = (uint32_t)m->str_len;
	m->str_len += n;
	return true;
}

/*
 * Parses a header line "start-end perms offset major:minor inode [path]" into
 * *mp, and the path's bounds into *path and *plen. False if the line is not one.
 */
static bool
parse_header(const char *p, const char *le, struct mapping *mp, const char **path, size_t *plen)
{
	uint64_t maj, min;

	if (pu_hex(p, le, &mp->start, &p) != 0 || p == le || *p != '-')
		return false;
	if (pu_hex(p + 1, le, &mp->end, &p) != 0 || p == le || *p != ' ')
		return false;
	p = pu_skip_blanks(p, le);
	if (le - p < 5 || !pu_isblank(p[4]))
		return false;
	memcpy(mp->perms, p, 4);
	mp->perms[4] = '\0';
	p = pu_skip_blanks(p + 4, le);
	if (pu_hex(p, le, &mp->offset, &p) != 0 || p == le || !pu_isblank(*p))
		return false;
	p = pu_skip_blanks(p, le);
	if (pu_hex(p, le, &maj, &p) != 0 || p == le || *p != ':' || maj > UINT32_MAX)
		return false;
	if (pu_hex(p + 1, le, &min, &p) != 0 || p == le || !pu_isblank(*p) || min > UINT32_MAX)
		return false;
	mp->dev_major = (uint32_t)maj;
	mp->dev_minor = (uint32_t)min;
	p = pu_skip_blanks(p, le);
	if (pu_digits(p, le, &mp->inode, &p) != 0 || (p < le && !pu_isblank(*p)))
		return false;
	p = pu_skip_blanks(p, le);
	*path = p;
	*plen = (size_t)(le - p);
	return true;
}

/* The mapping being filled and the parts of MF_THP seen so far. */
struct smaps_state {
	struct maplist *m;
	size_t cur;        /* index in m->v, or SIZE_MAX: no mapping */
	uint64_t thp[3];   /* AnonHugePages, ShmemPmdMapped, FilePmdMapped */
};

/* Closes the current mapping: computes MF_THP and adds it to the totals. */
static void
finish_mapping(struct smaps_state *st)
{
	struct mapping *mp;

	if (st->cur == SIZE_MAX)
		return;
	mp = &st->m->v[st->cur];
	mp->val[MF_THP] = pu_add_sat(pu_add_sat(st->thp[0], st->thp[1]), st->thp[2]);
	for (int f = 0; f < MF_NUM; f++)
		st->m->total[f] = pu_add_sat(st->m->total[f], mp->val[f]);
	st->cur = SIZE_MAX;
}

static void
start_mapping(struct smaps_state *st, const char *ls, const char *le)
{
	struct maplist *m = st->m;
	struct mapping tmp = { 0 };
	const char *path;
	size_t plen, i;

	finish_mapping(st);
	if (!parse_header(ls, le, &tmp, &path, &plen))
		return;  /* neither key nor header: following keys are dropped */
	tmp.cls = (uint8_t)map_classify(path, plen, tmp.perms, tmp.inode);
	if (plen && push_path(m, path, plen, &tmp.path_off))
		tmp.path_len = (uint32_t)plen;
	i = push_mapping(m);
	m->v[i] = tmp;
	st->cur = i;
	st->thp[0] = st->thp[1] = st->thp[2] = 0;
}

/* Stores the value x of key k in the current mapping. */
static inline void
store_key(struct smaps_state *st, int k, uint64_t x)
{
	int f = sk_to_mf[k];

	if (f >= 0)
		st->m->v[st->cur].val[f] = x;
	else if (k == SK_ANON_HUGE)
		st->thp[0] = x;
	else if (k == SK_SHMEM_PMD)
		st->thp[1] = x;
	else if (k == SK_FILE_PMD)
		st->thp[2] = x;
}

/* One whole line, any shape: a key, a header, or something to ignore. */
static void
slow_line(struct smaps_state *st, const char *ls, const char *le)
{
	const char *vp;
	uint64_t x;
	int k = key_line(ls, le, &vp);

	if (k == SK_NUM) {
		start_mapping(st, ls, le);
		return;
	}
	if (k == SK_NONE || st->cur == SIZE_MAX)
		return;
	if (kib_value(vp, le, &x) != 0)
		x = 0;  /* unavailable: not stored, not summed */
	store_key(st, k, x);
}

/*
 * ---- fast path ----
 * Nearly every line the kernel writes is "Key:" padded with spaces, a number
 * and " kB\n". The fast path recognises exactly that shape for the keys the
 * kernel prints in every VMA, without looking for the newline first; anything
 * else (headers, VmFlags, tabs, CRLF, odd values, the end of the buffer) goes
 * through slow_line, which gives the same result for the lines the fast path
 * accepts.
 */

/* Result of fast_key for a key smaptop does not use (its line is skipped). */
enum { SK_SKIP = SK_NUM + 1 };

static inline int
lit(const char *p, const char *s, size_t n, int k, const char **vp)
{
	if (memcmp(p, s, n) != 0)
		return SK_NUM;
	*vp = p + n;
	return k;
}

/*
 * Identifies "Key:" at p, which has at least 16 readable bytes (the longest
 * key with its colon). Returns the key, SK_SKIP, or SK_NUM: not recognised
 * here, use the slow path. One or two byte tests pick the single candidate,
 * then one fixed-size compare confirms it.
 */
static inline int
fast_key(const char *p, const char **vp)
{
	switch (p[0]) {
	case 'S':
		if (p[1] == 'i')
			return lit(p, "Size:", 5, SK_SIZE, vp);
		if (p[1] == 'w')
			return p[4] == ':' ? lit(p, "Swap:", 5, SK_SWAP, vp)
					   : lit(p, "SwapPss:", 8, SK_SWAP_PSS, vp);
		if (p[1] != 'h')
			break;
		if (p[2] == 'm')
			return lit(p, "ShmemPmdMapped:", 15, SK_SHMEM_PMD, vp);
		if (p[7] == 'C')
			return lit(p, "Shared_Clean:", 13, SK_SHARED_CLEAN, vp);
		if (p[7] == 'D')
			return lit(p, "Shared_Dirty:", 13, SK_SHARED_DIRTY, vp);
		return lit(p, "Shared_Hugetlb:", 15, SK_SKIP, vp);
	case 'P':
		if (p[1] == 's') {
			switch (p[3] == ':' ? ':' : p[4]) {
			case ':':
				return lit(p, "Pss:", 4, SK_PSS, vp);
			case 'D':
				return lit(p, "Pss_Dirty:", 10, SK_PSS_DIRTY, vp);
			case 'A':
				return lit(p, "Pss_Anon:", 9, SK_PSS_ANON, vp);
			case 'F':
				return lit(p, "Pss_File:", 9, SK_PSS_FILE, vp);
			case 'S':
				return lit(p, "Pss_Shmem:", 10, SK_PSS_SHMEM, vp);
			}
			break;
		}
		if (p[8] == 'C')
			return lit(p, "Private_Clean:", 14, SK_PRIVATE_CLEAN, vp);
		if (p[8] == 'D')
			return lit(p, "Private_Dirty:", 14, SK_PRIVATE_DIRTY, vp);
		return lit(p, "Private_Hugetlb:", 16, SK_SKIP, vp);
	case 'R':
		return p[1] == 's' ? lit(p, "Rss:", 4, SK_RSS, vp)
				   : lit(p, "Referenced:", 11, SK_REFERENCED, vp);
	case 'A':
		return p[4] == 'y' ? lit(p, "Anonymous:", 10, SK_ANONYMOUS, vp)
				   : lit(p, "AnonHugePages:", 14, SK_ANON_HUGE, vp);
	case 'K':
		return p[1] == 'S' ? lit(p, "KSM:", 4, SK_SKIP, vp)
				   : lit(p, "KernelPageSize:", 15, SK_SKIP, vp);
	case 'M':
		return lit(p, "MMUPageSize:", 12, SK_SKIP, vp);
	case 'L':
		return p[1] == 'o' ? lit(p, "Locked:", 7, SK_LOCKED, vp)
				   : lit(p, "LazyFree:", 9, SK_SKIP, vp);
	case 'F':
		return lit(p, "FilePmdMapped:", 14, SK_FILE_PMD, vp);
	}
	return SK_NUM;
}

/* Skips spaces (not tabs), eight at a time while it can. */
static inline const char *
skip_spaces(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - p >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		w ^= UINT64_C(0x2020202020202020);
		if (w)
			return p + (__builtin_ctzll(w) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p == ' ')
		p++;
	return p;
}

/*
 * Tries the line at p as "Key:<spaces><digits> kB\n". On success stores the
 * value (if the key is used and a mapping is open) and returns the start of
 * the next line; otherwise returns NULL and nothing changed.
 */
static inline const char *
fast_line(struct smaps_state *st, const char *p, const char *end)
{
	const char *q;
	uint64_t x;
	int k;

	if (end - p < 16)
		return NULL;
	k = fast_key(p, &q);
	if (k == SK_NUM)
		return NULL;
	q = skip_spaces(q, end);
	if (pu_digits(q, end, &x, &q) != 0 || end - q < 4 || memcmp(q, " kB\n", 4) != 0)
		return NULL;
	if (k != SK_SKIP && st->cur != SIZE_MAX)
		store_key(st, k, x <= PU_KIB_MAX ? x : 0);
	return q + 4;
}

int
parse_smaps(const char *buf, size_t len, struct maplist *m)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *next;
	struct smaps_state st = { m, SIZE_MAX, { 0, 0, 0 } };

	maplist_clear(m);
	if (len == 0)
		return -ENODATA;
	while (pos < end) {
		next = fast_line(&st, pos, end);
		if (next) {
			pos = next;
			continue;
		}
		if (!pu_next_line(&pos, end, &ls, &le))
			break;
		slow_line(&st, ls, le);
	}
	finish_mapping(&st);
	return m->n ? 0 : -EINVAL;
}
