/*
 * libproc2 adapter: enumerates processes and copies the cheap per-process
 * fields (stat, status, oom_score, oom_score_adj, cmdline) into struct proc.
 * No libproc2 pointer outlives a call. libproc2 zero-fills what it could not
 * read; the rules that turn that back into "unavailable" live here.
 */
#ifndef SMAPTOP_PROCS_H
#define SMAPTOP_PROCS_H

#include <stdbool.h>

#include "model/sample.h"

struct procs;

/* proc_fd: an open /proc directory, used to recover exact command names. */
int procs_new(struct procs **out, int proc_fd);
void procs_free(struct procs *p);

/* Appends every process to s (see source.h scan). 0 or negative errno. */
int procs_scan(struct procs *p, struct sample *s, bool want_cmdline);

#endif
