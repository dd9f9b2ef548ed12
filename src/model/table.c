/*
 * Refresh and merge (see table.h). Both the previous table and the new sample
 * are sorted by pid, so the merge is one linear walk. Everything a process owns
 * (command line, history ring, leak envelope) moves from the old record to the new one or is
 * freed; nothing is copied twice. What each process reads again is decided in
 * tier.c.
 */
#include "model/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/leak.h"
#include "model/tier.h"
#include "util/xalloc.h"

void
table_init(struct table *t)
{
	memset(t, 0, sizeof *t);
	cgtable_init(&t->cg);
	cgtable_init(&t->next.cg);
}

static void
drop_proc(struct proc *p)
{
	proc_fini(p);
	free(p->hist);
	p->hist = NULL;
	free(p->env);
	p->env = NULL;
}

void
table_release(struct table *t)
{
	for (size_t i = 0; i < t->nretired; i++)
		drop_proc(&t->retired[i]);
	free(t->retired);
	t->retired = NULL;
	t->nretired = 0;
}

void
table_fini(struct table *t)
{
	table_release(t);
	for (size_t i = 0; i < t->n; i++)
		drop_proc(&t->procs[i]);
	free(t->procs);
	free(t->sys_hist);
	sysmem_fini(&t->sys);
	cgtable_fini(&t->cg);
	sample_fini(&t->next);
	oomlog_fini(&t->kills);
	lowenv_clock_fini(&t->leak_clock);
	memset(t, 0, sizeof *t);
}

static int
by_pid(const void *a, const void *b)
{
	int64_t x = proc_val((const struct proc *)a, F_PID), y = proc_val((const struct proc *)b, F_PID);
	return (x > y) - (x < y);
}

uint32_t
table_time_ds(const struct table *t, uint64_t ms)
{
	return ms > t->t0_ms ? (uint32_t)((ms - t->t0_ms) / 100) : 0;
}

/* The node holding most of p's pages, and what share of them, from numa_maps. */
static void
fill_numa(struct source *src, struct proc *p, const struct table_opts *opt)
{
	uint64_t kib[NODE_MAX], total = 0;
	size_t i = 0;
	int best = 0;

	if (!opt->numa || (p->flags & (PROC_ZOMBIE | PROC_KTHREAD)))
		return;
	while (i < opt->numa_npids && opt->numa_pids[i] != proc_val(p, F_PID))
		i++;
	if (opt->numa_npids && i == opt->numa_npids)
		return;
	if (src->ops->numa(src, (pid_t)proc_val(p, F_PID), kib, NODE_MAX) < 0)
		return;
	for (int n = 0; n < NODE_MAX; n++) {
		total += kib[n];
		if (kib[n] > kib[best])
			best = n;
	}
	if (!total)
		return;
	proc_set(p, F_NUMA_NODE, best);
	proc_set(p, F_NUMA_PCT, (int64_t)(kib[best] * 100 / total));
}

static void
fill_rates(struct proc *p, const struct proc *o, uint64_t dt_ms)
{
	if (!o || !dt_ms)
		return;
	static const enum field src[] = { F_MINFLT, F_MAJFLT }, dst[] = { F_MINFLT_RATE, F_MAJFLT_RATE };
	for (int i = 0; i < 2; i++) {
		if (!proc_has(p, src[i]) || !proc_has(o, src[i]) || proc_val(p, src[i]) < proc_val(o, src[i]))
			continue;
		proc_set(p, dst[i], (proc_val(p, src[i]) - proc_val(o, src[i])) * 1000 / (int64_t)dt_ms);
	}
}

static void
fill_history(struct table *t, struct proc *p, struct proc *o, const struct table_opts *opt)
{
	static const enum field series[HIST_SERIES] = {
		[H_RSS] = F_RSS, [H_VSZ] = F_VSZ, [H_PSS] = F_PSS, [H_SWAP] = F_SWAP,
	};
	uint64_t v[HIST_SERIES];
	unsigned known = 0;

	if (!opt->hist_cap || (p->flags & PROC_KTHREAD))
		return;
	bool full = opt->hist_detail_pid && proc_val(p, F_PID) == opt->hist_detail_pid;
	if (o && o->hist && o->hist->cap == opt->hist_cap) {
		p->hist = o->hist->full == full ? o->hist : hist_convert(o->hist, full);
		o->hist = NULL;
	} else {
		p->hist = hist_new(opt->hist_cap, full);
	}
	for (int s = 0; s < HIST_SERIES; s++) {
		v[s] = proc_has(p, series[s]) ? (uint64_t)proc_val(p, series[s]) : 0;
		known |= (unsigned)proc_has(p, series[s]) << s;
	}
	hist_push(&p->hist, table_time_ds(t, t->now_ms), v, known);
	int64_t rate;
	if (hist_growth(p->hist, &rate) == 0)
		proc_set(p, F_GROWTH, rate);
}

