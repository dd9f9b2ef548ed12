/*
 * Parsers for the system-wide files: /proc/swaps, /proc/pressure/memory and
 * /proc/meminfo.
 *
 * Invariants:
 *   - keys are matched by name; unknown keys and malformed lines are skipped;
 *   - a value that overflows is unavailable (known bit clear, or the swap
 *     line skipped), never wrapped;
 *   - derived values (M_USED, M_SWAP_USED) are set only when both inputs are
 *     known and the difference is not negative.
 */
#include "collect/parse.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "collect/parse_util.h"
#include "util/xalloc.h"

/* ---- /proc/swaps ---- */

/* Optional '-' then digits filling the whole token [p, e), within int. */
static bool
parse_int_token(const char *p, const char *e, int *out)
{
	bool neg = p < e && *p == '-';
	const char *after;
	uint64_t v;

	if (neg)
		p++;
	if (pu_digits(p, e, &v, &after) != 0 || after != e)
		return false;
	if (v > (neg ? (uint64_t)INT_MAX + 1 : (uint64_t)INT_MAX))
		return false;
	*out = neg ? (int)(-(int64_t)v) : (int)v;
	return true;
}

/* Splits [p, e) into at most max blank-separated tokens; returns the count. */
static int
split_tokens(const char *p, const char *e, const char **ts, const char **te, int max)
{
	int n = 0;

	for (p = pu_skip_blanks(p, e); p < e && n < max; p = pu_skip_blanks(p, e)) {
		ts[n] = p;
		p = pu_token_end(p, e);
		te[n++] = p;
	}
	return n;
}

/* "path type size used priority"; false when any part is missing or bad. */
static bool
swap_line(const char *ls, const char *le, struct swapdev *d)
{
	const char *ts[5], *te[5], *after;
	size_t tl;

	if (split_tokens(ls, le, ts, te, 5) != 5)
		return false;
	if (pu_digits(ts[2], te[2], &d->size_kib, &after) != 0 || after != te[2])
		return false;
	if (pu_digits(ts[3], te[3], &d->used_kib, &after) != 0 || after != te[3])
		return false;
	if (!pu_kib_ok(d->size_kib) || !pu_kib_ok(d->used_kib))
		return false;
	if (!parse_int_token(ts[4], te[4], &d->priority))
		return false;
	d->path[pu_unescape_octal(ts[0], te[0], d->path, sizeof d->path - 1)] = '\0';
	tl = (size_t)(te[1] - ts[1]);
	if (tl >= sizeof d->type)
		tl = sizeof d->type - 1;
	memcpy(d->type, ts[1], tl);
	d->type[tl] = '\0';
	return true;
}

int
parse_swaps(const char *buf, size_t len, struct swapdev **out, int *n)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	struct swapdev *v = NULL;
	int cnt = 0, cap = 0;
	bool header = false;

	*out = NULL;
	*n = 0;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		const char *p = pu_skip_blanks(ls, le);
		struct swapdev d;

		if (pu_token_end(p, le) - p == 8 && memcmp(p, "Filename", 8) == 0) {
			header = true;
			continue;
		}
		memset(&d, 0, sizeof d);
		if (!swap_line(ls, le, &d))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 4;
			v = xreallocarray(v, (size_t)cap, sizeof *v);
		}
		v[cnt++] = d;
	}
	if (!header && cnt == 0)
		return -EINVAL;
	*out = v;
	*n = cnt;
	return 0;
}

/* ---- /proc/pressure/memory ---- */

/* "12.34" -> 1234 (hundredths); extra decimals are truncated. */
static bool
parse_hundredths(const char *p, const char *e, uint32_t *out)
{
	uint64_t ip, frac = 0;
	int fd = 0;

	if (pu_digits(p, e, &ip, &p) != 0 || ip > UINT32_MAX / 100)
		return false;
	if (p < e && *p == '.') {
		p++;
		if (p == e || !pu_isdigit(*p))
			return false;
		for (; p < e && pu_isdigit(*p); p++, fd++) {
			if (fd < 2)
				frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (fd == 1)
			frac *= 10;
	}
	if (p != e || ip * 100 + frac > UINT32_MAX)
		return false;
	*out = (uint32_t)(ip * 100 + frac);
	return true;
}

/* The key=value tokens after "some"/"full"; true when all four were read. */
static bool
psi_line(const char *p, const char *le, struct psi_line *l)
{
	unsigned seen = 0;
	const char *te, *eq, *after;

	for (p = pu_skip_blanks(p, le); p < le; p = pu_skip_blanks(te, le)) {
		te = pu_token_end(p, le);
		eq = memchr(p, '=', (size_t)(te - p));
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - p);
		const char *v = eq + 1;

		if (kl == 5 && memcmp(p, "avg10", 5) == 0 && parse_hundredths(v, te, &l->avg10))
			seen |= 1;
		else if (kl == 5 && memcmp(p, "avg60", 5) == 0 && parse_hundredths(v, te, &l->avg60))
			seen |= 2;
		else if (kl == 6 && memcmp(p, "avg300", 6) == 0 &&
			 parse_hundredths(v, te, &l->avg300))
			seen |= 4;
		else if (kl == 5 && memcmp(p, "total", 5) == 0 &&
			 pu_digits(v, te, &l->total_us, &after) == 0 && after == te)
			seen |= 8;
	}
	return seen == 15;
}

