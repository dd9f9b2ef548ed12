/*
 * Parsers for /proc/<pid>/smaps and /proc/<pid>/smaps_rollup.
 *
 * smaps is the one large file smaptop reads: 60,000 mappings give about 43 MB,
 * which the kernel takes ~70 ms to produce here. The parser must stay a small
 * fraction of that (it takes ~11 ms, see tests/bench/smaps_parse_bench.c), so
 * there are two paths:
 *   - fast_line: the kernel's own fixed-width "Key:  %8lu kB" lines, keys
 *     predicted in the kernel's order and checked with two word compares, the
 *     number decoded without a loop; no newline search;
 *   - slow_line: anything else, one line at a time (memchr), keys dispatched
 *     on length then compared with a constant-size memcmp, hand-rolled digit
 *     loops. It defines the semantics; the fast path only takes lines for
 *     which both give the same result.
 * No stdio, no locale, no allocation per mapping (the maplist grows by
 * doubling and keeps its capacity across refreshes).
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
	if (pu_hex(p + 1, le, &mp->end, &p) != 0 || p == le || *p != ' ' || mp->end < mp->start)
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
	unsigned expect;   /* fast path: index of the likely next line in kline[] */
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

/*
 * If [ls, le) is a mapping header, closes the current mapping and opens a new
 * one in place at the end of m->v. A header's first token holds no colon, so
 * a line that parses as a header is never a key line.
 */
