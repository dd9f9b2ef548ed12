/*
 * cgroups: the parsers of collect/parse_cgroup.c (captured v1 files, v2 in the
 * kernel's documented layout, hostile input), the directory reader of
 * collect/cgroup.c on the fixture trees of tests/fixtures/cgroup (v1, v2,
 * hybrid, a container's view, missing and unreadable files), the cgroup table
 * of model/cgroup.c (tree order, sums, limits, victims, sorting) and the
 * time-to-OOM forecast (model/forecast.c).
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

#include "collect/cgroup.h"
#include "collect/parse_cgroup.h"
#include "collect/procfs.h"
#include "fake_source.h"
#include "fixture.h"
#include "model/cgroup.h"
#include "model/table.h"

/* ---- /proc/PID/cgroup ---- */

static int
proc_cgroup_file(const char *name, struct buf *path, enum cg_version *v)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = parse_proc_cgroup(b, len, path, v);

	free(b);
	return rc;
}

static void
test_proc_cgroup_files(void **state)
{
	struct buf path = BUF_INIT;
	enum cg_version v = CG_NONE;

	(void)state;
	assert_int_equal(proc_cgroup_file("cgroup/v1/proc/self/cgroup", &path, &v), 0);
	assert_int_equal(v, CG_V1);
	assert_string_equal(path.data, "/box/job");
	assert_int_equal(proc_cgroup_file("cgroup/hybrid/proc/self/cgroup", &path, &v), 0);
	assert_int_equal(v, CG_V1); /* memory on v1 wins over the v2 line */
	assert_string_equal(path.data, "/system.slice/foo.service");
	assert_int_equal(proc_cgroup_file("cgroup/v2/proc/self/cgroup", &path, &v), 0);
	assert_int_equal(v, CG_V2);
	assert_string_equal(path.data, "/user.slice/user-1000.slice/session-2.scope");
	assert_int_equal(proc_cgroup_file("cgroup/container/proc/self/cgroup", &path, &v), 0);
	assert_int_equal(v, CG_V2);
	assert_string_equal(path.data, "/");
	/* memory_extra is not memory; a path holding ':' is whole; the unterminated line is dropped */
	assert_int_equal(proc_cgroup_file("hostile/proc-cgroup", &path, &v), 0);
	assert_int_equal(v, CG_V2);
	assert_string_equal(path.data, "/with:colon/path");
	buf_fini(&path);
}

static void
test_proc_cgroup_hostile(void **state)
{
	static const char *const bad[] = {
		"", "\n", "garbage", "0::/unterminated", "4:cpu:/x\n", "0::\n", "x::/a\n",
		"4:memory:relative\n", "18446744073709551616::/a\n",
	};
	struct buf path = BUF_INIT;
	enum cg_version v;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *b = malloc(strlen(bad[i]) + 1);
		memcpy(b, bad[i], strlen(bad[i]));
		int rc = parse_proc_cgroup(b, strlen(bad[i]), &path, &v);
		free(b);
		assert_true(rc == -EINVAL || rc == -ENODATA);
	}
	assert_int_equal(parse_proc_cgroup("4:cpu,memory,pids:/a b\n0::/c\n", 27, &path, &v), 0);
	assert_string_equal(path.data, "/a b");
	assert_int_equal(v, CG_V1);
	assert_int_equal(parse_proc_cgroup("0::/c\r\n", 7, &path, &v), 0);
	assert_string_equal(path.data, "/c");
	buf_fini(&path);
}

/* ---- one-value files ---- */

static int
bytes(const char *s, uint64_t *kib, bool *none)
{
	size_t n = strlen(s);
	char *b = malloc(n ? n : 1);
	memcpy(b, s, n);
	int rc = parse_cg_bytes(b, n, kib, none);
	free(b);
	return rc;
}