int
parse_psi(const char *buf, size_t len, struct psi *out)
{
	const char *pos = buf, *end = buf + len, *ls, *le;

	memset(out, 0, sizeof *out);
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		struct psi_line l = { 0 };
		const char *p = pu_skip_blanks(ls, le);
		const char *te = pu_token_end(p, le);

		if (te - p != 4)
			continue;
		if (memcmp(p, "some", 4) == 0 && psi_line(te, le, &l)) {
			out->some = l;
			out->known = true;
		} else if (memcmp(p, "full", 4) == 0 && psi_line(te, le, &l)) {
			out->full = l;
			out->full_known = true;
		}
	}
	return (out->known || out->full_known) ? 0 : -EINVAL;
}

/* ---- /proc/meminfo ---- */

static const struct {
	const char *key;
	enum mem_field f;
} mem_keys[] = {
	{ "MemTotal", M_TOTAL },
	{ "MemFree", M_FREE },
	{ "MemAvailable", M_AVAILABLE },
	{ "Buffers", M_BUFFERS },
	{ "Cached", M_CACHED },
	{ "Shmem", M_SHMEM },
	{ "Slab", M_SLAB },
	{ "SReclaimable", M_SLAB_RECLAIM },
	{ "AnonPages", M_ANON },
	{ "Mapped", M_MAPPED },
	{ "PageTables", M_PAGE_TABLES },
	{ "Committed_AS", M_COMMITTED },
	{ "CommitLimit", M_COMMIT_LIMIT },
	{ "SwapTotal", M_SWAP_TOTAL },
	{ "SwapFree", M_SWAP_FREE },
	{ "SwapCached", M_SWAP_CACHED },
	{ "Dirty", M_DIRTY },
	{ "HugePages_Total", M_HUGE_TOTAL },
	{ "HugePages_Free", M_HUGE_FREE },
	{ "Hugepagesize", M_HUGE_SIZE },
	{ "AnonHugePages", M_THP },
};

static int
mem_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof mem_keys / sizeof mem_keys[0]; i++) {
		if (strlen(mem_keys[i].key) == n && memcmp(mem_keys[i].key, k, n) == 0)
			return (int)mem_keys[i].f;
	}
	return -1;
}

static bool
mem_has(const struct sysmem *s, enum mem_field f)
{
	return s->known & (1u << f);
}

static void
derive(struct sysmem *s, enum mem_field out, enum mem_field a, enum mem_field b)
{
	if (mem_has(s, a) && mem_has(s, b) && s->val[a] >= s->val[b]) {
		s->val[out] = s->val[a] - s->val[b];
		s->known |= 1u << out;
	}
}

/* Rebuilds s->val/s->known for the meminfo fields; swaps, psi, nodes untouched. */
int
parse_meminfo(const char *buf, size_t len, struct sysmem *s)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *colon, *p;
	int found = 0;

	s->known = 0;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		uint64_t v;

		colon = memchr(ls, ':', (size_t)(le - ls));
		if (!colon)
			continue;
		int f = mem_key(ls, (size_t)(colon - ls));
		if (f < 0)
			continue;
		found++;
		s->known &= ~(1u << f);  /* a later bad duplicate makes it unavailable */
		p = pu_skip_blanks(colon + 1, le);
		if (pu_digits(p, le, &v, &p) != 0)
			continue;
		if (pu_unit_kb(p, le) ? !pu_kib_ok(v) : pu_skip_blanks(p, le) != le)
			continue;
		s->val[f] = v;
		s->known |= 1u << f;
	}
	derive(s, M_USED, M_TOTAL, M_AVAILABLE);
	derive(s, M_SWAP_USED, M_SWAP_TOTAL, M_SWAP_FREE);
	return found ? 0 : -EINVAL;
}

int
parse_boot_id(const char *buf, size_t len, char out[BOOT_ID_LEN + 1])
{
	out[0] = '\0';
	if (!len)
		return -ENODATA;
	if (len == BOOT_ID_LEN + 1 && buf[BOOT_ID_LEN] == '\n')
		len--;
	if (len != BOOT_ID_LEN)
		return -EINVAL;
	for (size_t i = 0; i < BOOT_ID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = buf[i];
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -EINVAL;
	}
	memcpy(out, buf, BOOT_ID_LEN);
	out[BOOT_ID_LEN] = '\0';
	return 0;
}
