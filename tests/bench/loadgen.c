/* loadgen: a population of processes with mixed memory, for smaptop's benchmark.
 *
 *   loadgen -o PIDFILE [-n N] [-m M] [-k K] [-f FILE_KIB] [-s SHANON_KIB] [-t TIMEOUT_S]
 *           [-c CHANGING -i INTERVAL_MS]
 *
 * The parent makes itself a process-group leader (setpgid(0, 0)), so the whole
 * population can be ended with one kill(-PGID) by whoever started it. It maps
 *   - a FILE_KIB (default 2048) disk file MAP_SHARED (created next to PIDFILE,
 *     unlinked at once) and writes every page: shared page-cache pages;
 *   - SHANON_KIB (default 1024) of MAP_SHARED|MAP_ANONYMOUS memory, written;
 *   - 1 MiB of private anonymous memory written before fork(): copy-on-write
 *     pages shared by every child until a child writes one,
 * then forks N children (default 100). Each child writes one page of the shared
 * anonymous region and one of the copy-on-write region, and creates M (default
 * 16) more mappings: M/2 one-page anonymous pages in one region whose pages
 * alternate read-write / read-only (so the VMAs never merge), every page written,
 * and M - M/2 one-page MAP_PRIVATE read-only mappings of the shared file, every
 * page read (shared file pages). So PSS != RSS and USS < RSS for every child.
 * With -k K, one more child holds K such mappings (half anonymous, half file).
 * With -c C, C of the children change their memory every INTERVAL_MS (default
 * 1000): each maps and writes, or unmaps, 64 KiB of anonymous memory in turn,
 * so its RSS, fault count and PSS move (the history benchmark's "about 50
 * processes change per interval").
 *
 * When every child is set up, the parent writes PIDFILE atomically (write to
 * PIDFILE.tmp, rename):
 *     pgid <pgid>
 *     big <pid>          (only with -k)
 *     child <pid>        (N lines)
 * and sleeps. Children ask for SIGKILL when the parent dies (PR_SET_PDEATHSIG),
 * and the parent ends itself after TIMEOUT_S seconds (default 1800), so nothing
 * outlives a benchmark that was itself killed.
 *
 * Exit status: 1 when setup fails (message on stderr; the group is killed), 2 on
 * a usage error.
 *
 * Build: cc -O2 -o build/bench/loadgen tests/bench/loadgen.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static long page;
static char *shfile, *shanon, *cow;
static size_t file_pages, anon_pages, cow_pages;
static int file_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGKILL); /* our own process group, which we created */
	_exit(1);
}

static volatile char sink;

/* Set up K extra mappings in this (child) process. */
static int make_mappings(size_t k, size_t seed)
{
	size_t nanon = k / 2, nfile = k - nanon;
	if (nanon) {
		char *a = mmap(NULL, nanon * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a == MAP_FAILED)
			return -1;
		for (size_t i = 0; i < nanon; i++)
			memset(a + i * page, (int)(i + seed) | 1, (size_t)page);
		for (size_t i = 1; i < nanon; i += 2)
			if (mprotect(a + i * page, page, PROT_READ) < 0)
				return -1;
	}
	for (size_t i = 0; i < nfile; i++) {
		off_t off = (off_t)(((seed + i) % file_pages) * (size_t)page);
		char *f = mmap(NULL, page, PROT_READ, MAP_PRIVATE, file_fd, off);
		if (f == MAP_FAILED)
			return -1;
		sink = f[0];
	}
	return 0;
}

static long change_ms;  /* > 0: this child changes its memory this often */

static void churn_forever(void)
{
	struct timespec ts = { change_ms / 1000, (change_ms % 1000) * 1000000L };
	char *region = NULL;
	for (;;) {
		if (region) {
			munmap(region, 64 * 1024);
			region = NULL;
		} else {
			region = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (region == MAP_FAILED)
				region = NULL;
			else
				memset(region, 0x5a, 64 * 1024);
		}
		nanosleep(&ts, NULL);
	}
}

