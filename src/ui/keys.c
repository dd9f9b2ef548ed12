/*
 * Keys of the interactive view: prompts (filter, signal, oom_score_adj and
 * their confirmation), moving the cursor of whatever list is shown, the mouse
 * on the process list, the screen's own keys (from the screen registry) and the
 * common ones. Called under the collector's lock, one key at a time.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect/actions.h"
#include "ui/screen.h"
#include "ui/ui.h"

static const double delays[] = { 0.2, 0.5, 1, 2, 5, 10, 30 };

void
ui_status(struct tui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
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
		ui_status(u, "Send signal %d (%s) to PID %d %s? y/n", value, strsignal(value),
			   (int)u->target, p ? proc_comm(p) : "");
	else
		ui_status(u, "Set oom_score_adj of PID %d %s to %d? y/n", (int)u->target,
			   p ? proc_comm(p) : "", value);
}

static void
confirmed(struct tui *u)
{
	int rc;

	if (u->confirm_of == PR_SIGNAL) {
		rc = action_signal(u->target, u->target_value);
		if (rc == 0)
			ui_status(u, "sent signal %d to PID %d", u->target_value, (int)u->target);
		else
			ui_status(u, "cannot signal PID %d: %s", (int)u->target, strerror(-rc));
	} else {
		rc = action_set_oom_adj(u->target, u->target_value);
		if (rc == 0)
			ui_status(u, "oom_score_adj of PID %d is now %d", (int)u->target, u->target_value);
		else if (rc == -EACCES || rc == -EPERM)
			ui_status(u, "permission denied: lowering oom_score_adj needs CAP_SYS_RESOURCE");
		else
			ui_status(u, "cannot set oom_score_adj of PID %d: %s", (int)u->target,
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
			ui_status(u, "cancelled");
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
				ui_status(u, "unknown signal '%s'", u->input);
			else
				ask_confirm(u, PR_SIGNAL, sig);
		} else if (u->prompt == PR_OOM_ADJ) {
			char *end;
			long v = strtol(u->input, &end, 10);
			u->prompt = PR_NONE;
			if (end == u->input || *end || v < -1000 || v > 1000)
				ui_status(u, "oom_score_adj must be an integer from -1000 to 1000");
			else
				ask_confirm(u, PR_OOM_ADJ, (int)v);
		} else if (u->prompt == PR_GOTO) {
			u->prompt = PR_NONE;
			replay_goto(u, u->input);
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
			 : u->screen == SCR_CGROUPS ? &u->cg_cursor
			 : u->screen == SCR_COLUMNS || u->screen == SCR_SORT ? &u->menu_cursor
									      : &u->cursor;
	size_t n = u->screen == SCR_MAPS ? u->maps_order.n
		   : u->screen == SCR_CGROUPS ? u->cg_n
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
		u->sel_pid = (pid_t)proc_val(u->rows.v[u->cursor], F_PID);
	return true;
}

/* Opens screen s (from its key), if it can be opened now. */
static void
open_screen(struct tui *u, int s)
{
	if (screens[s]->needs_process && !u->sel_pid)
		return;
	if (screens[s]->enter)
		screens[s]->enter(u);
	u->screen = (enum ui_screen)s;
}

void
ui_key(struct tui *u, int ch, int header_y)
{
	if (u->prompt != PR_NONE) {
		prompt_key(u, ch);
		return;
	}
	if (ch != KEY_RESIZE && ch != KEY_MOUSE)
		u->status[0] = '\0';
	if (list_key(u, ch))
		return;
	if (screens[u->screen]->keys && screens[u->screen]->keys(u, ch))
		return;
	if (u->replay && replay_key(u, ch))
		return;
	switch (ch) {
	case 'q':
	case KEY_F(10):
		u->quit = true;
		break;
	case 27:
		if (u->screen == SCR_PROCS)
			u->cg_filter[0] = '\0'; /* Esc on the list: all cgroups again */
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
		sort_by_offset(u, ch == '>' ? 1 : -1);
		break;
	case 'I':
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
		ui_status(u, "refresh every %.1f s", u->delay_s);
		break;
	case 'k':
		if (u->sel_pid) {
			u->target = u->sel_pid;
			u->input[0] = '\0';
			u->prompt = PR_SIGNAL;
		}
		break;
	case ' ':
		u->paused = !u->paused;
		break;
	case KEY_MOUSE:
		mouse_key(u, header_y);
		break;
	default:
		if (screen_by_key(ch) >= 0)
			open_screen(u, screen_by_key(ch));
	}
}
