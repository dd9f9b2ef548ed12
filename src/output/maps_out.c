/*
 * The per-mapping breakdown of one process (pmap -X, sortable and groupable)
 * in table, CSV and JSON form.
 *
 * Totals: the kernel rounds each mapping's PSS-based values (Pss, Pss_Dirty,
 * SwapPss, Locked) down to a KiB, so the rows add up to less than the
 * kernel's own total, smaps_rollup, which the process list shows. The total
 * is therefore smaps_rollup's where the source read it (Size, which it lacks,
 * is the rows' sum), and the table and JSON also say what the rows add up to
 * ("rows" / rows_sum). CSV has the rows only. A value the kernel gave
 * unparsable is unavailable ("-", empty, null), and so is a sum of rows that
 * would leave it out.
 *
 * A process can have hundreds of thousands of mappings, so rows are written
 * straight into room reserved once per row (output/put.h) rather than one
 * printf or buf call per field, and a path that needs no escaping or
 * quoting, as nearly all do, is copied as-is. The bytes are the same as
 * those of the general path.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/maps.h"
#include "output/cell.h"
#include "output/out.h"
#include "output/put.h"
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

/*
 * Room reserved for one row without its path: the widest (JSON, all values
 * 20 digits) is 683 bytes.
 */
#define ROW_ROOM 768

/*
 * Printable ASCII other than '\\', '"' and ',' comes out of esc_append
 * unchanged and needs neither CSV quoting nor JSON escaping. The verdict of
 * the last path is kept: mappings of one file share one copy of its path.
 */
struct plain_cache {
	uint32_t off, len;
	bool plain, valid;
};

static bool
plain_path(struct plain_cache *c, const struct maplist *m, const struct mapping *mp)
{
	const unsigned char *s = (const unsigned char *)mapping_path(m, mp);
	bool plain = true;

	if (c->valid && c->off == mp->path_off && c->len == mp->path_len)
		return c->plain;
	for (size_t i = 0; i < mp->path_len && plain; i++)
		plain = s[i] - 0x20u < 0x5fu && s[i] != '\\' && s[i] != '"' && s[i] != ',';
	*c = (struct plain_cache){ mp->path_off, mp->path_len, plain, true };
	return plain;
}

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

/* A mapping's path (also a group's), through put_text unless it can be copied as-is. */
static void
put_path(struct out *o, struct plain_cache *c, const struct maplist *m, const struct mapping *mp)
{
	struct buf *b = &o->b;
	/* a list of anonymous mappings only has no arena at all */
	const char *path = mp->path_len ? mapping_path(m, mp) : "";

	if (!plain_path(c, m, mp)) {
		put_text(o, path, mp->path_len);
		return;
	}
	if (o->fmt == OUT_JSON) {
		buf_reserve(b, (size_t)mp->path_len + 2);
		char *p = b->data + b->len;
		*p++ = '"';
		p = put_str(p, path, mp->path_len);
		*p++ = '"';
		put_end(b, p);
		return;
	}
	buf_put(b, path, mp->path_len);
}

/*
 * The values of a table row at p, in KiB with binary units, each in 8
 * columns after a blank; "-" for those in unknown (MF_BIT). Values under
 * 1000 KiB, nearly all of a mapping's, are written here; fmt_kib does the rest.
 */
static char *
put_table_values_at(struct out *o, char *p, const uint64_t *val, uint16_t unknown)
{
	for (size_t c = 0; c < NTABLE_COLS; c++) {
		uint64_t v = val[table_cols[c]];
		char tmp[24], *e = tmp;

		*p++ = ' ';
		if (unknown & MF_BIT(table_cols[c])) {
			*e++ = '-';
		} else if (v < 1000) {
			e = put_dec(e, v);
			if (v)
				*e++ = 'K';
		} else {
			buf_clear(&o->tmp);
			fmt_kib(&o->tmp, v);
			p = put_right(p, o->tmp.data, o->tmp.len, 8);
			continue;
		}
		p = put_right(p, tmp, (size_t)(e - tmp), 8);
	}
	return p;
}

