/*
 * The time cursor of a replay (smaptop --replay FILE on a terminal). Keys:
 *   [ ]   one sample back / forward
 *   { }   an hour back / forward
 *   ( )   a day back / forward
 *   g     go to a typed time (2026-12-06T14:00, 14:00, -2h: app/when.h)
 *   space play (a sample per refresh) / pause
 * The moves are requests to the collector thread, which owns the source
 * (collector.h); the lock is held by the caller, as for every key.
 */
#include <curses.h>
#include <string.h>
#include <time.h>

#include "app/when.h"
#include "ui/ui.h"
#include "util/fmt.h"

enum { HOUR_MS = 3600 * 1000, DAY_MS = 24 * HOUR_MS };

bool
replay_key(struct tui *u, int ch)
{
	struct collector *c = &u->col;

	switch (ch) {
	case '[': collector_seek(c, SEEK_STEP, -1); break;
	case ']': collector_seek(c, SEEK_STEP, 1); break;
	case '{': collector_seek(c, SEEK_BY_MS, -HOUR_MS); break;
	case '}': collector_seek(c, SEEK_BY_MS, HOUR_MS); break;
	case '(': collector_seek(c, SEEK_BY_MS, -DAY_MS); break;
	case ')': collector_seek(c, SEEK_BY_MS, DAY_MS); break;
	case 'g':
		u->input[0] = '\0';
		u->prompt = PR_GOTO;
		break;
	default:
		return false;
	}
	return true;
}

void
replay_goto(struct tui *u, const char *text)
{
	struct timespec ts;
	int64_t at;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (when_parse(text, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, &at) < 0) {
		ui_status(u, "not a time: '%s' (2026-12-06T14:00, 14:00, -2h)", text);
		return;
	}
	collector_seek(&u->col, SEEK_AT_MS, at);
}

void
replay_header(struct tui *u)
{
	const struct collector *c = &u->col;
	char when[FMT_TIME_LEN] = "-";

	if (c->t.refreshes)
		fmt_local_time(when, c->t.wall_ms, true);
	attrset(ui_attr(u, C_WARN));
	printw("   REPLAY %s", when);
	attrset(A_NORMAL);
	printw("  sample %zu/%zu  Tasks %zu%s  [ ] { } ( ) g", c->replay_n ? c->replay_pos + 1 : 0,
	       c->replay_n, c->t.n, u->paused ? "  [PAUSED]" : "  [PLAYING]");
	if (c->replay_none)
		printw("  (nothing recorded that early)");
}
