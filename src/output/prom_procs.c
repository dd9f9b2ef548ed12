/*
 * The per-process families (see prom_parts.h). Processes become series first
 * (build_*): one per process for the top N by PSS plus one remainder, or one
 * per key (command name, user, cgroup) with the groups past the top N folded
 * into the remainder. Then every family is written in one pass over the
 * series, so a family's samples are always contiguous.
 */
#include "output/prom_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct pmetric {
	const char *name, *help;
	enum field f;
	int64_t scale;  /* the model's unit to the exported one (KiB -> bytes: 1024) */
	int64_t div;    /* written as val / div with decimals when not 1 (per hour -> per second) */
	bool counter;
	bool max;       /* a group or the remainder shows its highest member, not the sum */
};

static const struct pmetric pmetrics[PM_NUM] = {
	[PM_RSS] = { "smaptop_process_rss_bytes",
		     "Resident set size (status VmRSS); shared pages count in every process",
		     F_RSS, 1024, 1, false, false },
	[PM_PSS] = { "smaptop_process_pss_bytes",
		     "Proportional set size (smaps_rollup Pss): shared pages divided among "
		     "their users, adds up across processes", F_PSS, 1024, 1, false, false },
	[PM_USS] = { "smaptop_process_uss_bytes",
		     "Unique set size (smaps_rollup Private_Clean + Private_Dirty)", F_USS, 1024,
		     1, false, false },
	[PM_SWAP] = { "smaptop_process_swap_bytes", "Memory in swap (status VmSwap)", F_SWAP,
		      1024, 1, false, false },
	[PM_SWAP_PSS] = { "smaptop_process_swap_pss_bytes",
			  "Swap divided among the processes sharing it (smaps_rollup SwapPss)",
			  F_SWAP_PSS, 1024, 1, false, false },
	[PM_VSZ] = { "smaptop_process_virtual_memory_bytes", "Virtual size (status VmSize)",
		     F_VSZ, 1024, 1, false, false },
	[PM_OOM] = { "smaptop_process_oom_score",
		     "OOM killer score (oom_score); for a group or the rest, the highest",
		     F_OOM_SCORE, 1, 1, false, true },
	[PM_OOM_ADJ] = { "smaptop_process_oom_score_adj",
			 "OOM score adjustment (oom_score_adj); for a group or the rest, the highest",
			 F_OOM_ADJ, 1, 1, false, true },
	[PM_MINFLT] = { "smaptop_process_minor_faults_total",
			"Minor page faults (stat minflt); a group's sum drops when a member exits",
			F_MINFLT, 1, 1, true, false },
	[PM_MAJFLT] = { "smaptop_process_major_faults_total",
			"Major page faults (stat majflt); a group's sum drops when a member exits",
			F_MAJFLT, 1, 1, true, false },
	/* Only with history (a served or repeated exporter): the model leaves it unknown before. */
	[PM_LEAK] = { "smaptop_process_leak_bytes_per_second",
		      "Sustained growth of the lower envelope of PSS (RSS where PSS is unavailable), "
		      "the leak column; a group's is its members' sum; absent until 8 samples over "
		      "30 s", F_LEAK, 1024, 3600, false, false },
};

static struct prom_series *
series_new(struct prom_scratch *s)
{
	if (s->nseries == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->series = xreallocarray(s->series, s->cap, sizeof *s->series);
	}
	struct prom_series *r = &s->series[s->nseries++];
	memset(r, 0, sizeof *r);
	r->lab_off = s->labels.len;
	return r;
}

static void
series_add(struct prom_series *r, const struct proc *p)
{
	for (int m = 0; m < PM_NUM; m++) {
		const struct pmetric *pm = &pmetrics[m];
		if (!proc_has(p, pm->f))
			continue;
		int64_t v = prom_sat_mul(proc_val(p, pm->f), pm->scale);
		uint32_t bit = 1u << m;
		if (!(r->known & bit))
			r->val[m] = v;
		else if (pm->max)
			r->val[m] = v > r->val[m] ? v : r->val[m];
		else
			r->val[m] = prom_sat_add(r->val[m], v);
		r->known |= bit;
	}
	r->nprocs++;
}

