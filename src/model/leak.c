/*
 * Leak estimation (see leak.h for the rule). Both front ends reduce their
 * history to at most LEAK_GROUPS envelope points (time of the minimum, the
 * minimum); leak_from_minima() fits and judges. A few dozen points: the
 * Theil-Sen fit over them costs microseconds, so every process can be
 * judged on every refresh.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "model/leak.h"
#include "model/trend.h"
#include "util/round.h"
#include "util/xalloc.h"

/* Fits the minima idx [from, n) into *r; -EINVAL when too few. */
static int
fit_range(const double *t_s, const double *kib, size_t from, size_t n, struct trend *r)
{
	return trend_fit(t_s + from, kib + from, n - from, r);
}

int
leak_from_minima(const double *t_s, const double *kib, size_t n, struct leak *out)
{
	struct trend all, recent;

	if (n < LEAK_MIN_GROUPS || t_s[n - 1] - t_s[0] < LEAK_MIN_SPAN_S)
		return -ENODATA;
	if (fit_range(t_s, kib, 0, n, &all) < 0 || fit_range(t_s, kib, n / 2, n, &recent) < 0)
		return -ENODATA;

	struct leak l = {
		.kib_per_h = all.slope * 3600,
		.confidence = all.confidence,
		.spread_kib = all.spread,
		.recent_kib_per_h = recent.slope * 3600,
		.start_s = t_s[0],
		.end_s = t_s[n - 1],
		.since_s = t_s[0],
		.groups = n,
	};
	double growth = all.slope * (l.end_s - l.start_s);
	double lowest = kib[0];

	for (size_t i = 1; i < n; i++)
		if (kib[i] <= lowest) {
			lowest = kib[i];
			l.since_s = t_s[i];
		}
	l.suspect = l.kib_per_h >= LEAK_MIN_KIB_PER_H && l.confidence >= LEAK_MIN_CONFIDENCE &&
		    l.recent_kib_per_h >= l.kib_per_h / 4 && growth >= LEAK_MIN_GROWTH_KIB &&
		    growth >= 4 * l.spread_kib;
	*out = l;
	return 0;
}

int
leak_from_lowenv(const struct lowenv *e, struct leak *out)
{
	double t[LEAK_GROUPS], v[LEAK_GROUPS];
	size_t per = ((size_t)e->n + LEAK_GROUPS - 1) / LEAK_GROUPS, m = 0;

	for (size_t g = 0; g * per < e->n; g++) {
		bool any = false;

		for (size_t i = g * per; i < (g + 1) * per && i < e->n; i++) {
			uint32_t ds;
			uint64_t kib;

			if (!lowenv_get(e, (uint16_t)i, &ds, &kib))
				continue;
			if (!any || (double)kib < v[m]) {
				t[m] = ds / 10.0;
				v[m] = (double)kib;
			}
			any = true;
		}
		m += any;
	}
	return leak_from_minima(t, v, m, out);
}

/* Which series the identity run [from, n) follows: PSS when known in at least half. */
static bool
use_pss(const struct leak_point *p, size_t from, size_t n)
{
	size_t pss = 0;

	for (size_t i = from; i < n; i++)
		pss += !isnan(p[i].pss_kib);
	return pss * 2 >= n - from;
}

int
leak_from_points(const struct leak_point *p, size_t n, struct leak *out)
{
	double t[LEAK_GROUPS], v[LEAK_GROUPS];
	size_t from = n, m = 0;

	if (n == 0)
		return -ENODATA;
	while (from > 0 && p[from - 1].start == p[n - 1].start)
		from--;
	bool pss = use_pss(p, from, n);
	double t0 = p[from].t_s, span = p[n - 1].t_s - t0;

	if (!(span > 0))
		return -ENODATA;
	for (size_t g = 0, i = from; g < LEAK_GROUPS; g++) {
		/* group g: [t0 + g * span / G, t0 + (g + 1) * span / G); the last closed */
		double end = g + 1 == LEAK_GROUPS ? INFINITY
						  : t0 + span * (double)(g + 1) / LEAK_GROUPS;
		bool any = false;

		for (; i < n && p[i].t_s < end; i++) {
			double y = pss ? p[i].pss_kib : p[i].rss_kib;

			if (isnan(y) || isnan(p[i].t_s))
				continue;
			if (!any || y < v[m]) {
				t[m] = p[i].t_s;
				v[m] = y;
			}
			any = true;
		}
		m += any;
	}
	return leak_from_minima(t, v, m, out);
}

/*
 * The minima of points (t[i], y[i]) (oldest first; a NaN value is a gap) in
 * `groups` groups of equal duration over [t[0], t[n - 1]], the last one
 * closed, into tm[], vm[] (each at the time of its minimum). Returns how many
 * groups held a value.
 */
