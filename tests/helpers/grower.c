/*
 * grower: a process whose memory grows at a steady rate, for the time-to-OOM
 * tests. It maps MAX MiB of anonymous memory (not touched), prints
 * "ready <pid>\n" on stdout (flushed), then writes one more MiB of it every
 * 1/RATE seconds, on an absolute schedule (a late wake-up does not slow the
 * rate), until MAX MiB are touched; then it waits in pause(). The OOM killer,
 * SIGTERM or its parent's death (PR_SET_PDEATHSIG: SIGKILL) ends it.
 *
 * Usage: grower RATE_MIB_PER_S MAX_MIB     (whole numbers, 1..1024 and 1..65536)
 * Exit status: 0 after SIGTERM, 1 when mmap fails, 2 on a usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void
on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static long
arg(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "usage: grower RATE_MIB_PER_S MAX_MIB\n");
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: grower RATE_MIB_PER_S MAX_MIB\n");
		return 2;
	}
	long rate = arg(argv[1], 1024), max = arg(argv[2], 65536);
	size_t mib = (size_t)1 << 20;
	struct timespec next;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "grower");
	signal(SIGTERM, on_term);
	unsigned char *p = mmap(NULL, (size_t)max * mib, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "grower: mmap: %s\n", strerror(errno));
		return 1;
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &next);
	long step_ns = 1000000000L / rate;
	for (long i = 0; i < max; i++) {
		for (size_t off = 0; off < mib; off += 4096)
			p[(size_t)i * mib + off] = (unsigned char)(i + off / 4096 + 1);
		next.tv_nsec += step_ns;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	for (;;)
		pause();
}
