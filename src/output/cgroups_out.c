/*
 * The cgroup tree (see cgroups_out.h). Columns are data: one table of title,
 * CSV name, width and a getter; the three formats walk it.
 */
#include "output/cgroups_out.h"

#include <stdlib.h>
#include <string.h>

#include "output/forecast_out.h"
#include "util/duration.h"
#include "util/escape.h"
#include "util/fmt.h"
#include "util/xalloc.h"

enum col_kind { CK_KIB, CK_INT, CK_PCT, CK_ETA, CK_BOOL };

/* A value of entry i: 0 = unavailable, 1 = *v valid, 2 = no limit. */
typedef int (*getter)(const struct cgtable *ct, int i, double *v);

struct col {
	const char *title, *csv;
	int width;
	enum col_kind kind;
	int f;        /* enum cg_field, or -1: get says */
	getter get;
	bool table;   /* shown in the aligned table too */
};

static int
field(const struct cgroup *c, int f, double *v)
{
	if (!(c->known & CG_BIT(f)))
		return 0;
	if (c->nolimit & CG_BIT(f))
		return 2;
	*v = (double)c->val[f];
	return 1;
}


static int
g_procs(const struct cgtable *ct, int i, double *v)
{
	*v = ct->v[i].members_all;
	return 1;
}

static int
g_pct(const struct cgtable *ct, int i, double *v)
{
	return cgroup_pct(ct, i, v);
}

static int
g_pss(const struct cgtable *ct, int i, double *v)
{
	const struct cgroup *c = &ct->v[i];

	*v = (double)c->pss_kib;
	return c->members_all > c->pss_missing;
}

static int
g_psi(const struct cgtable *ct, int i, double *v)
{
	*v = ct->v[i].psi.some.avg10;
	return ct->v[i].psi.known;
}

static int
g_eta(const struct cgtable *ct, int i, double *v)
{
	*v = (double)ct->v[i].fc.eta_s;
	return ct->v[i].fc.known;
}

static int
g_rate(const struct cgtable *ct, int i, double *v)
{
	*v = ct->v[i].fc.rate_kib_s;
	return ct->v[i].fc.known;
}

static int
g_victim(const struct cgtable *ct, int i, double *v)
{
	*v = ct->v[i].fc.victim;
	return ct->v[i].fc.known && ct->v[i].fc.victim;
}

static int
g_group(const struct cgtable *ct, int i, double *v)
{
	*v = ct->v[i].fc.victim_group;
	return ct->v[i].fc.known && ct->v[i].fc.victim;
}

static const struct col cols[] = {
	{ "PROCS", "processes", 5, CK_INT, -1, g_procs, true },
	{ "USAGE", "usage_kib", 6, CK_KIB, CG_USAGE, NULL, true },
	{ "LIMIT", "limit_kib", 6, CK_KIB, CG_LIMIT, NULL, true },
	{ "USE%", "limit_pct", 5, CK_PCT, -1, g_pct, true },
	{ "HIGH", "high_kib", 6, CK_KIB, CG_HIGH, NULL, false },
	{ "SWAP", "swap_kib", 6, CK_KIB, CG_SWAP, NULL, true },
	{ "SWLIM", "swap_limit_kib", 6, CK_KIB, CG_SWAP_LIMIT, NULL, false },
	{ "MSWLIM", "memsw_limit_kib", 6, CK_KIB, CG_MEMSW_LIMIT, NULL, false },
	{ "PSS", "pss_kib", 6, CK_KIB, -1, g_pss, true },
	{ "ANON", "anon_kib", 6, CK_KIB, CG_ANON, NULL, false },
	{ "FILE", "file_kib", 6, CK_KIB, CG_FILE, NULL, false },
	{ "OOMK", "oom_kills", 4, CK_INT, CG_OOM_KILLS, NULL, true },
	{ "FAILS", "failcnt", 5, CK_INT, CG_FAILCNT, NULL, false },
	{ "MAXEV", "events_max", 5, CK_INT, CG_EV_MAX, NULL, false },
	{ "PSI10", "pressure_some_avg10_centipct", 5, CK_INT, -1, g_psi, false },
	{ "OOM IN", "oom_eta_s", 6, CK_ETA, -1, g_eta, true },
	{ "RATE", "oom_growth_kib_per_s", 6, CK_KIB, -1, g_rate, false },
	{ "VICTIM", "oom_victim_pid", 7, CK_INT, -1, g_victim, true },
	{ "GROUP", "oom_victim_group", 5, CK_BOOL, -1, g_group, false },
};
enum { NCOLS = sizeof cols / sizeof *cols };

