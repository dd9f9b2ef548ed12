/*
 * Formatting one value of one process, shared by every sink: the table, CSV,
 * JSON and the TUI. Text goes through the one escaping function; unavailable
 * values become "-" (human) or nothing (raw; CSV leaves the field empty and
 * JSON writes null).
 */
#ifndef SMAPTOP_CELL_H
#define SMAPTOP_CELL_H

#include <stdbool.h>
#include <stddef.h>

#include "model/proc.h"
#include "util/buf.h"

enum cell_style {
	CELL_HUMAN = 0,  /* binary units, local time, "-" for unavailable */
	CELL_RAW = 1,    /* exact integers, escaped text, nothing for unavailable */
	CELL_ASCII = 2,  /* with CELL_HUMAN: escape every non-ASCII byte */
};

/* Marker appended to a command line cut at PROC_CMDLINE_MAX bytes. */
#define CMDLINE_CUT_MARK "\\..."

/*
 * Appends the value of field f of p and returns its display width. *known
 * (may be NULL) tells whether the value was available ("-" or nothing was
 * appended otherwise). max_cols bounds the display width of text (SIZE_MAX
 * for none).
 */
size_t cell_format(struct buf *b, const struct proc *p, enum field f, unsigned style,
		   size_t max_cols, bool *known);

#endif
