/*
 * System memory (meminfo, swap devices, pressure, NUMA nodes) and the
 * per-process NUMA split, in table, CSV and JSON form. The CSV of --system is
 * long-form (section,item,key,value) so one header fits every section.
 */
#include <stdio.h>
#include <string.h>

#include "model/fields.h"
#include "output/cell.h"
#include "output/forecast_out.h"
#include "output/oom_out.h"
#include "output/out.h"
#include "util/escape.h"
#include "util/fmt.h"

struct key {
	const char *title;
	const char *key;   /* CSV/JSON name with unit */
	bool kib;
};

static const struct key mem_keys[M_NUM] = {
	[M_TOTAL] = { "Total", "total_kib", true },
	[M_FREE] = { "Free", "free_kib", true },
	[M_AVAILABLE] = { "Available", "available_kib", true },
	[M_USED] = { "Used (total - available)", "used_kib", true },
	[M_BUFFERS] = { "Buffers", "buffers_kib", true },
	[M_CACHED] = { "Cached", "cached_kib", true },
	[M_SHMEM] = { "Shmem", "shmem_kib", true },
	[M_SLAB] = { "Slab", "slab_kib", true },
	[M_SLAB_RECLAIM] = { "Slab reclaimable", "slab_reclaimable_kib", true },
	[M_ANON] = { "Anonymous pages", "anon_kib", true },
	[M_MAPPED] = { "Mapped", "mapped_kib", true },
	[M_PAGE_TABLES] = { "Page tables", "page_tables_kib", true },
	[M_COMMITTED] = { "Committed (Committed_AS)", "committed_kib", true },
	[M_COMMIT_LIMIT] = { "Commit limit", "commit_limit_kib", true },
	[M_SWAP_TOTAL] = { "Swap total", "swap_total_kib", true },
	[M_SWAP_FREE] = { "Swap free", "swap_free_kib", true },
	[M_SWAP_USED] = { "Swap used", "swap_used_kib", true },
	[M_SWAP_CACHED] = { "Swap cached", "swap_cached_kib", true },
	[M_DIRTY] = { "Dirty", "dirty_kib", true },
	[M_HUGE_TOTAL] = { "Huge pages total", "hugepages_total", false },
	[M_HUGE_FREE] = { "Huge pages free", "hugepages_free", false },
	[M_HUGE_SIZE] = { "Huge page size", "hugepage_size_kib", true },
	[M_THP] = { "Anon huge pages (THP)", "thp_kib", true },
};

static const struct key node_keys[N_NUM] = {
	[N_TOTAL] = { "Total", "total_kib", true },
	[N_FREE] = { "Free", "free_kib", true },
	[N_USED] = { "Used", "used_kib", true },
	[N_FILE] = { "File", "file_kib", true },
	[N_ANON] = { "Anon", "anon_kib", true },
	[N_SHMEM] = { "Shmem", "shmem_kib", true },
	[N_SLAB] = { "Slab", "slab_kib", true },
	[N_HUGE_TOTAL] = { "HugeTot", "hugepages_total", false },
	[N_HUGE_FREE] = { "HugeFree", "hugepages_free", false },
};

static void
escaped(struct buf *b, const char *s, size_t len, enum out_format fmt)
{
	struct buf e = BUF_INIT;

	esc_append(&e, s, len, 0);
	if (fmt == OUT_CSV)
		out_csv_field(b, e.data ? e.data : "", e.len);
	else if (fmt == OUT_JSON)
		out_json_string(b, e.data ? e.data : "", e.len);
	else
		buf_put(b, e.data, e.len);
	buf_fini(&e);
}

static void
human(struct buf *b, uint64_t v, bool kib, bool known, int width)
{
	struct buf cell = BUF_INIT;

	if (!known)
		buf_putc(&cell, '-');
	else if (kib)
		fmt_kib(&cell, v);
	else
		buf_printf(&cell, "%llu", (unsigned long long)v);
	fmt_pad(b, cell.data, cell.len, width, 1);
	buf_fini(&cell);
}

