/*
 * The live source (see live.h). Every file is read once per request into a
 * buffer owned by the source and reused, and parsed in place; smaps, the one
 * file that can be tens of MB, goes through that buffer in fixed pieces.
 *
 * meminfo: libproc2's select re-reads /proc/meminfo on every call (its _get
 * caches for a wall-clock second, which would show stale meters). With a
 * proc root other than /proc, our own parser reads the fixture instead.
 *
 * Nodes: with the real /sys, libnuma says which nodes exist and their
 * distances; node meminfo comes from our parser (libnuma only has total/free).
 * A fixture sys root is scanned directly, since libnuma cannot be redirected.
 */
#include "collect/live.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/meminfo.h>
#include <numa.h>

#include "collect/kmsg.h"
#include "collect/knobs.h"
#include "collect/cgroup.h"
#include "collect/parse.h"
#include "collect/parse_knobs.h"
#include "collect/procfs.h"
#include "collect/procs.h"
#include "util/xalloc.h"

struct live {
	struct source base;
	int proc_fd, sys_fd;
	bool fixture_proc, fixture_sys;
	struct procs *procs;
	struct cgreader *cg;
	struct meminfo_info *mi;
	struct buf buf;
	struct kmsg *kmsg;     /* NULL until first asked for, or when it cannot be read */
	int kmsg_err;          /* why it cannot (tried once) */
	bool kmsg_tried;
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
	(void)src;
	return procs_status(procs, n);
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
		if (cgreader_proc(l->cg, (pid_t)p->val[F_PID], &p->cgroup, &v) == 0)
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
	int rc = read_pid_file(l, (pid_t)p->val[F_PID], "smaps_rollup");

