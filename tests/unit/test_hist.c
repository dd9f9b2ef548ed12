/*
 * History rings (model/hist.c): the 32- and 16-bit value packings, ring order
 * after wrap-around, consolidation of compact rings (maxima, times, unavailable
 * values, memory bound), switching full detail on and off, and growth rates.
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

/* every series known */
#define HALL ((1u << HIST_SERIES) - 1)

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

/* 16-bit packing of compact rings: exact when small, else rounded up by at most 0.1%. */
static void
test_pack16(void **state)
{
	uint64_t s = 11, prev = 0;

	(void)state;
	for (uint64_t v = 0; v < 2048; v++)
		assert_int_equal(hist_unpack16(hist_pack16(v)), v);
	for (int i = 0; i < 200000; i++) {
		uint64_t v = next_rand(&s) >> (next_rand(&s) % 64);
		uint16_t p = hist_pack16(v);
		if (p == HIST_NONE16)
			fail_msg("hist_pack16(%llu) produced HIST_NONE16", (unsigned long long)v);
		if (v >= (UINT64_C(1) << 41))
			continue; /* saturation, checked below */
		uint64_t u = hist_unpack16(p);
		if (u < v || (double)(u - v) > (double)v / 1024.0)
			fail_msg("hist_pack16(%llu) -> %llu", (unsigned long long)v, (unsigned long long)u);
	}
	for (int b = 0; b < 64; b++) {
		uint64_t u = hist_unpack16(hist_pack16((UINT64_C(1) << b) + 1));
		if (u < prev)
			fail_msg("hist_pack16 not monotonic at 2^%d + 1", b);
		prev = u;
	}
	assert_true(hist_unpack16(hist_pack16(UINT64_MAX)) >=
		    hist_unpack16(hist_pack16(UINT64_C(1) << 41)));
}

/* 64 TiB (in KiB) stays 64 TiB in both forms of ring: a graph label shows "64T". */
static void
test_64_tib(void **state)
{
	const uint64_t tib64 = UINT64_C(64) << 30, odd = tib64 + 12345;
	uint64_t v[HIST_SERIES] = { tib64, odd, tib64, tib64 };

	(void)state;
	assert_int_equal(hist_unpack16(hist_pack16(tib64)), tib64);
	for (int full = 0; full <= 1; full++) {
		struct hist *h = hist_new(600, full);
		hist_push(&h, 0, v, HALL);
		uint32_t ds;
		uint64_t got[HIST_SERIES];
		assert_int_equal(hist_get(h, 0, &ds, got, NULL), HALL);
		assert_int_equal(got[H_RSS], tib64);
		if (full) { /* nearest, 27-bit mantissa */
			uint64_t d = got[H_VSZ] > odd ? got[H_VSZ] - odd : odd - got[H_VSZ];
			assert_true(d <= odd >> 26);
		} else {    /* rounded up, 11-bit mantissa */
			assert_true(got[H_VSZ] >= odd);
			assert_true(got[H_VSZ] - odd <= odd / 1024);
		}
		free(h);
	}
}

static void
push1(struct hist **h, uint32_t ds, uint64_t rss, unsigned known)
{
	uint64_t v[HIST_SERIES] = { [H_RSS] = rss, [H_VSZ] = 2 * rss, [H_PSS] = rss / 2,
				    [H_SWAP] = 7 };
	hist_push(h, ds, v, known);
}

static uint64_t
rss_at(const struct hist *h, uint32_t i, uint32_t *ds, unsigned *known, bool *cons)
{
	uint64_t v[HIST_SERIES];

	*known = hist_get(h, i, ds, v, cons);
	return v[H_RSS];
}

