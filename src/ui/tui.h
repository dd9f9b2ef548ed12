/* The interactive view: entry point called by main(). */
#ifndef SMAPTOP_TUI_H
#define SMAPTOP_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "model/source.h"
#include "store/history.h"

struct tui_opts {
	double delay_s;          /* <= 0: from the config file or 1 s */
	const char *filter;
	const pid_t *pids;       /* only these processes, when npids > 0 */
	size_t npids;
	bool by_uid;             /* only processes of uid */
	uid_t uid;
	int sort;                /* enum field, -1: config or PSS */
	bool reverse;
	const enum field *cols;  /* NULL: config or defaults */
	int ncols;
	bool all;                /* kernel threads too */
	uint32_t pss_max_age_ms;
	const char *config_path; /* NULL: no persistence */
	bool replay;             /* src is a recorded history (store/replay.h) */
	struct history *history; /* a recording to look processes up in, or NULL (borrowed) */
	const char *history_path; /* its path, for the detail screen to name */
	bool history_default;    /* it is the recorder service's database (no --history) */
	const char *boot_id;     /* this boot's id, for those look-ups */
};

/*
 * Whether the interactive view can run here: standard input and output are
 * terminals, TERM is set, known to terminfo and can address the cursor (not
 * "dumb"). Reads the terminfo entry only; sends nothing. 0, or -ENOTTY with *why
 * set to what is wrong ("standard input is not a terminal", ...), a static
 * string valid until the next call.
 */
int tui_usable(const char **why);

/*
 * Runs the interactive view on the terminal until the user quits or a
 * terminating signal arrives; the terminal is restored on every path.
 * Returns the exit status: 0 after q, 128 + the signal's number after SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT (129 too when the terminal hangs up without a
 * SIGHUP), 1 when the terminal could not be set up.
 */
int tui_run(struct source *src, const struct tui_opts *o);

#endif
