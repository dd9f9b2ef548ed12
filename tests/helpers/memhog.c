/*
 * memhog: a child process with known memory, for smaptop's integration tests.
 *
 * It sets up the memory the options ask for, prints "ready <pid>\n" on stdout
 * (flushed), then sleeps in pause() until a signal ends it. SIGTERM, SIGINT and
 * SIGHUP make it exit 0. It also asks the kernel for SIGKILL when its parent
 * dies (PR_SET_PDEATHSIG; SIGKILL also ends a hog a test has stopped), so a
 * test script killed with SIGKILL does not leave hogs behind. Start it directly
 * from the test's shell, not from a subshell that exits.
 *
 * Usage: memhog [options]     (MIB: a whole number of MiB, 0 allowed)
 *   --map MIB            anonymous private read/write mapping of MIB MiB
 *   --touch MIB          write the first MIB MiB of the --map region (<= --map);
 *                        every page gets distinct, non-uniform content, so no
 *                        page is zero-filled or "same-filled"
 *   --pageout            after touching, madvise(MADV_PAGEOUT) the whole --map
 *                        region (pages go to swap if there is any)
 *   --shared-file PATH   map PATH MAP_SHARED read/write; the file is created
 *   --shared MIB         (mode 0600) and grown with ftruncate to MIB MiB if it is
 *                        smaller. Every page is written, so two memhogs on the same
 *                        file share the same page-cache pages (PSS ~ half each)
 *   --file PATH          map PATH MAP_PRIVATE read-only and read every page of it,
 *   --file-mib MIB       so it is resident and listed in /proc/<pid>/smaps with its
 *                        path. A missing or shorter file is created / grown
 *                        (sparse) to MIB MiB first
 *   --oom-adj N          write N to /proc/self/oom_score_adj (-1000..1000)
 *   --name NAME          prctl(PR_SET_NAME, NAME): raw bytes, the kernel keeps the
 *                        first 15. Use printf in the shell for control bytes
 *   --mappings N         N extra separate one-page anonymous mappings (VMAs): one
 *                        region whose pages alternate read-only / read-write, so
 *                        neighbours never merge. Each page is written first, so
 *                        every one of them is resident
 *   --reserve-tib N      reserve N TiB of address space: one PROT_NONE mapping
 *                        (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE), never touched,
 *                        so VmSize grows by exactly N TiB and VmRSS not at all
 *   --threads N          start N more threads (0..1000) that only wait; "ready" is
 *                        printed after every one of them has named itself
 *   --thread-name NAME   name of the extra threads (PR_SET_NAME, raw bytes, the
 *                        kernel keeps 15). Repeat it (up to 16 times) to give the
 *                        threads these names in turn; default: the thread keeps the
 *                        name it inherits
 *   -h, --help           this text
 *
 * SIGUSR1 discards the --map region (madvise(MADV_DONTNEED): its resident pages
 * and its swap are freed, the mapping stays) and prints "discarded\n". Only
 * without --threads: another thread may take the signal.
 *
 * Exit status: 0 after SIGTERM/SIGINT/SIGHUP, 1 when a setup step fails (with a
 * one-line message on stderr), 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define MIB_BYTES ((size_t)1 << 20)
#define MAX_MIB   (1UL << 20) /* 1 TiB: anything bigger is a typo */
#define MAX_NAMES 16

/* --threads: the names to take in turn, and a count of threads that took theirs. */
static const char *thread_names[MAX_NAMES];
static unsigned long nthread_names;
static pthread_mutex_t named_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t named_cond = PTHREAD_COND_INITIALIZER;
static unsigned long named;

struct opts {
	unsigned long map_mib, touch_mib, shared_mib, file_mib, mappings, reserve_tib, threads;
	const char *shared_path, *file_path, *name;
	long oom_adj;
	int have_oom_adj, pageout;
};

static const char usage_text[] =
	"usage: memhog [--map MIB] [--touch MIB] [--pageout] [--shared-file PATH --shared MIB]\n"
	"              [--file PATH --file-mib MIB] [--oom-adj N] [--name NAME] [--mappings N]\n"
	"              [--reserve-tib N] [--threads N [--thread-name NAME]...]\n"
	"Sets up the memory, prints \"ready <pid>\", then waits for SIGTERM (exit 0).\n";

