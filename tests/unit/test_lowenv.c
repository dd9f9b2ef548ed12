/*
 * The two forms of the leak envelope (model/lowenv.c): the short form of a
 * flat series, fed against the table's clock, must be indistinguishable from
 * the full ring that lowenv_push() keeps for the same samples. A property
 * test feeds random sequences (flat runs of 1 to several thousand samples,
 * changes to the same or another value, gaps, PSS and RSS series, values
 * above 128 GiB where distinct KiB pack alike, irregular and zero time steps,
 * several caps) to both and compares the blocks and the estimates after every
 * sample. Then: a flat process in the table holds only the short form, and a
 * flat run of ten million samples turns full without replaying them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_source.h"
#include "model/hist.h"
#include "model/leak.h"
#include "model/lowenv.h"
#include "model/table.h"

enum { CASES = 300 };

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t
between(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + rnd(s) % (hi - lo + 1);
}

/* One series fed to both forms, and what the test knows of it. */
struct twin {
	struct lowenv eager;
	struct lowenv_hdr *lazy;
	struct lowenv_clock clock;
	uint32_t cap, now_ds;
	struct leak_past past;       /* joined in the comparison when it has points */
	struct leak_past_point pts[4];
	uint8_t kind;                /* the series, as the test works it out */
	bool flat;                   /* every sample so far known and packing alike */
	uint32_t flat_v;
	uint64_t samples, checks;
	uint64_t flat_run;           /* samples in the short form before it turned full */
};

static void
twin_init(struct twin *w, uint32_t cap, bool past_pss)
{
	memset(w, 0, sizeof *w);
	w->cap = cap;
	w->flat = true;
	lowenv_init(&w->eager, cap);
	w->lazy = lowenv_new(cap);
	/* a recorded past an hour before the table's time 0, falling: it moves the estimate */
	for (int i = 0; i < 4; i++)
		w->pts[i] = (struct leak_past_point){ -3600000 + 600000 * i, 1e6 - 1e5 * i };
	w->past = (struct leak_past){ .pss = past_pss, .n = 4, .p = w->pts };
}

static void
twin_fini(struct twin *w)
{
	free(w->lazy);
	lowenv_clock_fini(&w->clock);
}

static void
same_leak(int rc_a, const struct leak *a, int rc_b, const struct leak *b)
{
	assert_int_equal(rc_a, rc_b);
	if (rc_a < 0)
		return;
	/* bit for bit: the same doubles from the same points */
	assert_memory_equal(&a->kib_per_h, &b->kib_per_h, sizeof a->kib_per_h);
	assert_memory_equal(&a->confidence, &b->confidence, sizeof a->confidence);
	assert_memory_equal(&a->spread_kib, &b->spread_kib, sizeof a->spread_kib);
	assert_memory_equal(&a->recent_kib_per_h, &b->recent_kib_per_h, sizeof a->recent_kib_per_h);
	assert_memory_equal(&a->start_s, &b->start_s, sizeof a->start_s);
	assert_memory_equal(&a->end_s, &b->end_s, sizeof a->end_s);
	assert_memory_equal(&a->since_s, &b->since_s, sizeof a->since_s);
	assert_int_equal(a->groups, b->groups);
	assert_int_equal(a->suspect, b->suspect);
}

/* The lazy envelope reads as the eager one: blocks, form, estimates. */
static void
twin_check(struct twin *w)
{
	struct lowenv tmp;
	const struct lowenv *e = &w->eager, *f = lowenv_full(w->lazy, &w->clock, &tmp);
	struct leak a, b;

	assert_int_equal(w->lazy->full, !w->flat);
	assert_int_equal(f->h.kind, e->h.kind);
	assert_int_equal(f->h.max_per_block, e->h.max_per_block);
	assert_int_equal(f->n, e->n);
	assert_int_equal(f->per_block, e->per_block);
	assert_int_equal(f->fill, e->fill);
	for (uint16_t i = 0; i < e->n; i++) {
		uint32_t ds_e = 0, ds_f = 1;
		uint64_t kib_e = 0, kib_f = 1;
		bool got = lowenv_get(e, i, &ds_e, &kib_e);

		assert_int_equal(lowenv_get(f, i, &ds_f, &kib_f), got);
		if (got) {
			assert_int_equal(ds_f, ds_e);
			assert_int_equal(kib_f, kib_e);
		}
	}
	same_leak(leak_from_lowenv(e, &a), &a,
		  leak_from_env(w->lazy, &w->clock, NULL, 0, &b), &b);
	same_leak(leak_from_joined(e, &w->past, 0, &a), &a,
		  leak_from_env(w->lazy, &w->clock, &w->past, 0, &b), &b);
	w->checks++;
}

