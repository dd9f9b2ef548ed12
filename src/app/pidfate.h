/*
 * What to tell the user about a PID asked for (-p, --maps) that smaptop cannot
 * show: absent, a kernel thread left out without --all, hidden by /proc's
 * hidepid, gone since, or refused. The messages say what happened and, where
 * something would help, what: never advice that cannot work for who is
 * running (root is not told to run as root). Messages are one line without the
 * "smaptop: " prefix or a newline, for main() to print. No output here.
 */
#ifndef SMAPTOP_PIDFATE_H
#define SMAPTOP_PIDFATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/source.h"
#include "util/buf.h"

enum pid_fate {
	PID_SHOWN,   /* a process the list shows (it appeared after all) */
	PID_ABSENT,  /* no such process */
	PID_KTHREAD, /* a kernel thread: shown with --all */
	PID_HIDDEN,  /* exists, but /proc hides it from this user (hidepid) */
};

/* Finds out why pid is not in the list: one scan of that pid, then src's pid_hidden. */
enum pid_fate pid_fate(struct source *src, pid_t pid);

/*
 * Appends why pid, asked for with -p, is missing at the first sample, and
 * returns the exit status: 2 for a PID that is absent or a kernel thread (the
 * command line asks for something that is not there), 1 when it is hidden (it
 * exists, but cannot be read); 0 and nothing appended when it is shown. all:
 * kernel threads are shown too (--all).
 */
int pid_missing(struct source *src, pid_t pid, bool all, struct buf *msg);

/* "the selected process 12 exited", "the selected processes 12, 34 and 56 exited". */
void pids_exited(const pid_t *pids, size_t n, struct buf *msg);

/*
 * Why --maps was refused for pid (EACCES/EPERM): `root` the reader is root,
 * `own` the process belongs to the reader's effective uid (so it is not
 * dumpable, or runs with other credentials), `owner_known` whether `own` is
 * known at all.
 */
void maps_denied(pid_t pid, bool root, bool owner_known, bool own, struct buf *msg);

#endif