static void
push_sys_history(struct table *t, const struct table_opts *opt)
{
	static const enum mem_field series[HIST_SERIES] = {
		[HS_USED] = M_USED, [HS_COMMITTED] = M_COMMITTED, [HS_AVAILABLE] = M_AVAILABLE,
		[HS_SWAP_USED] = M_SWAP_USED,
	};
	uint64_t v[HIST_SERIES];
	unsigned known = 0;

	if (!opt->hist_cap)
		return;
	if (!t->sys_hist || t->sys_hist->cap != opt->hist_cap) {
		free(t->sys_hist);
		t->sys_hist = hist_new(opt->hist_cap, true);
	}
	for (int s = 0; s < HIST_SERIES; s++) {
		v[s] = t->sys.val[series[s]];
		known |= (unsigned)((t->sys.known >> series[s]) & 1) << s;
	}
	hist_push(&t->sys_hist, table_time_ds(t, t->now_ms), v, known);
}

/* Finds the previous record of p (same pid and start time) while walking t->procs in order. */
static struct proc *
previous(struct table *t, const struct proc *p, size_t *j)
{
	while (*j < t->n && proc_val(&t->procs[*j], F_PID) < proc_val(p, F_PID))
		(*j)++;
	if (*j < t->n && proc_val(&t->procs[*j], F_PID) == proc_val(p, F_PID) &&
	    t->procs[*j].start_ticks == p->start_ticks)
		return &t->procs[*j];
	return NULL;
}

/*
 * The first walk of a collect: finds each process's previous record (prev)
 * and picks the processes whose status is to be read (want, in pid order; if
 * the scan was full, which read them all, none). Counts the known ones among
 * them in s->statuses, which decides the next scan. Returns how many it picked.
 */
static size_t
pick_status(struct table *t, const struct table_opts *opt, const struct proc **prev,
	    struct proc **want)
{
	struct sample *s = &t->next;
	bool swap_moved = s->swap_kib != t->swap_kib;
	size_t j = 0, n = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct proc *p = &s->procs[i];
		const struct proc *o = prev[i] = previous(t, p, &j);

		if ((p->flags & PROC_KTHREAD) && !opt->kthreads)
			continue; /* left out below: never known, so never carried */
		if (!tier_needs_status(p, o, swap_moved))
			continue;
		s->statuses += o != NULL;
		if (want)
			want[n++] = p;
	}
	return n;
}

/* The cgroups of the sample's processes and their ancestors, and smaptop's own, read once each. */
static void
collect_cgroups(struct table *t, struct source *src, const struct table_opts *opt)
{
	struct sample *s = &t->next;
	const char *last = NULL;

	cgtable_clear(&s->cg);
	if (!(opt->cgroups || opt->cg_self) || !src->ops->cgroups)
		return;
	for (size_t i = 0; opt->cgroups && i < s->n; i++) {
		const char *c = s->procs[i].cgroup;
		if (c && (!last || strcmp(c, last) != 0) && cgtable_find(&s->cg, c) < 0)
			cgtable_add(&s->cg, c);
		if (c)
			last = c;
	}
	cgtable_carry_slow(&s->cg, &t->cg, s->now_ms, opt->pss_max_age_ms);
	src->ops->cgroups(src, &s->cg);
}

int
table_collect(struct table *t, struct source *src, const struct table_opts *opt)
{
	struct sample *s = &t->next;

	sample_clear(s);
	sysmem_fini(&s->sys);
	memset(&s->sys, 0, sizeof s->sys);
	s->rollups = s->denied = s->statuses = 0;
	s->light = tier_scan_light(t, opt);
	/*
	 * Room for what the last scan delivered (s->scanned outlives sample_clear),
	 * hidden kernel threads included: processes come and go, not many at once,
	 * so the array is never grown (doubled and copied) while the scan fills it.
	 */
	sample_reserve(s, s->scanned + s->scanned / 16 + 16);
	int rc = src->ops->scan(src, s, opt->pids, opt->npids, s->light);
	if (rc < 0)
		return rc;
	s->scanned = s->n;
	if (s->n > 1)
		qsort(s->procs, s->n, sizeof *s->procs, by_pid);

	const struct proc **prev = xmalloc((s->n + 1) * sizeof *prev);
	struct proc **want = s->light ? xmalloc((s->n + 1) * sizeof *want) : NULL;
	size_t nwant = pick_status(t, opt, prev, want), w = 0, kept = 0;
	if (nwant)
		rc = src->ops->status(src, want, nwant);

	s->dt_ms = t->refreshes && s->now_ms > t->now_ms ? s->now_ms - t->now_ms : 0;
	struct spread sp;
	tier_spread_init(&sp, t, s->now_ms, s->dt_ms, opt);
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		struct proc *p = &s->procs[i];
		const struct proc *o = prev[i];
		bool asked = w < nwant && want[w] == p;
		enum roll rolled = ROLL_NO;

		w += asked;
		if (s->light && !asked && o)
			tier_carry_status(p, o);
		if ((asked && !(p->flags & PROC_STATUS)) || /* gone since the scan */
		    ((p->flags & PROC_KTHREAD) && !opt->kthreads) ||
		    !tier_rollup(s, src, p, o, opt, &sp, &rolled) ||
		    !tier_details(s, src, p, o, opt, rolled)) {
			drop_proc(p);
			continue;
		}
		p->flags &= (uint16_t)~PROC_STATUS;
		fill_rates(p, o, s->dt_ms);
		fill_numa(src, p, opt);
		if (kept != i)
			s->procs[kept] = *p;
		kept++;
	}
	free(prev);
	free(want);
	if (rc < 0) {
		sample_clear(s);
		return rc;
	}
	s->n = kept;
	if (opt->sys_parts)
		src->ops->system(src, &s->sys, opt->sys_parts);
	collect_cgroups(t, src, opt);
	return 0;
}

