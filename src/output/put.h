/*
 * Writing text straight into room reserved in a buf: decimal two digits at a
 * time, hex sized from the leading zero count, padding as printf's "%*s" and
 * "%-*s". For outputs with rows by the hundred thousand (maps_out.c), where a
 * printf or buf call per field would cost more than reading the data. Each
 * writer takes where to write and returns the end; the caller reserves
 * enough room first (put_begin) and commits it after (put_end).
 */
#ifndef SMAPTOP_OUTPUT_PUT_H
#define SMAPTOP_OUTPUT_PUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"

static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes v in decimal at p; returns the end. */
static inline char *
put_dec(char *p, uint64_t v)
{
	char tmp[20], *t = tmp + sizeof tmp;
	size_t n;

	if (v < 10) {
		*p = (char)('0' + v);  /* most values of a mapping are 0 or one digit */
		return p + 1;
	}
	while (v >= 100) {
		t -= 2;
		memcpy(t, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, digits2 + 2 * v, 2);
	} else {
		*--t = (char)('0' + v);
	}
	n = (size_t)(tmp + sizeof tmp - t);
	memcpy(p, t, n);
	return p + n;
}

static inline char *
put_sdec(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return put_dec(p, (uint64_t)-(v + 1) + 1);
	}
	return put_dec(p, (uint64_t)v);
}

/* Writes v in lower-case hex, at least min digits; returns the end. */
static inline char *
put_hex(char *p, uint64_t v, int min)
{
	int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;

	if (n < min)
		n = min;
	for (int i = n - 1; i >= 0; i--, v >>= 4)
		p[i] = "0123456789abcdef"[v & 15];
	return p + n;
}

static inline char *
put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* Reserves room bytes at the end of b and returns where they start. */
static inline char *
put_begin(struct buf *b, size_t room)
{
	buf_reserve(b, room);
	return b->data + b->len;
}

/* Ends what was written since put_begin at p (inside the reserved room). */
static inline void
put_end(struct buf *b, char *p)
{
	b->len = (size_t)(p - b->data);
	b->data[b->len] = '\0';
}

/* Writes s[0..n) right-aligned in w columns (as "%*s"); returns the end. */
static inline char *
put_right(char *p, const char *s, size_t n, size_t w)
{
	if (n < w) {
		memset(p, ' ', w - n);
		p += w - n;
	}
	return put_str(p, s, n);
}

/* The same, left-aligned (as "%-*s"). */
static inline char *
put_left(char *p, const char *s, size_t n, size_t w)
{
	p = put_str(p, s, n);
	if (n < w) {
		memset(p, ' ', w - n);
		p += w - n;
	}
	return p;
}

#endif
