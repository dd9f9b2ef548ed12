/*
 * The live model (model/table.c) fed by the scripted source of fake_source.h:
 * merging refreshes, PID reuse, rates, kernel threads, rollup failures, tiered
 * PSS collection, history rings and growth. Every clock value is set by the
 * test, so rates and ages are exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "fake_source.h"
#include "model/hist.h"
#include "model/table.h"

/* The process pid of t, failing the test when it is missing. */
static const struct proc *
must_find(const struct table *t, pid_t pid)
{
	const struct proc *p = table_find(t, pid);

	if (!p)
		fail_msg("pid %d missing from the table", (int)pid);
	return p;
}

/* Refreshes at now_ms and requires success. */
static void
refresh_at(struct table *t, struct fake_source *f, const struct table_opts *o, uint64_t now_ms)
{
	f->now_ms = now_ms;
	assert_int_equal(table_refresh(t, &f->base, o), 0);
}

static void
assert_pids(const struct table *t, const pid_t *want, size_t n)
{
	assert_int_equal(t->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(proc_val(&t->procs[i], F_PID), want[i]);
}

static void
test_merge_sorted_appear_exit(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .cmdline = true };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 30, 300, 3000);
	fake_add(&f, 10, 100, 1000);
	fake_set_cmdline(fake_add(&f, 20, 200, 2000), "sleep\0" "60", 8);

	refresh_at(&t, &f, &o, 1000);
	assert_pids(&t, (const pid_t[]){ 10, 20, 30 }, 3);
	assert_int_equal(t.refreshes, 1);
	assert_int_equal(t.now_ms, 1000);
	assert_int_equal(t.wall_ms, f.wall_ms);

	fake_remove(&f, 10);
	fake_add(&f, 40, 400, 4000);
	fake_add(&f, 5, 50, 500);
	f.wall_ms += 1000;
	refresh_at(&t, &f, &o, 2000);
	assert_pids(&t, (const pid_t[]){ 5, 20, 30, 40 }, 4);
	assert_null(table_find(&t, 10));
	assert_int_equal(t.refreshes, 2);
	assert_int_equal(t.wall_ms, f.wall_ms);

	const struct proc *p = must_find(&t, 20);
	assert_int_equal(proc_val(p, F_RSS), 2000);
	assert_int_equal(p->start_ticks, 200);
	assert_string_equal(proc_comm(p), "p20");
	assert_int_equal(p->cmd_len, 8);
	assert_memory_equal(p->cmdline, "sleep\0" "60", 8);
	assert_ptr_not_equal(p->cmdline, fake_find(&f, 20)->cmdline);
	assert_int_equal(proc_val(must_find(&t, 40), F_PSS), 2000);

	/* Everything exits. */
	fake_fini(&f);
	fake_init(&f);
	refresh_at(&t, &f, &o, 3000);
	assert_int_equal(t.n, 0);
	assert_null(table_find(&t, 20));

	table_fini(&t);
	fake_fini(&f);
}

static void
test_no_cmdline_unless_wanted(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .cmdline = false };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_set_cmdline(fake_add(&f, 20, 200, 2000), "sleep\0" "60", 8);
	refresh_at(&t, &f, &o, 1000);
	assert_null(must_find(&t, 20)->cmdline);
	assert_int_equal(must_find(&t, 20)->cmd_len, 0);
	/* rollup off: the PSS family is never read and stays unknown */
	assert_int_equal(f.rollups, 0);
	assert_int_equal(must_find(&t, 20)->known & ROLLUP_FIELDS, 0);
	table_fini(&t);
	fake_fini(&f);
}

static void
test_pid_reuse_new_history(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000, .hist_cap = 8 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *tp = fake_add(&f, 5, 100, 1000);
	proc_set(tp, F_MINFLT, 10);
	proc_set(tp, F_MAJFLT, 1);
	refresh_at(&t, &f, &o, 1000);

	proc_set(tp, F_MINFLT, 30);
	proc_set(tp, F_MAJFLT, 3);
	refresh_at(&t, &f, &o, 2000);
	const struct proc *p = must_find(&t, 5);
	assert_int_equal(proc_val(p, F_MINFLT_RATE), 20);
	assert_int_equal(p->hist->n, 2);
	assert_true(proc_has(p, F_GROWTH));
	assert_int_equal(proc_val(p, F_GROWTH), 0);
	assert_int_equal(fake_rollups_of(&f, 5), 1); /* unchanged, young: carried */

	/* Same pid, new start time: another process. Counters are bigger, RSS equal. */
	tp->start_ticks = 777;
	proc_set(tp, F_MINFLT, 40);
	proc_set(tp, F_MAJFLT, 4);
	refresh_at(&t, &f, &o, 3000);
	p = must_find(&t, 5);
	assert_int_equal(p->start_ticks, 777);
	assert_false(proc_has(p, F_MINFLT_RATE));
	assert_false(proc_has(p, F_MAJFLT_RATE));
	assert_false(proc_has(p, F_GROWTH));
	assert_non_null(p->hist);
	assert_int_equal(p->hist->n, 1);
	assert_int_equal(fake_rollups_of(&f, 5), 2); /* nothing to carry from */
	assert_int_equal(proc_val(p, F_PSS_AGE), 0);

	table_fini(&t);
	fake_fini(&f);
}

