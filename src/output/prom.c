/*
 * The Prometheus text format (see prom.h). Processes become series first
 * (build_*), then every family is written in one pass over the series, so a
 * family's samples are always contiguous. The machine families are tables of
 * data indexed by the model's enums, like the columns of fields.c.
 */
#include "output/prom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xalloc.h"

struct pmetric {
	const char *name, *help;
	enum field f;
	int64_t scale;  /* the model's unit to the exported one (KiB -> bytes: 1024) */
	bool counter;
	bool max;       /* a group or the remainder shows its highest member, not the sum */
};

static const struct pmetric pmetrics[PM_NUM] = {
	[PM_RSS] = { "smaptop_process_rss_bytes",
		     "Resident set size (status VmRSS); shared pages count in every process",
		     F_RSS, 1024, false, false },
	[PM_PSS] = { "smaptop_process_pss_bytes",
		     "Proportional set size (smaps_rollup Pss): shared pages divided among "
		     "their users, adds up across processes", F_PSS, 1024, false, false },
	[PM_USS] = { "smaptop_process_uss_bytes",
		     "Unique set size (smaps_rollup Private_Clean + Private_Dirty)", F_USS, 1024,
		     false, false },
	[PM_SWAP] = { "smaptop_process_swap_bytes", "Memory in swap (status VmSwap)", F_SWAP,
		      1024, false, false },
	[PM_SWAP_PSS] = { "smaptop_process_swap_pss_bytes",
			  "Swap divided among the processes sharing it (smaps_rollup SwapPss)",
			  F_SWAP_PSS, 1024, false, false },
	[PM_VSZ] = { "smaptop_process_virtual_memory_bytes", "Virtual size (status VmSize)",
		     F_VSZ, 1024, false, false },
	[PM_OOM] = { "smaptop_process_oom_score",
		     "OOM killer score (oom_score); for a group or the rest, the highest",
		     F_OOM_SCORE, 1, false, true },
	[PM_OOM_ADJ] = { "smaptop_process_oom_score_adj",
			 "OOM score adjustment (oom_score_adj); for a group or the rest, the highest",
			 F_OOM_ADJ, 1, false, true },
	[PM_MINFLT] = { "smaptop_process_minor_faults_total",
			"Minor page faults (stat minflt); a group's sum drops when a member exits",
			F_MINFLT, 1, true, false },
	[PM_MAJFLT] = { "smaptop_process_major_faults_total",
			"Major page faults (stat majflt); a group's sum drops when a member exits",
			F_MAJFLT, 1, true, false },
};

/* Machine families: one per known value of enum mem_field. */
struct sysmetric {
	const char *name, *help;
	bool kib;       /* KiB in the model, bytes out; else a count */
};

static const struct sysmetric memmetrics[M_NUM] = {
	[M_TOTAL] = { "smaptop_memory_total_bytes", "MemTotal of /proc/meminfo", true },
	[M_FREE] = { "smaptop_memory_free_bytes", "MemFree", true },
	[M_AVAILABLE] = { "smaptop_memory_available_bytes", "MemAvailable", true },
	[M_USED] = { "smaptop_memory_used_bytes", "MemTotal - MemAvailable", true },
	[M_BUFFERS] = { "smaptop_memory_buffers_bytes", "Buffers", true },
	[M_CACHED] = { "smaptop_memory_cached_bytes", "Cached", true },
	[M_SHMEM] = { "smaptop_memory_shmem_bytes", "Shmem", true },
	[M_SLAB] = { "smaptop_memory_slab_bytes", "Slab", true },
	[M_SLAB_RECLAIM] = { "smaptop_memory_slab_reclaimable_bytes", "SReclaimable", true },
	[M_ANON] = { "smaptop_memory_anon_bytes", "AnonPages", true },
	[M_MAPPED] = { "smaptop_memory_mapped_bytes", "Mapped", true },
	[M_PAGE_TABLES] = { "smaptop_memory_page_tables_bytes", "PageTables", true },
	[M_COMMITTED] = { "smaptop_memory_committed_bytes", "Committed_AS", true },
	[M_COMMIT_LIMIT] = { "smaptop_memory_commit_limit_bytes", "CommitLimit", true },
	[M_SWAP_TOTAL] = { "smaptop_swap_size_bytes", "SwapTotal", true },
	[M_SWAP_FREE] = { "smaptop_swap_free_bytes", "SwapFree", true },
	[M_SWAP_USED] = { "smaptop_swap_used_bytes", "SwapTotal - SwapFree", true },
	[M_SWAP_CACHED] = { "smaptop_swap_cached_bytes", "SwapCached", true },
	[M_DIRTY] = { "smaptop_memory_dirty_bytes", "Dirty", true },
	[M_HUGE_TOTAL] = { "smaptop_memory_hugepages", "HugePages_Total (pages)", false },
	[M_HUGE_FREE] = { "smaptop_memory_hugepages_free", "HugePages_Free (pages)", false },
	[M_HUGE_SIZE] = { "smaptop_memory_hugepage_size_bytes", "Hugepagesize", true },
	[M_THP] = { "smaptop_memory_anon_hugepages_bytes", "AnonHugePages (THP)", true },
};

