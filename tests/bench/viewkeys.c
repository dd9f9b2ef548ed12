/*
 * viewkeys: the interactive view's work per key and per refresh at a given
 * number of processes, without /proc and without a terminal, so that its
 * instruction count (callgrind) compares one build of the view with another
 * whatever the machine's load.
 *
 *   viewkeys [-n PROCS] [-k KEYS] [-r KEYS_PER_REFRESH] [-v]
 *
 * It builds a table of PROCS synthetic processes (a process tree, varied
 * memory, names and command lines), then sends KEYS keys (default 200) through
 * ui_key() as the view's loop does: rows selected before the key, after it and
 * before the frame, the frame drawn into curses (output to /dev/null). Every
 * KEYS_PER_REFRESH keys (default 10) a new table is published in which 1% of
 * the processes changed their memory, and the frame for it is drawn. The keys
 * mix what people press: cursor moves, sort changes, reverse, the tree, a
 * typed filter and its removal, other screens and back.
 *
 * It prints the wall time per key (median, 99th percentile, maximum) and per
 * refresh frame (from the publication on), and with -v each key's time. For
 * the instructions of the view alone (the making of the tables left out):
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=view_select \
 *       --toggle-collect=ui_key --toggle-collect=frame build/bench/viewkeys -n 10000
 * (the total / KEYS is the cost of one key and its share of refreshes; -r 0
 * for keys alone).
 *
 * Build (after make): cc -O2 -D_GNU_SOURCE -Isrc -o build/bench/viewkeys \
 *       tests/bench/viewkeys.c build/libsmaptop.a $(build/config.mk's LIBS)
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/table.h"
#include "ui/screen.h"
#include "ui/ui.h"
#include "util/xalloc.h"

static bool verbose;
static uint64_t rng = 88172645463325252ULL;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const users[] = { "user0", "user1000", "user2000", "user3000" };

static const char *const names[] = {
	"java", "postgres", "nginx", "python3", "node", "bash", "sshd", "worker", "chrome",
	"containerd-shim", "kubelet", "redis-server",
};

static void
fill(struct proc *p, pid_t pid, pid_t ppid)
{
	const char *name = names[next_rand() % (sizeof names / sizeof *names)];
	char cmd[128];

	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set(p, F_PPID, ppid);
	proc_set(p, F_UID, (int64_t)(next_rand() % 4) * 1000);
	proc_set(p, F_USER, 0);
	p->user = users[proc_val(p, F_UID) / 1000];
	p->state = "SSSRD"[next_rand() % 5];
	proc_set(p, F_COMM, 0);
	proc_set_comm(p, name, strlen(name)); /* all inline: copies of p may share it */
	int len = snprintf(cmd, sizeof cmd, "/usr/bin/%s%c--id=%d%c--mode=serve", name, 0,
			   (int)pid, 0);
	p->cmdline = xmemdup(cmd, (size_t)len + 1);
	p->cmd_len = (uint16_t)len;
	p->flags = PROC_CMD_READ;
	proc_set(p, F_CMDLINE, 0);
	int64_t rss = 1000 + (int64_t)(next_rand() % 500000);
	proc_set(p, F_VSZ, rss * 4);
	proc_set(p, F_RSS, rss);
	proc_set(p, F_PSS, rss / 2);
	proc_set(p, F_USS, rss / 3);
	proc_set(p, F_SWAP, (int64_t)(next_rand() % 100));
	proc_set(p, F_OOM_SCORE, rss / 1000);
	proc_set(p, F_THREADS, 1);
}

/* A new table: the old one with 1% of its processes' memory changed. */
static void
publish(struct tui *u, size_t n)
{
	struct table *t = &u->col.t;
	struct proc *v = xreallocarray(NULL, n, sizeof *v);

	for (size_t i = 0; i < n; i++) {
		v[i] = t->procs[i];
		v[i].cmdline = xmemdup(t->procs[i].cmdline, t->procs[i].cmd_len + 1u);
	}
	for (size_t k = 0; k < n / 100; k++) {
		struct proc *p = &v[next_rand() % n];
		int64_t rss = proc_val(p, F_RSS) + (int64_t)(next_rand() % 2000) - 1000;
		proc_set(p, F_RSS, rss > 0 ? rss : 1);
		proc_set(p, F_PSS, proc_val(p, F_RSS) / 2);
		proc_set(p, F_USS, proc_val(p, F_RSS) / 3);
	}
	for (size_t i = 0; i < n; i++)
		free(t->procs[i].cmdline);
	free(t->procs);
	t->procs = v;
	t->refreshes++;
	u->col.gen++;
}

