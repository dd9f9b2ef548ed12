/*
 * The cgroup collector (see cgroup.h). Cost per refresh: one directory open
 * and 5 small reads per cgroup of the table (8 on v1, 11 on v2 when its
 * settings are due), whatever the number of processes in it; the mount is
 * looked up once per reader.
 *
 * A path with a "." or ".." component is refused: the kernel never gives one,
 * and it would lead out of the hierarchy in a fixture tree.
 */
#include "collect/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/parse.h"
#include "collect/parse_cgroup.h"
#include "collect/procfs.h"
#include "util/xalloc.h"

struct cgreader {
	int proc_fd, sys_fd;
	int mount_fd;            /* the memory hierarchy's root; -1 when not found */
	enum cg_version mount_v; /* of mount_fd; CG_NONE: not looked for yet */
	struct buf buf, path;
};

int
cgreader_new(struct cgreader **out, int proc_fd, int sys_fd)
{
	struct cgreader *r = xcalloc(1, sizeof *r);

	r->proc_fd = proc_fd;
	r->sys_fd = sys_fd;
	r->mount_fd = -1;
	*out = r;
	return 0;
}

void
cgreader_free(struct cgreader *r)
{
	if (!r)
		return;
	if (r->mount_fd >= 0)
		close(r->mount_fd);
	buf_fini(&r->buf);
	buf_fini(&r->path);
	free(r);
}

int
cgreader_proc(struct cgreader *r, pid_t pid, char **path, enum cg_version *version)
{
	char name[32];

	if (pid)
		snprintf(name, sizeof name, "%d/cgroup", (int)pid);
	else
		snprintf(name, sizeof name, "self/cgroup");
	int rc = procfs_read(r->proc_fd, name, &r->buf);
	if (rc == -ENOENT)
		rc = -ESRCH;
	if (rc == 0)
		rc = parse_proc_cgroup(r->buf.data, r->buf.len, &r->path, version);
	if (rc < 0)
		return rc == -ENODATA ? -ESRCH : rc;
	*path = xmemdup(r->path.data, r->path.len + 1);
	return 0;
}

/* Does the v2 hierarchy at rel (under sys) have the memory controller? */
static bool
v2_has_memory(struct cgreader *r, const char *rel)
{
	char name[96];

	snprintf(name, sizeof name, "%s/cgroup.controllers", rel);
	if (procfs_read(r->sys_fd, name, &r->buf) != 0)
		return false;
	for (const char *p = r->buf.data; p && (p = strstr(p, "memory")); p += 6)
		if ((p == r->buf.data || p[-1] == ' ') && (p[6] == ' ' || p[6] == '\n' || !p[6]))
			return true;
	return false;
}