static const struct sysmetric nodemetrics[N_NUM] = {
	[N_TOTAL] = { "smaptop_numa_node_memory_total_bytes", "MemTotal of the node", true },
	[N_FREE] = { "smaptop_numa_node_memory_free_bytes", "MemFree of the node", true },
	[N_USED] = { "smaptop_numa_node_memory_used_bytes", "MemUsed of the node", true },
	[N_FILE] = { "smaptop_numa_node_memory_file_bytes", "FilePages of the node", true },
	[N_ANON] = { "smaptop_numa_node_memory_anon_bytes", "AnonPages of the node", true },
	[N_SHMEM] = { "smaptop_numa_node_memory_shmem_bytes", "Shmem of the node", true },
	[N_SLAB] = { "smaptop_numa_node_memory_slab_bytes", "Slab of the node", true },
	[N_HUGE_TOTAL] = { "smaptop_numa_node_hugepages", "HugePages_Total of the node", false },
	[N_HUGE_FREE] = { "smaptop_numa_node_hugepages_free", "HugePages_Free of the node",
			  false },
};

static const char *const by_names[] = {
	[PROM_BY_PID] = "pid", [PROM_BY_COMM] = "comm", [PROM_BY_USER] = "user",
};

const char *
prom_by_name(enum prom_by by)
{
	return by_names[by];
}

int
prom_by_parse(const char *s, enum prom_by *out)
{
	for (size_t i = 0; i < sizeof by_names / sizeof *by_names; i++) {
		if (strcmp(s, by_names[i]) == 0) {
			*out = (enum prom_by)i;
			return 0;
		}
	}
	return -EINVAL;
}

void
prom_scratch_fini(struct prom_scratch *s)
{
	buf_fini(&s->labels);
	buf_fini(&s->tmp);
	free(s->series);
	free(s->by_key);
	rows_fini(&s->rows);
	memset(s, 0, sizeof *s);
}

void
prom_escape_label(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '\\':
			rep = "\\\\";
			break;
		case '"':
			rep = "\\\"";
			break;
		case '\n':
			rep = "\\n";
			break;
		default:
			continue;
		}
		buf_put(b, s + run, i - run);
		buf_put(b, rep, 2);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void
prom_label_value(struct buf *b, struct buf *tmp, const char *s, size_t n)
{
	buf_clear(tmp);
	esc_append(tmp, s, n, 0);
	prom_escape_label(b, tmp->data ? tmp->data : "", tmp->len);
}

/* Saturating arithmetic: values come from the kernel, sums from many of them. */
static int64_t
sat_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
	return r;
}

static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

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
		int64_t v = sat_mul(p->val[pm->f], pm->scale);
		uint32_t bit = 1u << m;
		if (!(r->known & bit))
			r->val[m] = v;
		else if (pm->max)
			r->val[m] = v > r->val[m] ? v : r->val[m];
		else
			r->val[m] = sat_add(r->val[m], v);
		r->known |= bit;
	}
	r->nprocs++;
}