	p->pss_ms = source_now_ms();
	p->known &= ~ROLLUP_FIELDS;
	p->flags &= (uint8_t)~PROC_ROLLUP_DENIED;
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
meminfo_libproc2(struct live *l, struct sysmem *sys)
{
	static const enum meminfo_item items[M_NUM] = {
		[M_TOTAL] = MEMINFO_MEM_TOTAL, [M_FREE] = MEMINFO_MEM_FREE,
		[M_AVAILABLE] = MEMINFO_MEM_AVAILABLE, [M_USED] = MEMINFO_MEM_USED,
		[M_BUFFERS] = MEMINFO_MEM_BUFFERS, [M_CACHED] = MEMINFO_MEM_CACHED,
		[M_SHMEM] = MEMINFO_MEM_SHARED, [M_SLAB] = MEMINFO_MEM_SLAB,
		[M_SLAB_RECLAIM] = MEMINFO_MEM_SLAB_RECLAIM, [M_ANON] = MEMINFO_MEM_ANON,
		[M_MAPPED] = MEMINFO_MEM_MAPPED, [M_PAGE_TABLES] = MEMINFO_MEM_PAGE_TABLES,
		[M_COMMITTED] = MEMINFO_MEM_COMMITTED_AS, [M_COMMIT_LIMIT] = MEMINFO_MEM_COMMIT_LIMIT,
		[M_SWAP_TOTAL] = MEMINFO_SWAP_TOTAL, [M_SWAP_FREE] = MEMINFO_SWAP_FREE,
		[M_SWAP_USED] = MEMINFO_SWAP_USED, [M_SWAP_CACHED] = MEMINFO_SWAP_CACHED,
		[M_DIRTY] = MEMINFO_MEM_DIRTY, [M_HUGE_TOTAL] = MEMINFO_MEM_HUGE_TOTAL,
		[M_HUGE_FREE] = MEMINFO_MEM_HUGE_FREE, [M_HUGE_SIZE] = MEMINFO_MEM_HUGE_SIZE,
		[M_THP] = MEMINFO_MEM_HUGE_ANON,
	};

	if (!l->mi) {
		int rc = procps_meminfo_new(&l->mi);
		if (rc < 0)
			return rc;
	}
	struct meminfo_stack *st = procps_meminfo_select(l->mi, (enum meminfo_item *)items, M_NUM);
	if (!st)
		return errno ? -errno : -EIO;
	for (int i = 0; i < M_NUM; i++)
		sys->val[i] = st->head[i].result.ul_int;
	/* libproc2 cannot tell "absent" from 0; MemTotal 0 means it read nothing. */
	sys->known = sys->val[M_TOTAL] ? (1u << M_NUM) - 1 : 0;
	return sys->known ? 0 : -EIO;
}

static void
read_swaps_psi(struct live *l, struct sysmem *sys, unsigned parts)
{
	if ((parts & SYS_SWAPS) && procfs_read(l->proc_fd, "swaps", &l->buf) == 0)
		parse_swaps(l->buf.data, l->buf.len, &sys->swaps, &sys->nswaps);
	if ((parts & SYS_PSI) && procfs_read(l->proc_fd, "pressure/memory", &l->buf) == 0)
		parse_psi(l->buf.data, l->buf.len, &sys->psi);
}

static struct node *
add_node(struct sysmem *sys, int id)
{
	sys->nodes = xreallocarray(sys->nodes, (size_t)sys->nnodes + 1, sizeof *sys->nodes);
	struct node *n = &sys->nodes[sys->nnodes++];
	memset(n, 0, sizeof *n);
	n->id = id;
	return n;
}

static void
read_node_files(struct live *l, struct node *n, bool distances)
{
	char path[96];

	snprintf(path, sizeof path, "devices/system/node/node%d/meminfo", n->id);
	if (procfs_read(l->sys_fd, path, &l->buf) == 0)
		parse_node_meminfo(l->buf.data, l->buf.len, n);
	snprintf(path, sizeof path, "devices/system/node/node%d/distance", n->id);
	if (distances && procfs_read(l->sys_fd, path, &l->buf) == 0)
		parse_node_distance(l->buf.data, l->buf.len, n);
}

static int
by_node_id(const void *a, const void *b)
{
	return ((const struct node *)a)->id - ((const struct node *)b)->id;
}

/* Fixture trees: every nodeN directory, distances from its file. */
static void
nodes_from_sysfs(struct live *l, struct sysmem *sys)
{
	int fd = openat(l->sys_fd, "devices/system/node", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	sys->numa = true;
	while ((e = readdir(d))) {
		char *end;
		if (strncmp(e->d_name, "node", 4) != 0)
			continue;
		long id = strtol(e->d_name + 4, &end, 10);
		if (end == e->d_name + 4 || *end || id < 0 || id >= NODE_MAX)
			continue;
		read_node_files(l, add_node(sys, (int)id), true);
	}
	closedir(d);
	qsort(sys->nodes, (size_t)sys->nnodes, sizeof *sys->nodes, by_node_id);
	/* A distance file lists online nodes by position: re-index by node id. */
	for (int i = 0; i < sys->nnodes; i++) {
		uint8_t pos[NODE_MAX];
		memcpy(pos, sys->nodes[i].distance, sizeof pos);
		memset(sys->nodes[i].distance, 0, sizeof pos);
		for (int j = 0; j < sys->nnodes; j++)
			sys->nodes[i].distance[sys->nodes[j].id] = pos[j];
	}
}

static void
nodes_from_libnuma(struct live *l, struct sysmem *sys)
{
	if (numa_available() < 0)
		return;
	sys->numa = true;
	int max = numa_max_node();
	for (int id = 0; id <= max && id < NODE_MAX; id++) {
		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)id))
			continue;
		struct node *n = add_node(sys, id);
		read_node_files(l, n, false);
		for (int j = 0; j <= max && j < NODE_MAX; j++) {
			int d = numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)j) ? numa_distance(id, j) : 0;
			n->distance[j] = (uint8_t)(d > 0 && d < 256 ? d : 0);
		}
		if (!(n->known & (1u << N_TOTAL))) {
			long long free_b, size_b = numa_node_size64(id, &free_b);
			if (size_b > 0) {
				n->val[N_TOTAL] = (uint64_t)size_b / 1024;
				n->val[N_FREE] = (uint64_t)free_b / 1024;
				n->known |= 1u << N_TOTAL | 1u << N_FREE;
			}
		}
	}
}

/*
 * The wall time of boot, to date kernel log records: the realtime clock minus
 * the monotonic one, which the log's timestamps follow (neither counts time
 * suspended). A fixture tree gives it as btime (seconds) in its stat file.
 */
