/*
 * OOM kills end to end below the command line: the bounded list of
 * model/oomkill.c (newest first, duplicates, the cap, matching a process
 * that vanished), the reader of collect/kmsg.c on a FIFO (a record split
 * between reads, EAGAIN), the knobs and counter of collect/knobs.c on the
 * fixture tree tests/fixtures/oom (an unparsable and a missing knob are
 * unknown), and the --oom-kills and knob outputs in CSV, JSON and table form.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "collect/kmsg.h"
#include "collect/knobs.h"
#include "app/watch.h"
#include "collect/procfs.h"
#include "model/oomkill.h"
#include "model/table.h"
#include "output/oom_out.h"

static struct oom_kill
kill_rec(uint64_t seq, int32_t pid, const char *comm, int64_t ms)
{
	struct oom_kill k;

	memset(&k, 0, sizeof k);
	k.seq = seq;
	k.pid = pid;
	k.time_unix_ms = ms;
	k.known = OOMK_TIME;
	snprintf(k.comm, sizeof k.comm, "%s", comm);
	return k;
}

static void
test_list_order_dupes_cap(void **state)
{
	struct oomlog l;

	(void)state;
	oomlog_init(&l);
	struct oom_kill a = kill_rec(10, 1, "a", 1000), b = kill_rec(30, 2, "b", 3000),
			c = kill_rec(20, 3, "c", 2000);
	assert_true(oomlog_add(&l, &a));
	assert_true(oomlog_add(&l, &b));
	assert_true(oomlog_add(&l, &c));
	assert_false(oomlog_add(&l, &c)); /* read twice */
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].seq, 30);
	assert_int_equal(l.v[1].seq, 20);
	assert_int_equal(l.v[2].seq, 10);
	for (uint64_t s = 100; s < 100 + OOMLOG_CAP; s++) {
		struct oom_kill k = kill_rec(s, (int32_t)s, "x", 5000);
		assert_true(oomlog_add(&l, &k));
	}
	assert_int_equal(l.n, OOMLOG_CAP);
	assert_int_equal(l.v[0].seq, 100 + OOMLOG_CAP - 1);
	assert_int_equal(l.v[OOMLOG_CAP - 1].seq, 100);
	assert_false(oomlog_add(&l, &a)); /* older than all kept in a full list */
	assert_int_equal(l.added, 3 + OOMLOG_CAP);
	oomlog_fini(&l);
	oomlog_fini(&l); /* twice is harmless */
}

static void
test_match(void **state)
{
	struct oomlog l;

	(void)state;
	oomlog_init(&l);
	struct oom_kill old = kill_rec(1, 42, "hog", 1000000);
	struct oom_kill now = kill_rec(2, 42, "hog", 5000000);
	struct oom_kill other = kill_rec(3, 43, "hog", 5000000);
	oomlog_add(&l, &old);
	assert_null(oomlog_match(&l, 42, "hog", 4990000)); /* a kill long before: pid reused */
	oomlog_add(&l, &now);
	oomlog_add(&l, &other);
	const struct oom_kill *k = oomlog_match(&l, 42, "hog", 4995000);
	assert_non_null(k);
	assert_int_equal(k->seq, 2);
	assert_null(oomlog_match(&l, 42, "hogg", 4995000));  /* another comm */
	assert_null(oomlog_match(&l, 44, "hog", 4995000));   /* another pid */
	assert_non_null(oomlog_match(&l, 42, "hog", 5000000 + 5000)); /* seen just after */
	oomlog_fini(&l);
}

