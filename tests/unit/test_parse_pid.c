/*
 * Unit tests for collect/parse_pid.c: /proc/<pid>/stat and /proc/<pid>/status.
 *
 * Real captures (tests/fixtures/proc/, Debian 12, kernel 6.18): sleep run with
 * real uid 65534 and effective uid 1000 (setpriv --ruid=65534 --euid=1000), a
 * copy of sleep named "a) (b" (paren-name), a zombie (true, its parent exec'd
 * sleep without reaping it) and kthreadd (kthread). Hostile ones
 * (tests/fixtures/hostile/stat-*, status-*) are proc/sleep.* edited as their
 * test says.
 *
 * Fixture buffers have their exact length and no NUL (ASan catches overreads).
 * Expected numbers are read off the fixture files, never recomputed with the
 * parser.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collect/parse.h"
#include "fixture.h"
#include "proc_assert.h"

#define PF_KTHREAD_BIT 0x00200000u  /* include/linux/sched.h */

/* The fields parse_pid_status sets (parse.h), and nothing else. */
#define PID_STATUS_SET                                                                   \
	(FIELD_BIT(F_UID) | FIELD_BIT(F_VSZ) | FIELD_BIT(F_RSS) | FIELD_BIT(F_RSS_ANON) |  \
	 FIELD_BIT(F_RSS_FILE) | FIELD_BIT(F_RSS_SHMEM) | FIELD_BIT(F_SWAP) | FIELD_BIT(F_LOCKED))
#define MEM_SET (PID_STATUS_SET & ~FIELD_BIT(F_UID))
#define ALL_FIELDS (FIELD_BIT(F_NUM) - 1)

static int
stat_file(const char *name, struct pid_stat *st)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc;

	memset(st, 0xa5, sizeof *st);  /* parse_pid_stat zeroes it first */
	rc = parse_pid_stat(b, len, st);
	free(b);
	return rc;
}

/*
 * A proc as an earlier sample left it: every field known (but F_PSS_ANON) with
 * a value no fixture holds, text and flags set.
 */
static void
prefill(struct proc *p)
{
	memset(p, 0, sizeof *p);
	for (int f = 0; f < F_NUM; f++)
		proc_store(p, (enum field)f, 7000000 + f);
	p->known = ALL_FIELDS & ~FIELD_BIT(F_PSS_ANON);
	p->state = 'R';
	p->flags = PROC_CMD_READ;
	p->start_ticks = 99;
	p->stat_rss = 98;
	proc_set_comm(p, "old", 3);
	p->user = "olduser";
}

/* Outside PID_STATUS_SET, p is byte for byte what it was (known bits, values, text). */
static void
assert_outside_untouched(const struct proc *p, const struct proc *before)
{
	struct proc t;

	memcpy(&t, p, sizeof t);
	for (int f = 0; f < F_NUM; f++) {
		if (PID_STATUS_SET & FIELD_BIT(f))
			proc_store(&t, (enum field)f, proc_val(before, (enum field)f));
	}
	t.known = (t.known & ~PID_STATUS_SET) | (before->known & PID_STATUS_SET);
	assert_memory_equal(&t, before, sizeof t);
}

/* status fixture into a prefilled proc; checks the fields outside the set. */
static int
status_buf(const char *b, size_t len, struct proc *p)
{
	struct proc before;
	int rc;

	prefill(p);
	memcpy(&before, p, sizeof before);
	rc = parse_pid_status(b, len, p);
	assert_outside_untouched(p, &before);
	return rc;
}

static int
status_file(const char *name, struct proc *p)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = status_buf(b, len, p);

	free(b);
	return rc;
}

/* ---- stat ---- */

/* What the captured stat files say, read off them. */
static const struct stat_want {
	const char *file;
	struct pid_stat st;
} stat_wants[] = {
	{ "proc/sleep.stat",
	  { .pid = 4169, .comm = "sleep", .state = 'S', .ppid = 4167, .flags = 4194560,
	    .minflt = 248, .majflt = 3, .threads = 1, .start_ticks = 3960580, .vsize = 2990080,
	    .rss_pages = 410 } },
	/* "4057 (a) (b) S 4052 ...": the name ends at the last ')' */
	{ "proc/paren-name.stat",
	  { .pid = 4057, .comm = "a) (b", .state = 'S', .ppid = 4052, .flags = 4194304,
	    .minflt = 133, .majflt = 0, .threads = 1, .start_ticks = 3959471, .vsize = 2990080,
	    .rss_pages = 408 } },
	/* a zombie: no mm, vsize and rss 0 */
	{ "proc/zombie.stat",
	  { .pid = 4060, .comm = "true", .state = 'Z', .ppid = 4058, .flags = 4227084,
	    .minflt = 68, .majflt = 0, .threads = 1, .start_ticks = 3959472 } },
	/* kthreadd: PF_KTHREAD in flags (2129984 = 0x208040), ppid 0 */
	{ "proc/kthread.stat",
	  { .pid = 2, .comm = "kthreadd", .state = 'S', .ppid = 0, .flags = 2129984,
	    .threads = 1, .start_ticks = 18 } },
};