static int
open_dir(int at, const char *rel)
{
	return openat(at, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Opens the memory hierarchy of version v, once. */
static void
locate(struct cgreader *r, enum cg_version v)
{
	if (r->mount_v == v || r->sys_fd < 0)
		return;
	if (r->mount_fd >= 0)
		close(r->mount_fd);
	r->mount_fd = -1;
	r->mount_v = v;
	if (v == CG_V1)
		r->mount_fd = open_dir(r->sys_fd, "fs/cgroup/memory");
	else if (v == CG_V2 && v2_has_memory(r, "fs/cgroup"))
		r->mount_fd = open_dir(r->sys_fd, "fs/cgroup");
	else if (v == CG_V2 && v2_has_memory(r, "fs/cgroup/unified"))
		r->mount_fd = open_dir(r->sys_fd, "fs/cgroup/unified");
}

static bool
safe_path(const char *p)
{
	for (const char *c = p; (c = strchr(c, '/')); c++)
		if ((c[1] == '.' && (c[2] == '/' || !c[2])) ||
		    (c[1] == '.' && c[2] == '.' && (c[3] == '/' || !c[3])))
			return false;
	return p[0] == '/';
}

/* One byte-valued file into field f (nolimit flag for limits). */
static bool
read_bytes(int dirfd, const char *name, struct cgroup *cg, enum cg_field f, struct buf *b)
{
	uint64_t kib;
	bool none;

	if (procfs_read(dirfd, name, b) != 0 || parse_cg_bytes(b->data, b->len, &kib, &none) != 0)
		return false;
	cg->val[f] = kib;
	cg->known |= CG_BIT(f);
	if (none)
		cg->nolimit |= CG_BIT(f);
	return true;
}

static bool
read_count(int dirfd, const char *name, struct cgroup *cg, enum cg_field f, struct buf *b)
{
	uint64_t v;

	if (procfs_read(dirfd, name, b) != 0 || parse_cg_count(b->data, b->len, &v) != 0)
		return false;
	cg->val[f] = v;
	cg->known |= CG_BIT(f);
	return true;
}

static bool
read_with(int dirfd, const char *name, struct buf *b,
	  int (*parse)(const char *, size_t, struct cgroup *), struct cgroup *cg)
{
	return procfs_read(dirfd, name, b) == 0 && parse(b->data, b->len, cg) == 0;
}

static int
stat_v1(const char *buf, size_t len, struct cgroup *cg)
{
	return parse_cg_stat(buf, len, CG_V1, cg);
}

static int
stat_v2(const char *buf, size_t len, struct cgroup *cg)
{
	return parse_cg_stat(buf, len, CG_V2, cg);
}

int
cgroup_read_dir(int dirfd, enum cg_version v, struct cgroup *cg, struct buf *b)
{
	uint64_t keep = cg->keep_slow ? CG_SLOW : 0;
	int n = 0;

	for (int f = 0; f < CG_NUM; f++)
		if (!(keep & CG_BIT(f)))
			cg->val[f] = 0;
	cg->known &= keep;
	cg->nolimit &= keep;
	memset(&cg->psi, 0, sizeof cg->psi);
	if (v == CG_V2) {
		static const struct { const char *name; enum cg_field f; } bytes[] = {
			{ "memory.current", CG_USAGE }, { "memory.max", CG_LIMIT },
			{ "memory.high", CG_HIGH }, { "memory.low", CG_LOW },
			{ "memory.min", CG_MIN },
			{ "memory.swap.current", CG_SWAP }, { "memory.swap.max", CG_SWAP_LIMIT },
		};
		for (size_t i = 0; i < sizeof bytes / sizeof *bytes; i++)
			if (!(keep & CG_BIT(bytes[i].f)))
				n += read_bytes(dirfd, bytes[i].name, cg, bytes[i].f, b);
		n += read_with(dirfd, "memory.events", b, parse_cg_events, cg);
		n += read_with(dirfd, "memory.stat", b, stat_v2, cg);
		if (!keep)
			n += read_count(dirfd, "memory.oom.group", cg, CG_OOM_GROUP, b);
		if (procfs_read(dirfd, "memory.pressure", b) == 0 &&
		    parse_psi(b->data, b->len, &cg->psi) == 0)
			n++;
		return n;
	}
	static const struct { const char *name; enum cg_field f; } bytes[] = {
		{ "memory.usage_in_bytes", CG_USAGE }, { "memory.limit_in_bytes", CG_LIMIT },
		{ "memory.soft_limit_in_bytes", CG_SOFT_LIMIT },
		{ "memory.memsw.usage_in_bytes", CG_MEMSW_USAGE },
		{ "memory.memsw.limit_in_bytes", CG_MEMSW_LIMIT },
	};
	for (size_t i = 0; i < sizeof bytes / sizeof *bytes; i++)
		if (!(keep & CG_BIT(bytes[i].f)))
			n += read_bytes(dirfd, bytes[i].name, cg, bytes[i].f, b);
	n += read_count(dirfd, "memory.failcnt", cg, CG_FAILCNT, b);
	n += read_with(dirfd, "memory.oom_control", b, parse_cg_oom_control, cg);
	n += read_with(dirfd, "memory.stat", b, stat_v1, cg);
	/* v1 has no swap file of its own: memory+swap less memory */
	uint64_t both = CG_BIT(CG_MEMSW_USAGE) | CG_BIT(CG_USAGE);
	if ((cg->known & both) == both) {
		uint64_t u = cg->val[CG_USAGE], m = cg->val[CG_MEMSW_USAGE];
		cg->val[CG_SWAP] = m > u ? m - u : 0;
		cg->known |= CG_BIT(CG_SWAP);
	}
	return n;
}

int
cgreader_read(struct cgreader *r, struct cgtable *ct)
{
	char *self = NULL;
	enum cg_version v = ct->version;
	int rc = cgreader_proc(r, 0, &self, &v);

	if (rc == 0) {
		int i = cgtable_add(ct, self);
		ct->self = i;
		if (ct->version == CG_NONE)
			ct->version = v;
	}
	free(self);
	locate(r, ct->version);
	for (size_t i = 0; i < ct->n && r->mount_fd >= 0; i++) {
		struct cgroup *cg = &ct->v[i];
		if (!safe_path(cg->path))
			continue;
		int fd = open_dir(r->mount_fd, cg->path[1] ? cg->path + 1 : ".");
		if (fd < 0)
			continue;
		cgroup_read_dir(fd, ct->version, cg, &r->buf);
		close(fd);
	}
	return rc < 0 ? rc : 0;
}
