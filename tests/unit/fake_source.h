/*
 * A scripted struct source for model tests (header-only, one per test binary).
 *
 * The test owns a struct fake_source, adds template processes with fake_add()
 * and sets the clock (now_ms, wall_ms) before each table_refresh(). scan()
 * copies every template into the sample (in the order they were added, so the
 * table must sort them) without the details: oom_score, oom_score_adj and the
 * command line come from details(), which copies them from the template (the
 * command line deep) and counts its calls per part. A light scan leaves
 * STATUS_FIELDS out, as stat would, and shows the template's RSS as stat_rss
 * (the fake's pages are 1 KiB); status() copies them in and counts its calls.
 * Both stamp swap_kib on the sample.
 * rollup() behaves like the live source: it stamps pss_ms (now_ms plus
 * stamp_delay_ms), clears the PSS family and PROC_ROLLUP_DENIED, then either
 * returns the scripted error (-EACCES/-EPERM also set PROC_ROLLUP_DENIED) or
 * fills the family from the scripted PSS. Without a script a process's PSS is
 * half its RSS, so a re-read after an RSS change is visible in the values.
 * Every call is counted, per pid as well.
 *
 * Templates own their command lines and long names (proc_set_comm());
 * fake_fini() frees them, scan() copies the names. A template's
 * cgroup path is borrowed (a string literal of the test); details() copies it.
 * cgroups() fills the cgroup table from cg[] (limits only where keep_slow is
 * clear, as the live reader) and adds cg_self. Nothing here
 * prints or touches /proc.
 */
#ifndef SMAPTOP_TEST_FAKE_SOURCE_H
#define SMAPTOP_TEST_FAKE_SOURCE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "model/proc.h"
#include "model/sample.h"
#include "model/source.h"
#include "model/system.h"
#include "util/xalloc.h"

enum { FAKE_MAX = 256 };

struct fake_rollup {
	pid_t pid;
	int rc;          /* 0 or the negative errno rollup() returns */
	bool has_pss;    /* false: PSS = RSS / 2 */
	int64_t pss_kib;
};

struct fake_source {
	struct source base;        /* first: the table sees only this */
	struct proc tmpl[FAKE_MAX]; /* processes the next scan() returns */
	size_t n;
	uint64_t now_ms;           /* stamped on the sample by scan() */
	int64_t wall_ms;
	int scan_rc;               /* nonzero: scan() fails with it */
	uint64_t stamp_delay_ms;   /* rollup() stamps pss_ms = now_ms + this */
	struct fake_rollup script[FAKE_MAX];
	size_t nscript;
	struct sysmem sys;         /* what system() copies out (val, known, psi only) */
	uint64_t swap_kib;         /* the system's swap in use, stamped by scan() */
	pid_t gone_at_status;      /* status() does not find this pid (it exited) */
	unsigned scans, light_scans, status_reads, rollups, systems;
	unsigned oom_reads, cmdline_reads; /* details() parts asked for */
	unsigned cgroup_reads;     /* details() DETAIL_CGROUP: tmpl cgroup copied */
	/* what cgroups() gives each cgroup of the table (others: nothing known) */
	struct fake_cg {
		const char *path;
		uint64_t usage_kib, limit_kib; /* limit 0: no limit */
	} cg[8];
	size_t ncg;
	const char *cg_self;       /* smaptop's own cgroup for cgroups(), NULL: none */
	unsigned cgroup_tables;    /* cgroups() calls */
	pid_t rollup_pid[FAKE_MAX]; /* per-pid rollup() call counts */
	unsigned rollup_count[FAKE_MAX];
	size_t ncounted;
};

