/*
 * The cgroup table: every memory cgroup that holds a process smaptop read (and
 * each of its ancestors, up to the root of the hierarchy smaptop can see),
 * with the values the kernel keeps for it, the PSS of its processes summed,
 * a short history of how full it is and the forecast drawn from that history.
 *
 * Invariants:
 *   - entries are sorted by path in tree order (cg_path_cmp: '/' sorts before
 *     every other byte), so a parent comes before its children and a subtree
 *     is one contiguous run; each entry's parent index is smaller than its own;
 *   - a value with its bit clear in `known` is unavailable (file missing or
 *     unreadable), never 0; a limit with its bit set in `nolimit` is "no limit"
 *     (the kernel's `max`, or v1's page-rounded LONG_MAX) and its val is 0;
 *   - memory values are KiB (the kernel's bytes divided by 1024, rounded down);
 *   - pure data: no I/O. Collectors fill values, the model sums and forecasts.
 */
#ifndef SMAPTOP_CGROUP_H
#define SMAPTOP_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "model/system.h"

enum cg_version { CG_NONE = 0, CG_V1 = 1, CG_V2 = 2 };

enum cg_field {
	CG_USAGE,        /* KiB: v2 memory.current, v1 memory.usage_in_bytes */
	CG_LIMIT,        /* KiB: v2 memory.max, v1 memory.limit_in_bytes (nolimit bit) */
	CG_HIGH,         /* KiB: v2 memory.high */
	CG_LOW,          /* KiB: v2 memory.low */
	CG_MIN,          /* KiB: v2 memory.min */
	CG_SOFT_LIMIT,   /* KiB: v1 memory.soft_limit_in_bytes */
	CG_SWAP,         /* KiB: v2 memory.swap.current; v1 memsw.usage - usage */
	CG_SWAP_LIMIT,   /* KiB: v2 memory.swap.max */
	CG_MEMSW_USAGE,  /* KiB: v1 memory.memsw.usage_in_bytes (memory + swap) */
	CG_MEMSW_LIMIT,  /* KiB: v1 memory.memsw.limit_in_bytes */
	CG_FAILCNT,      /* v1 memory.failcnt: times the limit was hit */
	CG_EV_LOW,       /* v2 memory.events low */
	CG_EV_HIGH,      /* v2 memory.events high */
	CG_EV_MAX,       /* v2 memory.events max */
	CG_EV_OOM,       /* v2 memory.events oom */
	CG_OOM_KILLS,    /* v2 memory.events oom_kill, v1 memory.oom_control oom_kill */
	CG_UNDER_OOM,    /* v1 memory.oom_control under_oom */
	CG_ANON,         /* KiB: memory.stat anon (v1 total_rss) */
	CG_FILE,         /* KiB: memory.stat file (v1 total_cache) */
	CG_KERNEL,       /* KiB: v2 memory.stat kernel */
	CG_SHMEM,        /* KiB: memory.stat shmem (v1 total_shmem) */
	CG_SOCK,         /* KiB: v2 memory.stat sock */
	CG_INACTIVE_FILE, /* KiB: memory.stat inactive_file (v1 total_inactive_file) */
	CG_OOM_GROUP,    /* v2 memory.oom.group: 1 = the whole group is killed together */
	CG_NUM
};

#define CG_BIT(f) (UINT64_C(1) << (f))

/* The settings, which change only when someone writes them: read at the age bound. */
#define CG_SLOW                                                                          \
	(CG_BIT(CG_LIMIT) | CG_BIT(CG_HIGH) | CG_BIT(CG_LOW) | CG_BIT(CG_MIN) |           \
	 CG_BIT(CG_SOFT_LIMIT) | CG_BIT(CG_SWAP_LIMIT) | CG_BIT(CG_MEMSW_LIMIT) |          \
	 CG_BIT(CG_OOM_GROUP))

/* Samples of fullness kept per cgroup for the forecast. */
enum { CG_RING = 64 };

