/*
 * The interactive loop: one poll() on the keyboard, the collector's wake pipe
 * and a signal pipe (term.c). Every frame and every key (keys.c) is handled
 * with the collector's lock held (both are short); the collector reads /proc
 * without it, so keys are answered at once however long a refresh takes. The
 * screens are drawn through the registry (screens.c).
 */
#include "ui/tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "model/leak.h"
#include "ui/screen.h"
#include "ui/ui.h"
#include "util/trim.h"
#include "util/xalloc.h"

static const enum field default_cols[] = {
	F_PID, F_USER, F_PSS, F_USS, F_RSS, F_VSZ, F_SWAP, F_OOM_SCORE, F_COMM,
};

/* Tells the collector what the current screen needs (lock held). */
static void
sync_requests(struct tui *u)
{
	struct collector *c = &u->col;
	pid_t want = u->screen == SCR_MAPS ? u->sel_pid : 0;
	bool numa = u->screen == SCR_NUMA;

	/* Every sample of the process on the detail screen; the others are compact. */
	c->opt.hist_detail_pid = u->screen == SCR_DETAIL && !u->detail_gone ? u->detail_pid
				 : u->screen == SCR_LEAKS ? u->sel_pid : 0;

	/* The recorded series of the process on the detail or Leaks screen (--history). */
	const struct proc *sel = u->screen == SCR_LEAKS ? view_selected(u) : NULL;
	pid_t recall = u->screen == SCR_DETAIL ? u->detail_pid : sel ? (pid_t)proc_val(sel, F_PID) : 0;
	uint64_t recall_start = u->screen == SCR_DETAIL ? u->detail_start : sel ? sel->start_ticks : 0;
	if (c->history && (recall != c->recall_pid || recall_start != c->recall_start)) {
		c->recall_pid = recall;
		c->recall_start = recall_start;
		collector_kick(c);
	}

	/* The recorded pasts of the rows on screen are read first (before any: those of -p). */
	c->recall_rows_n = 0;
	for (size_t i = u->top; c->history && i < u->rows.n && c->recall_rows_n < NUMA_ROWS_MAX; i++)
		c->recall_rows[c->recall_rows_n++] = (pid_t)proc_val(u->rows.v[i], F_PID);
	for (size_t i = 0; c->history && !u->rows.n && i < u->npids && i < NUMA_ROWS_MAX; i++)
		c->recall_rows[c->recall_rows_n++] = u->pids[i];

	/* The NUMA split is read for the first rows of the (filtered) list only. */
	c->numa_req_n = 0;
	for (size_t i = 0; numa && i < u->rows.n && i < NUMA_ROWS_MAX; i++)
		c->numa_req[c->numa_req_n++] = (pid_t)proc_val(u->rows.v[i], F_PID);
	unsigned need = field_needs(u->cols, u->ncols) | field_info[u->sort].need;
	bool cmdline = (need & NEED_CMDLINE) || u->filter[0];

	/* NUMA columns: read numa_maps for the rows on screen only (it is expensive). */
	c->opt.numa = u->screen == SCR_PROCS && (need & NEED_NUMA);
	c->numa_col_n = 0;
	for (size_t i = u->top; c->opt.numa && i < u->rows.n && c->numa_col_n < NUMA_ROWS_MAX; i++)
		c->numa_col[c->numa_col_n++] = (pid_t)proc_val(u->rows.v[i], F_PID);
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
	/* The OOM knobs only while the System screen shows them. */
	unsigned parts = SYS_ALL | SYS_OOM | (u->screen == SCR_SYSTEM ? SYS_KNOBS : 0);
	if (parts != c->opt.sys_parts) {
		c->opt.sys_parts = parts;
		collector_kick(c);
	}
	if (c->paused != u->paused) {
		c->paused = u->paused;
		collector_kick(c);
	}
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
	screens[u->screen]->draw(u, y, h);
	view_footer(u);
	if (u->replay && u->col.scan_rc == -EBADMSG)
		mvaddnstr(LINES - 1, 0, "this recorded sample is damaged: its changes do not decode", COLS);
	else if (u->col.scan_rc < 0)
		mvprintw(LINES - 1, 0, "cannot read %s: %s", u->replay ? "the history" : "processes",
			 strerror(-u->col.scan_rc));
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
	u->history = o->history;
	u->history_path = o->history_path;
	u->history_default = o->history_default;
	const char *cs = nl_langinfo(CODESET);
	u->utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int
tui_run(struct source *src, const struct tui_opts *o)
{
	struct tui *u = xcalloc(1, sizeof *u);
	struct table_opts topt = {
		.rollup = true, .kthreads = o->all, .sys_parts = SYS_ALL | SYS_OOM,
		.pss_max_age_ms = o->pss_max_age_ms, .big_rss_kib = 4ULL << 20, .hist_cap = 600,
		.leak_cap = LEAK_LIVE_SAMPLES,
		/* the cgroup screen, the cgroup column, the header's nearest time to OOM */
		.cgroups = true, .cg_self = true,
	};
	unsigned maps_seen = 0;
	int maps_sig = -1;

	setup_state(u, o);
	if (term_start() < 0) {
		free(u);
		return 1;
	}
	ui_colors_init(u);
	topt.cmdline = false;
	if (collector_start(&u->col, src, &topt, u->delay_s, o->history, o->boot_id) < 0) {
		term_stop();
		free(u);
		return 1;
	}
	if (o->replay) {
		u->replay = true;
		u->paused = true; /* a replay stands still until played (space) */
		collector_set_replay(&u->col);
	}

	struct pollfd fds[3] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = u->col.wake_fd[0], .events = POLLIN },
		{ .fd = term_signal_fd(), .events = POLLIN },
	};
	int header_y = 0, quit_sig = 0;
	bool repaint = false, trimmed = false;
	while (!u->quit) {
		pthread_mutex_lock(&u->col.lock);
		view_select(u);
		sync_requests(u);
		header_y = draw(u, &maps_seen, &maps_sig);
		unsigned gen = u->col.gen;
		pthread_mutex_unlock(&u->col.lock);
		if (repaint)
			clearok(curscr, TRUE); /* the terminal's content is unknown */
		repaint = false;
		wnoutrefresh(stdscr);
		doupdate();
		/* the second refresh is on screen: the code only start-up ran can go */
		if (!trimmed && gen >= 2) {
			trim_clean_text();
			trimmed = true;
		}

		if (poll(fds, 3, -1) < 0 && errno != EINTR)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* the terminal is gone (no SIGHUP reaches a background job) */
			quit_sig = SIGHUP;
			break;
		}
		if ((fds[2].revents & POLLIN) && (quit_sig = term_handle_signals(&repaint)) != 0)
			break; /* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
		if (repaint)
			continue; /* draw at once; keys and data are read after the repaint */
		if (fds[1].revents & POLLIN)
			collector_drain(&u->col);
		int ch;
		pthread_mutex_lock(&u->col.lock);
		view_select(u); /* rows point into the table, which may have been republished */
		while (!u->quit && (ch = getch()) != ERR) {
			ui_key(u, ch, header_y);
			view_select(u);
		}
		pthread_mutex_unlock(&u->col.lock);
	}

	term_stop();
	collector_stop(&u->col);
	if (u->config_path)
		config_save(u, u->config_path);
	free(u->groups);
	maporder_fini(&u->maps_order);
	free(u->depth);
	free(u->last);
	free(u->detail_hist);
	proc_fini(&u->detail_last);
	rows_fini(&u->rows);
	select_cache_fini(&u->selc);
	buf_fini(&u->line);
	free(u);
	return quit_sig ? 128 + quit_sig : 0;
}