static void
check_stat(const struct pid_stat *st, const struct pid_stat *w)
{
	assert_int_equal(st->pid, w->pid);
	assert_string_equal(st->comm, w->comm);
	assert_int_equal(st->state, w->state);
	assert_int_equal(st->ppid, w->ppid);
	assert_int_equal(st->flags, w->flags);
	assert_int_equal(st->minflt, w->minflt);
	assert_int_equal(st->majflt, w->majflt);
	assert_int_equal(st->threads, w->threads);
	assert_int_equal(st->start_ticks, w->start_ticks);
	assert_int_equal(st->vsize, w->vsize);
	assert_int_equal(st->rss_pages, w->rss_pages);
}

static void
check_sleep_stat(const struct pid_stat *st)
{
	check_stat(st, &stat_wants[0].st);
}

static void
test_stat_real(void **state)
{
	struct pid_stat st;

	(void)state;
	for (size_t i = 0; i < sizeof stat_wants / sizeof stat_wants[0]; i++) {
		assert_int_equal(stat_file(stat_wants[i].file, &st), 0);
		check_stat(&st, &stat_wants[i].st);
		/* only kthreadd is a kernel thread */
		assert_int_equal(!!(st.flags & PF_KTHREAD_BIT), st.pid == 2);
	}
}

static void
test_stat_hostile(void **state)
{
	struct pid_stat st;

	(void)state;
	/* proc/sleep.stat named "a) (b\n) c": ") (" and a newline in the name */
	assert_int_equal(stat_file("hostile/stat-paren-newline", &st), 0);
	assert_string_equal(st.comm, "a) (b\n) c");
	assert_int_equal(st.pid, 4169);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 4167);
	assert_int_equal(st.rss_pages, 410);

	/* priority -100, nice -20: fields smaptop does not use */
	assert_int_equal(stat_file("hostile/stat-negative-nice", &st), 0);
	check_sleep_stat(&st);

	/* ppid -1: a used field must be a decimal number */
	assert_int_equal(stat_file("hostile/stat-negative-ppid", &st), -EINVAL);
	/* minflt "2a8" */
	assert_int_equal(stat_file("hostile/stat-nonnumber", &st), -EINVAL);
	/* "4169 (sleep)" and nothing after */
	assert_int_equal(stat_file("hostile/stat-truncated", &st), -EINVAL);
	assert_int_equal(stat_file("hostile/garbage.bin", &st), -EINVAL);

	/* empty: -ENODATA, and *st zeroed */
	static const struct pid_stat zero;
	assert_int_equal(stat_file("hostile/empty", &st), -ENODATA);
	assert_memory_equal(&st, &zero, sizeof st);
}