static void
test_fault_rates(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *tp = fake_add(&f, 9, 90, 100);
	proc_set(tp, F_MINFLT, 100);
	proc_set(tp, F_MAJFLT, 7);
	refresh_at(&t, &f, &o, 10000);
	assert_false(proc_has(must_find(&t, 9), F_MINFLT_RATE));
	assert_false(proc_has(must_find(&t, 9), F_MAJFLT_RATE));

	proc_set(tp, F_MINFLT, 600);
	proc_set(tp, F_MAJFLT, 12);
	refresh_at(&t, &f, &o, 12500);
	const struct proc *p = must_find(&t, 9);
	assert_int_equal(proc_val(p, F_MINFLT_RATE), 200); /* 500 faults / 2.5 s */
	assert_int_equal(proc_val(p, F_MAJFLT_RATE), 2);   /* 5 / 2.5 s */

	/* A counter that went backwards gives no rate; an unchanged one gives 0. */
	proc_set(tp, F_MINFLT, 500);
	refresh_at(&t, &f, &o, 13500);
	p = must_find(&t, 9);
	assert_false(proc_has(p, F_MINFLT_RATE));
	assert_true(proc_has(p, F_MAJFLT_RATE));
	assert_int_equal(proc_val(p, F_MAJFLT_RATE), 0);

	/* No time elapsed: no rate. */
	proc_set(tp, F_MINFLT, 900);
	refresh_at(&t, &f, &o, 13500);
	assert_false(proc_has(must_find(&t, 9), F_MINFLT_RATE));

	table_fini(&t);
	fake_fini(&f);
}

static void
test_kthreads(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .hist_cap = 4, .pss_max_age_ms = 60000 };

	(void)state;
	fake_init(&f);
	fake_add(&f, 2, 2, 0)->flags |= PROC_KTHREAD;
	fake_add(&f, 100, 1000, 4000);

	table_init(&t);
	refresh_at(&t, &f, &o, 1000);
	assert_pids(&t, (const pid_t[]){ 100 }, 1);
	assert_null(table_find(&t, 2));
	assert_int_equal(fake_rollups_of(&f, 2), 0);
	/* Left out, so never known: still no status read for it on light scans. */
	refresh_at(&t, &f, &o, 2000);
	refresh_at(&t, &f, &o, 3000);
	assert_int_equal(f.light_scans, 2);
	assert_int_equal(f.status_reads, 0);
	assert_null(table_find(&t, 2));
	table_fini(&t);

	o.kthreads = true;
	table_init(&t);
	refresh_at(&t, &f, &o, 1000);
	assert_pids(&t, (const pid_t[]){ 2, 100 }, 2);
	const struct proc *k = must_find(&t, 2);
	assert_true(k->flags & PROC_KTHREAD);
	assert_int_equal(fake_rollups_of(&f, 2), 0); /* no mm: nothing to read */
	assert_false(proc_has(k, F_PSS));
	assert_null(k->hist);
	assert_non_null(must_find(&t, 100)->hist);
	table_fini(&t);
	fake_fini(&f);
}

/*
 * Names past 15 bytes (workqueue workers') are strings of their own: through
 * merges, light scans, renames, exits and records left out, each reads back
 * whole and is freed once (ASan checks that).
 */
static void
test_long_names(void **state)
{
	static const char kw[] = "kworker/u8:2-events_unbound", kb[] = "kworker/1:1H-kblockd";
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .kthreads = true, .pss_max_age_ms = 60000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *k = fake_add(&f, 2, 2, 0);
	k->flags |= PROC_KTHREAD;
	proc_set_comm(k, kw, strlen(kw));
	proc_set_comm(fake_add(&f, 100, 1000, 4000), kb, strlen(kb));
	refresh_at(&t, &f, &o, 1000);
	assert_string_equal(proc_comm(must_find(&t, 2)), kw);
	assert_ptr_not_equal(proc_comm(must_find(&t, 2)), proc_comm(fake_find(&f, 2)));
	refresh_at(&t, &f, &o, 2000);
	assert_int_equal(f.light_scans, 1);
	assert_string_equal(proc_comm(must_find(&t, 100)), kb);

	proc_set_comm(fake_find(&f, 100), "sh", 2); /* exec, to a short name */
	fake_remove(&f, 2);
	k = fake_add(&f, 3, 3, 0);
	k->flags |= PROC_KTHREAD;
	proc_set_comm(k, kw, strlen(kw));
	o.kthreads = false; /* 3 is scanned, then left out */
	refresh_at(&t, &f, &o, 3000);
	assert_pids(&t, (const pid_t[]){ 100 }, 1);
	assert_string_equal(proc_comm(must_find(&t, 100)), "sh");
	table_fini(&t);
	fake_fini(&f);
}

/*
 * The scan's array is reserved for everything the last scan delivered, hidden
 * kernel threads included: were it sized on the processes kept, every scan of
 * a machine with kernel threads would outgrow it, and double it.
 */
