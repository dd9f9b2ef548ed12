/*
 * The libproc2 adapter (see procs.h). The item list is ours: rel[] indexes a
 * stack by our own enum, and the only place that touches a result union is
 * the accessors below, so libproc2's macro changes between 4.0.x releases
 * cost nothing here.
 *
 * The light item list is exactly what stat holds, the one file libproc2
 * always reads: a light scan is what a refresh costs for a process that has
 * not changed. The full list adds status (exact RSS and its parts, swap, the
 * real owner); the table asks for status by process (procs_status) when stat
 * shows a change or the age bound comes (tiered collection, table.h).
 * oom_score, oom_score_adj and the command line are read by procs_details()
 * only when the table asks.
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
#include <sys/sysinfo.h>

#include <libproc2/misc.h>
#include <libproc2/pids.h>

#include "collect/parse.h"
#include "collect/parse_util.h"
#include "collect/procfs.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define PF_KTHREAD 0x00200000UL

/*
 * Item lists. The light one (stat) is enum rel; status's items follow it in
 * the full list (at R_LIGHT + enum srel) and follow the identity (pid, start)
 * in the list that re-reads status (at R_BEGAN + 1 + enum srel): each fetch
 * writes all of libproc2's thousand stacks, 16 bytes an item.
 */
enum rel {
	R_PID, R_BEGAN, R_PPID, R_STATE, R_CMD, R_NLWP, R_FLAGS, R_VSIZE, R_RSS_PAGES,
	R_MINFLT, R_MAJFLT, R_LIGHT
};
enum srel {
	S_EUID, S_EUSER, S_VSZ, S_RSS, S_RSS_ANON, S_RSS_FILE, S_RSS_SHMEM, S_SWAP, S_LOCKED, S_NUM
};

#define STATUS_ITEMS                                                                     \
	PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_VM_SIZE, PIDS_VM_RSS, PIDS_VM_RSS_ANON,        \
	PIDS_VM_RSS_FILE, PIDS_VM_RSS_SHARED, PIDS_VM_SWAP, PIDS_VM_RSS_LOCKED

static const enum pids_item items[R_LIGHT + S_NUM] = {
	PIDS_ID_PID, PIDS_TICS_BEGAN, PIDS_ID_PPID, PIDS_STATE, PIDS_CMD, PIDS_NLWP,
	PIDS_FLAGS, PIDS_VSIZE_BYTES, PIDS_RSS, PIDS_FLT_MIN, PIDS_FLT_MAJ, STATUS_ITEMS,
};
static const enum pids_item status_items[R_BEGAN + 1 + S_NUM] = {
	PIDS_ID_PID, PIDS_TICS_BEGAN, STATUS_ITEMS,
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
v_int(const struct pids_stack *s, unsigned r)
{
	return s->head[r].result.s_int;
}
static inline unsigned long
v_ul(const struct pids_stack *s, unsigned r)
{
	return s->head[r].result.ul_int;
}
static inline unsigned long long
v_ull(const struct pids_stack *s, unsigned r)
{
	return s->head[r].result.ull_int;
}
static inline const char *
v_str(const struct pids_stack *s, unsigned r)
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

	snprintf(path, sizeof path, "%d/cmdline", (int)p->val[F_PID]);
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

	snprintf(path, sizeof path, "%d/%s", (int)p->val[F_PID], name);
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
		p->flags &= (uint8_t)~PROC_CMD_CUT;
		rc = read_cmdline(ps, p);
	}
	return rc == -ENOENT || rc == -ESRCH ? -ESRCH : rc;
}

/* The stat part of one stack into p; returns false when p must be left out. */
static bool
copy_stat(struct procs *ps, const struct pids_stack *s, struct proc *p)
{
	proc_set(p, F_PID, v_int(s, R_PID));
	proc_set(p, F_PPID, v_int(s, R_PPID));
	proc_set(p, F_THREADS, v_int(s, R_NLWP));
	p->state = s->head[R_STATE].result.s_ch;
	p->known |= FIELD_BIT(F_STATE) | FIELD_BIT(F_COMM);
	p->start_ticks = v_ull(s, R_BEGAN);
	proc_set(p, F_START, (int64_t)(ps->boot_s + (double)p->start_ticks / (double)ps->hertz));
	copy_comm(ps, p, v_str(s, R_CMD) ? v_str(s, R_CMD) : "");

	if (v_ul(s, R_FLAGS) & PF_KTHREAD) {
		p->flags |= PROC_KTHREAD;
		return true;
	}
	if (p->state == 'Z' || p->state == 'X') {
		p->flags |= PROC_ZOMBIE;
		return true;
	}
	if (v_ul(s, R_VSIZE) == 0)
		return false; /* no mm for a live-looking process: it is exiting */
	proc_set(p, F_VSZ, (int64_t)(v_ul(s, R_VSIZE) / 1024));
	p->stat_rss = v_ul(s, R_RSS_PAGES);
	proc_set(p, F_MINFLT, (int64_t)v_ul(s, R_MINFLT));
	proc_set(p, F_MAJFLT, (int64_t)v_ul(s, R_MAJFLT));
	return true;
}

/*
 * The status part of one stack into p, whose stat part is in already: its
 * items start at `at`. Sets PROC_STATUS. false: p is gone.
 */