/* One sample, dt deciseconds after the last, to both forms. */
static void
twin_push(struct twin *w, uint32_t dt, bool pss_known, uint64_t pss, bool rss_known, uint64_t rss,
	  bool check)
{
	w->now_ds += dt;
	lowenv_clock_tick(&w->clock, w->cap, w->now_ds);
	lowenv_push(&w->eager, w->now_ds, pss_known, pss, rss_known, rss);
	lowenv_feed(&w->lazy, &w->clock, pss_known, pss, rss_known, rss);

	/* the rule, worked out apart from lowenv.c */
	if (w->kind == LOWENV_UNSET && (pss_known || rss_known))
		w->kind = pss_known ? LOWENV_PSS : LOWENV_RSS;
	bool known = w->kind == LOWENV_PSS ? pss_known : w->kind == LOWENV_RSS && rss_known;
	uint32_t v = known ? hist_pack(w->kind == LOWENV_PSS ? pss : rss) : HIST_NONE;

	w->flat = w->flat && known && (!w->samples || v == w->flat_v);
	w->flat_run += w->flat;
	w->flat_v = v;
	w->samples++;
	if (check)
		twin_check(w);
}

static uint32_t
time_step(uint64_t *s)
{
	uint64_t r = between(s, 0, 99);

	if (r < 5)
		return 0; /* two refreshes in one decisecond */
	if (r < 7)
		return (uint32_t)between(s, 1000, 100000); /* suspended, or a long interval */
	return (uint32_t)between(s, 1, 30);
}

static uint64_t
new_value(uint64_t *s)
{
	uint64_t r = between(s, 0, 9);

	if (r < 6)
		return between(s, 0, 200000);
	if (r < 9)
		return between(s, 1, 4) << 20; /* few values: a change back to an earlier one */
	return (UINT64_C(1) << 38) + between(s, 0, 64); /* past 128 GiB: neighbours pack alike */
}

static uint32_t
run_length(uint64_t *s)
{
	uint64_t r = between(s, 0, 9);

	if (r < 5)
		return (uint32_t)between(s, 1, 20);
	if (r < 8)
		return (uint32_t)between(s, 1, 700);
	return (uint32_t)between(s, 1, 3000);
}

/*
 * How long the flat start of a case is: short, about a window, several
 * windows, or on a boundary of the ring's shape (it halves after 32 p
 * samples, is full at 32 max_per_block, then drops a block every
 * max_per_block).
 */
static uint64_t
flat_length(uint64_t *s, uint32_t max_per_block)
{
	uint64_t p = max_per_block, w = LOWENV_BLOCKS * p;
	uint64_t edge[] = { 1, 32, 33, 64, 65, 16 * p, 16 * p + 1, w - 1, w, w + 1,
			    w + p - 1, w + p, w + p + 1, 3 * w + 5 * p };
	uint64_t r = between(s, 0, 9);

	if (r < 3)
		return between(s, 1, 100);
	if (r < 6)
		return between(s, 1, 1100);
	if (r < 8)
		return between(s, 1, 6000);
	return edge[between(s, 0, sizeof edge / sizeof *edge - 1)] + between(s, 0, 1) * p;
}

/*
 * One random sequence: a flat start, then (mostly) whatever comes. how: 0
 * both series known, 1 RSS only, 2 the first sample without either, 3 the
 * first sample with RSS only (then both).
 */
static void
one_case(uint64_t *s, struct twin *w)
{
	static const uint32_t caps[] = { 600, 600, 600, 1, 31, 63, 64, 100, 1024, 5000 };
	uint32_t cap = caps[between(s, 0, sizeof caps / sizeof *caps - 1)];
	unsigned how = (unsigned)between(s, 0, 3);
	uint64_t pss = new_value(s), rss = new_value(s);

	twin_init(w, cap, between(s, 0, 1));
	if (how == 2)
		twin_push(w, 0, false, 0, false, 0, true);
	if (how == 3)
		twin_push(w, 0, false, 0, true, rss, true);
	uint64_t flat = flat_length(s, w->eager.h.max_per_block);

	for (uint64_t i = 0; i < flat; i++)
		twin_push(w, time_step(s), how != 1, pss, true, how == 1 ? pss : rss, true);
	uint64_t target = w->samples + (between(s, 0, 6) ? between(s, 0, 800) : between(s, 0, 6000));

	while (w->samples < target) {
		uint64_t what = between(s, 0, 9);
		uint32_t len = run_length(s);

		if (what < 6) { /* a flat run, maybe at the value it had */
			if (between(s, 0, 2))
				pss = new_value(s);
			rss = between(s, 0, 2) ? new_value(s) : rss;
		} else if (what < 8) { /* a gap of the series */
			len = (uint32_t)between(s, 1, 3);
			for (uint32_t i = 0; i < len; i++)
				twin_push(w, time_step(s), false, pss, how != 1 && between(s, 0, 1), rss,
					  true);
			continue;
		} else { /* the other series moves, this one not */
			for (uint32_t i = 0; i < len; i++)
				twin_push(w, time_step(s), how != 1, pss, true, new_value(s), true);
			continue;
		}
		for (uint32_t i = 0; i < len; i++)
			twin_push(w, time_step(s), how != 1, pss, true, rss, true);
	}
	twin_fini(w);
}

