/*
 * Unit tests for collect/procs.c: processes this test makes (one with known
 * memory, a zombie), kthreadd and the whole list, read from the live /proc;
 * and oom_score / oom_score_adj read from a fixture tree (hostile/oom-proc)
 * by procs_details. The parsers' rules are test_parse_pid.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/procfs.h"
#include "collect/procs.h"
#include "proc_assert.h"

enum { CHILD_MIB = 24 };

static pid_t child; /* ended by the teardown whatever the test's outcome */

static int
end_child(void **state)
{
	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	child = 0;
	return 0;
}

/*
 * A child that writes CHILD_MIB MiB of anonymous memory, then says so on the
 * pipe and waits (exits at once when exit_now: a zombie until reaped).
 */
static pid_t
spawn_child(bool exit_now)
{
	int fds[2];
	char c;

	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (!exit_now) {
			size_t n = (size_t)CHILD_MIB << 20;
			char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				_exit(1);
			memset(m, 1, n);
		}
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		if (exit_now)
			_exit(0);
		for (;;)
			pause();
	}
	child = pid;
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

/* Waits (up to 2 s) until pid's state, as ps shows it, is want. */
static void
wait_state(pid_t pid, char want)
{
	char path[64], st = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 200 && st != want; i++) {
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		assert_int_equal(fscanf(f, "%*d %*s %c", &st), 1);
		fclose(f);
		if (st != want)
			usleep(10000);
	}
	assert_int_equal(st, want);
}

static struct proc *
scan_one(struct procs *ps, struct sample *s, pid_t pid, bool light)
{
	sample_clear(s);
	assert_int_equal(procs_scan(ps, s, &pid, 1, light), 0);
	return s->n == 1 ? &s->procs[0] : NULL;
}

/* A process this test made, read as ps reads it: stat, status, owner, memory. */
static void
test_scan_child(void **state)
{
	struct procs *ps = NULL;
	struct sample s = { 0 };
	pid_t pid = spawn_child(false);
	struct passwd *pw = getpwuid(geteuid());
	time_t now = time(NULL);

	(void)state;
	wait_state(pid, 'S'); /* in pause() */
	assert_int_equal(procs_new(&ps, AT_FDCWD), 0);
	struct proc *p = scan_one(ps, &s, pid, false);
	assert_non_null(p);
	assert_field(p, F_PID, pid);
	assert_field(p, F_PPID, getpid());
	assert_field(p, F_THREADS, 1);
	assert_field(p, F_UID, geteuid());
	assert_string_equal(p->user, pw ? pw->pw_name : "?");
	assert_true(p->state == 'S');
	assert_string_equal(proc_comm(p), "test_procs");
	assert_true(p->flags & PROC_STATUS);
	assert_false(p->flags & (PROC_KTHREAD | PROC_ZOMBIE));
	/* started within the last minute, as the wall clock has it */
	assert_true(proc_has(p, F_START) && proc_val(p, F_START) <= now + 1 && proc_val(p, F_START) >= now - 60);
	assert_true(proc_has(p, F_RSS_ANON) && proc_val(p, F_RSS_ANON) >= CHILD_MIB * 1024);
	assert_int_equal(proc_val(p, F_RSS), proc_val(p, F_RSS_ANON) + proc_val(p, F_RSS_FILE) + proc_val(p, F_RSS_SHMEM));
	assert_true(proc_val(p, F_VSZ) >= proc_val(p, F_RSS));
	/* stat's count of resident pages is status's VmRSS, to the kernel's per-CPU batching */
	int64_t stat_kib = (int64_t)(p->stat_rss * (uint64_t)sysconf(_SC_PAGESIZE) / 1024);
	assert_in_range(stat_kib, proc_val(p, F_RSS) - 2048, proc_val(p, F_RSS) + 2048);

	/* a light scan reads stat alone: no owner, no RSS; then status for it, in place */
	uint64_t start = p->start_ticks;
	p = scan_one(ps, &s, pid, true);
	assert_non_null(p);
	assert_int_equal(p->start_ticks, start);
	assert_unknown(p, F_UID);
	assert_unknown(p, F_RSS);
	assert_false(p->flags & PROC_STATUS);
	assert_int_equal(procs_status(ps, &p, 1), 0);
	assert_true(p->flags & PROC_STATUS);
	assert_true(proc_val(p, F_RSS_ANON) >= CHILD_MIB * 1024);

	/* another process under the same pid: status is not read into this one */
	p->flags &= (uint16_t)~PROC_STATUS;
	p->start_ticks++;
	assert_int_equal(procs_status(ps, &p, 1), 0);
	assert_false(p->flags & PROC_STATUS);

	/* gone: left out */
	end_child(NULL);
	assert_null(scan_one(ps, &s, pid, false));
	sample_fini(&s);
	procs_free(ps);
}

