/*
 * What the collector thread reads from a recording (--history; collector.h):
 * the pasts for the leak estimates and the series of the process on the
 * detail screen. It runs between a collect and its commit, without the
 * collector's lock, so keys and frames never wait for SQLite; the model gets
 * the plain series (model/leak.h), the views the published struct recalled.
 *
 * Only processes that ran before smaptop's first refresh are looked up for
 * their leak estimate: the live envelope has all of a younger one. Each is
 * looked up once (the answer, even "not recorded", is kept in c->pasts until
 * the process is gone), the rows on screen first, at most RECALL_BUDGET_MS of
 * reads a refresh (measured: about 0.2 ms a look-up), so thousands of
 * processes fill their estimates over a few refreshes instead of delaying
 * one by seconds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/history.h"
#include "ui/collector.h"
#include "util/xalloc.h"

enum {
	RECALL_BUDGET_MS = 200,
	RECALL_REFRESH_MS = 60000,   /* the detail's series are read again this often */
	RECALL_SPAN_MS = 7 * 86400000, /* the detail's graphs reach back a week (the widest zoom) */
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The points of s as arrays (NaN where unavailable), the first moved up to from_ms. */
static size_t
points(const struct series *s, int64_t from_ms, int64_t **t, double **v, size_t *cap)
{
	if (*cap < s->n + 2) {
		*cap = s->n + 2;
		*t = xreallocarray(*t, *cap, sizeof **t);
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	for (size_t i = 0; i < s->n; i++) {
		/* the first point is the value in effect at from_ms: it counts from there */
		(*t)[i] = s->v[i].t_ms < from_ms ? from_ms : s->v[i].t_ms;
		(*v)[i] = s->v[i].known ? (double)s->v[i].value : NAN;
	}
	return s->n;
}

static bool
mostly_known(const struct series *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++)
		k += s->v[i].known;
	return s->n && k * 2 >= s->n;
}

/* Reads one process's past into slot p: PSS where it was mostly recorded, else RSS. */
static void
read_past(struct collector *c, struct leak_past *p, int64_t now_ms, struct series *s,
	  int64_t **t, double **v, size_t *cap)
{
	int64_t from = now_ms - (int64_t)LEAK_PAST_WINDOW_S * 1000;
	bool pss = true;

	if (history_series(c->history, c->boot_id, p->pid, p->start_ticks, F_PSS, from, now_ms, s) < 0)
		return; /* n stays 0: a read error counts as nothing recorded */
	if (s->n && !mostly_known(s)) {
		pss = false;
		if (history_series(c->history, c->boot_id, p->pid, p->start_ticks, F_RSS, from, now_ms,
				   s) < 0)
			return;
	}
	size_t n = points(s, from, t, v, cap);

	leak_past_reduce(p, *t, *v, n, s->until_ms, pss);
}

/* Drops from c->pasts the processes the sample no longer has (both are sorted by pid). */
static void
forget_gone(struct collector *c, const struct sample *smp)
{
	struct leak_pasts *ps = &c->pasts;
	size_t j = 0, kept = 0;

	for (size_t i = 0; i < ps->n; i++) {
		struct leak_past *p = &ps->v[i];
		bool alive = false;

		while (j < smp->n && proc_val(&smp->procs[j], F_PID) < p->pid)
			j++;
		for (size_t k = j; k < smp->n && proc_val(&smp->procs[k], F_PID) == p->pid; k++)
			alive |= smp->procs[k].start_ticks == p->start_ticks;
		if (alive)
			ps->v[kept++] = *p;
		else
			free(p->p);
	}
	ps->n = kept;
}

/* Is p to be looked up: it ran before the first refresh, and was not looked up yet? */
static bool
wanted(const struct collector *c, const struct proc *p, int64_t first_ms)
{
	return !(p->flags & PROC_KTHREAD) && proc_has(p, F_START) &&
	       proc_val(p, F_START) * 1000 <= first_ms &&
	       !leak_past_find(&c->pasts, (pid_t)proc_val(p, F_PID), p->start_ticks);
}

