/*
 * A recording read as per-process series, for the live view (--history) and
 * for whoever wants a process's past beyond the in-memory rings (graphs, the
 * leak estimator). A process is named as the recorder names it: boot id, pid
 * and start time in clock ticks, so a reused PID is never mistaken for the
 * process that had it before. The file is opened read-only; a recorder may
 * be appending meanwhile, and every query sees what it had committed.
 */
#ifndef SMAPTOP_STORE_HISTORY_H
#define SMAPTOP_STORE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "util/buf.h"

/*
 * One recorded value: the value of the field from t_ms until the next point
 * (the store writes a row only when something changed). known false: it was
 * recorded as unavailable.
 */
struct series_point {
	int64_t t_ms;   /* milliseconds since the epoch */
	int64_t value;  /* KiB for memory fields */
	bool known;
};

struct series {
	struct series_point *v; /* owned; by time */
	size_t n, cap;
	int64_t until_ms;       /* the last recorded sample the process was alive in; 0: none */
};

struct history;

/* Opens path read-only. -ENOENT, -EACCES, -EINVAL, -EPROTO as for replay; err gets one line. */
int history_open(struct history **out, const char *path, struct buf *err);
void history_close(struct history *h);

/*
 * The recorded series of field f (one of those proc_value holds: memory
 * values, oom_score, oom_score_adj, minflt, majflt, threads; else -EINVAL)
 * of the process (boot_id, pid, start_ticks) between from_ms and to_ms. The
 * first point is the value in effect at from_ms (stamped with the time it was
 * recorded, which may be earlier). out is cleared first; an unknown process
 * gives 0 points and returns 0. -EIO on a read error.
 */
int history_series(struct history *h, const char *boot_id, pid_t pid, uint64_t start_ticks,
		   enum field f, int64_t from_ms, int64_t to_ms, struct series *out);
void series_fini(struct series *s);

#endif
