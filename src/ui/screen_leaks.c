/*
 * The Leaks screen ('L'): the leak suspects (model/leak.h), biggest sustained
 * growth first, each with its rate and since when it has been growing, and the
 * selected one's graph: its PSS (or RSS) filled, from a recording too when
 * there is one (--history), the live floor the estimate follows (the lower
 * envelope's block minima) as a line.
 */
#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/leak.h"
#include "ui/graph.h"
#include "ui/screen.h"
#include "util/fmt.h"
#include "util/xalloc.h"

static bool
keep(const struct proc *p)
{
	return (p->flags & PROC_LEAK) && proc_has(p, F_LEAK);
}

static void
row(struct tui *u, int y, const struct proc *p, bool selected)
{
	const struct table *t = &u->col.t;
	bool pss = p->env && p->env->kind == LOWENV_PSS;
	enum field f = pss ? F_PSS : F_RSS;
	char since[FMT_TIME_LEN];

	if (selected)
		ui_fill_line(y, ui_attr(u, C_SELECT));
	attrset(selected ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
	mvprintw(y, 0, "%7lld ", (long long)proc_val(p, F_PID));
	buf_clear(&u->line);
	fmt_kib_signed(&u->line, proc_val(p, F_LEAK));
	printw("%7s ", u->line.data);
	fmt_local_when(since, leak_unix_ms(t, p->leak_since_ds), t->wall_ms, true);
	printw("%-14s ", since);
	buf_clear(&u->line);
	if (proc_has(p, f))
		fmt_kib(&u->line, (uint64_t)proc_val(p, f));
	else
		buf_putc(&u->line, '-');
	printw("%6s %s ", u->line.data, pss ? "PSS" : "RSS");
	ui_text(u, y, getcurx(stdscr), COLS - getcurx(stdscr), proc_comm(p), strlen(proc_comm(p)));
	attrset(A_NORMAL);
}

/* The floor: the envelope's block minima as a series. */
static struct graph_series
floor_series(const struct table *t, const struct lowenv_hdr *h, int64_t *tm, double *v)
{
	struct graph_series s = { tm, v, 0 };
	struct lowenv full;
	const struct lowenv *e = h ? lowenv_full(h, &t->leak_clock, &full) : NULL;

	for (uint16_t i = 0; e && i < e->n; i++) {
		uint32_t ds;
		uint64_t kib;

		if (!lowenv_get(e, i, &ds, &kib))
			continue;
		tm[s.n] = leak_unix_ms(t, ds);
		v[s.n++] = (double)kib;
	}
	return s;
}

static void
graph(struct tui *u, int y, int h, const struct proc *p)
{
	const struct table *t = &u->col.t;
	bool pss = p->env && p->env->kind == LOWENV_PSS;
	int64_t *at = NULL, ft[LOWENV_BLOCKS];
	double *av = NULL, fv[LOWENV_BLOCKS];
	size_t cap = 0;
	char title[160];
	struct graph_series area = graph_from_hist(t, p->hist, pss ? H_PSS : H_RSS, &at, &av, &cap);
	struct graph_series fl = floor_series(t, p->env, ft, fv);
	/* with a recording (--history), its past before the live ring */
	struct graph_series past = recalled_series(u, (pid_t)proc_val(p, F_PID), p->start_ticks,
						   pss ? H_PSS : H_RSS);
	int64_t *jt = NULL;
	double *jv = NULL;
	size_t jcap = 0;

	if (past.n)
		area = graph_join(&past, &area, &jt, &jv, &jcap);

	snprintf(title, sizeof title,
		 "PID %lld: %s (filled) and the floor the estimate follows (line)",
		 (long long)proc_val(p, F_PID), pss ? "PSS" : "RSS");
	graph_draw(u, y, 0, h, COLS, &area, &fl, t->wall_ms + 1, (enum graph_zoom)u->zoom, true, 0,
		   title);
	free(at);
	free(av);
	free(jt);
	free(jv);
}

static void
draw(struct tui *u, int y, int h)
{
	size_t estimated = 0;

	for (size_t i = 0; i < u->col.t.n; i++)
		estimated += proc_has(&u->col.t.procs[i], F_LEAK);
	attrset(ui_attr(u, C_TITLE));
	mvaddnstr(y++, 0, "Leak suspects: the floor of their memory keeps rising (see LEAKS",
		  COLS);
	addnstr(" in smaptop(1))", COLS - getcurx(stdscr));
	attrset(A_NORMAL);
	h--;
	if (!u->rows.n) {
		mvprintw(y, 2, "No leak suspects (%zu processes with enough history; an estimate "
			       "needs 30 s)", estimated);
		return;
	}
	int list_h = (int)u->rows.n + 1 < h / 3 ? (int)u->rows.n + 1 : h / 3;

	if (list_h < 2)
		list_h = 2;
	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	mvprintw(y, 0, "%7s %7s %-14s %6s %-3s %s", "PID", "LEAK/h", "GROWING SINCE", "NOW", "OF",
		 "COMM");
	attrset(A_NORMAL);
	panel_keep_visible(&u->cursor, &u->top, u->rows.n, list_h - 1);
	for (int r = 0; r < list_h - 1 && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r;

		row(u, y + 1 + r, u->rows.v[i], i == u->cursor);
	}
	const struct proc *p = view_selected(u);

	if (p && h - list_h >= 5)
		graph(u, y + list_h, h - list_h, p);
}

const struct screen screen_leaks = {
	.name = "leaks", .restorable = true, .key = 'L', .key_label = "L", .title = "Leaks",
	.ranked = true, .rank_by = F_LEAK, .keep = keep, .draw = draw, .keys = graph_zoom_key,
};
