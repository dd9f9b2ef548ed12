/*
 * Reads the OOM knobs (model/knobs.h) and the kernel's OOM kill counter from
 * a /proc and a /sys root (fixture trees work as the real ones). A file that
 * is missing or unreadable leaves its knob unknown; nothing here fails.
 */
#ifndef SMAPTOP_COLLECT_KNOBS_H
#define SMAPTOP_COLLECT_KNOBS_H

#include "model/knobs.h"
#include "model/oomkill.h"
#include "util/buf.h"

/* Fills k (cleared first). scratch: a buffer to read files into. */
void knobs_read(int proc_fd, int sys_fd, struct buf *scratch, struct knobs *k);

/* Sets e->vmstat_kills from /proc/vmstat oom_kill (Linux 4.13 and later). */
void oom_counter_read(int proc_fd, struct buf *scratch, struct oom_events *e);

#endif
