/*
 * The process reader (see procs.h): /proc's PID directories, and in each stat
 * (always), status (unless the scan is light), oom_score, oom_score_adj and
 * the command line (when the table asks), each read whole into one reused
 * buffer and parsed in place by collect/parse_pid.c.
 *
 * Why not libproc2: on Debian 12 linking it loads libsystemd and six more
 * libraries, 1.8 MiB of resident memory and 2 ms of CPU at every start
 * before a file is read; its one-stack walk reads /proc/uptime once per
 * process and its thousand-stack walk writes about 320 KiB, and it parses
 * stat with sscanf. The files themselves are simple and documented in
 * proc(5); reading them here is what the floor of a snapshot costs.
 *
 * The process list and stat/status always come from the live /proc, whatever
 * root the caller passes (a fixture tree stands in for the machine-wide files
 * and the processes' other files); a process that vanishes mid-read is left
 * out. stat's name is the kernel's own bytes, any byte but NUL.
 */
#include "collect/procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/sysinfo.h>

#include "collect/parse.h"
#include "collect/procfs.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define PF_KTHREAD 0x00200000UL

/*
 * A user name as ps shows it: the passwd name, or the number when there is
 * none. Each name is its own allocation, kept until procs_free(): records
 * point at it (proc.h), and the array of these grows.
 */
struct uname {
	uint32_t uid;
	char *name;
};

struct procs {
	int proc_fd;    /* the caller's root: oom_score, oom_score_adj, cmdline */
	int pid_fd;     /* the live /proc: the process list, stat and status */
	long hertz;
	double boot_s;  /* epoch seconds of boot */
	struct buf scratch;
	struct uname *users;
	size_t nusers, cap_users, last_user;
};

int
procs_new(struct procs **out, int proc_fd)
{
	struct procs *p = xcalloc(1, sizeof *p);
	struct timespec up, now;

	p->proc_fd = proc_fd;
	p->pid_fd = procfs_open_root("/proc");
	if (p->pid_fd < 0 || faccessat(p->pid_fd, "self/stat", R_OK, 0) != 0) {
		/* no proc filesystem there */
		if (p->pid_fd >= 0)
			close(p->pid_fd);
		free(p);
		return -ENOENT;
	}
	p->hertz = sysconf(_SC_CLK_TCK);
	if (p->hertz <= 0)
		p->hertz = 100;
	/* /proc/uptime's clock: boot time as ps computes it */
	clock_gettime(CLOCK_BOOTTIME, &up);
	clock_gettime(CLOCK_REALTIME, &now);
	p->boot_s = (double)(now.tv_sec - up.tv_sec) + (now.tv_nsec - up.tv_nsec) / 1e9;
	*out = p;
	return 0;
}

void
procs_free(struct procs *p)
{
	if (!p)
		return;
	close(p->pid_fd);
	buf_fini(&p->scratch);
	for (size_t i = 0; i < p->nusers; i++)
		free(p->users[i].name);
	free(p->users);
	free(p);
}

static const char *
user_name(struct procs *ps, uint32_t uid)
{
	if (ps->last_user < ps->nusers && ps->users[ps->last_user].uid == uid)
		return ps->users[ps->last_user].name;
	for (size_t i = 0; i < ps->nusers; i++) {
		if (ps->users[i].uid == uid) {
			ps->last_user = i;
			return ps->users[i].name;
		}
	}
	if (ps->nusers == ps->cap_users) {
		ps->cap_users = ps->cap_users ? ps->cap_users * 2 : 8;
		ps->users = xreallocarray(ps->users, ps->cap_users, sizeof *ps->users);
	}
	struct uname *u = &ps->users[ps->nusers];
	struct passwd pw, *found = NULL;
	char room[4096], num[16];

	u->uid = uid;
	if (getpwuid_r(uid, &pw, room, sizeof room, &found) == 0 && found &&
	    found->pw_name[0] && strlen(found->pw_name) < PROC_USER_MAX) {
		u->name = xstrdup(found->pw_name);
	} else {
		snprintf(num, sizeof num, "%u", uid);
		u->name = xstrdup(num);
	}
	ps->last_user = ps->nusers++;
	return u->name;
}