static void
test_ring_order_after_wrap(void **state)
{
	const unsigned all = (1u << HIST_SERIES) - 1;

	(void)state;
	for (int full = 0; full <= 1; full++) {
		struct hist *h = hist_new(3, full);
		assert_int_equal(h->cap, 3);
		assert_int_equal(h->n, 0);
		push1(&h, 1, 10, all);
		push1(&h, 2, 20, all);
		assert_int_equal(h->n, 2);
		push1(&h, 3, 30, all & ~(1u << H_PSS));
		push1(&h, 4, 40, all);
		push1(&h, 5, 50, 1u << H_RSS);
		assert_int_equal(h->n, 3);

		static const uint32_t want_ds[] = { 3, 4, 5 };
		static const uint64_t want_rss[] = { 30, 40, 50 };
		static const unsigned want_known[] = { HALL & ~(1u << H_PSS), HALL, 1u << H_RSS };
		for (uint32_t i = 0; i < 3; i++) {
			uint32_t ds = 0;
			uint64_t v[HIST_SERIES];
			bool cons = true;
			unsigned known = hist_get(h, i, &ds, v, &cons);
			assert_false(cons);
			assert_int_equal(ds, want_ds[i]);
			assert_int_equal(known, want_known[i]);
			assert_int_equal(v[H_RSS], want_rss[i]);
			assert_int_equal(v[H_VSZ], (known & 1u << H_VSZ) ? 2 * want_rss[i] : 0);
			assert_int_equal(v[H_PSS], (known & 1u << H_PSS) ? want_rss[i] / 2 : 0);
			assert_int_equal(v[H_SWAP], (known & 1u << H_SWAP) ? 7 : 0);
		}
		free(h);
	}
}

/* hist_new() documents cap >= 2 and rounds smaller requests up: the ring must hold 2. */
static void
test_ring_min_capacity(void **state)
{
	(void)state;
	for (int full = 0; full <= 1; full++) {
		struct hist *h = hist_new(1, full);
		assert_int_equal(h->cap, 2);
		/* room for what cap promises, checked before writing so a short block fails here */
		assert_true(malloc_usable_size(h) >= hist_size(h));
		assert_true(hist_size(h) >= sizeof *h + 2 * (1 + HIST_SERIES) * sizeof(uint16_t));
		push1(&h, 1, 10, 1);
		push1(&h, 2, 20, 1);
		push1(&h, 3, 30, 1);
		assert_int_equal(h->n, 2);
		uint32_t ds;
		unsigned known;
		bool cons;
		assert_int_equal(rss_at(h, 0, &ds, &known, &cons), 20);
		assert_int_equal(ds, 2);
		free(h);
	}
}

/*
 * RSS of sample k in test_compact_keeps_maxima: small (exact in 16 bits), a
 * lone peak now and then, and no two consecutive buckets alike.
 */
static uint64_t
varying_rss(uint32_t k)
{
	return k % 97 == 13 ? 2000 : 1000 + k % 7 + k / HIST_PER_BUCKET % 3;
}

/*
 * A compact ring of cap 600: the newest HIST_RECENT samples one by one, older
 * ones HIST_PER_BUCKET to a record holding each series' maximum, stamped with
 * the first sample's time. A one-sample spike is never lost. With every bucket
 * different (the worst case) the ring grows to its bound and no further.
 */
static void
test_compact_keeps_maxima(void **state)
{
	enum { CAP = 600, PUSHES = 1000 };
	struct hist *h = hist_new(CAP, false);
	const size_t rec = (1 + HIST_SERIES) * sizeof(uint16_t);
	const size_t bound = sizeof *h + (HIST_RECENT + h->bucket_cap) * rec;

	(void)state;
	assert_int_equal(h->recent_cap, HIST_RECENT);
	for (uint32_t k = 0; k < PUSHES; k++) {
		push1(&h, 10 * k + 3, varying_rss(k), HALL);
		assert_true(hist_size(h) <= bound);
		assert_true(malloc_usable_size(h) >= hist_size(h));
	}
	assert_int_equal(hist_size(h), bound);
	assert_int_equal(h->n, HIST_RECENT + h->bucket_cap);
	assert_true(h->bucket_cap * HIST_PER_BUCKET + HIST_RECENT >= CAP);

	uint32_t prev = 0, ds;
	unsigned known;
	bool cons;
	for (uint32_t i = 0; i < h->n; i++) {
		uint64_t got = rss_at(h, i, &ds, &known, &cons);
		assert_int_equal(known, HALL);
		if (i && ds <= prev)
			fail_msg("record %u: time %u after %u", i, ds, prev);
		prev = ds;
		uint32_t k0 = (ds - 3) / 10; /* the first sample it stands for */
		assert_int_equal(ds, 10 * k0 + 3);
		if (i >= h->n_bucket) {
			assert_false(cons);
			assert_int_equal(k0, PUSHES - h->n + i);
			assert_int_equal(got, varying_rss(k0));
			continue;
		}
		assert_true(cons);
		/* The maximum of the samples from k0 to the next record's first. */
		uint32_t next_ds;
		rss_at(h, i + 1, &next_ds, &known, &cons);
		uint64_t want = 0;
		for (uint32_t k = k0; 10 * k + 3 < next_ds; k++)
			want = varying_rss(k) > want ? varying_rss(k) : want;
		assert_int_equal(got, want);
		if (i + 1 < h->n_bucket)
			assert_int_equal(next_ds - ds, 10 * HIST_PER_BUCKET);
	}
	/* Ten minutes of 1 s samples are held. */
	rss_at(h, 0, &ds, &known, &cons);
	assert_true(prev - ds >= 10 * (CAP - 1));
	/* The memory bound: well under 1 KiB a process. */
	assert_true(bound <= 1024);
	free(h);
}