void
procs_store_status(struct proc *p, const struct status_kib *s, uint64_t stat_rss_pages)
{
	const struct { unsigned long v; enum field f; } mem[] = {
		{ s->vsz, F_VSZ }, { s->rss, F_RSS }, { s->rss_anon, F_RSS_ANON },
		{ s->rss_file, F_RSS_FILE }, { s->rss_shmem, F_RSS_SHMEM }, { s->swap, F_SWAP },
		{ s->locked, F_LOCKED },
	};
	const uint64_t parts = FIELD_BIT(F_RSS_ANON) | FIELD_BIT(F_RSS_FILE) |
			       FIELD_BIT(F_RSS_SHMEM);

	for (size_t i = 0; i < sizeof mem / sizeof mem[0]; i++) {
		p->known &= ~FIELD_BIT(mem[i].f);
		if (pu_kib_ok(mem[i].v))
			proc_set(p, mem[i].f, (int64_t)mem[i].v);
	}
	if (s->rss == 0 && stat_rss_pages > 0)
		p->known &= ~FIELD_BIT(F_RSS);
	if ((p->known & (parts | FIELD_BIT(F_RSS))) != (parts | FIELD_BIT(F_RSS)) ||
	    (uint64_t)s->rss_anon + s->rss_file + s->rss_shmem != s->rss)
		p->known &= ~parts;  /* all three in range: the sum cannot wrap */
}

static bool
copy_status(const struct pids_stack *s, unsigned at, struct proc *p)
{
	proc_set(p, F_UID, (int64_t)s->head[at + S_EUID].result.u_int);
	snprintf(p->user, sizeof p->user, "%s", v_str(s, at + S_EUSER) ? v_str(s, at + S_EUSER) : "?");
	p->known |= FIELD_BIT(F_USER);
	if (!(p->flags & (PROC_KTHREAD | PROC_ZOMBIE))) {
		if (v_ul(s, at + S_VSZ) == 0)
			return false; /* status unreadable for a live-looking process: it is gone */
		struct status_kib kib = {
			.vsz = v_ul(s, at + S_VSZ), .rss = v_ul(s, at + S_RSS),
			.rss_anon = v_ul(s, at + S_RSS_ANON), .rss_file = v_ul(s, at + S_RSS_FILE),
			.rss_shmem = v_ul(s, at + S_RSS_SHMEM), .swap = v_ul(s, at + S_SWAP),
			.locked = v_ul(s, at + S_LOCKED),
		};
		procs_store_status(p, &kib, p->stat_rss);
	}
	p->flags |= PROC_STATUS;
	return true;
}

/* Copies one stack into a new slot of smp, or leaves the process out. */
static void
push_stack(struct procs *ps, struct sample *smp, const struct pids_stack *st, bool light)
{
	struct proc *p = sample_push(smp);

	if (!copy_stat(ps, st, p) || (!light && !copy_status(st, R_LIGHT, p))) {
		proc_fini(p);
		smp->n--;
	}
}

/* Copies every stack of one reap or select into smp. */
static void
push_fetch(struct procs *ps, struct sample *smp, const struct pids_fetch *f, bool light)
{
	for (int i = 0; i < f->counts->total; i++)
		push_stack(ps, smp, f->stacks[i], light);
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

int
procs_scan(struct procs *ps, struct sample *smp, const pid_t *pids, size_t npids, bool light)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	size_t n0 = smp->n;
	int rc = procps_pids_new(&info, (enum pids_item *)items, light ? R_LIGHT : R_LIGHT + S_NUM);

	if (rc < 0)
		return rc;
	smp->swap_kib = swap_used_kib(); /* before the processes: a move after shows next time */
	if (npids) {
		for (size_t at = 0; at < npids && rc == 0;) {
			unsigned these[SELECT_MAX];
			int n = 0;
			while (at < npids && n < SELECT_MAX)
				these[n++] = (unsigned)pids[at++];
			if ((f = procps_pids_select(info, these, n, PIDS_SELECT_PID)))
				push_fetch(ps, smp, f, light);
			else
				rc = errno ? -errno : -EIO;
		}
	} else if (ps->one_pass) {
		struct pids_stack *st;
		ps->one_pass = false; /* a caller that scans again anyway gets reap */
		while ((st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY)))
			push_stack(ps, smp, st, light);
		if (smp->n == n0) /* /proc shows us, at least */
			rc = errno ? -errno : -EIO;
	} else if ((f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY))) {
		push_fetch(ps, smp, f, light);
	} else {
		rc = errno ? -errno : -EIO;
	}
	procps_pids_unref(&info);
	return rc;
}

/* The process of procs[0..n) (sorted by pid) with this pid, or NULL. */
static struct proc *
find_pid(struct proc *const *procs, size_t n, int64_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (procs[mid]->val[F_PID] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && procs[lo]->val[F_PID] == pid ? procs[lo] : NULL;
}

int
procs_status(struct proc *const *procs, size_t n)
{
	struct pids_info *info = NULL;
	int rc = procps_pids_new(&info, (enum pids_item *)status_items, R_BEGAN + 1 + S_NUM);

	for (size_t at = 0; at < n && rc == 0;) {
		unsigned these[SELECT_MAX];
		int k = 0;
		while (at < n && k < SELECT_MAX)
			these[k++] = (unsigned)procs[at++]->val[F_PID];
		struct pids_fetch *f = procps_pids_select(info, these, k, PIDS_SELECT_PID);
		if (!f) {
			rc = errno ? -errno : -EIO;
			break;
		}
		for (int i = 0; i < f->counts->total; i++) {
			const struct pids_stack *st = f->stacks[i];
			struct proc *p = find_pid(procs, n, v_int(st, R_PID));
			/* the same process, not another one given its pid since */
			if (p && p->start_ticks == v_ull(st, R_BEGAN))
				copy_status(st, R_BEGAN + 1, p);
		}
	}
	if (info)
		procps_pids_unref(&info);
	return rc;
}
