/*
 * Refresh and merge (see table.h). Both the previous table and the new sample
 * are sorted by pid, so the merge is one linear walk. Everything a process owns
 * (command line, history ring, leak envelope) moves from the old record to the new one or is
 * freed; nothing is copied twice.
 */
#include "model/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/leak.h"
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
	memset(t, 0, sizeof *t);
}

static int
by_pid(const void *a, const void *b)
{
	int64_t x = ((const struct proc *)a)->val[F_PID], y = ((const struct proc *)b)->val[F_PID];
	return (x > y) - (x < y);
}

uint32_t
table_time_ds(const struct table *t, uint64_t ms)
{
	return ms > t->t0_ms ? (uint32_t)((ms - t->t0_ms) / 100) : 0;
}

static bool
mem_changed(const struct proc *p, const struct proc *o)
{
	return p->val[F_RSS] != o->val[F_RSS] || p->val[F_VSZ] != o->val[F_VSZ] ||
	       p->val[F_SWAP] != o->val[F_SWAP];
}

/* Is a value read at `stamp` (by o, the same process last refresh) to be read again? */
static bool
stale(const struct proc *p, const struct proc *o, uint64_t stamp, uint64_t now,
      const struct table_opts *opt)
{
	return !o || !opt->pss_max_age_ms || now - stamp > opt->pss_max_age_ms ||
	       (opt->fresh_pid && p->val[F_PID] == opt->fresh_pid) || strcmp(p->comm, o->comm) != 0;
}

/*
 * Re-reads for age, spread out. Processes read together (all of them at
 * start-up) would all come due together: one slow refresh every age bound.
 * Instead each refresh re-reads the `room` oldest PSS values, room being the
 * even share n * dt / (age bound + dt), so that every value is shown up to
 * the age bound and read at the refresh after: those due within `steps`
 * refreshes, and those due in exactly `steps` while room lasts. Processes
 * past the bound are read anyway.
 */
struct spread {
	uint64_t dt;
	unsigned steps, room;
};

enum { SPREAD_STEPS = 64 };

static bool
rollup_by_age(const struct proc *p, const struct table_opts *opt)
{
	return !(p->flags & (PROC_ROLLUP_DENIED | PROC_ZOMBIE | PROC_KTHREAD)) &&
	       !(opt->big_rss_kib && (uint64_t)p->val[F_RSS] > opt->big_rss_kib);
}

/* Further refreshes o's PSS may be shown at before it is past the age bound. */
static uint64_t
steps_to_due(const struct proc *o, uint64_t now, uint64_t dt, const struct table_opts *opt)
{
	uint64_t due = o->pss_ms + opt->pss_max_age_ms;
	return due > now ? (due - now) / dt : 0;
}

static void
spread_init(struct spread *sp, const struct table *t, uint64_t now, uint64_t dt,
	    const struct table_opts *opt)
{
	unsigned count[SPREAD_STEPS] = { 0 };

	memset(sp, 0, sizeof *sp);
	if (!opt->rollup || !opt->pss_max_age_ms || !dt)
		return;
	sp->dt = dt;
	unsigned room = (unsigned)(t->n * dt / (opt->pss_max_age_ms + dt)), forced = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *o = &t->procs[i];
		if (!rollup_by_age(o, opt))
			continue;
		if (now - o->pss_ms > opt->pss_max_age_ms) {
			forced++; /* past the bound: read anyway, and out of the room */
			continue;
		}
		uint64_t k = steps_to_due(o, now, dt, opt);
		count[k < SPREAD_STEPS ? k : SPREAD_STEPS - 1]++;
	}
	sp->room = room > forced ? room - forced : 0;
	unsigned sum = 0;
	while (sp->steps < SPREAD_STEPS - 1 && sum + count[sp->steps] < sp->room)
		sum += count[sp->steps++];
	sp->room -= sum; /* what is left for processes exactly `steps` away */
}

