/*
 * The libproc2 adapter (see procs.h). The item list is ours: rel[] indexes a
 * stack by our own enum, and the only place that touches a result union is
 * the accessors below, so libproc2's macro changes between 4.0.x releases
 * cost nothing here.
 *
 * The items are exactly those of stat and status, the two files every
 * refresh must read. oom_score, oom_score_adj and the command line are read
 * by procs_details() only when the table asks (tiered collection).
 *
 * Memory: a pids_info preallocates a thousand stacks (~320 KB, all written)
 * at its first reap or select, the largest single item of smaptop's
 * footprint. So every scan takes a fresh pids_info and drops it at the end:
 * between refreshes nothing of libproc2's is held. A single scan (one_pass,
 * a snapshot) walks with procps_pids_get instead, which holds one stack but
 * reads /proc/uptime once per process (~20% more scan CPU), and cannot
 * restart a walk in libproc2 4.0: fine for one walk, too slow for many.
 *
 * What libproc2 cannot tell us and how we recover it:
 *   - a file it failed to read comes back as zeros: a user process (not a
 *     kernel thread) with VmSize 0 is a zombie (state Z: memory unavailable)
 *     or vanished mid-read (dropped);
 *   - PIDS_CMD is lossy ('.' and '?' replace bytes it finds unprintable): a
 *     name holding either is re-read raw from /proc/<pid>/comm so the one
 *     escaping function of util/escape.c shows exactly what the kernel holds;
 *   - PIDS_CMDLINE_V splits arguments at newlines too, so the command line is
 *     read here, raw and capped at PROC_CMDLINE_MAX bytes.
 */
#include "collect/procs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/misc.h>
#include <libproc2/pids.h>

#include "collect/parse.h"
#include "collect/procfs.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define PF_KTHREAD 0x00200000UL

enum rel {
	R_PID, R_PPID, R_EUID, R_EUSER, R_STATE, R_CMD, R_NLWP, R_BEGAN, R_FLAGS,
	R_VSZ, R_RSS, R_RSS_ANON, R_RSS_FILE, R_RSS_SHMEM, R_SWAP, R_LOCKED,
	R_MINFLT, R_MAJFLT, R_NUM
};

static const enum pids_item items[R_NUM] = {
	[R_PID] = PIDS_ID_PID, [R_PPID] = PIDS_ID_PPID, [R_EUID] = PIDS_ID_EUID,
	[R_EUSER] = PIDS_ID_EUSER, [R_STATE] = PIDS_STATE, [R_CMD] = PIDS_CMD,
	[R_NLWP] = PIDS_NLWP, [R_BEGAN] = PIDS_TICS_BEGAN, [R_FLAGS] = PIDS_FLAGS,
	[R_VSZ] = PIDS_VM_SIZE, [R_RSS] = PIDS_VM_RSS, [R_RSS_ANON] = PIDS_VM_RSS_ANON,
	[R_RSS_FILE] = PIDS_VM_RSS_FILE, [R_RSS_SHMEM] = PIDS_VM_RSS_SHARED,
	[R_SWAP] = PIDS_VM_SWAP, [R_LOCKED] = PIDS_VM_RSS_LOCKED,
	[R_MINFLT] = PIDS_FLT_MIN, [R_MAJFLT] = PIDS_FLT_MAJ,
};

enum { SELECT_MAX = 255 }; /* PIDs one procps_pids_select() takes */

struct procs {
	bool one_pass;  /* the next scan is the only one; cleared by it */
	int proc_fd;
	long hertz;
	double boot_s;  /* epoch seconds of boot */
	struct buf scratch;
};

/* The only accessors of libproc2's result union. */
static inline long long
v_int(const struct pids_stack *s, enum rel r)
{
	return s->head[r].result.s_int;
}
static inline unsigned long
v_ul(const struct pids_stack *s, enum rel r)
{
	return s->head[r].result.ul_int;
}
static inline unsigned long long
v_ull(const struct pids_stack *s, enum rel r)
{
	return s->head[r].result.ull_int;
}
static inline const char *
v_str(const struct pids_stack *s, enum rel r)
{
	return s->head[r].result.str;
}

static int
boot_time(struct procs *p)
{
	double up;
	struct timespec now;

	if (procps_uptime(&up, NULL) < 0)
		return -EIO;
	clock_gettime(CLOCK_REALTIME, &now);
	p->boot_s = (double)now.tv_sec + now.tv_nsec / 1e9 - up;
	return 0;
}

