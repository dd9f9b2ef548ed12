/*
 * The terminal of the interactive view: signals and the restore on every path.
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
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ui/tui.h"
#include "ui/ui.h"
#include "util/xalloc.h"

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
add_seq(const char *s)
{
	size_t n = strlen(s);

	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void
add_cap(const char *name)
{
	const char *s = tigetstr((char *)name);

	if (s && s != (char *)-1)
		add_seq(s);
}

/*
 * The restore sequence of the fatal signals undoes everything term_start()
 * turns on, as endwin() does: keypad transmit (rmkx), mouse reporting (the
 * terminal's XM with 0, or xterm's modes off when it reports the mouse the
 * xterm way: button events 1000, drag 1002, motion 1003, SGR 1006), the
 * attributes, the hidden cursor and the alternate screen.
 */
static void
build_restore_seq(void)
{
	const char *kmous = tigetstr((char *)"kmous"), *xm = tigetstr((char *)"XM");

	restore_len = 0;
	add_cap("rmkx");
	if (xm && xm != (char *)-1) {
		const char *off = tiparm(xm, 0);
		if (off)
			add_seq(off);
	} else if (kmous && kmous != (char *)-1 && !strncmp(kmous, "\033[", 2)) {
		add_seq("\033[?1006l\033[?1003l\033[?1002l\033[?1000l");
	}
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
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
	build_restore_seq();
	xalloc_fatal_hook = emergency_restore;
}

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
 * full repaint on SIGCONT (and after a suspend). Returns the quit signal that
 * came, or 0.
 */
int
term_handle_signals(bool *repaint)
{
	unsigned char sigs[64];
	ssize_t n;
	int quit = 0;

	while ((n = read(sig_pipe[0], sigs, sizeof sigs)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (sigs[i] == SIGTSTP) {
				suspend();
				*repaint = true;
			} else if (sigs[i] == SIGCONT) {
				*repaint = true;
			} else {
				quit = sigs[i];
			}
		}
	}
	return quit;
}

int
term_start(void)
{
	if (!isatty(STDIN_FILENO))
		return -ENOTTY;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
	if (!initscr()) {
		term_stop();
		return -ENOTTY;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	install_signals();
	return 0;
}

int
term_signal_fd(void)
{
	return sig_pipe[0];
}

void
term_stop(void)
{
	if (stdscr)
		endwin();
	for (int i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}

int
tui_usable(const char **why)
{
	static char msg[160];
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDIN_FILENO)) {
		*why = "standard input is not a terminal";
		return -ENOTTY;
	}
	if (!isatty(STDOUT_FILENO)) {
		*why = "standard output is not a terminal";
		return -ENOTTY;
	}
	if (!term || !*term) {
		*why = "TERM is not set";
		return -ENOTTY;
	}
	/* setupterm() only reads the terminfo entry: nothing is sent to the terminal. */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		/* err 0: no entry (or a generic one, which is refused too); -1: no database */
		snprintf(msg, sizeof msg, "the terminal type '%.64s' is unknown to terminfo", term);
		*why = msg;
		return -ENOTTY;
	}
	const char *cup = tigetstr((char *)"cup");
	bool usable = cup && cup != (char *)-1 && tigetnum((char *)"lines") != 0;
	del_curterm(cur_term);
	if (!usable) {
		snprintf(msg, sizeof msg, "the terminal type '%.64s' cannot move the cursor", term);
		*why = msg;
		return -ENOTTY;
	}
	return 0;
}
