/*
 * The processes named with -p, watched across the samples of a stream, so
 * that when the OOM killer kills one smaptop can say so: "PID 123 (name) was
 * killed by the OOM killer at 14:03:21", when the kernel log has its kill
 * (same pid and comm, logged around when it was last seen; see oomlog_match).
 * Processes that exit otherwise are left to pidfate.h's message. Pure:
 * messages go into a buffer for main().
 */
#ifndef SMAPTOP_WATCH_H
#define SMAPTOP_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "model/table.h"
#include "util/buf.h"

struct watched {
	pid_t pid;
	bool seen, gone, killed;
	int64_t seen_ms;           /* wall time it was last seen alive */
	char comm[PROC_COMM_MAX];
};

struct watch {
	struct watched *v;         /* owned */
	size_t n;
};

void watch_init(struct watch *w, const pid_t *pids, size_t n);
void watch_fini(struct watch *w);

/*
 * After a refresh of t: notes the watched processes present, and appends to
 * msg one line ("smaptop: PID ... was killed by the OOM killer at ...\n") for
 * each one seen before, missing now, and found among t's OOM kills. Returns
 * how many lines it appended.
 */
size_t watch_update(struct watch *w, const struct table *t, struct buf *msg);

/* True when every watched process has gone and each was said to be killed. */
bool watch_all_killed(const struct watch *w);

#endif