static void
label(struct prom_scratch *s, const char *name, const char *v, size_t n, bool first)
{
	if (!first)
		buf_putc(&s->labels, ',');
	buf_puts(&s->labels, name);
	buf_puts(&s->labels, "=\"");
	prom_label_value(&s->labels, &s->tmp, v, n);
	buf_putc(&s->labels, '"');
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
		int n = snprintf(pid, sizeof pid, "%lld", (long long)p->val[F_PID]);
		label(s, "pid", pid, (size_t)n, true);
		label(s, "comm", p->comm, strnlen(p->comm, sizeof p->comm), false);
		if (proc_has(p, F_USER))
			label(s, "user", p->user, strnlen(p->user, sizeof p->user), false);
		series_done(s, r);
		series_add(r, p);
	}
	if (own < rows->n)
		add_rest(s, rows->v + own, rows->n - own);
}

static const char *
key_of(const struct proc *p, enum prom_by by, size_t *n)
{
	if (by == PROM_BY_USER) {
		*n = proc_has(p, F_USER) ? strnlen(p->user, sizeof p->user) : 0;
		return p->user;
	}
	*n = strnlen(p->comm, sizeof p->comm);
	return p->comm;
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

	return c ? c : (pa->val[F_PID] > pb->val[F_PID]) - (pa->val[F_PID] < pb->val[F_PID]);
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
		label(s, by == PROM_BY_USER ? "user" : "comm", k, n, true);
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
				rest.val[mi] = sat_add(rest.val[mi], g->val[mi]);
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
family(struct buf *b, const char *name, const char *help, bool counter)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, counter ? "counter" : "gauge");
}

static void
sample_i64(struct buf *b, const char *name, const char *labels, size_t lab_len, int64_t v)
{
	buf_puts(b, name);
	if (lab_len) {
		buf_putc(b, '{');
		buf_put(b, labels, lab_len);
		buf_putc(b, '}');
	}
	buf_putc(b, ' ');
	buf_put_i64(b, v);
	buf_putc(b, '\n');
}

static void
render_series(struct buf *b, const struct prom_scratch *s)
{
	const char *lab = s->labels.data;

	for (int m = 0; m < PM_NUM; m++) {
		bool any = false;
		for (size_t i = 0; i < s->nseries && !any; i++)
			any = s->series[i].known & (1u << m);
		if (!any)
			continue;
		family(b, pmetrics[m].name, pmetrics[m].help, pmetrics[m].counter);
		for (size_t i = 0; i < s->nseries; i++) {
			const struct prom_series *r = &s->series[i];
			if (r->known & (1u << m))
				sample_i64(b, pmetrics[m].name, lab + r->lab_off, r->lab_len, r->val[m]);
		}
	}
	if (!s->nseries)
		return;
	family(b, "smaptop_processes", "Processes summed into the series", false);
	for (size_t i = 0; i < s->nseries; i++)
		sample_i64(b, "smaptop_processes", lab + s->series[i].lab_off, s->series[i].lab_len,
			   s->series[i].nprocs);
}

static int64_t
kib_or_count(uint64_t v, bool kib)
{
	if (v > INT64_MAX)
		return INT64_MAX;
	return kib ? sat_mul((int64_t)v, 1024) : (int64_t)v;
}

static void
render_meminfo(struct buf *b, const struct sysmem *sys)
{
	for (int f = 0; f < M_NUM; f++) {
		if (!(sys->known & (1u << f)))
			continue;
		family(b, memmetrics[f].name, memmetrics[f].help, false);
		sample_i64(b, memmetrics[f].name, NULL, 0, kib_or_count(sys->val[f], memmetrics[f].kib));
	}
}

