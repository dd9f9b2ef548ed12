/*
 * Small inline helpers shared by the parsers in collect/parse_*.c: a line
 * iterator, a decimal digit loop, the range rule for KiB values. Internal to
 * collect/; nothing outside it includes this.
 *
 * Invariants:
 *   - never read outside [p, end); buffers need not be NUL-terminated;
 *   - a line is only produced when its '\n' is inside the buffer: an
 *     unterminated tail is a line truncated mid-way and is skipped;
 *   - a trailing '\r' is not part of the line (CRLF files are accepted);
 *   - numbers never wrap: overflow is reported as -ERANGE.
 * No locale, no stdio, no allocation.
 */
#ifndef SMAPTOP_PARSE_UTIL_H
#define SMAPTOP_PARSE_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Largest KiB value whose byte count still fits in 64 bits. */
#define PU_KIB_MAX (UINT64_MAX / 1024)

/*
 * The one range rule for a KiB value the kernel gave (status, smaps and its
 * rollup, meminfo, swaps, node meminfo, numa_maps' pages times page size,
 * the kernel log's and knobs' kB values): it is in range while its byte
 * count fits in 64 bits, else it is unavailable. How that is marked is the
 * caller's, as its model has it, and differs on purpose: a field's known
 * bit (procs.c, node meminfo), a mapping's unknown mask (parse_smaps.c), or
 * the whole numa_maps reading, whose node sums would otherwise look whole
 * (parse_numa.c).
 */
static inline bool
pu_kib_ok(uint64_t kib)
{
	return kib <= PU_KIB_MAX;
}

static inline bool
pu_isdigit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline bool
pu_isblank(char c)
{
	return c == ' ' || c == '\t';
}

static inline const char *
pu_skip_blanks(const char *p, const char *end)
{
	while (p < end && pu_isblank(*p))
		p++;
	return p;
}

/* End of the token starting at p: the first blank or end. */
static inline const char *
pu_token_end(const char *p, const char *end)
{
	while (p < end && !pu_isblank(*p))
		p++;
	return p;
}

/*
 * Produces the next complete line of [*pos, end) as [*ls, *le) without its
 * '\n' (and without a '\r' before it) and moves *pos past it. Returns false
 * when no complete line is left (an unterminated tail is dropped).
 */
static inline bool
pu_next_line(const char **pos, const char *end, const char **ls, const char **le)
{
	const char *p = *pos;
	const char *nl;

	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl) {
		*pos = end;
		return false;
	}
	*ls = p;
	*le = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
	*pos = nl + 1;
	return true;
}

/*
 * Decimal digits at p (no blank skipping). On success stores the value,
 * returns 0 and sets *after past the digits. -EINVAL: no digit at p (*after
 * = p). -ERANGE: more than 64 bits (*after still past all the digits, so a
 * caller can go on with the next field).
 */
static inline int
pu_digits(const char *p, const char *end, uint64_t *out, const char **after)
{
	const char *s = p;
	uint64_t v = 0;
	bool over = false;

	while (p < end && pu_isdigit(*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (v >= UINT64_MAX / 10 && (v > UINT64_MAX / 10 || d > UINT64_MAX % 10))
			over = true;
		v = v * 10 + d;
		p++;
	}
	*after = p;
	if (p == s)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Value of hex digit c, or -1. Accepts both cases. */
static inline int
pu_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Hex digits at p, as pu_digits. Used for addresses, offsets and device
 * numbers in smaps headers.
 */
static inline int
pu_hex(const char *p, const char *end, uint64_t *out, const char **after)
{
	const char *s = p;
	uint64_t v = 0;
	bool over = false;
	int d;

	while (p < end && (d = pu_hexval(*p)) >= 0) {
		if (v >> 60)
			over = true;
		v = (v << 4) | (unsigned)d;
		p++;
	}
	*after = p;
	if (p == s)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * After a number: true when the rest of the line [p, end) says "kB" (blanks
 * around it allowed). Anything else (nothing, another word) is false.
 */
static inline bool
pu_unit_kb(const char *p, const char *end)
{
	p = pu_skip_blanks(p, end);
	if (end - p < 2 || p[0] != 'k' || p[1] != 'B')
		return false;
	return pu_skip_blanks(p + 2, end) == end;
}

static inline bool
pu_isoctal(char c)
{
	return c >= '0' && c <= '7';
}

/*
 * Copies [p, e) into dst (room for cap bytes, not NUL-terminated), undoing
 * the kernel's "\ooo" octal escapes (seq_escape: /proc/swaps, and the "\012"
 * of a newline in a mapped file's name in maps, smaps and numa_maps). A
 * backslash not followed by three octal digits, the first 0..3, is kept as
 * is. Bytes beyond cap are dropped. Returns the bytes written, never more
 * than e - p.
 */
static inline size_t
pu_unescape_octal(const char *p, const char *e, char *dst, size_t cap)
{
	size_t n = 0;

	while (p < e && n < cap) {
		if (*p == '\\' && e - p >= 4 && pu_isoctal(p[1]) && pu_isoctal(p[2]) &&
		    pu_isoctal(p[3]) && p[1] <= '3') {
			dst[n++] = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 4;
		} else {
			dst[n++] = *p++;
		}
	}
	return n;
}

/* Saturating addition: totals never wrap. */
static inline uint64_t
pu_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif
