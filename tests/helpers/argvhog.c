/*
 * argvhog: a child with a chosen (hostile) command line, for smaptop's
 * integration tests (tests/integration/hostile.sh, privilege.sh).
 *
 * It re-executes itself (/proc/self/exe) with exactly the argument vector given
 * after "--", so /proc/<pid>/cmdline holds those raw bytes; the PID does not
 * change. Then it applies the options, prints "ready <pid>\n" on stdout
 * (flushed) and sleeps in pause(). SIGTERM, SIGINT and SIGHUP make it exit 0;
 * it asks for SIGKILL when its parent dies (PR_SET_PDEATHSIG), like memhog, so
 * start it directly from the test's shell, not from a subshell that exits.
 *
 * Usage: argvhog [options] -- ARGV0 [ARG...]
 *   --name NAME      prctl(PR_SET_NAME, NAME) after the exec (the kernel keeps
 *                    the first 15 bytes)
 *   --zombie NAME    fork a child that sets its name to NAME and exits at once;
 *                    it is never reaped, so it stays a zombie (state Z) while
 *                    argvhog lives. "zombie <child-pid>\n" is printed before the
 *                    ready line
 *   --nodumpable     prctl(PR_SET_DUMPABLE, 0) after the exec (an exec resets
 *                    it): /proc/<pid> then belongs to root and only a process
 *                    with CAP_SYS_PTRACE may read smaps_rollup
 *   -h, --help       this text
 *
 * Options reach the re-executed image in ARGVHOG_* environment variables (it
 * unsets them, so its own children do not inherit them). Exit status: 0 after SIGTERM/SIGINT/SIGHUP,
 * 1 when a setup step fails (one-line message on stderr), 2 on a usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: argvhog [--name NAME] [--zombie NAME] [--nodumpable] -- ARGV0 [ARG...]\n"
	"Re-executes itself with ARGV0 ARG..., prints \"ready <pid>\", waits for SIGTERM.\n";

static void
on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static void
die(const char *what)
{
	fprintf(stderr, "argvhog: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
usage_error(const char *msg)
{
	fprintf(stderr, "argvhog: %s\n%s", msg, usage_text);
	exit(2);
}

/* First image: record the options in the environment and exec with the new argv. */
static void
stage_one(int argc, char **argv)
{
	char parent[32];
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (strcmp(a, "--nodumpable") == 0) {
			if (setenv("ARGVHOG_NODUMP", "1", 1) != 0)
				die("setenv");
		} else if (strcmp(a, "--name") == 0 && v != NULL) {
			if (setenv("ARGVHOG_NAME", v, 1) != 0)
				die("setenv");
			i++;
		} else if (strcmp(a, "--zombie") == 0 && v != NULL) {
			if (setenv("ARGVHOG_ZOMBIE", v, 1) != 0)
				die("setenv");
			i++;
		} else {
			usage_error("unknown option or missing value");
		}
	}
	if (i >= argc)
		usage_error("missing -- ARGV0");
	snprintf(parent, sizeof parent, "%ld", (long)getppid());
	if (setenv("ARGVHOG_PARENT", parent, 1) != 0)
		die("setenv");
	execv("/proc/self/exe", argv + i);
	die("execv /proc/self/exe");
}

/* Forks a child that names itself and exits; waits until it is a zombie, without reaping it. */
static pid_t
make_zombie(const char *name)
{
	siginfo_t si;
	pid_t c = fork();

	if (c < 0)
		die("fork");
	if (c == 0) {
		prctl(PR_SET_NAME, name);
		_exit(0);
	}
	memset(&si, 0, sizeof si);
	while (waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT) != 0)
		if (errno != EINTR)
			die("waitid");
	return c;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	const char *parent = getenv("ARGVHOG_PARENT");
	char *name, *zname;
	int nodump;
	pid_t zombie = 0;

	if (parent == NULL)
		stage_one(argc, argv); /* does not return */

	/* Second image: argv is the hostile one; options come from the environment. */
	name = getenv("ARGVHOG_NAME") ? strdup(getenv("ARGVHOG_NAME")) : NULL;
	zname = getenv("ARGVHOG_ZOMBIE") ? strdup(getenv("ARGVHOG_ZOMBIE")) : NULL;
	nodump = getenv("ARGVHOG_NODUMP") != NULL;
	long want_parent = strtol(parent, NULL, 10);
	unsetenv("ARGVHOG_NAME");
	unsetenv("ARGVHOG_ZOMBIE");
	unsetenv("ARGVHOG_NODUMP");
	unsetenv("ARGVHOG_PARENT");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGCHLD, SIG_DFL); /* SIG_IGN would let the kernel reap the zombie */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		die("prctl PR_SET_PDEATHSIG");
	if ((long)getppid() != want_parent) /* the parent died before PDEATHSIG was armed */
		return 0;

	if (name != NULL && prctl(PR_SET_NAME, name) != 0)
		die("prctl PR_SET_NAME");
	if (nodump && prctl(PR_SET_DUMPABLE, 0) != 0)
		die("prctl PR_SET_DUMPABLE");
	if (zname != NULL) {
		zombie = make_zombie(zname);
		printf("zombie %ld\n", (long)zombie);
	}

	printf("ready %ld\n", (long)getpid());
	if (fflush(stdout) != 0)
		die("write stdout");
	free(name);
	free(zname);
	for (;;)
		pause();
}
