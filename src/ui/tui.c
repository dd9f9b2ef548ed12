/*
 * The interactive loop: one poll() on the keyboard, the collector's wake pipe
 * and a signal pipe. Every frame and every key is handled with the collector's
 * lock held (both are short); the collector reads /proc without it, so keys
 * are answered at once however long a refresh takes.
 *
 * Terminal restore: q, SIGINT, SIGTERM, SIGHUP and SIGQUIT end the loop and
 * call endwin(); fatal signals write a precomputed restore sequence and reset
 * the saved termios from the handler (both async-signal-safe) before dying.
 *
 * Job control: the handlers of SIGTSTP and SIGCONT only write the signal to the
 * pipe, like the quit signals; the loop does the work outside signal context,
 * between two frames, with no lock held. On SIGTSTP (Ctrl-Z) it calls
 * endwin(), which leaves the terminal cooked, on the normal screen, with the
 * cursor shown, then stops the process with the default action of SIGTSTP
 * (unless the parent ignores SIGTSTP). On SIGCONT, whoever stopped the process
 * (the shell's fg, or kill -STOP / -CONT from outside), the next frame repaints
 * the whole screen, since anything may have been written to it meanwhile.
 * (ncurses' own SIGTSTP handler is replaced: it draws from signal context,
 * which races with this loop and the collector thread.)
 */
#include "ui/tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "collect/actions.h"
#include "model/leak.h"
#include "ui/ui.h"
#include "util/xalloc.h"

static const enum field default_cols[] = {
	F_PID, F_USER, F_PSS, F_USS, F_RSS, F_VSZ, F_SWAP, F_OOM_SCORE, F_COMM,
};
static const double delays[] = { 0.2, 0.5, 1, 2, 5, 10, 30 };

static int sig_pipe[2] = { -1, -1 };
static struct termios saved_termios;
static bool have_termios;
static char restore_seq[128];
static size_t restore_len;