static bool
boot_time_ms(struct live *l, int64_t *out)
{
	struct timespec rt, mono;
	uint64_t btime;

	if (l->fixture_proc) {
		if (procfs_read(l->proc_fd, "stat", &l->buf) != 0 ||
		    parse_vmstat_key(l->buf.data, l->buf.len, "btime", &btime) != 0 ||
		    btime > INT64_MAX / 1000)
			return false;
		*out = (int64_t)btime * 1000;
		return true;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	*out = ((int64_t)rt.tv_sec - (int64_t)mono.tv_sec) * 1000 +
	       (rt.tv_nsec - mono.tv_nsec) / 1000000;
	return true;
}

/*
 * The kill counter, and the kernel log from where the last call stopped. The
 * log is opened on first use; when that fails the reason is kept and given
 * with every refresh, and opening is not tried again (no repeated errors).
 * A fixture proc root stands for the log with its file "dev_kmsg".
 */
static void
read_oom(struct live *l, struct oom_events *e)
{
	oom_counter_read(l->proc_fd, &l->buf, e);
	if (!l->kmsg_tried) {
		int64_t boot_ms = 0;
		bool boot_known = boot_time_ms(l, &boot_ms);
		l->kmsg_tried = true;
		int dir = l->fixture_proc ? l->proc_fd : AT_FDCWD;
		const char *path = l->fixture_proc ? "dev_kmsg" : "/dev/kmsg";
		l->kmsg_err = kmsg_new(&l->kmsg, dir, path, boot_ms, boot_known);
	}
	if (l->kmsg) {
		int rc = kmsg_read_new(l->kmsg, e);
		if (rc < 0) {
			kmsg_free(l->kmsg);
			l->kmsg = NULL;
			l->kmsg_err = rc;
		}
	}
	e->log_err = l->kmsg_err;
}

static int
live_system(struct source *src, struct sysmem *sys, unsigned parts)
{
	struct live *l = (struct live *)src;
	int rc = 0;

	if (parts & SYS_MEMINFO) {
		if (l->fixture_proc) {
			rc = procfs_read(l->proc_fd, "meminfo", &l->buf);
			if (rc == 0)
				rc = parse_meminfo(l->buf.data, l->buf.len, sys);
		} else {
			rc = meminfo_libproc2(l, sys);
		}
	}
	read_swaps_psi(l, sys, parts);
	if (parts & SYS_OOM)
		read_oom(l, &sys->oom);
	else if (parts & SYS_OOM_COUNT)
		oom_counter_read(l->proc_fd, &l->buf, &sys->oom);
	if (parts & SYS_KNOBS)
		knobs_read(l->proc_fd, l->sys_fd, &l->buf, &sys->knobs);
	if (parts & SYS_NODES) {
		if (l->fixture_sys)
			nodes_from_sysfs(l, sys);
		else
			nodes_from_libnuma(l, sys);
	}
	return rc;
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
	kmsg_free(l->kmsg);
	cgreader_free(l->cg);
	if (l->mi)
		procps_meminfo_unref(&l->mi);
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
	l->fixture_sys = o->sys_root && strcmp(o->sys_root, "/sys") != 0;
	l->proc_fd = procfs_open_root(o->proc_root ? o->proc_root : "/proc");
	if (l->proc_fd < 0) {
		rc = l->proc_fd;
		goto fail;
	}
	/* libproc2 prints and _exit()s when /proc/self/stat is unreadable: check first. */
	if (faccessat(AT_FDCWD, "/proc/self/stat", R_OK, 0) != 0) {
		rc = -ENOENT;
		goto fail;
	}
	l->sys_fd = procfs_open_root(o->sys_root ? o->sys_root : "/sys");
	rc = procs_new(&l->procs, l->proc_fd, o->one_pass);
	if (rc < 0)
		goto fail;
	cgreader_new(&l->cg, l->proc_fd, l->sys_fd);
	*out = &l->base;
	return 0;
fail:
	live_free(&l->base);
	return rc;
}

/* libnuma reports through these; the defaults print to stderr, which would corrupt the TUI. */
void numa_warn(int num, char *fmt, ...);
void numa_error(char *where);

void
numa_warn(int num, char *fmt, ...)
{
	(void)num;
	(void)fmt;
}

void
numa_error(char *where)
{
	(void)where;
}
