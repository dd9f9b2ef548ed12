/*
 * The kernel settings that decide when the OOM killer comes: overcommit,
 * swappiness, reserves, what an OOM does, transparent huge pages and zswap.
 * Plain data filled by collect/knobs.c; a knob whose bit is clear in `known`
 * was unreadable or is absent on this kernel (shown as unavailable). The
 * table knob_info gives each one's sysctl name and a one-line meaning; no
 * paths here (the collector knows where each one lives).
 */
#ifndef SMAPTOP_KNOBS_H
#define SMAPTOP_KNOBS_H

#include <stdbool.h>
#include <stdint.h>

enum knob {
	KN_OVERCOMMIT_MEMORY,
	KN_OVERCOMMIT_RATIO,          /* percent of RAM (with swap) for CommitLimit */
	KN_OVERCOMMIT_KBYTES,         /* KiB; replaces the ratio when not 0 */
	KN_SWAPPINESS,
	KN_MIN_FREE_KBYTES,
	KN_WATERMARK_SCALE_FACTOR,    /* ten-thousandths of memory */
	KN_PANIC_ON_OOM,
	KN_OOM_KILL_ALLOCATING_TASK,
	KN_THP_ENABLED,               /* text: the bracketed choice */
	KN_THP_DEFRAG,                /* text */
	KN_ZSWAP_ENABLED,             /* 0 or 1 */
	KN_ZSWAP_MAX_POOL_PERCENT,
	KN_ZSWAP_POOL_KIB,            /* meminfo Zswap: compressed pool in use */
	KN_NUM
};

enum knob_kind { KNOB_INT, KNOB_KIB, KNOB_TEXT, KNOB_BOOL };

struct knob_info {
	const char *name;    /* as sysctl or sysfs calls it */
	const char *key;     /* CSV/JSON key, unit in the name */
	enum knob_kind kind;
	const char *meaning; /* one line */
};

extern const struct knob_info knob_info[KN_NUM];

#define KNOB_TEXT_MAX 24

struct knobs {
	uint32_t known;                  /* bit per enum knob */
	int64_t val[KN_NUM];              /* KNOB_INT, KNOB_KIB, KNOB_BOOL */
	char text[KN_NUM][KNOB_TEXT_MAX]; /* KNOB_TEXT: the chosen word */
};

static inline bool
knob_known(const struct knobs *k, enum knob i)
{
	return k->known >> i & 1;
}

/*
 * One line on what value v of knob i does (overcommit_memory, panic_on_oom,
 * oom_kill_allocating_task), or NULL where the knob's meaning says it all.
 */
const char *knob_value_meaning(enum knob i, int64_t v);

#endif