/*
 * The step function a compact ring of P pushes (sample k at time 10 * k) draws,
 * against what it drew before identical buckets shared a record: sample k shows
 * as itself among the newest HIST_RECENT, else as its bucket's maximum (bucket
 * k / HIST_PER_BUCKET, of the samples consolidated so far, unavailable only if
 * it was in all), and the ring starts at the first sample of the oldest of the
 * newest bucket_cap buckets. Values as the 16-bit form rounds them. A full
 * ring converted from such a ring draws the same.
 */
typedef uint64_t (*rss_fn)(uint32_t k);
typedef unsigned (*known_fn)(uint32_t k);

static unsigned
all_known(uint32_t k)
{
	(void)k;
	return HALL;
}

static void
assert_steps(const struct hist *h, uint32_t pushes, rss_fn rss, known_fn known)
{
	uint32_t c = pushes > HIST_RECENT ? pushes - HIST_RECENT : 0; /* consolidated */
	uint32_t total = (c + HIST_PER_BUCKET - 1) / HIST_PER_BUCKET;
	uint32_t buckets = (h->cap - HIST_RECENT + HIST_PER_BUCKET - 1) / HIST_PER_BUCKET; /* compact */
	uint32_t kept = total < buckets ? total : buckets;
	uint32_t first = HIST_PER_BUCKET * (total - kept), ds, last_ds;
	unsigned m;
	bool cons;

	rss_at(h, 0, &ds, &m, &cons);
	assert_int_equal(ds, 10 * first);
	rss_at(h, h->n - 1, &last_ds, &m, &cons);
	assert_int_equal(last_ds, 10 * (pushes - 1));
	uint32_t i = 0;
	for (uint32_t k = first; k < pushes; k++) {
		uint64_t want = 0;
		unsigned want_m = 0;
		uint32_t from = k < c ? k / HIST_PER_BUCKET * HIST_PER_BUCKET : k;
		uint32_t to = k < c ? from + HIST_PER_BUCKET : k + 1;
		for (uint32_t j = from; j < to && j < (k < c ? c : pushes); j++) {
			unsigned mj = known(j) & 1u << H_RSS;
			want_m |= mj;
			if (mj && rss(j) > want)
				want = rss(j);
		}
		want = want_m ? hist_unpack16(hist_pack16(want)) : 0;
		/* The record drawn at 10 * k: the newest one stamped no later. */
		while (i + 1 < h->n && (rss_at(h, i + 1, &ds, &m, &cons), ds <= 10 * k))
			i++;
		uint64_t got = rss_at(h, i, &ds, &m, &cons);
		if (got != want || (m & 1u << H_RSS) != want_m || cons != (k < c))
			fail_msg("%u pushes, sample %u: record %u (time %u) has %llu known %u, "
				 "want %llu known %u", pushes, k, i, ds, (unsigned long long)got,
				 m & 1u << H_RSS, (unsigned long long)want, want_m);
	}
}

