/*
 * The cgroup collector: where the memory controller is mounted, the memory
 * cgroup of a process (/proc/PID/cgroup), and the values of each cgroup of a
 * table, every file read once per cgroup per refresh (never per process).
 * Paths are relative to the proc and sys roots, so fixture trees stand in.
 *
 * The memory controller is looked for where systemd and every distribution
 * mount it: v1 at <sys>/fs/cgroup/memory, v2 at <sys>/fs/cgroup (unified) or
 * <sys>/fs/cgroup/unified (hybrid) when that hierarchy's cgroup.controllers
 * lists `memory`. A cgroup directory that cannot be found or read leaves its
 * values unavailable. Never prints.
 */
#ifndef SMAPTOP_COLLECT_CGROUP_H
#define SMAPTOP_COLLECT_CGROUP_H

#include <sys/types.h>

#include "model/cgroup.h"
#include "util/buf.h"

struct cgreader;

/* proc_fd, sys_fd: open root directories (borrowed; sys_fd may be < 0: no values). */
int cgreader_new(struct cgreader **out, int proc_fd, int sys_fd);
void cgreader_free(struct cgreader *r);

/*
 * The memory cgroup path of pid (0: smaptop itself) as an owned string in
 * *path, and the version its line said. 0, or a negative errno (-ESRCH: gone).
 */
int cgreader_proc(struct cgreader *r, pid_t pid, char **path, enum cg_version *version);

/*
 * Adds smaptop's own cgroup to ct (ct->self), sets ct->version, and reads the
 * values of every entry. 0, or a negative errno when not even smaptop's
 * cgroup is known (the values of the entries are read anyway).
 */
int cgreader_read(struct cgreader *r, struct cgtable *ct);

/*
 * The memory files of one cgroup directory (dirfd) of version v into cg:
 * values and known bits are rebuilt, but for the settings (CG_SLOW) when
 * cg->keep_slow says they were carried over (their files are not read then).
 * Returns how many files were read.
 */
int cgroup_read_dir(int dirfd, enum cg_version v, struct cgroup *cg, struct buf *scratch);

#endif
