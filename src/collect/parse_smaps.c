/*
 * The parser of /proc/<pid>/smaps: its lines and the list they make. The
 * fast path is parse_smaps_fast.c, the keys (and smaps_rollup) parse_rollup.c.
 *
 * smaps is the one large file smaptop reads: 50,000 mappings give about 37 MB,
 * which the kernel takes ~50 ms of system time to produce here. The parser
 * must stay a small fraction of that (see tests/bench/smaps_parse_bench.c).
 * It is incremental: the collector feeds the file in fixed-size pieces as it
 * reads them, so memory holds the maplist, never the text. Only a line split
 * between two pieces is copied (into the parser's carry), then parsed on its
 * own; every other line is parsed where it was read. There are two paths:
 *   - smaps_fast_lines: the kernel's own fixed-width "Key:  %8lu kB" lines, keys
 *     predicted in the kernel's order and checked with two word compares, the
 *     number decoded without a loop, stored through a slot table; no newline
 *     search;
 *   - slow_line: anything else, one line at a time (memchr), keys dispatched
 *     on length then compared with a constant-size memcmp, hand-rolled digit
 *     loops. It defines the semantics; the fast path only takes lines for
 *     which both give the same result.
 * No stdio, no locale, no allocation per mapping (the maplist, packed,
 * grows by doubling and keeps its capacity across refreshes; a path equal to
 * the one before it is shared, not copied).
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
#include "collect/parse_smaps.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "collect/parse_util.h"
#include "util/xalloc.h"

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
 * Closes the open mapping: stores its values, MF_THP computed, adds them to
 * the totals and the mapping to the list.
 */
static void
finish_mapping(struct smaps_parser *sp)
{
	struct maplist *m = sp->m;
	struct mapping *mp = &sp->cur;

	if (!sp->open)
		return;
	sp->open = false;
	sp->slot[MF_THP] = pu_add_sat(pu_add_sat(sp->slot[SLOT_THP_ANON], sp->slot[SLOT_THP_SHMEM]),
				      sp->slot[SLOT_THP_FILE]);
	memcpy(mp->val, sp->slot, sizeof mp->val);
	mp->unknown = 0;
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
	maplist_add(m, mp);
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
 * one (parsed aside, kept only once valid). A header's first token holds no
 * colon, so a line that parses as a header is never a key line.
 */
static bool
try_header(struct smaps_parser *sp, const char *ls, const char *le)
{
	struct mapping h;
	const char *path;
	size_t plen;

	memset(&h, 0, sizeof h);
	if (!parse_header(ls, le, &h, &path, &plen))
		return false;
	finish_mapping(sp);
	set_path(sp, &h, path, plen);
	sp->cur = h;
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
	k = smaps_key_line(ls, le, &vp);
	if (k == SK_NUM) {
		finish_mapping(sp);  /* neither key nor header: following keys are dropped */
		return;
	}
	if (k == SK_NONE || !sp->open)
		return;
	if (smaps_kib_value(vp, le, &x) == 0) {
		sp->bad &= ~(1u << sk_slot[k]);
	} else {
		x = 0;  /* unavailable: marked, not summed */
		sp->bad |= 1u << sk_slot[k];
	}
	sp->slot[sk_slot[k]] = x;
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
		next = smaps_fast_lines(sp, pos, end);
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
		struct mapping mp;

		maplist_get(&m, 0, &mp);
		memcpy(val, mp.val, MF_NUM * sizeof *val);
		val[MF_SIZE] = 0;
		*known = (uint16_t)(((1u << MF_NUM) - 1) & ~MF_BIT(MF_SIZE) & ~mp.unknown);
	}
	maplist_fini(&m);
	return rc;
}
