/* Names and meanings of the OOM-related kernel settings (see knobs.h). */
#include "model/knobs.h"

#include <stddef.h>

const struct knob_info knob_info[KN_NUM] = {
	[KN_OVERCOMMIT_MEMORY] = { "vm.overcommit_memory", "overcommit_memory", KNOB_INT,
		"which allocations are refused: 0 heuristic, 1 none, 2 beyond CommitLimit" },
	[KN_OVERCOMMIT_RATIO] = { "vm.overcommit_ratio", "overcommit_ratio_pct", KNOB_INT,
		"mode 2: CommitLimit = swap + this % of RAM (when overcommit_kbytes is 0)" },
	[KN_OVERCOMMIT_KBYTES] = { "vm.overcommit_kbytes", "overcommit_kbytes_kib", KNOB_KIB,
		"mode 2: CommitLimit = swap + this much RAM (0: the ratio counts)" },
	[KN_SWAPPINESS] = { "vm.swappiness", "swappiness", KNOB_INT,
		"0-200: how readily anonymous memory is swapped rather than cache dropped" },
	[KN_MIN_FREE_KBYTES] = { "vm.min_free_kbytes", "min_free_kib", KNOB_KIB,
		"kept free (the min watermark): below it allocations must reclaim first" },
	[KN_WATERMARK_SCALE_FACTOR] = { "vm.watermark_scale_factor", "watermark_scale_factor",
		KNOB_INT, "watermark gaps in 1/10000 of RAM: higher wakes kswapd earlier" },
	[KN_PANIC_ON_OOM] = { "vm.panic_on_oom", "panic_on_oom", KNOB_INT,
		"0 kill a process; 1 panic unless confined (cgroup, cpuset); 2 always panic" },
	[KN_OOM_KILL_ALLOCATING_TASK] = { "vm.oom_kill_allocating_task",
		"oom_kill_allocating_task", KNOB_INT,
		"1: kill the task that asked for memory, not the highest oom_score" },
	[KN_THP_ENABLED] = { "transparent_hugepage/enabled", "thp_enabled", KNOB_TEXT,
		"which anonymous memory gets 2 MiB pages: always, madvise (asked), never" },
	[KN_THP_DEFRAG] = { "transparent_hugepage/defrag", "thp_defrag", KNOB_TEXT,
		"whether a fault stalls to compact memory for a huge page" },
	[KN_ZSWAP_ENABLED] = { "zswap/enabled", "zswap_enabled", KNOB_BOOL,
		"whether swapped pages are first kept compressed in RAM" },
	[KN_ZSWAP_MAX_POOL_PERCENT] = { "zswap/max_pool_percent", "zswap_max_pool_pct", KNOB_INT,
		"most of RAM the compressed pool may take, in percent" },
	[KN_ZSWAP_POOL_KIB] = { "zswap pool (meminfo Zswap)", "zswap_pool_kib", KNOB_KIB,
		"RAM the compressed pool takes now" },
};

const char *
knob_value_meaning(enum knob i, int64_t v)
{
	switch (i) {
	case KN_OVERCOMMIT_MEMORY:
		return v == 0 ? "heuristic: only an allocation bigger than RAM + swap is refused"
		       : v == 1 ? "always overcommit: no allocation refused, the OOM killer instead"
		       : v == 2 ? "strict: commits beyond CommitLimit are refused" : NULL;
	case KN_PANIC_ON_OOM:
		return v == 0 ? "an OOM kills a process"
		       : v == 1 ? "a machine-wide OOM panics; a cgroup's or cpuset's kills"
		       : v == 2 ? "every OOM panics, a cgroup's too" : NULL;
	case KN_OOM_KILL_ALLOCATING_TASK:
		return v == 0 ? "the process with the highest oom_score is killed"
			      : "the task that asked for memory is killed";
	default:
		return NULL;
	}
}