static void
test_bytes(void **state)
{
	uint64_t kib = 7;
	bool none = true;

	(void)state;
	assert_int_equal(bytes("134217728\n", &kib, &none), 0);
	assert_int_equal(kib, 131072);
	assert_false(none);
	assert_int_equal(bytes("1023\n", &kib, &none), 0);
	assert_int_equal(kib, 0); /* rounded down to KiB, but known */
	assert_int_equal(bytes("max\n", &kib, &none), 0);
	assert_true(none);
	assert_int_equal(kib, 0);
	/* v1's no limit with 4 KiB and with 64 KiB pages: never a number */
	assert_int_equal(bytes("9223372036854771712\n", &kib, &none), 0);
	assert_true(none);
	assert_int_equal(bytes("9223372036854710272\n", &kib, &none), 0);
	assert_true(none);
	assert_int_equal(bytes("9223372036854710271\n", &kib, &none), 0);
	assert_false(none);
	assert_int_equal(kib, 9223372036854710271ULL / 1024);
	assert_int_equal(bytes("  42  \n", &kib, &none), 0);
	assert_int_equal(bytes("42", &kib, &none), 0); /* no newline: still the whole value */
	assert_int_equal(bytes("", &kib, &none), -ENODATA);
	assert_int_equal(bytes("18446744073709551616\n", &kib, &none), -ERANGE);
	assert_int_equal(bytes("9223372036854775808\n", &kib, &none), -ERANGE);
	assert_int_equal(bytes("-1\n", &kib, &none), -EINVAL);
	assert_int_equal(bytes("max extra\n", &kib, &none), -EINVAL);
	assert_int_equal(bytes("12 34\n", &kib, &none), -EINVAL);
	assert_int_equal(bytes("12\n34\n", &kib, &none), -EINVAL);
	assert_int_equal(bytes("maximum\n", &kib, &none), -EINVAL);
}

/* ---- key-value files ---- */

static void
test_events_oom_control(void **state)
{
	struct cgroup cg = { 0 };
	const char ev[] = "low 1\nhigh 2\nmax 3\noom 4\noom_kill 5\noom_group_kill 0\n";
	const char oc[] = "oom_kill_disable 0\nunder_oom 1\noom_kill 7\n";

	(void)state;
	assert_int_equal(parse_cg_events(ev, sizeof ev - 1, &cg), 0);
	assert_int_equal(cg.val[CG_EV_LOW], 1);
	assert_int_equal(cg.val[CG_EV_MAX], 3);
	assert_int_equal(cg.val[CG_OOM_KILLS], 5);
	assert_true(cg.known & CG_BIT(CG_EV_OOM));
	memset(&cg, 0, sizeof cg);
	assert_int_equal(parse_cg_oom_control(oc, sizeof oc - 1, &cg), 0);
	assert_int_equal(cg.val[CG_UNDER_OOM], 1);
	assert_int_equal(cg.val[CG_OOM_KILLS], 7);
	memset(&cg, 0, sizeof cg);
	/* malformed lines are skipped, an overflow leaves the field unknown */
	const char bad[] = "oom_kill\noom x\nmax 99999999999999999999\nhigh 1 2\nlow 4";
	assert_int_equal(parse_cg_events(bad, sizeof bad - 1, &cg), -EINVAL);
	assert_int_equal(cg.known, 0);
	assert_int_equal(parse_cg_events("", 0, &cg), -ENODATA);
}

static void
test_stat(void **state)
{
	struct cgroup cg = { 0 };
	size_t len;
	char *b = fixture("cgroup/v1/sys/fs/cgroup/memory/box/memory.stat", &len);

	(void)state;
	assert_int_equal(parse_cg_stat(b, len, CG_V1, &cg), 0);
	free(b);
	assert_true(cg.known & CG_BIT(CG_ANON));
	assert_true(cg.known & CG_BIT(CG_FILE));
	assert_true(cg.known & CG_BIT(CG_INACTIVE_FILE));
	/* v1: the hierarchical totals, whatever order the plain ones come in */
	const char v1[] = "total_rss 8192\nrss 4096\ncache 1024\n";
	memset(&cg, 0, sizeof cg);
	assert_int_equal(parse_cg_stat(v1, sizeof v1 - 1, CG_V1, &cg), 0);
	assert_int_equal(cg.val[CG_ANON], 8);
	assert_int_equal(cg.val[CG_FILE], 1); /* no total_cache: the plain one stands in */
	memset(&cg, 0, sizeof cg);
	b = fixture("cgroup/v2/sys/fs/cgroup/user.slice/memory.stat", &len);
	assert_int_equal(parse_cg_stat(b, len, CG_V2, &cg), 0);
	free(b);
	assert_int_equal(cg.val[CG_ANON], 1048576);
	assert_int_equal(cg.val[CG_FILE], 1048576);
	assert_int_equal(cg.val[CG_KERNEL], 8192);
	assert_int_equal(cg.val[CG_SOCK], 4);
	assert_int_equal(cg.val[CG_INACTIVE_FILE], 524288);
	assert_false(cg.known & CG_BIT(CG_OOM_KILLS));
}