static void
system_table(struct buf *b, const struct sysmem *s)
{
	buf_puts(b, "Memory\n");
	for (int i = 0; i < M_NUM; i++) {
		buf_printf(b, "  %-26s", mem_keys[i].title);
		human(b, s->val[i], mem_keys[i].kib, s->known >> i & 1, 8);
		buf_putc(b, '\n');
	}
	buf_printf(b, "\nSwap devices: %d\n", s->nswaps);
	if (s->nswaps)
		buf_puts(b, "      Size     Used  Prio Type       Filename\n");
	for (int i = 0; i < s->nswaps; i++) {
		const struct swapdev *d = &s->swaps[i];
		human(b, d->size_kib, true, true, 10);
		human(b, d->used_kib, true, true, 9);
		buf_printf(b, " %5d %-10s ", d->priority, d->type);
		escaped(b, d->path, strlen(d->path), OUT_TABLE);
		buf_putc(b, '\n');
	}
	buf_puts(b, "\nPressure (memory)");
	if (!s->psi.known) {
		buf_puts(b, ": unavailable (no /proc/pressure/memory)\n");
	} else {
		buf_puts(b, "\n         avg10   avg60  avg300   total(us)\n");
		const struct psi_line *l[2] = { &s->psi.some, &s->psi.full };
		for (int i = 0; i < (s->psi.full_known ? 2 : 1); i++)
			buf_printf(b, "  %-4s %3u.%02u%% %3u.%02u%% %3u.%02u%% %11llu\n", i ? "full" : "some",
				   l[i]->avg10 / 100, l[i]->avg10 % 100, l[i]->avg60 / 100,
				   l[i]->avg60 % 100, l[i]->avg300 / 100, l[i]->avg300 % 100,
				   (unsigned long long)l[i]->total_us);
	}
	buf_printf(b, "\nNUMA nodes: %d%s\n", s->nnodes, s->numa ? "" : " (no NUMA support)");
	if (!s->nnodes)
		return;
	buf_puts(b, "  Node");
	for (int k = 0; k < N_NUM; k++)
		fmt_pad(b, node_keys[k].title, strlen(node_keys[k].title), 9, 1);
	buf_puts(b, "  Distances\n");
	for (int i = 0; i < s->nnodes; i++) {
		const struct node *n = &s->nodes[i];
		buf_printf(b, "  %4d", n->id);
		for (int k = 0; k < N_NUM; k++)
			human(b, n->val[k], node_keys[k].kib, n->known >> k & 1, 9);
		buf_puts(b, " ");
		for (int j = 0; j < s->nnodes; j++)
			buf_printf(b, " %3u", n->distance[s->nodes[j].id]);
		buf_putc(b, '\n');
	}
}

static void
csv_row(struct buf *b, long long ms, const char *section, const char *item, size_t item_len,
	const char *key, const char *value)
{
	buf_printf(b, "%lld,%s,", ms, section);
	escaped(b, item, item_len, OUT_CSV);
	buf_printf(b, ",%s,%s\n", key, value);
}