static void
test_reserve_counts_hidden(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	fake_init(&f);
	for (pid_t pid = 2; pid < 42; pid++)
		fake_add(&f, pid, 1, 0)->flags |= PROC_KTHREAD;
	for (pid_t pid = 1000; pid < 1200; pid++)
		fake_add(&f, pid, 1000, 4000);
	table_init(&t);
	refresh_at(&t, &f, &o, 1000);
	refresh_at(&t, &f, &o, 2000);
	assert_int_equal(t.n, 200);
	assert_int_equal(t.next.scanned, 240);
	assert_true(t.cap >= 240 && t.cap < 240 * 5 / 4); /* room for all, not doubled */
	table_fini(&t);
	fake_fini(&f);
}

static void
test_zombie_not_rolled_up(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 66, 660, 0)->flags |= PROC_ZOMBIE;
	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(t.n, 1);
	assert_int_equal(fake_rollups_of(&f, 66), 0);
	assert_int_equal(must_find(&t, 66)->known & ROLLUP_FIELDS, 0);
	table_fini(&t);
	fake_fini(&f);
}

static void
test_rollup_esrch_drops_process(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 1, 10, 1000);
	fake_add(&f, 2, 20, 2000);
	fake_add(&f, 3, 30, 3000);
	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(t.n, 3);

	/* 2 exits between scan and rollup. */
	fake_script(&f, 2, -ESRCH, 0);
	refresh_at(&t, &f, &o, 2000);
	assert_pids(&t, (const pid_t[]){ 1, 3 }, 2);
	assert_null(table_find(&t, 2));
	assert_int_equal(t.rollups, 3);
	assert_int_equal(t.denied, 0);
	assert_int_equal(fake_rollups_of(&f, 2), 2);

	/* A process seen for the first time vanishing the same way. */
	fake_add(&f, 4, 40, 4000);
	fake_script(&f, 4, -ESRCH, 0);
	refresh_at(&t, &f, &o, 3000);
	assert_pids(&t, (const pid_t[]){ 1, 3 }, 2);

	table_fini(&t);
	fake_fini(&f);
}

static void
test_rollup_eacces_unknown_not_zero(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 1, 10, 1000);
	struct proc *tp = fake_add(&f, 2, 20, 2000);
	fake_script(&f, 2, -EACCES, 0);

	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(t.n, 2);
	const struct proc *p = must_find(&t, 2);
	assert_int_equal(p->known & ROLLUP_FIELDS, 0);
	assert_false(proc_has(p, F_PSS_AGE));
	assert_true(p->flags & PROC_ROLLUP_DENIED);
	assert_true(proc_has(p, F_RSS)); /* the cheap fields are still there */
	assert_int_equal(proc_val(p, F_RSS), 2000);
	assert_int_equal(t.denied, 1);
	assert_int_equal(t.rollups, 2);
	p = must_find(&t, 1);
	assert_int_equal(proc_val(p, F_PSS), 500);
	assert_false(p->flags & PROC_ROLLUP_DENIED);

	/* Refused stays refused until the age bound, even when RSS changes. */
	proc_set(tp, F_RSS, 2100);
	refresh_at(&t, &f, &o, 2000);
	p = must_find(&t, 2);
	assert_int_equal(fake_rollups_of(&f, 2), 1);
	assert_int_equal(p->known & ROLLUP_FIELDS, 0);
	assert_true(p->flags & PROC_ROLLUP_DENIED);
	assert_int_equal(t.denied, 1);

	/* Retried past the age bound (still refused). */
	refresh_at(&t, &f, &o, 6001);
	assert_int_equal(fake_rollups_of(&f, 2), 2);
	assert_int_equal(t.denied, 1);

	/* Permission granted: values appear, the flag goes. */
	fake_unscript(&f, 2);
	refresh_at(&t, &f, &o, 11002);
	p = must_find(&t, 2);
	assert_int_equal(fake_rollups_of(&f, 2), 3);
	assert_int_equal(p->known & ROLLUP_FIELDS, ROLLUP_FIELDS);
	assert_int_equal(proc_val(p, F_PSS), 1050);
	assert_false(p->flags & PROC_ROLLUP_DENIED);
	assert_int_equal(t.denied, 0);

	table_fini(&t);
	fake_fini(&f);
}