/* Quit, SIGTSTP and SIGCONT: the loop reads the signal number from the pipe. */
static void
on_pipe_signal(int sig)
{
	char c = (char)sig;
	int saved = errno;

	(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

static void
emergency_restore(void)
{
	if (restore_len)
		(void)!write(STDOUT_FILENO, restore_seq, restore_len);
	if (have_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

static void
on_fatal_signal(int sig)
{
	emergency_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_cap(const char *name)
{
	const char *s = tigetstr((char *)name);

	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void
install_signals(void)
{
	struct sigaction sa = { 0 };
	static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_pipe_signal;
	for (size_t i = 0; i < sizeof quit_sigs / sizeof *quit_sigs; i++)
		sigaction(quit_sigs[i], &sa, NULL);
	/*
	 * Job control: restart the collector's reads rather than fail them with
	 * EINTR. A SIGTSTP our parent ignores (no job control wanted) stays ignored.
	 */
	struct sigaction tstp;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTSTP, NULL, &tstp) == 0 && tstp.sa_handler != SIG_IGN)
		sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof *fatal_sigs; i++)
		sigaction(fatal_sigs[i], &sa, NULL);
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	xalloc_fatal_hook = emergency_restore;
}

/* ---- state changes ------------------------------------------------------- */

static void
set_status(struct tui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_status(struct tui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
}

/* Tells the collector what the current screen needs (lock held). */
static void
sync_requests(struct tui *u)
{
	struct collector *c = &u->col;
	pid_t want = u->screen == SCR_MAPS ? u->sel_pid : 0;
	bool numa = u->screen == SCR_NUMA;

	/* Every sample of the process on the detail screen; the others are compact. */
	c->opt.hist_detail_pid = u->screen == SCR_DETAIL ? u->sel_pid : 0;

	/* The NUMA split is read for the first rows of the (filtered) list only. */
	c->numa_req_n = 0;
	for (size_t i = 0; numa && i < u->rows.n && i < NUMA_ROWS_MAX; i++)
		c->numa_req[c->numa_req_n++] = (pid_t)u->rows.v[i]->val[F_PID];
	unsigned need = field_needs(u->cols, u->ncols) | field_info[u->sort].need;
	bool cmdline = (need & NEED_CMDLINE) || u->filter[0];

	/* NUMA columns: read numa_maps for the rows on screen only (it is expensive). */
	c->opt.numa = u->screen == SCR_PROCS && (need & NEED_NUMA);
	c->numa_col_n = 0;
	for (size_t i = u->top; c->opt.numa && i < u->rows.n && c->numa_col_n < NUMA_ROWS_MAX; i++)
		c->numa_col[c->numa_col_n++] = (pid_t)u->rows.v[i]->val[F_PID];
	if (c->opt.numa && !c->numa_col_n)
		c->opt.numa = false; /* nothing on screen yet: an empty list would mean all */

	if (want != c->maps_pid || numa != c->numa_wanted || cmdline != c->opt.cmdline ||
	    c->delay_s != u->delay_s) {
		c->maps_pid = want;
		c->numa_wanted = numa;
		c->opt.cmdline = cmdline;
		c->delay_s = u->delay_s;
		collector_kick(c);
	}
	if (c->paused != u->paused) {
		c->paused = u->paused;
		collector_kick(c);
	}
}

static void
toggle_column(struct tui *u, enum field f)
{
	for (int c = 0; c < u->ncols; c++) {
		if (u->cols[c] != f)
			continue;
		if (u->ncols > 1) {
			memmove(&u->cols[c], &u->cols[c + 1], (size_t)(u->ncols - c - 1) * sizeof *u->cols);
			u->ncols--;
		}
		return;
	}
	/* New columns go before a trailing text column, so COMMAND stays last. */
	int at = u->ncols;
	if (at > 0 && field_info[u->cols[at - 1]].kind == FK_TEXT && field_info[f].kind != FK_TEXT)
		at--;
	memmove(&u->cols[at + 1], &u->cols[at], (size_t)(u->ncols - at) * sizeof *u->cols);
	u->cols[at] = f;
	u->ncols++;
}

static void
move_cursor(size_t *cursor, size_t n, int delta)
{
	if (n == 0) {
		*cursor = 0;
		return;
	}
	long v = (long)*cursor + delta;
	if (v < 0)
		v = 0;
	if (v >= (long)n)
		v = (long)n - 1;
	*cursor = (size_t)v;
}

/* The next longer (dir > 0) or shorter refresh delay of the steps in delays[]. */
static double
next_delay(double cur, int dir)
{
	size_t n = sizeof delays / sizeof *delays;

	if (dir > 0) {
		for (size_t i = 0; i < n; i++)
			if (delays[i] > cur + 1e-9)
				return delays[i];
		return delays[n - 1];
	}
	for (size_t i = n; i-- > 0;)
		if (delays[i] < cur - 1e-9)
			return delays[i];
	return delays[0];
}

static int
page(void)
{
	return LINES > 12 ? LINES - 8 : 4;
}

static int
parse_signal(const char *s)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "TERM", SIGTERM }, { "KILL", SIGKILL }, { "HUP", SIGHUP }, { "INT", SIGINT },
		{ "STOP", SIGSTOP }, { "CONT", SIGCONT }, { "QUIT", SIGQUIT }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 },
	};
	char *end;

	if (!*s)
		return SIGTERM;
	long v = strtol(s, &end, 10);
	if (end != s && !*end)
		return v > 0 && v < NSIG ? (int)v : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].sig;
	return -1;
}

static void
ask_confirm(struct tui *u, enum prompt what, int value)
{
	const struct proc *p = view_selected(u);

	u->confirm_of = what;
	u->target_value = value;
	u->prompt = PR_CONFIRM;
	if (what == PR_SIGNAL)
		set_status(u, "Send signal %d (%s) to PID %d %s? y/n", value, strsignal(value),
			   (int)u->target, p ? p->comm : "");
	else
		set_status(u, "Set oom_score_adj of PID %d %s to %d? y/n", (int)u->target,
			   p ? p->comm : "", value);
}

static void
confirmed(struct tui *u)
{
	int rc;

	if (u->confirm_of == PR_SIGNAL) {
		rc = action_signal(u->target, u->target_value);
		if (rc == 0)
			set_status(u, "sent signal %d to PID %d", u->target_value, (int)u->target);
		else
			set_status(u, "cannot signal PID %d: %s", (int)u->target, strerror(-rc));
	} else {
		rc = action_set_oom_adj(u->target, u->target_value);
		if (rc == 0)
			set_status(u, "oom_score_adj of PID %d is now %d", (int)u->target, u->target_value);
		else if (rc == -EACCES || rc == -EPERM)
			set_status(u, "permission denied: lowering oom_score_adj needs CAP_SYS_RESOURCE");
		else
			set_status(u, "cannot set oom_score_adj of PID %d: %s", (int)u->target,
				   strerror(-rc));
		u->col.opt.fresh_pid = u->target; /* show the new values on the next refresh */
		collector_kick(&u->col);
	}
}

