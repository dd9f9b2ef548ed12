/*
 * The machine's families (see prom_parts.h): /proc/meminfo, the swap devices,
 * memory pressure, the NUMA nodes, the kernel's OOM kill counter and the
 * machine's OOM forecast. meminfo and the nodes are tables of data indexed by
 * the model's enums, like the columns of fields.c.
 */
#include "output/prom_parts.h"

#include <string.h>

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

static void
render_meminfo(struct buf *b, const struct sysmem *sys)
{
	for (int f = 0; f < M_NUM; f++) {
		if (!(sys->known & (1u << f)))
			continue;
		prom_family(b, memmetrics[f].name, memmetrics[f].help, false);
		prom_sample_i64(b, memmetrics[f].name, NULL, 0,
				prom_kib_or_count(sys->val[f], memmetrics[f].kib));
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
		prom_family(b, names[k], helps[k], false);
		for (int i = 0; i < sys->nswaps; i++) {
			const struct swapdev *d = &sys->swaps[i];
			buf_clear(lab);
			buf_puts(lab, "device=\"");
			prom_label_value(lab, tmp, d->path, strnlen(d->path, sizeof d->path));
			buf_puts(lab, "\",type=\"");
			prom_label_value(lab, tmp, d->type, strnlen(d->type, sizeof d->type));
			buf_putc(lab, '"');
			int64_t v = k == 0 ? prom_kib_or_count(d->size_kib, true)
				    : k == 1 ? prom_kib_or_count(d->used_kib, true) : d->priority;
			prom_sample_i64(b, names[k], lab->data, lab->len, v);
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
	prom_family(b, "smaptop_memory_pressure_some_ratio",
	       "Share of time some task stalled on memory (/proc/pressure/memory avg)", false);
	psi_avgs(b, "smaptop_memory_pressure_some_ratio", &p->some);
	if (p->full_known) {
		prom_family(b, "smaptop_memory_pressure_full_ratio",
		       "Share of time all non-idle tasks stalled on memory", false);
		psi_avgs(b, "smaptop_memory_pressure_full_ratio", &p->full);
	}
	prom_family(b, "smaptop_memory_pressure_some_seconds_total",
	       "Time some task stalled on memory (pressure total)", true);
	buf_printf(b, "smaptop_memory_pressure_some_seconds_total %llu.%06llu\n",
		   (unsigned long long)(p->some.total_us / 1000000),
		   (unsigned long long)(p->some.total_us % 1000000));
	if (p->full_known) {
		prom_family(b, "smaptop_memory_pressure_full_seconds_total",
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
		prom_family(b, nodemetrics[f].name, nodemetrics[f].help, false);
		for (int i = 0; i < sys->nnodes; i++) {
			const struct node *nd = &sys->nodes[i];
			if (!(nd->known & (1u << f)))
				continue;
			buf_clear(lab);
			buf_printf(lab, "node=\"%d\"", nd->id);
			prom_sample_i64(b, nodemetrics[f].name, lab->data, lab->len,
				   prom_kib_or_count(nd->val[f], nodemetrics[f].kib));
		}
	}
}


/*
 * The kernel's own count of OOM kills (Linux 4.13 and later), so that a fleet
 * can alert on increase() without reading any log; and the forecast of the
 * whole machine running out (model/cgroup.h's rule), only while there is one.
 */
static void
render_oom(struct buf *b, const struct table *t)
{
	const struct oom_events *e = &t->sys.oom;

	if (e->vmstat_known) {
		prom_family(b, "smaptop_oom_kills_total",
			    "Processes killed by the kernel's OOM killer since boot (/proc/vmstat "
			    "oom_kill)", true);
		prom_sample_i64(b, "smaptop_oom_kills_total", NULL, 0,
				prom_kib_or_count(e->vmstat_kills, false));
	}
	if (t->mach_fc.known) {
		prom_family(b, "smaptop_oom_eta_seconds",
			    "Time until RAM and swap run out at the steady rise of what is in use; "
			    "absent when there is no steady rise", false);
		prom_sample_i64(b, "smaptop_oom_eta_seconds", NULL, 0, t->mach_fc.eta_s);
	}
}

void
prom_machine_render(struct buf *b, struct buf *lab, struct buf *tmp, const struct table *t)
{
	render_meminfo(b, &t->sys);
	render_swaps(b, lab, tmp, &t->sys);
	render_psi(b, &t->sys.psi);
	render_nodes(b, lab, &t->sys);
	render_oom(b, t);
}