static void
tiered_pss(uint64_t base)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000 };

	fake_init(&f);
	table_init(&t);
	fake_add(&f, 1, 10, 1000);
	struct proc *t2 = fake_add(&f, 2, 20, 2000);

	refresh_at(&t, &f, &o, base + 1000);
	assert_int_equal(fake_rollups_of(&f, 1), 1);
	assert_int_equal(fake_rollups_of(&f, 2), 1);
	assert_int_equal(t.rollups, 2);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS), 500);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS_AGE), 0);

	/* A re-read of 1 would now give 999: seeing 500 proves it was carried. */
	fake_script(&f, 1, 0, 999);
	proc_set(t2, F_RSS, 2400);
	refresh_at(&t, &f, &o, base + 2000);
	const struct proc *p = must_find(&t, 1);
	assert_int_equal(fake_rollups_of(&f, 1), 1);
	assert_int_equal(proc_val(p, F_PSS), 500);
	assert_int_equal(proc_val(p, F_USS), 250);
	assert_int_equal(p->known & ROLLUP_FIELDS, ROLLUP_FIELDS);
	assert_int_equal(proc_val(p, F_PSS_AGE), 1000);
	assert_int_equal(p->pss_ms, proc_stamp(base + 1000));
	p = must_find(&t, 2); /* RSS changed: re-read */
	assert_int_equal(fake_rollups_of(&f, 2), 2);
	assert_int_equal(proc_val(p, F_PSS), 1200);
	assert_int_equal(proc_val(p, F_PSS_AGE), 0);
	assert_int_equal(t.rollups, 1);

	refresh_at(&t, &f, &o, base + 4000);
	assert_int_equal(t.rollups, 0);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS_AGE), 3000);
	assert_int_equal(proc_val(must_find(&t, 2), F_PSS_AGE), 2000);

	refresh_at(&t, &f, &o, base + 5999);
	assert_int_equal(fake_rollups_of(&f, 1), 1);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS_AGE), 4999);

	/* At the age bound still shown, past it re-read. */
	refresh_at(&t, &f, &o, base + 6000);
	assert_int_equal(fake_rollups_of(&f, 1), 1);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS_AGE), 5000);
	refresh_at(&t, &f, &o, base + 6001);
	p = must_find(&t, 1);
	assert_int_equal(fake_rollups_of(&f, 1), 2);
	assert_int_equal(proc_val(p, F_PSS), 999);
	assert_int_equal(proc_val(p, F_PSS_AGE), 0);
	assert_int_equal(fake_rollups_of(&f, 2), 2);
	assert_int_equal(proc_val(must_find(&t, 2), F_PSS_AGE), 4001);

	/* VSZ and swap changes count as changes too. */
	proc_set(t2, F_VSZ, 9999);
	refresh_at(&t, &f, &o, base + 6500);
	assert_int_equal(fake_rollups_of(&f, 2), 3);
	proc_set(t2, F_SWAP, 64);
	f.swap_kib += 64; /* swapped out: the system's swap moves with it */
	refresh_at(&t, &f, &o, base + 7000);
	assert_int_equal(fake_rollups_of(&f, 2), 4);
	assert_int_equal(fake_rollups_of(&f, 1), 2);

	/* pss_max_age_ms = 0: every refresh reads every process. */
	o.pss_max_age_ms = 0;
	refresh_at(&t, &f, &o, base + 7001);
	assert_int_equal(fake_rollups_of(&f, 1), 3);
	assert_int_equal(fake_rollups_of(&f, 2), 5);

	table_fini(&t);
	fake_fini(&f);
}

static void
test_tiered_pss(void **state)
{
	(void)state;
	tiered_pss(0);
}

/* The same across the wrap of the 32-bit stamps (49.7 days of monotonic clock). */
static void
test_tiered_pss_stamp_wrap(void **state)
{
	(void)state;
	tiered_pss((UINT64_C(1) << 32) - 2500);
	tiered_pss((UINT64_C(7) << 32) - 3000);
}

/*
 * Status tier: after a full first scan, refreshes read stat only and carry
 * status over for processes stat shows unchanged. stat showing a change, the
 * system's swap moving, or the PSS family coming due reads status again.
 */