static inline int
fake_scan(struct source *src, struct sample *s, const pid_t *pids, size_t npids, bool light)
{
	struct fake_source *f = (struct fake_source *)src;

	f->scans++;
	f->light_scans += light;
	if (f->scan_rc)
		return f->scan_rc;
	s->now_ms = f->now_ms;
	s->wall_ms = f->wall_ms;
	s->swap_kib = f->swap_kib;
	for (size_t i = 0; i < f->n; i++) {
		size_t k = 0;
		while (k < npids && pids[k] != proc_val(&f->tmpl[i], F_PID))
			k++;
		if (npids && k == npids)
			continue;
		struct proc *p = sample_push(s);
		*p = f->tmpl[i];
		proc_comm_unshare(p);
		p->hist = NULL;
		p->cmdline = NULL;
		p->cmd_len = 0;
		p->cgroup = NULL;
		p->known &= ~(FIELD_BIT(F_CMDLINE) | FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ) |
			      FIELD_BIT(F_CGROUP));
		p->stat_rss = (uint32_t)proc_val(&f->tmpl[i], F_RSS);
		if (light) {
			p->known &= ~STATUS_FIELDS;
			for (int fl = 0; fl < F_NUM; fl++)
				if (STATUS_FIELDS & FIELD_BIT(fl))
					proc_store(p, (enum field)fl, 0);
			p->user = NULL;
		} else {
			p->flags |= PROC_STATUS;
		}
	}
	return 0;
}

static inline int
fake_status(struct source *src, struct proc *const *procs, size_t n)
{
	struct fake_source *f = (struct fake_source *)src;

	for (size_t i = 0; i < n; i++) {
		struct proc *p = procs[i];
		const struct proc *t = NULL;
		for (size_t k = 0; k < f->n && !t; k++)
			if (proc_val(&f->tmpl[k], F_PID) == proc_val(p, F_PID))
				t = &f->tmpl[k];
		if (!t || t->start_ticks != p->start_ticks || proc_val(p, F_PID) == f->gone_at_status)
			continue; /* gone, or its pid given to another process */
		f->status_reads++;
		for (int fl = 0; fl < F_NUM; fl++)
			if (STATUS_FIELDS & FIELD_BIT(fl))
				proc_store(p, (enum field)fl, proc_val(t, (enum field)fl));
		p->known = (p->known & ~STATUS_FIELDS) | (t->known & STATUS_FIELDS);
		p->user = t->user;
		p->flags |= PROC_STATUS;
	}
	return 0;
}

static inline int
fake_details(struct source *src, struct proc *p, unsigned what)
{
	struct fake_source *f = (struct fake_source *)src;
	const struct proc *t = NULL;
	const uint64_t oom = FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ);

	for (size_t i = 0; i < f->n && !t; i++)
		if (proc_val(&f->tmpl[i], F_PID) == proc_val(p, F_PID))
			t = &f->tmpl[i];
	if (!t)
		return -ESRCH;
	if (what & DETAIL_OOM) {
		f->oom_reads++;
		proc_store(p, F_OOM_SCORE, proc_val(t, F_OOM_SCORE));
		proc_store(p, F_OOM_ADJ, proc_val(t, F_OOM_ADJ));
		p->known = (p->known & ~oom) | (t->known & oom);
	}
	if (what & DETAIL_CMDLINE) {
		f->cmdline_reads++;
		free(p->cmdline);
		p->cmdline = t->cmdline ? xmemdup(t->cmdline, t->cmd_len) : NULL;
		p->cmd_len = t->cmdline ? t->cmd_len : 0;
		p->known = (p->known & ~FIELD_BIT(F_CMDLINE)) | (t->known & FIELD_BIT(F_CMDLINE));
	}
	if (what & DETAIL_CGROUP) {
		f->cgroup_reads++;
		free(p->cgroup);
		p->cgroup = t->cgroup ? xstrdup(t->cgroup) : NULL;
		p->known = (p->known & ~FIELD_BIT(F_CGROUP)) | (t->cgroup ? FIELD_BIT(F_CGROUP) : 0);
	}
	return 0;
}