/* Samples of how full one scope is, oldest first (a ring of CG_RING, shifted). */
struct fill_hist {
	uint64_t t_ms[CG_RING];     /* monotonic time of each sample */
	uint64_t used_kib[CG_RING]; /* what counted against the capacity then */
	unsigned n;
};

/* Appends a sample, dropping the oldest when full. */
void fill_hist_push(struct fill_hist *h, uint64_t t_ms, uint64_t used_kib);

/* Why a scope has no forecast (oom_forecast.why), for people to read. */
enum fc_why {
	FCW_HISTORY,   /* not enough history yet: too few samples, too short a window */
	FCW_FLAT,      /* no rise worth the name, or full more than a month away */
	FCW_FALLING,   /* a steady fall, or a sudden one at the latest sample */
	FCW_NOISY,     /* ups and downs too big against the rise for a trend */
	FCW_NO_LIMIT,  /* a cgroup without a limit: it never fills on its own */
	FCW_NO_DATA,   /* what is in use cannot be read */
};

/* The forecast of one scope (the machine or a cgroup); see cgroup_forecast(). */
struct oom_forecast {
	bool known;         /* a steady trend towards full: eta_s and rate are valid */
	enum fc_why why;    /* when !known: why not */
	int64_t eta_s;      /* seconds until full at the current rate */
	double rate_kib_s;  /* growth of what is in use, KiB per second */
	pid_t victim;       /* the process the kernel would kill; 0 = none found */
	bool victim_group;  /* memory.oom.group: the whole cgroup goes with it */
};

struct cgroup {
	char *path;         /* owned; as /proc/PID/cgroup gives it, "/" for the root */
	int parent;         /* index in the table, -1 for the topmost entry */
	int depth;          /* components in path: 0 for "/" */
	uint64_t val[CG_NUM];
	uint64_t known;     /* CG_BIT(f) when val[f] is valid */
	uint64_t nolimit;   /* CG_BIT(f) when limit f is "no limit" (known set too) */
	struct psi psi;     /* memory.pressure (v2) */
	bool keep_slow;     /* the CG_SLOW values are carried over: the reader skips their files */
	uint64_t slow_ms;   /* monotonic time the CG_SLOW values were read */
	unsigned members;   /* processes directly in it */
	unsigned members_all; /* processes in it and below */
	uint64_t pss_kib;   /* PSS of the processes in it and below, those known */
	unsigned pss_missing; /* processes in it and below whose PSS is unavailable */
	struct fill_hist hist; /* of cgroup_used, for the forecast */
	struct oom_forecast fc;
};

struct cgtable {
	struct cgroup *v;   /* sorted in tree order */
	size_t n, cap;
	enum cg_version version; /* of the memory controller smaptop read */
	int self;           /* index of smaptop's own cgroup, -1 when unknown */
};

/* strcmp with '/' below every other byte: sorts paths in tree (pre-)order. */
int cg_path_cmp(const char *a, const char *b);

/* Is cgroup path q the cgroup `scope` or below it? ("/" holds every path.) */
bool cg_path_within(const char *q, const char *scope);

void cgtable_init(struct cgtable *ct);
/* Frees every entry (paths too) and leaves ct empty, allocations kept. */
void cgtable_clear(struct cgtable *ct);
void cgtable_fini(struct cgtable *ct);

/*
 * Adds path (absolute, '/'-separated) and each of its ancestors, unless they
 * are there. The table stays in tree order and the parent indices right.
 * Returns the entry's index, or -EINVAL for a path that does not start with '/'
 * or has an empty component ("//").
 * Costs O(n) per new entry (an insertion): call it with the distinct paths.
 */
int cgtable_add(struct cgtable *ct, const char *path);

/*
 * Before a refresh's read: each cgroup of ct also in prev (the published
 * table) whose settings (CG_SLOW) were read at most max_age_ms before now
 * gets them, with keep_slow set; the others are read in full (slow_ms = now).
 * max_age_ms 0: every refresh reads everything.
 */