/* What an idle process stores: the same values all along. */
static uint64_t
idle_rss(uint32_t k)
{
	(void)k;
	return 1500;
}

/*
 * An idle process's compact ring is small: its buckets share records, the
 * storage grows only as far as they need, and it draws the same graph over the
 * same ten minutes as before, however long it runs.
 */
static void
test_compact_idle_small(void **state)
{
	enum { CAP = 600, PUSHES = 6000 };
	struct hist *h = hist_new(CAP, false);
	const size_t rec = (1 + HIST_SERIES) * sizeof(uint16_t);
	const size_t small = sizeof *h + (HIST_RECENT + 4) * rec;

	(void)state;
	for (uint32_t k = 0; k < PUSHES; k++) {
		push1(&h, 10 * k, idle_rss(k), HALL);
		if (hist_size(h) > small)
			fail_msg("after %u pushes: %zu bytes, more than %zu", k + 1, hist_size(h), small);
		if (k < 2 * CAP || k % 97 == 0 || k == PUSHES - 1)
			assert_steps(h, k + 1, idle_rss, all_known);
	}
	assert_true(h->n_bucket <= 3);
	assert_true(malloc_usable_size(h) >= hist_size(h));
	/* Still ten minutes, not more. */
	uint32_t t0, t1;
	unsigned m;
	bool cons;
	rss_at(h, 0, &t0, &m, &cons);
	rss_at(h, h->n - 1, &t1, &m, &cons);
	assert_true(t1 - t0 >= 10 * (CAP - HIST_PER_BUCKET));
	assert_true(t1 - t0 < 10u * (HIST_RECENT + h->bucket_cap * HIST_PER_BUCKET));
	free(h);
}

/*
 * Phases of 200 samples: idle; idle with one spike; buckets alternating; idle
 * with RSS unavailable for a while. Runs form, are cut by the spike, the
 * alternation and the unavailable stretch, and are trimmed at the old end.
 */
static uint64_t
phased_rss(uint32_t k)
{
	switch (k / 200 % 4) {
	case 0:
		return 1000;
	case 1:
		return k % 200 == 57 ? 9000 : 1000;
	case 2:
		return 1000 + k / HIST_PER_BUCKET % 2;
	default:
		return 1000;
	}
}

static unsigned
phased_known(uint32_t k)
{
	return k / 200 % 4 == 3 && k % 200 < 100 ? HALL & ~(1u << H_RSS) : HALL;
}

static void
test_compact_runs_step(void **state)
{
	enum { CAP = 600, PUSHES = 3000 };
	struct hist *h = hist_new(CAP, false);
	const size_t rec = (1 + HIST_SERIES) * sizeof(uint16_t);
	const size_t bound = sizeof *h + (HIST_RECENT + h->bucket_cap) * rec;
	bool ran = false;

	(void)state;
	for (uint32_t k = 0; k < PUSHES; k++) {
		push1(&h, 10 * k, phased_rss(k), phased_known(k));
		assert_true(hist_size(h) <= bound);
		ran |= h->n_bucket < h->n_span;
		if (k % 7 == 0 || k == PUSHES - 1)
			assert_steps(h, k + 1, phased_rss, phased_known);
	}
	assert_true(ran);
	free(h);
}