static bool
try_header(struct smaps_state *st, const char *ls, const char *le)
{
	struct maplist *m = st->m;
	struct mapping *mp;
	const char *path;
	size_t plen, i;

	i = push_mapping(m);
	mp = &m->v[i];
	if (!parse_header(ls, le, mp, &path, &plen)) {
		m->n--;
		return false;
	}
	finish_mapping(st);
	mp->cls = (uint8_t)map_classify(path, plen, mp->perms, mp->inode);
	if (plen && push_path(m, path, plen, &mp->path_off))
		mp->path_len = (uint32_t)plen;
	st->cur = i;
	st->thp[0] = st->thp[1] = st->thp[2] = 0;
	st->expect = 0;
	return true;
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
	int k;

	if (ls < le && pu_hexval(*ls) >= 0 && try_header(st, ls, le))
		return;
	k = key_line(ls, le, &vp);
	if (k == SK_NUM) {
		finish_mapping(st);  /* neither key nor header: following keys are dropped */
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
 * Nearly every line the kernel writes is a key padded to 16 columns, "%8lu"
 * and " kB\n": 28 bytes. kernel_line recognises exactly that shape, with the
 * keys in the kernel's order, using word compares and no byte loop; anything
 * else (headers, VmFlags, tabs, CRLF, values of 9+ digits, another layout, the
 * end of the buffer) falls back to slow_line, which gives the same result for
 * every line the fast path accepts.
 */

/*
 * Pseudo-keys of the fast path: SK_SKIP, a key smaptop does not use (its line
 * is skipped); SK_NOUNIT, the same for a value without "kB".
 */
enum { SK_SKIP = SK_NUM + 1, SK_NOUNIT = SK_NUM + 2 };

/*
 * The per-VMA lines in the order show_smap() prints them (Linux 6.x), each
 * key in its 16-column field. A kernel with another order or set of keys only
 * costs a table scan per mismatch.
 */
static const struct {
	char col[16];   /* not NUL-terminated */
	signed char k;
} kline[] = {
	{ "Size:           ", SK_SIZE },
	{ "KernelPageSize: ", SK_SKIP },
	{ "MMUPageSize:    ", SK_SKIP },
	{ "Rss:            ", SK_RSS },
	{ "Pss:            ", SK_PSS },
	{ "Pss_Dirty:      ", SK_PSS_DIRTY },
	{ "Shared_Clean:   ", SK_SHARED_CLEAN },
	{ "Shared_Dirty:   ", SK_SHARED_DIRTY },
	{ "Private_Clean:  ", SK_PRIVATE_CLEAN },
	{ "Private_Dirty:  ", SK_PRIVATE_DIRTY },
	{ "Referenced:     ", SK_REFERENCED },
	{ "Anonymous:      ", SK_ANONYMOUS },
	{ "KSM:            ", SK_SKIP },
	{ "LazyFree:       ", SK_SKIP },
	{ "AnonHugePages:  ", SK_ANON_HUGE },
	{ "ShmemPmdMapped: ", SK_SHMEM_PMD },
	{ "FilePmdMapped:  ", SK_FILE_PMD },
	{ "Shared_Hugetlb: ", SK_SKIP },
	{ "Private_Hugetlb:", SK_SKIP },
	{ "Swap:           ", SK_SWAP },
	{ "SwapPss:        ", SK_SWAP_PSS },
	{ "Locked:         ", SK_LOCKED },
	{ "THPeligible:    ", SK_NOUNIT },  /* "%8u\n" */
	{ "ProtectionKey:  ", SK_NOUNIT },  /* only with memory protection keys */
};
#define NKLINE (sizeof kline / sizeof kline[0])
#define ALL_BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/* s[0..8) as a number whose byte 0 is the least significant, on any host. */
static inline uint64_t
load_le64(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	       (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 |
	       (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

/*
 * The kernel's "%8lu" field: s[0..8) must be spaces then at least one digit.
 * Decoded with a few multiplications instead of a loop: the spaces become
 * '0', then neighbouring digits are merged pairwise (bytes -> 16-bit lanes of
 * two digits -> 32-bit lanes of four -> eight). In the little-endian word,
 * byte 0 is the most significant digit.
 */
static inline bool
field8(const char *s, uint64_t *out)
{
	uint64_t w = load_le64(s), x;
	unsigned lead;

	if (w == UINT64_C(0x3020202020202020)) {
		*out = 0;  /* "       0", by far the most common field */
		return true;
	}
	x = w ^ ALL_BYTES(' ');
	if (x == 0)
		return false;
	lead = (unsigned)__builtin_ctzll(x) >> 3;  /* leading spaces, 0..7 */
	if (lead)
		w |= ALL_BYTES(0x10) & (~UINT64_C(0) >> (64 - 8 * lead));
	if ((w & ALL_BYTES(0xf0)) != ALL_BYTES(0x30) ||
	    ((w + ALL_BYTES(0x06)) & ALL_BYTES(0xf0)) != ALL_BYTES(0x30))
		return false;  /* not all digits */
	w -= ALL_BYTES('0');
	w = (w * 10 + (w >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
	w = (w * 100 + (w >> 16)) & UINT64_C(0x0000ffff0000ffff);
	w = (w * 10000 + (w >> 32)) & UINT64_C(0x00000000ffffffff);
	*out = w;
	return true;
}

static inline bool
col_is(const char *p, unsigned e)
{
	uint64_t a, b, x, y;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	memcpy(&x, kline[e].col, 8);
	memcpy(&y, kline[e].col + 8, 8);
	return a == x && b == y;
}

/*
 * The kernel's exact line at p, [p, end) holding at least 28 bytes. Returns
 * the start of the next line, having stored the value (when the key is used
 * and a mapping is open), or NULL with nothing stored: let slow_line decide.
 * Lines of unused keys are checked for shape, not stored; slow_line ignores
 * them as well.
 */
static inline const char *
fast_line(struct smaps_state *st, const char *p)
{
	unsigned e = st->expect;
	uint64_t x;
	int k;

	if (e >= NKLINE || !col_is(p, e)) {
		/* headers and VmFlags are never in the table: don't search for them */
		if (p[0] < 'A' || p[0] > 'Z' || p[0] == 'V')
			return NULL;
		for (e = 0; e < NKLINE && !col_is(p, e); e++)
			;
		if (e == NKLINE)
			return NULL;
	}
	st->expect = e + 1;
	/* the field must be digits even when unused: no newline may hide in it */
	if (!field8(p + 16, &x))
		return NULL;
	k = kline[e].k;
	if (k == SK_NOUNIT)
		return p[24] == '\n' ? p + 25 : NULL;
	if (p[27] != '\n' || p[24] != ' ' || p[25] != 'k' || p[26] != 'B')
		return NULL;
	if (k != SK_SKIP && st->cur != SIZE_MAX)
		store_key(st, k, x);  /* 8 digits: far below PU_KIB_MAX */
	return p + 28;
}

int
parse_smaps(const char *buf, size_t len, struct maplist *m)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *next;
	struct smaps_state st = { m, SIZE_MAX, { 0, 0, 0 }, 0 };

	maplist_clear(m);
	if (len == 0)
		return -ENODATA;
	while (pos < end) {
		next = end - pos >= 28 ? fast_line(&st, pos) : NULL;
		if (next) {
			pos = next;
			continue;
		}
		if (!pu_next_line(&pos, end, &ls, &le))
			break;
		if (le - ls >= 8 && memcmp(ls, "VmFlags:", 8) == 0)
			continue;  /* the last line of every VMA; unused */
		slow_line(&st, ls, le);
	}
	finish_mapping(&st);
	return m->n ? 0 : -EINVAL;
}