/* ---- one directory of a fixture tree ---- */

/* Reads a fixture directory into cg; keep: cg's settings are carried (keep_slow). */
static int
read_dir_keep(const char *rel, enum cg_version v, struct cgroup *cg, bool keep)
{
	const char *dir = getenv("SMAPTOP_FIXTURES");
	char path[4096];
	struct buf b = BUF_INIT;

	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/fixtures", rel);
	int fd = procfs_open_root(path);
	assert_true(fd >= 0);
	if (!keep)
		memset(cg, 0, sizeof *cg);
	cg->keep_slow = keep;
	int n = cgroup_read_dir(fd, v, cg, &b);
	close(fd);
	buf_fini(&b);
	return n;
}

static int
read_dir(const char *rel, enum cg_version v, struct cgroup *cg)
{
	return read_dir_keep(rel, v, cg, false);
}

static void
test_read_v2(void **state)
{
	struct cgroup cg;

	(void)state;
	assert_int_equal(read_dir("cgroup/v2/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope",
				  CG_V2, &cg), 11);
	assert_int_equal(cg.val[CG_USAGE], 1048576);
	assert_true(cg.nolimit & CG_BIT(CG_LIMIT));
	assert_true(cg.known & CG_BIT(CG_LIMIT));
	assert_int_equal(cg.val[CG_HIGH], 786432);
	assert_int_equal(cg.val[CG_SWAP], 51200);
	assert_int_equal(cg.val[CG_SWAP_LIMIT], 1048576);
	assert_int_equal(cg.val[CG_OOM_KILLS], 2);
	assert_int_equal(cg.val[CG_EV_MAX], 12);
	assert_int_equal(cg.val[CG_OOM_GROUP], 1);
	assert_true(cg.psi.known);
	assert_int_equal(cg.psi.some.avg10, 150);
	/* the root of a v2 hierarchy has no memory.current: unavailable, not 0 */
	assert_int_equal(read_dir("cgroup/v2/sys/fs/cgroup", CG_V2, &cg), 2);
	assert_false(cg.known & CG_BIT(CG_USAGE));
	assert_false(cg.known & CG_BIT(CG_LIMIT));
}

static void
test_read_v1(void **state)
{
	struct cgroup cg;

	(void)state;
	assert_int_equal(read_dir("cgroup/v1/sys/fs/cgroup/memory/box/job", CG_V1, &cg), 8);
	assert_int_equal(cg.val[CG_LIMIT], 131072);
	assert_false(cg.nolimit & CG_BIT(CG_LIMIT));
	assert_int_equal(cg.val[CG_USAGE], 102400);
	assert_true(cg.nolimit & CG_BIT(CG_SOFT_LIMIT));
	assert_true(cg.nolimit & CG_BIT(CG_MEMSW_LIMIT));
	assert_int_equal(cg.val[CG_SWAP], 0); /* memsw - usage */
	assert_true(cg.known & CG_BIT(CG_SWAP));
	assert_int_equal(cg.val[CG_OOM_KILLS], 3);
	assert_int_equal(cg.val[CG_FAILCNT], 17);
	/* settings carried over (a refresh before the age bound): their files are not read */
	cg.val[CG_LIMIT] = 999;
	cg.val[CG_USAGE] = 1;
	cg.known &= ~CG_BIT(CG_SOFT_LIMIT);
	assert_int_equal(read_dir_keep("cgroup/v1/sys/fs/cgroup/memory/box/job", CG_V1, &cg, true), 5);
	assert_int_equal(cg.val[CG_LIMIT], 999);
	assert_false(cg.known & CG_BIT(CG_SOFT_LIMIT));
	assert_int_equal(cg.val[CG_USAGE], 102400);
	/* the captured root: page-rounded LONG_MAX is no limit */
	assert_int_equal(read_dir("cgroup/v1/sys/fs/cgroup/memory", CG_V1, &cg), 8);
	assert_true(cg.nolimit & CG_BIT(CG_LIMIT));
	assert_int_equal(cg.val[CG_LIMIT], 0);
}

