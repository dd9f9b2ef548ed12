/*
 * Leak estimation (model/leak.c, model/lowenv.c) on synthetic series sampled
 * every 0.5 s, through both front ends (raw points and the live envelope
 * ring): a linear leak, a step leak, a garbage collector's sawtooth with rising
 * and with flat troughs, a cache that fills and stops, a shrinking process,
 * noise, gaps, wild samples, too little history, and a reused PID.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "model/hist.h"
#include "model/leak.h"
#include "model/lowenv.h"

#define MIB 1024.0
#define DT 0.5

typedef double (*shape_fn)(double t_s, uint64_t *rng);

static double
unif(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (double)(*s >> 11) / 9007199254740992.0;
}

static double
gauss(uint64_t *s)
{
	double x = 0;

	for (int i = 0; i < 12; i++)
		x += unif(s);
	return x - 6;
}

/* The six processes of the defining integration test, plus noise. */
static double
linear(double t, uint64_t *r)
{
	(void)r;
	return 20 * MIB + MIB * t; /* 1 MiB/s */
}

static double
steps(double t, uint64_t *r)
{
	(void)r;
	return 20 * MIB + 8 * MIB * floor(t / 5); /* 8 MiB every 5 s */
}

/* 2 s cycle: 1 s at the trough, then 1 s growing by 30 MiB, then freed. */
static double
sawtooth(double t, double trough_rate)
{
	double phase = fmod(t, 2.0);
	double garbage = phase < 1 ? 0 : 30 * MIB * (phase - 1);

	return 20 * MIB + trough_rate * t + garbage;
}

static double
gc_rising(double t, uint64_t *r)
{
	(void)r;
	return sawtooth(t, 0.5 * MIB);
}

static double
gc_flat(double t, uint64_t *r)
{
	(void)r;
	return sawtooth(t, 0);
}

static double
cache(double t, uint64_t *r)
{
	(void)r;
	return 20 * MIB + 64 * MIB * (t < 10 ? t / 10 : 1);
}

static double
shrink(double t, uint64_t *r)
{
	(void)r;
	return 100 * MIB - MIB * t;
}

static double
noisy_flat(double t, uint64_t *r)
{
	(void)t;
	return 300 * MIB + 2 * MIB * gauss(r);
}

static double
noisy_leak(double t, uint64_t *r)
{
	return 300 * MIB + 0.2 * MIB * t + 2 * MIB * gauss(r); /* 12 MiB/min under 2 MiB noise */
}

/* Samples shape over [0, secs] into p (PSS known), returns the count. */
static size_t
sample(shape_fn f, double secs, struct leak_point *p, size_t max)
{
	uint64_t rng = 99;
	size_t n = 0;

	for (double t = 0; t <= secs + 1e-9 && n < max; t += DT, n++)
		p[n] = (struct leak_point){ .t_s = t, .pss_kib = f(t, &rng), .rss_kib = NAN,
					    .start = 7 };
	return n;
}

/* Both front ends on the same samples; they must agree on the verdict. */
static void
estimate(shape_fn f, double secs, struct leak *pts, struct leak *env, int *rc_pts, int *rc_env)
{
	struct leak_point p[2000];
	size_t n = sample(f, secs, p, 2000);
	struct lowenv e;

	lowenv_init(&e, 600);
	for (size_t i = 0; i < n; i++)
		lowenv_push(&e, (uint32_t)lround(p[i].t_s * 10), true, (uint64_t)p[i].pss_kib,
			    false, 0);
	*rc_pts = leak_from_points(p, n, pts);
	*rc_env = leak_from_lowenv(&e, env);
}

static void
expect(shape_fn f, const char *name, bool suspect, double want_kib_per_h, double tol)
{
	struct leak a, b;
	int ra, rb;

	estimate(f, 60, &a, &b, &ra, &rb);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
	const struct leak *l[2] = { &a, &b };

	for (int k = 0; k < 2; k++) {
		if (l[k]->suspect != suspect)
			fail_msg("%s (%s): suspect %d, want %d (rate %.0f KiB/h, recent %.0f, "
				 "confidence %.3f, spread %.0f)",
				 name, k ? "envelope ring" : "points", l[k]->suspect, suspect,
				 l[k]->kib_per_h, l[k]->recent_kib_per_h, l[k]->confidence,
				 l[k]->spread_kib);
		if (!(fabs(l[k]->kib_per_h - want_kib_per_h) <= tol))
			fail_msg("%s (%s): rate %.0f KiB/h, want %.0f +- %.0f", name,
				 k ? "envelope ring" : "points", l[k]->kib_per_h, want_kib_per_h,
				 tol);
	}
}