static void
prompt_key(struct tui *u, int ch)
{
	size_t len;
	char *text = u->prompt == PR_FILTER ? u->filter : u->input;
	size_t cap = u->prompt == PR_FILTER ? sizeof u->filter : sizeof u->input;

	if (u->prompt == PR_CONFIRM) {
		u->prompt = PR_NONE;
		u->status[0] = '\0';
		if (ch == 'y' || ch == 'Y')
			confirmed(u);
		else
			set_status(u, "cancelled");
		return;
	}
	switch (ch) {
	case 27:
		if (u->prompt == PR_FILTER)
			u->filter[0] = '\0';
		u->prompt = PR_NONE;
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (u->prompt == PR_SIGNAL) {
			int sig = parse_signal(u->input);
			u->prompt = PR_NONE;
			if (sig < 0)
				set_status(u, "unknown signal '%s'", u->input);
			else
				ask_confirm(u, PR_SIGNAL, sig);
		} else if (u->prompt == PR_OOM_ADJ) {
			char *end;
			long v = strtol(u->input, &end, 10);
			u->prompt = PR_NONE;
			if (end == u->input || *end || v < -1000 || v > 1000)
				set_status(u, "oom_score_adj must be an integer from -1000 to 1000");
			else
				ask_confirm(u, PR_OOM_ADJ, (int)v);
		} else {
			u->prompt = PR_NONE;
		}
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		len = strlen(text);
		if (len)
			text[len - 1] = '\0';
		return;
	default:
		len = strlen(text);
		if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < cap) {
			text[len] = (char)ch;
			text[len + 1] = '\0';
		}
	}
}

static void
sort_by_offset(struct tui *u, int delta)
{
	int at = 0;

	for (int c = 0; c < u->ncols; c++)
		if (u->cols[c] == u->sort)
			at = c;
	at = (at + delta + u->ncols) % u->ncols;
	u->sort = u->cols[at];
}

static void
mouse_key(struct tui *u, int header_y)
{
	MEVENT ev;

	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	if (u->screen != SCR_PROCS)
		return;
	if (ev.y == header_y) {
		int x = 0;
		for (int c = 0; c < u->ncols; c++) {
			int w = c == u->ncols - 1 ? COLS : field_width(u->cols[c], false);
			if (ev.x >= x && ev.x <= x + w) {
				if (u->sort == u->cols[c])
					u->reverse = !u->reverse;
				u->sort = u->cols[c];
				return;
			}
			x += w + 1;
		}
	} else if (ev.y > header_y && ev.y < LINES - 1) {
		size_t i = u->top + (size_t)(ev.y - header_y - 1);
		if (i < u->rows.n)
			u->cursor = i;
	}
}

/* Moves the cursor of whatever list the screen shows. */
static bool
list_key(struct tui *u, int ch)
{
	size_t *cursor = u->screen == SCR_MAPS ? &u->maps_cursor
			 : u->screen == SCR_COLUMNS || u->screen == SCR_SORT ? &u->menu_cursor
									      : &u->cursor;
	size_t n = u->screen == SCR_MAPS ? u->maps_order_n
		   : u->screen == SCR_COLUMNS || u->screen == SCR_SORT ? (size_t)F_NUM
									: u->rows.n;
	int delta;

	switch (ch) {
	case KEY_UP: delta = -1; break;
	case KEY_DOWN: delta = 1; break;
	case KEY_PPAGE: delta = -page(); break;
	case KEY_NPAGE: delta = page(); break;
	case KEY_HOME: delta = -(int)n; break;
	case KEY_END: delta = (int)n; break;
	default: return false;
	}
	move_cursor(cursor, n, delta);
	if (cursor == &u->cursor && u->cursor < u->rows.n)
		u->sel_pid = (pid_t)u->rows.v[u->cursor]->val[F_PID];
	return true;
}

static void
screen_key(struct tui *u, int ch)
{
	switch (ch) {
	case 'g':
		if (u->screen == SCR_MAPS) {
			u->maps_grouped = !u->maps_grouped;
			u->maps_cursor = u->maps_top = 0;
		}
		return;
	case 'a':
		if (u->screen == SCR_OOM && u->sel_pid) {
			u->target = u->sel_pid;
			u->input[0] = '\0';
			u->prompt = PR_OOM_ADJ;
		}
		return;
	case ' ':
		if (u->screen == SCR_COLUMNS) {
			toggle_column(u, (enum field)u->menu_cursor);
			return;
		}
		u->paused = !u->paused;
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (u->screen == SCR_SORT) {
			u->sort = (enum field)u->menu_cursor;
			u->screen = u->back;
		} else if (u->screen == SCR_COLUMNS) {
			toggle_column(u, (enum field)u->menu_cursor);
		} else if (u->sel_pid) {
			u->screen = SCR_DETAIL;
		}
		return;
	}
}