static void
test_read_broken(void **state)
{
	struct cgroup cg;

	(void)state;
	assert_int_equal(read_dir("cgroup/broken/sys/fs/cgroup/bad", CG_V2, &cg), 1);
	assert_int_equal(cg.known, CG_BIT(CG_USAGE)); /* everything else unavailable */
	assert_int_equal(cg.val[CG_USAGE], 12056);
	assert_int_equal(cg.nolimit, 0);
	assert_false(cg.psi.known);
}

/* ---- the table ---- */

static void
test_table_tree(void **state)
{
	struct cgtable ct;

	(void)state;
	cgtable_init(&ct);
	assert_int_equal(cgtable_add(&ct, "relative"), -EINVAL);
	assert_int_equal(cgtable_add(&ct, "/a//b"), -EINVAL);
	assert_int_equal(ct.n, 0);
	cgtable_add(&ct, "/a/b");
	cgtable_add(&ct, "/a-b");
	cgtable_add(&ct, "/a/b/c/");
	cgtable_add(&ct, "/");
	cgtable_add(&ct, "/a");
	ct.self = cgtable_find(&ct, "/a-b");
	cgtable_add(&ct, "/0");
	static const char *const want[] = { "/", "/0", "/a", "/a/b", "/a/b/c", "/a-b" };
	static const int parent[] = { -1, 0, 0, 2, 3, 0 };
	assert_int_equal(ct.n, 6);
	for (size_t i = 0; i < ct.n; i++) {
		assert_string_equal(ct.v[i].path, want[i]);
		assert_int_equal(ct.v[i].parent, parent[i]);
		assert_int_equal(cgtable_find(&ct, want[i]), (int)i);
	}
	assert_int_equal(ct.self, 5); /* moved along with the insertions */
	assert_int_equal(ct.v[4].depth, 3);
	assert_int_equal(cgtable_find(&ct, "/a/b/"), -1);
	cgtable_fini(&ct);
}

static struct proc
proc_in(pid_t pid, const char *cg, int64_t pss, int64_t oom, int64_t adj)
{
	struct proc p = { 0 };

	proc_set(&p, F_PID, pid);
	proc_set(&p, F_RSS, pss);
	if (pss >= 0)
		proc_set(&p, F_PSS, pss);
	proc_set(&p, F_OOM_SCORE, oom);
	proc_set(&p, F_OOM_ADJ, adj);
	p.cgroup = (char *)cg;
	return p;
}

static void
test_sum_victim_order(void **state)
{
	struct cgtable ct;
	struct proc procs[] = {
		proc_in(10, "/a/b", 100, 900, -1000), /* never the victim */
		proc_in(11, "/a/b", 50, 300, 0),
		proc_in(12, "/a", -1, 500, 0),        /* PSS unknown */
		proc_in(13, "/z", 1000, 100, 0),
		proc_in(14, NULL, 7, 2000, 0),        /* cgroup unknown */
	};
	int order[8];

	(void)state;
	cgtable_init(&ct);
	for (size_t i = 0; i < 4; i++)
		cgtable_add(&ct, procs[i].cgroup);
	cgtable_sum(&ct, procs, 5);
	int a = cgtable_find(&ct, "/a"), ab = cgtable_find(&ct, "/a/b"), root = cgtable_find(&ct, "/");
	assert_int_equal(ct.v[ab].members, 2);
	assert_int_equal(ct.v[ab].pss_kib, 150);
	assert_int_equal(ct.v[a].members, 1);
	assert_int_equal(ct.v[a].members_all, 3);
	assert_int_equal(ct.v[a].pss_kib, 150);
	assert_int_equal(ct.v[a].pss_missing, 1);
	assert_int_equal(ct.v[root].members_all, 4);
	assert_int_equal(oom_victim(procs, 5, "/a/b"), 11);
	assert_int_equal(oom_victim(procs, 5, "/a"), 12);
	assert_int_equal(oom_victim(procs, 5, "/a-b"), 0);
	assert_int_equal(oom_victim(procs, 5, NULL), 14);
	assert_int_equal(oom_victim(procs, 5, "/"), 12); /* under "/": its known members */
	/* tree order, children by PSS: /z (1000) before /a (150) */
	cgtable_order(&ct, CGS_PSS, false, order);
	assert_string_equal(ct.v[order[0]].path, "/");
	assert_string_equal(ct.v[order[1]].path, "/z");
	assert_string_equal(ct.v[order[2]].path, "/a");
	assert_string_equal(ct.v[order[3]].path, "/a/b");
	cgtable_order(&ct, CGS_PSS, true, order);
	assert_string_equal(ct.v[order[1]].path, "/a");
	assert_string_equal(ct.v[order[3]].path, "/z");
	assert_int_equal(cg_sort_parse("usage_kib"), CGS_USAGE);
	assert_int_equal(cg_sort_parse("oom_eta"), CGS_ETA);
	assert_int_equal(cg_sort_parse("bogus"), -1);
	cgtable_fini(&ct);
}

