/*
 * Unit tests for collect/parse_kmsg.c: OOM kill records of several kernel
 * versions (a real 6.18 capture of a memory cgroup kill, and records written
 * from the format strings of 4.4, 4.9, 4.19 and 5.10's mm/oom_kill.c), and a
 * hostile log (escapes in comm, a comm that imitates the fields, truncated
 * records, numbers too big, a summary of another pid, a forged user record).
 * Plus the knob parsers of collect/parse_knobs.c.
 *
 * Fixture buffers have their exact length and no NUL (ASan catches overreads).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collect/parse_kmsg.h"
#include "collect/parse_knobs.h"
#include "fixture.h"

#define BOOT_MS INT64_C(1700000000000)

struct kills {
	struct oom_kill v[16];
	size_t n;
};

static void
collect(void *arg, const struct oom_kill *k)
{
	struct kills *ks = arg;

	assert_true(ks->n < 16);
	ks->v[ks->n++] = *k;
}

static int
kmsg_file(const char *name, struct kills *ks)
{
	struct oom_parser op;
	size_t len;
	char *b = fixture(name, &len);

	memset(ks, 0, sizeof *ks);
	oom_parser_init(&op, BOOT_MS, true);
	int rc = parse_kmsg(&op, b, len, collect, ks);
	free(b);
	return rc;
}

static void
test_record_header(void **state)
{
	struct kmsg_record r;
	static const char ok[] = "6,424,1415581023,-;hello";
	static const char caller[] = "4,5,6,c,caller=T12;x";

	(void)state;
	assert_int_equal(kmsg_parse_record(ok, sizeof ok - 1, &r), 0);
	assert_int_equal(r.prio, 6);
	assert_int_equal(r.seq, 424);
	assert_int_equal(r.usec, 1415581023);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.text, "hello", 5);
	assert_int_equal(kmsg_parse_record(caller, sizeof caller - 1, &r), 0);
	assert_int_equal(r.len, 1);
	assert_int_equal(kmsg_parse_record("6,1;x", 5, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("a,1,2,-;x", 9, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("6,1,2,-", 7, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("", 0, &r), -EINVAL);
}

/* The real capture of this machine: a 64 MiB memory cgroup, kernel 6.18. */
static void
test_linux_6_18_memcg(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/linux-6.18-memcg", &ks), 1);
	const struct oom_kill *k = &ks.v[0];
	assert_int_equal(k->pid, 2487);
	assert_string_equal(k->comm, "oom victim");
	assert_int_equal(k->seq, 421);
	assert_int_equal(k->mono_us, 610741128);
	assert_true(k->known & OOMK_TIME);
	assert_int_equal(k->time_unix_ms, BOOT_MS + 610741);
	assert_true(k->memcg);
	assert_int_equal(k->total_vm_kib, 133420);
	assert_int_equal(k->anon_rss_kib, 65280);
	assert_int_equal(k->file_rss_kib, 1240);
	assert_int_equal(k->shmem_rss_kib, 0);
	assert_int_equal(k->pgtables_kib, 164);
	assert_int_equal(k->uid, 0);
	assert_int_equal(k->oom_score_adj, 0);
	assert_string_equal(k->constraint, "memcg");
	assert_string_equal(k->cgroup, "/smaptop-oomcap-3772");
	assert_string_equal(k->oom_memcg, "/smaptop-oomcap-3772");
	assert_int_equal(k->known, OOMK_TIME | OOMK_UID | OOMK_TOTAL_VM | OOMK_ANON | OOMK_FILE |
					   OOMK_SHMEM | OOMK_PGTABLES | OOMK_ADJ | OOMK_CONSTRAINT |
					   OOMK_CGROUP | OOMK_OOM_MEMCG);
}

/* 5.4 and later: UID, pgtables and oom_score_adj in the record; a global OOM. */
static void
test_linux_5_10_global(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/linux-5.10-global", &ks), 1);
	const struct oom_kill *k = &ks.v[0];
	assert_int_equal(k->pid, 1500);
	assert_string_equal(k->comm, "postgres");
	assert_false(k->memcg);
	assert_int_equal(k->uid, 114);
	assert_int_equal(k->shmem_rss_kib, 150000);
	assert_int_equal(k->pgtables_kib, 4000);
	assert_int_equal(k->oom_score_adj, -500);
	assert_string_equal(k->constraint, "none");
	assert_string_equal(k->cgroup, "/system.slice/postgresql.service");
	assert_false(k->known & OOMK_OOM_MEMCG);
}

