/*
 * storm: a bounded fork/exit storm, for smaptop's integration tests
 * (tests/integration/storm.sh).
 *
 * It prints "ready <pid>\n" on stdout (flushed), then for SECONDS seconds starts
 * RATE short-lived children per second, evenly spaced. Each child sleeps a
 * random 1..50 ms and exits; every fourth child first re-executes storm itself
 * (so processes also change image while smaptop reads them), and every other
 * child renames itself to a name holding '?', '.' and an ESC byte. storm reaps
 * its children as it goes, so zombies are short-lived.
 *
 * It stops starting children after SECONDS, or at once on SIGTERM, SIGINT or
 * SIGHUP; it then waits for the children still running (at most ~50 ms), prints
 * "done <children started>\n" and exits 0. Both limits are bounded (SECONDS
 * <= 10, RATE <= 200) so a test cannot turn it into a fork bomb; children get
 * SIGKILL if storm dies (PR_SET_PDEATHSIG), and storm gets SIGKILL if its own
 * parent dies, like memhog.
 *
 * Usage: storm [--seconds N] [--rate N]   (defaults 10 and 200)
 *        storm --child MS                 (internal: the re-executed child)
 * Exit status: 0 when done, 1 when a setup step fails, 2 on a usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SECONDS 10
#define MAX_RATE    200

static volatile sig_atomic_t stop;
static pid_t storm_pid;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage_error(const char *msg)
{
	fprintf(stderr, "storm: %s\nusage: storm [--seconds N (1..%d)] [--rate N (1..%d)]\n", msg,
		MAX_SECONDS, MAX_RATE);
	exit(2);
}

static long
parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		usage_error(what);
	return v;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* One child: maybe rename, maybe re-exec, touch a little memory, sleep, exit. */
static void
child(unsigned long n, long ms)
{
	char arg[16];
	volatile char *p;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != storm_pid) /* storm died before PDEATHSIG was armed */
		_exit(0);
	if (n % 4 == 0) {
		snprintf(arg, sizeof arg, "%ld", ms);
		execl("/proc/self/exe", "storm", "--child", arg, (char *)NULL);
		/* exec failed: carry on as a plain child */
	}
	if (n % 2 == 1)
		prctl(PR_SET_NAME, "st?rm.c\033hild");
	p = malloc(64 * 1024);
	if (p != NULL)
		for (size_t i = 0; i < 64 * 1024; i += 4096)
			p[i] = (char)i;
	sleep_ms(ms);
	_exit(0);
}

static void
reap(int flags)
{
	while (waitpid(-1, NULL, flags) > 0)
		;
}

int
main(int argc, char **argv)
{
	long seconds = 10, rate = 200;
	struct sigaction sa;
	struct timespec next, end;
	pid_t parent = getppid();
	unsigned long started = 0;
	long period_ns;

	if (argc == 3 && strcmp(argv[1], "--child") == 0) {
		sleep_ms(parse_num(argv[2], 0, 1000, "bad --child value"));
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage_error("missing value or unknown option");
		if (strcmp(argv[i], "--seconds") == 0)
			seconds = parse_num(argv[++i], 1, MAX_SECONDS, "bad --seconds");
		else if (strcmp(argv[i], "--rate") == 0)
			rate = parse_num(argv[++i], 1, MAX_RATE, "bad --rate");
		else
			usage_error("unknown option");
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
		perror("storm: prctl");
		return 1;
	}
	if (getppid() != parent)
		return 0;

	storm_pid = getpid();
	srand((unsigned)storm_pid);
	printf("ready %ld\n", (long)getpid());
	if (fflush(stdout) != 0)
		return 1;

	period_ns = 1000000000L / rate;
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = next;
	end.tv_sec += seconds;
	while (!stop) {
		if (next.tv_sec > end.tv_sec || (next.tv_sec == end.tv_sec && next.tv_nsec >= end.tv_nsec))
			break;
		long ms = 1 + rand() % 50;
		pid_t c = fork();
		if (c == 0)
			child(started, ms);
		if (c > 0)
			started++;
		reap(WNOHANG);
		next.tv_nsec += period_ns;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		/* Interrupted by a signal: the loop test sees stop. */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	reap(0);
	printf("done %lu\n", started);
	fflush(stdout);
	return 0;
}