static bool
read_early(const struct proc *o, uint64_t now, const struct table_opts *opt, struct spread *sp)
{
	if (!sp->dt)
		return false;
	uint64_t k = steps_to_due(o, now, sp->dt, opt);
	if (k < sp->steps)
		return true;
	if (k > sp->steps || !sp->room)
		return false;
	sp->room--;
	return true;
}

/* Why a rollup is read: by age (or a new identity), or because memory moved. */
enum roll { ROLL_NO, ROLL_AGE, ROLL_CHANGE };

/* Tiered collection: does p (o: the same process last refresh, or NULL) need a fresh rollup? */
static enum roll
wants_rollup(const struct proc *p, const struct proc *o, uint64_t now, const struct table_opts *opt,
	     struct spread *sp)
{
	if (stale(p, o, o ? o->pss_ms : 0, now, opt))
		return ROLL_AGE;
	if (!rollup_by_age(o, opt) || !rollup_by_age(p, opt))
		return ROLL_NO;
	if (mem_changed(p, o))
		return ROLL_CHANGE;
	return read_early(o, now, opt, sp) ? ROLL_AGE : ROLL_NO;
}

/* The fields of mask (values and known bits) from o, the same process last refresh. */
static void
carry_fields(struct proc *p, const struct proc *o, uint64_t mask)
{
	for (int f = 0; f < F_NUM; f++)
		if (mask & FIELD_BIT(f))
			p->val[f] = o->val[f];
	p->known = (p->known & ~mask) | (o->known & mask);
}

static void
carry_rollup(struct proc *p, const struct proc *o)
{
	carry_fields(p, o, ROLLUP_FIELDS);
	p->pss_ms = o->pss_ms;
	p->flags |= o->flags & PROC_ROLLUP_DENIED;
}

/* Returns false when p vanished while its rollup was read. */
static bool
fill_rollup(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
	    const struct table_opts *opt, struct spread *sp, enum roll *rolled)
{
	if (!opt->rollup || (p->flags & (PROC_ZOMBIE | PROC_KTHREAD)))
		return true;
	if ((*rolled = wants_rollup(p, o, s->now_ms, opt, sp))) {
		int rc = src->ops->rollup(src, p);
		s->rollups++;
		if (rc == -ESRCH || rc == -ENOENT)
			return false;
		if (rc == -EACCES || rc == -EPERM)
			p->pss_ms = s->now_ms; /* retried when the age bound passes */
	} else {
		carry_rollup(p, o);
	}
	if (p->flags & PROC_ROLLUP_DENIED)
		s->denied++;
	/* A live read is stamped after the scan began: age 0, never negative. */
	if (proc_has(p, F_PSS) && p->pss_ms) /* 0: the source cannot tell (a replay) */
		proc_set(p, F_PSS_AGE, s->now_ms > p->pss_ms ? (int64_t)(s->now_ms - p->pss_ms) : 0);
	return true;
}

/* Which details (enum detail) of p to read; the others are carried over from o. */
static unsigned
wants_details(const struct proc *p, const struct proc *o, unsigned all, enum roll rolled,
	      uint64_t now, const struct table_opts *opt)
{
	if (stale(p, o, o ? o->aux_ms : 0, now, opt))
		return all;
	/*
	 * Ride on the rollup's spread schedule: with every read by age, so the two
	 * stay in step, and with a read for a change once half-way to the bound.
	 */
	if (rolled == ROLL_AGE ||
	    (rolled == ROLL_CHANGE && now - o->aux_ms >= opt->pss_max_age_ms / 2))
		return all;
	if ((all & DETAIL_CMDLINE) && !(o->flags & PROC_CMD_READ))
		return all; /* command lines were just asked for */
	return mem_changed(p, o) ? DETAIL_OOM : 0;
}