static void
test_stat_crafted(void **state)
{
	static const char *const ok[] = {
		/* the used fields through rss, and one more */
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",
		/* an empty name; negative tpgid, priority and nice */
		"7 () R 1 0 0 0 -1 5 6 0 7 0 0 0 0 0 -2 -20 8 0 9 10 11 0\n",
		/* unused fields may be any token */
		"7 (x) R 1 a b c d 5 6 e 7 f g h i j k o 8 l 9 10 11 m\n",
		/* the largest pid */
		"2147483647 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",
	};
	static const char *const bad[] = {
		"0 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",          /* pid 0 */
		"2147483648 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n", /* > INT32_MAX */
		"7  (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",         /* two blanks */
		"7 (x R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",           /* no ')' */
		"7 x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",           /* no '(' */
		"7 (x) RS 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n",         /* state of 2 */
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10\n",               /* no rss */
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 18446744073709551616 11 0\n",
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10  11 0\n",         /* empty field */
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 +8 0 9 10 11 0\n",         /* threads +8 */
		"\n",
	};
	struct pid_stat st;

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		memset(&st, 0xa5, sizeof st);
		if (parse_pid_stat(ok[i], strlen(ok[i]), &st) != 0)
			fail_msg("rejected: %s", ok[i]);
		if (i != 3)
			assert_int_equal(st.pid, 7);
		assert_int_equal(st.state, 'R');
		assert_int_equal(st.ppid, 1);
		assert_int_equal(st.flags, 5);
		assert_int_equal(st.minflt, 6);
		assert_int_equal(st.majflt, 7);
		assert_int_equal(st.threads, 8);
		assert_int_equal(st.start_ticks, 9);
		assert_int_equal(st.vsize, 10);
		assert_int_equal(st.rss_pages, 11);
	}
	parse_pid_stat(ok[1], strlen(ok[1]), &st);
	assert_string_equal(st.comm, "");
	parse_pid_stat(ok[3], strlen(ok[3]), &st);
	assert_int_equal(st.pid, 2147483647);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int rc = parse_pid_stat(bad[i], strlen(bad[i]), &st);

		if (rc != -EINVAL)
			fail_msg("rc %d, want -EINVAL: %s", rc, bad[i]);
	}
	/* UINT64_MAX bytes of vsize fits */
	static const char vmax[] =
		"7 (x) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 18446744073709551615 11 0\n";
	assert_int_equal(parse_pid_stat(vmax, sizeof vmax - 1, &st), 0);
	assert_int_equal(st.vsize, UINT64_MAX);

	/* a name longer than comm is cut to PROC_COMM_MAX - 1 bytes */
	char line[256], want[PROC_COMM_MAX];
	memset(want, 'n', sizeof want - 1);
	want[sizeof want - 1] = '\0';
	int n = snprintf(line, sizeof line,
			 "7 (%s%s) R 1 0 0 0 0 5 6 0 7 0 0 0 0 0 0 0 8 0 9 10 11 0\n", want,
			 "nn) (nn");
	assert_int_equal(parse_pid_stat(line, (size_t)n, &st), 0);
	assert_string_equal(st.comm, want);
	assert_int_equal(st.rss_pages, 11);
}

/*
 * Every prefix of proc/sleep.stat, in an exact-size buffer: a cut line is
 * either refused or read as the whole one. It is never read with a value cut
 * short (rss "41" for "410").
 */
static void
test_stat_prefixes(void **state)
{
	struct pid_stat full, st, bad_st;
	size_t len, bad = 0;
	char *b = fixture("proc/sleep.stat", &len);

	(void)state;
	assert_int_equal(parse_pid_stat(b, len, &full), 0);
	assert_int_equal(parse_pid_stat(b, 0, &st), -ENODATA);
	for (size_t k = 1; k < len; k++) {
		char *c = malloc(k);
		int rc;

		assert_non_null(c);
		memcpy(c, b, k);
		rc = parse_pid_stat(c, k, &st);
		free(c);
		assert_true(rc == 0 || rc == -EINVAL);
		if (rc == 0 && memcmp(&st, &full, sizeof st) != 0 && !bad) {
			bad = k;
			bad_st = st;
		}
	}
	free(b);
	if (bad)
		fail_msg("the first %zu bytes of proc/sleep.stat read as a stat with other values "
			 "(rss_pages %llu, vsize %llu; the whole file: %llu, %llu)",
			 bad, (unsigned long long)bad_st.rss_pages, (unsigned long long)bad_st.vsize,
			 (unsigned long long)full.rss_pages, (unsigned long long)full.vsize);
}

/* ---- status ---- */

/* proc/sleep.status, read off the file: Uid 65534 1000 1000 1000. */
static void
check_sleep_status(const struct proc *p)
{
	assert_field(p, F_UID, 1000);
	assert_field(p, F_VSZ, 2920);
	assert_field(p, F_LOCKED, 0);
	assert_field(p, F_RSS, 1812);
	assert_field(p, F_RSS_ANON, 108);
	assert_field(p, F_RSS_FILE, 1704);
	assert_field(p, F_RSS_SHMEM, 0);
	assert_field(p, F_SWAP, 0);
}

