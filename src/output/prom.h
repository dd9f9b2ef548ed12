/*
 * The Prometheus text exposition format (version 0.0.4), rendered from the
 * model like CSV and JSON: per-process memory (top N by PSS plus one remainder,
 * or summed into groups by command name, user or cgroup), the machine's
 * memory, swap, pressure, NUMA nodes and OOM kills, and the memory cgroups.
 * The parts are in prom_parts.h.
 *
 * Invariants of the output:
 *   - every family has one # HELP and one # TYPE line, and its samples follow
 *     them with no other family in between;
 *   - names follow Prometheus's conventions: base units (bytes, seconds),
 *     counters end in _total, gauges never do;
 *   - a value the model does not know is left out (no sample), never written
 *     as 0; a family with no sample at all is left out entirely;
 *   - label values are first escaped by util/escape.h (valid UTF-8, no control
 *     characters) and then by the format's own rule (\ -> \\, " -> \", newline
 *     -> \n), so any process name gives valid output;
 *   - no two samples of a family have the same label set: the remainder is
 *     pid="other", which no process and no group can have (PIDs are numbers,
 *     groups carry no pid label).
 * Pure: no I/O. Cost is O(n log n) in processes, one pass per family over the
 * series built once, and O(cgroups) per cgroup family.
 */
#ifndef SMAPTOP_PROM_H
#define SMAPTOP_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/select.h"
#include "model/table.h"
#include "util/buf.h"

/* How processes become series (--prom-by). */
enum prom_by {
	PROM_BY_PID,    /* one series per process: labels pid, comm, user, cgroup */
	PROM_BY_COMM,   /* summed by command name: label comm */
	PROM_BY_USER,   /* summed by user: label user */
	PROM_BY_CGROUP, /* summed by memory cgroup (processes directly in it): label cgroup */
};

/* The per-process values exported, one family each. */
enum prom_metric {
	PM_RSS,
	PM_PSS,
	PM_USS,
	PM_SWAP,
	PM_SWAP_PSS,
	PM_VSZ,
	PM_OOM,
	PM_OOM_ADJ,
	PM_MINFLT,
	PM_MAJFLT,
	PM_LEAK,    /* sustained growth, bytes per second (model/leak.h) */
	PM_NUM
};

struct prom_opts {
	size_t top;        /* series of their own (processes or groups); 0 = all */
	enum prom_by by;
};

/* One series before rendering: a process, a group or the remainder. */
struct prom_series {
	size_t lab_off, lab_len; /* its label text in prom_scratch.labels */
	int64_t val[PM_NUM];     /* in the exported unit (bytes, counts; PM_LEAK bytes per hour) */
	uint32_t known;          /* bit per enum prom_metric */
	uint32_t nprocs;         /* processes summed into it */
};

/* Buffers reused from one render to the next (zero-initialise; prom_scratch_fini). */
struct prom_scratch {
	struct buf labels, tmp, part;
	struct prom_series *series;
	size_t nseries, cap;
	const struct proc **by_key;
	size_t nkey, capkey;
	struct rows rows;
};

void prom_scratch_fini(struct prom_scratch *s);

/*
 * Appends the exposition of t to b: the processes chosen by sel (its sort and
 * top are ignored: series are ordered by PSS and cut by o->top), then the
 * machine families whose values t->sys knows, then those of t->cg's cgroups.
 * Never fails.
 */
void prom_render(struct buf *b, const struct table *t, const struct selection *sel,
		 const struct prom_opts *o, struct prom_scratch *s);

/*
 * Appends s[0..n) as the inside of a label value (without the quotes): text
 * read from the kernel goes through esc_append() first (tmp is scratch), then
 * the format's escaping. Any bytes give a valid label value.
 */
void prom_label_value(struct buf *b, struct buf *tmp, const char *s, size_t n);

/* The format's escaping alone: '\' -> "\\", '"' -> "\"", newline -> "\n". */
void prom_escape_label(struct buf *b, const char *s, size_t n);

/* The name of a --prom-by mode ("pid", "comm", "user", "cgroup"), and back (-EINVAL). */
const char *prom_by_name(enum prom_by by);
int prom_by_parse(const char *s, enum prom_by *out);

#endif
