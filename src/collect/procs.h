/*
 * The process reader: enumerates the live /proc and copies the fields of
 * stat, and of status unless the scan is light, into struct proc; reads
 * status for chosen processes, and oom_score, oom_score_adj and cmdline, on
 * request. What a file does not hold, or holds in a form the kernel does not
 * write, is left unavailable (collect/parse.h).
 */
#ifndef SMAPTOP_PROCS_H
#define SMAPTOP_PROCS_H

#include <stdbool.h>

#include "model/sample.h"
#include "model/source.h"

struct procs;

/*
 * proc_fd: the root the other files of a process are read from (oom_score,
 * oom_score_adj, cmdline): /proc, or a fixture tree. The process list, stat
 * and status come from the live /proc whatever proc_fd is. -errno when
 * /proc cannot be opened.
 */
int procs_new(struct procs **out, int proc_fd);
void procs_free(struct procs *p);

/* Appends every process, or those of pids, to s (see source.h scan). 0 or negative errno. */
int procs_scan(struct procs *p, struct sample *s, const pid_t *pids, size_t npids, bool light);

/* Reads status for procs[0..n), sorted by pid (see source.h status). */
int procs_status(struct procs *p, struct proc *const *procs, size_t n);

/*
 * Reads the parts of p named by what (enum detail; see source.h details).
 * oom_score outside 0..2000 and oom_score_adj outside -1000..1000 (what the
 * kernel can give) are unavailable, as is a number that does not parse.
 */
int procs_details(struct procs *p, struct proc *proc, unsigned what);

#endif
