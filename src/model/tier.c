/* Tiered collection: what a refresh reads again and what it carries over (see tier.h). */
#include "model/tier.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"

static bool
mem_changed(const struct proc *p, const struct proc *o)
{
	return proc_val(p, F_RSS) != proc_val(o, F_RSS) || proc_val(p, F_VSZ) != proc_val(o, F_VSZ) ||
	       proc_val(p, F_SWAP) != proc_val(o, F_SWAP);
}

/* Is a value read at `stamp` (by o, the same process last refresh) to be read again? */
static bool
stale(const struct proc *p, const struct proc *o, uint32_t stamp, uint64_t now,
      const struct table_opts *opt)
{
	return !o || !opt->pss_max_age_ms || proc_age_ms(stamp, now) > opt->pss_max_age_ms ||
	       (opt->fresh_pid && proc_val(p, F_PID) == opt->fresh_pid) ||
	       strcmp(proc_comm(p), proc_comm(o)) != 0;
}

enum { SPREAD_STEPS = 64 };

static bool
rollup_by_age(const struct proc *p, const struct table_opts *opt)
{
	return !(p->flags & (PROC_ROLLUP_DENIED | PROC_ZOMBIE | PROC_KTHREAD)) &&
	       !(opt->big_rss_kib && (uint64_t)proc_val(p, F_RSS) > opt->big_rss_kib);
}

/* Further refreshes o's PSS may be shown at before it is past the age bound. */
static uint64_t
steps_to_due(const struct proc *o, uint64_t now, uint64_t dt, const struct table_opts *opt)
{
	uint64_t age = proc_age_ms(o->pss_ms, now);
	return age < opt->pss_max_age_ms ? (opt->pss_max_age_ms - age) / dt : 0;
}

void
tier_spread_init(struct spread *sp, const struct table *t, uint64_t now, uint64_t dt,
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
		if (proc_age_ms(o->pss_ms, now) > opt->pss_max_age_ms) {
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
			proc_store(p, (enum field)f, proc_val(o, (enum field)f));
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
bool
tier_rollup(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
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
			p->pss_ms = proc_stamp(s->now_ms); /* retried when the age bound passes */
	} else {
		carry_rollup(p, o);
	}
	if (p->flags & PROC_ROLLUP_DENIED)
		s->denied++;
	/* A live read is stamped after the scan began: age 0, never negative. */
	if (proc_has(p, F_PSS) && p->pss_ms) /* 0: the source cannot tell (a replay) */
		proc_set(p, F_PSS_AGE, (int64_t)proc_age_ms(p->pss_ms, s->now_ms));
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
	    (rolled == ROLL_CHANGE && proc_age_ms(o->aux_ms, now) >= opt->pss_max_age_ms / 2))
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
	uint64_t every = opt->pss_max_age_ms * (6 + (uint64_t)proc_val(p, F_PID) % 5);

	if (!opt->cgroups)
		return false;
	if (!o || !opt->pss_max_age_ms || !(o->flags & PROC_CG_READ) ||
	    strcmp(proc_comm(p), proc_comm(o)) ||
	    (opt->fresh_pid && proc_val(p, F_PID) == opt->fresh_pid))
		return true;
	return proc_age_ms(o->cg_ms, now) > every;
}

/* Returns false when p vanished while its details were read. */
bool
tier_details(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
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
	p->aux_ms = (what & all) == all ? proc_stamp(s->now_ms) : o->aux_ms;
	p->cg_ms = what & DETAIL_CGROUP ? proc_stamp(s->now_ms) : o ? o->cg_ms : 0;
	return true;
}

/*
 * Does p need status read, or may a light scan carry it over from o? stat
 * shows every way the values of status move but two. RSS (its approximate
 * counter, in pages), VSZ and the fault counters move whenever the process
 * maps, unmaps or faults a page in, or has enough pages reclaimed. Swap can
 * be freed with none of that (MADV_DONTNEED or MADV_FREE of swapped-out
 * memory), but then the system's swap total moves: every status is read.
 * And a reclaim too small to move the approximate counter shows at the next
 * full scan, at most the age bound later (tier_scan_light).
 */
bool
tier_needs_status(const struct proc *p, const struct proc *o, bool swap_moved)
{
	if (!o)
		return true;
	if (p->flags & (PROC_ZOMBIE | PROC_KTHREAD))
		return false; /* no memory: status holds only the owner, carried */
	return !proc_has(o, F_RSS) || swap_moved || proc_val(p, F_VSZ) != proc_val(o, F_VSZ) ||
	       p->stat_rss != o->stat_rss || proc_val(p, F_MINFLT) != proc_val(o, F_MINFLT) ||
	       proc_val(p, F_MAJFLT) != proc_val(o, F_MAJFLT);
}

void
tier_carry_status(struct proc *p, const struct proc *o)
{
	bool no_mm = p->flags & (PROC_ZOMBIE | PROC_KTHREAD);

	carry_fields(p, o, no_mm ? FIELD_BIT(F_UID) | FIELD_BIT(F_USER) : STATUS_FIELDS);
	p->user = o->user;
}

/*
 * A light scan reads stat only. The next refresh is a full one (stat and
 * status of every process) when the age bound would pass before it since the
 * last full one, so that no carried status is older than PSS may be; and when
 * a third or more of the known processes needed status last time: a chosen
 * process is re-read whole (stat again, to know it is the same process, then
 * status), so past that a full scan costs less.
 * -p reads few processes, and in full.
 */
bool
tier_scan_light(const struct table *t, const struct table_opts *opt)
{
	return t->refreshes && opt->rollup && opt->pss_max_age_ms && !opt->npids &&
	       t->now_ms + t->dt_ms - t->full_ms <= opt->pss_max_age_ms && t->statuses * 3 < t->n;
}