static void
test_status_tier(void **state)
{
	struct fake_source f;
	struct table t;
	/* A bound this long re-reads nothing early (spread) at first. */
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 60000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *a = fake_add(&f, 1, 10, 1000);
	struct proc *b = fake_add(&f, 2, 20, 2000);
	for (pid_t pid = 3; pid <= 8; pid++)
		fake_add(&f, pid, (uint64_t)pid * 10, 100);
	proc_set(a, F_RSS_ANON, 600);
	a->user = "alice";
	proc_set(a, F_USER, 0);

	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(f.light_scans, 0); /* nothing to carry from */
	assert_int_equal(t.statuses, 0);   /* none known before: the next scan is light */

	/* Nothing changed: a light scan, no status read, the values carried. */
	refresh_at(&t, &f, &o, 2000);
	assert_int_equal(f.light_scans, 1);
	assert_int_equal(f.status_reads, 0);
	const struct proc *p = must_find(&t, 1);
	assert_int_equal(proc_val(p, F_RSS), 1000);
	assert_int_equal(proc_val(p, F_RSS_ANON), 600);
	assert_int_equal(proc_val(p, F_UID), 1000);
	assert_string_equal(p->user, "alice");
	assert_true(proc_has(p, F_USER) && proc_has(p, F_SWAP));
	assert_true(proc_has(p, F_LOCKED) == proc_has(a, F_LOCKED));

	/* RSS moved (stat shows it): status and the rollup are read for it alone. */
	proc_set(b, F_RSS, 2400);
	proc_set(b, F_RSS_ANON, 1400);
	refresh_at(&t, &f, &o, 3000);
	assert_int_equal(f.status_reads, 1);
	assert_int_equal(proc_val(must_find(&t, 2), F_RSS_ANON), 1400);
	assert_int_equal(proc_val(must_find(&t, 2), F_PSS), 1200);
	assert_int_equal(fake_rollups_of(&f, 2), 2);

	/* A fault alone (same RSS) is a change too. */
	proc_set(a, F_MINFLT, 5);
	proc_set(a, F_RSS_ANON, 650);
	refresh_at(&t, &f, &o, 3500);
	assert_int_equal(f.status_reads, 2);
	assert_int_equal(proc_val(must_find(&t, 1), F_RSS_ANON), 650);

	/*
	 * Swap freed with nothing in stat moving (MADV_DONTNEED of swapped-out
	 * pages): only the system's swap total shows it, and then every status
	 * is read again.
	 */
	proc_set(b, F_SWAP, 0);
	refresh_at(&t, &f, &o, 3600);
	assert_int_equal(f.status_reads, 2);
	proc_set(b, F_SWAP, 64);
	f.swap_kib = 64;
	refresh_at(&t, &f, &o, 3700);
	assert_int_equal(f.status_reads, 10);
	assert_int_equal(proc_val(must_find(&t, 2), F_SWAP), 64);
	assert_int_equal(t.statuses, 8);

	/* That was a third or more: the next scan is a full one, then light again. */
	unsigned light = f.light_scans;
	refresh_at(&t, &f, &o, 3800);
	assert_int_equal(f.light_scans, light);
	refresh_at(&t, &f, &o, 3900);
	assert_int_equal(f.light_scans, light + 1);

	/*
	 * A change stat cannot see (a reclaim too small for the approximate
	 * counter) is carried, but never past the age bound: by then a full scan
	 * has come, and the scans in between were light.
	 */
	o.pss_max_age_ms = 5000;
	proc_set(a, F_RSS_ANON, 700);
	uint64_t now = 3900;
	light = f.light_scans;
	unsigned scans = f.scans;
	while (proc_val(must_find(&t, 1), F_RSS_ANON) != 700 && now < 3900 + 6000) {
		now += 500;
		refresh_at(&t, &f, &o, now);
		assert_true(t.now_ms - t.full_ms <= 5000); /* what is carried is no older */
	}
	assert_int_equal(proc_val(must_find(&t, 1), F_RSS_ANON), 700);
	assert_int_equal(t.full_ms, now);
	assert_int_equal(f.light_scans - light, f.scans - scans - 1);
	assert_true(f.scans - scans >= 5000 / 500 - 1);
	assert_int_equal(f.status_reads, 10); /* none of them asked for status */

	/* Gone between the scan and the status read: left out, not carried. */
	light = f.light_scans;
	proc_set(a, F_RSS, 1100);
	f.gone_at_status = 1;
	refresh_at(&t, &f, &o, now + 100);
	assert_int_equal(f.light_scans, light + 1);
	assert_null(table_find(&t, 1));
	assert_non_null(table_find(&t, 2));
	f.gone_at_status = 0;
	refresh_at(&t, &f, &o, now + 200);
	assert_int_equal(proc_val(must_find(&t, 1), F_RSS), 1100);

	/* Becoming a zombie: its memory is unavailable, not carried. */
	a->flags |= PROC_ZOMBIE;
	refresh_at(&t, &f, &o, now + 300);
	p = must_find(&t, 1);
	assert_false(proc_has(p, F_RSS));
	assert_false(proc_has(p, F_SWAP));
	assert_string_equal(p->user, "alice");

	table_fini(&t);
	fake_fini(&f);
}

static void
test_tiered_big_process_on_age_only(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000, .big_rss_kib = 10000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *big = fake_add(&f, 3, 30, 20000);
	struct proc *small = fake_add(&f, 4, 40, 1000);

	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(proc_val(must_find(&t, 3), F_PSS), 10000);

	proc_set(big, F_RSS, 21000);
	proc_set(small, F_RSS, 1100);
	refresh_at(&t, &f, &o, 2000);
	assert_int_equal(fake_rollups_of(&f, 3), 1);
	assert_int_equal(proc_val(must_find(&t, 3), F_PSS), 10000);
	assert_int_equal(proc_val(must_find(&t, 3), F_PSS_AGE), 1000);
	assert_int_equal(fake_rollups_of(&f, 4), 2);
	assert_int_equal(proc_val(must_find(&t, 4), F_PSS), 550);

	proc_set(big, F_RSS, 22000);
	refresh_at(&t, &f, &o, 3000);
	assert_int_equal(fake_rollups_of(&f, 3), 1);

	proc_set(big, F_RSS, 23000);
	refresh_at(&t, &f, &o, 6001);
	assert_int_equal(fake_rollups_of(&f, 3), 2);
	assert_int_equal(proc_val(must_find(&t, 3), F_PSS), 11500);
	assert_int_equal(proc_val(must_find(&t, 3), F_PSS_AGE), 0);

	table_fini(&t);
	fake_fini(&f);
}

/*
 * The live source stamps pss_ms when it reads smaps_rollup, after the scan
 * started; the age shown must not go negative.
 */
static void
test_pss_age_never_negative(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	f.stamp_delay_ms = 7;
	fake_add(&f, 1, 10, 1000);
	refresh_at(&t, &f, &o, 1000);
	const struct proc *p = must_find(&t, 1);
	assert_true(proc_has(p, F_PSS_AGE));
	assert_true(proc_val(p, F_PSS_AGE) >= 0);
	assert_int_equal(proc_val(p, F_PSS_AGE), 0);
	refresh_at(&t, &f, &o, 2000);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS_AGE), 993);
	table_fini(&t);
	fake_fini(&f);
}

