/*
 * Parsers for /proc/<pid>/smaps and /proc/<pid>/smaps_rollup.
 *
 * smaps is the one large file smaptop reads: 50,000 mappings give about 37 MB,
 * which the kernel takes ~50 ms of system time to produce here. The parser
 * must stay a small fraction of that (see tests/bench/smaps_parse_bench.c).
 * It is incremental: the collector feeds the file in fixed-size pieces as it
 * reads them, so memory holds the maplist, never the text. Only a line split
 * between two pieces is copied (into the parser's carry), then parsed on its
 * own; every other line is parsed where it was read. There are two paths:
 *   - fast_lines: the kernel's own fixed-width "Key:  %8lu kB" lines, keys
 *     predicted in the kernel's order and checked with two word compares, the
 *     number decoded without a loop, stored through a slot table; no newline
 *     search;
 *   - slow_line: anything else, one line at a time (memchr), keys dispatched
 *     on length then compared with a constant-size memcmp, hand-rolled digit
 *     loops. It defines the semantics; the fast path only takes lines for
 *     which both give the same result.
 * No stdio, no locale, no allocation per mapping (the maplist grows by
 * doubling and keeps its capacity across refreshes; a path equal to the one
 * before it is shared, not copied).
 *
 * Invariants:
 *   - a line is either "Key: value", a mapping header
 *     ("start-end perms offset major:minor inode [path]"), or ignored;
 *   - key lines before the first header, or after a line that is neither,
 *     belong to no mapping and are dropped;
 *   - every recognised key is in kB; a value that is not a number, overflows,
 *     or whose byte count would not fit in 64 bits, is unavailable: its bit
 *     is set in the mapping's `unknown` (the value is 0) and in the list's
 *     total_partial, and it is not summed. A later good value of the same
 *     key in the same mapping replaces it, on both paths;
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

/*
 * Where each key's value goes in smaps_parser.slot[]: its map field, one of
 * the three parts of MF_THP, or the sink for keys smaptop reads but does not
 * keep per mapping. Storing through this table needs no branch per key.
 */
enum {
	SLOT_THP_ANON = MF_NUM,  /* AnonHugePages */
	SLOT_THP_SHMEM,          /* ShmemPmdMapped */
	SLOT_THP_FILE,           /* FilePmdMapped */
	SLOT_SINK,
};
_Static_assert(SLOT_SINK + 1 == SMAPS_SLOTS, "parse.h sizes smaps_parser.slot");

static const unsigned char sk_slot[SK_NUM] = {
	[SK_SIZE] = MF_SIZE,
	[SK_RSS] = MF_RSS,
	[SK_PSS] = MF_PSS,
	[SK_PSS_DIRTY] = MF_PSS_DIRTY,
	[SK_PSS_ANON] = SLOT_SINK,
	[SK_PSS_FILE] = SLOT_SINK,
	[SK_PSS_SHMEM] = SLOT_SINK,
	[SK_SHARED_CLEAN] = MF_SHARED_CLEAN,
	[SK_SHARED_DIRTY] = MF_SHARED_DIRTY,
	[SK_PRIVATE_CLEAN] = MF_PRIVATE_CLEAN,
	[SK_PRIVATE_DIRTY] = MF_PRIVATE_DIRTY,
	[SK_REFERENCED] = MF_REFERENCED,
	[SK_ANONYMOUS] = MF_ANONYMOUS,
	[SK_ANON_HUGE] = SLOT_THP_ANON,
	[SK_SHMEM_PMD] = SLOT_THP_SHMEM,
	[SK_FILE_PMD] = SLOT_THP_FILE,
	[SK_SWAP] = MF_SWAP,
	[SK_SWAP_PSS] = MF_SWAP_PSS,
	[SK_LOCKED] = MF_LOCKED,
};