static void
system_csv(struct out *o, const struct sysmem *s, long long ms)
{
	struct buf *b = &o->b;
	char v[64], item[16];

	if (!o->header_done)
		buf_puts(b, "time_unix_ms,section,item,key,value\n");
	o->header_done = true;
	for (int i = 0; i < M_NUM; i++) {
		if (!(s->known >> i & 1))
			continue;
		snprintf(v, sizeof v, "%llu", (unsigned long long)s->val[i]);
		csv_row(b, ms, "meminfo", "", 0, mem_keys[i].key, v);
	}
	for (int i = 0; i < s->nswaps; i++) {
		const struct swapdev *d = &s->swaps[i];
		size_t len = strlen(d->path);
		csv_row(b, ms, "swap", d->path, len, "type", d->type);
		snprintf(v, sizeof v, "%llu", (unsigned long long)d->size_kib);
		csv_row(b, ms, "swap", d->path, len, "size_kib", v);
		snprintf(v, sizeof v, "%llu", (unsigned long long)d->used_kib);
		csv_row(b, ms, "swap", d->path, len, "used_kib", v);
		snprintf(v, sizeof v, "%d", d->priority);
		csv_row(b, ms, "swap", d->path, len, "priority", v);
	}
	const struct psi_line *l[2] = { &s->psi.some, &s->psi.full };
	for (int i = 0; s->psi.known && i < (s->psi.full_known ? 2 : 1); i++) {
		const char *name = i ? "full" : "some";
		snprintf(v, sizeof v, "%u", l[i]->avg10);
		csv_row(b, ms, "pressure", name, 4, "avg10_centipct", v);
		snprintf(v, sizeof v, "%u", l[i]->avg60);
		csv_row(b, ms, "pressure", name, 4, "avg60_centipct", v);
		snprintf(v, sizeof v, "%u", l[i]->avg300);
		csv_row(b, ms, "pressure", name, 4, "avg300_centipct", v);
		snprintf(v, sizeof v, "%llu", (unsigned long long)l[i]->total_us);
		csv_row(b, ms, "pressure", name, 4, "total_us", v);
	}
	for (int i = 0; i < s->nnodes; i++) {
		const struct node *n = &s->nodes[i];
		int len = snprintf(item, sizeof item, "%d", n->id);
		for (int k = 0; k < N_NUM; k++) {
			if (!(n->known >> k & 1))
				continue;
			snprintf(v, sizeof v, "%llu", (unsigned long long)n->val[k]);
			csv_row(b, ms, "node", item, (size_t)len, node_keys[k].key, v);
		}
		for (int j = 0; j < s->nnodes; j++) {
			char key[32];
			if (!n->distance[s->nodes[j].id])
				continue;
			snprintf(key, sizeof key, "distance_node%d", s->nodes[j].id);
			snprintf(v, sizeof v, "%u", n->distance[s->nodes[j].id]);
			csv_row(b, ms, "node", item, (size_t)len, key, v);
		}
	}
}

static void
system_json(struct buf *b, const struct sysmem *s, long long ms)
{
	buf_printf(b, "{\"time_unix_ms\":%lld,\"meminfo\":{", ms);
	for (int i = 0; i < M_NUM; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", mem_keys[i].key);
		if (s->known >> i & 1)
			buf_printf(b, "%llu", (unsigned long long)s->val[i]);
		else
			buf_puts(b, "null");
	}
	buf_puts(b, "},\"swaps\":[");
	for (int i = 0; i < s->nswaps; i++) {
		const struct swapdev *d = &s->swaps[i];
		buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
		escaped(b, d->path, strlen(d->path), OUT_JSON);
		buf_printf(b, ",\"type\":");
		escaped(b, d->type, strlen(d->type), OUT_JSON);
		buf_printf(b, ",\"size_kib\":%llu,\"used_kib\":%llu,\"priority\":%d}",
			   (unsigned long long)d->size_kib, (unsigned long long)d->used_kib, d->priority);
	}
	buf_puts(b, "],\"pressure\":");
	if (!s->psi.known) {
		buf_puts(b, "null");
	} else {
		const struct psi_line *l[2] = { &s->psi.some, &s->psi.full };
		buf_putc(b, '{');
		for (int i = 0; i < (s->psi.full_known ? 2 : 1); i++)
			buf_printf(b, "%s\"%s\":{\"avg10_centipct\":%u,\"avg60_centipct\":%u,"
				      "\"avg300_centipct\":%u,\"total_us\":%llu}",
				   i ? "," : "", i ? "full" : "some", l[i]->avg10, l[i]->avg60,
				   l[i]->avg300, (unsigned long long)l[i]->total_us);
		buf_putc(b, '}');
	}
	buf_puts(b, ",\"nodes\":[");
	for (int i = 0; i < s->nnodes; i++) {
		const struct node *n = &s->nodes[i];
		buf_printf(b, "%s{\"id\":%d", i ? "," : "", n->id);
		for (int k = 0; k < N_NUM; k++) {
			buf_printf(b, ",\"%s\":", node_keys[k].key);
			if (n->known >> k & 1)
				buf_printf(b, "%llu", (unsigned long long)n->val[k]);
			else
				buf_puts(b, "null");
		}
		buf_puts(b, ",\"distances\":[");
		for (int j = 0; j < s->nnodes; j++)
			buf_printf(b, "%s%u", j ? "," : "", n->distance[s->nodes[j].id]);
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}\n");
}

