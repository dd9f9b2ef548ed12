/*
 * The per-mapping breakdown of one process (pmap -X, sortable and groupable)
 * in table, CSV and JSON form. Totals are the sums the parser computed, which
 * equal smaps_rollup for the same moment.
 */
#include <stdlib.h>
#include <string.h>

#include "model/maps.h"
#include "output/cell.h"
#include "output/out.h"
#include "util/escape.h"
#include "util/fmt.h"

static const char *const map_titles[MF_NUM] = {
	[MF_SIZE] = "Size", [MF_RSS] = "Rss", [MF_PSS] = "Pss", [MF_PSS_DIRTY] = "PssDirty",
	[MF_SHARED_CLEAN] = "ShrClean", [MF_SHARED_DIRTY] = "ShrDirty",
	[MF_PRIVATE_CLEAN] = "PrvClean", [MF_PRIVATE_DIRTY] = "PrvDirty",
	[MF_REFERENCED] = "Refd", [MF_ANONYMOUS] = "Anon", [MF_SWAP] = "Swap",
	[MF_SWAP_PSS] = "SwapPss", [MF_LOCKED] = "Locked", [MF_THP] = "THP",
};

/* Columns of the table form; CSV and JSON carry every field. */
static const enum map_field table_cols[] = {
	MF_SIZE, MF_RSS, MF_PSS, MF_SHARED_CLEAN, MF_SHARED_DIRTY, MF_PRIVATE_CLEAN,
	MF_PRIVATE_DIRTY, MF_SWAP, MF_SWAP_PSS, MF_LOCKED, MF_THP,
};
#define NTABLE_COLS (sizeof table_cols / sizeof table_cols[0])

static void
put_text(struct out *o, const char *s, size_t len)
{
	struct buf *e = &o->tmp;

	buf_clear(e);
	esc_append(e, s, len, o->fmt == OUT_TABLE ? (o->style & CELL_ASCII ? ESC_ASCII : 0) : 0);
	if (o->fmt == OUT_CSV)
		out_csv_field(&o->b, e->data ? e->data : "", e->len);
	else if (o->fmt == OUT_JSON)
		out_json_string(&o->b, e->data ? e->data : "", e->len);
	else
		buf_put(&o->b, e->data, e->len);
}

static void
put_values(struct out *o, const uint64_t *val)
{
	struct buf *b = &o->b;

	if (o->fmt == OUT_TABLE) {
		for (size_t c = 0; c < NTABLE_COLS; c++) {
			struct buf cell = BUF_INIT;
			fmt_kib(&cell, val[table_cols[c]]);
			buf_putc(b, ' ');
			fmt_pad(b, cell.data, cell.len, 8, 1);
			buf_fini(&cell);
		}
		return;
	}
	for (int f = 0; f < MF_NUM; f++) {
		buf_putc(b, ',');
		if (o->fmt == OUT_JSON) {
			buf_putc(b, '"');
			buf_puts(b, map_field_key(f));
			buf_puts(b, "_kib\":");
		}
		buf_put_u64(b, val[f]);
	}
}

static void
header(struct out *o, const struct maps_view *v)
{
	struct buf *b = &o->b;

	if (o->fmt == OUT_CSV) {
		if (o->header_done)
			return;
		buf_puts(b, v->grouped ? "time_unix_ms,pid,class,path,count"
				       : "time_unix_ms,pid,start,end,perms,offset,dev,inode");
		for (int f = 0; f < MF_NUM; f++)
			buf_printf(b, ",%s_kib", map_field_key(f));
		if (!v->grouped)
			buf_puts(b, ",class,path");
		buf_putc(b, '\n');
		o->header_done = true;
		return;
	}
	if (o->fmt != OUT_TABLE)
		return;
	buf_puts(b, v->grouped ? "Class   Count" : "         Address Perm   Offset Device     Inode");
	for (size_t c = 0; c < NTABLE_COLS; c++) {
		buf_putc(b, ' ');
		fmt_pad(b, map_titles[table_cols[c]], strlen(map_titles[table_cols[c]]), 8, 1);
	}
	buf_puts(b, v->grouped ? " Mapping\n" : " Class   Mapping\n");
}

