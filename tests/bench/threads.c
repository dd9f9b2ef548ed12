/* threads: one process with many threads, or its one-thread twin, for the bench.
 *
 *   threads -o PIDFILE [-n THREADS] [-m MIB] [-x] [-t TIMEOUT_S]
 *
 * Writes MIB (default 64) MiB of private anonymous memory, then maps THREADS - 1
 * (default 2000) stacks of 64 KiB, each with a guard page below it, and writes
 * the top two pages of each (where a thread keeps its TLS and first frames).
 * Then it starts THREADS - 1 threads on those stacks, which sleep; with -x (the
 * twin) it starts none. So both have the same mappings and nearly the same
 * resident pages (within 1%), and differ in their threads only. When ready it writes PIDFILE atomically ("pid <pid>") and sleeps; it
 * ends itself after TIMEOUT_S seconds (default 1800).
 *
 * Exit status: 1 when setup fails (message on stderr), 2 on a usage error.
 *
 * Build: cc -O2 -pthread -o build/bench/threads tests/bench/threads.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { STACK = 64 * 1024 };

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "threads: %s: %s\n", what, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	const char *pidfile = NULL;
	long n = 2000, mib = 64, timeout = 1800;
	int twin = 0, opt;
	while ((opt = getopt(argc, argv, "o:n:m:xt:")) != -1) {
		switch (opt) {
		case 'o': pidfile = optarg; break;
		case 'n': n = atol(optarg); break;
		case 'm': mib = atol(optarg); break;
		case 'x': twin = 1; break;
		case 't': timeout = atol(optarg); break;
		default: goto usage;
		}
	}
	if (!pidfile || n < 1 || mib < 0 || timeout < 1)
		goto usage;
	alarm((unsigned)timeout);
	long page = sysconf(_SC_PAGESIZE);

	if (mib) {
		char *heap = mmap(NULL, (size_t)mib << 20, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (heap == MAP_FAILED)
			return fail("mmap", errno);
		memset(heap, 0x5a, (size_t)mib << 20);
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	for (long i = 1; i < n; i++) {
		/* a guard page, then the stack: two mappings, as glibc makes them */
		char *s = mmap(NULL, STACK + (size_t)page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (s == MAP_FAILED)
			return fail("mmap stack", errno);
		if (mprotect(s, (size_t)page, PROT_NONE) < 0)
			return fail("mprotect", errno);
		memset(s + STACK - page, 1, 2 * (size_t)page);
		if (twin)
			continue;
		pthread_attr_setstack(&attr, s + page, STACK);
		pthread_t t;
		int err = pthread_create(&t, &attr, sleeper, NULL);
		if (err)
			return fail("pthread_create", err);
	}

	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", pidfile);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "pid %d\n", (int)getpid()) < 0 || fclose(f) != 0 || rename(tmp, pidfile) < 0)
		return fail("pid file", errno);
	for (;;)
		pause();

usage:
	fprintf(stderr, "usage: threads -o PIDFILE [-n THREADS] [-m MIB] [-x] [-t TIMEOUT_S]\n");
	return 2;
}
