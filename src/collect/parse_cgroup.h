/*
 * Pure parsers for the cgroup files: /proc/PID/cgroup and the memory
 * controller's files of one cgroup directory, v2 (memory.current, .max, .high,
 * .low, .min, .swap.current, .swap.max, .events, .stat, .oom.group; .pressure
 * goes through parse_psi) and v1 (memory.usage_in_bytes, .limit_in_bytes,
 * .soft_limit_in_bytes, .memsw.*, .failcnt, .oom_control, .stat).
 *
 * The common rules of parse.h hold (buffers need not be NUL-terminated, keys
 * matched by name, an unterminated last line is dropped, nothing wraps), and:
 *   - "no limit" is a flag, never a number: v2's `max`, and v1's LONG_MAX
 *     rounded down to a page (9223372036854771712 with 4 KiB pages, any value
 *     from LONG_MAX rounded down to 64 KiB up);
 *   - bytes become KiB rounded down; a byte count past 2^63 is -ERANGE.
 */
#ifndef SMAPTOP_PARSE_CGROUP_H
#define SMAPTOP_PARSE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cgroup.h"
#include "util/buf.h"

/* From this byte count up, a v1 limit means "no limit" (LONG_MAX rounded to 64 KiB). */
#define CG_V1_NOLIMIT_BYTES (UINT64_C(0x7fffffffffffffff) & ~UINT64_C(0xffff))

/*
 * /proc/PID/cgroup: the path of the memory controller's cgroup into *path
 * (replaced; raw bytes, as the kernel gives them). A v1 line naming `memory`
 * among its controllers wins (v1 and hybrid systems: *version CG_V1); else the
 * v2 line `0::PATH` (*version CG_V2). Returns 0, -ENODATA for an empty buffer
 * (a kernel thread's file is not empty, a gone process's is), -EINVAL when
 * neither line is there or the path does not start with '/'.
 */
int parse_proc_cgroup(const char *buf, size_t len, struct buf *path, enum cg_version *version);

/*
 * A one-value file of bytes (memory.current, memory.max, memory.usage_in_bytes,
 * memory.limit_in_bytes, ...): *kib, or *nolimit for `max` and v1's no-limit
 * value (then *kib is 0). Returns 0, -ENODATA (empty), -EINVAL (not a number
 * alone on its line), -ERANGE (past 2^63 bytes, and not a no-limit value).
 */
int parse_cg_bytes(const char *buf, size_t len, uint64_t *kib, bool *nolimit);

/* A one-value file holding a count (memory.failcnt, memory.oom.group). As above, no `max`. */
int parse_cg_count(const char *buf, size_t len, uint64_t *count);

/*
 * v2 memory.events: low, high, max, oom, oom_kill into CG_EV_LOW, CG_EV_HIGH,
 * CG_EV_MAX, CG_EV_OOM, CG_OOM_KILLS of cg (known bits set for those found).
 * Returns 0 when one was found, -ENODATA (empty) or -EINVAL.
 */
int parse_cg_events(const char *buf, size_t len, struct cgroup *cg);

/* v1 memory.oom_control: under_oom, oom_kill (CG_UNDER_OOM, CG_OOM_KILLS). As above. */
int parse_cg_oom_control(const char *buf, size_t len, struct cgroup *cg);

/*
 * memory.stat, bytes: v2 anon, file, kernel, shmem, sock, inactive_file; v1
 * the hierarchical totals total_rss, total_cache, total_shmem,
 * total_inactive_file (the plain ones stand in when the totals are missing).
 * As above.
 */
int parse_cg_stat(const char *buf, size_t len, enum cg_version v, struct cgroup *cg);

#endif
