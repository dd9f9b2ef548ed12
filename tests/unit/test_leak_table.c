/*
 * Leak estimates in the live table (model/leak.c leak_track, leak_suspects,
 * through model/table.c): the leak column appears once there is enough
 * history and follows PSS where it is read, suspects carry their "growing
 * since" in wall-clock time, a reused PID starts from nothing, and without
 * leak_cap nothing is estimated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "fake_source.h"
#include "model/leak.h"
#include "model/table.h"

#define WALL0 INT64_C(1700000000000)

static void
refresh_at(struct table *t, struct fake_source *f, const struct table_opts *o, uint64_t now_ms)
{
	f->now_ms = now_ms;
	f->wall_ms = WALL0 + (int64_t)now_ms;
	assert_int_equal(table_refresh(t, &f->base, o), 0);
}

static const struct proc *
must_find(const struct table *t, pid_t pid)
{
	const struct proc *p = table_find(t, pid);

	assert_non_null(p);
	return p;
}

/* A process growing 1 MiB of RSS a second (PSS: half) beside a flat one. */
static void
test_leak_column_and_suspect(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 0,
				.leak_cap = LEAK_LIVE_SAMPLES };
	struct leak_row *rows = NULL;
	size_t cap = 0, est;

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *grow = fake_add(&f, 10, 5, 10000);

	fake_add(&f, 20, 6, 50000);
	for (int s = 0; s < 60; s++) {
		proc_set(grow, F_RSS, 10000 + 1024 * s);
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
		if (s < 20) {
			assert_false(proc_has(must_find(&t, 10), F_LEAK)); /* not enough history */
			assert_false(must_find(&t, 10)->flags & PROC_LEAK);
		}
	}
	const struct proc *p = must_find(&t, 10), *q = must_find(&t, 20);

	assert_true(proc_has(p, F_LEAK));
	assert_int_equal(proc_val(p, F_LEAK), 512 * 3600); /* PSS is half the fake's RSS */
	assert_true(p->flags & PROC_LEAK);
	assert_true(proc_has(q, F_LEAK));
	assert_int_equal(proc_val(q, F_LEAK), 0);
	assert_false(q->flags & PROC_LEAK);

	const struct proc *all[2] = { p, q };
	size_t n = leak_suspects(&t, all, 2, &rows, &cap, &est);

	assert_int_equal(n, 1);
	assert_int_equal(est, 2);
	assert_int_equal(rows[0].pid, 10);
	assert_string_equal(rows[0].comm, "p10");
	assert_int_equal(rows[0].kib_per_h, 512 * 3600);
	assert_true(rows[0].pss);
	assert_int_equal(rows[0].kib, (10000 + 1024 * 59) / 2);
	/* growing since the first sample, in wall-clock milliseconds */
	assert_int_equal(rows[0].since_unix_ms, WALL0 + 1000);
	free(rows);
	table_fini(&t);
	fake_fini(&f);
}

/* A reused PID (another start time) is a new process: its history starts empty. */
static void
test_pid_reuse_starts_over(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .leak_cap = LEAK_LIVE_SAMPLES };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *a = fake_add(&f, 30, 100, 1000);

	for (int s = 0; s < 40; s++) {
		proc_set(a, F_RSS, 1000 + 2048 * s);
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
	}
	assert_true(must_find(&t, 30)->flags & PROC_LEAK);
	/* same PID, another process: bigger than the first ever was, and flat */
	a->start_ticks = 200;
	proc_set(a, F_RSS, 900000);
	for (int s = 40; s < 100; s++) {
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
		const struct proc *p = must_find(&t, 30);

		if (s < 60)
			assert_false(proc_has(p, F_LEAK));
		assert_false(p->flags & PROC_LEAK);
	}
	assert_int_equal(proc_val(must_find(&t, 30), F_LEAK), 0);
	table_fini(&t);
	fake_fini(&f);
}

/*
 * A leak older than the envelope's window keeps the "growing since" it was
 * first seen with, and a process that stops growing stops being a suspect.
 */
static void
test_since_outlives_window(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .leak_cap = LEAK_LIVE_SAMPLES };
	struct leak_row *rows = NULL;
	size_t cap = 0;
	const struct proc *p;
	int s;

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *g = fake_add(&f, 50, 9, 1000);

	for (s = 0; s < 800; s++) { /* 800 samples: past the 512 the envelope spans */
		proc_set(g, F_RSS, 1000 + 100 * s);
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
	}
	p = must_find(&t, 50);
	assert_true(p->flags & PROC_LEAK);
	assert_int_equal(proc_val(p, F_LEAK), 360000);
	assert_int_equal(leak_suspects(&t, &p, 1, &rows, &cap, NULL), 1);
	assert_int_equal(rows[0].since_unix_ms, WALL0 + 1000);
	/* it stops: after a while it is no longer a suspect */
	for (; s < 1400; s++)
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
	p = must_find(&t, 50);
	assert_false(p->flags & PROC_LEAK);
	assert_int_equal(leak_suspects(&t, &p, 1, &rows, &cap, NULL), 0);
	free(rows);
	table_fini(&t);
	fake_fini(&f);
}