int
procs_new(struct procs **out, int proc_fd, bool one_pass)
{
	struct procs *p = xcalloc(1, sizeof *p);

	p->one_pass = one_pass;
	p->proc_fd = proc_fd;
	p->hertz = procps_hertz_get();
	if (p->hertz <= 0)
		p->hertz = 100;
	int rc = boot_time(p);
	if (rc < 0) {
		procs_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void
procs_free(struct procs *p)
{
	if (!p)
		return;
	buf_fini(&p->scratch);
	free(p);
}

static void
copy_comm(struct procs *ps, struct proc *p, const char *lossy)
{
	size_t n = strlen(lossy);

	if (strpbrk(lossy, ".?")) {
		char path[32];
		snprintf(path, sizeof path, "%d/comm", (int)p->val[F_PID]);
		if (procfs_read(ps->proc_fd, path, &ps->scratch) == 0 && ps->scratch.len > 0) {
			lossy = ps->scratch.data;
			n = ps->scratch.len;
			if (lossy[n - 1] == '\n')
				n--;
		}
	}
	if (n >= sizeof p->comm)
		n = sizeof p->comm - 1;
	memcpy(p->comm, lossy, n);
	p->comm[n] = '\0';
}

/* Reads the raw command line (arguments separated by NUL) into p. */
static int
read_cmdline(struct procs *ps, struct proc *p)
{
	char path[32];
	bool cut;

	snprintf(path, sizeof path, "%d/cmdline", (int)p->val[F_PID]);
	int rc = procfs_read_max(ps->proc_fd, path, &ps->scratch, PROC_CMDLINE_MAX, &cut);
	if (rc < 0 || ps->scratch.len == 0)
		return rc;
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

/* One number file of p (oom_score, oom_score_adj) into field f. */
static int
read_number(struct procs *ps, struct proc *p, const char *name, enum field f)
{
	char path[32];
	int64_t v;

	snprintf(path, sizeof path, "%d/%s", (int)p->val[F_PID], name);
	int rc = procfs_read(ps->proc_fd, path, &ps->scratch);
	if (rc < 0)
		return rc;
	const char *at = ps->scratch.data;
	if (parse_i64(&at, at + ps->scratch.len, &v) == 0)
		proc_set(p, f, v);
	return 0;
}

int
procs_details(struct procs *ps, struct proc *p, unsigned what)
{
	int rc = 0;

	if (what & DETAIL_OOM) {
		p->known &= ~(FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ));
		rc = read_number(ps, p, "oom_score", F_OOM_SCORE);
		if (rc == 0)
			rc = read_number(ps, p, "oom_score_adj", F_OOM_ADJ);
	}
	if ((what & DETAIL_CMDLINE) && rc == 0) {
		proc_fini(p);
		p->known &= ~FIELD_BIT(F_CMDLINE);
		p->flags &= (uint8_t)~PROC_CMD_CUT;
		rc = read_cmdline(ps, p);
	}
	return rc == -ENOENT || rc == -ESRCH ? -ESRCH : rc;
}

/* Copies one stack into p; returns false when the process must be left out. */
static bool
copy_stack(struct procs *ps, const struct pids_stack *s, struct proc *p)
{
	static const struct { enum rel r; enum field f; } mem[] = {
		{ R_VSZ, F_VSZ }, { R_RSS, F_RSS }, { R_RSS_ANON, F_RSS_ANON },
		{ R_RSS_FILE, F_RSS_FILE }, { R_RSS_SHMEM, F_RSS_SHMEM }, { R_SWAP, F_SWAP },
		{ R_LOCKED, F_LOCKED },
	};

	proc_set(p, F_PID, v_int(s, R_PID));
	proc_set(p, F_PPID, v_int(s, R_PPID));
	proc_set(p, F_UID, (int64_t)s->head[R_EUID].result.u_int);
	proc_set(p, F_THREADS, v_int(s, R_NLWP));
	p->state = s->head[R_STATE].result.s_ch;
	p->known |= FIELD_BIT(F_STATE) | FIELD_BIT(F_USER) | FIELD_BIT(F_COMM);
	p->start_ticks = v_ull(s, R_BEGAN);
	proc_set(p, F_START, (int64_t)(ps->boot_s + (double)p->start_ticks / (double)ps->hertz));
	snprintf(p->user, sizeof p->user, "%s", v_str(s, R_EUSER) ? v_str(s, R_EUSER) : "?");
	copy_comm(ps, p, v_str(s, R_CMD) ? v_str(s, R_CMD) : "");

	if (v_ul(s, R_FLAGS) & PF_KTHREAD) {
		p->flags |= PROC_KTHREAD;
		return true;
	}
	if (p->state == 'Z' || p->state == 'X') {
		p->flags |= PROC_ZOMBIE;
		return true;
	}
	if (v_ul(s, R_VSZ) == 0)
		return false; /* status unreadable for a live-looking process: it is gone */
	for (size_t i = 0; i < sizeof mem / sizeof mem[0]; i++)
		proc_set(p, mem[i].f, (int64_t)v_ul(s, mem[i].r));
	proc_set(p, F_MINFLT, (int64_t)v_ul(s, R_MINFLT));
	proc_set(p, F_MAJFLT, (int64_t)v_ul(s, R_MAJFLT));
	return true;
}

/* Copies one stack into a new slot of smp, or leaves the process out. */
static void
push_stack(struct procs *ps, struct sample *smp, const struct pids_stack *st)
{
	struct proc *p = sample_push(smp);

	if (!copy_stack(ps, st, p)) {
		proc_fini(p);
		smp->n--;
	}
}

/* Copies every stack of one reap or select into smp. */
static void
push_fetch(struct procs *ps, struct sample *smp, const struct pids_fetch *f)
{
	for (int i = 0; i < f->counts->total; i++)
		push_stack(ps, smp, f->stacks[i]);
}

int
procs_scan(struct procs *ps, struct sample *smp, const pid_t *pids, size_t npids)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	size_t n0 = smp->n;
	int rc = procps_pids_new(&info, (enum pids_item *)items, R_NUM);

	if (rc < 0)
		return rc;
	if (npids) {
		for (size_t at = 0; at < npids && rc == 0;) {
			unsigned these[SELECT_MAX];
			int n = 0;
			while (at < npids && n < SELECT_MAX)
				these[n++] = (unsigned)pids[at++];
			if ((f = procps_pids_select(info, these, n, PIDS_SELECT_PID)))
				push_fetch(ps, smp, f);
			else
				rc = errno ? -errno : -EIO;
		}
	} else if (ps->one_pass) {
		struct pids_stack *st;
		ps->one_pass = false; /* a caller that scans again anyway gets reap */
		while ((st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY)))
			push_stack(ps, smp, st);
		if (smp->n == n0) /* /proc shows us, at least */
			rc = errno ? -errno : -EIO;
	} else if ((f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY))) {
		push_fetch(ps, smp, f);
	} else {
		rc = errno ? -errno : -EIO;
	}
	procps_pids_unref(&info);
	return rc;
}