static inline int
fake_cgroups(struct source *src, struct cgtable *ct)
{
	struct fake_source *f = (struct fake_source *)src;

	f->cgroup_tables++;
	ct->version = CG_V2;
	if (f->cg_self)
		ct->self = cgtable_add(ct, f->cg_self);
	for (size_t i = 0; i < f->ncg; i++) {
		int k = cgtable_find(ct, f->cg[i].path);
		if (k < 0)
			continue;
		struct cgroup *c = &ct->v[k];
		c->val[CG_USAGE] = f->cg[i].usage_kib;
		c->known |= CG_BIT(CG_USAGE);
		if (c->keep_slow)
			continue; /* the settings were carried over, as the live reader does */
		c->val[CG_LIMIT] = f->cg[i].limit_kib;
		c->known |= CG_BIT(CG_LIMIT);
		c->nolimit &= ~CG_BIT(CG_LIMIT);
		if (!f->cg[i].limit_kib)
			c->nolimit |= CG_BIT(CG_LIMIT);
	}
	return 0;
}

static inline const struct fake_rollup *
fake_script_for(const struct fake_source *f, pid_t pid)
{
	for (size_t i = 0; i < f->nscript; i++)
		if (f->script[i].pid == pid)
			return &f->script[i];
	return NULL;
}

static inline void
fake_count(struct fake_source *f, pid_t pid)
{
	f->rollups++;
	for (size_t i = 0; i < f->ncounted; i++) {
		if (f->rollup_pid[i] == pid) {
			f->rollup_count[i]++;
			return;
		}
	}
	if (f->ncounted < FAKE_MAX) {
		f->rollup_pid[f->ncounted] = pid;
		f->rollup_count[f->ncounted++] = 1;
	}
}

static inline int
fake_rollup(struct source *src, struct proc *p)
{
	struct fake_source *f = (struct fake_source *)src;
	pid_t pid = (pid_t)proc_val(p, F_PID);
	const struct fake_rollup *r = fake_script_for(f, pid);

	fake_count(f, pid);
	p->pss_ms = proc_stamp(f->now_ms + f->stamp_delay_ms);
	p->known &= ~ROLLUP_FIELDS;
	p->flags &= (uint16_t)~PROC_ROLLUP_DENIED;
	if (r && r->rc) {
		if (r->rc == -EACCES || r->rc == -EPERM)
			p->flags |= PROC_ROLLUP_DENIED;
		return r->rc;
	}
	int64_t pss = r && r->has_pss ? r->pss_kib : proc_val(p, F_RSS) / 2;
	proc_set(p, F_PSS, pss);
	proc_set(p, F_PSS_ANON, pss / 2);
	proc_set(p, F_PSS_FILE, pss - pss / 2);
	proc_set(p, F_PSS_SHMEM, 0);
	proc_set(p, F_USS, pss / 2);
	proc_set(p, F_SHARED, pss);
	proc_set(p, F_SWAP_PSS, 0);
	proc_set(p, F_THP, 0);
	proc_set(p, F_REFERENCED, pss);
	return 0;
}

static inline int
fake_system(struct source *src, struct sysmem *sys, unsigned parts)
{
	struct fake_source *f = (struct fake_source *)src;

	(void)parts;
	f->systems++;
	memcpy(sys->val, f->sys.val, sizeof sys->val);
	sys->known = f->sys.known;
	sys->psi = f->sys.psi;
	return 0;
}

static inline int
fake_maps(struct source *src, pid_t pid, struct maplist *m, bool totals)
{
	(void)src;
	(void)pid;
	(void)m;
	(void)totals;
	return -ENOSYS;
}

static inline int
fake_numa(struct source *src, pid_t pid, uint64_t *node_kib, int max_nodes)
{
	(void)src;
	(void)pid;
	(void)node_kib;
	(void)max_nodes;
	return -ENOSYS;
}

static inline void
fake_free(struct source *src)
{
	(void)src; /* the fake lives on the test's stack: see fake_fini() */
}

static const struct source_ops fake_ops = {
	.scan = fake_scan,
	.status = fake_status,
	.details = fake_details,
	.rollup = fake_rollup,
	.system = fake_system,
	.maps = fake_maps,
	.numa = fake_numa,
	.cgroups = fake_cgroups,
	.free = fake_free,
};