/*
 * Reads the raw command line (arguments separated by NUL) into p. An empty
 * file (a process caught mid-exec, or one that cleared its arguments) is a
 * command line read and found blank: known, with no bytes (views show
 * "[comm]" for it, see proc_cmdline_blank).
 */
static int
read_cmdline(struct procs *ps, struct proc *p)
{
	char path[32];
	bool cut;

	snprintf(path, sizeof path, "%d/cmdline", (int)proc_val(p, F_PID));
	int rc = procfs_read_max(ps->proc_fd, path, &ps->scratch, PROC_CMDLINE_MAX, &cut);
	if (rc < 0)
		return rc;
	if (ps->scratch.len == 0) {
		p->known |= FIELD_BIT(F_CMDLINE);
		return 0;
	}
	size_t len = ps->scratch.len;
	if (!cut && ps->scratch.data[len - 1] == '\0')
		len--; /* the terminator of the last argument */
	if (cut)
		p->flags |= PROC_CMD_CUT;
	p->cmdline = xmemdup(ps->scratch.data, len);
	p->cmd_len = (uint16_t)len;
	p->known |= FIELD_BIT(F_CMDLINE);
	return 0;
}

/*
 * One number file of p (oom_score, oom_score_adj) into field f, when it is a
 * number (then only a line end may follow) in [lo, hi].
 */
static int
read_number(struct procs *ps, struct proc *p, const char *name, enum field f, int64_t lo,
	    int64_t hi)
{
	char path[32];
	int64_t v;

	snprintf(path, sizeof path, "%d/%s", (int)proc_val(p, F_PID), name);
	int rc = procfs_read(ps->proc_fd, path, &ps->scratch);
	if (rc < 0)
		return rc;
	const char *at = ps->scratch.data, *end = at + ps->scratch.len;
	if (parse_i64(&at, end, &v) != 0 || v < lo || v > hi)
		return 0;
	if (at < end && *at == '\n')
		at++;
	if (at == end)
		proc_set(p, f, v);
	return 0;
}

int
procs_details(struct procs *ps, struct proc *p, unsigned what)
{
	int rc = 0;

	if (what & DETAIL_OOM) {
		p->known &= ~(FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ));
		rc = read_number(ps, p, "oom_score", F_OOM_SCORE, 0, 2000);
		if (rc == 0)
			rc = read_number(ps, p, "oom_score_adj", F_OOM_ADJ, -1000, 1000);
	}
	if ((what & DETAIL_CMDLINE) && rc == 0) {
		free(p->cmdline);
		p->cmdline = NULL;
		p->cmd_len = 0;
		p->known &= ~FIELD_BIT(F_CMDLINE);
		p->flags &= (uint16_t)~PROC_CMD_CUT;
		rc = read_cmdline(ps, p);
	}
	return rc == -ENOENT || rc == -ESRCH ? -ESRCH : rc;
}

/* Swap in use on the whole system, KiB (sysinfo: no file to read). */
static uint64_t
swap_used_kib(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return 0;
	return (uint64_t)(si.totalswap - si.freeswap) * si.mem_unit / 1024;
}

/* The stat of pid into *st; false when it is gone or not stat's. */
static bool
stat_of(struct procs *ps, pid_t pid, struct pid_stat *st)
{
	char path[24];

	snprintf(path, sizeof path, "%d/stat", (int)pid);
	return procfs_read(ps->pid_fd, path, &ps->scratch) == 0 &&
	       parse_pid_stat(ps->scratch.data, ps->scratch.len, st) == 0 &&
	       st->pid == (uint64_t)pid;
}