/* Hex digit value + 1 of every byte, 0 for a byte that is not one: no branch per digit. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * pu_hex(p, end, ...) for a p inside a line whose end, *end, is the '\r' or
 * '\n' that ended it: that byte stops the digits, so the loop needs no bounds
 * test. A table lookup per digit, the overflow test after the loop: the same
 * results. A run of more than 16 digits (leading zeros are allowed) is left
 * to pu_hex.
 */
static inline int
hex_run(const char *p, const char *end, uint64_t *out, const char **after)
{
	const char *s = p;
	uint64_t v = 0;
	unsigned d;

	while ((d = hex1[(unsigned char)*p]) != 0) {
		v = (v << 4) | (d - 1);
		p++;
	}
	if (p - s > 16)
		return pu_hex(s, end, out, after);
	*after = p;
	if (p == s)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * Parses a header line "start-end perms offset major:minor inode [path]" into
 * *mp, and the path's bounds into *path and *plen. False if the line is not
 * one. *le is the line's '\r' or '\n' (see hex_run).
 */
static bool
parse_header(const char *p, const char *le, struct mapping *mp, const char **path, size_t *plen)
{
	uint64_t maj, min;

	if (hex_run(p, le, &mp->start, &p) != 0 || p == le || *p != '-')
		return false;
	if (hex_run(p + 1, le, &mp->end, &p) != 0 || p == le || *p != ' ' || mp->end < mp->start)
		return false;
	p = pu_skip_blanks(p, le);
	if (le - p < 5 || !pu_isblank(p[4]))
		return false;
	memcpy(mp->perms, p, 4);
	mp->perms[4] = '\0';
	p = pu_skip_blanks(p + 4, le);
	if (hex_run(p, le, &mp->offset, &p) != 0 || p == le || !pu_isblank(*p))
		return false;
	p = pu_skip_blanks(p, le);
	if (hex_run(p, le, &maj, &p) != 0 || p == le || *p != ':' || maj > UINT32_MAX)
		return false;
	if (hex_run(p + 1, le, &min, &p) != 0 || p == le || !pu_isblank(*p) || min > UINT32_MAX)
		return false;
	mp->dev_major = (uint32_t)maj;
	mp->dev_minor = (uint32_t)min;
	p = pu_skip_blanks(p, le);
	if (pu_digits(p, le, &mp->inode, &p) != 0 || (p < le && !pu_isblank(*p)))
		return false;
	/* the kernel pads to the path with up to ~25 spaces: skip whole words of them first */
	while (le - p >= 8 && memcmp(p, "        ", 8) == 0)
		p += 8;
	p = pu_skip_blanks(p, le);
	*path = p;
	*plen = (size_t)(le - p);
	return true;
}

/*
 * Closes the open mapping (the list's last): stores its values, MF_THP
 * computed, and adds them to the totals.
 */
static void
finish_mapping(struct smaps_parser *sp)
{
	struct maplist *m = sp->m;
	struct mapping *mp;

	if (!sp->open)
		return;
	sp->open = false;
	sp->slot[MF_THP] = pu_add_sat(pu_add_sat(sp->slot[SLOT_THP_ANON], sp->slot[SLOT_THP_SHMEM]),
				      sp->slot[SLOT_THP_FILE]);
	mp = &m->v[m->n - 1];
	memcpy(mp->val, sp->slot, sizeof mp->val);
	if (sp->bad) {
		/* the slots below MF_NUM are the map fields themselves */
		mp->unknown = (uint16_t)(sp->bad & ((1u << MF_NUM) - 1));
		if (sp->bad & (1u << SLOT_THP_ANON | 1u << SLOT_THP_SHMEM | 1u << SLOT_THP_FILE))
			mp->unknown |= MF_BIT(MF_THP);
		for (int f = 0; f < MF_NUM; f++) {
			if (mp->unknown & MF_BIT(f))
				mp->val[f] = 0;
		}
		m->total_partial |= mp->unknown;
	}
	for (int f = 0; f < MF_NUM; f++)
		m->total[f] = pu_add_sat(m->total[f], mp->val[f]);
}

/* Makes room for n more bytes in m's path arena; false if it would pass 4 GiB. */
static bool
arena_room(struct maplist *m, size_t n)
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
	return true;
}