static void
label(struct prom_scratch *s, const char *name, const char *v, size_t n, bool first)
{
	prom_label(&s->labels, &s->tmp, name, v, n, first);
}

static void
series_done(struct prom_scratch *s, struct prom_series *r)
{
	r->lab_len = s->labels.len - r->lab_off;
}

static void
add_rest(struct prom_scratch *s, const struct proc *const *v, size_t n)
{
	if (!n)
		return;
	struct prom_series *r = series_new(s);
	buf_puts(&s->labels, "pid=\"other\"");
	series_done(s, r);
	for (size_t i = 0; i < n; i++)
		series_add(r, v[i]);
}

/* One series per process for the first `top`, the rest summed (rows by PSS). */
static void
build_by_pid(struct prom_scratch *s, const struct rows *rows, size_t top)
{
	size_t own = top && top < rows->n ? top : rows->n;

	for (size_t i = 0; i < own; i++) {
		const struct proc *p = rows->v[i];
		struct prom_series *r = series_new(s);
		char pid[24];
		int n = snprintf(pid, sizeof pid, "%lld", (long long)proc_val(p, F_PID));
		label(s, "pid", pid, (size_t)n, true);
		label(s, "comm", proc_comm(p), strlen(proc_comm(p)), false);
		if (proc_has(p, F_USER))
			label(s, "user", p->user, strlen(p->user), false);
		if (proc_has(p, F_CGROUP) && p->cgroup)
			label(s, "cgroup", p->cgroup, strlen(p->cgroup), false);
		series_done(s, r);
		series_add(r, p);
	}
	if (own < rows->n)
		add_rest(s, rows->v + own, rows->n - own);
}

/* The key of p's group: empty when unknown (one group for those, label value ""). */
static const char *
key_of(const struct proc *p, enum prom_by by, size_t *n)
{
	if (by == PROM_BY_USER) {
		bool known = proc_has(p, F_USER);
		*n = known ? strlen(p->user) : 0;
		return known ? p->user : "";
	}
	if (by == PROM_BY_CGROUP) {
		bool known = proc_has(p, F_CGROUP) && p->cgroup;
		*n = known ? strlen(p->cgroup) : 0;
		return known ? p->cgroup : "";
	}
	*n = strlen(proc_comm(p));
	return proc_comm(p);
}

static int
cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

/* qsort_r: by key, then by pid. ctx: the enum prom_by. */
static int
cmp_key(const void *a, const void *b, void *ctx)
{
	const struct proc *pa = *(const struct proc *const *)a, *pb = *(const struct proc *const *)b;
	enum prom_by by = *(const enum prom_by *)ctx;
	size_t na, nb;
	const char *ka = key_of(pa, by, &na), *kb = key_of(pb, by, &nb);
	int c = cmp_bytes(ka, na, kb, nb);

	return c ? c : (proc_val(pa, F_PID) > proc_val(pb, F_PID)) - (proc_val(pa, F_PID) < proc_val(pb, F_PID));
}

/* Biggest PSS first, unknown PSS last, ties by label text. ctx: the label text. */
static int
cmp_series(const void *a, const void *b, void *ctx)
{
	const struct prom_series *x = a, *y = b;
	const char *lab = ctx;
	bool kx = x->known & (1u << PM_PSS), ky = y->known & (1u << PM_PSS);

	if (kx != ky)
		return kx ? -1 : 1;
	if (kx && x->val[PM_PSS] != y->val[PM_PSS])
		return x->val[PM_PSS] > y->val[PM_PSS] ? -1 : 1;
	return cmp_bytes(lab + x->lab_off, x->lab_len, lab + y->lab_off, y->lab_len);
}

