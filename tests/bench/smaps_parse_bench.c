/*
 * Benchmark for parse_smaps (not part of make check).
 *
 *   1. builds a synthetic smaps of 100,000 kernel-shaped mappings in memory and
 *      parses it N times, whole and fed in 128 KiB pieces, printing MB/s;
 *   2. starts a child with VMAS real mappings (one touched page each, split by
 *      alternating protections; vm.max_map_count is 65530 by default), reads
 *      its /proc/<pid>/smaps N times (what `cat` costs: the kernel's side) and
 *      parses that buffer N times in 128 KiB pieces, printing both and their
 *      ratio.
 *
 * Build (from the top directory; SRC is the parsers, maps.c and util/):
 *   gcc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -o build/smaps_parse_bench
 *       tests/bench/smaps_parse_bench.c $SRC
 *   with SRC="src/collect/parse_util.c src/collect/parse_smaps.c
 *       src/collect/parse_smaps_fast.c src/collect/parse_rollup.c src/model/maps.c
 *       src/model/maplist.c
 *       src/util/buf.c src/util/xalloc.c"
 * Run:   build/smaps_parse_bench [N] [VMAS]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect/parse.h"

#define PIECE (128 * 1024)  /* the collector's read size (collect/live.c) */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
synth(unsigned vmas, size_t *len)
{
	size_t cap = (size_t)vmas * 1100, n = 0;
	char *b = malloc(cap);

	if (!b)
		exit(1);
	for (unsigned i = 0; i < vmas; i++) {
		unsigned long long start = 0x7f0000000000ULL + (unsigned long long)i * 0x3000;
		unsigned rss = 4 * (i % 5);

		if (i % 3 == 0)
			n += (size_t)snprintf(b + n, cap - n, "%llx-%llx rw-p 00000000 00:00 0 \n",
					      start, start + 0x2000);
		else
			n += (size_t)snprintf(b + n, cap - n,
					      "%llx-%llx r-xp %08x fd:01 %u%*s/usr/lib/x86_64-linux-gnu/libsynth%u.so.1\n",
					      start, start + 0x2000, i * 4096u, 1000 + i % 500, 20, "",
					      i % 500);
		n += (size_t)snprintf(b + n, cap - n,
			"Size:                  8 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n"
			"Rss:            %8u kB\nPss:            %8u kB\nPss_Dirty:             0 kB\n"
			"Shared_Clean:          0 kB\nShared_Dirty:          0 kB\n"
			"Private_Clean:  %8u kB\nPrivate_Dirty:         0 kB\nReferenced:     %8u kB\n"
			"Anonymous:             0 kB\nKSM:                   0 kB\nLazyFree:              0 kB\n"
			"AnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\n"
			"Shared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:                  0 kB\n"
			"SwapPss:               0 kB\nLocked:                0 kB\nTHPeligible:           0\n"
			"VmFlags: rd ex mr mw me sd \n",
			rss, rss / 2, rss, rss);
	}
	*len = n;
	return b;
}

/*
 * Parses buf n times, whole (piece 0) or fed in pieces of that many bytes as
 * the collector reads it; returns the best seconds per parse.
 */
static double
time_parse(const char *buf, size_t len, size_t piece, int n, struct maplist *m)
{
	double best = 1e9;

	for (int i = 0; i < n; i++) {
		struct smaps_parser sp;
		double t = now();

		smaps_begin(&sp, m);
		for (size_t off = 0; off < len; off += piece ? piece : len)
			smaps_feed(&sp, buf + off, piece && len - off > piece ? piece : len - off);
		if (smaps_end(&sp) != 0) {
			fprintf(stderr, "parse failed\n");
			exit(1);
		}
		t = now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

/* Child: VMAS one-page mappings, alternately rw and r, then waits. */
static pid_t
spawn_mapper(unsigned vmas, int *ready_fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		exit(1);
	pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0) {
		long pg = sysconf(_SC_PAGESIZE);
		char *a = mmap(NULL, (size_t)vmas * (size_t)pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (a == MAP_FAILED)
			_exit(1);
		for (unsigned i = 0; i < vmas; i++) {
			a[(size_t)i * (size_t)pg] = 1;
			if (i % 2 && mprotect(a + (size_t)i * (size_t)pg, (size_t)pg, PROT_READ) != 0)
				_exit(2);
		}
		(void)!write(p[1], "x", 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	*ready_fd = p[0];
	return pid;
}

static char *
read_file(const char *path, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !b)
		exit(1);
	while ((r = read(fd, b + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			b = realloc(b, cap);
			if (!b)
				exit(1);
		}
	}
	close(fd);
	*len = n;
	return b;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	unsigned vmas = argc > 2 ? (unsigned)atoi(argv[2]) : 60000;
	struct maplist m;
	size_t len;
	char *buf;
	double t;

	if (n < 1)
		n = 1;
	maplist_init(&m);

	buf = synth(100000, &len);
	t = time_parse(buf, len, 0, n, &m);
	printf("synthetic: %zu mappings, %.1f MB, parse %.2f ms = %.0f MB/s\n", m.n, len / 1e6,
	       t * 1e3, len / 1e6 / t);
	t = time_parse(buf, len, PIECE, n, &m);
	printf("synthetic, fed in %d KiB pieces: parse %.2f ms = %.0f MB/s\n", PIECE / 1024,
	       t * 1e3, len / 1e6 / t);
	free(buf);

	int fd;
	char c, path[64];
	pid_t pid = spawn_mapper(vmas, &fd);
	if (read(fd, &c, 1) != 1) {
		fprintf(stderr, "mapper child failed (vm.max_map_count?)\n");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
	double best_read = 1e9;
	buf = NULL;
	for (int i = 0; i < n; i++) {
		free(buf);
		t = now();
		buf = read_file(path, &len);
		t = now() - t;
		if (t < best_read)
			best_read = t;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	t = time_parse(buf, len, PIECE, n, &m);
	printf("real:      %zu mappings, %.1f MB, kernel read %.2f ms (%.0f MB/s), "
	       "parse in %d KiB pieces %.2f ms (%.0f MB/s), parse/read = %.3f\n",
	       m.n, len / 1e6, best_read * 1e3, len / 1e6 / best_read, PIECE / 1024, t * 1e3,
	       len / 1e6 / t,
	       t / best_read);
	free(buf);
	maplist_fini(&m);
	return 0;
}