static void
carry_details(struct proc *p, const struct proc *o, unsigned all, unsigned what)
{
	if (!(what & DETAIL_OOM))
		carry_fields(p, o, FIELD_BIT(F_OOM_SCORE) | FIELD_BIT(F_OOM_ADJ));
	if ((all & ~what & DETAIL_CMDLINE) && (o->flags & PROC_CMD_READ)) {
		/* o belongs to the published table: copy, never move */
		p->cmdline = o->cmdline ? xmemdup(o->cmdline, o->cmd_len) : NULL;
		p->cmd_len = o->cmd_len;
		p->known |= o->known & FIELD_BIT(F_CMDLINE);
		p->flags |= o->flags & (PROC_CMD_CUT | PROC_CMD_READ);
	}
	if ((all & ~what & DETAIL_CGROUP) && (o->flags & PROC_CG_READ)) {
		p->cgroup = o->cgroup ? xstrdup(o->cgroup) : NULL; /* copy, as above */
		p->known |= o->known & FIELD_BIT(F_CGROUP);
		p->flags |= PROC_CG_READ;
	}
}

/*
 * Is p's cgroup to be read? It changes only when the process is moved: read
 * for a new process (or a new program), then every 6 to 10 age bounds,
 * spread by pid so that processes started together do not come due together.
 */
static bool
wants_cgroup(const struct proc *p, const struct proc *o, uint64_t now, const struct table_opts *opt)
{
	uint64_t every = opt->pss_max_age_ms * (6 + (uint64_t)p->val[F_PID] % 5);

	if (!opt->cgroups)
		return false;
	if (!o || !opt->pss_max_age_ms || !(o->flags & PROC_CG_READ) || strcmp(p->comm, o->comm) ||
	    (opt->fresh_pid && p->val[F_PID] == opt->fresh_pid))
		return true;
	return now - o->cg_ms > every;
}