void
out_system(struct out *o, const struct table *t)
{
	switch (o->fmt) {
	case OUT_TABLE:
		system_table(&o->b, &t->sys);
		out_system_oom_table(&o->b, t);
		out_knobs_table(&o->b, &t->sys);
		break;
	case OUT_CSV:
		system_csv(o, &t->sys, (long long)t->wall_ms);
		out_system_oom_csv(&o->b, t, (long long)t->wall_ms);
		out_knobs_csv(&o->b, &t->sys, (long long)t->wall_ms);
		break;
	case OUT_JSON:
		system_json(&o->b, &t->sys, (long long)t->wall_ms);
		o->b.len -= 2; /* reopen the object system_json closed */
		out_system_oom_json(&o->b, t);
		buf_puts(&o->b, "}\n");
		/* the object closed ("}\n") again gets the knobs: reopen it */
		if (o->b.len >= 2 && memcmp(o->b.data + o->b.len - 2, "}\n", 2) == 0) {
			o->b.len -= 2;
			out_knobs_json(&o->b, &t->sys);
			buf_puts(&o->b, "}\n");
		}
		break;
	}
}

void
out_numa(struct out *o, const struct table *t, const struct rows *r, const uint64_t *node_kib,
	 const bool *row_ok)
{
	const struct sysmem *s = &t->sys;
	struct buf *b = &o->b;
	long long ms = (long long)t->wall_ms;
	int nn = s->nnodes;

	if (o->fmt == OUT_TABLE) {
		buf_puts(b, "    PID");
		for (int k = 0; k < nn; k++) {
			char title[16];
			int len = snprintf(title, sizeof title, "N%d", s->nodes[k].id);
			fmt_pad(b, title, (size_t)len, 9, 1);
		}
		buf_puts(b, "    Total COMMAND\n");
	} else if (o->fmt == OUT_CSV && !o->header_done) {
		buf_puts(b, "time_unix_ms,pid");
		for (int k = 0; k < nn; k++)
			buf_printf(b, ",node%d_kib", s->nodes[k].id);
		buf_puts(b, ",total_kib,comm\n");
		o->header_done = true;
	} else if (o->fmt == OUT_JSON) {
		buf_printf(b, "{\"time_unix_ms\":%lld,\"processes\":[", ms);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct proc *p = r->v[i];
		const uint64_t *v = &node_kib[i * (size_t)nn];
		uint64_t total = 0;
		for (int k = 0; k < nn; k++)
			total += v[k];
		if (o->fmt == OUT_TABLE) {
			buf_printf(b, "%7lld", (long long)proc_val(p, F_PID));
			for (int k = 0; k <= nn; k++)
				human(b, k < nn ? v[k] : total, true, row_ok[i], 9);
			buf_putc(b, ' ');
			escaped(b, proc_comm(p), strlen(proc_comm(p)), OUT_TABLE);
			buf_putc(b, '\n');
		} else if (o->fmt == OUT_CSV) {
			buf_printf(b, "%lld,%lld", ms, (long long)proc_val(p, F_PID));
			for (int k = 0; k <= nn; k++) {
				buf_putc(b, ',');
				if (row_ok[i])
					buf_printf(b, "%llu", (unsigned long long)(k < nn ? v[k] : total));
			}
			buf_putc(b, ',');
			escaped(b, proc_comm(p), strlen(proc_comm(p)), OUT_CSV);
			buf_putc(b, '\n');
		} else {
			buf_printf(b, "%s{\"pid\":%lld", i ? "," : "", (long long)proc_val(p, F_PID));
			for (int k = 0; k <= nn; k++) {
				if (k < nn)
					buf_printf(b, ",\"node%d_kib\":", s->nodes[k].id);
				else
					buf_puts(b, ",\"total_kib\":");
				if (row_ok[i])
					buf_printf(b, "%llu", (unsigned long long)(k < nn ? v[k] : total));
				else
					buf_puts(b, "null");
			}
			buf_puts(b, ",\"comm\":");
			escaped(b, proc_comm(p), strlen(proc_comm(p)), OUT_JSON);
			buf_putc(b, '}');
		}
	}
	if (o->fmt == OUT_JSON)
		buf_puts(b, "]}\n");
}