static void
test_status_real(void **state)
{
	struct proc p;

	(void)state;
	assert_int_equal(status_file("proc/sleep.status", &p), 0);
	check_sleep_status(&p);

	assert_int_equal(status_file("proc/paren-name.status", &p), 0);
	assert_field(&p, F_UID, 0);
	assert_field(&p, F_VSZ, 2920);
	assert_field(&p, F_LOCKED, 0);
	assert_field(&p, F_RSS, 1804);
	assert_field(&p, F_RSS_ANON, 108);
	assert_field(&p, F_RSS_FILE, 1696);
	assert_field(&p, F_RSS_SHMEM, 0);
	assert_field(&p, F_SWAP, 0);

	/* no Vm lines: the owner is known, the memory fields (known before) are not */
	static const char *const nomm[] = { "proc/zombie.status", "proc/kthread.status" };
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(status_file(nomm[i], &p), 0);
		assert_field(&p, F_UID, 0);
		assert_int_equal(p.known & MEM_SET, 0);
	}
}

static void
test_status_crlf(void **state)
{
	struct proc p;

	(void)state;
	/* proc/sleep.status with CRLF line ends */
	assert_int_equal(status_file("hostile/status-crlf", &p), 0);
	check_sleep_status(&p);
}

static void
test_status_rss_sum(void **state)
{
	struct proc p;

	(void)state;
	/* RssShmem 4: 108 + 1704 + 4 = 1816, VmRSS 1812. VmRSS stays, its parts go. */
	assert_int_equal(status_file("hostile/status-rss-sum", &p), 0);
	assert_field(&p, F_RSS, 1812);
	assert_unknown(&p, F_RSS_ANON);
	assert_unknown(&p, F_RSS_FILE);
	assert_unknown(&p, F_RSS_SHMEM);
	assert_field(&p, F_UID, 1000);
	assert_field(&p, F_VSZ, 2920);
	assert_field(&p, F_SWAP, 0);

	/* the parts alone are not kept either: all three and VmRSS, or none */
	static const char *const t[] = {
		"Uid:\t0\t0\t0\t0\nRssAnon:\t1 kB\nRssFile:\t2 kB\nRssShmem:\t3 kB\n",
		"Uid:\t0\t0\t0\t0\nVmRSS:\t3 kB\nRssAnon:\t1 kB\nRssFile:\t2 kB\n",
		"Uid:\t0\t0\t0\t0\nVmRSS:\t6 kB\nRssAnon:\t1 kB\nRssFile:\t2 kB\nRssShmem:\t3x kB\n",
		"Uid:\t0\t0\t0\t0\nVmRSS:\t6 kB\nRssAnon:\t1 kB\nRssFile:\t2 kB\nRssShmem:\t3 MB\n",
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		assert_int_equal(status_buf(t[i], strlen(t[i]), &p), 0);
		assert_int_equal(p.known & (FIELD_BIT(F_RSS_ANON) | FIELD_BIT(F_RSS_FILE) |
					    FIELD_BIT(F_RSS_SHMEM)), 0);
	}
	/* in any order, they add up */
	static const char ok[] =
		"RssShmem:\t3 kB\nRssFile:\t2 kB\nUid:\t0\t5\t0\t0\nRssAnon:\t1 kB\nVmRSS:\t6 kB\n";
	assert_int_equal(status_buf(ok, sizeof ok - 1, &p), 0);
	assert_field(&p, F_UID, 5);
	assert_field(&p, F_RSS, 6);
	assert_field(&p, F_RSS_ANON, 1);
	assert_field(&p, F_RSS_FILE, 2);
	assert_field(&p, F_RSS_SHMEM, 3);
	assert_unknown(&p, F_VSZ);
	assert_unknown(&p, F_SWAP);
	assert_unknown(&p, F_LOCKED);
}

static void
test_status_overflow(void **state)
{
	struct proc p;

	(void)state;
	assert_int_equal(status_file("hostile/status-overflow", &p), 0);
	assert_unknown(&p, F_VSZ);     /* 99999999999999999999 kB: > 64 bits */
	assert_unknown(&p, F_SWAP);    /* 18014398509481984 kB: its bytes do not fit */
	assert_field(&p, F_LOCKED, INT64_C(18014398509481983)); /* UINT64_MAX/1024 fits */
	assert_field(&p, F_UID, 1000);
	assert_field(&p, F_RSS, 1812);
	assert_field(&p, F_RSS_ANON, 108);
	assert_field(&p, F_RSS_FILE, 1704);
	assert_field(&p, F_RSS_SHMEM, 0);
}

