/*
 * Shared state of the interactive view. Only src/ui/ includes curses; views
 * read the model through the collector's lock and never touch /proc.
 */
#ifndef SMAPTOP_UI_H
#define SMAPTOP_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/fields.h"
#include "model/maps.h"
#include "model/proc.h"
#include "model/select.h"
#include "store/history.h"
#include "ui/collector.h"
#include "util/buf.h"

enum ui_screen {
	SCR_PROCS, SCR_DETAIL, SCR_MAPS, SCR_SWAP, SCR_OOM, SCR_NUMA, SCR_SYSTEM, SCR_LEAKS, SCR_HELP,
	SCR_COLUMNS, SCR_SORT, SCR_CGROUPS, SCR_NUM
};

enum prompt { PR_NONE, PR_FILTER, PR_SIGNAL, PR_OOM_ADJ, PR_CONFIRM, PR_GOTO };

/* Colour pairs (attributes fall back to bold/reverse without colour). */
enum ui_color {
	C_NORMAL = 0, C_HEADER, C_SELECT, C_USED, C_BUFFERS, C_CACHE, C_SWAP, C_TITLE, C_DIM,
	C_LINE, C_WARN, C_LINE_ON_FILL, C_NUM
};

/* Sort keys of the maps screen: -1 address, else enum map_field. */
#define MAPS_SORTS 6

struct tui {
	struct collector col;
	enum ui_screen screen;
	enum ui_screen back;        /* where Esc returns from help and menus */
	enum field cols[F_NUM];
	int ncols;
	enum field sort;
	bool reverse;
	bool tree;
	char filter[128];
	const pid_t *pids;       /* -p: only these (borrowed from the options) */
	size_t npids;
	bool by_uid;             /* -u */
	uid_t uid;
	pid_t sel_pid;           /* followed across re-sorts */
	size_t cursor, top;      /* row index of the cursor and of the first shown row */
	struct rows rows;
	struct select_cache selc; /* what rows were selected from (rows.c) */
	unsigned rows_gen;       /* the collector's publication they were made from */
	const void *rows_screen; /* ... for this screen (struct screen) */
	bool rows_tree;          /* ... with or without the tree */
	int *depth;              /* tree depth per row */
	bool *last;              /* tree: the row is its parent's last child shown */
	size_t depth_cap;        /* entries of depth and last */
	double delay_s;
	bool paused;
	int zoom;                /* enum graph_zoom of every graph (ui/graph.h); 'z' and 'Z' */
	bool utf8, color;

	/* maps screen */
	bool maps_grouped;
	int maps_sort_idx;       /* index into maps_sorts[] */
	bool maps_reverse;
	size_t maps_cursor, maps_top;
	struct mapgroup *groups;
	size_t ngroups;
	unsigned groups_gen;     /* the maps_gen the groups are of; 0: none */
	struct maporder maps_order;
	int maps_order_sig;      /* what maps_order is: grouped << 8 | sort << 1 | reverse */
	unsigned maps_order_gen; /* and of which maps_gen */

	/* detail screen: the process it follows, by identity (pid, start), and its last state */
	pid_t detail_pid;
	uint64_t detail_start;   /* start_ticks of the process */
	struct proc detail_last; /* a copy of its record as last seen (owns a long name only) */
	struct hist *detail_hist; /* a copy of its history as last seen, owned; NULL: none */
	bool detail_gone;        /* it has exited (or its PID now belongs to another) */
	int64_t detail_seen_ms;  /* wall time it was last seen alive (to match an OOM kill) */

	/* cgroup screen */
	size_t cg_cursor, cg_top;
	size_t cg_n;             /* cgroups shown in the last frame */
	int cg_sort;             /* enum cg_sort */
	bool cg_reverse;
	char cg_filter[512];     /* the process list: only this cgroup and below ("": all) */

	/* menus (columns chooser, sort chooser) */
	size_t menu_cursor;

	/* prompt / status line */
	enum prompt prompt;
	enum prompt confirm_of;  /* what PR_CONFIRM confirms */
	char input[64];
	pid_t target;            /* pid a prompt acts on */
	int target_value;        /* signal or oom_score_adj being confirmed */
	char status[256];
	bool quit;
	struct buf line;         /* scratch for one line */
	const char *config_path; /* NULL: no persistence */
	bool replay;             /* the source is a recorded history (replay_keys.c) */

	/*
	 * --history: a recording the collector reads (col.recalled); the detail
	 * screen joins it with the live rings and names it (history_line.c)
	 */
	struct history *history; /* borrowed from tui_opts; NULL: none */
	const char *history_path;
	bool history_default;    /* the recorder service's database, found without --history */
};

extern const int maps_sorts[MAPS_SORTS];

/* draw.c */
void ui_colors_init(struct tui *u);
int ui_attr(const struct tui *u, enum ui_color c);
/* Escaped untrusted text at (y, x), at most w columns; returns columns used. */
int ui_text(struct tui *u, int y, int x, int w, const char *s, size_t len);
void ui_fill_line(int y, int attr);
void ui_bar(struct tui *u, int y, int x, int w, const char *label, const uint64_t *parts,
	    const enum ui_color *colors, int nparts, uint64_t total, const char *text);
/*
 * A time graph of series `area` (filled) and `line` (drawn as a line, -1 for
 * none) of h, in the box (y, x, rows, cols) with scale labels and a time axis,
 * over the window of u->zoom that ends at the latest refresh (graph.h).
 */
void ui_graph(struct tui *u, int y, int x, int rows, int cols, const struct hist *h, int area,
	      int line, const char *title);
/*
 * The same with the scale's top at most cap_kib (0: no cap), the natural top of
 * the series (the RAM there is for available memory), unless the data passes it.
 */