static void
test_limit_used(void **state)
{
	struct cgtable ct;
	double pct;
	uint64_t v;

	(void)state;
	cgtable_init(&ct);
	int i = cgtable_add(&ct, "/x");
	struct cgroup *c = &ct.v[i];
	ct.version = CG_V2;
	c->known = CG_BIT(CG_USAGE) | CG_BIT(CG_LIMIT) | CG_BIT(CG_INACTIVE_FILE);
	c->nolimit = CG_BIT(CG_LIMIT);
	c->val[CG_USAGE] = 1000;
	c->val[CG_INACTIVE_FILE] = 300;
	assert_false(cgroup_limit(&ct, i, &v)); /* no limit */
	assert_false(cgroup_pct(&ct, i, &pct));
	assert_true(cgroup_used(&ct, i, &v));
	assert_int_equal(v, 700); /* inactive file is reclaimed before a kill */
	c->nolimit = 0;
	c->val[CG_LIMIT] = 4000;
	assert_true(cgroup_limit(&ct, i, &v));
	assert_int_equal(v, 4000);
	assert_true(cgroup_pct(&ct, i, &pct));
	assert_true(pct > 24.9 && pct < 25.1);
	/* v1 with a memory+swap limit: that is what it kills at */
	ct.version = CG_V1;
	c->known |= CG_BIT(CG_MEMSW_LIMIT) | CG_BIT(CG_MEMSW_USAGE);
	c->val[CG_MEMSW_LIMIT] = 5000;
	c->val[CG_MEMSW_USAGE] = 1500;
	assert_true(cgroup_limit(&ct, i, &v));
	assert_int_equal(v, 5000);
	assert_true(cgroup_used(&ct, i, &v));
	assert_int_equal(v, 1200);
	c->known &= ~CG_BIT(CG_USAGE);
	c->known &= ~CG_BIT(CG_MEMSW_USAGE);
	assert_false(cgroup_used(&ct, i, &v)); /* unavailable, not 0 */
	cgtable_fini(&ct);
}

/* ---- the forecast ---- */

static void
series(uint64_t *t, uint64_t *y, size_t n, double kib_per_s, double noise_kib)
{
	for (size_t i = 0; i < n; i++) {
		t[i] = 1000000 + i * 1000;
		double wobble = noise_kib * ((int)((i * 7919) % 13) - 6) / 6.0;
		y[i] = (uint64_t)(50000 + kib_per_s * (double)i + wobble);
	}
}