void cgtable_carry_slow(struct cgtable *ct, const struct cgtable *prev, uint64_t now_ms,
			uint32_t max_age_ms);

/* Index of path, or -1. O(log n). */
int cgtable_find(const struct cgtable *ct, const char *path);

/*
 * The cgroup's own limit, KiB: memory, or memory+swap on v1 where that is
 * set (what v1 kills at). false when it has none. A limit set on an ancestor
 * is that ancestor's, with its own row and forecast; table_container() is
 * what walks up the ancestors.
 */
bool cgroup_limit(const struct cgtable *ct, int i, uint64_t *limit_kib);

/*
 * What counts against cgroup_limit, KiB: usage (memory+swap when the limit
 * counts swap) less inactive file pages, which the kernel reclaims before it
 * kills. false when unavailable.
 */
bool cgroup_used(const struct cgtable *ct, int i, uint64_t *used_kib);

/* Use of the limit in percent (usage / limit), false when there is no limit or usage. */
bool cgroup_pct(const struct cgtable *ct, int i, double *pct);

/*
 * Adds the processes procs[0..n) whose cgroup (proc->cgroup) is in the table
 * to the counts and PSS sums (members, members_all, pss_kib, pss_missing),
 * which it clears first.
 */
void cgtable_sum(struct cgtable *ct, const struct proc *procs, size_t n);

/*
 * Takes over the history of each cgroup of old (matched by path), appends the
 * current `used` at now_ms, and works out every forecast (below). procs:
 * the processes (for the victims).
 */
void cgtable_update(struct cgtable *ct, const struct cgtable *old, uint64_t now_ms,
		    const struct proc *procs, size_t nprocs);

/*
 * The forecast rule, shared by the machine and the cgroups: from n samples of
 * what is in use (used_kib at t_ms, oldest first) and the capacity, a robust
 * line fit (model/trend.h). Known only when the trend is steady and rising:
 * at least 5 samples over 4 s or more, a confident fit, and the rise over the
 * window well above the noise, and the latest sample not fallen below the
 * line; flat, falling or noisy gives none, and out->why says which.
 */
void cgroup_forecast(const uint64_t *t_ms, const uint64_t *used_kib, size_t n, uint64_t cap_kib,
		     struct oom_forecast *out);

/*
 * The machine's forecast: appends what is in use (MemTotal + SwapTotal less
 * MemAvailable and SwapFree) to h and forecasts when that reaches MemTotal +
 * SwapTotal; the victim is oom_victim() of all processes. Without those four
 * meminfo values, no forecast and h starts again.
 */
void machine_forecast(struct fill_hist *h, const struct sysmem *s, uint64_t now_ms,
		      const struct proc *procs, size_t n, struct oom_forecast *out);

/*
 * The process the kernel's OOM killer would pick among procs whose cgroup is
 * path or below it (path NULL: all of them): the highest oom_score, never one
 * with oom_score_adj -1000. 0 when none.
 */
pid_t oom_victim(const struct proc *procs, size_t n, const char *path);

/* Sort keys of the cgroup list. */
enum cg_sort {
	CGS_PATH, CGS_USAGE, CGS_LIMIT, CGS_PCT, CGS_SWAP, CGS_PSS, CGS_PROCS, CGS_OOM_KILLS,
	CGS_ETA, CGS_NUM
};
/* "usage", "limit", ... ; also the CSV names ("usage_kib"). -1 if unknown. */
int cg_sort_parse(const char *key);
extern const char *const cg_sort_keys[CGS_NUM];

/*
 * The display order: a tree, each entry's children ordered by key (biggest
 * first for numbers, reverse flips), unavailable values last. order gets
 * ct->n indices. CGS_PATH: the table's own order.
 */
void cgtable_order(const struct cgtable *ct, enum cg_sort key, bool reverse, int *order);

#endif