static void
test_linear_leak(void **state)
{
	(void)state;
	expect(linear, "linear", true, 3600 * MIB, 0.02 * 3600 * MIB);
}

static void
test_step_leak(void **state)
{
	(void)state;
	expect(steps, "steps", true, 3600 * 1.6 * MIB, 0.25 * 3600 * 1.6 * MIB);
}

static void
test_gc_rising_troughs(void **state)
{
	(void)state;
	expect(gc_rising, "gc rising", true, 3600 * 0.5 * MIB, 0.1 * 3600 * 0.5 * MIB);
}

static void
test_gc_flat_troughs(void **state)
{
	(void)state;
	expect(gc_flat, "gc flat", false, 0, 0.05 * 3600 * MIB);
}

static void
test_shrinking(void **state)
{
	(void)state;
	expect(shrink, "shrink", false, -3600 * MIB, 0.02 * 3600 * MIB);
}

static void
test_noise(void **state)
{
	(void)state;
	expect(noisy_flat, "noisy flat", false, 0, 3600 * MIB * 0.1);
	expect(noisy_leak, "noisy leak", true, 3600 * 0.2 * MIB, 3600 * 0.2 * MIB * 0.3);
}

/* A cache that fills in 10 s is never a suspect, whenever it is looked at. */
static void
test_cache_never_suspect(void **state)
{
	(void)state;
	for (double secs = 10; secs <= 300; secs += 0.5) {
		struct leak a, b;
		int ra, rb;

		estimate(cache, secs, &a, &b, &ra, &rb);
		if ((ra == 0 && a.suspect) || (rb == 0 && b.suspect))
			fail_msg("cache flagged after %.1f s (rate %.0f / %.0f KiB/h)", secs,
				 a.kib_per_h, b.kib_per_h);
	}
}

static void
test_too_little_history(void **state)
{
	struct leak a, b;
	int ra, rb;

	(void)state;
	estimate(linear, 20, &a, &b, &ra, &rb);
	assert_int_equal(ra, -ENODATA);
	assert_int_equal(rb, -ENODATA);
	assert_int_equal(leak_from_points(NULL, 0, &a), -ENODATA);
	/* the envelope points (minima, at their times) must span LEAK_MIN_SPAN_S */
	estimate(linear, 40, &a, &b, &ra, &rb);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
}

/* A 20-minute hole in a slow leak's history: still one line, its rate right. */
static void
test_gaps(void **state)
{
	struct leak_point p[400];
	struct lowenv e;
	struct leak l;
	size_t n = 0;

	(void)state;
	lowenv_init(&e, 600);
	for (int i = 0; i < 400; i++) {
		/* samples every 10 s, then a hole */
		double t = i < 200 ? 10.0 * i : 1200 + 10.0 * i;

		p[n++] = (struct leak_point){ t, 50 * MIB + 0.01 * t, NAN, 1 };
		/* PSS unavailable here and there: a gap in the ring, not a zero */
		bool known = i % 7 != 3;
		lowenv_push(&e, (uint32_t)(t * 10), known,
			    known ? (uint64_t)(50 * MIB + 0.01 * t) : 0, true, 1);
	}
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_true(fabs(l.kib_per_h - 36) < 1);
	assert_true(l.suspect == false); /* 36 KiB/h is below LEAK_MIN_KIB_PER_H */
	assert_int_equal(leak_from_lowenv(&e, &l), 0);
	assert_true(fabs(l.kib_per_h - 36) < 1);
	/* RSS is used when PSS is mostly unavailable */
	for (size_t i = 0; i < n; i++) {
		p[i].rss_kib = p[i].pss_kib * 2;
		p[i].pss_kib = i % 3 ? NAN : p[i].pss_kib;
	}
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_true(fabs(l.kib_per_h - 72) < 1);
}

