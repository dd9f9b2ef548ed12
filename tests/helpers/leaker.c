/*
 * leaker: a process whose memory follows a known shape over time, for the leak
 * tests (tests/integration/leaks.sh).
 *
 * Its memory is two private anonymous regions: "kept" memory, which only the
 * shape shrinks, and "garbage", which it frees in a sawtooth as a garbage
 * collector would. Every 50 ms it sets each region's resident size to what the
 * shape says for the time since start, by writing to each new page and
 * returning the pages above the target to the kernel (MADV_DONTNEED), so RSS
 * and PSS follow the shape to the page. Shapes (t in seconds):
 *
 *   linear     kept 1 MiB * t                          (a leak of 1 MiB/s)
 *   steps      kept 8 MiB * (1 + floor(t / 5))          (8 MiB every 5 s)
 *   gc-rising  kept 0.5 MiB * t, garbage sawtooth       (troughs rise 0.5 MiB/s)
 *   gc-flat    kept 0, garbage sawtooth                 (troughs stay)
 *   cache      kept 64 MiB * min(t / 10, 1)             (fills in 10 s, stays)
 *   shrink     kept 80 MiB - 1 MiB * min(t, 70)         (gives memory back)
 *
 * The sawtooth has a 2 s period: 1 s with no garbage, then 30 MiB made over
 * 1 s, then all of it freed at once.
 *
 * It prints "ready <pid>\n" (flushed) once its first shape is in place, runs
 * for SECONDS (at most 600) or until SIGTERM/SIGINT/SIGHUP, and exits 0; it
 * gets SIGKILL if its parent dies. Its name (comm) is "lk-" and the mode.
 *
 * Usage: leaker MODE [SECONDS]   (default 120)
 * Exit status: 0 when done, 1 when a setup step fails, 2 on a usage error.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024.0 * 1024.0)
#define REGION_BYTES ((size_t)256 << 20)
#define TICK_NS 50000000L

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct region {
	unsigned char *base;
	size_t resident; /* bytes touched, a multiple of the page size */
};

static size_t page;

static int
region_init(struct region *r)
{
	void *p = mmap(NULL, REGION_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	/* no transparent huge pages: resident size moves page by page */
	madvise(p, REGION_BYTES, MADV_NOHUGEPAGE);
	r->base = p;
	r->resident = 0;
	return 0;
}

static void
region_set(struct region *r, double bytes)
{
	size_t want = bytes <= 0 ? 0 : (size_t)bytes / page * page;

	if (want > REGION_BYTES)
		want = REGION_BYTES;
	for (; r->resident < want; r->resident += page)
		r->base[r->resident] = 1 + (unsigned char)(r->resident / page);
	if (want < r->resident) {
		madvise(r->base + want, r->resident - want, MADV_DONTNEED);
		r->resident = want;
	}
}

static double
sawtooth(double t)
{
	double phase = t - 2.0 * (double)(long)(t / 2); /* t >= 0; no libm */

	return phase < 1 ? 0 : 30 * MIB * (phase - 1);
}

/* Sets *kept and *garbage for mode at time t; -1 for an unknown mode. */
static int
shape(const char *mode, double t, double *kept, double *garbage)
{
	*garbage = 0;
	if (!strcmp(mode, "linear"))
		*kept = MIB * t;
	else if (!strcmp(mode, "steps"))
		*kept = 8 * MIB * (double)(1 + (long)(t / 5));
	else if (!strcmp(mode, "gc-rising")) {
		*kept = 0.5 * MIB * t;
		*garbage = sawtooth(t);
	} else if (!strcmp(mode, "gc-flat")) {
		*kept = 0;
		*garbage = sawtooth(t);
	} else if (!strcmp(mode, "cache"))
		*kept = 64 * MIB * (t < 10 ? t / 10 : 1);
	else if (!strcmp(mode, "shrink"))
		*kept = 80 * MIB - MIB * (t < 70 ? t : 70);
	else
		return -1;
	return 0;
}

static double
since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int
main(int argc, char **argv)
{
	struct region kept, garbage;
	struct timespec t0, next;
	double k, g, seconds = 120;
	char name[16];

	if (argc < 2 || argc > 3 || shape(argv[1], 0, &k, &g) < 0) {
		fputs("usage: leaker linear|steps|gc-rising|gc-flat|cache|shrink [SECONDS]\n",
		      stderr);
		return 2;
	}
	if (argc == 3 && (!(seconds = atof(argv[2])) || seconds < 0 || seconds > 600)) {
		fputs("leaker: SECONDS must be in (0, 600]\n", stderr);
		return 2;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(name, sizeof name, "lk-%s", argv[1]);
	prctl(PR_SET_NAME, name);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	page = (size_t)sysconf(_SC_PAGESIZE);
	if (region_init(&kept) < 0 || region_init(&garbage) < 0) {
		perror("leaker: mmap");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	next = t0;
	region_set(&kept, k);
	region_set(&garbage, g);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (!stop) {
		double t = since(&t0);

		if (t >= seconds)
			break;
		shape(argv[1], t, &k, &g);
		region_set(&kept, k);
		region_set(&garbage, g);
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}