/* The sample's process with this pid (the sample is sorted by pid), or NULL. */
static const struct proc *
in_sample(const struct sample *smp, pid_t pid)
{
	size_t lo = 0, hi = smp->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (proc_val(&smp->procs[mid], F_PID) == pid)
			return &smp->procs[mid];
		if (proc_val(&smp->procs[mid], F_PID) < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
recall_pasts(struct collector *c, const pid_t *first, size_t nfirst)
{
	const struct table *t = &c->t;
	const struct sample *smp = &t->next;
	uint64_t t_begin = mono_ms();
	/* the wall time of smaptop's first refresh (this one, when it is the first) */
	int64_t first_ms = t->refreshes ? t->wall_ms - (int64_t)(t->now_ms - t->t0_ms) : smp->wall_ms;
	struct series s = { 0 };
	int64_t *tm = NULL;
	double *v = NULL;
	size_t cap = 0;

	if (!c->history || !c->opt.leak_cap)
		return;
	forget_gone(c, smp);
	/* the rows on screen first, then every process in pid order */
	for (size_t i = 0; i < nfirst + smp->n; i++) {
		const struct proc *p = i < nfirst ? in_sample(smp, first[i]) : &smp->procs[i - nfirst];

		if (!p || !wanted(c, p, first_ms))
			continue;
		if (mono_ms() - t_begin >= RECALL_BUDGET_MS)
			break; /* the rest at the next refresh */
		read_past(c, leak_past_slot(&c->pasts, (pid_t)proc_val(p, F_PID), p->start_ticks),
			  smp->wall_ms, &s, &tm, &v, &cap);
	}
	series_fini(&s);
	free(tm);
	free(v);
}

void
recalled_fini(struct recalled *r)
{
	for (int k = 0; k < HIST_SERIES; k++) {
		free(r->t_ms[k]);
		free(r->v[k]);
	}
	memset(r, 0, sizeof *r);
}

/* Series k of r from s: the points, the last one repeated at until_ms, then a break. */
static void
fill_series(struct recalled *r, int k, const struct series *s, int64_t from_ms)
{
	size_t n = points(s, from_ms, &r->t_ms[k], &r->v[k], &r->cap[k]);

	r->first[k] = r->last[k] = NAN;
	for (size_t i = 0; i < n; i++) {
		if (isnan(r->v[k][i]))
			continue;
		if (isnan(r->first[k]))
			r->first[k] = r->v[k][i];
		r->last[k] = r->v[k][i];
	}
	/* since: when the first point was recorded, even before the span read */
	if (n && (!r->since_ms || s->v[0].t_ms < r->since_ms))
		r->since_ms = s->v[0].t_ms;
	if (n && s->until_ms > r->t_ms[k][n - 1]) {
		r->t_ms[k][n] = s->until_ms;
		r->v[k][n] = r->v[k][n - 1];
		n++;
	}
	if (n) {
		r->t_ms[k][n] = r->t_ms[k][n - 1] + 1;
		r->v[k][n++] = NAN;
	}
	r->n[k] = n;
}

bool
recall_detail(struct collector *c, pid_t pid, uint64_t start)
{
	static const enum field fields[HIST_SERIES] = {
		[H_RSS] = F_RSS, [H_VSZ] = F_VSZ, [H_PSS] = F_PSS, [H_SWAP] = F_SWAP,
	};
	struct recalled *r = &c->recall_next;
	const struct recalled *shown = &c->recalled; /* written by this thread only */
	int64_t now = c->t.next.wall_ms;
	struct series s = { 0 };

	if (!c->history || !pid)
		return false;
	if (shown->pid == pid && shown->start == start && now - shown->fetched_ms < RECALL_REFRESH_MS)
		return false;
	r->pid = pid;
	r->start = start;
	r->fetched_ms = now;
	r->since_ms = r->until_ms = 0;
	r->rc = 0;
	for (int k = 0; k < HIST_SERIES; k++) {
		int rc = history_series(c->history, c->boot_id, pid, start, fields[k],
					now - RECALL_SPAN_MS, now, &s);

		if (rc < 0)
			r->rc = rc;
		fill_series(r, k, rc < 0 ? &(struct series){ 0 } : &s, now - RECALL_SPAN_MS);
		if (s.until_ms > r->until_ms)
			r->until_ms = s.until_ms;
	}
	series_fini(&s);
	return true;
}
