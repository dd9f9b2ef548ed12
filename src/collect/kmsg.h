/*
 * Reading the kernel log for OOM kills. The log is opened once, non-blocking:
 * the first read takes the whole ring buffer (kills from before smaptop
 * started), each later one only the records logged since. Never prints; a log
 * that cannot be opened is reported once, by the error kmsg_new returns.
 */
#ifndef SMAPTOP_KMSG_H
#define SMAPTOP_KMSG_H

#include <stdbool.h>
#include <stdint.h>

#include "model/oomkill.h"

struct kmsg;

/*
 * Opens path relative to dirfd (the live source passes "/dev/kmsg"; a fixture
 * tree a plain file of records in the same format); *out is owned, released
 * with kmsg_free (a no-op on NULL). boot_ms: wall time of
 * boot in ms since the epoch, to date the records (boot_known false: kills
 * stay undated). Returns 0, or -EPERM/-EACCES (dmesg_restrict without
 * CAP_SYSLOG), -ENOENT (no such device, e.g. in a container), other -errno.
 */
int kmsg_new(struct kmsg **out, int dirfd, const char *path, int64_t boot_ms, bool boot_known);

/*
 * Reads every record available now and appends the kills among them to e
 * (in log order). Records overwritten before they were read (EPIPE) are
 * skipped. Returns 0, or a negative errno of read(2) other than EAGAIN.
 */
int kmsg_read_new(struct kmsg *k, struct oom_events *e);

/* Records lost to overwriting so far (EPIPE reads). */
unsigned long kmsg_lost(const struct kmsg *k);

void kmsg_free(struct kmsg *k);

#endif
