/* The OOM knobs and counter (see knobs.h): where each one lives, read and parsed. */
#include "collect/knobs.h"

#include <string.h>

#include "collect/parse_knobs.h"
#include "collect/procfs.h"

enum root { R_PROC, R_SYS };

static const struct {
	enum root root;
	const char *path;
} where[KN_NUM] = {
	[KN_OVERCOMMIT_MEMORY] = { R_PROC, "sys/vm/overcommit_memory" },
	[KN_OVERCOMMIT_RATIO] = { R_PROC, "sys/vm/overcommit_ratio" },
	[KN_OVERCOMMIT_KBYTES] = { R_PROC, "sys/vm/overcommit_kbytes" },
	[KN_SWAPPINESS] = { R_PROC, "sys/vm/swappiness" },
	[KN_MIN_FREE_KBYTES] = { R_PROC, "sys/vm/min_free_kbytes" },
	[KN_WATERMARK_SCALE_FACTOR] = { R_PROC, "sys/vm/watermark_scale_factor" },
	[KN_PANIC_ON_OOM] = { R_PROC, "sys/vm/panic_on_oom" },
	[KN_OOM_KILL_ALLOCATING_TASK] = { R_PROC, "sys/vm/oom_kill_allocating_task" },
	[KN_THP_ENABLED] = { R_SYS, "kernel/mm/transparent_hugepage/enabled" },
	[KN_THP_DEFRAG] = { R_SYS, "kernel/mm/transparent_hugepage/defrag" },
	[KN_ZSWAP_ENABLED] = { R_SYS, "module/zswap/parameters/enabled" },
	[KN_ZSWAP_MAX_POOL_PERCENT] = { R_SYS, "module/zswap/parameters/max_pool_percent" },
	[KN_ZSWAP_POOL_KIB] = { R_PROC, "meminfo" },
};

static int
read_one(int fd, enum knob i, struct buf *b, struct knobs *k)
{
	uint64_t kib;
	int rc;

	if (fd < 0 || procfs_read(fd, where[i].path, b) != 0)
		return -1;
	switch (i) {
	case KN_ZSWAP_POOL_KIB:
		rc = parse_meminfo_key(b->data, b->len, "Zswap", &kib);
		k->val[i] = (int64_t)kib;
		return rc;
	case KN_THP_ENABLED:
	case KN_THP_DEFRAG:
		return parse_knob_choice(b->data, b->len, k->text[i], sizeof k->text[i]);
	case KN_ZSWAP_ENABLED:
		return parse_knob_bool(b->data, b->len, &k->val[i]);
	default:
		rc = parse_knob_int(b->data, b->len, &k->val[i]);
		if (rc == 0 && knob_info[i].kind == KNOB_KIB && k->val[i] < 0)
			rc = -1;
		return rc;
	}
}

void
knobs_read(int proc_fd, int sys_fd, struct buf *scratch, struct knobs *k)
{
	memset(k, 0, sizeof *k);
	for (int i = 0; i < KN_NUM; i++) {
		int fd = where[i].root == R_PROC ? proc_fd : sys_fd;
		if (read_one(fd, (enum knob)i, scratch, k) == 0)
			k->known |= 1u << i;
		else
			k->val[i] = 0;
	}
	/* without zswap loaded there is no pool (meminfo may still say Zswap: 0 kB) */
	if (!knob_known(k, KN_ZSWAP_ENABLED))
		k->known &= ~(1u << KN_ZSWAP_POOL_KIB);
}

void
oom_counter_read(int proc_fd, struct buf *scratch, struct oom_events *e)
{
	e->vmstat_known = procfs_read(proc_fd, "vmstat", scratch) == 0 &&
			  parse_vmstat_key(scratch->data, scratch->len, "oom_kill",
					   &e->vmstat_kills) == 0;
	if (!e->vmstat_known)
		e->vmstat_kills = 0;
}