/*
 * Sets mp's path and class. The kernel writes a newline in a file's name as
 * "\012" (and nothing else escaped): a path holding a backslash is decoded
 * with the one octal decoder (parse_util.h) straight into the arena, so the
 * list holds the name's real bytes and escaping for display is util/escape.c's
 * alone. Mappings of one file come in runs (a library's text, data and bss),
 * so a path equal to the one stored last is shared, not copied, and keeps its
 * class when the shared bit of perms (the only other input of map_classify) is
 * the same. Paths are left out (path_len 0, class kept) if the arena would
 * pass 4 GiB.
 */
static void
set_path(struct smaps_parser *sp, struct mapping *mp, const char *path, size_t plen)
{
	struct maplist *m = sp->m;
	bool shared = mp->perms[3] == 's';
	bool decoded = false;

	if (plen && memchr(path, '\\', plen)) {
		if (!arena_room(m, plen)) {
			mp->cls = (uint8_t)map_classify(path, plen, mp->perms, mp->inode);
			return;
		}
		plen = pu_unescape_octal(path, path + plen, m->strings + m->str_len, plen);
		path = m->strings + m->str_len;  /* not yet committed: m->str_len stays */
		decoded = true;
	}
	if (plen && plen == sp->last_len && memcmp(m->strings + sp->last_off, path, plen) == 0) {
		mp->path_off = sp->last_off;
		mp->path_len = sp->last_len;
		mp->cls = shared == sp->last_shared ? sp->last_cls
			: (uint8_t)map_classify(path, plen, mp->perms, mp->inode);
		sp->last_shared = shared;
		sp->last_cls = mp->cls;
		return;
	}
	mp->cls = (uint8_t)map_classify(path, plen, mp->perms, mp->inode);
	if (plen == 0 || (!decoded && !arena_room(m, plen)))
		return;
	if (!decoded)
		memcpy(m->strings + m->str_len, path, plen);
	mp->path_off = (uint32_t)m->str_len;
	mp->path_len = (uint32_t)plen;
	m->str_len += plen;
	sp->last_off = mp->path_off;
	sp->last_len = mp->path_len;
	sp->last_shared = shared;
	sp->last_cls = mp->cls;
}

/*
 * If [ls, le) is a mapping header, closes the open mapping and opens a new
 * one at the end of the list (parsed in place, counted only once valid). A
 * header's first token holds no colon, so a line that parses as a header is
 * never a key line.
 */
static bool
try_header(struct smaps_parser *sp, const char *ls, const char *le)
{
	struct maplist *m = sp->m;
	struct mapping *mp;
	const char *path;
	size_t plen;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	mp = &m->v[m->n];
	memset(mp, 0, sizeof *mp);  /* padding too: lists compare bytewise */
	if (!parse_header(ls, le, mp, &path, &plen))
		return false;
	finish_mapping(sp);
	set_path(sp, mp, path, plen);
	m->n++;
	memset(sp->slot, 0, sizeof sp->slot);
	sp->bad = 0;
	sp->open = true;
	sp->expect = 0;
	return true;
}

/*
 * One whole line [ls, le), any shape: a key, a header, or something to
 * ignore. *le is the '\r' or '\n' that ended it.
 */
static void
slow_line(struct smaps_parser *sp, const char *ls, const char *le)
{
	const char *vp;
	uint64_t x;
	int k;

	if (ls < le && hex1[(unsigned char)*ls] && try_header(sp, ls, le))
		return;
	k = key_line(ls, le, &vp);
	if (k == SK_NUM) {
		finish_mapping(sp);  /* neither key nor header: following keys are dropped */
		return;
	}
	if (k == SK_NONE || !sp->open)
		return;
	if (kib_value(vp, le, &x) == 0) {
		sp->bad &= ~(1u << sk_slot[k]);
	} else {
		x = 0;  /* unavailable: marked, not summed */
		sp->bad |= 1u << sk_slot[k];
	}
	sp->slot[sk_slot[k]] = x;
}

