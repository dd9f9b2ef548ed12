/*
 * forkhog: many sleeping processes, for smaptop's load test.
 *
 * Usage: forkhog N [NAME]
 *
 * It makes itself the leader of a new process group (its PGID is its PID),
 * names itself NAME if given (PR_SET_NAME), forks N children that stay in that
 * group and sleep in pause(), then prints "ready <pid>\n" on stdout (flushed)
 * once every child exists, and sleeps too.
 *
 * Cleanup: SIGTERM, SIGINT or SIGHUP make forkhog SIGKILL each of its children
 * by PID and reap them; it exits 0. Every child asks for SIGKILL when
 * forkhog dies (PR_SET_PDEATHSIG), and forkhog asks for SIGKILL when its own
 * parent dies, so a test killed with SIGKILL leaves nothing behind. A caller
 * can also end everything with kill -KILL -- -PID.
 *
 * Exit status: 0 after SIGTERM/SIGINT/SIGHUP, 1 when a fork or setup step fails
 * (the children made so far are killed, one line on stderr), 2 on a usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 100000

static volatile sig_atomic_t stop;
static pid_t *kids;
static long nkids;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGKILLs every child made so far, by PID, and reaps them. */
static void
end_children(void)
{
	for (long i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) >= 0 || errno == EINTR)
		;
}

static void
fail(const char *what)
{
	fprintf(stderr, "forkhog: %s: %s\n", what, strerror(errno));
	end_children();
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, old;
	char *end;
	long n;
	pid_t parent = getppid();

	if (argc < 2 || argc > 3) {
		fputs("usage: forkhog N [NAME]\n", stderr);
		return 2;
	}
	errno = 0;
	n = strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || n < 1 || n > MAX_CHILDREN) {
		fprintf(stderr, "forkhog: bad count %s (1..%d)\n", argv[1], MAX_CHILDREN);
		return 2;
	}
	kids = calloc((size_t)n, sizeof(*kids));
	if (kids == NULL)
		fail("calloc");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		fail("prctl PR_SET_PDEATHSIG");
	if (getppid() != parent)
		return 0;
	if (setpgid(0, 0) != 0)
		fail("setpgid");
	if (argc == 3 && prctl(PR_SET_NAME, argv[2]) != 0)
		fail("prctl PR_SET_NAME");

	/* The ending signals wait until every child exists: none is left half-made. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);

	pid_t me = getpid();
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != me)
				_exit(1);
			sigprocmask(SIG_SETMASK, &old, NULL);
			for (;;)
				pause();
		}
		kids[nkids++] = pid;
	}
	printf("ready %ld\n", (long)getpid());
	if (fflush(stdout) != 0)
		fail("write stdout");

	while (!stop)
		sigsuspend(&old);
	end_children();
	return 0;
}