static size_t
group_minima(const double *t, const double *y, size_t n, size_t groups, double *tm, double *vm)
{
	size_t m = 0;

	if (!n)
		return 0;
	double t0 = t[0], span = t[n - 1] - t0;

	for (size_t g = 0, i = 0; g < groups && i < n; g++) {
		double end = g + 1 == groups || !(span > 0) ? INFINITY
							     : t0 + span * (double)(g + 1) / (double)groups;
		bool any = false;

		for (; i < n && t[i] < end; i++) {
			if (isnan(y[i]))
				continue;
			if (!any || y[i] < vm[m]) {
				tm[m] = t[i];
				vm[m] = y[i];
			}
			any = true;
		}
		m += any;
	}
	return m;
}

void
leak_past_reduce(struct leak_past *out, const int64_t *t_ms, const double *kib, size_t n,
		 int64_t until_ms, bool pss)
{
	const int64_t groups = LEAK_PAST_POINTS;
	double held = NAN; /* the value in effect when a group starts */
	size_t i = 0, m = 0;

	struct leak_past_point pt[LEAK_PAST_POINTS];

	out->pss = pss;
	out->n = 0;
	free(out->p);
	out->p = NULL;
	if (!n)
		return;
	int64_t t0 = t_ms[0], span = (until_ms > t_ms[n - 1] ? until_ms : t_ms[n - 1]) - t0;

	for (int64_t g = 0; g < groups && (span > 0 || g == 0); g++) {
		int64_t start = t0 + span * g / groups;
		int64_t end = g + 1 == groups || span <= 0 ? INT64_MAX : t0 + span * (g + 1) / groups;
		double best = held;
		int64_t at = start;

		for (; i < n && t_ms[i] < end; i++) {
			if (!isnan(kib[i]) && (isnan(best) || kib[i] < best)) {
				best = kib[i];
				at = t_ms[i];
			}
			held = kib[i];
		}
		if (!isnan(best))
			pt[m++] = (struct leak_past_point){ at, best };
	}
	if (m) {
		out->p = xmalloc(m * sizeof *out->p);
		memcpy(out->p, pt, m * sizeof *pt);
	}
	out->n = (uint8_t)m;
}

void
leak_pasts_drop(struct leak_pasts *s, size_t i)
{
	free(s->v[i].p);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
	s->n--;
}

void
leak_pasts_fini(struct leak_pasts *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].p);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int
by_identity(pid_t pid, uint64_t start, const struct leak_past *b)
{
	if (pid != b->pid)
		return pid < b->pid ? -1 : 1;
	return (start > b->start_ticks) - (start < b->start_ticks);
}