static void
mapping_row(struct out *o, const struct maps_view *v, const struct mapping *mp, long long ms)
{
	struct buf *b = &o->b;
	const char *cls = map_class_name(mp->cls);

	switch (o->fmt) {
	case OUT_TABLE:
		buf_printf(b, "%16llx %-4s %8llx %3x:%-5x %9llu", (unsigned long long)mp->start,
			   mp->perms, (unsigned long long)mp->offset, mp->dev_major, mp->dev_minor,
			   (unsigned long long)mp->inode);
		put_values(o, mp->val);
		buf_printf(b, " %-7s ", cls);
		break;
	case OUT_CSV:
		buf_put_i64(b, ms);
		buf_putc(b, ',');
		buf_put_i64(b, v->pid);
		buf_puts(b, ",0x");
		buf_put_hex(b, mp->start, 1);
		buf_puts(b, ",0x");
		buf_put_hex(b, mp->end, 1);
		buf_putc(b, ',');
		buf_puts(b, mp->perms);
		buf_putc(b, ',');
		buf_put_u64(b, mp->offset);
		buf_putc(b, ',');
		buf_put_hex(b, mp->dev_major, 2);
		buf_putc(b, ':');
		buf_put_hex(b, mp->dev_minor, 2);
		buf_putc(b, ',');
		buf_put_u64(b, mp->inode);
		put_values(o, mp->val);
		buf_putc(b, ',');
		buf_puts(b, cls);
		buf_putc(b, ',');
		break;
	case OUT_JSON:
		buf_printf(b, "{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"perms\":\"%s\",\"offset\":%llu,"
			      "\"dev\":\"%02x:%02x\",\"inode\":%llu",
			   (unsigned long long)mp->start, (unsigned long long)mp->end, mp->perms,
			   (unsigned long long)mp->offset, mp->dev_major, mp->dev_minor,
			   (unsigned long long)mp->inode);
		put_values(o, mp->val);
		buf_printf(b, ",\"class\":\"%s\",\"path\":", cls);
		break;
	}
	put_text(o, mapping_path(v->m, mp), mp->path_len);
	buf_puts(b, o->fmt == OUT_JSON ? "}" : "\n");
}

static void
group_row(struct out *o, const struct maps_view *v, const struct mapgroup *g, long long ms)
{
	struct buf *b = &o->b;
	const struct mapping *first = &v->m->v[g->first];
	const char *cls = map_class_name(g->cls);

	switch (o->fmt) {
	case OUT_TABLE:
		buf_printf(b, "%-7s %5u", cls, g->count);
		put_values(o, g->val);
		buf_putc(b, ' ');
		break;
	case OUT_CSV:
		buf_printf(b, "%lld,%d,%s,", ms, (int)v->pid, cls);
		put_text(o, mapping_path(v->m, first), first->path_len);
		buf_printf(b, ",%u", g->count);
		put_values(o, g->val);
		buf_putc(b, '\n');
		return;
	case OUT_JSON:
		buf_printf(b, "{\"class\":\"%s\",\"count\":%u", cls, g->count);
		put_values(o, g->val);
		buf_puts(b, ",\"path\":");
		break;
	}
	put_text(o, mapping_path(v->m, first), first->path_len);
	buf_puts(b, o->fmt == OUT_JSON ? "}" : "\n");
}

void
out_maps(struct out *o, const struct table *t, const struct maps_view *v)
{
	struct buf *b = &o->b;
	long long ms = (long long)t->wall_ms;
	const struct proc *p = table_find(t, v->pid);
	size_t *idx = NULL;
	size_t n = maplist_order(v->m, v->groups, v->ngroups, v->grouped, v->sort, v->reverse, &idx);

	if (o->fmt == OUT_TABLE) {
		buf_printf(b, "%d:   ", (int)v->pid);
		if (p)
			put_text(o, p->comm, strlen(p->comm));
		buf_printf(b, "  (%zu mappings)\n", v->m->n);
	} else if (o->fmt == OUT_JSON) {
		buf_printf(b, "{\"time_unix_ms\":%lld,\"pid\":%d,\"%s\":[", ms, (int)v->pid,
			   v->grouped ? "groups" : "mappings");
	}
	header(o, v);
	for (size_t i = 0; i < n; i++) {
		if (o->fmt == OUT_JSON && i)
			buf_putc(b, ',');
		if (v->grouped)
			group_row(o, v, &v->groups[idx[i]], ms);
		else
			mapping_row(o, v, &v->m->v[idx[i]], ms);
		out_drain(o);
	}
	if (o->fmt == OUT_TABLE) {
		if (v->grouped)
			buf_printf(b, "%-7s %5zu", "total", v->m->n);
		else
			buf_printf(b, "%-16s %4s %8s %9s %9zu", "total", "", "", "", v->m->n);
		put_values(o, v->m->total);
		buf_putc(b, '\n');
	} else if (o->fmt == OUT_JSON) {
		buf_puts(b, "],\"total\":{\"count\":");
		buf_printf(b, "%zu", v->m->n);
		put_values(o, v->m->total);
		buf_puts(b, "}}\n");
	}
	free(idx);
}
