/*
 * System-wide memory state: /proc/meminfo, swap devices, memory pressure and
 * NUMA nodes. Plain data filled by collectors. Values are KiB unless the name
 * says otherwise; a value with its bit clear in `known` is unavailable.
 */
#ifndef SMAPTOP_SYSTEM_H
#define SMAPTOP_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "model/knobs.h"
#include "model/oomkill.h"

enum mem_field {
	M_TOTAL,
	M_FREE,
	M_AVAILABLE,
	M_USED,       /* total - available */
	M_BUFFERS,
	M_CACHED,
	M_SHMEM,
	M_SLAB,
	M_SLAB_RECLAIM,
	M_ANON,
	M_MAPPED,
	M_PAGE_TABLES,
	M_COMMITTED,  /* Committed_AS */
	M_COMMIT_LIMIT,
	M_SWAP_TOTAL,
	M_SWAP_FREE,
	M_SWAP_USED,
	M_SWAP_CACHED,
	M_DIRTY,
	M_HUGE_TOTAL, /* pages */
	M_HUGE_FREE,  /* pages */
	M_HUGE_SIZE,  /* KiB per huge page */
	M_THP,        /* AnonHugePages */
	M_NUM
};

struct swapdev {
	char path[256];    /* raw bytes as /proc/swaps shows them (octal escapes undone) */
	char type[16];     /* partition, file */
	uint64_t size_kib;
	uint64_t used_kib;
	int priority;
};

/* One line of /proc/pressure/memory: avg in hundredths of a percent, total in us. */
struct psi_line {
	uint32_t avg10, avg60, avg300;
	uint64_t total_us;
};

struct psi {
	bool known;
	bool full_known;
	struct psi_line some, full;
};

/* Per-node values in KiB, from /sys/devices/system/node/nodeN/meminfo. */
enum node_field {
	N_TOTAL,
	N_FREE,
	N_USED,
	N_FILE,       /* FilePages */
	N_ANON,       /* AnonPages */
	N_SHMEM,
	N_SLAB,
	N_HUGE_TOTAL, /* pages */
	N_HUGE_FREE,  /* pages */
	N_NUM
};

#define NODE_MAX 64  /* highest node id smaptop tracks; beyond it nodes are folded away */

struct node {
	int id;
	uint32_t known;  /* bit per enum node_field */
	uint64_t val[N_NUM];
	uint8_t distance[NODE_MAX]; /* SLIT units to node j (10 = local); 0 = unknown */
};

struct sysmem {
	uint64_t val[M_NUM];
	uint32_t known;  /* bit per enum mem_field */
	struct swapdev *swaps; /* owned */
	int nswaps;
	struct psi psi;
	struct node *nodes;    /* owned, sorted by id */
	int nnodes;
	bool numa;             /* the kernel has NUMA support */
	struct oom_events oom; /* SYS_OOM: the kill counter, kills logged since last time */
	struct knobs knobs;    /* SYS_KNOBS: the settings that decide OOMs */
};

void sysmem_fini(struct sysmem *s);

#endif