/* stat of pid into p; false when p must be left out (gone, or exiting: no mm yet not a zombie). */
static bool
read_stat(struct procs *ps, struct proc *p, pid_t pid)
{
	struct pid_stat st;

	if (!stat_of(ps, pid, &st))
		return false;
	proc_set(p, F_PID, pid);
	proc_set(p, F_PPID, (int64_t)st.ppid);
	proc_set(p, F_THREADS, (int64_t)st.threads);
	p->state = st.state;
	proc_set_comm(p, st.comm, strlen(st.comm));
	p->known |= FIELD_BIT(F_STATE) | FIELD_BIT(F_COMM);
	p->start_ticks = st.start_ticks;
	proc_set(p, F_START, (int64_t)(ps->boot_s + (double)st.start_ticks / (double)ps->hertz));
	if (st.flags & PF_KTHREAD) {
		p->flags |= PROC_KTHREAD;
		return true;
	}
	if (p->state == 'Z' || p->state == 'X') {
		p->flags |= PROC_ZOMBIE;
		return true;
	}
	if (st.vsize == 0)
		return false; /* no mm for a live-looking process: it is exiting */
	proc_set(p, F_VSZ, (int64_t)(st.vsize / 1024));
	p->stat_rss = (uint32_t)st.rss_pages; /* equality is all it serves */
	proc_set(p, F_MINFLT, (int64_t)st.minflt);
	proc_set(p, F_MAJFLT, (int64_t)st.majflt);
	return true;
}

/* status of p into p, whose stat is in; sets PROC_STATUS. false: p is gone or exiting. */
static bool
read_status(struct procs *ps, struct proc *p)
{
	char path[24];

	snprintf(path, sizeof path, "%d/status", (int)proc_val(p, F_PID));
	if (procfs_read(ps->pid_fd, path, &ps->scratch) < 0 ||
	    parse_pid_status(ps->scratch.data, ps->scratch.len, p) != 0)
		return false;
	/* no mm in status (no VmSize line, not one too big) for a live-looking process: exiting */
	if (!(p->flags & (PROC_KTHREAD | PROC_ZOMBIE)) && !proc_has(p, F_VSZ) &&
	    !pid_status_has_mm(ps->scratch.data, ps->scratch.len))
		return false;
	p->user = user_name(ps, (uint32_t)proc_val(p, F_UID));
	p->known |= FIELD_BIT(F_USER);
	p->flags |= PROC_STATUS;
	return true;
}

/* Appends process pid to smp, or leaves it out. */
static void
push_pid(struct procs *ps, struct sample *smp, pid_t pid, bool light)
{
	struct proc *p = sample_push(smp);

	if (!read_stat(ps, p, pid) || (!light && !read_status(ps, p))) {
		proc_fini(p);
		smp->n--;
	}
}

/* pid of a /proc entry's name, or 0 when it is not a process's directory. */
static pid_t
name_pid(const char *s)
{
	const char *at = s, *end = s + strlen(s);
	uint64_t v;

	if (*s < '1' || *s > '9' || parse_u64(&at, end, &v) != 0 || at != end || v > INT32_MAX)
		return 0;
	return (pid_t)v;
}

int
procs_scan(struct procs *ps, struct sample *smp, const pid_t *pids, size_t npids, bool light)
{
	smp->swap_kib = swap_used_kib(); /* before the processes: a move after shows next time */
	if (npids) {
		for (size_t i = 0; i < npids; i++)
			push_pid(ps, smp, pids[i], light);
		return 0;
	}
	int fd = openat(ps->pid_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	size_t n0 = smp->n;
	struct dirent *de;

	if (!d) {
		int rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while ((errno = 0, de = readdir(d))) {
		pid_t pid = name_pid(de->d_name);
		if (pid)
			push_pid(ps, smp, pid, light);
	}
	int rc = errno ? -errno : 0;
	closedir(d);
	if (rc == 0 && smp->n == n0)
		rc = -ENOENT; /* /proc shows us, at least: it is not a proc filesystem */
	return rc;
}

int
procs_status(struct procs *ps, struct proc *const *procs, size_t n)
{
	struct pid_stat st;

	for (size_t i = 0; i < n; i++) {
		struct proc *p = procs[i];

		/* the same process, not another one given its pid since */
		if (stat_of(ps, (pid_t)proc_val(p, F_PID), &st) && st.start_ticks == p->start_ticks)
			read_status(ps, p);
	}
	return 0;
}
