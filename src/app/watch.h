/*
 * The processes named with -p, watched across the samples of a stream, so
 * that when one goes smaptop can say how: "PID 123 (name) was killed by the
 * OOM killer at 14:03:21" when the kernel log has its kill (same pid and
 * comm, logged around when it was last seen; see oomlog_match), else
 * "PID 123 (name) exited" (or, when the log cannot be read, that it exited or
 * was killed). Pure: messages go into a buffer for main().
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
	bool seen, gone;
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
 * msg one line ("smaptop: PID ... \n") for each one seen before and missing
 * now. Returns how many lines it appended.
 */
size_t watch_update(struct watch *w, const struct table *t, struct buf *msg);

#endif
