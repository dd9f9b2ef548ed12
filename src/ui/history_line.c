/*
 * The detail screen's line about a process's recorded past (--history FILE,
 * or the recorder service's database): since when the recording knows the
 * process (same boot id, pid and start time), and its PSS and RSS then and
 * now. The store is asked when another process is shown and then at most
 * every HISTORY_REQUERY_MS; the answer is kept in struct tui.
 */
#include <curses.h>
#include <string.h>
#include <time.h>

#include "store/history.h"
#include "ui/ui.h"

enum { HISTORY_REQUERY_MS = 10000 };

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* First and last known values of f; false when none. */
static bool
ends(struct tui *u, const struct proc *p, enum field f, struct series *s, int64_t *first,
     int64_t *last, int64_t *since)
{
	bool any = false;

	if (history_series(u->history, u->boot_id, (pid_t)p->val[F_PID], p->start_ticks, f, 0,
			   INT64_MAX, s) < 0)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].known)
			continue;
		if (!any) {
			*first = s->v[i].value;
			*since = s->v[i].t_ms;
		}
		*last = s->v[i].value;
		any = true;
	}
	return any;
}

static void
compose(struct tui *u, const struct proc *p)
{
	struct series s = { 0 };
	struct buf a = BUF_INIT;
	int64_t pss0, pss1, rss0, rss1, since = 0, since_rss = 0;
	bool pss = ends(u, p, F_PSS, &s, &pss0, &pss1, &since);
	bool rss = ends(u, p, F_RSS, &s, &rss0, &rss1, &since_rss);
	size_t len = 0, cap = sizeof u->history_text;

	series_fini(&s);
	if (!rss && !pss) {
		snprintf(u->history_text, cap, "Recorded history: none for this process");
		return;
	}
	if (!since || (since_rss && since_rss < since))
		since = since_rss;
	time_t t = (time_t)(since / 1000);
	struct tm tm;
	char when[32] = "?";
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	int64_t ago_min = (wall_ms() - since) / 60000;
	len += (size_t)snprintf(u->history_text + len, cap - len,
				"Recorded since %s (%lldd%02lldh%02lldm ago):", when,
				(long long)(ago_min / 1440), (long long)(ago_min / 60 % 24),
				(long long)(ago_min % 60));
	if (pss && len < cap) {
		len += (size_t)snprintf(u->history_text + len, cap - len, " PSS %s", ui_kib(&a, (uint64_t)pss0));
		if (len < cap)
			len += (size_t)snprintf(u->history_text + len, cap - len, " -> %s,", ui_kib(&a, (uint64_t)pss1));
	}
	if (rss && len < cap) {
		len += (size_t)snprintf(u->history_text + len, cap - len, " RSS %s", ui_kib(&a, (uint64_t)rss0));
		if (len < cap)
			snprintf(u->history_text + len, cap - len, " -> %s", ui_kib(&a, (uint64_t)rss1));
	}
	buf_fini(&a);
}

void
history_line(struct tui *u, int y, const struct proc *p)
{
	int64_t now = wall_ms();

	if (!u->history || !p)
		return;
	if (u->history_pid != p->val[F_PID] || u->history_start != p->start_ticks ||
	    now - u->history_ms >= HISTORY_REQUERY_MS) {
		u->history_pid = (pid_t)p->val[F_PID];
		u->history_start = p->start_ticks;
		u->history_ms = now;
		compose(u, p);
	}
	attrset(ui_attr(u, C_DIM));
	mvaddnstr(y, 0, u->history_text, COLS);
	attrset(A_NORMAL);
}