static void
put_table_values(struct out *o, const uint64_t *val, uint16_t unknown)
{
	put_end(&o->b, put_table_values_at(o, put_begin(&o->b, ROW_ROOM), val, unknown));
}

/*
 * The values of a CSV (",N" each) or JSON (",\"key_kib\":N" each) row, at p;
 * those in unknown are empty (CSV) or null (JSON).
 */
static char *
put_values_at(char *p, enum out_format fmt, const uint64_t *val, uint16_t unknown)
{
	for (int f = 0; f < MF_NUM; f++) {
		*p++ = ',';
		if (fmt == OUT_JSON) {
			const char *k = map_field_key(f);

			*p++ = '"';
			p = put_str(p, k, strlen(k));
			p = put_str(p, "_kib\":", 6);
		}
		if (!(unknown & MF_BIT(f)))
			p = put_dec(p, val[f]);
		else if (fmt == OUT_JSON)
			p = put_str(p, "null", 4);
	}
	return p;
}

static void
put_values(struct out *o, const uint64_t *val, uint16_t unknown)
{
	if (o->fmt == OUT_TABLE)
		put_table_values(o, val, unknown);
	else
		put_end(&o->b, put_values_at(put_begin(&o->b, ROW_ROOM), o->fmt, val, unknown));
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

/* What every row of one render shares: the CSV lead "time,pid," and the path cache. */
struct rows_ctx {
	char lead[48];
	size_t lead_len;
	struct plain_cache pc;
};

static void
mapping_row(struct out *o, const struct maps_view *v, struct rows_ctx *rc,
	    const struct mapping *mp)
{
	struct buf *b = &o->b;
	const char *cls = map_class_name(mp->cls);
	size_t nperms = strnlen(mp->perms, 4);  /* bytes from the file, as "%s" gave them */
	char *p;

	switch (o->fmt) {
	case OUT_TABLE: {
		/* "%16llx %-4s %8llx %-9s %9llu", dev as /proc/PID/maps writes it: fe:00 */
		char tmp[48], *e;

		p = put_begin(b, ROW_ROOM);
		e = put_hex(tmp, mp->start, 1);
		p = put_right(p, tmp, (size_t)(e - tmp), 16);
		*p++ = ' ';
		p = put_left(p, mp->perms, nperms, 4);
		*p++ = ' ';
		e = put_hex(tmp, mp->offset, 1);
		p = put_right(p, tmp, (size_t)(e - tmp), 8);
		*p++ = ' ';
		e = put_hex(tmp, mp->dev_major, 2);
		*e++ = ':';
		e = put_hex(e, mp->dev_minor, 2);
		p = put_left(p, tmp, (size_t)(e - tmp), 9);
		*p++ = ' ';
		e = put_dec(tmp, mp->inode);
		p = put_right(p, tmp, (size_t)(e - tmp), 9);
		p = put_table_values_at(o, p, mp->val, mp->unknown);
		*p++ = ' ';
		p = put_left(p, cls, strlen(cls), 7);
		*p++ = ' ';
		put_end(b, p);
		break;
	}
	case OUT_CSV:
		p = put_begin(b, ROW_ROOM);
		p = put_str(p, rc->lead, rc->lead_len);
		p = put_str(p, "0x", 2);
		p = put_hex(p, mp->start, 1);
		p = put_str(p, ",0x", 3);
		p = put_hex(p, mp->end, 1);
		*p++ = ',';
		p = put_str(p, mp->perms, nperms);
		*p++ = ',';
		p = put_dec(p, mp->offset);
		*p++ = ',';
		p = put_hex(p, mp->dev_major, 2);
		*p++ = ':';
		p = put_hex(p, mp->dev_minor, 2);
		*p++ = ',';
		p = put_dec(p, mp->inode);
		p = put_values_at(p, OUT_CSV, mp->val, mp->unknown);
		*p++ = ',';
		p = put_str(p, cls, strlen(cls));
		*p++ = ',';
		put_end(b, p);
		break;
	case OUT_JSON:
		p = put_begin(b, ROW_ROOM);
		p = put_str(p, "{\"start\":\"0x", 12);
		p = put_hex(p, mp->start, 1);
		p = put_str(p, "\",\"end\":\"0x", 11);
		p = put_hex(p, mp->end, 1);
		p = put_str(p, "\",\"perms\":\"", 11);
		p = put_str(p, mp->perms, nperms);
		p = put_str(p, "\",\"offset\":", 11);
		p = put_dec(p, mp->offset);
		p = put_str(p, ",\"dev\":\"", 8);
		p = put_hex(p, mp->dev_major, 2);
		*p++ = ':';
		p = put_hex(p, mp->dev_minor, 2);
		p = put_str(p, "\",\"inode\":", 10);
		p = put_dec(p, mp->inode);
		p = put_values_at(p, OUT_JSON, mp->val, mp->unknown);
		p = put_str(p, ",\"class\":\"", 10);
		p = put_str(p, cls, strlen(cls));
		p = put_str(p, "\",\"path\":", 9);
		put_end(b, p);
		break;
	}
	put_path(o, &rc->pc, v->m, mp);
	buf_putc(b, o->fmt == OUT_JSON ? '}' : '\n');
}

static void
group_row(struct out *o, const struct maps_view *v, struct rows_ctx *rc,
	  const struct mapgroup *g)
{
	struct buf *b = &o->b;
	struct mapping first;
	const char *cls = map_class_name(g->cls);
	char *p;

	maplist_get(v->m, g->first, &first);

	switch (o->fmt) {
	case OUT_TABLE:
		buf_printf(b, "%-7s %5u", cls, g->count);
		put_table_values(o, g->val, g->unknown);
		buf_putc(b, ' ');
		break;
	case OUT_CSV:
		p = put_begin(b, ROW_ROOM);
		p = put_str(p, rc->lead, rc->lead_len);
		p = put_str(p, cls, strlen(cls));
		*p++ = ',';
		put_end(b, p);
		put_path(o, &rc->pc, v->m, &first);
		p = put_begin(b, ROW_ROOM);
		*p++ = ',';
		p = put_dec(p, g->count);
		p = put_values_at(p, OUT_CSV, g->val, g->unknown);
		*p++ = '\n';
		put_end(b, p);
		return;
	case OUT_JSON:
		p = put_begin(b, ROW_ROOM);
		p = put_str(p, "{\"class\":\"", 10);
		p = put_str(p, cls, strlen(cls));
		p = put_str(p, "\",\"count\":", 10);
		p = put_dec(p, g->count);
		p = put_values_at(p, OUT_JSON, g->val, g->unknown);
		p = put_str(p, ",\"path\":", 8);
		put_end(b, p);
		break;
	}
	put_path(o, &rc->pc, v->m, &first);
	buf_putc(b, o->fmt == OUT_JSON ? '}' : '\n');
}

/* The first of fields in mask, by table column order (else any), or -1. */
static int
first_field(uint16_t mask)
{
	for (size_t c = 0; c < NTABLE_COLS; c++) {
		if (mask & MF_BIT(table_cols[c]))
			return (int)table_cols[c];
	}
	for (int f = 0; f < MF_NUM; f++) {
		if (mask & MF_BIT(f))
			return f;
	}
	return -1;
}

/* Fields whose rows' sum differs from the kernel's total. */
static uint16_t
rows_differ(const struct maplist *m)
{
	uint16_t d = 0;

	for (int f = 0; f < MF_NUM; f++) {
		if ((m->rollup_known & MF_BIT(f)) && !(m->total_partial & MF_BIT(f)) &&
		    m->rollup[f] != m->total[f])
			d |= MF_BIT(f);
	}
	return d;
}

/* One table total line: its label, the mapping count and the values. */
static void
table_total_line(struct out *o, const struct maps_view *v, const char *label, const char *source,
		 const uint64_t *val, uint16_t unknown)
{
	if (v->grouped)
		buf_printf(&o->b, "%-7s %5zu", label, v->m->n);
	else
		buf_printf(&o->b, "%-16s %-23s %9zu", label, source, v->m->n);
	put_values(o, val, unknown);
	buf_putc(&o->b, '\n');
}

/*
 * "total": smaps_rollup's values (Size: the rows'), as the process list;
 * "rows": what the rows add up to, when the kernel's total was read; then a
 * line saying why they differ, or what is unavailable, when either is so.
 */
static void
table_totals(struct out *o, const struct maps_view *v)
{
	const struct maplist *m = v->m;
	uint64_t tot[MF_NUM];
	uint16_t unknown, differ = rows_differ(m);
	int f;

	maplist_totals(m, tot, &unknown);
	table_total_line(o, v, "total", m->rollup_known ? "smaps_rollup" : "sum of the rows", tot,
			 unknown);
	if (m->rollup_known)
		table_total_line(o, v, "rows", "the rows added up", m->total, m->total_partial);
	if ((f = first_field(differ)) >= 0)
		buf_printf(&o->b, "(total: smaps_rollup, as in the process list. The rows' %s "
				  "differs: the kernel rounds it down to a KiB per mapping, and "
				  "memory moves between the two reads)\n", map_titles[f]);
	if ((f = first_field(m->total_partial)) >= 0)
		buf_printf(&o->b, "(%s of some mappings is unavailable, so is what the rows add up "
				  "to: the kernel gave no number)\n", map_titles[f]);
}

/*
 * JSON: "total" (smaps_rollup's values, Size the rows', "source" says which)
 * and "rows_sum" (what the rows add up to); null where unavailable.
 */
static void
json_totals(struct out *o, const struct maplist *m)
{
	uint64_t tot[MF_NUM];
	uint16_t unknown;

	maplist_totals(m, tot, &unknown);
	buf_printf(&o->b, "],\"total\":{\"count\":%zu", m->n);
	put_values(o, tot, unknown);
	buf_printf(&o->b, ",\"source\":\"%s\"},\"rows_sum\":{\"count\":%zu",
		   m->rollup_known ? "smaps_rollup" : "rows", m->n);
	put_values(o, m->total, m->total_partial);
	buf_puts(&o->b, "}}\n");
}

void
out_maps(struct out *o, const struct table *t, const struct maps_view *v)
{
	struct buf *b = &o->b;
	long long ms = (long long)t->wall_ms;
	const struct proc *p = table_find(t, v->pid);
	struct rows_ctx rc = { .pc = { 0, 0, false, false } };
	struct maporder ord = { 0 };
	size_t *idx = NULL, n = v->grouped ? v->ngroups : v->m->n;
	struct mapping mp;
	char *e = put_sdec(rc.lead, ms);

	/* in list order, as by default, no index is needed: 8 bytes a mapping */
	if (v->grouped || v->sort >= 0 || v->reverse) {
		n = maplist_order(v->m, v->groups, v->ngroups, v->grouped, v->sort, v->reverse,
				  &ord);
		idx = ord.idx;
	}
	*e++ = ',';
	e = put_sdec(e, v->pid);
	*e++ = ',';
	rc.lead_len = (size_t)(e - rc.lead);

	if (o->fmt == OUT_TABLE) {
		buf_printf(b, "%d:   ", (int)v->pid);
		if (p)
			put_text(o, proc_comm(p), strlen(proc_comm(p)));
		buf_printf(b, "  (%zu mappings)\n", v->m->n);
	} else if (o->fmt == OUT_JSON) {
		buf_printf(b, "{\"time_unix_ms\":%lld,\"pid\":%d,\"%s\":[", ms, (int)v->pid,
			   v->grouped ? "groups" : "mappings");
	}
	header(o, v);
	for (size_t i = 0; i < n; i++) {
		size_t r = idx ? idx[i] : i;

		if (o->fmt == OUT_JSON && i)
			buf_putc(b, ',');
		if (v->grouped) {
			group_row(o, v, &rc, &v->groups[r]);
		} else {
			maplist_get(v->m, r, &mp);
			mapping_row(o, v, &rc, &mp);
		}
		out_drain(o);
	}
	if (o->fmt == OUT_TABLE)
		table_totals(o, v);
	else if (o->fmt == OUT_JSON)
		json_totals(o, v->m);
	maporder_fini(&ord);
}