static void
render_swaps(struct buf *b, struct buf *lab, struct buf *tmp, const struct sysmem *sys)
{
	static const char *const names[] = { "smaptop_swap_device_size_bytes",
					     "smaptop_swap_device_used_bytes",
					     "smaptop_swap_device_priority" };
	static const char *const helps[] = { "Size of the swap device (/proc/swaps)",
					     "Used space of the swap device",
					     "Priority of the swap device" };

	if (sys->nswaps <= 0)
		return;
	for (int k = 0; k < 3; k++) {
		family(b, names[k], helps[k], false);
		for (int i = 0; i < sys->nswaps; i++) {
			const struct swapdev *d = &sys->swaps[i];
			buf_clear(lab);
			buf_puts(lab, "device=\"");
			prom_label_value(lab, tmp, d->path, strnlen(d->path, sizeof d->path));
			buf_puts(lab, "\",type=\"");
			prom_label_value(lab, tmp, d->type, strnlen(d->type, sizeof d->type));
			buf_putc(lab, '"');
			int64_t v = k == 0 ? kib_or_count(d->size_kib, true)
				    : k == 1 ? kib_or_count(d->used_kib, true) : d->priority;
			sample_i64(b, names[k], lab->data, lab->len, v);
		}
	}
}

/* avg: hundredths of a percent (0..10000) -> a ratio 0..1 with four decimals. */
static void
psi_avgs(struct buf *b, const char *name, const struct psi_line *l)
{
	const uint32_t avg[3] = { l->avg10, l->avg60, l->avg300 };
	static const char *const win[3] = { "10s", "60s", "300s" };

	for (int i = 0; i < 3; i++)
		buf_printf(b, "%s{window=\"%s\"} %u.%04u\n", name, win[i], avg[i] / 10000,
			   avg[i] % 10000);
}

static void
render_psi(struct buf *b, const struct psi *p)
{
	if (!p->known)
		return;
	family(b, "smaptop_memory_pressure_some_ratio",
	       "Share of time some task stalled on memory (/proc/pressure/memory avg)", false);
	psi_avgs(b, "smaptop_memory_pressure_some_ratio", &p->some);
	if (p->full_known) {
		family(b, "smaptop_memory_pressure_full_ratio",
		       "Share of time all non-idle tasks stalled on memory", false);
		psi_avgs(b, "smaptop_memory_pressure_full_ratio", &p->full);
	}
	family(b, "smaptop_memory_pressure_some_seconds_total",
	       "Time some task stalled on memory (pressure total)", true);
	buf_printf(b, "smaptop_memory_pressure_some_seconds_total %llu.%06llu\n",
		   (unsigned long long)(p->some.total_us / 1000000),
		   (unsigned long long)(p->some.total_us % 1000000));
	if (p->full_known) {
		family(b, "smaptop_memory_pressure_full_seconds_total",
		       "Time all non-idle tasks stalled on memory", true);
		buf_printf(b, "smaptop_memory_pressure_full_seconds_total %llu.%06llu\n",
			   (unsigned long long)(p->full.total_us / 1000000),
			   (unsigned long long)(p->full.total_us % 1000000));
	}
}

static void
render_nodes(struct buf *b, struct buf *lab, const struct sysmem *sys)
{
	for (int f = 0; f < N_NUM; f++) {
		bool any = false;
		for (int i = 0; i < sys->nnodes && !any; i++)
			any = sys->nodes[i].known & (1u << f);
		if (!any)
			continue;
		family(b, nodemetrics[f].name, nodemetrics[f].help, false);
		for (int i = 0; i < sys->nnodes; i++) {
			const struct node *nd = &sys->nodes[i];
			if (!(nd->known & (1u << f)))
				continue;
			buf_clear(lab);
			buf_printf(lab, "node=\"%d\"", nd->id);
			sample_i64(b, nodemetrics[f].name, lab->data, lab->len,
				   kib_or_count(nd->val[f], nodemetrics[f].kib));
		}
	}
}

void
prom_render(struct buf *b, const struct table *t, const struct selection *sel,
	    const struct prom_opts *o, struct prom_scratch *s)
{
	struct selection all = *sel;
	struct buf lab = BUF_INIT;

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

	family(b, "smaptop_pss_unavailable_processes",
	       "Processes whose smaps_rollup smaptop may not read (their PSS is left out)", false);
	sample_i64(b, "smaptop_pss_unavailable_processes", NULL, 0, t->denied);
	render_meminfo(b, &t->sys);
	render_swaps(b, &lab, &s->tmp, &t->sys);
	render_psi(b, &t->sys.psi);
	render_nodes(b, &lab, &t->sys);
	buf_fini(&lab);
}