/* Processes summed by key; the first `top` groups by PSS keep their series. */
static void
build_groups(struct prom_scratch *s, const struct rows *rows, enum prom_by by, size_t top)
{
	if (rows->n > s->capkey) {
		s->capkey = rows->n;
		s->by_key = xreallocarray(s->by_key, s->capkey, sizeof *s->by_key);
	}
	if (!rows->n)
		return; /* (qsort_r and memcpy may not be given NULL, even for nothing) */
	memcpy(s->by_key, rows->v, rows->n * sizeof *rows->v);
	qsort_r(s->by_key, rows->n, sizeof *s->by_key, cmp_key, &by);
	for (size_t i = 0; i < rows->n;) {
		size_t n, m;
		const char *mk, *k = key_of(s->by_key[i], by, &n);
		struct prom_series *r = series_new(s);
		label(s, prom_by_name(by), k, n, true);
		series_done(s, r);
		do {
			series_add(r, s->by_key[i++]);
		} while (i < rows->n && (mk = key_of(s->by_key[i], by, &m), cmp_bytes(mk, m, k, n) == 0));
	}
	qsort_r(s->series, s->nseries, sizeof *s->series, cmp_series, s->labels.data);
	if (!top || s->nseries <= top)
		return;
	/* Fold the groups past top into one remainder series. */
	struct prom_series rest = { 0 };
	for (size_t i = top; i < s->nseries; i++) {
		const struct prom_series *g = &s->series[i];
		for (int mi = 0; mi < PM_NUM; mi++) {
			uint32_t bit = 1u << mi;
			if (!(g->known & bit))
				continue;
			if (!(rest.known & bit))
				rest.val[mi] = g->val[mi];
			else if (pmetrics[mi].max)
				rest.val[mi] = g->val[mi] > rest.val[mi] ? g->val[mi] : rest.val[mi];
			else
				rest.val[mi] = prom_sat_add(rest.val[mi], g->val[mi]);
			rest.known |= bit;
		}
		rest.nprocs += g->nprocs;
	}
	s->nseries = top;
	struct prom_series *r = series_new(s);
	*r = rest;
	r->lab_off = s->labels.len;
	buf_puts(&s->labels, "pid=\"other\"");
	series_done(s, r);
}

static void
render_series(struct buf *b, const struct prom_scratch *s)
{
	const char *lab = s->labels.data;

	for (int m = 0; m < PM_NUM; m++) {
		const struct pmetric *pm = &pmetrics[m];
		bool any = false;
		for (size_t i = 0; i < s->nseries && !any; i++)
			any = s->series[i].known & (1u << m);
		if (!any)
			continue;
		prom_family(b, pm->name, pm->help, pm->counter);
		for (size_t i = 0; i < s->nseries; i++) {
			const struct prom_series *r = &s->series[i];
			if (!(r->known & (1u << m)))
				continue;
			if (pm->div == 1)
				prom_sample_i64(b, pm->name, lab + r->lab_off, r->lab_len, r->val[m]);
			else
				prom_sample_ratio(b, pm->name, lab + r->lab_off, r->lab_len, r->val[m],
						  pm->div);
		}
	}
	if (!s->nseries)
		return;
	prom_family(b, "smaptop_processes", "Processes summed into the series", false);
	for (size_t i = 0; i < s->nseries; i++)
		prom_sample_i64(b, "smaptop_processes", lab + s->series[i].lab_off,
				s->series[i].lab_len, s->series[i].nprocs);
}

void
prom_procs_render(struct buf *b, const struct table *t, const struct selection *sel,
		  const struct prom_opts *o, struct prom_scratch *s)
{
	struct selection all = *sel;

	all.sort = F_PSS;
	all.reverse = false;
	all.top = 0;
	select_rows(t, &all, &s->rows);
	buf_clear(&s->labels);
	s->nseries = 0;
	if (o->by == PROM_BY_PID)
		build_by_pid(s, &s->rows, o->top);
	else
		build_groups(s, &s->rows, o->by, o->top);
	render_series(b, s);
}
