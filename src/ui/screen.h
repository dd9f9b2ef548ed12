/*
 * The screens of the interactive view, as data. Each screen lives in its own
 * file (screen_<name>.c) and exports one `struct screen`; screens.c lists them
 * in a table indexed by enum ui_screen. tui.c draws, switches and routes keys
 * through that table only, so adding a screen is: a value in enum ui_screen
 * (ui.h), a file that defines its struct screen, its extern line below and one
 * line in screens.c.
 *
 * A screen draws from the model under the collector's lock (taken by tui.c
 * around a whole frame) and reads nothing else: no /proc, no files.
 */
#ifndef SMAPTOP_UI_SCREEN_H
#define SMAPTOP_UI_SCREEN_H

#include <stdbool.h>

#include "ui/ui.h"

struct screen {
	const char *name;      /* "view=" value in the config file; NULL: never saved */
	bool restorable;       /* "view=" at start-up opens it (not those of one process) */
	int key;               /* the key that opens it from any screen ('\n' for Enter), 0: none */
	const char *key_label; /* footer hint "<key_label><title>"; NULL: not in the footer */
	const char *title;
	bool needs_process;    /* opens only with a process selected */
	bool ranked;           /* rows ranked by rank_by, biggest first, user's sort ignored */
	enum field rank_by;
	/* Only the rows this accepts are shown, or NULL: all. */
	bool (*keep)(const struct proc *p);
	/* Called when the screen is opened with its key, or NULL. */
	void (*enter)(struct tui *u);
	/* Draws the screen in rows [y, y + h) of the terminal. */
	void (*draw)(struct tui *u, int y, int h);
	/* Its own keys, tried before the common ones; true when ch was handled. NULL: none. */
	bool (*keys)(struct tui *u, int ch);
};

/* The registry (screens.c): one entry per enum ui_screen, none NULL. */
extern const struct screen *const screens[SCR_NUM];

/* The screen the key ch opens, as enum ui_screen, or -1. */
int screen_by_key(int ch);

extern const struct screen screen_procs, screen_detail, screen_maps, screen_swap, screen_oom,
	screen_numa, screen_system, screen_help, screen_columns, screen_sort, screen_cgroups;

#endif