/* Runs survive switching full detail on and off: the same graph, small again. */
static void
test_compact_runs_convert(void **state)
{
	enum { CAP = 600 };
	struct hist *h = hist_new(CAP, false);
	const size_t rec = (1 + HIST_SERIES) * sizeof(uint16_t);
	const size_t small = sizeof *h + (HIST_RECENT + 4) * rec;
	int64_t before, after;
	uint32_t ds;
	unsigned m;
	bool cons;

	(void)state;
	for (uint32_t k = 0; k < CAP; k++)
		push1(&h, 10 * k, idle_rss(k), HALL);
	assert_int_equal(hist_growth(h, &before), 0);
	h = hist_convert(h, true);
	assert_true(h->full);
	/* one record a bucket, as before runs */
	assert_int_equal(h->n, HIST_RECENT + (CAP - HIST_RECENT + HIST_PER_BUCKET - 1) / HIST_PER_BUCKET);
	assert_steps(h, CAP, idle_rss, all_known);
	assert_int_equal(hist_growth(h, &after), 0);
	assert_int_equal(after, before);
	for (uint32_t k = CAP; k < CAP + 105; k++)
		push1(&h, 10 * k, idle_rss(k), HALL);
	h = hist_convert(h, false);
	assert_false(h->full);
	assert_true(hist_size(h) <= small);
	assert_steps(h, CAP + 105, idle_rss, all_known);
	for (uint32_t k = CAP + 105; k < 3 * CAP; k++)
		push1(&h, 10 * k, idle_rss(k), HALL);
	assert_steps(h, 3 * CAP, idle_rss, all_known);
	assert_true(hist_size(h) <= small);
	rss_at(h, h->n - 1, &ds, &m, &cons);
	assert_int_equal(ds, 10 * (3 * CAP - 1));
	free(h);
}

/*
 * Full detail on a process with ten minutes of compact history: the graph
 * keeps showing ten minutes, not the old consolidated records and ten more
 * minutes of single samples.
 */
static void
test_detail_span(void **state)
{
	enum { CAP = 600 };
	struct hist *h = hist_new(CAP, false);
	const uint32_t most = HIST_RECENT + h->bucket_cap * HIST_PER_BUCKET; /* samples */
	uint32_t t0, t1;
	unsigned m;
	bool cons;

	(void)state;
	for (uint32_t k = 0; k < CAP; k++)
		push1(&h, 10 * k, varying_rss(k), HALL);
	h = hist_convert(h, true);
	for (uint32_t k = CAP; k < 4 * CAP; k++) {
		push1(&h, 10 * k, varying_rss(k), HALL);
		rss_at(h, 0, &t0, &m, &cons);
		rss_at(h, h->n - 1, &t1, &m, &cons);
		if (t1 - t0 > 10 * (most - 1) || t1 - t0 < 10 * (CAP - HIST_PER_BUCKET - 1))
			fail_msg("after %u pushes the graph spans %u ds", k + 1, t1 - t0);
	}
	assert_int_equal(h->n, CAP); /* single samples only by now */
	assert_int_equal(t1 - t0, 10 * (CAP - 1));
	free(h);
}

/* A long pause trims a run bucket by bucket: what is too old goes, no more. */
static void
test_compact_run_long_gap(void **state)
{
	struct hist *h = hist_new(600, false);
	const uint32_t now = 5990 + 60000, cut = now - 65535;
	uint32_t ds, prev = 0;
	unsigned m;
	bool cons;

	(void)state;
	for (uint32_t k = 0; k < 600; k++)
		push1(&h, 10 * k, 1500, HALL);
	push1(&h, now, 1500, HALL);
	rss_at(h, 0, &ds, &m, &cons);
	assert_true(ds >= cut && ds < cut + 10 * HIST_PER_BUCKET);
	for (uint32_t i = 0; i < h->n; i++) {
		assert_int_equal(rss_at(h, i, &ds, &m, &cons), 1500);
		assert_true(i == 0 || ds > prev);
		prev = ds;
	}
	assert_int_equal(prev, now);
	free(h);
}

/* Unavailable values: a consolidated record lacks a series only if every sample did. */
static void
test_compact_unavailable(void **state)
{
	struct hist *h = hist_new(HIST_RECENT + 2 * HIST_PER_BUCKET, false);
	uint32_t ds;
	unsigned known;
	bool cons;

	(void)state;
	for (uint32_t k = 0; k < HIST_RECENT + 2 * HIST_PER_BUCKET; k++) {
		unsigned m = 1u << H_VSZ;         /* RSS never known in the first bucket */
		if (k >= HIST_PER_BUCKET)
			m |= (k == HIST_PER_BUCKET + 5) ? 1u << H_RSS : 0; /* once in the second */
		if (k >= 2 * HIST_PER_BUCKET && k % 2)
			m |= 1u << H_RSS;           /* every other recent sample */
		push1(&h, 10 * k, 100 + k, m);
	}
	assert_int_equal(h->n_bucket, 2);
	assert_int_equal(rss_at(h, 0, &ds, &known, &cons), 0);
	assert_true(cons);
	assert_int_equal(known, 1u << H_VSZ);
	assert_int_equal(rss_at(h, 1, &ds, &known, &cons), 100 + HIST_PER_BUCKET + 5);
	assert_int_equal(known, 1u << H_VSZ | 1u << H_RSS);
	for (uint32_t i = 2; i < h->n; i++) {
		uint64_t r = rss_at(h, i, &ds, &known, &cons);
		uint32_t k = ds / 10;
		assert_false(cons);
		assert_int_equal(known & 1u << H_RSS, (k % 2) ? 1u << H_RSS : 0);
		assert_int_equal(r, (k % 2) ? 100 + k : 0);
	}
	free(h);
}

