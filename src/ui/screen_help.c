/* The help screen: the keys, and what '-' and dim values mean. */
#include <curses.h>

#include "ui/screen.h"

static const char *const help_lines[] = {
	"smaptop - where and how processes use memory",
	"",
	"  h F1 ?       this help                 q F10      quit",
	"  Esc          back to the process list  space      pause / resume",
	"  Up Down PgUp PgDn Home End             move the selection",
	"  F6           choose the sort column    < >        sort by the previous / next column",
	"  I            reverse the order         / F4       filter by name or command line",
	"  t            tree view                 c          choose columns",
	"  + -          refresh delay             k          send a signal (with confirmation)",
	"  Enter        detail: RSS vs VSZ graph  m          maps of the selected process",
	"  g            (maps) group by class     w          swap view",
	"  o            OOM view                  a          (OOM view) set oom_score_adj",
	"  N            NUMA view                 S          system graphs",
	"  C            memory cgroups: Enter shows the processes of one; Esc on the list all",
	"  [ ] { } ( )  (replay) a sample, an hour, a day back / on",
	"  g            (replay) go to a typed time, e.g. 14:00 or -2h",
	"",
	"Values shown as '-' are unavailable (for PSS, USS and SwapPss of other users'",
	"processes: run as root or give smaptop cap_sys_ptrace or cap_perfmon). Dim PSS",
	"values are older than two refreshes: smaps_rollup is re-read only when a",
	"process's memory changes or its PSS ages past --pss-max-age.",
};

static void
draw(struct tui *u, int y, int h)
{
	(void)u;
	for (size_t i = 0; i < sizeof help_lines / sizeof *help_lines && (int)i < h; i++)
		mvaddnstr(y + (int)i, 0, help_lines[i], COLS);
}

const struct screen screen_help = { .draw = draw };