/* The sample's cgroups become the table's, with their sums, history and forecasts. */
static void
commit_cgroups(struct table *t)
{
	struct cgtable tmp = t->next.cg;

	cgtable_sum(&tmp, t->procs, t->n);
	cgtable_update(&tmp, &t->cg, t->now_ms, t->procs, t->n);
	t->next.cg = t->cg;
	t->cg = tmp;
	cgtable_clear(&t->next.cg);
}

int
table_container(const struct table *t)
{
	const struct cgtable *ct = &t->cg;
	int best = -1;

	if (!(t->sys.known & (1u << M_TOTAL)))
		return -1;
	for (int i = ct->self; i >= 0; i = ct->v[i].parent) {
		const struct cgroup *c = &ct->v[i];
		if (!(c->known & ~c->nolimit & CG_BIT(CG_LIMIT)) ||
		    c->val[CG_LIMIT] >= t->sys.val[M_TOTAL])
			continue;
		if (best < 0 || c->val[CG_LIMIT] < ct->v[best].val[CG_LIMIT])
			best = i;
	}
	return best;
}

void
table_commit(struct table *t, const struct table_opts *opt)
{
	struct sample *s = &t->next;
	size_t j = 0;

	if (!t->refreshes)
		t->t0_ms = s->now_ms;
	t->dt_ms = s->dt_ms;
	t->now_ms = s->now_ms;
	int64_t base_ms = s->wall_ms - (int64_t)(t->now_ms - t->t0_ms); /* wall time of time 0 */
	if (opt->leak_cap)
		lowenv_clock_tick(&t->leak_clock, opt->leak_cap, table_time_ds(t, t->now_ms));
	for (size_t i = 0; i < s->n; i++) {
		struct proc *p = &s->procs[i], *o = previous(t, p, &j);

		fill_history(t, p, o, opt);
		leak_track(p, o, &t->leak_clock, opt->leak_cap,
			   leak_past_find(opt->leak_past, (pid_t)proc_val(p, F_PID), p->start_ticks),
			   base_ms);
	}

	/*
	 * The sample's array becomes the table. The old table's is freed
	 * (table_release()) rather than kept as the next scratch: between
	 * refreshes smaptop then holds one array of processes, not two (~250 KB
	 * for 600 processes), for the cost of allocating it again at the next
	 * collect.
	 */
	table_release(t);
	t->retired = t->procs;
	t->nretired = t->n;
	t->procs = s->procs;
	t->n = s->n;
	t->cap = s->cap;
	s->procs = NULL;
	s->cap = s->n = 0;
	t->wall_ms = s->wall_ms;
	if (!s->light)
		t->full_ms = s->now_ms;
	t->rollups = s->rollups;
	t->statuses = s->statuses;
	t->swap_kib = s->swap_kib;
	t->denied = s->denied;
	t->refreshes++;
	if (opt->sys_parts) {
		struct sysmem tmp = t->sys;
		t->sys = s->sys;
		s->sys = tmp;
		push_sys_history(t, opt);
		for (size_t i = 0; i < t->sys.oom.nkills; i++)
			oomlog_add(&t->kills, &t->sys.oom.kills[i]);
	}
	if (opt->sys_parts & SYS_MEMINFO)
		machine_forecast(&t->mach_hist, &t->sys, t->now_ms, t->procs, t->n, &t->mach_fc);
	commit_cgroups(t);
}

int
table_refresh(struct table *t, struct source *src, const struct table_opts *opt)
{
	int rc = table_collect(t, src, opt);

	if (rc == 0) {
		table_commit(t, opt);
		table_release(t);
	}
	return rc;
}

const struct proc *
table_find(const struct table *t, pid_t pid)
{
	struct proc key = { 0 };

	proc_store(&key, F_PID, pid);

	if (!t->n)
		return NULL; /* procs may be NULL, which bsearch() must not be given */
	return bsearch(&key, t->procs, t->n, sizeof *t->procs, by_pid);
}
