/*
 * One process as smaptop models it: plain data, no I/O. Collectors fill it,
 * the table merges successive samples of it, views and outputs read it.
 *
 * Every numeric value is read with proc_val() and written with proc_set(), by
 * enum field, with one bit per field in `known`. A value the kernel would not
 * give us (permission denied, no mm, not yet measured) has its bit clear and
 * must be shown as unavailable, never as 0. Memory values are KiB; the unit is
 * part of each field's name in the column table (fields.c).
 *
 * The values take 64 bits where the kernel's do (memory, fault counts) and for
 * the leak rate, 32 bits where the quantity is bounded by its nature (pids,
 * thread counts, OOM scores, per-second rates, NUMA node and share, the PSS
 * age; unsigned, the uid and the start time); text fields have no numeric
 * slot. At ten thousand processes the record is
 * most of smaptop's memory, so its size is the cost of a process.
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
	PROC_COMM_HEAP = 256, /* the name is in comm.heap, not comm.in (see proc_comm) */
};

/* Command lines longer than this are cut and marked (documented in smaptop(1)). */
#define PROC_CMDLINE_MAX 4096
#define PROC_COMM_MAX 64
#define PROC_USER_MAX 33 /* with the NUL; the live reader shows a longer user name as the uid */
/*
 * Names of user processes fit in the kernel's TASK_COMM_LEN (16, with the
 * NUL); only kernel threads (workqueue workers: "kworker/u8:2-events_unbound")
 * have longer ones. A record keeps the short ones inline and the long ones in
 * a string of its own, so that 10,000 records do not carry 48 unused bytes each.
 */
#define PROC_COMM_INLINE 16

/*
 * Where field f's value lives (the table is in fields.c): an index into
 * wide[]; PROC_NARROW plus an index into narrow[], a signed value;
 * PROC_UNSIGNED plus one, an unsigned value (a uid, seconds since the epoch
 * until 2106); or PROC_NO_SLOT for a text field.
 */
enum {
	PROC_WIDE = 19,
	PROC_NARROWS = 13,
	PROC_NARROW = 0x40,
	PROC_UNSIGNED = 0x80,
	PROC_NO_SLOT = 0xff,
};
extern const uint8_t proc_slot[F_NUM];

struct proc {
	int64_t wide[PROC_WIDE];
	uint64_t known;      /* FIELD_BIT(f) set when the value (or the text) of f is valid */
	uint64_t start_ticks; /* with pid, the identity of a process */
	uint32_t narrow[PROC_NARROWS];
	uint32_t stat_rss;   /* RSS in pages as stat shows it, modulo 2^32: the change detector */
	/*
	 * When the PSS family, then oom_score, oom_score_adj and the command line,
	 * then the cgroup were read: proc_stamp() of the monotonic clock (0: not
	 * known). Ages (proc_age_ms) are exact below 24 days; every stamp is
	 * renewed within ten age bounds, and the CLI holds an age bound to a day.
	 */
	uint32_t pss_ms, aux_ms, cg_ms;
	int32_t leak_since_ds;  /* with PROC_LEAK: growing since, table_time_ds() (negative:
				 * before the first refresh, from a recording) */
	char state;
	uint16_t flags;      /* enum proc_flag */
	uint16_t cmd_len;    /* bytes in cmdline; args separated by NUL */
	union {
		char in[PROC_COMM_INLINE]; /* up to 15 bytes and a NUL */
		char *heap;  /* owned, with PROC_COMM_HEAP: longer names */
	} comm;              /* F_COMM: read with proc_comm(), written with proc_set_comm() */
	/*
	 * F_USER, borrowed: NULL when unknown. The source that filled the record
	 * owns the name and keeps it as long as it is open (the live reader's
	 * per-uid names, the replay's per-name copies); records copied from one
	 * another share it. Tests may point it at string literals.
	 */
	const char *user;
	char *cmdline;       /* owned, raw bytes, may be NULL (kernel thread, zombie) */
	char *cgroup;        /* owned, raw bytes: F_CGROUP, NULL when unknown */
	struct hist *hist;   /* owned by the table; NULL outside it */
	struct lowenv_hdr *env; /* lower envelope for leaks (model/lowenv.h), likewise */
};

/* The stamp of monotonic time now_ms: its low 32 bits, never 0 (0 is "not known"). */
static inline uint32_t
proc_stamp(uint64_t now_ms)
{
	uint32_t s = (uint32_t)now_ms;

	return s ? s : 1;
}

/* Milliseconds from stamp to now_ms; 0 when the stamp is (a little) later. */
static inline uint64_t
proc_age_ms(uint32_t stamp, uint64_t now_ms)
{
	int32_t d = (int32_t)((uint32_t)now_ms - stamp);

	return d > 0 ? (uint64_t)d : 0;
}

/*
 * 10,000 of these are most of smaptop's memory: a change that makes the record
 * bigger says so here. 304 bytes with 64-bit pointers; less with 32-bit ones.
 */
_Static_assert(sizeof(struct proc) <= 304, "struct proc grew");

static inline bool
proc_has(const struct proc *p, enum field f)
{
	return p->known & FIELD_BIT(f);
}

/* The value of f; 0 for a text field. Meaningful only when proc_has(p, f). */
static inline int64_t
proc_val(const struct proc *p, enum field f)
{
	unsigned s = proc_slot[f];

	if (s < PROC_NARROW)
		return p->wide[s];
	if (s < PROC_UNSIGNED)
		return (int32_t)p->narrow[s - PROC_NARROW];
	return s == PROC_NO_SLOT ? 0 : p->narrow[s - PROC_UNSIGNED];
}

/*
 * Stores v as f's value without marking it known (proc_set does both). A
 * 32-bit field saturates: its quantities never come near the bound.
 */
static inline void
proc_store(struct proc *p, enum field f, int64_t v)
{
	unsigned s = proc_slot[f];

	if (s < PROC_NARROW)
		p->wide[s] = v;
	else if (s < PROC_UNSIGNED)
		p->narrow[s - PROC_NARROW] =
			(uint32_t)(v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v);
	else if (s != PROC_NO_SLOT)
		p->narrow[s - PROC_UNSIGNED] = (uint32_t)(v > UINT32_MAX ? UINT32_MAX : v < 0 ? 0 : v);
}

static inline void
proc_set(struct proc *p, enum field f, int64_t v)
{
	proc_store(p, f, v);
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

/* p's name (stat comm): raw bytes, any but NUL, NUL-terminated. Valid until p changes. */
static inline const char *
proc_comm(const struct proc *p)
{
	return p->flags & PROC_COMM_HEAP ? p->comm.heap : p->comm.in;
}

/*
 * Sets p's name to the len bytes at s (none of them NUL), copied: inline when
 * they fit, else in a new string p owns; a previous long name is freed. s may
 * be p's own name.
 */
void proc_set_comm(struct proc *p, const char *s, size_t len);

/*
 * After a copy by value (*p = *o), p shares o's long name. This gives p a
 * copy of its own, for a record that outlives o (the one it was copied from
 * keeps its own). Nothing to do for a short name.
 */
void proc_comm_unshare(struct proc *p);

/* Frees what p owns (cmdline, cgroup, a long name) and leaves it empty. */
void proc_fini(struct proc *p);

#endif