void ui_graph_capped(struct tui *u, int y, int x, int rows, int cols, const struct hist *h,
		     int area, int line, const char *title, uint64_t cap_kib);
/*
 * The same with recorded series (NULL or empty: none) before the ring's first
 * sample: a process's past from a recording (graph_join).
 */
struct graph_series;
void ui_graph_joined(struct tui *u, int y, int x, int rows, int cols, const struct hist *h,
		     int area, int line, const char *title, uint64_t cap_kib,
		     const struct graph_series *past_area, const struct graph_series *past_line);

/* panel.c: the generic process panel the screens share */
/* v in KiB, human-readable, in b (cleared first); returns b->data. */
const char *ui_kib(struct buf *b, uint64_t v);
/* The column titles of u->cols at row y, the sorted one marked. */
void panel_header(struct tui *u, int y);
/*
 * Process p in u->cols at row y, highlighted when selected; branch (NULL: none)
 * is drawn before its name, branch_cols wide (see tree_prefix()).
 */
void panel_row(struct tui *u, int y, const struct proc *p, const struct buf *branch,
	       size_t branch_cols, bool selected);
/* Scrolls *top so that *cursor (clamped to n rows) is within the h rows shown. */
void panel_keep_visible(size_t *cursor, size_t *top, size_t n, int h);
/*
 * The system's swap used over time in rows from y, its scale topped at the swap
 * there is; with no swap configured, a line that says so instead of a graph.
 */
void panel_swap_graph(struct tui *u, int y, int rows, const char *title);
/* Moves the cursor to the first row, scrolled to the top (a ranking opens so). */
void panel_from_top(struct tui *u);
/* u->rows with the columns cols[0..ncols) in h rows from y; mark_first flags row 0. */
void panel_ranked(struct tui *u, int y, int h, const enum field *cols, int ncols,
		  bool mark_first);

/* chrome.c: around every screen */
void view_header(struct tui *u, int *y);
void view_footer(struct tui *u);

/* rows.c */
/* Recomputes u->rows (filter, sort, tree) from the table; call under the lock. */
void view_select(struct tui *u);
/* The selected process, or NULL (under the lock). */
const struct proc *view_selected(const struct tui *u);

/*
 * Drawing the tree's branches (│ ├─ └─, or | |- `- without UTF-8), as pstree
 * and ps --forest do. tree_step() must see every row from 0 up to the one drawn,
 * in order; tree_prefix() then appends that row's branches to out and returns
 * their width in columns (2 per level; 0 for a root or deeper than
 * TREE_DRAW_MAX, which no terminal is wide enough to indent).
 */
#define TREE_DRAW_MAX 64
struct tree_state {
	bool more[TREE_DRAW_MAX]; /* more[k]: the last row at depth k has a later sibling */
};
void tree_step(struct tree_state *s, const struct tui *u, size_t i);
size_t tree_prefix(const struct tree_state *s, const struct tui *u, size_t i, struct buf *out);

/* screen_maps.c */
/* Rebuilds grouping and order of the maps data (under the lock). */
void view_maps_prepare(struct tui *u);

/* term.c: the terminal, its signals and its restore on every path */
/*
 * Sets up the terminal (curses, keypad, mouse) and the signal handlers: the
 * quit signals, SIGTSTP and SIGCONT go to a pipe (term_signal_fd()), fatal
 * signals restore the terminal and die. 0, or -ENOTTY / -errno (nothing left set up).
 */
int term_start(void);
/* The read end of the signal pipe: each byte a signal number. */
int term_signal_fd(void);
/*
 * Reads the pending signals from the pipe: suspends on SIGTSTP, asks for a
 * full repaint on SIGCONT (and after a suspend). Returns the quit signal
 * (SIGINT, SIGTERM, SIGHUP or SIGQUIT) that came, or 0. Call with no lock held.
 */
int term_handle_signals(bool *repaint);
/* Restores the terminal (endwin) and closes the pipe. */
void term_stop(void);

/* keys.c */
/* Handles one key (header_y: the row of the list's column titles, for the mouse). */
void ui_key(struct tui *u, int ch, int header_y);
/* Sets the status line's message. */
void ui_status(struct tui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Replay (replay_keys.c): the time-cursor keys, true when ch was one (lock held). */
bool replay_key(struct tui *u, int ch);
/* Moves the replay cursor to the typed TIME (app/when.h forms); lock held. */
void replay_goto(struct tui *u, const char *text);
/* The header's replay line: recorded time, sample i of n, playing or paused. */
void replay_header(struct tui *u);

/*
 * With a recording (--history): the followed process's recorded past
 * (col.recalled), one line at y (history_line.c).
 */
void history_line(struct tui *u, int y);
/*
 * The recorded series `series` (enum hist_series) of (pid, start), as
 * col.recalled holds it; empty when it holds another process or none.
 */
struct graph_series recalled_series(const struct tui *u, pid_t pid, uint64_t start, int series);

/* config.c */
/*
 * Loads settings; a line it cannot use keeps that setting's default, and
 * u->status names every such line (past 8, their count and the first).
 */
void config_load(struct tui *u, const char *path);
/*
 * Appends to out the config file that keeps old[0..len) (the file as it is;
 * NULL or empty: none) as written, comments, unknown keys and unreadable
 * lines included, with the values of u on the lines of the keys smaptop writes
 * and the keys it lacks appended.
 */
void config_render(const struct tui *u, const char *old, size_t len, struct buf *out);
/* Writes config_render() of the file at path over it (by a rename); 0 or -errno. */
int config_save(const struct tui *u, const char *path);

#endif
