/*
 * The seam between collectors and the model. The live source reads /proc and
 * /sys (collect/source_live.c); a recorded or fake source can stand in for it
 * without any view noticing. Every operation returns 0 or a negative errno and
 * never prints.
 */
#ifndef SMAPTOP_SOURCE_H
#define SMAPTOP_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/cgroup.h"
#include "model/maps.h"
#include "model/sample.h"

struct source;

enum detail {
	DETAIL_OOM = 1,     /* oom_score, oom_score_adj */
	DETAIL_CMDLINE = 2, /* the command line, raw */
	DETAIL_CGROUP = 4,  /* the memory cgroup's path (proc->cgroup) */
};

enum sys_part {
	SYS_MEMINFO = 1,
	SYS_SWAPS = 2,
	SYS_PSI = 4,
	SYS_NODES = 8,
	SYS_ALL = 15,
	/* not in SYS_ALL: asked for by the views that show them */
	SYS_KNOBS = 1 << 8, /* struct knobs */
	SYS_OOM = 1 << 9,   /* struct oom_events: counter, and the kernel log read on */
	SYS_OOM_COUNT = 1 << 10, /* the counter of struct oom_events alone, no kernel log */
};

struct source_ops {
	/*
	 * Appends every visible process (only those of pids[0..npids) when npids
	 * is not 0) to s->procs with the fields of stat and of status, and sets
	 * s->swap_kib. A light scan reads stat only: STATUS_FIELDS stay unknown
	 * and p->stat_rss shows change. Processes that vanish mid-read are left
	 * out. Sets PROC_STATUS on the processes whose status it read.
	 */
	int (*scan)(struct source *src, struct sample *s, const pid_t *pids, size_t npids,
		    bool light);
	/*
	 * Reads status for procs[0..n) (sorted by pid, from a light scan) in
	 * place and sets PROC_STATUS on each one read. A process gone since, or
	 * whose pid now names another process, keeps PROC_STATUS clear.
	 */
	int (*status)(struct source *src, struct proc *const *procs, size_t n);
	/*
	 * Reads the parts of p named by `what` (enum detail), which the table
	 * asks for only when they may have changed (see table.h). A part that
	 * could not be read leaves its known bits clear. -ESRCH: p is gone.
	 */
	int (*details)(struct source *src, struct proc *p, unsigned what);
	/*
	 * Reads the PSS family of p (smaps_rollup) and stamps p->pss_ms (proc_stamp; left 0
	 * by a source that cannot tell when the values were read: their age is
	 * then unavailable).
	 * -ESRCH: the process is gone; -EACCES: refused (p->flags gets
	 * PROC_ROLLUP_DENIED); -ENODATA: no mm.
	 */
	int (*rollup)(struct source *src, struct proc *p);
	/* Fills the parts of sys named by `parts` (enum sys_part). */
	int (*system)(struct source *src, struct sysmem *sys, unsigned parts);
	/*
	 * Per-mapping breakdown of pid, and with totals the kernel's own
	 * totals (maplist.rollup) when it has them: one more walk of the
	 * process's page tables. -ESRCH, -EACCES as above;
	 * -ESTALE: the process exited during the read, which cut the list
	 * short; m is left empty (a cut list is never returned).
	 */
	int (*maps)(struct source *src, pid_t pid, struct maplist *m, bool totals);
	/*
	 * Per-node KiB of pid into node_kib[0..max_nodes) (cleared first, and
	 * all 0 on error). -ESTALE as for maps; -ERANGE: a count out of range.
	 */
	int (*numa)(struct source *src, pid_t pid, uint64_t *node_kib, int max_nodes);
	/*
	 * Adds smaptop's own memory cgroup to ct (ct->self), sets ct->version and
	 * reads the values of every cgroup in ct, each once. A cgroup that cannot
	 * be read keeps its known bits clear. May be NULL (no cgroups).
	 */
	int (*cgroups)(struct source *src, struct cgtable *ct);
	/*
	 * Optional (NULL: never). Whether pid names a process that exists but
	 * that the process list does not show this reader (/proc mounted with
	 * hidepid): 1 hidden, 0 not (absent, or shown).
	 */
	int (*pid_hidden)(struct source *src, pid_t pid);
	void (*free)(struct source *src);
};

struct source {
	const struct source_ops *ops;
};

/* Monotonic clock in milliseconds. */
uint64_t source_now_ms(void);

#endif