static void
test_history_capped(void **state)
{
	enum { CAP = 4 };
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .hist_cap = CAP, .sys_parts = SYS_MEMINFO };

	(void)state;
	fake_init(&f);
	table_init(&t);
	f.sys.known = 1u << M_USED | 1u << M_AVAILABLE;
	struct proc *tp = fake_add(&f, 1, 10, 100);
	for (int k = 0; k < CAP + 5; k++) {
		proc_set(tp, F_RSS, 100 + 10 * k);
		f.sys.val[M_USED] = 5000 + (uint64_t)k;
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)k);
	}
	const struct proc *p = must_find(&t, 1);
	assert_non_null(p->hist);
	assert_int_equal(p->hist->cap, CAP);
	assert_int_equal(p->hist->n, CAP);
	for (uint32_t i = 0; i < CAP; i++) {
		uint32_t ds;
		uint64_t v[HIST_SERIES];
		unsigned known = hist_get(p->hist, i, &ds, v, NULL);
		int k = 5 + (int)i;
		assert_int_equal(ds, 10 * k);
		assert_int_equal(known, 1u << H_RSS | 1u << H_VSZ | 1u << H_SWAP);
		assert_int_equal(v[H_RSS], 100 + 10 * k);
		assert_int_equal(v[H_VSZ], 200); /* fake_add's VSZ, never changed */
		assert_int_equal(v[H_SWAP], 0);
		assert_int_equal(v[H_PSS], 0);
	}
	/* 30 KiB over 3 s in the window */
	assert_int_equal(proc_val(p, F_GROWTH), 10);

	assert_int_equal(f.systems, CAP + 5);
	assert_non_null(t.sys_hist);
	assert_int_equal(t.sys_hist->n, CAP);
	uint32_t ds;
	uint64_t v[HIST_SERIES];
	unsigned known = hist_get(t.sys_hist, CAP - 1, &ds, v, NULL);
	assert_int_equal(ds, 80);
	assert_int_equal(known, 1u << HS_USED | 1u << HS_AVAILABLE);
	assert_int_equal(v[HS_USED], 5008);

	table_fini(&t);
	fake_fini(&f);
}

/* The process being looked at keeps every sample; switching keeps its history. */
static void
test_history_detail(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .hist_cap = 600, .hist_detail_pid = 1 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *a = fake_add(&f, 1, 10, 100);
	fake_add(&f, 2, 20, 200);
	for (int k = 0; k < 100; k++) {
		proc_set(a, F_RSS, 100 + k);
		refresh_at(&t, &f, &o, 1000 + 1000 * (uint64_t)k);
	}
	assert_true(must_find(&t, 1)->hist->full);
	assert_false(must_find(&t, 2)->hist->full);
	assert_int_equal(must_find(&t, 1)->hist->n, 100);
	assert_int_equal(proc_val(must_find(&t, 1), F_GROWTH), 1);

	o.hist_detail_pid = 2;
	proc_set(a, F_RSS, 200);
	refresh_at(&t, &f, &o, 101000);
	const struct hist *h1 = must_find(&t, 1)->hist, *h2 = must_find(&t, 2)->hist;
	assert_false(h1->full);
	assert_true(h2->full);
	assert_int_equal(h2->n, must_find(&t, 2)->hist->n_bucket + must_find(&t, 2)->hist->n_recent);
	uint32_t ds;
	uint64_t v[HIST_SERIES];
	hist_get(h1, 0, &ds, v, NULL);
	assert_int_equal(ds, 0);    /* the oldest sample is still there */
	hist_get(h2, 0, &ds, v, NULL);
	assert_int_equal(ds, 0);
	assert_int_equal(v[H_RSS], 200);
	assert_int_equal(proc_val(must_find(&t, 1), F_GROWTH), 1);

	table_fini(&t);
	fake_fini(&f);
}

static void
test_growth_rate(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = false, .hist_cap = 16 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *up = fake_add(&f, 1, 10, 1000);
	struct proc *down = fake_add(&f, 2, 20, 8000);

	refresh_at(&t, &f, &o, 1000);
	assert_false(proc_has(must_find(&t, 1), F_GROWTH)); /* one sample */

	proc_set(up, F_RSS, 5000);
	proc_set(down, F_RSS, 5000);
	refresh_at(&t, &f, &o, 3000);
	assert_int_equal(proc_val(must_find(&t, 1), F_GROWTH), 2000); /* 4000 KiB / 2 s */
	assert_int_equal(proc_val(must_find(&t, 2), F_GROWTH), -1500);

	proc_set(down, F_RSS, 2000);
	refresh_at(&t, &f, &o, 4000);
	assert_int_equal(proc_val(must_find(&t, 1), F_GROWTH), 1333); /* 4000 / 3, toward zero */
	assert_int_equal(proc_val(must_find(&t, 2), F_GROWTH), -2000);

	table_fini(&t);
	fake_fini(&f);
}

