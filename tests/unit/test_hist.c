/*
 * History rings (model/hist.c): the 32-bit value packing, ring order after
 * wrap-around, unavailable values and rates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "model/hist.h"

/* Deterministic generator so a failure names a reproducible value. */
static uint64_t
next_rand(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return *s ^ (*s >> 29);
}

static double
rel_error(uint64_t v)
{
	uint64_t u = hist_unpack(hist_pack(v));
	double d = u > v ? (double)(u - v) : (double)(v - u);
	return d / (double)v;
}

static void
assert_close(uint64_t v)
{
	uint32_t packed = hist_pack(v);

	if (packed == HIST_NONE)
		fail_msg("hist_pack(%llu) produced HIST_NONE", (unsigned long long)v);
	double e = rel_error(v);
	if (!(e < 1e-8))
		fail_msg("hist_pack(%llu) -> %llu: relative error %.3g", (unsigned long long)v,
			 (unsigned long long)hist_unpack(packed), e);
}

static void
test_pack_exact_below_2_27(void **state)
{
	static const uint64_t edge[] = { 0, 1, 2, 999, 1000, 1023, 1024, (1u << 26) - 1, 1u << 26,
					 (1u << 27) - 2, (1u << 27) - 1 };
	uint64_t s = 1;

	(void)state;
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		assert_int_not_equal(hist_pack(edge[i]), HIST_NONE);
		assert_int_equal(hist_unpack(hist_pack(edge[i])), edge[i]);
	}
	for (int i = 0; i < 200000; i++) {
		uint64_t v = next_rand(&s) & ((UINT64_C(1) << 27) - 1);
		if (hist_unpack(hist_pack(v)) != v)
			fail_msg("hist_pack(%llu) is not exact", (unsigned long long)v);
	}
}

static void
test_pack_big_values_close(void **state)
{
	const uint64_t big[] = {
		UINT64_C(1) << 27,
		(UINT64_C(1) << 27) + 1,
		(UINT64_C(1) << 28) + 3,          /* truncation would lose 3 of 2^28 */
		UINT64_C(64) << 30,               /* 64 TiB in KiB */
		(UINT64_C(64) << 30) + 12345,
		(UINT64_C(64) << 30) - 1,
		(UINT64_C(1) << 36) + (UINT64_C(1) << 10) - 1,
		(UINT64_C(1) << 57) + (UINT64_C(1) << 31) - 1, /* worst case of the top bucket */
		(UINT64_C(1) << 58) - (UINT64_C(1) << 31),
		(UINT64_C(1) << 58) - 12345,
		(UINT64_C(1) << 58) - 1,
	};
	uint64_t s = 7;

	(void)state;
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
		assert_close(big[i]);
	/* Every exponent: the smallest and the largest value of its bucket. */
	for (int e = 1; e <= 31; e++) {
		assert_close(UINT64_C(1) << (26 + e));
		assert_close((UINT64_C(1) << (27 + e)) - 1);
		assert_close((UINT64_C(1) << (26 + e)) + (UINT64_C(1) << e) - 1);
	}
	for (int i = 0; i < 200000; i++) {
		int bits = 28 + (int)(next_rand(&s) % 31); /* 28..58 */
		uint64_t v = next_rand(&s) >> (64 - bits);
		v |= UINT64_C(1) << (bits - 1);
		assert_close(v);
	}
}

/* Beyond what 32 bits can hold the value saturates; it never wraps to a small one. */
static void
test_pack_saturates(void **state)
{
	uint64_t top = hist_unpack(hist_pack((UINT64_C(1) << 58) - 1));

	(void)state;
	assert_true(top >= (UINT64_C(1) << 58) - (UINT64_C(1) << 32));
	assert_true(hist_unpack(hist_pack(UINT64_C(1) << 58)) >= top);
	assert_true(hist_unpack(hist_pack(UINT64_C(1) << 63)) >= top);
	assert_true(hist_unpack(hist_pack(UINT64_MAX)) >= top);
	assert_int_not_equal(hist_pack(UINT64_MAX), HIST_NONE);
	assert_int_not_equal(hist_pack(UINT64_C(1) << 58), HIST_NONE);
}

static void
test_pack_monotonic(void **state)
{
	uint64_t prev = 0;

	(void)state;
	for (int b = 0; b < 64; b++) {
		for (uint64_t d = 0; d < 3; d++) {
			uint64_t v = (UINT64_C(1) << b) + (UINT64_C(1) << b) / 3 * d;
			uint64_t u = hist_unpack(hist_pack(v));
			if (u < prev)
				fail_msg("not monotonic at %llu", (unsigned long long)v);
			prev = u;
		}
	}
}

static void
test_pack_never_none(void **state)
{
	uint64_t s = 3;

	(void)state;
	for (int e = 0; e < 40; e++) {
		uint64_t hi = e + 27 >= 64 ? UINT64_MAX : (UINT64_C(1) << (e + 27)) - 1;
		assert_int_not_equal(hist_pack(hi), HIST_NONE);
		assert_int_not_equal(hist_pack(hi - 1), HIST_NONE);
	}
	for (int i = 0; i < 200000; i++)
		assert_int_not_equal(hist_pack(next_rand(&s)), HIST_NONE);
}

