/*
 * The live source (see live.h): the processes and their files here, the
 * machine-wide files in sysread.c, the cgroups in cgroup.c. Every file is
 * read once per request into a buffer owned by the source and reused, and
 * parsed in place; smaps, the one file that can be tens of MB, goes through
 * that buffer in fixed pieces.
 */
#include "collect/live.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect/cgroup.h"
#include "collect/parse.h"
#include "collect/procfs.h"
#include "collect/procs.h"
#include "collect/sysread.h"
#include "util/xalloc.h"

struct live {
	struct source base;
	int proc_fd, sys_fd;
	bool fixture_proc;
	struct procs *procs;
	struct cgreader *cg;
	struct sysreader *sys;
	struct buf buf;        /* the scratch of every read, sysread's too */
};

uint64_t
source_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
live_scan(struct source *src, struct sample *s, const pid_t *pids, size_t npids, bool light)
{
	struct live *l = (struct live *)src;
	struct timespec wall;

	s->now_ms = source_now_ms();
	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
	return procs_scan(l->procs, s, pids, npids, light);
}

static int
live_status(struct source *src, struct proc *const *procs, size_t n)
{
	return procs_status(((struct live *)src)->procs, procs, n);
}

static int
live_details(struct source *src, struct proc *p, unsigned what)
{
	struct live *l = (struct live *)src;
	int rc = procs_details(l->procs, p, what & ~(unsigned)DETAIL_CGROUP);
	enum cg_version v;

	if (rc == 0 && (what & DETAIL_CGROUP)) {
		free(p->cgroup);
		p->cgroup = NULL;
		p->known &= ~FIELD_BIT(F_CGROUP);
		/* unreadable (another root, a kernel without cgroups): unknown, not gone */
		if (cgreader_proc(l->cg, (pid_t)proc_val(p, F_PID), &p->cgroup, &v) == 0)
			p->known |= FIELD_BIT(F_CGROUP);
	}
	return rc;
}

static int
live_cgroups(struct source *src, struct cgtable *ct)
{
	return cgreader_read(((struct live *)src)->cg, ct);
}

/* Maps open/read errors of per-process files to the source contract. */
static int
pid_errno(int rc)
{
	return rc == -ENOENT || rc == -ESRCH ? -ESRCH : rc;
}

static int
read_pid_file(struct live *l, pid_t pid, const char *name)
{
	char path[64];

	snprintf(path, sizeof path, "%d/%s", (int)pid, name);
	int rc = pid_errno(procfs_read(l->proc_fd, path, &l->buf));
	if (rc == 0 && l->buf.len == 0)
		rc = -ENODATA;
	return rc;
}

static int
live_rollup(struct source *src, struct proc *p)
{
	struct live *l = (struct live *)src;
	int rc = read_pid_file(l, (pid_t)proc_val(p, F_PID), "smaps_rollup");

	p->pss_ms = proc_stamp(source_now_ms());
	p->known &= ~ROLLUP_FIELDS;
	p->flags &= (uint16_t)~PROC_ROLLUP_DENIED;
	if (rc == -EACCES || rc == -EPERM)
		p->flags |= PROC_ROLLUP_DENIED;
	if (rc < 0)
		return rc;
	return parse_rollup(l->buf.data, l->buf.len, p);
}

/* Read size for smaps: few enough system calls, small enough to stay in cache. */
#define SMAPS_CHUNK (128 * 1024)

static void
feed_smaps(void *sp, const char *piece, size_t len)
{
	smaps_feed(sp, piece, len);
}

/*
 * smaps is parsed as it is read: memory holds the maplist, not the ~37 MB of
 * text. A process that exits during the read cuts the file short with no
 * error; procfs_read_mm_chunks tells (-ESTALE), and nothing of the cut list
 * is kept. smaps_rollup is read right after when totals are asked for, for
 * the kernel's own totals (maps.h); without it (an old kernel, a fixture
 * tree) they stay unknown.
 */
static int
live_maps(struct source *src, pid_t pid, struct maplist *m, bool totals)
{
	struct live *l = (struct live *)src;
	struct smaps_parser sp;
	char path[64];
	int rc, prc;

	snprintf(path, sizeof path, "%d/smaps", (int)pid);
	buf_clear(&l->buf);
	buf_reserve(&l->buf, SMAPS_CHUNK);
	smaps_begin(&sp, m);
	rc = procfs_read_mm_chunks(l->proc_fd, path, l->buf.data, SMAPS_CHUNK, feed_smaps, &sp);
	prc = smaps_end(&sp);
	buf_clear(&l->buf);
	if (rc < 0) {
		maplist_clear(m);
		return pid_errno(rc);
	}
	if (totals && prc == 0 && read_pid_file(l, pid, "smaps_rollup") == 0)
		parse_smaps_totals(l->buf.data, l->buf.len, m->rollup, &m->rollup_known);
	return prc;
}