/* Wild samples (a read that returned near nothing, a spike) do not move the line. */
static void
test_wild_samples(void **state)
{
	struct leak_point p[200];
	struct leak l;
	size_t n = sample(linear, 99.5, p, 200);

	(void)state;
	p[50].pss_kib = 1;
	p[51].pss_kib = 1;
	p[120].pss_kib = 1e9;
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_true(l.suspect);
	assert_true(fabs(l.kib_per_h - 3600 * MIB) < 0.05 * 3600 * MIB);
}

/*
 * PID reuse: a small flat process, then another with the same PID at 500 MiB,
 * flat. One series would be a step up; only the newest process counts.
 */
static void
test_pid_reuse(void **state)
{
	struct leak_point p[400];
	struct leak l;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 160; i++)
		p[n++] = (struct leak_point){ i * DT, 10 * MIB, NAN, 1000 };
	for (int i = 160; i < 320; i++)
		p[n++] = (struct leak_point){ i * DT, 500 * MIB + (i - 160) * 0.1, NAN, 2000 };
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_false(l.suspect);
	assert_true(l.start_s >= 80);
	assert_true(fabs(l.kib_per_h - 720) < 10); /* 0.1 KiB per 0.5 s: its own slope */
	/* and as one series it would have been a suspect: the test can tell */
	for (size_t i = 0; i < n; i++)
		p[i].start = 1;
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_true(l.kib_per_h > 3600 * MIB);
	/* a reused PID with too little history of its own has no estimate */
	for (size_t i = 0; i < n; i++)
		p[i].start = i < 300 ? 1000 : 2000;
	assert_int_equal(leak_from_points(p, n, &l), -ENODATA);
}

/* Growing since: when the envelope was last at its lowest. */
static void
test_growing_since(void **state)
{
	struct leak_point p[400];
	struct leak l;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 400; i++) {
		double t = i * DT;

		double kib = 80 * MIB + (t < 100 ? 0 : MIB * (t - 100));

		p[n++] = (struct leak_point){ t, kib, NAN, 3 };
	}
	assert_int_equal(leak_from_points(p, n, &l), 0);
	assert_true(l.suspect);
	assert_true(l.since_s >= 87 && l.since_s <= 100);
}

/* The ring: block minima, halving, the bound on its span, its series fixed by the first sample. */
static void
test_lowenv_ring(void **state)
{
	struct lowenv e;
	uint32_t ds;
	uint64_t kib;

	(void)state;
	lowenv_init(&e, 600);
	assert_int_equal(e.h.max_per_block, 16);
	assert_int_equal(lowenv_window(&e), 512);
	for (uint32_t i = 0; i < 2000; i++)
		lowenv_push(&e, i * 10, true, 1000 + (i % 5 == 2 ? 0 : 50) + i, true, 7);
	assert_int_equal(e.n, LOWENV_BLOCKS);
	assert_int_equal(e.per_block, 16);
	assert_true(lowenv_get(&e, 0, &ds, &kib));
	/* blocks of 16 from sample 2000 - 512 = 1488 on; the first minimum is sample 1492 */
	assert_int_equal(ds, 14920);
	assert_int_equal(kib, 1000 + 1492);
	assert_true(lowenv_get(&e, LOWENV_BLOCKS - 1, &ds, &kib));
	assert_int_equal(ds, 19870); /* 1984..1999: minimum at 1987 */

	/* first sample without PSS: it follows RSS for good */
	lowenv_init(&e, 64);
	assert_int_equal(e.h.max_per_block, 2);
	lowenv_push(&e, 0, false, 0, true, 300);
	lowenv_push(&e, 10, true, 5, true, 400);
	assert_true(lowenv_get(&e, 0, &ds, &kib));
	assert_int_equal(kib, 300);
	assert_true(lowenv_get(&e, 1, &ds, &kib));
	assert_int_equal(kib, 400);
	/* nothing known: an empty block, not a zero */
	lowenv_init(&e, 64);
	lowenv_push(&e, 0, false, 0, false, 0);
	assert_false(lowenv_get(&e, 0, &ds, &kib));
	assert_int_equal(e.h.kind, LOWENV_UNSET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_leak),
		cmocka_unit_test(test_step_leak),
		cmocka_unit_test(test_gc_rising_troughs),
		cmocka_unit_test(test_gc_flat_troughs),
		cmocka_unit_test(test_shrinking),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_cache_never_suspect),
		cmocka_unit_test(test_too_little_history),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_wild_samples),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_growing_since),
		cmocka_unit_test(test_lowenv_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