/* Without leak_cap: no envelope, no estimate. */
static void
test_off_without_cap(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *g = fake_add(&f, 40, 1, 1000);

	for (int s = 0; s < 60; s++) {
		proc_set(g, F_RSS, 1000 + 4096 * s);
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)s);
	}
	assert_false(proc_has(must_find(&t, 40), F_LEAK));
	assert_null(must_find(&t, 40)->env);
	table_fini(&t);
	fake_fini(&f);
}

/*
 * A recorded past (leak_past_reduce of a recording's series, found by pid and
 * start time) fills the leak column at the first refresh, with "growing
 * since" back in the recording; a past of another start time (a reused PID)
 * or of the other series is not joined; far older than the window, not either.
 */
static void
test_recorded_past_joins(void **state)
{
	struct fake_source f;
	struct table t;
	struct leak_pasts pasts = { 0 };
	struct table_opts o = { .rollup = false, .leak_cap = LEAK_LIVE_SAMPLES, .leak_past = &pasts };
	int64_t tm[120];
	double kib[120];
	struct leak_row *rows = NULL;
	size_t cap = 0;

	(void)state;
	fake_init(&f);
	table_init(&t);
	/* recorded: 2 minutes before smaptop's first refresh, 1 MiB/s (RSS: no rollup read) */
	for (int i = 0; i < 120; i++) {
		tm[i] = WALL0 - 120000 + 1000 * i;
		kib[i] = 1000 + 1024.0 * i;
	}
	leak_past_reduce(leak_past_slot(&pasts, 60, 7), tm, kib, 120, tm[119], false);
	leak_past_reduce(leak_past_slot(&pasts, 61, 8), tm, kib, 120, tm[119], false); /* 61 runs as start 9 */
	leak_past_reduce(leak_past_slot(&pasts, 62, 7), tm, kib, 120, tm[119], true);  /* PSS, 62 has RSS only */
	for (int i = 0; i < 120; i++)
		tm[i] -= 3 * 86400000; /* three days older: outside the window */
	leak_past_reduce(leak_past_slot(&pasts, 63, 7), tm, kib, 120, tm[119], false);
	assert_int_equal(pasts.n, 4);
	assert_int_equal(pasts.v[0].n, LEAK_PAST_POINTS);
	/* a value recorded once holds: one point a group, all of its value */
	leak_past_reduce(leak_past_slot(&pasts, 64, 7), tm, kib, 1, tm[0] + 3600000, false);
	assert_int_equal(leak_past_find(&pasts, 64, 7)->n, LEAK_PAST_POINTS);
	assert_true(leak_past_find(&pasts, 64, 7)->p[LEAK_PAST_POINTS - 1].kib == 1000);
	leak_pasts_drop(&pasts, 4); /* 64 is the last one: not a process of this table */
	assert_null(leak_past_find(&pasts, 64, 7));
	assert_non_null(leak_past_find(&pasts, 61, 8));
	assert_null(leak_past_find(&pasts, 61, 9));

	for (pid_t pid = 60; pid <= 63; pid++)
		fake_add(&f, pid, pid == 61 ? 9 : 7, 1000 + 1024 * 120);
	refresh_at(&t, &f, &o, 1000);
	const struct proc *p = must_find(&t, 60);

	assert_true(proc_has(p, F_LEAK));
	assert_true(proc_val(p, F_LEAK) > 1024 * 3600 * 9 / 10 && proc_val(p, F_LEAK) < 1024 * 3600 * 11 / 10);
	assert_true(p->flags & PROC_LEAK);
	assert_int_equal(leak_suspects(&t, &p, 1, &rows, &cap, NULL), 1);
	assert_int_equal(rows[0].since_unix_ms, WALL0 - 120000); /* the recording's start */
	for (pid_t pid = 61; pid <= 63; pid++)
		assert_false(proc_has(must_find(&t, pid), F_LEAK));
	free(rows);
	leak_pasts_fini(&pasts);
	table_fini(&t);
	fake_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leak_column_and_suspect),
		cmocka_unit_test(test_pid_reuse_starts_over),
		cmocka_unit_test(test_since_outlives_window),
		cmocka_unit_test(test_off_without_cap),
		cmocka_unit_test(test_recorded_past_joins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