/* Index of (pid, start) in s, or of where it would go. */
static size_t
past_index(const struct leak_pasts *s, pid_t pid, uint64_t start, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = by_identity(pid, start, &s->v[mid]);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

const struct leak_past *
leak_past_find(const struct leak_pasts *s, pid_t pid, uint64_t start_ticks)
{
	bool found;
	size_t i = s ? past_index(s, pid, start_ticks, &found) : 0;

	return s && found ? &s->v[i] : NULL;
}

struct leak_past *
leak_past_slot(struct leak_pasts *s, pid_t pid, uint64_t start_ticks)
{
	bool found;
	size_t i = past_index(s, pid, start_ticks, &found);

	if (found)
		return &s->v[i];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
	s->n++;
	memset(&s->v[i], 0, sizeof s->v[i]);
	s->v[i].pid = pid;
	s->v[i].start_ticks = start_ticks;
	return &s->v[i];
}

/* Whether a past is joined to an envelope of kind `kind` at all. */
static bool
joins(const struct leak_past *past, uint8_t kind)
{
	return past && past->n && past->pss == (kind == LOWENV_PSS);
}

int
leak_from_joined(const struct lowenv *e, const struct leak_past *past, int64_t base_ms,
		 struct leak *out)
{
	double t[LEAK_PAST_POINTS + LOWENV_BLOCKS], v[LEAK_PAST_POINTS + LOWENV_BLOCKS];
	double tm[LEAK_GROUPS], vm[LEAK_GROUPS];
	size_t n = 0;
	bool first = true;
	double first_s = 0, newest_s = 0;

	if (!joins(past, e->h.kind))
		return leak_from_lowenv(e, out);
	for (uint16_t i = 0; i < e->n; i++) {
		uint32_t ds;
		uint64_t kib;

		if (!lowenv_get(e, i, &ds, &kib))
			continue;
		if (first)
			first_s = ds / 10.0;
		newest_s = ds / 10.0;
		first = false;
	}
	if (first)
		return leak_from_lowenv(e, out);
	/* the recorded minima first: those before the live envelope and within the window */
	for (size_t i = 0; i < past->n; i++) {
		double ts = (double)(past->p[i].t_ms - base_ms) / 1000.0;

		if (ts < first_s && ts >= newest_s - LEAK_PAST_WINDOW_S) {
			t[n] = ts;
			v[n++] = past->p[i].kib;
		}
	}
	if (!n)
		return leak_from_lowenv(e, out); /* nothing older than the live envelope */
	for (uint16_t i = 0; i < e->n; i++) {
		uint32_t ds;
		uint64_t kib;

		if (lowenv_get(e, i, &ds, &kib)) {
			t[n] = ds / 10.0;
			v[n++] = (double)kib;
		}
	}
	return leak_from_minima(tm, vm, group_minima(t, v, n, LEAK_GROUPS, tm, vm), out);
}

/*
 * leak_from_lowenv() of a short form without its ring: its blocks all hold
 * one value, so each group's minimum is the group's first block (a tie keeps
 * the older). At most LEAK_GROUPS clock reads, not a ring of LOWENV_BLOCKS:
 * an idle process costs no more than a full envelope.
 */
static int
leak_from_flat(const struct lowenv_hdr *e, const struct lowenv_clock *c, struct leak *out)
{
	uint32_t ds[LEAK_GROUPS];
	double t[LEAK_GROUPS], v[LEAK_GROUPS];
	uint16_t n = lowenv_flat_blocks(e), per = (uint16_t)((n + LEAK_GROUPS - 1) / LEAK_GROUPS);
	uint16_t m = n ? lowenv_flat_times(e, c, per, ds) : 0;

	for (uint16_t i = 0; i < m; i++) {
		t[i] = ds[i] / 10.0;
		v[i] = (double)hist_unpack(e->v);
	}
	return leak_from_minima(t, v, m, out);
}

int
leak_from_env(const struct lowenv_hdr *e, const struct lowenv_clock *c,
	      const struct leak_past *past, int64_t base_ms, struct leak *out)
{
	struct lowenv tmp;

	if (!joins(past, e->kind))
		return e->full ? leak_from_lowenv((const struct lowenv *)e, out)
			       : leak_from_flat(e, c, out);
	return leak_from_joined(lowenv_full(e, c, &tmp), past, base_ms, out);
}

void
leak_track(struct proc *p, struct proc *o, const struct lowenv_clock *clock,
	   uint32_t cap_samples, const struct leak_past *past, int64_t base_ms)
{
	struct leak l;

	if (!cap_samples || (p->flags & PROC_KTHREAD))
		return;
	if (o && o->env) {
		p->env = o->env;
		o->env = NULL;
	} else {
		p->env = lowenv_new(cap_samples);
	}
	lowenv_feed(&p->env, clock, proc_has(p, F_PSS), (uint64_t)proc_val(p, F_PSS),
		    proc_has(p, F_RSS), (uint64_t)proc_val(p, F_RSS));
	if (leak_from_env(p->env, clock, past, base_ms, &l) < 0)
		return;
	proc_set(p, F_LEAK, round_i64(l.kib_per_h));
	if (!l.suspect)
		return;
	int32_t since = (int32_t)round_i64(l.since_s * 10);

	if (o && (o->flags & PROC_LEAK) && o->leak_since_ds < since)
		since = o->leak_since_ds;
	p->flags |= PROC_LEAK;
	p->leak_since_ds = since;
}

int64_t
leak_unix_ms(const struct table *t, int64_t time_ds)
{
	return t->wall_ms - (int64_t)(t->now_ms - t->t0_ms) + time_ds * 100;
}

static int
by_rate(const void *a, const void *b)
{
	const struct leak_row *x = a, *y = b;

	if (x->kib_per_h != y->kib_per_h)
		return x->kib_per_h > y->kib_per_h ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

size_t
leak_suspects(const struct table *t, const struct proc *const *procs, size_t nprocs,
	      struct leak_row **rows, size_t *cap, size_t *estimated)
{
	size_t n = 0, est = 0;

	for (size_t i = 0; i < nprocs; i++) {
		const struct proc *p = procs[i];

		est += proc_has(p, F_LEAK);
		if (!(p->flags & PROC_LEAK) || !proc_has(p, F_LEAK))
			continue;
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*rows = xreallocarray(*rows, *cap, sizeof **rows);
		}
		struct leak_row *r = &(*rows)[n++];
		bool pss = p->env && p->env->kind == LOWENV_PSS;
		enum field f = pss ? F_PSS : F_RSS;

		memset(r, 0, sizeof *r);
		r->pid = proc_val(p, F_PID);
		snprintf(r->comm, sizeof r->comm, "%s", proc_comm(p));
		r->kib_per_h = proc_val(p, F_LEAK);
		r->since_unix_ms = leak_unix_ms(t, p->leak_since_ds);
		r->pss = pss;
		r->kib = proc_has(p, f) ? proc_val(p, f) : -1;
	}
	if (n)
		qsort(*rows, n, sizeof **rows, by_rate);
	if (estimated)
		*estimated = est;
	return n;
}