/* 4.19: the summary line exists, the record has no UID, pgtables or adj yet. */
static void
test_linux_4_19_global(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/linux-4.19-global", &ks), 1);
	const struct oom_kill *k = &ks.v[0];
	assert_int_equal(k->pid, 7777);
	assert_string_equal(k->comm, "chrome");
	assert_int_equal(k->anon_rss_kib, 3000000);
	assert_int_equal(k->shmem_rss_kib, 12);
	assert_true(k->known & OOMK_UID); /* from the summary */
	assert_int_equal(k->uid, 1000);
	assert_false(k->known & (OOMK_PGTABLES | OOMK_ADJ));
	assert_string_equal(k->cgroup, "/user.slice/user-1000.slice/session-2.scope");
}

/* 4.9: no prefix on the kill record, no summary; shmem-rss is there. */
static void
test_linux_4_9_global(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/linux-4.9-global", &ks), 1);
	const struct oom_kill *k = &ks.v[0];
	assert_int_equal(k->pid, 4321);
	assert_string_equal(k->comm, "stress");
	assert_false(k->memcg);
	assert_int_equal(k->anon_rss_kib, 7690352);
	assert_true(k->known & OOMK_SHMEM);
	assert_false(k->known & (OOMK_UID | OOMK_CONSTRAINT | OOMK_CGROUP | OOMK_PGTABLES |
				 OOMK_ADJ));
}

/* 4.4: no shmem-rss; the line before says a memory cgroup ran out. */
static void
test_linux_4_4_memcg(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/linux-4.4-memcg", &ks), 1);
	const struct oom_kill *k = &ks.v[0];
	assert_int_equal(k->pid, 3131);
	assert_string_equal(k->comm, "java");
	assert_true(k->memcg);
	assert_int_equal(k->total_vm_kib, 3249380);
	assert_int_equal(k->file_rss_kib, 1260);
	assert_false(k->known & OOMK_SHMEM);
}

static void
test_hostile(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("kmsg/hostile", &ks), 5);
	/* an escaped newline in comm is undone; the summary's cgroup matches it */
	assert_int_equal(ks.v[0].pid, 11);
	assert_string_equal(ks.v[0].comm, "a\nb");
	assert_string_equal(ks.v[0].cgroup, "/x");
	assert_string_equal(ks.v[0].constraint, "none");
	/* a comm imitating the fields: numbers come after the last marker */
	assert_int_equal(ks.v[1].pid, 12);
	assert_string_equal(ks.v[1].comm, "x) total-vm:1kB");
	assert_int_equal(ks.v[1].total_vm_kib, 7);
	assert_int_equal(ks.v[1].anon_rss_kib, 6);
	assert_int_equal(ks.v[1].oom_score_adj, 1000);
	assert_true(ks.v[1].memcg);
	assert_false(ks.v[1].known & OOMK_CGROUP); /* the summary's task= does not match */
	/* cut short: what is there, nothing else */
	assert_int_equal(ks.v[2].pid, 14);
	assert_string_equal(ks.v[2].comm, "cut");
	assert_false(ks.v[2].known & OOMK_TOTAL_VM);
	/* too big for the field: unknown, never wrapped */
	assert_int_equal(ks.v[3].pid, 15);
	assert_false(ks.v[3].known & (OOMK_TOTAL_VM | OOMK_ANON | OOMK_UID | OOMK_ADJ));
	assert_true(ks.v[3].known & OOMK_FILE);
	assert_int_equal(ks.v[3].file_rss_kib, UINT64_C(18014398509481983));
	/* a summary of another pid adds nothing */
	assert_int_equal(ks.v[4].pid, 16);
	assert_string_equal(ks.v[4].comm, "back\\slash\x1b[31m");
	assert_false(ks.v[4].known & (OOMK_CONSTRAINT | OOMK_CGROUP));
	assert_int_equal(ks.v[4].uid, 7);
	assert_int_equal(ks.v[4].oom_score_adj, -1000);
}

static void
test_empty_and_garbage(void **state)
{
	struct kills ks;

	(void)state;
	assert_int_equal(kmsg_file("hostile/empty", &ks), -ENODATA);
	assert_int_equal(kmsg_file("hostile/garbage.bin", &ks), -EINVAL);
	assert_int_equal(ks.n, 0);
}

/* Undated when the boot time is unknown; the carry of a split read. */
static void
test_undated_and_split(void **state)
{
	static const char rec[] =
		"3,1,2000000,-;Out of memory: Killed process 5 (a) total-vm:1kB\n";
	struct oom_parser op;
	struct kills ks = { 0 };

	(void)state;
	oom_parser_init(&op, 0, false);
	assert_int_equal(kmsg_complete_len(rec, 10), 0);
	assert_int_equal(kmsg_complete_len(rec, sizeof rec - 1), sizeof rec - 1);
	assert_int_equal(parse_kmsg(&op, rec, sizeof rec - 1, collect, &ks), 1);
	assert_false(ks.v[0].known & OOMK_TIME);
}

