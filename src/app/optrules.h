/*
 * Which command-line options go together: a table of modes (views and output
 * formats), each with the options that apply to it. Two modes of one group
 * (two views, two formats) exclude each other; an option that does not apply
 * to the chosen view is refused, never ignored. Pure: no I/O.
 *
 * cli.c records every option as it is parsed (optseen_add, by its long name and
 * as the user spelled it), then asks optrules_check once all are seen. Adding a
 * view or a format is one line in the table of optrules.c.
 */
#ifndef SMAPTOP_OPTRULES_H
#define SMAPTOP_OPTRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define OPTSEEN_MAX 64

struct optseen {
	size_t n;
	struct {
		const char *name; /* long name without dashes ("pid"); borrowed, static */
		char typed[24];   /* as given: "-p" or "--pid" */
	} v[OPTSEEN_MAX];
};

/*
 * Records that option `name` (its long name, a static string) was given, spelled
 * `typed`. The first spelling of an option is kept; past OPTSEEN_MAX distinct
 * options, more are not recorded (there are fewer options than that).
 */
void optseen_add(struct optseen *s, const char *name, const char *typed);

/* Whether option `name` was given. */
bool optseen_has(const struct optseen *s, const char *name);

/*
 * Checks the options given against the table. `tui` says the interactive view
 * will run (no output format, stdout a terminal). Returns true when they go
 * together; otherwise false, with one line (no "smaptop: " prefix, no newline)
 * in msg naming both options, e.g. "-1 and --csv exclude each other" or "--top
 * does not apply to --maps".
 */
bool optrules_check(const struct optseen *s, bool tui, struct buf *msg);

#endif