__attribute__((noinline)) static void
frame(struct tui *u)
{
	int y = 0;

	erase();
	view_header(u, &y);
	screens[u->screen]->draw(u, y, LINES - 1 - y);
	view_footer(u);
	wnoutrefresh(stdscr);
	doupdate();
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static const int script[] = {
	KEY_DOWN, KEY_DOWN, KEY_DOWN, KEY_NPAGE, KEY_UP, '>', '>', 'I', KEY_DOWN, '<',
	'/', 'j', 'a', 'v', '\n', KEY_DOWN, 'o', 27, '/', KEY_BACKSPACE,
	KEY_BACKSPACE, KEY_BACKSPACE, '\n', 't', KEY_DOWN, KEY_NPAGE, 't', 'w', 27, KEY_HOME,
};

/* Sends nkeys keys, a refresh every per_refresh of them; the wall time of each into ns. */
__attribute__((noinline)) static void
send_keys(struct tui *u, size_t n, size_t nkeys, size_t per_refresh, uint64_t *ns,
	  uint64_t *refresh_ns)
{
	size_t nscript = sizeof script / sizeof *script, r = 0;

	for (size_t k = 0; k < nkeys; k++) {
		if (per_refresh && k % per_refresh == 0) {
			publish(u, n);
			uint64_t t0 = now_ns();
			view_select(u);
			frame(u);
			refresh_ns[r++] = now_ns() - t0;
		}
		uint64_t t0 = now_ns();
		view_select(u);
		ui_key(u, script[k % nscript], 0);
		view_select(u);
		view_select(u);
		frame(u);
		ns[k] = now_ns() - t0;
		if (verbose)
			fprintf(stderr, "key %zu (%d): %.3f ms\n", k, script[k % nscript], ns[k] / 1e6);
	}
}

static void
report(const char *what, uint64_t *v, size_t n)
{
	if (!n)
		return;
	qsort(v, n, sizeof *v, by_u64);
	size_t p99 = (n * 99 + 99) / 100 - 1;
	printf("%s: %zu, median %.3f ms, p99 %.3f ms, max %.3f ms\n", what, n, v[n / 2] / 1e6,
	       v[p99] / 1e6, v[n - 1] / 1e6);
}

int
main(int argc, char **argv)
{
	size_t n = 10000, nkeys = 200, per_refresh = 10;
	int c;

	while ((c = getopt(argc, argv, "n:k:r:v")) != -1) {
		switch (c) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'k': nkeys = strtoul(optarg, NULL, 10); break;
		case 'r': per_refresh = strtoul(optarg, NULL, 10); break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: viewkeys [-n PROCS] [-k KEYS] [-r KEYS_PER_REFRESH] [-v]\n");
			return 2;
		}
	}
	if (n < 2 || !nkeys) {
		fprintf(stderr, "viewkeys: needs 2 processes and 1 key at least\n");
		return 2;
	}
	struct tui *u = xcalloc(1, sizeof *u);
	static const enum field cols[] = { F_PID, F_USER, F_PSS, F_USS, F_RSS, F_VSZ, F_SWAP,
					   F_OOM_SCORE, F_COMM };
	memcpy(u->cols, cols, sizeof cols);
	u->ncols = (int)(sizeof cols / sizeof *cols);
	u->sort = F_PSS;
	u->delay_s = 1;
	table_init(&u->col.t);
	u->col.t.procs = xreallocarray(NULL, n, sizeof *u->col.t.procs);
	u->col.t.n = u->col.t.cap = n;
	for (size_t i = 0; i < n; i++) /* pid 1 the root, then a tree 8 wide */
		fill(&u->col.t.procs[i], (pid_t)(i + 1), i ? (pid_t)(i / 8 + 1) : 0);
	u->col.t.refreshes = 1;

	FILE *out = fopen("/dev/null", "w");
	setenv("LINES", "50", 1);
	setenv("COLUMNS", "160", 1);
	if (!out || !newterm(getenv("TERM") ? NULL : "xterm", out, stdin)) {
		fprintf(stderr, "viewkeys: cannot set up curses\n");
		return 1;
	}
	keypad(stdscr, TRUE);
	ui_colors_init(u);
	view_select(u);
	frame(u);

	uint64_t *ns = xcalloc(nkeys, sizeof *ns);
	uint64_t *refresh_ns = xcalloc(nkeys, sizeof *refresh_ns);
	send_keys(u, n, nkeys, per_refresh, ns, refresh_ns);
	endwin();
	printf("viewkeys: %zu processes\n", n);
	report("keys", ns, nkeys);
	report("refresh frames", refresh_ns, per_refresh ? (nkeys + per_refresh - 1) / per_refresh : 0);
	return 0;
}