static void
push1(struct hist *h, uint32_t ds, uint64_t rss, unsigned known)
{
	uint64_t v[HIST_SERIES] = { [H_RSS] = rss, [H_VSZ] = 2 * rss, [H_PSS] = rss / 2,
				    [H_USS] = rss / 4, [H_SWAP] = 7 };
	hist_push(h, ds, v, known);
}

static void
test_ring_order_after_wrap(void **state)
{
	struct hist *h = hist_new(3);
	const unsigned all = (1u << HIST_SERIES) - 1;

	(void)state;
	assert_int_equal(h->cap, 3);
	assert_int_equal(h->n, 0);
	push1(h, 1, 10, all);
	push1(h, 2, 20, all);
	assert_int_equal(h->n, 2);
	push1(h, 3, 30, all & ~(1u << H_PSS));
	push1(h, 4, 40, all);
	push1(h, 5, 50, 1u << H_RSS);
	assert_int_equal(h->n, 3);

	static const uint32_t want_ds[] = { 3, 4, 5 };
	static const uint64_t want_rss[] = { 30, 40, 50 };
	static const unsigned want_known[] = { 0x1f & ~(1u << H_PSS), 0x1f, 1u << H_RSS };
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t ds = 0;
		uint64_t v[HIST_SERIES];
		unsigned known = hist_get(h, i, &ds, v);
		assert_int_equal(ds, want_ds[i]);
		assert_int_equal(known, want_known[i]);
		assert_int_equal(v[H_RSS], want_rss[i]);
		assert_int_equal(v[H_VSZ], (known & 1u << H_VSZ) ? 2 * want_rss[i] : 0);
		assert_int_equal(v[H_PSS], (known & 1u << H_PSS) ? want_rss[i] / 2 : 0);
		assert_int_equal(v[H_SWAP], (known & 1u << H_SWAP) ? 7 : 0);
	}
	free(h);
}

/* hist_new() documents cap >= 2 and rounds smaller requests up: the ring must hold 2. */
static void
test_ring_min_capacity(void **state)
{
	struct hist *h = hist_new(1);

	(void)state;
	assert_int_equal(h->cap, 2);
	/* room for what cap promises, checked before writing so a short block fails here */
	assert_true(malloc_usable_size(h) >=
		    sizeof *h + (size_t)h->cap * (1 + HIST_SERIES) * sizeof h->data[0]);
	push1(h, 1, 10, 1);
	push1(h, 2, 20, 1);
	push1(h, 3, 30, 1);
	assert_int_equal(h->n, 2);
	uint32_t ds;
	uint64_t v[HIST_SERIES];
	hist_get(h, 0, &ds, v);
	assert_int_equal(ds, 2);
	assert_int_equal(v[H_RSS], 20);
	free(h);
}

static void
test_rate(void **state)
{
	struct hist *h = hist_new(8);
	int64_t rate = 12345;

	(void)state;
	assert_int_equal(hist_rate(h, H_RSS, &rate), -ENODATA);
	push1(h, 0, 1000, 1u << H_RSS);
	assert_int_equal(hist_rate(h, H_RSS, &rate), -ENODATA); /* one sample */
	assert_int_equal(rate, 12345);
	push1(h, 20, 3000, 1u << H_RSS);      /* +2000 in 2 s */
	assert_int_equal(hist_rate(h, H_RSS, &rate), 0);
	assert_int_equal(rate, 1000);
	assert_int_equal(hist_rate(h, H_PSS, &rate), -ENODATA); /* never known */

	/* The newest sample lacks RSS: the rate uses the last one that has it. */
	push1(h, 40, 999999, 1u << H_VSZ);
	assert_int_equal(hist_rate(h, H_RSS, &rate), 0);
	assert_int_equal(rate, 1000);
	free(h);

	/* Shrinking, rounded toward zero: -100 over 3 s = -33.3 */
	h = hist_new(4);
	push1(h, 10, 100, 1u << H_RSS);
	push1(h, 40, 0, 1u << H_RSS);
	assert_int_equal(hist_rate(h, H_RSS, &rate), 0);
	assert_int_equal(rate, -33);
	free(h);

	/* No elapsed time. */
	h = hist_new(4);
	push1(h, 10, 100, 1u << H_RSS);
	push1(h, 10, 500, 1u << H_RSS);
	assert_int_equal(hist_rate(h, H_RSS, &rate), -ENODATA);
	free(h);

	/* After wrap-around the window is the oldest and newest held. */
	h = hist_new(2);
	push1(h, 0, 0, 1u << H_RSS);
	push1(h, 10, 100, 1u << H_RSS);
	push1(h, 20, 500, 1u << H_RSS);
	assert_int_equal(hist_rate(h, H_RSS, &rate), 0);
	assert_int_equal(rate, 400);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_exact_below_2_27),
		cmocka_unit_test(test_pack_big_values_close),
		cmocka_unit_test(test_pack_saturates),
		cmocka_unit_test(test_pack_monotonic),
		cmocka_unit_test(test_pack_never_none),
		cmocka_unit_test(test_ring_order_after_wrap),
		cmocka_unit_test(test_ring_min_capacity),
		cmocka_unit_test(test_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
