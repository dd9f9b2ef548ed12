/*
 * The live model: every process of the latest refresh (sorted by pid) with its
 * history, plus system memory and its history. table_refresh() is the one
 * place where a refresh happens: it asks the source for a sample, decides which
 * processes need their expensive PSS family re-read (tiered collection), merges
 * with the previous refresh (rates, history, PID reuse) and swaps the result in.
 *
 * A process is identified by (pid, start time): a reused PID starts a new
 * history. Views get the table read-only; pointers into it are valid until the
 * next table_refresh().
 */
#ifndef SMAPTOP_TABLE_H
#define SMAPTOP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/cgroup.h"
#include "model/hist.h"
#include "model/lowenv.h"
#include "model/oomkill.h"
#include "model/proc.h"
#include "model/sample.h"
#include "model/source.h"
#include "model/system.h"

struct leak_pasts;

struct table_opts {
	bool rollup;        /* the PSS family is wanted */
	bool cmdline;       /* command lines are wanted */
	bool kthreads;      /* keep kernel threads */
	unsigned sys_parts; /* enum sys_part to refresh */
	/*
	 * Tiered collection. stat is read for every process on every refresh;
	 * status when stat shows a change (RSS, VSZ or a fault count moved) or
	 * the system's swap total moved, and for all at least once per age bound
	 * (tier_needs_status and tier_scan_light in tier.c). The rest is read for
	 * a new process (or after an exec, seen as a new comm), and then:
	 *   - smaps_rollup when RSS, VSZ or swap changed, or when the PSS family
	 *     is pss_max_age_ms old; processes bigger than big_rss_kib only on age;
	 *   - oom_score and oom_score_adj when RSS, VSZ or swap changed, or on age;
	 *   - the command line on age (a process may rewrite its argv).
	 * pss_max_age_ms 0 = everything on every refresh. fresh_pid (if not 0) is
	 * re-read in full, e.g. right after its oom_score_adj was changed.
	 */
	uint32_t pss_max_age_ms;
	uint64_t big_rss_kib;
	pid_t fresh_pid;
	/* When npids is not 0, only these processes are read at all (-p). */
	const pid_t *pids;
	size_t npids;
	/*
	 * History: each ring covers about hist_cap samples (0 = no history). The
	 * system ring and the ring of hist_detail_pid (0 = none: the process
	 * being looked at) keep every sample; the others are compact (hist.h).
	 */
	uint32_t hist_cap;
	pid_t hist_detail_pid;
	/*
	 * Leaks: each process's lower envelope covers at most leak_cap samples
	 * (0 = no leak estimates; model/leak.h, F_LEAK and PROC_LEAK).
	 */
	uint32_t leak_cap;
	/*
	 * Recorded pasts (model/leak.h; NULL: none): a process found there has
	 * its envelope joined with its past, so its estimate reaches back into a
	 * recording. Plain data; whoever read the recording fills it.
	 */
	const struct leak_pasts *leak_past;
	/*
	 * NUMA split (F_NUMA_NODE, F_NUMA_PCT) from numa_maps: for every process
	 * when numa_npids is 0, else only for numa_pids (the rows on screen).
	 */
	bool numa;
	const pid_t *numa_pids;
	size_t numa_npids;
	/*
	 * cgroups: each process's memory cgroup (read with the details: it
	 * changes only when the process is moved) and the cgroup table, each
	 * cgroup read once a refresh. cg_self: only smaptop's own cgroup and its
	 * ancestors (is smaptop in a container with a limit?).
	 */
	bool cgroups;
	bool cg_self;
};

struct table {
	struct proc *procs;  /* sorted by pid */
	size_t n, cap;
	struct sysmem sys;
	struct hist *sys_hist;
	uint64_t t0_ms;      /* monotonic time of the first refresh */
	uint64_t now_ms;     /* of the latest refresh */
	int64_t wall_ms;     /* milliseconds since the epoch, latest refresh */
	unsigned refreshes;
	uint64_t dt_ms;      /* between the latest two refreshes */
	uint64_t full_ms;    /* of the latest refresh that read status for all */
	uint64_t swap_kib;   /* swap in use on the system, latest refresh */
	unsigned statuses;   /* known processes whose status was (or, in a full scan,
				would have been) read again in the latest refresh */
	unsigned rollups;    /* smaps_rollup reads in the latest refresh */
	unsigned denied;     /* processes whose smaps_rollup was refused */
	struct cgtable cg;   /* memory cgroups (table_opts cgroups, cg_self) */
	struct fill_hist mach_hist; /* what is in use on the machine, for mach_fc */
	struct oom_forecast mach_fc; /* time to OOM of the machine (with SYS_MEMINFO) */
	struct sample next;  /* scratch the source fills */
	struct proc *retired; /* the previous refresh's processes, until table_release() */
	size_t nretired;
	struct oomlog kills; /* recent OOM kills, newest first (refreshes with SYS_OOM) */
	/* the times of the refreshes, for the short leak envelopes (with table_opts leak_cap) */
	struct lowenv_clock leak_clock;
};

void table_init(struct table *t);
void table_fini(struct table *t);

/*
 * One refresh: table_collect() then table_commit(). Returns 0, or the negative
 * errno of a failed scan (the table is then unchanged). A failing system part
 * leaves its known bits clear.
 */
int table_refresh(struct table *t, struct source *src, const struct table_opts *o);

/*
 * The two halves of a refresh, for a collector thread. table_collect() does all
 * the reading into t->next and only reads the published table, so it may run
 * while views read it too; table_commit() publishes the result in O(n) and is
 * the only part that needs the views locked out.
 */
int table_collect(struct table *t, struct source *src, const struct table_opts *o);
void table_commit(struct table *t, const struct table_opts *o);
/*
 * Frees the processes table_commit() replaced. Views never read them, so a
 * collector thread calls it after letting the views in again: freeing ten
 * thousand records does not keep them waiting.
 */
void table_release(struct table *t);

/* The process with this pid, or NULL. */
const struct proc *table_find(const struct table *t, pid_t pid);

/*
 * The cgroup whose limit smaptop's memory runs into, when smaptop's own cgroup
 * or an ancestor has a limit below the machine's RAM (a container): its index
 * in t->cg, else -1.
 */
int table_container(const struct table *t);

/* Deciseconds since the first refresh: the time axis of the history rings. */
uint32_t table_time_ds(const struct table *t, uint64_t ms);

#endif
