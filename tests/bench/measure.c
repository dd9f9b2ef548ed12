/* measure: run a command and report its CPU time, wall time and peak RSS.
 *
 *   measure [-t MIN_WALL_S] [-r MAX_REPS] [-o OUTFILE] -- COMMAND [ARG]...
 *
 * Runs COMMAND (stdout to OUTFILE, default /dev/null; stdin and stderr from/to
 * /dev/null) back to back until the runs took MIN_WALL_S seconds of wall time
 * in total (default 0: once) or MAX_REPS runs were made (default 50), and
 * prints one line:
 *
 *   REPS USER_S SYS_S WALL_S MAXRSS_KIB
 *
 * USER_S, SYS_S and WALL_S are means per run, from wait4()'s rusage of each
 * child (microsecond resolution, unlike /usr/bin/time's 10 ms) and
 * CLOCK_MONOTONIC around fork..wait; MAXRSS_KIB is the largest ru_maxrss seen.
 * Exits 1 (after a message on stderr) if COMMAND fails to run or exits non-zero.
 *
 * Build: cc -O2 -o build/bench/measure tests/bench/measure.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	double min_wall = 0;
	int max_reps = 50, opt;
	const char *out = "/dev/null";
	while ((opt = getopt(argc, argv, "+t:r:o:")) != -1) {
		switch (opt) {
		case 't': min_wall = atof(optarg); break;
		case 'r': max_reps = atoi(optarg); break;
		case 'o': out = optarg; break;
		default:
			fprintf(stderr, "usage: measure [-t MIN_WALL_S] [-r MAX_REPS] [-o OUTFILE] -- CMD...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "measure: no command\n");
		return 2;
	}
	if (max_reps < 1)
		max_reps = 1;

	double user = 0, sys = 0, wall = 0;
	long maxrss = 0;
	int reps = 0;
	while (reps < max_reps && (reps == 0 || wall < min_wall)) {
		double t0 = now();
		pid_t pid = fork();
		if (pid < 0) {
			perror("measure: fork");
			return 1;
		}
		if (pid == 0) {
			int in = open("/dev/null", O_RDONLY);
			int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			int fe = open("/dev/null", O_WRONLY);
			if (in < 0 || fo < 0 || fe < 0)
				_exit(126);
			dup2(in, 0);
			dup2(fo, 1);
			if (!getenv("MEASURE_STDERR"))
				dup2(fe, 2);
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		int st;
		struct rusage ru;
		while (wait4(pid, &st, 0, &ru) < 0) {
			if (errno != EINTR) {
				perror("measure: wait4");
				return 1;
			}
		}
		wall += now() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "measure: %s failed (status 0x%x)\n", argv[optind], st);
			return 1;
		}
		user += tv(ru.ru_utime);
		sys += tv(ru.ru_stime);
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		reps++;
	}
	printf("%d %.6f %.6f %.6f %ld\n", reps, user / reps, sys / reps, wall / reps, maxrss);
	return 0;
}
