/* floor: the cost floor for a whole-system memory snapshot.
 *
 * For every PID in /proc it opens, reads to EOF (into one reused 128 KiB
 * buffer) and closes exactly the six files smaptop's default view needs --
 * stat, status, smaps_rollup, oom_score, oom_score_adj, cmdline -- and parses
 * nothing. Whatever a monitor spends above this is its own overhead.
 *
 *   floor [-n PASSES] [-d SECONDS]
 *                       walk /proc PASSES times (default 1), SECONDS apart (default
 *                       0: back to back), as a live monitor refreshing every SECONDS
 *                       would. With FLOOR_VERBOSE set it prints the PIDs and bytes
 *                       of the last pass on stderr.
 *
 * Build: cc -O2 -o build/bench/floor tests/bench/floor.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[128 * 1024];

static const char *const files[] = {
	"stat", "status", "smaps_rollup", "oom_score", "oom_score_adj", "cmdline",
};

static unsigned long long slurp(int dirfd, const char *name)
{
	unsigned long long total = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) {
			total += (unsigned long long)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	int passes = 1, opt;
	double delay = 0;
	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		if (opt == 'n')
			passes = atoi(optarg);
		else if (opt == 'd')
			delay = atof(optarg);
		else {
			fprintf(stderr, "usage: floor [-n PASSES] [-d SECONDS]\n");
			return 2;
		}
	}
	if (passes < 1)
		passes = 1;
	const struct timespec gap = { (time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9) };

	unsigned long long bytes = 0, pids = 0;
	for (int p = 0; p < passes; p++) {
		struct timespec left = gap;
		while (p && delay > 0 && nanosleep(&left, &left) < 0 && errno == EINTR)
			;
		bytes = pids = 0;
		DIR *proc = opendir("/proc");
		if (!proc) {
			perror("/proc");
			return 1;
		}
		struct dirent *de;
		while ((de = readdir(proc)) != NULL) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			int dfd = openat(dirfd(proc), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd < 0)
				continue; /* exited meanwhile */
			for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
				bytes += slurp(dfd, files[i]);
			close(dfd);
			pids++;
		}
		closedir(proc);
	}
	if (getenv("FLOOR_VERBOSE"))
		fprintf(stderr, "floor: %llu pids, %llu bytes\n", pids, bytes);
	return 0;
}