static void
on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static volatile sig_atomic_t discard;

static void
on_usr1(int sig)
{
	(void)sig;
	discard = 1;
}

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "memhog: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "",
		strerror(errno));
	exit(1);
}

static void
usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "memhog: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "", usage_text);
	exit(2);
}

/* Parses a decimal number in [lo, hi]; a usage error otherwise. */
static long
parse_num(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		usage_error("bad number for", opt);
	return v;
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (strcmp(a, "--pageout") == 0) {
			o->pageout = 1;
			takes = 0;
		} else if (v == NULL) {
			usage_error(strncmp(a, "--", 2) == 0 ? "missing value or unknown option"
							     : "unknown argument", a);
		} else if (strcmp(a, "--map") == 0) {
			o->map_mib = (unsigned long)parse_num(a, v, 0, (long)MAX_MIB);
		} else if (strcmp(a, "--touch") == 0) {
			o->touch_mib = (unsigned long)parse_num(a, v, 0, (long)MAX_MIB);
		} else if (strcmp(a, "--shared-file") == 0) {
			o->shared_path = v;
		} else if (strcmp(a, "--shared") == 0) {
			o->shared_mib = (unsigned long)parse_num(a, v, 0, (long)MAX_MIB);
		} else if (strcmp(a, "--file") == 0) {
			o->file_path = v;
		} else if (strcmp(a, "--file-mib") == 0) {
			o->file_mib = (unsigned long)parse_num(a, v, 0, (long)MAX_MIB);
		} else if (strcmp(a, "--oom-adj") == 0) {
			o->oom_adj = parse_num(a, v, -1000, 1000);
			o->have_oom_adj = 1;
		} else if (strcmp(a, "--name") == 0) {
			o->name = v;
		} else if (strcmp(a, "--mappings") == 0) {
			o->mappings = (unsigned long)parse_num(a, v, 0, 1000000);
		} else if (strcmp(a, "--reserve-tib") == 0) {
			o->reserve_tib = (unsigned long)parse_num(a, v, 0, 100);
		} else if (strcmp(a, "--threads") == 0) {
			o->threads = (unsigned long)parse_num(a, v, 0, 1000);
		} else if (strcmp(a, "--thread-name") == 0) {
			if (nthread_names == MAX_NAMES)
				usage_error("too many --thread-name", v);
			thread_names[nthread_names++] = v;
		} else {
			usage_error("unknown option", a);
		}
		i += takes;
	}
	if (o->touch_mib > o->map_mib)
		usage_error("--touch is larger than --map", NULL);
	if (o->pageout && o->map_mib == 0)
		usage_error("--pageout needs --map", NULL);
	if ((o->shared_path == NULL) != (o->shared_mib == 0))
		usage_error("--shared-file and --shared go together", NULL);
	if ((o->file_path == NULL) != (o->file_mib == 0))
		usage_error("--file and --file-mib go together", NULL);
	if (nthread_names > 0 && o->threads == 0)
		usage_error("--thread-name needs --threads", NULL);
}

/* Writes distinct content to every page of [p, p + len): two differing words per page. */
static void
write_pages(unsigned char *p, size_t len, size_t page)
{
	for (size_t off = 0; off < len; off += page) {
		uint64_t *w = (uint64_t *)(void *)(p + off);

		w[0] = (uint64_t)off | 1;
		w[1] = ~(uint64_t)off;
	}
}

/* Reads one byte of every page, so each page is faulted in. */
static void
read_pages(const unsigned char *p, size_t len, size_t page)
{
	volatile unsigned char sink = 0;

	for (size_t off = 0; off < len; off += page)
		sink ^= p[off];
	(void)sink;
}

/* Opens path (creating it with mode 0600 if needed) and grows it to at least size bytes. */
static int
open_sized(const char *path, size_t size, int rdonly_ok)
{
	struct stat st;
	int fd = -1;

	if (rdonly_ok) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && (size_t)st.st_size >= size)
			return fd;
		if (fd >= 0)
			close(fd);
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		die("open", path);
	if (fstat(fd, &st) != 0)
		die("fstat", path);
	if ((size_t)st.st_size < size && ftruncate(fd, (off_t)size) != 0)
		die("ftruncate", path);
	return fd;
}

