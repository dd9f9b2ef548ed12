/*
 * libproc2 adapter: enumerates processes and copies the fields of stat, and of
 * status unless the scan is light, into struct proc; reads status for chosen
 * processes, and oom_score, oom_score_adj and cmdline, on request.
 * No libproc2 pointer outlives a call. libproc2 zero-fills what it could not
 * read; the rules that turn that back into "unavailable" live here.
 */
#ifndef SMAPTOP_PROCS_H
#define SMAPTOP_PROCS_H

#include <stdbool.h>

#include "model/sample.h"
#include "model/source.h"

struct procs;

/*
 * proc_fd: an open /proc directory, used to recover exact command names.
 * one_pass: there will be one scan only (a snapshot): it takes the least memory.
 */
int procs_new(struct procs **out, int proc_fd, bool one_pass);
void procs_free(struct procs *p);

/* Appends every process, or those of pids, to s (see source.h scan). 0 or negative errno. */
int procs_scan(struct procs *p, struct sample *s, const pid_t *pids, size_t npids, bool light);

/* Reads status for procs[0..n), sorted by pid (see source.h status). */
int procs_status(struct proc *const *procs, size_t n);

/* Reads the parts of p named by what (enum detail; see source.h details). */
int procs_details(struct procs *p, struct proc *proc, unsigned what);

#endif
