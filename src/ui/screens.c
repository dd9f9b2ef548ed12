/*
 * The registry of screens: enum ui_screen -> struct screen (see screen.h). The
 * order of the enum is the order of the footer's hints.
 */
#include <curses.h>

#include "ui/screen.h"

const struct screen *const screens[SCR_NUM] = {
	[SCR_PROCS] = &screen_procs,
	[SCR_DETAIL] = &screen_detail,
	[SCR_MAPS] = &screen_maps,
	[SCR_SWAP] = &screen_swap,
	[SCR_OOM] = &screen_oom,
	[SCR_NUMA] = &screen_numa,
	[SCR_SYSTEM] = &screen_system,
	[SCR_HELP] = &screen_help,
	[SCR_COLUMNS] = &screen_columns,
	[SCR_SORT] = &screen_sort,
	[SCR_CGROUPS] = &screen_cgroups,
};

int
screen_by_key(int ch)
{
	if (ch == '\r' || ch == KEY_ENTER)
		ch = '\n';
	for (int s = 0; s < SCR_NUM; s++)
		if (screens[s]->key && screens[s]->key == ch)
			return s;
	return -1;
}