static void
test_property(void **state)
{
	uint64_t s = 14; /* issue #14 */
	uint64_t samples = 0, checks = 0, stayed_flat = 0, longest_flat = 0;
	struct twin w;

	(void)state;
	for (int c = 0; c < CASES; c++) {
		one_case(&s, &w);
		samples += w.samples;
		checks += w.checks;
		stayed_flat += w.flat;
		longest_flat = w.flat_run > longest_flat ? w.flat_run : longest_flat;
	}
	print_message("lowenv property: %d cases, %llu samples, %llu comparisons, %llu stayed "
		      "flat, longest flat start %llu\n",
		      CASES, (unsigned long long)samples, (unsigned long long)checks,
		      (unsigned long long)stayed_flat, (unsigned long long)longest_flat);
	assert_true(stayed_flat > 0 && stayed_flat < CASES);
}

/* The clock keeps its times when it grows for a bigger window. */
static void
test_clock_grows(void **state)
{
	struct twin w;

	(void)state;
	twin_init(&w, 64, true);
	for (int i = 0; i < 100; i++)
		twin_push(&w, 10, true, 500, true, 900, true);
	assert_int_equal(w.clock.cap, 64);
	lowenv_clock_tick(&w.clock, 600, w.now_ds += 7); /* a bigger cap, one tick */
	assert_int_equal(w.clock.cap, 512);
	lowenv_push(&w.eager, w.now_ds, true, 500, true, 900);
	lowenv_feed(&w.lazy, &w.clock, true, 500, true, 900);
	w.samples++;
	twin_check(&w);
	for (int i = 0; i < 100; i++)
		twin_push(&w, 3, true, 500, true, 900, true);
	twin_push(&w, 3, true, 400, true, 900, true);
	twin_fini(&w);
}

/* In the table, an idle process holds the short form; a growing one the ring. */
static void
test_table_short_form(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .leak_cap = LEAK_LIVE_SAMPLES };
	struct proc *grow;

	(void)state;
	fake_init(&f);
	table_init(&t);
	grow = fake_add(&f, 10, 5, 10000);
	fake_add(&f, 20, 6, 50000);
	for (int s = 0; s < 700; s++) {
		proc_set(grow, F_RSS, 10000 + 64 * s);
		f.now_ms = 1000 + 1000 * (uint64_t)s;
		f.wall_ms = INT64_C(1700000000000) + (int64_t)f.now_ms;
		assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	}
	const struct proc *idle = table_find(&t, 20), *leaky = table_find(&t, 10);

	assert_non_null(idle);
	assert_non_null(leaky);
	assert_false(idle->env->full);
	assert_int_equal(idle->env->samples, 700);
	assert_true(sizeof(struct lowenv_hdr) <= 16);
	assert_true(malloc_usable_size(idle->env) < 32);
	assert_true(proc_has(idle, F_LEAK)); /* estimated all the same */
	assert_true(leaky->env->full);
	assert_true(malloc_usable_size(leaky->env) >= sizeof(struct lowenv));
	print_message("bytes per envelope: idle %zu (short form), changing %zu (full)\n",
		      malloc_usable_size(idle->env), malloc_usable_size(leaky->env));
	table_fini(&t);
	fake_fini(&f);
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ten million equal samples, then a change: the short form turns full in O(LOWENV_BLOCKS). */
static void
test_long_flat_run(void **state)
{
	struct twin w;
	uint64_t s = 7;

	(void)state;
	twin_init(&w, LEAK_LIVE_SAMPLES, true);
	for (uint32_t i = 0; i < 10000000; i++)
		twin_push(&w, (uint32_t)between(&s, 1, 3), true, 123456, true, 200000,
			  i % 1000003 == 0);
	twin_check(&w);
	assert_false(w.lazy->full);
	assert_int_equal(w.lazy->samples, 10000000);

	double t0 = seconds();

	w.now_ds += 2;
	lowenv_clock_tick(&w.clock, w.cap, w.now_ds);
	lowenv_feed(&w.lazy, &w.clock, true, 123455, true, 200000);
	double took = seconds() - t0;

	lowenv_push(&w.eager, w.now_ds, true, 123455, true, 200000);
	w.flat = false;
	w.samples++;
	assert_true(w.lazy->full);
	twin_check(&w);
	print_message("10,000,000 flat samples, then a change: %.1f us\n", took * 1e6);
	assert_true(took < 0.005); /* a replay would take tens of milliseconds */
	twin_fini(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_clock_grows),
		cmocka_unit_test(test_table_short_form),
		cmocka_unit_test(test_long_flat_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