static void
test_forecast(void **state)
{
	uint64_t t[CG_RING], y[CG_RING];
	struct oom_forecast fc;

	(void)state;
	/* 4 MiB/s into 128 MiB from ~49 MiB after 20 s: (131072 - 50000 - 19*4096) / 4096 s */
	series(t, y, 20, 4096, 0);
	cgroup_forecast(t, y, 20, 131072, &fc);
	assert_true(fc.known);
	assert_int_equal(fc.eta_s, 1); /* 131072 - 127824 = 3248 KiB left: 0.79 s */
	series(t, y, 10, 1024, 100);
	cgroup_forecast(t, y, 10, 1000000, &fc);
	assert_true(fc.known);
	double want = (1000000.0 - (double)y[9]) / 1024;
	assert_true(fc.eta_s > want * 0.9 && fc.eta_s < want * 1.1);
	assert_true(fc.rate_kib_s > 1024 * 0.9 && fc.rate_kib_s < 1024 * 1.1);
	/* flat, falling, noisy, too few, too short: no forecast, and why */
	series(t, y, 30, 0, 0);
	cgroup_forecast(t, y, 30, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_FLAT);
	series(t, y, 30, -1024, 0); /* stays above 0: 50000 - 29 x 1024 */
	cgroup_forecast(t, y, 30, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_FALLING);
	series(t, y, 30, 10, 20000);
	cgroup_forecast(t, y, 30, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_NOISY);
	series(t, y, 4, 4096, 0);
	cgroup_forecast(t, y, 4, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_HISTORY);
	series(t, y, 10, 4096, 0);
	for (size_t i = 0; i < 10; i++)
		t[i] = 1000000 + i * 100; /* 0.9 s */
	cgroup_forecast(t, y, 10, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_HISTORY);
	/* a steady climb, then a fall at the latest sample (a kill): none */
	series(t, y, 20, 4096, 0);
	y[19] = 50000;
	cgroup_forecast(t, y, 20, 1000000, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_FALLING);
	/* a steady climb of 16 KiB/s into 1 TiB: two years away, as good as flat */
	series(t, y, 30, 16, 0);
	cgroup_forecast(t, y, 30, UINT64_C(1) << 30, &fc);
	assert_false(fc.known);
	assert_int_equal(fc.why, FCW_FLAT);
	/* already past the limit (a v1 usage at its limit): full now */
	series(t, y, 10, 4096, 0);
	cgroup_forecast(t, y, 10, 1000, &fc);
	assert_true(fc.known);
	assert_int_equal(fc.eta_s, 0);
}

static void
test_carry_slow(void **state)
{
	struct cgtable prev, ct;

	(void)state;
	cgtable_init(&prev);
	cgtable_init(&ct);
	int i = cgtable_add(&prev, "/a");
	prev.v[i].slow_ms = 1000;
	prev.v[i].val[CG_LIMIT] = 4096;
	prev.v[i].val[CG_USAGE] = 7;
	prev.v[i].known = CG_BIT(CG_LIMIT) | CG_BIT(CG_USAGE) | CG_BIT(CG_HIGH);
	prev.v[i].nolimit = CG_BIT(CG_HIGH);
	cgtable_add(&ct, "/b");
	int k = cgtable_find(&ct, "/a");
	if (k < 0)
		k = cgtable_add(&ct, "/a");
	cgtable_carry_slow(&ct, &prev, 5000, 5000);
	assert_true(ct.v[k].keep_slow);
	assert_int_equal(ct.v[k].val[CG_LIMIT], 4096);
	assert_int_equal(ct.v[k].known, CG_BIT(CG_LIMIT) | CG_BIT(CG_HIGH)); /* usage: not carried */
	assert_int_equal(ct.v[k].nolimit, CG_BIT(CG_HIGH));
	assert_int_equal(ct.v[k].slow_ms, 1000);
	assert_false(ct.v[cgtable_find(&ct, "/b")].keep_slow); /* new: read in full */
	cgtable_carry_slow(&ct, &prev, 6001, 5000);
	assert_false(ct.v[k].keep_slow); /* past the age bound */
	assert_int_equal(ct.v[k].slow_ms, 6001);
	cgtable_carry_slow(&ct, &prev, 5000, 0);
	assert_false(ct.v[k].keep_slow); /* no age bound: every refresh in full */
	cgtable_fini(&prev);
	cgtable_fini(&ct);
}

static void
test_fill_hist_ring(void **state)
{
	struct fill_hist h = { .n = 0 };

	(void)state;
	for (uint64_t i = 0; i < CG_RING + 5; i++)
		fill_hist_push(&h, i, i * 10);
	assert_int_equal(h.n, CG_RING);
	assert_int_equal(h.t_ms[0], 5);
	assert_int_equal(h.used_kib[CG_RING - 1], (CG_RING + 4) * 10);
}

/* ---- the table: cgroups read with the details, sums, forecasts, the container ---- */