static void
key(struct tui *u, int ch, int header_y)
{
	if (u->prompt != PR_NONE) {
		prompt_key(u, ch);
		return;
	}
	if (ch != KEY_RESIZE && ch != KEY_MOUSE)
		u->status[0] = '\0';
	if (list_key(u, ch))
		return;
	switch (ch) {
	case 'q':
	case KEY_F(10):
		u->quit = true;
		break;
	case 27:
		u->screen = SCR_PROCS;
		break;
	case 'h':
	case '?':
	case KEY_F(1):
		if (u->screen != SCR_HELP)
			u->back = u->screen;
		u->screen = SCR_HELP;
		break;
	case KEY_F(6):
		u->back = u->screen == SCR_SORT ? u->back : u->screen;
		u->screen = SCR_SORT;
		u->menu_cursor = u->sort;
		break;
	case 'c':
		u->back = u->screen;
		u->screen = SCR_COLUMNS;
		u->menu_cursor = 0;
		break;
	case '<':
	case '>':
		if (u->screen == SCR_MAPS) {
			u->maps_sort_idx = (u->maps_sort_idx + (ch == '>' ? 1 : MAPS_SORTS - 1)) % MAPS_SORTS;
		} else {
			sort_by_offset(u, ch == '>' ? 1 : -1);
		}
		break;
	case 'I':
		if (u->screen == SCR_MAPS)
			u->maps_reverse = !u->maps_reverse;
		else
			u->reverse = !u->reverse;
		break;
	case '/':
	case KEY_F(4):
		u->prompt = PR_FILTER;
		break;
	case 't':
		u->tree = !u->tree;
		break;
	case '+':
	case '-':
		u->delay_s = next_delay(u->delay_s, ch == '+' ? 1 : -1);
		set_status(u, "refresh every %.1f s", u->delay_s);
		break;
	case 'k':
		if (u->sel_pid) {
			u->target = u->sel_pid;
			u->input[0] = '\0';
			u->prompt = PR_SIGNAL;
		}
		break;
	case 'm':
		if (u->sel_pid) {
			u->screen = SCR_MAPS;
			u->maps_cursor = u->maps_top = 0;
		}
		break;
	case 'w': u->screen = SCR_SWAP; break;
	case 'o': u->screen = SCR_OOM; break;
	case 'N': u->screen = SCR_NUMA; break;
	case 'S': u->screen = SCR_SYSTEM; break;
	case KEY_MOUSE:
		mouse_key(u, header_y);
		break;
	default:
		screen_key(u, ch);
	}
}

/* ---- signals from the pipe ------------------------------------------------ */

/*
 * Ctrl-Z: restores the terminal, then stops the process with SIGTSTP's default
 * action, which a process-directed kill() to ourselves delivers before it
 * returns (this thread has it unblocked). Returns when continued; the caller
 * repaints. Called with no lock held.
 */
static void
suspend(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	sigset_t tstp, saved_mask;

	endwin();
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &tstp, &saved_mask);
	kill(getpid(), SIGTSTP);
	pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
	sigaction(SIGTSTP, &old, NULL);
}

/*
 * Reads the pending signals from the pipe: suspends on SIGTSTP, asks for a
 * full repaint on SIGCONT (and after a suspend). Returns true when a quit
 * signal came.
 */
static bool
handle_signals(bool *repaint)
{
	unsigned char sigs[64];
	ssize_t n;
	bool quit = false;

	while ((n = read(sig_pipe[0], sigs, sizeof sigs)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (sigs[i] == SIGTSTP) {
				suspend();
				*repaint = true;
			} else if (sigs[i] == SIGCONT) {
				*repaint = true;
			} else {
				quit = true;
			}
		}
	}
	return quit;
}

/* ---- frame ---------------------------------------------------------------- */