static void
test_table_find(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { 0 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	assert_null(table_find(&t, 7)); /* empty table */
	fake_add(&f, 11, 1, 1);
	fake_add(&f, 3, 1, 1);
	fake_add(&f, 7, 1, 1);
	refresh_at(&t, &f, &o, 1000);
	assert_ptr_equal(table_find(&t, 3), &t.procs[0]);
	assert_ptr_equal(table_find(&t, 7), &t.procs[1]);
	assert_ptr_equal(table_find(&t, 11), &t.procs[2]);
	assert_null(table_find(&t, 1));
	assert_null(table_find(&t, 5));
	assert_null(table_find(&t, 12));
	table_fini(&t);
	fake_fini(&f);
}

static void
test_scan_failure_keeps_table(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 1, 10, 1000);
	fake_add(&f, 2, 20, 2000);
	refresh_at(&t, &f, &o, 1000);

	f.scan_rc = -EIO;
	f.now_ms = 2000;
	assert_int_equal(table_refresh(&t, &f.base, &o), -EIO);
	assert_pids(&t, (const pid_t[]){ 1, 2 }, 2);
	assert_int_equal(t.refreshes, 1);
	assert_int_equal(t.now_ms, 1000);
	assert_int_equal(proc_val(must_find(&t, 2), F_PSS), 1000);

	table_fini(&t);
	fake_fini(&f);
}

/* table_collect() reads into t->next only; the published table changes at table_commit(). */
static void
test_collect_then_commit(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .hist_cap = 4 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *tp = fake_add(&f, 1, 10, 1000);
	refresh_at(&t, &f, &o, 1000);

	proc_set(tp, F_RSS, 3000);
	fake_add(&f, 2, 20, 2000);
	f.now_ms = 2000;
	assert_int_equal(table_collect(&t, &f.base, &o), 0);
	assert_pids(&t, (const pid_t[]){ 1 }, 1);
	assert_int_equal(proc_val(must_find(&t, 1), F_RSS), 1000);
	assert_int_equal(must_find(&t, 1)->hist->n, 1);
	assert_int_equal(t.refreshes, 1);
	assert_int_equal(t.now_ms, 1000);

	table_commit(&t, &o);
	assert_pids(&t, (const pid_t[]){ 1, 2 }, 2);
	assert_int_equal(proc_val(must_find(&t, 1), F_RSS), 3000);
	assert_int_equal(proc_val(must_find(&t, 1), F_PSS), 1500);
	assert_int_equal(must_find(&t, 1)->hist->n, 2);
	assert_int_equal(proc_val(must_find(&t, 1), F_GROWTH), 2000);
	assert_int_equal(t.refreshes, 2);
	assert_int_equal(t.now_ms, 2000);
	assert_int_equal(t.rollups, 2);

	table_fini(&t);
	fake_fini(&f);
}

/* A first scan that finds nothing (or a filter that leaves nothing) is not an error. */
static void
test_empty_scan(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .hist_cap = 4 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.refreshes, 1);
	assert_null(table_find(&t, 1));
	fake_add(&f, 1, 10, 1000);
	refresh_at(&t, &f, &o, 2000);
	assert_pids(&t, (const pid_t[]){ 1 }, 1);
	table_fini(&t);
	fake_fini(&f);
}

/* oom_score/oom_score_adj follow memory changes and age; the command line age and exec. */
static void
test_tiered_details(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .cmdline = true, .pss_max_age_ms = 5000 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *tp = fake_add(&f, 7, 70, 1000);
	fake_set_cmdline(tp, "a\0b", 3);
	proc_set(tp, F_OOM_SCORE, 10);
	proc_set(tp, F_OOM_ADJ, -5);

	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(f.oom_reads, 1);
	assert_int_equal(f.cmdline_reads, 1);
	const struct proc *p = must_find(&t, 7);
	assert_int_equal(proc_val(p, F_OOM_SCORE), 10);
	assert_int_equal(proc_val(p, F_OOM_ADJ), -5);
	assert_memory_equal(p->cmdline, "a\0b", 3);

	/* Unchanged memory: carried (a re-read would show 11 and "xyz"). */
	proc_set(tp, F_OOM_SCORE, 11);
	fake_set_cmdline(tp, "xyz", 3);
	refresh_at(&t, &f, &o, 2000);
	p = must_find(&t, 7);
	assert_int_equal(f.oom_reads, 1);
	assert_int_equal(f.cmdline_reads, 1);
	assert_int_equal(proc_val(p, F_OOM_SCORE), 10);
	assert_int_equal(proc_val(p, F_OOM_ADJ), -5);
	assert_true(proc_has(p, F_OOM_SCORE) && proc_has(p, F_CMDLINE));
	assert_int_equal(p->cmd_len, 3);
	assert_memory_equal(p->cmdline, "a\0b", 3);

	/* RSS changed: oom re-read, the command line still carried. */
	proc_set(tp, F_RSS, 1500);
	refresh_at(&t, &f, &o, 3000);
	p = must_find(&t, 7);
	assert_int_equal(f.oom_reads, 2);
	assert_int_equal(f.cmdline_reads, 1);
	assert_int_equal(proc_val(p, F_OOM_SCORE), 11);
	assert_memory_equal(p->cmdline, "a\0b", 3);

	/* Past the age bound (counted from the last full read at 1000): everything. */
	refresh_at(&t, &f, &o, 6000);
	assert_int_equal(f.cmdline_reads, 1);
	refresh_at(&t, &f, &o, 6001);
	assert_int_equal(f.cmdline_reads, 2);
	assert_memory_equal(must_find(&t, 7)->cmdline, "xyz", 3);
	assert_int_equal(must_find(&t, 7)->aux_ms, 6001);

	/* exec: a new comm means new everything. */
	proc_set_comm(tp, "exec'd", 6);
	fake_set_cmdline(tp, "new", 3);
	refresh_at(&t, &f, &o, 6500);
	assert_int_equal(f.cmdline_reads, 3);
	assert_memory_equal(must_find(&t, 7)->cmdline, "new", 3);

	/* fresh_pid: read at once, e.g. after smaptop changed its oom_score_adj. */
	proc_set(tp, F_OOM_ADJ, 500);
	o.fresh_pid = 7;
	refresh_at(&t, &f, &o, 7000);
	assert_int_equal(proc_val(must_find(&t, 7), F_OOM_ADJ), 500);
	o.fresh_pid = 0;

	/* Command lines not wanted: none read; wanted again: read at once. */
	unsigned reads = f.cmdline_reads;
	o.cmdline = false;
	refresh_at(&t, &f, &o, 7500);
	assert_int_equal(f.cmdline_reads, reads);
	assert_false(proc_has(must_find(&t, 7), F_CMDLINE));
	o.cmdline = true;
	refresh_at(&t, &f, &o, 8000);
	assert_int_equal(f.cmdline_reads, reads + 1);
	assert_true(proc_has(must_find(&t, 7), F_CMDLINE));

	table_fini(&t);
	fake_fini(&f);
}