/* Full detail on and off again: the same records, maxima kept, growth unchanged. */
static void
test_detail_switch(void **state)
{
	enum { CAP = 600 };
	struct hist *h = hist_new(CAP, false);
	uint64_t peak = 0;
	int64_t before, after;

	(void)state;
	for (uint32_t k = 0; k < 300; k++) {
		uint64_t rss = 5000 + 3 * k + (k == 50 ? 100000 : 0);
		peak = rss > peak ? rss : peak;
		push1(&h, 10 * k, rss, HALL);
	}
	assert_int_equal(hist_growth(h, &before), 0);
	uint32_t n = h->n, nb = h->n_bucket;
	uint32_t ds[64];
	uint64_t rss[64];
	unsigned known;
	bool cons[64];
	for (uint32_t i = 0; i < n; i++)
		rss[i] = rss_at(h, i, &ds[i], &known, &cons[i]);

	h = hist_convert(h, true);
	assert_true(h->full);
	assert_int_equal(h->n, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t;
		bool c;
		assert_int_equal(rss_at(h, i, &t, &known, &c), rss[i]);
		assert_int_equal(t, ds[i]);
		assert_int_equal(c, cons[i]);
		assert_int_equal(c, i < nb);
	}
	assert_int_equal(hist_growth(h, &after), 0);
	assert_int_equal(after, before);
	/* Full detail from now on: every sample kept. */
	for (uint32_t k = 300; k < 400; k++)
		push1(&h, 10 * k, 5000 + 3 * k, HALL);
	assert_int_equal(h->n, n + 100);
	assert_int_equal(rss_at(h, h->n - 1, ds, &known, cons), 5000 + 3 * 399);
	assert_false(cons[0]);

	/* Back to compact: the peak, the times and the newest samples survive. */
	h = hist_convert(h, false);
	assert_false(h->full);
	uint64_t seen = 0;
	uint32_t prev = 0;
	for (uint32_t i = 0; i < h->n; i++) {
		uint32_t t;
		bool c;
		uint64_t r = rss_at(h, i, &t, &known, &c);
		seen = r > seen ? r : seen;
		assert_true(i == 0 || t > prev);
		prev = t;
		if (i == 0)
			assert_int_equal(t, 0);
	}
	assert_true(seen >= peak && seen - peak <= peak / 1024);
	assert_int_equal(prev, 3990);
	uint64_t newest = rss_at(h, h->n - 1, ds, &known, cons);
	assert_true(newest >= 5000 + 3 * 399 && newest <= 5000 + 3 * 399 + 8);
	assert_int_equal(h->n_recent, HIST_RECENT);
	int64_t rate;
	assert_int_equal(hist_growth(h, &rate), 0);
	assert_int_equal(rate, 3); /* 3 KiB every second, exact from the anchors */
	free(h);
}

/* Compact time stamps are 16-bit offsets: a long pause drops what is too old. */
static void
test_compact_long_gap(void **state)
{
	struct hist *h = hist_new(600, false);
	uint32_t ds;
	unsigned known;
	bool cons;

	(void)state;
	for (uint32_t k = 0; k < 100; k++)
		push1(&h, 1000 + 10 * k, 7, 1);
	push1(&h, 1000 + 40000, 8, 1);  /* fits after rebasing */
	rss_at(h, 0, &ds, &known, &cons);
	assert_int_equal(ds, 1000);
	rss_at(h, h->n - 1, &ds, &known, &cons);
	assert_int_equal(ds, 41000);
	push1(&h, 1000 + 70000, 9, 1); /* the first records are now too old */
	rss_at(h, 0, &ds, &known, &cons);
	assert_true(ds >= 71000 - 65535);
	uint32_t prev = 0;
	for (uint32_t i = 0; i < h->n; i++) {
		rss_at(h, i, &ds, &known, &cons);
		assert_true(i == 0 || ds > prev);
		prev = ds;
	}
	assert_int_equal(prev, 71000);
	free(h);
}