static void
test_table_cgroups(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000, .cgroups = true,
				.sys_parts = SYS_MEMINFO };

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *a = fake_add(&f, 10, 100, 1000), *b = fake_add(&f, 11, 110, 3000);
	fake_add(&f, 12, 120, 500)->cgroup = (char *)"/other";
	a->cgroup = b->cgroup = (char *)"/box/job";
	proc_set(a, F_OOM_SCORE, 100);
	proc_set(b, F_OOM_SCORE, 300);
	proc_set(b, F_OOM_ADJ, 0);
	f.cg_self = "/box";
	f.cg[0] = (struct fake_cg){ "/box/job", 10000, 131072 };
	f.cg[1] = (struct fake_cg){ "/box", 10000, 0 };
	f.ncg = 2;
	f.sys.val[M_TOTAL] = 1 << 20;
	f.sys.val[M_AVAILABLE] = 800000;
	f.sys.val[M_SWAP_TOTAL] = f.sys.val[M_SWAP_FREE] = 0;
	f.sys.known = 1u << M_TOTAL | 1u << M_AVAILABLE | 1u << M_SWAP_TOTAL | 1u << M_SWAP_FREE;
	/* the job grows 4 MiB/s towards 128 MiB, the machine loses 1 MiB/s of MemAvailable */
	for (int i = 0; i < 8; i++) {
		f.now_ms = 1000 + (uint64_t)i * 1000;
		f.cg[0].usage_kib = 10000 + (uint64_t)i * 4096;
		f.sys.val[M_AVAILABLE] = 800000 - (uint64_t)i * 1024;
		for (size_t k = 0; k < f.n; k++) /* memory moves: details are asked for */
			proc_store(&f.tmpl[k], F_RSS, proc_val(&f.tmpl[k], F_RSS) + 4);
		assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	}
	/* each process's cgroup read once, not with every details read */
	assert_int_equal(f.cgroup_reads, 3);
	assert_int_equal(f.cgroup_tables, 8);
	int job = cgtable_find(&t.cg, "/box/job"), box = cgtable_find(&t.cg, "/box");
	assert_true(job >= 0 && box >= 0 && cgtable_find(&t.cg, "/other") >= 0);
	assert_int_equal(t.cg.self, box);
	assert_int_equal(t.cg.v[job].members, 2);
	assert_int_equal(t.cg.v[cgtable_find(&t.cg, "/")].members_all, 3);
	assert_true(t.cg.v[job].pss_kib > 0);
	/* (131072 - 10000 - 7 * 4096) / 4096 = 22.6 s */
	const struct oom_forecast *fc = &t.cg.v[job].fc;
	assert_true(fc->known);
	assert_true(fc->eta_s >= 22 && fc->eta_s <= 23);
	assert_int_equal(fc->victim, 11);
	assert_false(t.cg.v[box].fc.known); /* no limit: no forecast */
	assert_int_equal(t.cg.v[box].fc.why, FCW_NO_LIMIT);
	/* the machine: (800000 - 7 * 1024) / 1024 = 774 s, the highest oom_score goes */
	assert_true(t.mach_fc.known);
	assert_true(t.mach_fc.eta_s >= 773 && t.mach_fc.eta_s <= 775);
	assert_int_equal(t.mach_fc.victim, 11);
	/* the 128 MiB limit is on a child of smaptop's cgroup, not on it or above: no container */
	assert_int_equal(table_container(&t), -1);
	/* a new limit shows once the settings are read again, at the age bound */
	f.cg[1].limit_kib = 500000;
	f.now_ms += 1000;
	assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	assert_int_equal(table_container(&t), -1);
	f.now_ms += 5000;
	assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	assert_int_equal(table_container(&t), cgtable_find(&t.cg, "/box"));
	table_fini(&t);
	fake_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_cgroup_files),
		cmocka_unit_test(test_proc_cgroup_hostile),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_events_oom_control),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_read_v2),
		cmocka_unit_test(test_read_v1),
		cmocka_unit_test(test_read_broken),
		cmocka_unit_test(test_table_tree),
		cmocka_unit_test(test_sum_victim_order),
		cmocka_unit_test(test_limit_used),
		cmocka_unit_test(test_forecast),
		cmocka_unit_test(test_fill_hist_ring),
		cmocka_unit_test(test_carry_slow),
		cmocka_unit_test(test_table_cgroups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