/* -p: processes not asked for are never read, their rollup and details neither. */
static void
test_only_pids(void **state)
{
	struct fake_source f;
	struct table t;
	const pid_t want[] = { 3, 1 };
	struct table_opts o = { .rollup = true, .cmdline = true, .pids = want, .npids = 2 };

	(void)state;
	fake_init(&f);
	table_init(&t);
	fake_add(&f, 1, 10, 1000);
	fake_add(&f, 2, 20, 2000);
	fake_add(&f, 3, 30, 3000);
	refresh_at(&t, &f, &o, 1000);
	assert_pids(&t, (const pid_t[]){ 1, 3 }, 2);
	assert_int_equal(fake_rollups_of(&f, 2), 0);
	assert_int_equal(f.oom_reads, 2);
	table_fini(&t);
	fake_fini(&f);
}

/* Processes read together at start-up do not all come due together again. */
static void
test_age_rereads_spread(void **state)
{
	enum { N = 60 };
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .cmdline = true, .pss_max_age_ms = 5000 };
	unsigned most = 0, total = 0, most_cmd = 0;

	(void)state;
	fake_init(&f);
	table_init(&t);
	for (int i = 1; i <= N; i++)
		fake_add(&f, i, (uint64_t)i, 1000);
	refresh_at(&t, &f, &o, 1000);
	assert_int_equal(t.rollups, N);
	for (uint64_t ms = 2000; ms <= 31000; ms += 1000) {
		unsigned cmd0 = f.cmdline_reads;
		refresh_at(&t, &f, &o, ms);
		for (size_t i = 0; i < t.n; i++) /* the bound holds for every process */
			assert_true(proc_val(&t.procs[i], F_PSS_AGE) <= 5000);
		if (ms > 11000) { /* after two age periods */
			most = t.rollups > most ? t.rollups : most;
			total += t.rollups;
			if (f.cmdline_reads - cmd0 > most_cmd)
				most_cmd = f.cmdline_reads - cmd0;
		}
	}
	/*
	 * A value is read every bound / dt + 1 = 6 refreshes, so an even spread
	 * is N / 6 = 10 per refresh; all at once would be 60. Values past the
	 * bound take their place in the even share: no refresh reads twice it.
	 */
	assert_true(most <= 11);
	assert_true(most_cmd <= 11); /* the command lines ride along, in step */
	assert_true(total <= 20 * 10 + 5); /* and no more reads in all */
	table_fini(&t);
	fake_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_sorted_appear_exit),
		cmocka_unit_test(test_no_cmdline_unless_wanted),
		cmocka_unit_test(test_pid_reuse_new_history),
		cmocka_unit_test(test_fault_rates),
		cmocka_unit_test(test_kthreads),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_reserve_counts_hidden),
		cmocka_unit_test(test_zombie_not_rolled_up),
		cmocka_unit_test(test_rollup_esrch_drops_process),
		cmocka_unit_test(test_rollup_eacces_unknown_not_zero),
		cmocka_unit_test(test_tiered_pss),
		cmocka_unit_test(test_tiered_pss_stamp_wrap),
		cmocka_unit_test(test_status_tier),
		cmocka_unit_test(test_tiered_big_process_on_age_only),
		cmocka_unit_test(test_pss_age_never_negative),
		cmocka_unit_test(test_history_capped),
		cmocka_unit_test(test_history_detail),
		cmocka_unit_test(test_growth_rate),
		cmocka_unit_test(test_table_find),
		cmocka_unit_test(test_scan_failure_keeps_table),
		cmocka_unit_test(test_collect_then_commit),
		cmocka_unit_test(test_empty_scan),
		cmocka_unit_test(test_tiered_details),
		cmocka_unit_test(test_only_pids),
		cmocka_unit_test(test_age_rereads_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
