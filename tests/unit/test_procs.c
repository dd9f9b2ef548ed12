/*
 * Unit tests for the rules of collect/procs.c that turn what libproc2 and the
 * kernel's small files gave back into "unavailable" when it cannot be right:
 * status's memory values (procs_store_status, fed what libproc2 yields for a
 * missing line, 0, and for a number too big, LONG_MAX), and oom_score /
 * oom_score_adj read from a fixture tree (hostile/oom-proc) by procs_details.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/procfs.h"
#include "collect/procs.h"

static const struct status_kib sane = {
	.vsz = 10000, .rss = 3000, .rss_anon = 1000, .rss_file = 1500, .rss_shmem = 500,
	.swap = 7, .locked = 0,
};

static void
assert_kib(const struct proc *p, enum field f, int64_t v)
{
	if (!proc_has(p, f))
		fail_msg("field %d unavailable, want %lld", (int)f, (long long)v);
	assert_int_equal(p->val[f], v);
}

static void
assert_unavailable(const struct proc *p, enum field f)
{
	if (proc_has(p, f))
		fail_msg("field %d is %lld, want unavailable", (int)f, (long long)p->val[f]);
}

static void
test_status_sane(void **state)
{
	struct proc p;

	(void)state;
	memset(&p, 0, sizeof p);
	procs_store_status(&p, &sane, 750);
	assert_kib(&p, F_VSZ, 10000);
	assert_kib(&p, F_RSS, 3000);
	assert_kib(&p, F_RSS_ANON, 1000);
	assert_kib(&p, F_RSS_FILE, 1500);
	assert_kib(&p, F_RSS_SHMEM, 500);
	assert_kib(&p, F_SWAP, 7);
	assert_kib(&p, F_LOCKED, 0);

	/* all swapped out: stat counts no page either, so 0 is the kernel's 0 */
	struct status_kib out = sane;
	out.rss = out.rss_anon = out.rss_file = out.rss_shmem = 0;
	memset(&p, 0, sizeof p);
	procs_store_status(&p, &out, 0);
	assert_kib(&p, F_RSS, 0);
	assert_kib(&p, F_RSS_ANON, 0);
}

/* A status without "VmRSS:": libproc2 gives 0, stat says pages are resident. */
static void
test_status_no_vmrss(void **state)
{
	struct status_kib s = sane;
	struct proc p;

	(void)state;
	s.rss = 0;
	memset(&p, 0, sizeof p);
	procs_store_status(&p, &s, 750);
	assert_unavailable(&p, F_RSS);
	/* the parts cannot be checked against a total that is not there */
	assert_unavailable(&p, F_RSS_ANON);
	assert_unavailable(&p, F_RSS_FILE);
	assert_unavailable(&p, F_RSS_SHMEM);
	assert_kib(&p, F_VSZ, 10000);
	assert_kib(&p, F_SWAP, 7);
}

/* "VmSize: 99999999999999999999 kB" and friends: libproc2's strtol gives LONG_MAX. */
static void
test_status_huge(void **state)
{
	struct status_kib s = sane;
	struct proc p;

	(void)state;
	s.vsz = LONG_MAX;
	s.rss = LONG_MAX;
	s.swap = LONG_MAX;
	memset(&p, 0, sizeof p);
	procs_store_status(&p, &s, 750);
	assert_unavailable(&p, F_VSZ);
	assert_unavailable(&p, F_RSS);
	assert_unavailable(&p, F_SWAP);
	assert_unavailable(&p, F_RSS_ANON);
	assert_kib(&p, F_LOCKED, 0);

	/* the largest KiB whose bytes fit in 64 bits is still a number */
	s = sane;
	s.locked = (unsigned long)(UINT64_MAX / 1024);
	s.swap = (unsigned long)(UINT64_MAX / 1024) + 1;
	memset(&p, 0, sizeof p);
	procs_store_status(&p, &s, 750);
	assert_kib(&p, F_LOCKED, (int64_t)(UINT64_MAX / 1024));
	assert_unavailable(&p, F_SWAP);
}

/* RssAnon + RssFile + RssShmem is VmRSS, or the parts are not the kernel's. */
static void
test_status_parts(void **state)
{
	struct status_kib s = sane;
	struct proc p;

	(void)state;
	s.rss_file = 0; /* a missing "RssFile:" line */
	memset(&p, 0, sizeof p);
	p.known = FIELD_BIT(F_RSS_FILE); /* a stale bit is cleared, not kept */
	procs_store_status(&p, &s, 750);
	assert_kib(&p, F_RSS, 3000);
	assert_unavailable(&p, F_RSS_ANON);
	assert_unavailable(&p, F_RSS_FILE);
	assert_unavailable(&p, F_RSS_SHMEM);
}

/* oom_score and oom_score_adj out of what the kernel can give: unavailable. */
static void
test_oom_range(void **state)
{
	static const struct {
		int pid;
		bool score_ok;
		int64_t score;
		bool adj_ok;
		int64_t adj;
	} t[] = {
		{ 100, true, 123, false, 0 },   /* adj -5000 */
		{ 101, false, 0, false, 0 },    /* score 2001, adj 1001 */
		{ 102, true, 0, true, -1000 },  /* the lowest of both */
		{ 103, true, 2000, true, 1000 }, /* the highest; no final newline */
		{ 104, false, 0, false, 0 },    /* "12x", 20 digits */
	};
	const char *dir = getenv("SMAPTOP_FIXTURES");
	char root[4096];
	struct procs *ps = NULL;

	(void)state;
	snprintf(root, sizeof root, "%s/hostile/oom-proc", dir && *dir ? dir : "tests/fixtures");
	int fd = procfs_open_root(root);
	assert_true(fd >= 0);
	assert_int_equal(procs_new(&ps, fd, false), 0);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct proc p;

		memset(&p, 0, sizeof p);
		proc_set(&p, F_PID, t[i].pid);
		p.known |= FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ); /* from before */
		assert_int_equal(procs_details(ps, &p, DETAIL_OOM), 0);
		if (t[i].score_ok)
			assert_kib(&p, F_OOM_SCORE, t[i].score);
		else
			assert_unavailable(&p, F_OOM_SCORE);
		if (t[i].adj_ok)
			assert_kib(&p, F_OOM_ADJ, t[i].adj);
		else
			assert_unavailable(&p, F_OOM_ADJ);
	}
	procs_free(ps);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_sane),
		cmocka_unit_test(test_status_no_vmrss),
		cmocka_unit_test(test_status_huge),
		cmocka_unit_test(test_status_parts),
		cmocka_unit_test(test_oom_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