static void
set_oom_adj(long adj)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", adj);
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		die("open", "/proc/self/oom_score_adj");
	if (write(fd, buf, (size_t)n) != n)
		die("write", "/proc/self/oom_score_adj");
	close(fd);
}

static void
make_mappings(unsigned long n, size_t page)
{
	size_t len = n * page;
	unsigned char *p;

	if (n == 0)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap", "--mappings");
	write_pages(p, len, page);
	/* Every other page read-only: n VMAs that cannot merge with their neighbours. */
	for (unsigned long i = 1; i < n; i += 2)
		if (mprotect(p + i * page, page, PROT_READ) != 0)
			die("mprotect", "--mappings (see /proc/sys/vm/max_map_count)");
}

static void
reserve(unsigned long tib)
{
	size_t len = (size_t)tib << 40;

	if (tib == 0)
		return;
	if (mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) ==
	    MAP_FAILED)
		die("mmap", "--reserve-tib");
}

/* One --threads thread: takes its name, says so, then waits forever. */
static void *
thread_main(void *arg)
{
	const char *name = arg;

	if (name != NULL && prctl(PR_SET_NAME, name) != 0)
		die("prctl", "PR_SET_NAME (thread)");
	pthread_mutex_lock(&named_lock);
	named++;
	pthread_cond_signal(&named_cond);
	pthread_mutex_unlock(&named_lock);
	for (;;)
		pause();
	return NULL;
}

/* Starts n threads and returns when every one of them has named itself. */
static void
start_threads(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pthread_t t;
		const char *name = nthread_names ? thread_names[i % nthread_names] : NULL;
		int rc = pthread_create(&t, NULL, thread_main, (void *)name);

		if (rc != 0) {
			errno = rc;
			die("pthread_create", "--threads");
		}
	}
	pthread_mutex_lock(&named_lock);
	while (named < n)
		pthread_cond_wait(&named_cond, &named_lock);
	pthread_mutex_unlock(&named_lock);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct sigaction sa;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	pid_t parent = getppid();

	parse_args(argc, argv, &o);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		die("prctl", "PR_SET_PDEATHSIG");
	if (getppid() != parent) /* the parent died before PDEATHSIG was armed */
		return 0;

	if (o.name != NULL && prctl(PR_SET_NAME, o.name) != 0)
		die("prctl", "PR_SET_NAME");
	if (o.have_oom_adj)
		set_oom_adj(o.oom_adj);

	unsigned char *map = NULL;
	size_t map_len = o.map_mib * MIB_BYTES;
	if (o.map_mib > 0) {
		size_t len = map_len;
		unsigned char *p = map = mmap(NULL, len, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			die("mmap", "--map");
		write_pages(p, o.touch_mib * MIB_BYTES, page);
		if (o.pageout && madvise(p, len, MADV_PAGEOUT) != 0)
			die("madvise", "MADV_PAGEOUT");
	}

	if (o.shared_path != NULL) {
		size_t len = o.shared_mib * MIB_BYTES;
		int fd = open_sized(o.shared_path, len, 0);
		unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			die("mmap", o.shared_path);
		close(fd);
		write_pages(p, len, page);
	}

	if (o.file_path != NULL) {
		size_t len = o.file_mib * MIB_BYTES;
		int fd = open_sized(o.file_path, len, 1);
		unsigned char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p == MAP_FAILED)
			die("mmap", o.file_path);
		close(fd);
		read_pages(p, len, page);
	}

	make_mappings(o.mappings, page);
	reserve(o.reserve_tib);
	start_threads(o.threads);

	printf("ready %ld\n", (long)getpid());
	if (fflush(stdout) != 0)
		die("write", "stdout");
	for (;;) {
		pause();
		if (!discard)
			continue;
		discard = 0;
		if (map && madvise(map, map_len, MADV_DONTNEED) != 0)
			die("madvise", "MADV_DONTNEED");
		printf("discarded\n");
		if (fflush(stdout) != 0)
			die("write", "stdout");
	}
}