static int
get(const struct col *c, const struct cgtable *ct, int i, double *v)
{
	return c->get ? c->get(ct, i, v) : field(&ct->v[i], c->f, v);
}

/* The raw value of a cell (CSV and JSON): nothing when unavailable or no limit. */
static bool
raw(struct buf *b, const struct col *c, int st, double v)
{
	if (st != 1)
		return false;
	if (c->kind == CK_PCT)
		buf_printf(b, "%.1f", v);
	else if (c->kind == CK_BOOL)
		buf_puts(b, v ? "1" : "0");
	else
		buf_put_i64(b, (int64_t)v);
	return true;
}

static void
human(struct buf *b, const struct col *c, int st, double v)
{
	struct buf cell = BUF_INIT;

	if (st == 0)
		buf_putc(&cell, '-');
	else if (st == 2)
		buf_puts(&cell, "max");
	else if (c->kind == CK_KIB)
		fmt_kib(&cell, (uint64_t)v);
	else if (c->kind == CK_PCT)
		buf_printf(&cell, "%.1f", v);
	else if (c->kind == CK_ETA)
		fmt_duration(&cell, (int64_t)v);
	else
		buf_put_i64(&cell, (int64_t)v);
	fmt_pad(b, cell.data, cell.len, c->width, 1);
	buf_fini(&cell);
}

static void
summary(struct buf *b, const struct table *t)
{
	const struct cgtable *ct = &t->cg;
	char when[FMT_TIME_LEN];

	fmt_local_time(when, t->wall_ms, true);
	buf_printf(b, "smaptop %s, %zu memory cgroups (%s)", when, ct->n,
		   ct->version == CG_V1   ? "cgroup v1"
		   : ct->version == CG_V2 ? "cgroup v2"
					  : "no cgroups");
	buf_puts(b, "\nMachine: ");
	out_forecast_line(b, t, &t->mach_fc, 0, 0);
	buf_puts(b, "\n\n");
}

static void
path_cell(struct buf *b, const struct cgroup *c, enum out_format fmt)
{
	struct buf e = BUF_INIT;

	esc_append(&e, c->path, strlen(c->path), 0);
	if (fmt == OUT_CSV)
		out_csv_field(b, e.data ? e.data : "", e.len);
	else if (fmt == OUT_JSON)
		out_json_string(b, e.data ? e.data : "", e.len);
	buf_fini(&e);
}

/* The table's last column: the tree, indented, each entry by its last component. */
static void
tree_cell(struct buf *b, const struct cgroup *c)
{
	const char *name = c->depth ? strrchr(c->path, '/') + 1 : c->path;

	buf_fill(b, ' ', (size_t)(c->depth < 20 ? c->depth : 20) * 2);
	esc_append(b, name, strlen(name), 0);
}

static void
render_table(struct out *o, const struct table *t, const int *order)
{
	struct buf *b = &o->b;
	double v = 0;

	summary(b, t);
	for (int k = 0; k < NCOLS; k++) {
		if (!cols[k].table)
			continue;
		fmt_pad(b, cols[k].title, strlen(cols[k].title), cols[k].width, 1);
		buf_putc(b, ' ');
	}
	buf_puts(b, "CGROUP\n");
	for (size_t r = 0; r < t->cg.n; r++) {
		int i = order[r];
		for (int k = 0; k < NCOLS; k++) {
			if (!cols[k].table)
				continue;
			int st = get(&cols[k], &t->cg, i, &v);
			human(b, &cols[k], st, v);
			buf_putc(b, ' ');
		}
		tree_cell(b, &t->cg.v[i]);
		buf_putc(b, '\n');
	}
}