static inline void
fake_init(struct fake_source *f)
{
	memset(f, 0, sizeof *f);
	f->base.ops = &fake_ops;
	f->now_ms = 1000;
	f->wall_ms = INT64_C(1700000000000);
}

static inline struct proc *
fake_find(struct fake_source *f, pid_t pid)
{
	for (size_t i = 0; i < f->n; i++)
		if (proc_val(&f->tmpl[i], F_PID) == pid)
			return &f->tmpl[i];
	return NULL;
}

/*
 * Adds a template process with pid, start_ticks, comm "p<pid>" and RSS, VSZ,
 * swap and both fault counters known (rss_kib, 2 * rss_kib, 0, 0, 0). Returns
 * it for the test to adjust (valid until fake_remove() or fake_fini()).
 */
static inline struct proc *
fake_add(struct fake_source *f, pid_t pid, uint64_t start_ticks, int64_t rss_kib)
{
	if (f->n >= FAKE_MAX)
		abort();
	struct proc *p = &f->tmpl[f->n++];
	memset(p, 0, sizeof *p);
	p->start_ticks = start_ticks;
	p->state = 'S';
	proc_set(p, F_PID, pid);
	proc_set(p, F_UID, 1000);
	proc_set(p, F_STATE, 0);
	proc_set(p, F_RSS, rss_kib);
	proc_set(p, F_VSZ, 2 * rss_kib);
	proc_set(p, F_SWAP, 0);
	proc_set(p, F_MINFLT, 0);
	proc_set(p, F_MAJFLT, 0);
	proc_set(p, F_COMM, 0);
	char name[16];
	proc_set_comm(p, name, (size_t)snprintf(name, sizeof name, "p%d", (int)pid));
	return p;
}

/* Gives template p a command line (raw bytes, NUL-separated); p owns the copy. */
static inline void
fake_set_cmdline(struct proc *p, const char *bytes, size_t len)
{
	free(p->cmdline);
	p->cmdline = xmemdup(bytes, len);
	p->cmd_len = (uint16_t)len;
	proc_set(p, F_CMDLINE, 0);
}

/* Drops the template of pid (the process exits before the next scan). */
static inline void
fake_remove(struct fake_source *f, pid_t pid)
{
	struct proc *p = fake_find(f, pid);

	if (!p)
		return;
	free(p->cmdline);
	proc_set_comm(p, "", 0); /* frees a long name */
	size_t i = (size_t)(p - f->tmpl);
	memmove(&f->tmpl[i], &f->tmpl[i + 1], (f->n - i - 1) * sizeof f->tmpl[0]);
	f->n--;
}

/* Scripts rollup() for pid: rc (0 or -errno) and, when rc is 0, the PSS in KiB. */
static inline void
fake_script(struct fake_source *f, pid_t pid, int rc, int64_t pss_kib)
{
	struct fake_rollup *r = (struct fake_rollup *)fake_script_for(f, pid);

	if (!r) {
		if (f->nscript >= FAKE_MAX)
			abort();
		r = &f->script[f->nscript++];
	}
	r->pid = pid;
	r->rc = rc;
	r->has_pss = true;
	r->pss_kib = pss_kib;
}

/* Forgets the script of pid: rollup() succeeds again with PSS = RSS / 2. */
static inline void
fake_unscript(struct fake_source *f, pid_t pid)
{
	struct fake_rollup *r = (struct fake_rollup *)fake_script_for(f, pid);

	if (r)
		*r = f->script[--f->nscript];
}

/* How many times rollup() was called for pid. */
static inline unsigned
fake_rollups_of(const struct fake_source *f, pid_t pid)
{
	for (size_t i = 0; i < f->ncounted; i++)
		if (f->rollup_pid[i] == pid)
			return f->rollup_count[i];
	return 0;
}

static inline void
fake_fini(struct fake_source *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->tmpl[i].cmdline);
		proc_set_comm(&f->tmpl[i], "", 0);
	}
	memset(f, 0, sizeof *f);
}

#endif