static void
test_rate(void **state)
{
	int64_t rate = 12345;

	(void)state;
	for (int full = 0; full <= 1; full++) {
		struct hist *h = hist_new(8, full);
		rate = 12345;
		assert_int_equal(hist_growth(h, &rate), -ENODATA);
		push1(&h, 0, 1000, 1u << H_RSS);
		assert_int_equal(hist_growth(h, &rate), -ENODATA); /* one sample */
		assert_int_equal(rate, 12345);
		push1(&h, 20, 3000, 1u << H_RSS);      /* +2000 in 2 s */
		assert_int_equal(hist_growth(h, &rate), 0);
		assert_int_equal(rate, 1000);

		/* The newest sample lacks RSS: the rate uses the last one that has it. */
		push1(&h, 40, 999999, 1u << H_VSZ);
		assert_int_equal(hist_growth(h, &rate), 0);
		assert_int_equal(rate, 1000);
		free(h);

		/* Shrinking, rounded toward zero: -100 over 3 s = -33.3 */
		h = hist_new(4, full);
		push1(&h, 10, 100, 1u << H_RSS);
		push1(&h, 40, 0, 1u << H_RSS);
		assert_int_equal(hist_growth(h, &rate), 0);
		assert_int_equal(rate, -33);
		free(h);

		/* No elapsed time. */
		h = hist_new(4, full);
		push1(&h, 10, 100, 1u << H_RSS);
		push1(&h, 10, 500, 1u << H_RSS);
		assert_int_equal(hist_growth(h, &rate), -ENODATA);
		free(h);

		/* After wrap-around the window is the last cap samples. */
		h = hist_new(2, full);
		push1(&h, 0, 0, 1u << H_RSS);
		push1(&h, 10, 100, 1u << H_RSS);
		push1(&h, 20, 500, 1u << H_RSS);
		assert_int_equal(hist_growth(h, &rate), 0);
		assert_int_equal(rate, 400);
		free(h);
	}
}

/*
 * Growth over ten minutes of a big process is exact although compact values are
 * rounded to 0.1%: 1 KiB/s on top of 40 GiB.
 */
static void
test_growth_exact_when_big(void **state)
{
	struct hist *h = hist_new(600, false);
	const uint64_t base = UINT64_C(40) << 20;
	int64_t rate;

	(void)state;
	for (uint32_t k = 0; k < 2000; k++)
		push1(&h, 10 * k, base + k, 1u << H_RSS);
	assert_int_equal(hist_growth(h, &rate), 0);
	assert_int_equal(rate, 1);
	/* and the window is close to the last 600 samples */
	push1(&h, 10 * 2000, base + 2000 + 600 * 50, 1u << H_RSS);
	assert_int_equal(hist_growth(h, &rate), 0);
	assert_true(rate >= 50 && rate <= 60);
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
		cmocka_unit_test(test_pack16),
		cmocka_unit_test(test_64_tib),
		cmocka_unit_test(test_ring_order_after_wrap),
		cmocka_unit_test(test_ring_min_capacity),
		cmocka_unit_test(test_compact_keeps_maxima),
		cmocka_unit_test(test_compact_idle_small),
		cmocka_unit_test(test_compact_runs_step),
		cmocka_unit_test(test_compact_runs_convert),
		cmocka_unit_test(test_compact_run_long_gap),
		cmocka_unit_test(test_detail_span),
		cmocka_unit_test(test_compact_unavailable),
		cmocka_unit_test(test_detail_switch),
		cmocka_unit_test(test_compact_long_gap),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_growth_exact_when_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
