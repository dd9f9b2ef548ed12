/*
 * One refresh worth of data as a source delivers it: processes (unordered,
 * cheap fields always, the PSS family only where asked) and system memory.
 */
#ifndef SMAPTOP_SAMPLE_H
#define SMAPTOP_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cgroup.h"
#include "model/proc.h"
#include "model/system.h"

struct sample {
	struct proc *procs;
	size_t n, cap;
	size_t scanned;    /* processes the scan delivered, hidden kernel threads too;
			      kept until the next scan, which reserves room by it */
	struct sysmem sys;
	struct cgtable cg;  /* cgroups of the processes, values read */
	uint64_t now_ms;  /* monotonic clock when the scan started */
	uint64_t dt_ms;   /* since the previous refresh's scan; 0 for the first */
	int64_t wall_ms;  /* milliseconds since the epoch, same moment */
	uint64_t swap_kib; /* swap in use on the system when the scan started */
	bool light;       /* the scan read stat only (tier.c tier_scan_light) */
	unsigned statuses; /* known processes that needed status read (table.h) */
	unsigned rollups; /* smaps_rollup reads made for this sample */
	unsigned denied;  /* processes whose smaps_rollup was refused */
};

/* Returns a fresh zeroed slot at the end of s->procs. */
struct proc *sample_push(struct sample *s);
/* Makes room for n processes at least, so that pushing them never reallocates. */
void sample_reserve(struct sample *s, size_t n);
/* Drops every process (freeing what they own), keeps allocations. */
void sample_clear(struct sample *s);
void sample_fini(struct sample *s);

#endif