/* A FIFO stands in for /dev/kmsg: EAGAIN when empty, a record in two writes. */
static void
test_reader_fifo(void **state)
{
	static const char part1[] = "6,1,1000,-;hello\n3,2,2000000,-;Out of memory: Killed pro";
	static const char part2[] = "cess 77 (victim) total-vm:10kB, anon-rss:5kB\n";
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	struct oom_events e = { 0 };
	struct kmsg *k;

	(void)state;
	snprintf(dir, sizeof dir, "%s/smaptop-test-kmsg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/kmsg", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	int w = open(path, O_RDWR | O_CLOEXEC); /* keeps a writer: empty reads give EAGAIN */
	assert_true(w >= 0);
	assert_int_equal(kmsg_new(&k, AT_FDCWD, path, 1000000, true), 0);
	assert_int_equal(kmsg_read_new(k, &e), 0);
	assert_int_equal(e.nkills, 0);
	assert_int_equal(write(w, part1, sizeof part1 - 1), (ssize_t)(sizeof part1 - 1));
	assert_int_equal(kmsg_read_new(k, &e), 0);
	assert_int_equal(e.nkills, 0); /* half a record waits */
	assert_int_equal(write(w, part2, sizeof part2 - 1), (ssize_t)(sizeof part2 - 1));
	assert_int_equal(kmsg_read_new(k, &e), 0);
	assert_int_equal(e.nkills, 1);
	assert_int_equal(e.kills[0].pid, 77);
	assert_string_equal(e.kills[0].comm, "victim");
	assert_int_equal(e.kills[0].time_unix_ms, 1000000 + 2000);
	assert_int_equal(kmsg_lost(k), 0);
	kmsg_free(k);
	oom_events_fini(&e);
	close(w);
	unlink(path);
	rmdir(dir);
	assert_int_equal(kmsg_new(&k, AT_FDCWD, path, 0, false), -ENOENT);
}

static int
open_root(const char *sub)
{
	const char *dir = getenv("SMAPTOP_FIXTURES");
	char path[4096];

	snprintf(path, sizeof path, "%s/oom/%s", dir && *dir ? dir : "tests/fixtures", sub);
	int fd = procfs_open_root(path);
	assert_true(fd >= 0);
	return fd;
}

static void
test_knobs_fixture(void **state)
{
	int proc = open_root("proc"), sys = open_root("sys");
	struct buf b = BUF_INIT;
	struct knobs k;
	struct oom_events e = { 0 };

	(void)state;
	knobs_read(proc, sys, &b, &k);
	assert_true(knob_known(&k, KN_OVERCOMMIT_MEMORY));
	assert_int_equal(k.val[KN_OVERCOMMIT_MEMORY], 0);
	assert_int_equal(k.val[KN_OVERCOMMIT_RATIO], 50);
	assert_int_equal(k.val[KN_MIN_FREE_KBYTES], 67584);
	assert_false(knob_known(&k, KN_SWAPPINESS));            /* "sixty" */
	assert_false(knob_known(&k, KN_WATERMARK_SCALE_FACTOR)); /* no file */
	assert_string_equal(k.text[KN_THP_ENABLED], "madvise");
	assert_string_equal(k.text[KN_THP_DEFRAG], "madvise");
	assert_int_equal(k.val[KN_ZSWAP_ENABLED], 1);
	assert_int_equal(k.val[KN_ZSWAP_MAX_POOL_PERCENT], 20);
	assert_true(knob_known(&k, KN_ZSWAP_POOL_KIB));
	assert_int_equal(k.val[KN_ZSWAP_POOL_KIB], 0);
	oom_counter_read(proc, &b, &e);
	assert_true(e.vmstat_known);
	assert_int_equal(e.vmstat_kills, 5);
	/* with no /sys at all: those knobs are unknown, the rest stay */
	knobs_read(proc, -1, &b, &k);
	assert_false(knob_known(&k, KN_THP_ENABLED));
	assert_false(knob_known(&k, KN_ZSWAP_POOL_KIB));
	assert_true(knob_known(&k, KN_PANIC_ON_OOM));
	buf_fini(&b);
	close(proc);
	close(sys);
}

/* A table holding two kills, the second logged in the latest refresh. */
static void
table_with_kills(struct table *t)
{
	table_init(t);
	t->wall_ms = 1700000000000;
	struct oom_kill a = kill_rec(5, 100, "old,one", 1690000000000);
	a.known |= OOMK_ANON | OOMK_UID | OOMK_CGROUP | OOMK_CONSTRAINT;
	a.anon_rss_kib = 2048;
	a.uid = 1000;
	snprintf(a.cgroup, sizeof a.cgroup, "/a\"b");
	snprintf(a.constraint, sizeof a.constraint, "none");
	struct oom_kill b = kill_rec(9, 200, "new\x1b", 1699999999000);
	b.memcg = true;
	oomlog_add(&t->kills, &a);
	oomlog_add(&t->kills, &b);
	oom_events_push(&t->sys.oom, &b);
	t->sys.oom.vmstat_kills = 2;
	t->sys.oom.vmstat_known = true;
}

static void
test_out_csv(void **state)
{
	struct table t;
	struct out o = { .fmt = OUT_CSV, .fd = -1 };

	(void)state;
	table_with_kills(&t);
	out_oom_kills(&o, &t, true);
	assert_string_equal(o.b.data,
		"time_unix_ms,pid,comm,uid,cgroup,constraint,anon_rss_kib,file_rss_kib,"
		"shmem_rss_kib,oom_score_adj,total_vm_kib,pgtables_kib,oom_memcg,scope\n"
		"1699999999000,200,new\\x1b,,,,,,,,,,,cgroup\n"
		"1690000000000,100,\"old,one\",1000,\"/a\"\"b\",none,2048,,,,,,,machine\n");
	buf_clear(&o.b);
	out_oom_kills(&o, &t, false); /* a later sample: only the new kill, no header */
	assert_string_equal(o.b.data, "1699999999000,200,new\\x1b,,,,,,,,,,,cgroup\n");
	buf_fini(&o.b);
	buf_fini(&o.tmp);
	table_fini(&t);
}

static void
test_out_json_and_reason(void **state)
{
	struct table t;
	struct out o = { .fmt = OUT_JSON, .fd = -1 };

	(void)state;
	table_with_kills(&t);
	t.sys.oom.log_err = -EPERM;
	out_oom_kills(&o, &t, false);
	assert_non_null(strstr(o.b.data, "\"oom_kills_since_boot\":2,"));
	assert_non_null(strstr(o.b.data, "\"details_unavailable\":\"kill details unavailable: "
					 "the kernel log is restricted"));
	assert_non_null(strstr(o.b.data, "\"pid\":200,\"comm\":\"new\\\\x1b\",\"uid\":null,"
					 "\"cgroup\":null,\"constraint\":null,"
					 "\"anon_rss_kib\":null"));
	assert_null(strstr(o.b.data, "\"pid\":100"));
	buf_clear(&o.b);
	o.fmt = OUT_TABLE;
	t.sys.oom.vmstat_known = false;
	out_oom_kills(&o, &t, true);
	assert_true(strncmp(o.b.data, "OOM kills since boot (kernel counter): -\n"
				      "kill details unavailable:", 66) == 0);
	assert_null(oom_log_reason(0));
	buf_fini(&o.b);
	buf_fini(&o.tmp);
	table_fini(&t);
}

static void
test_out_knobs(void **state)
{
	struct sysmem s;
	struct buf b = BUF_INIT;

	(void)state;
	memset(&s, 0, sizeof s);
	s.knobs.known = 1u << KN_OVERCOMMIT_MEMORY | 1u << KN_THP_ENABLED | 1u << KN_ZSWAP_ENABLED;
	s.knobs.val[KN_OVERCOMMIT_MEMORY] = 2;
	snprintf(s.knobs.text[KN_THP_ENABLED], KNOB_TEXT_MAX, "never");
	s.known = 1u << M_COMMIT_LIMIT;
	s.val[M_COMMIT_LIMIT] = 1024;
	out_knobs_csv(&b, &s, 7);
	assert_string_equal(b.data, "7,knobs,,overcommit_memory,2\n7,knobs,,thp_enabled,never\n"
				    "7,knobs,,zswap_enabled,0\n");
	buf_clear(&b);
	out_knobs_json(&b, &s);
	assert_non_null(strstr(b.data, ",\"oom_kills_since_boot\":null,\"knobs\":{"
				       "\"overcommit_memory\":2,\"overcommit_ratio_pct\":null,"));
	assert_non_null(strstr(b.data, "\"thp_enabled\":\"never\""));
	assert_non_null(strstr(b.data, "\"zswap_enabled\":false"));
	buf_clear(&b);
	out_knobs_table(&b, &s);
	assert_non_null(strstr(b.data, "strict: commits beyond CommitLimit are refused"));
	assert_non_null(strstr(b.data, "CommitLimit 1.00M, Committed_AS -"));
	assert_non_null(strstr(b.data, "vm.swappiness                         -"));
	buf_fini(&b);
}

/* -p: a watched process that the OOM killer killed is said to be, once */
static void
test_watch(void **state)
{
	struct proc procs[2];
	struct table t;
	struct watch w;
	struct buf msg = BUF_INIT;
	const pid_t pids[] = { 42, 43 };

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	memset(procs, 0, sizeof procs);
	proc_set(&procs[0], F_PID, 42);
	proc_set_comm(&procs[0], "hog\n", 4);
	proc_set(&procs[1], F_PID, 43);
	proc_set_comm(&procs[1], "calm", 4);
	table_init(&t);
	t.procs = procs;
	t.n = 2;
	t.wall_ms = 1700000000000;
	watch_init(&w, pids, 2);
	assert_int_equal(watch_update(&w, &t, &msg), 0);
	struct oom_kill k = kill_rec(7, 42, "hog\n", 1700000000500);
	oomlog_add(&t.kills, &k);
	t.n = 0; /* both gone */
	t.wall_ms += 1000;
	assert_int_equal(watch_update(&w, &t, &msg), 1); /* 43 exited: pidfate.h says so */
	assert_string_equal(msg.data,
			    "smaptop: PID 42 (hog\\x0a) was killed by the OOM killer at 22:13:20\n");
	assert_false(watch_all_killed(&w));
	assert_int_equal(watch_update(&w, &t, &msg), 0); /* said once */
	watch_fini(&w);
	watch_init(&w, pids, 1);
	t.n = 2;
	watch_update(&w, &t, &msg);
	t.n = 0;
	watch_update(&w, &t, &msg);
	assert_true(watch_all_killed(&w));
	watch_fini(&w);
	oomlog_fini(&t.kills);
	buf_fini(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_order_dupes_cap),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_reader_fifo),
		cmocka_unit_test(test_knobs_fixture),
		cmocka_unit_test(test_out_csv),
		cmocka_unit_test(test_out_json_and_reason),
		cmocka_unit_test(test_out_knobs),
		cmocka_unit_test(test_watch),
	};

	return cmocka_run_group_tests_name("oomkill", tests, NULL, NULL);
}