static void
render_csv(struct out *o, const struct table *t, const int *order)
{
	struct buf *b = &o->b;
	double v = 0;

	if (!o->header_done) {
		buf_puts(b, "time_unix_ms,cgroup,depth");
		for (int k = 0; k < NCOLS; k++)
			buf_printf(b, ",%s", cols[k].csv);
		buf_puts(b, ",no_limit,self,oom_forecast\n");
		o->header_done = true;
	}
	for (size_t r = 0; r < t->cg.n; r++) {
		int i = order[r];
		const struct cgroup *c = &t->cg.v[i];
		buf_put_i64(b, t->wall_ms);
		buf_putc(b, ',');
		path_cell(b, c, OUT_CSV);
		buf_printf(b, ",%d", c->depth);
		for (int k = 0; k < NCOLS; k++) {
			buf_putc(b, ',');
			int st = get(&cols[k], &t->cg, i, &v);
			raw(b, &cols[k], st, v);
		}
		buf_putc(b, ',');
		if (c->known & CG_BIT(CG_LIMIT))
			buf_putc(b, c->nolimit & CG_BIT(CG_LIMIT) ? '1' : '0');
		buf_printf(b, ",%d,%s\n", i == t->cg.self, out_forecast_state(&c->fc));
		out_drain(o);
	}
}

static void
render_json(struct out *o, const struct table *t, const int *order)
{
	struct buf *b = &o->b;
	const struct oom_forecast *m = &t->mach_fc;
	double v = 0;

	buf_printf(b, "{\"time_unix_ms\":%lld,\"version\":", (long long)t->wall_ms);
	if (t->cg.version)
		buf_printf(b, "%d", (int)t->cg.version);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"machine\":{\"oom_eta_s\":");
	if (m->known)
		buf_printf(b, "%lld,\"oom_growth_kib_per_s\":%.0f", (long long)m->eta_s,
			   m->rate_kib_s);
	else
		buf_puts(b, "null,\"oom_growth_kib_per_s\":null");
	buf_puts(b, ",\"oom_victim_pid\":");
	if (m->known && m->victim)
		buf_printf(b, "%d", (int)m->victim);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"oom_forecast\":\"%s\"},\"cgroups\":[", out_forecast_state(m));
	for (size_t r = 0; r < t->cg.n; r++) {
		int i = order[r];
		const struct cgroup *c = &t->cg.v[i];
		buf_puts(b, r ? ",{\"cgroup\":" : "{\"cgroup\":");
		path_cell(b, c, OUT_JSON);
		buf_printf(b, ",\"depth\":%d", c->depth);
		for (int k = 0; k < NCOLS; k++) {
			buf_printf(b, ",\"%s\":", cols[k].csv);
			int st = get(&cols[k], &t->cg, i, &v);
			if (st == 1 && cols[k].kind == CK_BOOL)
				buf_puts(b, v ? "true" : "false");
			else if (!raw(b, &cols[k], st, v))
				buf_puts(b, "null");
		}
		buf_puts(b, ",\"no_limit\":");
		if (c->known & CG_BIT(CG_LIMIT))
			buf_puts(b, c->nolimit & CG_BIT(CG_LIMIT) ? "true" : "false");
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"self\":%s,\"oom_forecast\":\"%s\"}", i == t->cg.self ? "true" : "false",
			   out_forecast_state(&c->fc));
		out_drain(o);
	}
	buf_puts(b, "]}\n");
}

void
out_cgroups(struct out *o, const struct table *t, enum cg_sort key, bool reverse)
{
	int *order = xmalloc((t->cg.n + 1) * sizeof *order);

	cgtable_order(&t->cg, key, reverse, order);
	switch (o->fmt) {
	case OUT_TABLE:
		render_table(o, t, order);
		break;
	case OUT_CSV:
		render_csv(o, t, order);
		break;
	case OUT_JSON:
		render_json(o, t, order);
		break;
	}
	free(order);
}
