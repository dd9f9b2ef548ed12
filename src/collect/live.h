/*
 * The live source: our own readers and parsers for every /proc and /sys file,
 * libnuma for topology. See model/source.h for the operations.
 */
#ifndef SMAPTOP_LIVE_H
#define SMAPTOP_LIVE_H

#include <stdbool.h>

#include "model/source.h"

struct live_opts {
	const char *proc_root;  /* NULL: "/proc" */
	const char *sys_root;   /* NULL: "/sys"; a fixture tree replaces libnuma too */
};

/*
 * Opens the live source. Returns 0, or a negative errno (-ENOENT: no /proc).
 */
int live_new(struct source **out, const struct live_opts *o);

/*
 * This boot's id (proc/sys/kernel/random/boot_id under the source's proc
 * root) into out, NUL-terminated. -ENOENT, -EINVAL (malformed) and the like;
 * out is then empty.
 */
int live_boot_id(struct source *src, char *out, size_t size);

#endif
