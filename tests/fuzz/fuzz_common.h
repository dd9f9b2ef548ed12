/*
 * Shared helpers of the libFuzzer harnesses in tests/fuzz/ (see run.sh).
 *
 * Every parser takes (buf, len) with no NUL terminator, so each call gets its
 * own exactly-sized heap copy: one byte past the end is a redzone and ASan
 * reports any over-read. Invariant failures abort() with a message, which
 * libFuzzer records as a crash with the input that caused it.
 */
#ifndef SMAPTOP_FUZZ_COMMON_H
#define SMAPTOP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/proc.h"

#define FUZZ_CHECK(cond)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,       \
				__LINE__, #cond);                                         \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* Exactly-sized heap copy (malloc(0) is a zero-byte allocation under ASan). */
static inline char *
fz_dup(const void *p, size_t n)
{
	char *c = malloc(n);

	if (!c && !n)
		c = malloc(1);
	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

/* Length up to and including the last '\n' (0 if none): the complete lines. */
static inline size_t
fz_complete_len(const char *p, size_t n)
{
	while (n && p[n - 1] != '\n')
		n--;
	return n;
}

static inline int
fz_has_cr(const char *p, size_t n)
{
	return memchr(p, '\r', n) != NULL;
}

/* Exactly-sized copy with every "\n" turned into "\r\n"; *outn gets the length. */
static inline char *
fz_crlf(const char *p, size_t n, size_t *outn)
{
	size_t nl = 0, j = 0;

	for (size_t i = 0; i < n; i++)
		nl += p[i] == '\n';
	char *c = malloc(n + nl ? n + nl : 1);
	if (!c)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			c[j++] = '\r';
		c[j++] = p[i];
	}
	*outn = j;
	return c;
}

static inline uint64_t
fz_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Largest KiB value whose byte count fits in 64 bits (parse_util.h's PU_KIB_MAX). */
#define FZ_KIB_MAX (UINT64_MAX / 1024)

/*
 * Two parses of the same input in two forms (whole and its complete lines, or
 * LF and CRLF) gave the same: rc, and the fields of mask known with the same
 * values.
 */
static inline void
fz_same_fields(const struct proc *a, int ra, const struct proc *b, int rb, uint64_t mask)
{
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK((a->known & mask) == (b->known & mask));
	for (int f = 0; f < F_NUM; f++) {
		if ((mask & FIELD_BIT(f)) && proc_has(a, (enum field)f))
			FUZZ_CHECK(proc_val(a, (enum field)f) == proc_val(b, (enum field)f));
	}
}

/*
 * A parser into struct proc, run by a harness: parses the n bytes at d into
 * *p, prefilled from seed so that fields it must not touch are recognisable;
 * returns its rc.
 */
typedef int (*fz_proc_run)(const char *d, size_t n, struct proc *p, uint64_t seed);

/*
 * The parse of d, of its complete lines only (a truncated last line is
 * ignored) and of its CRLF form give the same (fz_same_fields over mask).
 */
static inline void
fz_same_in_forms(const char *d, size_t size, fz_proc_run run, uint64_t mask)
{
	struct proc a, b;
	int ra = run(d, size, &a, size), rb;
	size_t cl = fz_complete_len(d, size);

	if (cl) {
		rb = run(d, cl, &b, size + 1);
		fz_same_fields(&a, ra, &b, rb, mask);
	}
	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		rb = run(c, n, &b, size + 2);
		free(c);
		fz_same_fields(&a, ra, &b, rb, mask);
	}
}

#endif