/* Returns false when p vanished while its details were read. */
static bool
fill_details(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
	     const struct table_opts *opt, enum roll rolled)
{
	unsigned all = DETAIL_OOM | (opt->cmdline ? DETAIL_CMDLINE : 0);

	if (p->flags & (PROC_ZOMBIE | PROC_KTHREAD))
		return true;
	unsigned what = wants_details(p, o, all, rolled, s->now_ms, opt);
	if (wants_cgroup(p, o, s->now_ms, opt))
		what |= DETAIL_CGROUP;
	if (what && src->ops->details(src, p, what) == -ESRCH)
		return false;
	if (what & DETAIL_CMDLINE)
		p->flags |= PROC_CMD_READ;
	if (what & DETAIL_CGROUP)
		p->flags |= PROC_CG_READ;
	if (o)
		carry_details(p, o, all | (opt->cgroups ? DETAIL_CGROUP : 0), what);
	/* o is set when not everything was read */
	p->aux_ms = (what & all) == all ? s->now_ms : o->aux_ms;
	p->cg_ms = what & DETAIL_CGROUP ? s->now_ms : o ? o->cg_ms : 0;
	return true;
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
	while (i < opt->numa_npids && opt->numa_pids[i] != p->val[F_PID])
		i++;
	if (opt->numa_npids && i == opt->numa_npids)
		return;
	if (src->ops->numa(src, (pid_t)p->val[F_PID], kib, NODE_MAX) < 0)
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
		if (!proc_has(p, src[i]) || !proc_has(o, src[i]) || p->val[src[i]] < o->val[src[i]])
			continue;
		proc_set(p, dst[i], (p->val[src[i]] - o->val[src[i]]) * 1000 / (int64_t)dt_ms);
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
	bool full = opt->hist_detail_pid && p->val[F_PID] == opt->hist_detail_pid;
	if (o && o->hist && o->hist->cap == opt->hist_cap) {
		p->hist = o->hist->full == full ? o->hist : hist_convert(o->hist, full);
		o->hist = NULL;
	} else {
		p->hist = hist_new(opt->hist_cap, full);
	}
	for (int s = 0; s < HIST_SERIES; s++) {
		v[s] = proc_has(p, series[s]) ? (uint64_t)p->val[series[s]] : 0;
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

/*
 * Does p need status read, or may a light scan carry it over from o? stat
 * shows every way the values of status move but two. RSS (its approximate
 * counter, in pages), VSZ and the fault counters move whenever the process
 * maps, unmaps or faults a page in, or has enough pages reclaimed. Swap can
 * be freed with none of that (MADV_DONTNEED or MADV_FREE of swapped-out
 * memory), but then the system's swap total moves: every status is read.
 * And a reclaim too small to move the approximate counter shows at the next
 * full scan, at most the age bound later (scan_light).
 */
static bool
needs_status(const struct proc *p, const struct proc *o, bool swap_moved)
{
	if (!o)
		return true;
	if (p->flags & (PROC_ZOMBIE | PROC_KTHREAD))
		return false; /* no memory: status holds only the owner, carried */
	return !proc_has(o, F_RSS) || swap_moved || p->val[F_VSZ] != o->val[F_VSZ] ||
	       p->stat_rss != o->stat_rss || p->val[F_MINFLT] != o->val[F_MINFLT] ||
	       p->val[F_MAJFLT] != o->val[F_MAJFLT];
}

static void
carry_status(struct proc *p, const struct proc *o)
{
	bool no_mm = p->flags & (PROC_ZOMBIE | PROC_KTHREAD);

	carry_fields(p, o, no_mm ? FIELD_BIT(F_UID) | FIELD_BIT(F_USER) : STATUS_FIELDS);
	memcpy(p->user, o->user, sizeof p->user);
}

/*
 * A light scan reads stat only. The next refresh is a full one (stat and
 * status of every process) when the age bound would pass before it since the
 * last full one, so that no carried status is older than PSS may be; and when
 * a third or more of the known processes needed status last time: libproc2
 * re-reads a chosen process at about three times the cost of status alone
 * (stat, status twice, see procs_status), so a full scan then costs less.
 * -p reads few processes, and in full.
 */
static bool
scan_light(const struct table *t, const struct table_opts *opt)
{
	return t->refreshes && opt->rollup && opt->pss_max_age_ms && !opt->npids &&
	       t->now_ms + t->dt_ms - t->full_ms <= opt->pss_max_age_ms && t->statuses * 3 < t->n;
}

/* Finds the previous record of p (same pid and start time) while walking t->procs in order. */
static struct proc *
previous(struct table *t, const struct proc *p, size_t *j)
{
	while (*j < t->n && t->procs[*j].val[F_PID] < p->val[F_PID])
		(*j)++;
	if (*j < t->n && t->procs[*j].val[F_PID] == p->val[F_PID] &&
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
		if (!needs_status(p, o, swap_moved))
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
	s->light = scan_light(t, opt);
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
	spread_init(&sp, t, s->now_ms, s->dt_ms, opt);
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		struct proc *p = &s->procs[i];
		const struct proc *o = prev[i];
		bool asked = w < nwant && want[w] == p;
		enum roll rolled = ROLL_NO;

		w += asked;
		if (s->light && !asked && o)
			carry_status(p, o);
		if ((asked && !(p->flags & PROC_STATUS)) || /* gone since the scan */
		    ((p->flags & PROC_KTHREAD) && !opt->kthreads) ||
		    !fill_rollup(s, src, p, o, opt, &sp, &rolled) ||
		    !fill_details(s, src, p, o, opt, rolled)) {
			drop_proc(p);
			continue;
		}
		p->flags &= (uint8_t)~PROC_STATUS;
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
	for (size_t i = 0; i < s->n; i++) {
		struct proc *o = previous(t, &s->procs[i], &j);

		fill_history(t, &s->procs[i], o, opt);
		leak_track(&s->procs[i], o, table_time_ds(t, t->now_ms), opt->leak_cap);
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
	struct proc key = { .val[F_PID] = pid };

	if (!t->n)
		return NULL; /* procs may be NULL, which bsearch() must not be given */
	return bsearch(&key, t->procs, t->n, sizeof *t->procs, by_pid);
}
