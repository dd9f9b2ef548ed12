/*
 * One process as smaptop models it: plain data, no I/O. Collectors fill it,
 * the table merges successive samples of it, views and outputs read it.
 *
 * Every numeric value lives in val[] indexed by enum field, with one bit per
 * field in `known`. A value the kernel would not give us (permission denied,
 * no mm, not yet measured) has its bit clear and must be shown as unavailable,
 * never as 0. Memory values are KiB; the unit is part of each field's name in
 * the column table (fields.c).
 */
#ifndef SMAPTOP_PROC_H
#define SMAPTOP_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct lowenv_hdr;

enum field {
	F_PID,
	F_PPID,
	F_UID,
	F_USER,    /* text */
	F_STATE,   /* text */
	F_THREADS,
	F_START,   /* seconds since the epoch */
	F_VSZ,     /* KiB, status VmSize */
	F_RSS,     /* KiB, status VmRSS */
	F_RSS_ANON,
	F_RSS_FILE,
	F_RSS_SHMEM,
	F_PSS,     /* KiB, smaps_rollup: the PSS family below needs that file */
	F_PSS_ANON,
	F_PSS_FILE,
	F_PSS_SHMEM,
	F_USS,     /* Private_Clean + Private_Dirty */
	F_SHARED,  /* Shared_Clean + Shared_Dirty */
	F_SWAP_PSS,
	F_THP,     /* AnonHugePages */
	F_REFERENCED,
	F_PSS_AGE, /* milliseconds since the PSS family was read */
	F_SWAP,    /* KiB, status VmSwap */
	F_LOCKED,  /* KiB, status VmLck */
	F_OOM_SCORE,
	F_OOM_ADJ,
	F_MINFLT,
	F_MAJFLT,
	F_MINFLT_RATE, /* faults per second since the previous refresh */
	F_MAJFLT_RATE,
	F_GROWTH,  /* RSS growth, KiB per second over the history window */
	F_NUMA_NODE, /* NUMA node holding most of the process's pages (numa_maps) */
	F_NUMA_PCT,  /* percent of its pages on that node */
	F_CGROUP,  /* text: memory cgroup path (/proc/PID/cgroup) */
	F_LEAK,    /* sustained growth of the lower envelope of PSS (or RSS), KiB per hour */
	F_COMM,    /* text */
	F_CMDLINE, /* text */
	F_NUM
};

#define FIELD_BIT(f) (UINT64_C(1) << (f))

/* The fields smaps_rollup provides (expensive: the kernel walks page tables). */
#define ROLLUP_FIELDS                                                                    \
	(FIELD_BIT(F_PSS) | FIELD_BIT(F_PSS_ANON) | FIELD_BIT(F_PSS_FILE) |               \
	 FIELD_BIT(F_PSS_SHMEM) | FIELD_BIT(F_USS) | FIELD_BIT(F_SHARED) |                 \
	 FIELD_BIT(F_SWAP_PSS) | FIELD_BIT(F_THP) | FIELD_BIT(F_REFERENCED))

/* The fields only status provides; a light scan leaves them to the table. */
#define STATUS_FIELDS                                                                    \
	(FIELD_BIT(F_UID) | FIELD_BIT(F_USER) | FIELD_BIT(F_RSS) | FIELD_BIT(F_RSS_ANON) | \
	 FIELD_BIT(F_RSS_FILE) | FIELD_BIT(F_RSS_SHMEM) | FIELD_BIT(F_SWAP) | FIELD_BIT(F_LOCKED))

/* Memory fields that need an mm: unavailable for zombies. */
#define MM_FIELDS                                                                        \
	(FIELD_BIT(F_VSZ) | FIELD_BIT(F_RSS) | FIELD_BIT(F_RSS_ANON) | FIELD_BIT(F_RSS_FILE) | \
	 FIELD_BIT(F_RSS_SHMEM) | FIELD_BIT(F_SWAP) | FIELD_BIT(F_LOCKED) | ROLLUP_FIELDS)

enum proc_flag {
	PROC_KTHREAD = 1,  /* PF_KTHREAD in stat flags */
	PROC_ZOMBIE = 2,   /* no mm: memory values unavailable */
	PROC_CMD_CUT = 4,  /* command line longer than PROC_CMDLINE_MAX, cut */
	PROC_ROLLUP_DENIED = 8, /* smaps_rollup refused (EACCES/EPERM) */
	PROC_CMD_READ = 16, /* the command line was read (it may be empty) */
	PROC_STATUS = 32,  /* status was read in this refresh, not carried over */
	PROC_CG_READ = 64, /* the cgroup was read (it may be unknown) */
	PROC_LEAK = 128,   /* a leak suspect (model/leak.h), growing since leak_since_ds */
};

/* Command lines longer than this are cut and marked (documented in smaptop(1)). */
#define PROC_CMDLINE_MAX 4096
#define PROC_COMM_MAX 64
#define PROC_USER_MAX 33

struct proc {
	int64_t val[F_NUM];
	uint64_t known;      /* FIELD_BIT(f) set when val[f] (or the text) is valid */
	uint64_t start_ticks; /* with pid, the identity of a process */
	uint64_t stat_rss;   /* RSS in pages as stat shows it: the change detector */
	uint64_t pss_ms;     /* monotonic time the PSS family was read, ms */
	uint64_t aux_ms;     /* ... and oom_score, oom_score_adj, the command line */
	uint64_t cg_ms;      /* ... and the cgroup */
	char state;
	uint8_t flags;       /* enum proc_flag */
	uint16_t cmd_len;    /* bytes in cmdline; args separated by NUL */
	char comm[PROC_COMM_MAX];
	char user[PROC_USER_MAX];
	char *cmdline;       /* owned, raw bytes, may be NULL (kernel thread, zombie) */
	char *cgroup;        /* owned, raw bytes: F_CGROUP, NULL when unknown */
	struct hist *hist;   /* owned by the table; NULL outside it */
	struct lowenv_hdr *env; /* lower envelope for leaks (model/lowenv.h), likewise */
	int32_t leak_since_ds;  /* with PROC_LEAK: growing since, table_time_ds() (negative:
				 * before the first refresh, from a recording) */
};

static inline bool
proc_has(const struct proc *p, enum field f)
{
	return p->known & FIELD_BIT(f);
}

static inline void
proc_set(struct proc *p, enum field f, int64_t v)
{
	p->val[f] = v;
	p->known |= FIELD_BIT(f);
}

/*
 * True when p's command line, read, holds nothing but NULs and spaces (or no
 * byte at all: a process caught mid-exec). Views then show "[comm]", as ps
 * and top do.
 */
static inline bool
proc_cmdline_blank(const struct proc *p)
{
	for (uint16_t i = 0; i < p->cmd_len; i++) {
		if (p->cmdline[i] != '\0' && p->cmdline[i] != ' ')
			return false;
	}
	return true;
}

/* Frees what p owns (cmdline, cgroup) and leaves it empty. */
void proc_fini(struct proc *p);

#endif
