/*
 * The views' use of a recording (--history FILE, or the recorder service's
 * database): the series the collector thread read for the process the detail
 * screen follows, or the Leaks screen's selected one (col.recalled; same boot
 * id, pid and start time), for the graphs to join with the live rings, and
 * the detail screen's line saying since when the recording
 * knows the process, its PSS and RSS then and now, and which file that is.
 * Nothing here reads the store: frames only format what was published.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/graph.h"
#include "ui/ui.h"

/* The published read, when it is of (pid, start). */
static const struct recalled *
of(const struct tui *u, pid_t pid, uint64_t start)
{
	const struct recalled *r = &u->col.recalled;

	return u->history && r->pid && r->pid == pid && r->start == start ? r : NULL;
}

/* ... of the process the detail screen follows. */
static const struct recalled *
ours(const struct tui *u)
{
	return of(u, u->detail_pid, u->detail_start);
}

struct graph_series
recalled_series(const struct tui *u, pid_t pid, uint64_t start, int series)
{
	const struct recalled *r = of(u, pid, start);
	struct graph_series s = { 0 };

	if (r) {
		s.t_ms = r->t_ms[series];
		s.v = r->v[series];
		s.n = r->n[series];
	}
	return s;
}

/* " PSS a -> b," for series k, when it has a known value. */
static size_t
then_now(char *out, size_t cap, const struct recalled *r, int k, const char *name)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int len = 0;

	if (!isnan(r->first[k]))
		len = snprintf(out, cap, " %s %s -> %s", name, ui_kib(&a, (uint64_t)r->first[k]),
			       ui_kib(&b, (uint64_t)r->last[k]));
	buf_fini(&a);
	buf_fini(&b);
	return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

void
history_line(struct tui *u, int y)
{
	const struct recalled *r = ours(u);
	char text[512], file[300];
	size_t len = 0;

	if (!u->history)
		return;
	snprintf(file, sizeof file, "%s%s", u->history_path ? u->history_path : "the recording",
		 u->history_default ? " (the recorder service's)" : "");
	if (!r) {
		snprintf(text, sizeof text, "Recorded history: reading %s", file);
	} else if (r->rc < 0) {
		snprintf(text, sizeof text, "Recorded history: cannot read %s", file);
	} else if (!r->since_ms) {
		snprintf(text, sizeof text, "Recorded history: none for this process in %s", file);
	} else {
		time_t t = (time_t)(r->since_ms / 1000);
		struct tm tm;
		char when[32] = "?";
		int64_t ago_min = (r->fetched_ms - r->since_ms) / 60000;

		if (localtime_r(&t, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		len = (size_t)snprintf(text, sizeof text, "Recorded since %s (%lldd%02lldh%02lldm ago):",
				       when, (long long)(ago_min / 1440), (long long)(ago_min / 60 % 24),
				       (long long)(ago_min % 60));
		len += then_now(text + len, sizeof text - len, r, H_PSS, "PSS");
		len += then_now(text + len, sizeof text - len, r, H_RSS, "RSS");
		snprintf(text + len, sizeof text - len, " in %s", file);
	}
	attrset(ui_attr(u, C_DIM));
	mvaddnstr(y, 0, text, COLS);
	attrset(A_NORMAL);
}
