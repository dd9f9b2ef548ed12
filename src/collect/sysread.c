/*
 * The machine-wide reads of the live source (see sysread.h). Every file goes
 * through the source's scratch buffer and is parsed in place.
 *
 * meminfo is read on every call (a meter never shows a stale second).
 *
 * Nodes: with the real /sys, libnuma (loaded then: numa_api.h) says which
 * nodes exist and their distances; node meminfo comes from our parser
 * (libnuma only has total/free).
 * A fixture sys root is scanned directly, since libnuma cannot be redirected.
 */
#include "collect/sysread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect/kmsg.h"
#include "collect/knobs.h"
#include "collect/numa_api.h"
#include "collect/parse.h"
#include "collect/parse_knobs.h"
#include "collect/procfs.h"
#include "model/source.h"
#include "util/xalloc.h"

struct sysreader {
	int proc_fd, sys_fd;   /* borrowed */
	bool fixture_proc, fixture_sys;
	struct buf *buf;       /* borrowed scratch */
	struct kmsg *kmsg;     /* NULL until first asked for, or when it cannot be read */
	int kmsg_err;          /* why it cannot (tried once) */
	bool kmsg_tried;
};

void
sysreader_new(struct sysreader **out, int proc_fd, int sys_fd, bool fixture_proc,
	      bool fixture_sys, struct buf *scratch)
{
	struct sysreader *r = xcalloc(1, sizeof *r);

	r->proc_fd = proc_fd;
	r->sys_fd = sys_fd;
	r->fixture_proc = fixture_proc;
	r->fixture_sys = fixture_sys;
	r->buf = scratch;
	*out = r;
}

void
sysreader_free(struct sysreader *r)
{
	if (!r)
		return;
	kmsg_free(r->kmsg);
	free(r);
}

static void
read_swaps_psi(struct sysreader *r, struct sysmem *sys, unsigned parts)
{
	if ((parts & SYS_SWAPS) && procfs_read(r->proc_fd, "swaps", r->buf) == 0)
		parse_swaps(r->buf->data, r->buf->len, &sys->swaps, &sys->nswaps);
	if ((parts & SYS_PSI) && procfs_read(r->proc_fd, "pressure/memory", r->buf) == 0)
		parse_psi(r->buf->data, r->buf->len, &sys->psi);
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
read_node_files(struct sysreader *r, struct node *n, bool distances)
{
	char path[96];

	snprintf(path, sizeof path, "devices/system/node/node%d/meminfo", n->id);
	if (procfs_read(r->sys_fd, path, r->buf) == 0)
		parse_node_meminfo(r->buf->data, r->buf->len, n);
	snprintf(path, sizeof path, "devices/system/node/node%d/distance", n->id);
	if (distances && procfs_read(r->sys_fd, path, r->buf) == 0)
		parse_node_distance(r->buf->data, r->buf->len, n);
}

static int
by_node_id(const void *a, const void *b)
{
	return ((const struct node *)a)->id - ((const struct node *)b)->id;
}

/* Fixture trees: every nodeN directory, distances from its file. */
static void
nodes_from_sysfs(struct sysreader *r, struct sysmem *sys)
{
	int fd = openat(r->sys_fd, "devices/system/node", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
		read_node_files(r, add_node(sys, (int)id), true);
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
nodes_from_libnuma(struct sysreader *r, struct sysmem *sys)
{
	const struct numa_api *numa = numa_api();

	if (!numa || numa->available() < 0)
		return;
	sys->numa = true;
	int max = numa->max_node();
	for (int id = 0; id <= max && id < NODE_MAX; id++) {
		if (!numa->bitmask_isbitset(*numa->nodes_ptr, (unsigned)id))
			continue;
		struct node *n = add_node(sys, id);
		read_node_files(r, n, false);
		for (int j = 0; j <= max && j < NODE_MAX; j++) {
			int d = numa->bitmask_isbitset(*numa->nodes_ptr, (unsigned)j)
					? numa->distance(id, j)
					: 0;
			n->distance[j] = (uint8_t)(d > 0 && d < 256 ? d : 0);
		}
		if (!(n->known & (1u << N_TOTAL))) {
			long long free_b, size_b = numa->node_size64(id, &free_b);
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
boot_time_ms(struct sysreader *r, int64_t *out)
{
	struct timespec rt, mono;
	uint64_t btime;

	if (r->fixture_proc) {
		if (procfs_read(r->proc_fd, "stat", r->buf) != 0 ||
		    parse_vmstat_key(r->buf->data, r->buf->len, "btime", &btime) != 0 ||
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
read_oom(struct sysreader *r, struct oom_events *e)
{
	oom_counter_read(r->proc_fd, r->buf, e);
	if (!r->kmsg_tried) {
		int64_t boot_ms = 0;
		bool boot_known = boot_time_ms(r, &boot_ms);
		r->kmsg_tried = true;
		int dir = r->fixture_proc ? r->proc_fd : AT_FDCWD;
		const char *path = r->fixture_proc ? "dev_kmsg" : "/dev/kmsg";
		r->kmsg_err = kmsg_new(&r->kmsg, dir, path, boot_ms, boot_known);
	}
	if (r->kmsg) {
		int rc = kmsg_read_new(r->kmsg, e);
		if (rc < 0) {
			kmsg_free(r->kmsg);
			r->kmsg = NULL;
			r->kmsg_err = rc;
		}
	}
	e->log_err = r->kmsg_err;
}

int
sysreader_read(struct sysreader *r, struct sysmem *sys, unsigned parts)
{
	int rc = 0;

	if (parts & SYS_MEMINFO) {
		rc = procfs_read(r->proc_fd, "meminfo", r->buf);
		if (rc == 0)
			rc = parse_meminfo(r->buf->data, r->buf->len, sys);
	}
	read_swaps_psi(r, sys, parts);
	if (parts & SYS_OOM)
		read_oom(r, &sys->oom);
	else if (parts & SYS_OOM_COUNT)
		oom_counter_read(r->proc_fd, r->buf, &sys->oom);
	if (parts & SYS_KNOBS)
		knobs_read(r->proc_fd, r->sys_fd, r->buf, &sys->knobs);
	if (parts & SYS_NODES) {
		if (r->fixture_sys)
			nodes_from_sysfs(r, sys);
		else
			nodes_from_libnuma(r, sys);
	}
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