/*
 * ---- fast path ----
 * Nearly every line the kernel writes is a key padded to 16 columns, "%8lu"
 * and " kB\n": 28 bytes. fast_lines recognises exactly that shape, with the
 * keys in the kernel's order, using word compares and no byte loop; anything
 * else (headers, VmFlags, tabs, CRLF, values of 9+ digits, another layout, the
 * end of the buffer) falls back to slow_line, which gives the same result for
 * every line the fast path accepts.
 */

/*
 * The per-VMA lines in the order show_smap() prints them (Linux 6.x), each
 * key in its 16-column field, and the slot its value goes to. A kernel with
 * another order or set of keys only costs a table scan per mismatch.
 */
static const struct kline_ent {
	char col[16];   /* not NUL-terminated */
	unsigned char slot;
	bool nounit;    /* "%8u\n", no " kB": read for its shape only */
} kline[] = {
	{ "Size:           ", MF_SIZE, false },
	{ "KernelPageSize: ", SLOT_SINK, false },
	{ "MMUPageSize:    ", SLOT_SINK, false },
	{ "Rss:            ", MF_RSS, false },
	{ "Pss:            ", MF_PSS, false },
	{ "Pss_Dirty:      ", MF_PSS_DIRTY, false },
	{ "Shared_Clean:   ", MF_SHARED_CLEAN, false },
	{ "Shared_Dirty:   ", MF_SHARED_DIRTY, false },
	{ "Private_Clean:  ", MF_PRIVATE_CLEAN, false },
	{ "Private_Dirty:  ", MF_PRIVATE_DIRTY, false },
	{ "Referenced:     ", MF_REFERENCED, false },
	{ "Anonymous:      ", MF_ANONYMOUS, false },
	{ "KSM:            ", SLOT_SINK, false },
	{ "LazyFree:       ", SLOT_SINK, false },
	{ "AnonHugePages:  ", SLOT_THP_ANON, false },
	{ "ShmemPmdMapped: ", SLOT_THP_SHMEM, false },
	{ "FilePmdMapped:  ", SLOT_THP_FILE, false },
	{ "Shared_Hugetlb: ", SLOT_SINK, false },
	{ "Private_Hugetlb:", SLOT_SINK, false },
	{ "Swap:           ", MF_SWAP, false },
	{ "SwapPss:        ", MF_SWAP_PSS, false },
	{ "Locked:         ", MF_LOCKED, false },
	{ "THPeligible:    ", SLOT_SINK, true },
	{ "ProtectionKey:  ", SLOT_SINK, true },  /* only with memory protection keys */
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
	if ((w & UINT64_C(0x00ffffffffffffff)) == UINT64_C(0x0020202020202020) &&
	    (unsigned char)((w >> 56) - '0') < 10) {
		*out = (w >> 56) - '0';  /* one digit: every KernelPageSize and MMUPageSize */
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
col_is(const char *p, const struct kline_ent *k)
{
	uint64_t a, b, x, y;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	memcpy(&x, k->col, 8);
	memcpy(&y, k->col + 8, 8);
	return a == x && b == y;
}

/*
 * The kernel's exact lines from p on, as long as they come: stores their
 * values in their slots and returns where the first line it did not take
 * begins (p itself when none), for slow_line to decide. A line is only taken
 * whole, with its 28 (THPeligible: 25) bytes inside [p, end). Values are
 * stored even with no mapping open: the slots are cleared when the next one
 * opens, and slow_line would drop them as well.
 */
static inline const char *
fast_lines(struct smaps_parser *sp, const char *p, const char *end)
{
	const struct kline_ent *k = kline + sp->expect, *kend = kline + NKLINE;
	uint32_t tail;
	uint64_t x;

	while (end - p >= 28) {
		if (k == kend || !col_is(p, k)) {
			/* headers and VmFlags are never in the table: don't search for them */
			if (p[0] < 'A' || p[0] > 'Z' || p[0] == 'V')
				break;
			for (k = kline; k < kend && !col_is(p, k); k++)
				;
			if (k == kend)
				break;
		}
		/* the field must be digits even when unused: no newline may hide in it */
		if (!field8(p + 16, &x))
			break;
		if (k->nounit) {
			if (p[24] != '\n')
				break;
			p += 25;
		} else {
			memcpy(&tail, p + 24, 4);
			if (memcmp(&tail, " kB\n", 4) != 0)
				break;
			sp->slot[k->slot] = x;  /* 8 digits: far below PU_KIB_MAX */
			sp->bad &= ~(1u << k->slot);
			p += 28;
		}
		k++;
	}
	sp->expect = (unsigned)(k - kline);
	return p;
}

/*
 * Parses the complete lines of [pos, end) and returns where the unterminated
 * rest begins (end when there is none).
 */
static const char *
smaps_lines(struct smaps_parser *sp, const char *pos, const char *end)
{
	const char *next, *nl, *le;

	while (pos < end) {
		next = fast_lines(sp, pos, end);
		if (next != pos) {
			pos = next;
			continue;
		}
		nl = memchr(pos, '\n', (size_t)(end - pos));
		if (!nl)
			break;
		le = nl > pos && nl[-1] == '\r' ? nl - 1 : nl;
		if (le - pos < 8 || memcmp(pos, "VmFlags:", 8) != 0)  /* the last line of a VMA; unused */
			slow_line(sp, pos, le);
		pos = nl + 1;
	}
	return pos;
}

void
smaps_begin(struct smaps_parser *sp, struct maplist *m)
{
	memset(sp, 0, sizeof *sp);
	sp->m = m;
	maplist_clear(m);
}

void
smaps_feed(struct smaps_parser *sp, const char *buf, size_t len)
{
	const char *end = buf + len, *rest;

	sp->fed += len;
	if (sp->carry.len) {
		/* complete the line the last piece ended in, and parse it on its own */
		const char *nl = memchr(buf, '\n', len);

		if (!nl) {
			buf_put(&sp->carry, buf, len);
			return;
		}
		buf_put(&sp->carry, buf, (size_t)(nl + 1 - buf));
		smaps_lines(sp, sp->carry.data, sp->carry.data + sp->carry.len);
		buf_clear(&sp->carry);
		buf = nl + 1;
	}
	rest = smaps_lines(sp, buf, end);
	if (rest < end)
		buf_put(&sp->carry, rest, (size_t)(end - rest));
}

int
smaps_end(struct smaps_parser *sp)
{
	finish_mapping(sp);  /* an unterminated last line (in the carry) is dropped */
	buf_fini(&sp->carry);
	if (sp->fed == 0)
		return -ENODATA;
	return sp->m->n ? 0 : -EINVAL;
}

int
parse_smaps(const char *buf, size_t len, struct maplist *m)
{
	struct smaps_parser sp;

	smaps_begin(&sp, m);
	smaps_feed(&sp, buf, len);
	return smaps_end(&sp);
}

int
parse_smaps_totals(const char *buf, size_t len, uint64_t val[MF_NUM], uint16_t *known)
{
	struct maplist m;
	int rc;

	*known = 0;
	memset(val, 0, MF_NUM * sizeof *val);
	maplist_init(&m);
	rc = parse_smaps(buf, len, &m);
	if (rc == 0 && m.n != 1)
		rc = -EINVAL;
	if (rc == 0) {
		memcpy(val, m.v[0].val, MF_NUM * sizeof *val);
		val[MF_SIZE] = 0;
		*known = (uint16_t)(((1u << MF_NUM) - 1) & ~MF_BIT(MF_SIZE) & ~m.v[0].unknown);
	}
	maplist_fini(&m);
	return rc;
}