/*
 * numa_maps, like smaps, ends early when the process exits during the read:
 * a cut file is -ESTALE, not a smaller process. A count out of range makes
 * the whole reading unavailable (parse_numa_maps: -ERANGE).
 */
static int
live_numa(struct source *src, pid_t pid, uint64_t *node_kib, int max_nodes)
{
	struct live *l = (struct live *)src;
	char path[64];
	int rc;

	snprintf(path, sizeof path, "%d/numa_maps", (int)pid);
	rc = pid_errno(procfs_read_mm(l->proc_fd, path, &l->buf));
	if (rc == 0 && l->buf.len == 0)
		rc = -ENODATA;
	memset(node_kib, 0, (size_t)max_nodes * sizeof *node_kib);
	if (rc < 0)
		return rc;
	rc = parse_numa_maps(l->buf.data, l->buf.len, node_kib, max_nodes, NULL);
	if (rc < 0)
		memset(node_kib, 0, (size_t)max_nodes * sizeof *node_kib);
	return rc;
}

static int
live_system(struct source *src, struct sysmem *sys, unsigned parts)
{
	return sysreader_read(((struct live *)src)->sys, sys, parts);
}

/*
 * A process /proc does not show us (hidepid) still exists for kill(): signal
 * 0 checks only that, and is refused (EPERM) for another user's process. A
 * fixture tree hides nothing.
 */
static int
live_pid_hidden(struct source *src, pid_t pid)
{
	struct live *l = (struct live *)src;
	char path[32];

	if (l->fixture_proc || pid <= 0)
		return 0;
	snprintf(path, sizeof path, "%d/stat", (int)pid);
	if (faccessat(l->proc_fd, path, R_OK, 0) == 0)
		return 0; /* shown after all */
	return kill(pid, 0) == 0 || errno == EPERM;
}

static void
live_free(struct source *src)
{
	struct live *l = (struct live *)src;

	if (!l)
		return;
	procs_free(l->procs);
	sysreader_free(l->sys);
	cgreader_free(l->cg);
	if (l->proc_fd >= 0)
		close(l->proc_fd);
	if (l->sys_fd >= 0)
		close(l->sys_fd);
	buf_fini(&l->buf);
	free(l);
}

int
live_boot_id(struct source *src, char *out, size_t size)
{
	struct live *l = (struct live *)src;
	char id[BOOT_ID_LEN + 1];
	int rc = procfs_read(l->proc_fd, "sys/kernel/random/boot_id", &l->buf);

	if (size)
		out[0] = '\0';
	if (rc == 0)
		rc = parse_boot_id(l->buf.data, l->buf.len, id);
	if (rc == 0 && size > BOOT_ID_LEN)
		memcpy(out, id, BOOT_ID_LEN + 1);
	return rc;
}

static const struct source_ops live_ops = {
	.scan = live_scan,
	.status = live_status,
	.details = live_details,
	.rollup = live_rollup,
	.system = live_system,
	.maps = live_maps,
	.numa = live_numa,
	.cgroups = live_cgroups,
	.pid_hidden = live_pid_hidden,
	.free = live_free,
};

int
live_new(struct source **out, const struct live_opts *o)
{
	struct live *l = xcalloc(1, sizeof *l);
	int rc;

	l->base.ops = &live_ops;
	l->sys_fd = -1;
	l->fixture_proc = o->proc_root && strcmp(o->proc_root, "/proc") != 0;
	l->proc_fd = procfs_open_root(o->proc_root ? o->proc_root : "/proc");
	if (l->proc_fd < 0) {
		rc = l->proc_fd;
		goto fail;
	}
	l->sys_fd = procfs_open_root(o->sys_root ? o->sys_root : "/sys");
	rc = procs_new(&l->procs, l->proc_fd);
	if (rc < 0)
		goto fail;
	cgreader_new(&l->cg, l->proc_fd, l->sys_fd);
	sysreader_new(&l->sys, l->proc_fd, l->sys_fd, l->fixture_proc,
		      o->sys_root && strcmp(o->sys_root, "/sys") != 0, &l->buf);
	*out = &l->base;
	return 0;
fail:
	live_free(&l->base);
	return rc;
}
