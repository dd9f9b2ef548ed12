/* keylat: key-to-screen latency of an interactive program, in a real pty.
 *
 *   keylat [-n KEYS] [-w WARMUP_S] [-g MAX_GAP_MS] [-q QUIET_MS] [-T TIMEOUT_MS]
 *          [-s SEED] [-x COLS] [-y ROWS] -- COMMAND [ARG]...
 *
 * Runs COMMAND on a new pty (forkpty, COLS x ROWS, default 140 x 40) and reads
 * everything it writes. After WARMUP_S seconds (default 5) it sends KEYS keys
 * (default 200), one at a time, each after a random gap of 0..MAX_GAP_MS
 * (default 1000: keys land anywhere in the refresh cycle of a 1 s view) once
 * the output has been quiet for QUIET_MS. A key's latency runs from its write
 * to the last byte of the output that follows it, the output being over when
 * nothing more came for QUIET_MS (default 15). A redraw of the program's own
 * that lands within QUIET_MS of the key's effect is counted in, so the figure
 * errs high, never low; a key with no output within TIMEOUT_MS (default 2000)
 * counts as a timeout and as TIMEOUT_MS.
 *
 * The keys cycle through what a user does in smaptop's list: move (Down, Down,
 * Up), sort by the next and previous column (> <), filter ('/', a character
 * that matches no process, Backspace, Enter) and switch screens (o, Esc; Esc
 * includes the terminal's escape delay, as it does for a user). Arrow keys are
 * sent as xterm's application-mode sequences (run COMMAND with an xterm TERM).
 *
 * Prints one line, in milliseconds:
 *   keys N timeouts T p50 X p90 X p99 X max X
 * and the largest per kind on stderr. Then sends 'q' and kills COMMAND.
 * Exit status 1 when COMMAND cannot run or exits early, 2 on a usage error.
 *
 * Build: cc -O2 -o build/bench/keylat tests/bench/keylat.c -lutil
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum kind { MOVE, SORT, FILTER, SCREEN, NKINDS };
static const char *const kind_name[NKINDS] = { "move", "sort", "filter", "screen" };
static const struct {
	const char *bytes;
	enum kind kind;
} keys[] = {
	{ "\033OB", MOVE }, { "\033OB", MOVE }, { "\033OA", MOVE },
	{ ">", SORT }, { "<", SORT },
	{ "/", FILTER }, { "z", FILTER }, { "\x7f", FILTER }, { "\r", FILTER },
	{ "o", SCREEN }, { "\033", SCREEN },
};
enum { NKEYS = sizeof keys / sizeof keys[0] };

static int fd = -1;
static pid_t child;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads what is there within wait_ms; returns bytes read, -1 when the pty closed. */
static long drain(double wait_ms)
{
	static char buf[65536];
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, wait_ms > 0 ? (int)(wait_ms + 0.999) : 0);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	return n > 0 ? n : -1;
}

/* Reads for ms milliseconds. */
static int drain_for(double ms)
{
	double end = now_ms() + ms;
	for (double t; (t = now_ms()) < end;)
		if (drain(end - t) < 0)
			return -1;
	return 0;
}

/* Reads until nothing came for quiet ms. */
static int settle(double quiet)
{
	for (;;) {
		long n = drain(quiet);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(const double *v, int n, double p)
{
	int i = (int)(p / 100 * n + 0.999999) - 1; /* nearest rank */
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static void end_child(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = 0;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	end_child();
	_exit(1);
}

int main(int argc, char **argv)
{
	int n = 200, opt, cols = 140, rows = 40;
	double warm = 5, gap = 1000, quiet = 15, timeout = 2000;
	unsigned seed = (unsigned)getpid();
	while ((opt = getopt(argc, argv, "n:w:g:q:T:s:x:y:")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 'g': gap = atof(optarg); break;
		case 'q': quiet = atof(optarg); break;
		case 'T': timeout = atof(optarg); break;
		case 's': seed = (unsigned)atol(optarg); break;
		case 'x': cols = atoi(optarg); break;
		case 'y': rows = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (optind >= argc || n < 1 || quiet <= 0 || timeout <= quiet || gap < 0)
		goto usage;
	srand(seed);

	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	child = forkpty(&fd, NULL, NULL, &ws);
	if (child < 0) {
		perror("keylat: forkpty");
		return 1;
	}
	if (child == 0) {
		execvp(argv[optind], argv + optind);
		perror("keylat: exec");
		_exit(127);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	double *lat = calloc((size_t)n, sizeof *lat);
	double kind_max[NKINDS] = { 0 };
	int timeouts = 0;
	if (!lat || drain_for(warm * 1e3) < 0)
		goto died;
	for (int i = 0; i < n; i++) {
		int k = i % NKEYS;
		if (drain_for(gap * rand() / ((double)RAND_MAX + 1)) < 0 || settle(quiet) < 0)
			goto died;
		size_t len = strlen(keys[k].bytes);
		double t0 = now_ms(), last = -1;
		if (write(fd, keys[k].bytes, len) != (ssize_t)len)
			goto died;
		for (;;) {
			double t = now_ms();
			double wait = last < 0 ? t0 + timeout - t : last + quiet - t;
			if (wait <= 0)
				break;
			long got = drain(wait);
			if (got < 0)
				goto died;
			if (got > 0)
				last = now_ms();
		}
		if (last < 0) {
			timeouts++;
			last = t0 + timeout;
		}
		lat[i] = last - t0;
		if (lat[i] > kind_max[keys[k].kind])
			kind_max[keys[k].kind] = lat[i];
	}
	for (int j = 0; j < NKINDS; j++)
		fprintf(stderr, "keylat: %-6s max %.1f ms\n", kind_name[j], kind_max[j]);
	qsort(lat, (size_t)n, sizeof *lat, cmp);
	printf("keys %d timeouts %d p50 %.1f p90 %.1f p99 %.1f max %.1f\n", n, timeouts,
	       pct(lat, n, 50), pct(lat, n, 90), pct(lat, n, 99), lat[n - 1]);
	if (write(fd, "q", 1) == 1)
		drain_for(500);
	end_child();
	return 0;

died:
	fprintf(stderr, "keylat: %s ended or its pty failed\n", argv[optind]);
	end_child();
	return 1;

usage:
	fprintf(stderr, "usage: keylat [-n KEYS] [-w WARMUP_S] [-g MAX_GAP_MS] [-q QUIET_MS] "
			"[-T TIMEOUT_MS] [-s SEED] [-x COLS] [-y ROWS] -- COMMAND [ARG]...\n");
	return 2;
}