static void
test_status_no_uid(void **state)
{
	struct proc p;

	(void)state;
	/* proc/sleep.status without its Uid line */
	assert_int_equal(status_file("hostile/status-no-uid", &p), -EINVAL);
	assert_unknown(&p, F_UID);

	/* a Uid line that cannot be read is none */
	static const char *const t[] = {
		"Uid:\t1000\n",                               /* no effective uid */
		"Uid:\t0\t4294967296\t0\t0\n",                /* past 32 bits */
		"Uid:\t0\t-1\t0\t0\n",
		"Uid:\t0\t1000x\t0\t0\n",
		"Uid:\t0\t1000\t0\t0",                        /* unterminated */
		"uid:\t0\t1000\t0\t0\n",
		"Name:\tUid\nVmRSS:\t1 kB\n",
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int rc = status_buf(t[i], strlen(t[i]), &p);

		if (rc != -EINVAL)
			fail_msg("rc %d, want -EINVAL: %s", rc, t[i]);
		assert_unknown(&p, F_UID);
	}
	static const char umax[] = "Uid:\t0 4294967295\t0\t0\n";
	assert_int_equal(status_buf(umax, sizeof umax - 1, &p), 0);
	assert_field(&p, F_UID, UINT32_MAX);

	assert_int_equal(status_file("hostile/empty", &p), -ENODATA);
	assert_int_equal(p.known & PID_STATUS_SET, 0);
	assert_int_equal(status_file("hostile/garbage.bin", &p), -EINVAL);
	assert_unknown(&p, F_UID);
}

/*
 * Without a Uid line the sum rule still holds: parse.h keeps RssAnon, RssFile
 * and RssShmem only when all three and VmRSS are there and add up.
 */
static void
test_status_no_uid_parts(void **state)
{
	struct proc p;

	(void)state;
	static const char t[] = "RssAnon:\t1 kB\n";
	assert_int_equal(status_buf(t, sizeof t - 1, &p), -EINVAL);
	assert_unknown(&p, F_UID);
	assert_unknown(&p, F_RSS_ANON);
}

static void
test_status_truncated(void **state)
{
	struct proc p;

	(void)state;
	/* cut inside "VmSwap:\t       0 kB": that line is not read */
	assert_int_equal(status_file("hostile/status-truncated", &p), 0);
	assert_unknown(&p, F_SWAP);
	assert_field(&p, F_UID, 1000);
	assert_field(&p, F_VSZ, 2920);
	assert_field(&p, F_LOCKED, 0);
	assert_field(&p, F_RSS, 1812);
	assert_field(&p, F_RSS_ANON, 108);
	assert_field(&p, F_RSS_FILE, 1704);
	assert_field(&p, F_RSS_SHMEM, 0);
}

/*
 * Every prefix of proc/sleep.status: a known field has the whole file's value,
 * and a prefix reads as its complete lines do.
 */
static void
test_status_prefixes(void **state)
{
	struct proc full, p, q;
	size_t len;
	char *b = fixture("proc/sleep.status", &len);

	(void)state;
	assert_int_equal(status_buf(b, len, &full), 0);
	for (size_t k = 0; k < len; k++) {
		char *c = malloc(k ? k : 1);
		size_t cl = k;
		int rc, rcl;

		assert_non_null(c);
		memcpy(c, b, k);
		rc = status_buf(c, k, &p);
		while (cl && c[cl - 1] != '\n')
			cl--;
		rcl = status_buf(c, cl, &q);
		free(c);
		if (k == 0) {
			assert_int_equal(rc, -ENODATA);
			continue;
		}
		assert_true(rc == 0 || rc == -EINVAL);
		if (cl)
			assert_int_equal(rc, rcl);
		assert_int_equal(p.known & PID_STATUS_SET, q.known & PID_STATUS_SET);
		for (int f = 0; f < F_NUM; f++) {
			if ((PID_STATUS_SET & FIELD_BIT(f)) && proc_has(&p, (enum field)f)) {
				assert_int_equal(proc_val(&p, (enum field)f), proc_val(&full, (enum field)f));
				assert_int_equal(proc_val(&p, (enum field)f), proc_val(&q, (enum field)f));
			}
		}
	}
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_real),
		cmocka_unit_test(test_stat_hostile),
		cmocka_unit_test(test_stat_crafted),
		cmocka_unit_test(test_stat_prefixes),
		cmocka_unit_test(test_status_real),
		cmocka_unit_test(test_status_crlf),
		cmocka_unit_test(test_status_rss_sum),
		cmocka_unit_test(test_status_overflow),
		cmocka_unit_test(test_status_no_uid),
		cmocka_unit_test(test_status_no_uid_parts),
		cmocka_unit_test(test_status_truncated),
		cmocka_unit_test(test_status_prefixes),
	};

	return cmocka_run_group_tests_name("parse_pid", tests, NULL, NULL);
}
