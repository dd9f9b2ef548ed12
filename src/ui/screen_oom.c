/*
 * The OOM killer: the time to OOM of the machine and of every cgroup with a
 * limit, nearest first, each with the process the kernel would kill then (or
 * why there is no forecast); its ranking (who goes first, and setting
 * oom_score_adj with 'a'); and below it the kills it made, newest first, from
 * the kernel log, with the kernel's count since boot. When the log cannot be
 * read, one line says why in place of the kills.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "output/forecast_out.h"
#include "output/oom_out.h"
#include "ui/screen.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* One forecast of the list: the machine (path NULL) or a cgroup with a limit. */
struct scope {
	const char *path;
	const struct oom_forecast *fc;
	unsigned group_n; /* processes in the cgroup and below: an oom.group kill takes them all */
	size_t order;     /* the machine first, then tree order: ties keep it */
};

/* Nearest first; those without a forecast after them. */
static int
by_eta(const void *a, const void *b)
{
	const struct scope *x = a, *y = b;

	if (x->fc->known != y->fc->known)
		return x->fc->known ? -1 : 1;
	if (x->fc->known && x->fc->eta_s != y->fc->eta_s)
		return x->fc->eta_s < y->fc->eta_s ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* The scopes with a forecast to give, sorted; *nolimit: the cgroups left out for having no limit. */
static size_t
scopes(const struct table *t, struct scope *v, size_t *nolimit)
{
	size_t n = 0;
	uint64_t lim;

	*nolimit = 0;
	v[n++] = (struct scope){ NULL, &t->mach_fc, 0, 0 };
	for (size_t i = 0; i < t->cg.n; i++) {
		const struct cgroup *c = &t->cg.v[i];
		if (!cgroup_limit(&t->cg, (int)i, &lim)) {
			(*nolimit)++;
			continue;
		}
		v[n] = (struct scope){ c->path, &c->fc, c->members_all, n };
		n++;
	}
	qsort(v, n, sizeof *v, by_eta);
	return n;
}

/*
 * The forecasts from row y, at most h rows (the title and one per scope, the
 * last saying how many more when they do not fit): the scope, the forecast in
 * the words of the header, and the victim. Returns the rows drawn.
 */
static int
forecasts(struct tui *u, int y, int h)
{
	const struct table *t = &u->col.t;
	struct scope *v = xmalloc((t->cg.n + 1) * sizeof *v);
	unsigned esc = u->utf8 ? 0 : ESC_ASCII;
	size_t nolimit, n = scopes(t, v, &nolimit);
	size_t room = h > 1 ? (size_t)(h - 1) : 0;
	/* when not all fit, the last row says how many more, unless it is the only one */
	size_t shown = n <= room ? n : room > 1 ? room - 1 : room;
	bool more = shown < n && shown < room;
	int sw = 7, ww = 0;

	buf_clear(&u->line);
	buf_puts(&u->line, "Time to OOM, nearest first: the machine and each cgroup with a limit");
	if (nolimit)
		buf_printf(&u->line, " (%zu without one have none)", nolimit);
	attrset(ui_attr(u, C_TITLE));
	mvaddnstr(y, 0, u->line.data, COLS); /* cut at the edge: a wrap would run into the rows */
	attrset(A_NORMAL);
	for (size_t k = 0; k < shown; k++) {
		int w = v[k].path ? (int)esc_width(v[k].path, strlen(v[k].path), esc) : 7;
		sw = w > sw ? w : sw;
		buf_clear(&u->line);
		out_forecast_words(&u->line, v[k].fc);
		ww = (int)u->line.len > ww ? (int)u->line.len : ww;
	}
	sw = sw < COLS / 3 ? sw : COLS / 3;
	for (size_t k = 0; k < shown; k++) {
		int r = y + 1 + (int)k;
		if (v[k].path)
			ui_text(u, r, 2, sw, v[k].path, strlen(v[k].path));
		else
			mvaddstr(r, 2, "machine");
		buf_clear(&u->line);
		out_forecast_words(&u->line, v[k].fc);
		if (v[k].fc->known)
			attrset(ui_attr(u, C_WARN));
		mvaddnstr(r, 4 + sw, u->line.data, COLS - 4 - sw);
		attrset(A_NORMAL);
		buf_clear(&u->line);
		out_forecast_victim(&u->line, t, v[k].fc, v[k].group_n, esc);
		if (6 + sw + ww < COLS)
			mvaddnstr(r, 6 + sw + ww, u->line.data, COLS - 6 - sw - ww);
	}
	if (more)
		mvprintw(y + 1 + (int)shown, 2, "... %zu more (C: the cgroup screen)", n - shown);
	free(v);
	return 1 + (int)shown + more;
}

/* Rows the kills take at the bottom of a screen of h rows. */
static int
kills_rows(const struct tui *u, int h)
{
	const struct table *t = &u->col.t;
	int want = 1 + (t->kills.n ? (int)t->kills.n + 1 : 1);
	int most = h / 3 > 3 ? h / 3 : 3;

	return want < most ? want : most;
}

static void
kills(struct tui *u, int y, int h)
{
	const struct table *t = &u->col.t;
	const struct oom_events *e = &t->sys.oom;
	const char *why = oom_log_reason(e->log_err);

	attrset(ui_attr(u, C_TITLE));
	move(y, 0);
	if (e->vmstat_known)
		printw("OOM kills since boot: %llu", (unsigned long long)e->vmstat_kills);
	else
		printw("OOM kills since boot: -");
	printw("   recent kills, newest first");
	attrset(A_NORMAL);
	if (why || !t->kills.n) {
		mvaddnstr(y + 1, 0, why ? why : "  none in the kernel log", COLS);
		return;
	}
	attrset(ui_attr(u, C_HEADER));
	mvaddnstr(y + 1, 0,
		  "  TIME          PID    ANON   FILE  SHMEM   ADJ COMM             CGROUP", COLS);
	attrset(A_NORMAL);
	for (int r = 0; r + 2 < h && (size_t)r < t->kills.n; r++) {
		const struct oom_kill *k = &t->kills.v[r];
		char when[32];
		bool today = (k->known & OOMK_TIME) && t->wall_ms - k->time_unix_ms < 86400000;
		oom_kill_time(when, sizeof when, k, !today);
		mvprintw(y + 2 + r, 0, "  %-10.19s %7d ", when, (int)k->pid);
		const struct {
			unsigned bit;
			uint64_t v;
		} kib[] = { { OOMK_ANON, k->anon_rss_kib }, { OOMK_FILE, k->file_rss_kib },
			    { OOMK_SHMEM, k->shmem_rss_kib } };
		for (int i = 0; i < 3; i++)
			printw("%6s ", k->known & kib[i].bit ? ui_kib(&u->line, kib[i].v) : "-");
		if (k->known & OOMK_ADJ)
			printw("%5d ", (int)k->oom_score_adj);
		else
			printw("%5s ", "-");
		int x = getcurx(stdscr);
		ui_text(u, y + 2 + r, x, 16, k->comm, strlen(k->comm));
		if (k->known & OOMK_CGROUP && COLS > x + 17)
			ui_text(u, y + 2 + r, x + 17, COLS - x - 17, k->cgroup, strlen(k->cgroup));
	}
}

static void
draw(struct tui *u, int y, int h)
{
	static const enum field cols[] = {
		F_PID, F_USER, F_OOM_SCORE, F_OOM_ADJ, F_RSS, F_SWAP, F_COMM,
	};

	int fh = forecasts(u, y, h / 4 > 2 ? h / 4 : 2);

	y += fh;
	h -= fh;
	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y++, 0, "OOM killer ranking: the highest oom_score is killed first.");
	attrset(A_NORMAL);
	mvaddnstr(y++, 0, "score = (1000 + adj + 1000 x (RSS + swap + page tables) / RAM) x 2/3", COLS);
	mvaddnstr(y++, 0, "adj -1000 exempts a process; 'a' sets the selected one's oom_score_adj", COLS);
	int kh = kills_rows(u, h - 3);
	panel_ranked(u, y, h - 3 - kh, cols, 7, true);
	kills(u, y + h - 3 - kh, kh);
}

static bool
keys(struct tui *u, int ch)
{
	if (ch != 'a')
		return false;
	if (u->sel_pid) {
		u->target = u->sel_pid;
		u->input[0] = '\0';
		u->prompt = PR_OOM_ADJ;
	}
	return true;
}

const struct screen screen_oom = {
	.name = "oom", .restorable = true, .key = 'o', .key_label = "o", .title = "OOM",
	.ranked = true, .rank_by = F_OOM_SCORE, .enter = panel_from_top,
	.draw = draw, .keys = keys,
};
