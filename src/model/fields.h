/*
 * The column table: one entry per enum field, indexed by the enum with
 * designated initializers. A column is data — key, titles, unit, width,
 * default sort direction and what it costs to collect — so views, outputs,
 * sorting and the CLI all derive from this one table.
 */
#ifndef SMAPTOP_FIELDS_H
#define SMAPTOP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/proc.h"

enum field_kind {
	FK_INT,   /* plain integer */
	FK_KIB,   /* memory in KiB: human units in the table */
	FK_TEXT,  /* escaped text */
	FK_TIME,  /* seconds since the epoch */
};

enum field_need {
	NEED_ROLLUP = 1,   /* smaps_rollup (expensive) */
	NEED_CMDLINE = 2,
	NEED_HISTORY = 4,  /* derived from earlier samples */
	NEED_NUMA = 8,     /* numa_maps (walks page tables, like smaps_rollup) */
	NEED_CGROUP = 16,  /* /proc/PID/cgroup, read with the details */
};

struct field_info {
	const char *key;       /* CLI and config name: "rss" */
	const char *title;     /* table header: "RSS" */
	const char *csv;       /* CSV/JSON name with unit: "rss_kib" */
	const char *desc;      /* one line for --help and the column chooser */
	enum field_kind kind;
	unsigned need;         /* enum field_need */
	int width;             /* table width; 0 = flexible (last column) */
	bool desc_sort;        /* biggest first by default */
};

extern const struct field_info field_info[F_NUM];

/* Looks up a key ("rss"); also accepts the CSV name ("rss_kib"). -1 if unknown. */
int field_parse(const char *key);

/*
 * Parses a comma-separated list of keys into out[] (at most max). Returns the
 * count, or -EINVAL with *bad pointing at the first unknown key (in list).
 */
int field_parse_list(const char *list, enum field *out, int max, const char **bad,
		     size_t *bad_len);

/* Display width of f in a table: 0 (the rest of the line) when it is the last column. */
int field_width(enum field f, bool last);

/* Union of the needs of cols[0..n). */
unsigned field_needs(const enum field *cols, int n);

#endif