/* cgroup paths up to the field's size are kept; longer ones are unknown, nothing overflows */
static void
test_long_paths(void **state)
{
	char buf[2048], path[401];
	struct oom_parser op;
	struct kills ks = { 0 };

	(void)state;
	/* 298: the path and ",task=abcdefghijklmno" fill both buffers of the parser to the byte */
	static const size_t lens[] = { 250, 296, 298, 400 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		size_t len = lens[i];
		memset(path, 'p', len);
		path[0] = '/';
		path[len] = '\0';
		int n = snprintf(buf, sizeof buf,
				 "6,1,1,-;oom-kill:constraint=CONSTRAINT_NONE,global_oom,"
				 "task_memcg=%s,"
				 "task=%s,pid=9,uid=0\n"
				 "3,2,2,-;Out of memory: Killed process 9 (%s) total-vm:1kB\n",
				 path, "abcdefghijklmno", "abcdefghijklmno");
		oom_parser_init(&op, 0, false);
		ks.n = 0;
		assert_int_equal(parse_kmsg(&op, buf, (size_t)n, collect, &ks), 1);
		if (len < OOMK_PATH_MAX) {
			assert_true(ks.v[0].known & OOMK_CGROUP);
			assert_string_equal(ks.v[0].cgroup, path);
		} else {
			assert_false(ks.v[0].known & OOMK_CGROUP);
		}
	}
}

static void
test_knobs(void **state)
{
	int64_t v;
	uint64_t u;
	char w[24];

	(void)state;
	assert_int_equal(parse_knob_int("60\n", 3, &v), 0);
	assert_int_equal(v, 60);
	assert_int_equal(parse_knob_int("-1\n", 3, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(parse_knob_int("", 0, &v), -ENODATA);
	assert_int_equal(parse_knob_int("6 0\n", 4, &v), -EINVAL);
	assert_int_equal(parse_knob_int("x\n", 2, &v), -EINVAL);
	assert_int_equal(parse_knob_int("99999999999999999999\n", 21, &v), -ERANGE);
	assert_int_equal(parse_knob_bool("Y\n", 2, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_knob_bool("N\n", 2, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_knob_bool("maybe\n", 6, &v), -EINVAL);
	static const char thp[] = "always [madvise] never\n";
	assert_int_equal(parse_knob_choice(thp, sizeof thp - 1, w, sizeof w), 0);
	assert_string_equal(w, "madvise");
	static const char defrag[] = "always defer defer+madvise [madvise] never\n";
	assert_int_equal(parse_knob_choice(defrag, sizeof defrag - 1, w, sizeof w), 0);
	assert_string_equal(w, "madvise");
	assert_int_equal(parse_knob_choice("always madvise", 14, w, sizeof w), -EINVAL);
	assert_int_equal(parse_knob_choice("[a] [b]", 7, w, sizeof w), -EINVAL);
	assert_int_equal(parse_knob_choice("[]", 2, w, sizeof w), -EINVAL);
	assert_int_equal(parse_knob_choice("[a\x1b]", 4, w, sizeof w), -EINVAL);
	assert_int_equal(parse_knob_choice("[abcdefghijklmnopqrstuvwxyz]", 28, w, sizeof w),
			 -EINVAL);
	static const char vmstat[] = "nr_free_pages 100\noom_killer 9\noom_kill 3\n";
	assert_int_equal(parse_vmstat_key(vmstat, sizeof vmstat - 1, "oom_kill", &u), 0);
	assert_int_equal(u, 3);
	assert_int_equal(parse_vmstat_key(vmstat, 18, "oom_kill", &u), -ENOENT);
	static const char meminfo[] = "Zswapped: 7 kB\nZswap:     1024 kB\n";
	assert_int_equal(parse_meminfo_key(meminfo, sizeof meminfo - 1, "Zswap", &u), 0);
	assert_int_equal(u, 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_header),
		cmocka_unit_test(test_linux_6_18_memcg),
		cmocka_unit_test(test_linux_5_10_global),
		cmocka_unit_test(test_linux_4_19_global),
		cmocka_unit_test(test_linux_4_9_global),
		cmocka_unit_test(test_linux_4_4_memcg),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_empty_and_garbage),
		cmocka_unit_test(test_undated_and_split),
		cmocka_unit_test(test_long_paths),
		cmocka_unit_test(test_knobs),
	};

	return cmocka_run_group_tests_name("parse_kmsg", tests, NULL, NULL);
}