static int
draw(struct tui *u, unsigned *maps_seen, int *maps_sig)
{
	int y = 0;

	erase();
	if (LINES < 10 || COLS < 40) {
		mvaddnstr(0, 0, "smaptop: terminal too small", COLS);
		mvaddnstr(1, 0, "(needs 40x10; q quits)", COLS);
		return -1;
	}
	int sig = u->maps_grouped << 8 | u->maps_sort_idx << 1 | u->maps_reverse;
	if (u->screen == SCR_MAPS && (u->col.maps_gen != *maps_seen || sig != *maps_sig)) {
		view_maps_prepare(u);
		*maps_seen = u->col.maps_gen;
		*maps_sig = sig;
	}
	view_header(u, &y);
	int header_y = y;
	int h = LINES - 1 - y;
	switch (u->screen) {
	case SCR_PROCS: view_procs(u, y, h); break;
	case SCR_DETAIL: view_detail(u, y, h); break;
	case SCR_MAPS: view_maps(u, y, h); break;
	case SCR_SWAP: view_swap(u, y, h); break;
	case SCR_OOM: view_oom(u, y, h); break;
	case SCR_NUMA: view_numa(u, y, h); break;
	case SCR_SYSTEM: view_system(u, y, h); break;
	case SCR_HELP: view_help(u, y, h); break;
	case SCR_COLUMNS:
	case SCR_SORT: view_menu(u, y, h); break;
	case SCR_NUM: break;
	}
	view_footer(u);
	if (u->col.scan_rc < 0)
		mvprintw(LINES - 1, 0, "cannot read processes: %s", strerror(-u->col.scan_rc));
	return header_y;
}

static void
setup_state(struct tui *u, const struct tui_opts *o)
{
	memcpy(u->cols, default_cols, sizeof default_cols);
	u->ncols = (int)(sizeof default_cols / sizeof *default_cols);
	u->sort = F_PSS;
	u->delay_s = 1.0;
	u->config_path = o->config_path;
	if (o->config_path)
		config_load(u, o->config_path);
	if (o->cols && o->ncols) {
		memcpy(u->cols, o->cols, (size_t)o->ncols * sizeof *o->cols);
		u->ncols = o->ncols;
	}
	if (o->sort >= 0)
		u->sort = (enum field)o->sort;
	if (o->reverse)
		u->reverse = true;
	if (o->delay_s > 0)
		u->delay_s = o->delay_s;
	if (o->filter)
		snprintf(u->filter, sizeof u->filter, "%s", o->filter);
	u->pids = o->pids;
	u->npids = o->npids;
	u->by_uid = o->by_uid;
	u->uid = o->uid;
	const char *cs = nl_langinfo(CODESET);
	u->utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int
tui_run(struct source *src, const struct tui_opts *o)
{
	struct tui *u = xcalloc(1, sizeof *u);
	struct table_opts topt = {
		.rollup = true, .kthreads = o->all, .sys_parts = SYS_ALL,
		.pss_max_age_ms = o->pss_max_age_ms, .big_rss_kib = 4ULL << 20, .hist_cap = 600,
		.leak_cap = LEAK_LIVE_SAMPLES,
	};
	unsigned maps_seen = 0;
	int maps_sig = -1;

	setup_state(u, o);
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0 || !isatty(STDIN_FILENO)) {
		free(u);
		return 1;
	}
	have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
	if (!initscr()) {
		free(u);
		return 1;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	ui_colors_init(u);
	install_signals();
	topt.cmdline = false;
	if (collector_start(&u->col, src, &topt, u->delay_s) < 0) {
		endwin();
		free(u);
		return 1;
	}

	struct pollfd fds[3] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = u->col.wake_fd[0], .events = POLLIN },
		{ .fd = sig_pipe[0], .events = POLLIN },
	};
	int header_y = 0;
	bool repaint = false;
	while (!u->quit) {
		pthread_mutex_lock(&u->col.lock);
		view_select(u);
		sync_requests(u);
		header_y = draw(u, &maps_seen, &maps_sig);
		pthread_mutex_unlock(&u->col.lock);
		if (repaint)
			clearok(curscr, TRUE); /* the terminal's content is unknown */
		repaint = false;
		wnoutrefresh(stdscr);
		doupdate();

		if (poll(fds, 3, -1) < 0 && errno != EINTR)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break; /* the terminal is gone (no SIGHUP reaches a background job) */
		if ((fds[2].revents & POLLIN) && handle_signals(&repaint))
			break; /* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
		if (repaint)
			continue; /* draw at once; keys and data are read after the repaint */
		if (fds[1].revents & POLLIN)
			collector_drain(&u->col);
		int ch;
		pthread_mutex_lock(&u->col.lock);
		view_select(u); /* rows point into the table, which may have been republished */
		while (!u->quit && (ch = getch()) != ERR) {
			key(u, ch, header_y);
			view_select(u);
		}
		pthread_mutex_unlock(&u->col.lock);
	}

	endwin();
	collector_stop(&u->col);
	if (u->config_path)
		config_save(u, u->config_path);
	free(u->groups);
	free(u->maps_order);
	free(u->depth);
	rows_fini(&u->rows);
	buf_fini(&u->line);
	free(u);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return 0;
}