/* A zombie keeps its name and owner; its memory is unavailable, not 0. */
static void
test_scan_zombie(void **state)
{
	struct procs *ps = NULL;
	struct sample s = { 0 };
	pid_t pid = spawn_child(true);

	(void)state;
	wait_state(pid, 'Z');
	assert_int_equal(procs_new(&ps, AT_FDCWD), 0);
	struct proc *p = scan_one(ps, &s, pid, false);
	assert_non_null(p);
	assert_true(p->flags & PROC_ZOMBIE);
	assert_field(p, F_UID, geteuid());
	assert_string_equal(proc_comm(p), "test_procs");
	assert_unknown(p, F_RSS);
	assert_unknown(p, F_VSZ);
	end_child(NULL);
	sample_fini(&s);
	procs_free(ps);
}

/* kthreadd (pid 2) is a kernel thread: flagged, no memory. */
static void
test_scan_kthread(void **state)
{
	struct procs *ps = NULL;
	struct sample s = { 0 };

	(void)state;
	assert_int_equal(procs_new(&ps, AT_FDCWD), 0);
	struct proc *p = scan_one(ps, &s, 2, false);
	assert_non_null(p);
	assert_true(p->flags & PROC_KTHREAD);
	assert_string_equal(proc_comm(p), "kthreadd");
	assert_field(p, F_UID, 0);
	assert_unknown(p, F_RSS);
	sample_fini(&s);
	procs_free(ps);
}

/* The whole list: this process is in it, once, with the pid it has. */
static void
test_scan_all(void **state)
{
	struct procs *ps = NULL;
	struct sample s = { 0 };
	size_t mine = 0;

	(void)state;
	assert_int_equal(procs_new(&ps, AT_FDCWD), 0);
	assert_int_equal(procs_scan(ps, &s, NULL, 0, true), 0);
	assert_true(s.n > 2);
	for (size_t i = 0; i < s.n; i++)
		mine += proc_val(&s.procs[i], F_PID) == getpid();
	assert_int_equal(mine, 1);
	sample_fini(&s);
	procs_free(ps);
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
	assert_int_equal(procs_new(&ps, fd), 0);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct proc p;

		memset(&p, 0, sizeof p);
		proc_set(&p, F_PID, t[i].pid);
		p.known |= FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ); /* from before */
		assert_int_equal(procs_details(ps, &p, DETAIL_OOM), 0);
		if (t[i].score_ok)
			assert_field(&p, F_OOM_SCORE, t[i].score);
		else
			assert_unknown(&p, F_OOM_SCORE);
		if (t[i].adj_ok)
			assert_field(&p, F_OOM_ADJ, t[i].adj);
		else
			assert_unknown(&p, F_OOM_ADJ);
	}
	procs_free(ps);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_scan_child, end_child),
		cmocka_unit_test_teardown(test_scan_zombie, end_child),
		cmocka_unit_test(test_scan_kthread),
		cmocka_unit_test(test_scan_all),
		cmocka_unit_test(test_oom_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