static void child(int ready_fd, pid_t parent, size_t idx, size_t nmaps)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	shanon[(idx % anon_pages) * page] = (char)idx;
	cow[(idx % cow_pages) * page + 1] = (char)idx;
	for (size_t i = 0; i < file_pages; i += 4)
		sink = shfile[i * page];
	char c = make_mappings(nmaps, idx) == 0 ? 'r' : 'e';
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	close(ready_fd);
	if (change_ms > 0)
		churn_forever();
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *pidfile = NULL;
	long n = 100, m = 16, k = 0, file_kib = 2048, anon_kib = 1024, timeout = 1800;
	int opt;
	long changing = 0, interval_ms = 1000;
	while ((opt = getopt(argc, argv, "o:n:m:k:f:s:t:c:i:")) != -1) {
		switch (opt) {
		case 'o': pidfile = optarg; break;
		case 'n': n = atol(optarg); break;
		case 'm': m = atol(optarg); break;
		case 'k': k = atol(optarg); break;
		case 'f': file_kib = atol(optarg); break;
		case 's': anon_kib = atol(optarg); break;
		case 't': timeout = atol(optarg); break;
		case 'c': changing = atol(optarg); break;
		case 'i': interval_ms = atol(optarg); break;
		default: goto usage;
		}
	}
	if (!pidfile || n < 0 || m < 0 || k < 0 || file_kib < 4 || anon_kib < 4 || timeout < 1)
		goto usage;

	page = sysconf(_SC_PAGESIZE);
	if (setpgid(0, 0) < 0)
		die("setpgid");
	alarm((unsigned)timeout);

	/* The shared file lives next to the pid file, on a real filesystem. */
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s.dataXXXXXX", pidfile);
	file_fd = mkstemp(tmpl);
	if (file_fd < 0)
		die("mkstemp");
	unlink(tmpl);
	file_pages = (size_t)file_kib * 1024 / (size_t)page;
	if (ftruncate(file_fd, (off_t)(file_pages * (size_t)page)) < 0)
		die("ftruncate");
	shfile = mmap(NULL, file_pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, file_fd, 0);
	if (shfile == MAP_FAILED)
		die("mmap shared file");
	for (size_t i = 0; i < file_pages; i++)
		memset(shfile + i * page, (int)i | 1, (size_t)page);

	anon_pages = (size_t)anon_kib * 1024 / (size_t)page;
	shanon = mmap(NULL, anon_pages * page, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shanon == MAP_FAILED)
		die("mmap shared anon");
	memset(shanon, 0x5a, anon_pages * page);

	cow_pages = (1u << 20) / (size_t)page;
	cow = mmap(NULL, cow_pages * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (cow == MAP_FAILED)
		die("mmap cow");
	for (size_t i = 0; i < cow_pages; i++)
		memset(cow + i * page, (int)i | 3, (size_t)page);

	int pfd[2];
	if (pipe(pfd) < 0)
		die("pipe");
	pid_t self = getpid();
	long total = n + (k > 0);
	pid_t *pids = calloc((size_t)total + 1, sizeof *pids);
	if (!pids)
		die("calloc");
	for (long i = 0; i < total; i++) {
		pid_t p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			close(pfd[0]);
			/* the last `changing` children churn, never the big one (child 0 with -k) */
			change_ms = i >= total - changing ? (interval_ms > 0 ? interval_ms : 1000) : 0;
			child(pfd[1], self, (size_t)i, (k > 0 && i == 0) ? (size_t)k : (size_t)m);
		}
		pids[i] = p;
	}
	close(pfd[1]);
	for (long got = 0; got < total;) {
		char c;
		ssize_t r = read(pfd[0], &c, 1);
		if (r == 1 && c == 'r') {
			got++;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		errno = r == 1 ? ENOMEM : EPIPE;
		die("a child failed to set up its mappings");
	}
	close(pfd[0]);

	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", pidfile);
	FILE *f = fopen(tmp, "w");
	if (!f)
		die("pid file");
	fprintf(f, "pgid %d\n", (int)self);
	for (long i = 0; i < total; i++)
		fprintf(f, "%s %d\n", (k > 0 && i == 0) ? "big" : "child", (int)pids[i]);
	if (fclose(f) != 0 || rename(tmp, pidfile) < 0)
		die("pid file");
	for (;;)
		pause();

usage:
	fprintf(stderr, "usage: loadgen -o PIDFILE [-n N] [-m M] [-k K] [-f FILE_KIB] "
			"[-s SHANON_KIB] [-t TIMEOUT_S]\n");
	return 2;
}
