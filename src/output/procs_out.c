/*
 * The process list in table, CSV and JSON form. Column names, units and
 * formats all come from the column table (model/fields.c) and cell.c.
 */
#include <string.h>

#include "model/fields.h"
#include "output/cell.h"
#include "output/forecast_out.h"
#include "output/out.h"
#include "util/fmt.h"

static void
summary_kib(struct buf *b, const char *label, const struct sysmem *s, enum mem_field f)
{
	buf_puts(b, label);
	if (s->known & (1u << f))
		fmt_kib(b, s->val[f]);
	else
		buf_putc(b, '-');
}

/* The few lines above the table, like top's summary. */
static void
table_summary(struct buf *b, const struct table *t, bool root)
{
	const struct sysmem *s = &t->sys;
	char when[FMT_TIME_LEN];

	fmt_local_time(when, t->wall_ms, true);
	buf_printf(b, "smaptop %s, %zu process%s", when, t->n,
		   t->n == 1 ? "" : "es");
	if (t->denied && root)
		buf_printf(b, ", PSS unavailable for %u (permission denied, even to root)",
			   t->denied);
	else if (t->denied)
		buf_printf(b, ", PSS unavailable for %u (permission: run as root or with "
			      "cap_sys_ptrace or cap_perfmon)", t->denied);
	summary_kib(b, "\nMem:  total ", s, M_TOTAL);
	summary_kib(b, ", used ", s, M_USED);
	summary_kib(b, ", available ", s, M_AVAILABLE);
	summary_kib(b, ", buffers ", s, M_BUFFERS);
	summary_kib(b, ", cached ", s, M_CACHED);
	summary_kib(b, ", shmem ", s, M_SHMEM);
	buf_putc(b, '\n');
	out_container_line(b, t);
	summary_kib(b, "Swap: total ", s, M_SWAP_TOTAL);
	summary_kib(b, ", used ", s, M_SWAP_USED);
	summary_kib(b, ", committed ", s, M_COMMITTED);
	summary_kib(b, " of limit ", s, M_COMMIT_LIMIT);
	if (s->psi.known)
		buf_printf(b, ", pressure some %u.%02u%% full %u.%02u%% (avg10)", s->psi.some.avg10 / 100,
			   s->psi.some.avg10 % 100, s->psi.full.avg10 / 100, s->psi.full.avg10 % 100);
	buf_puts(b, "\n\n");
}

static void
render_table(struct out *o, const struct table *t, const struct rows *r, const enum field *cols,
	     int ncols)
{
	struct buf *b = &o->b;
	struct buf cell = BUF_INIT;

	table_summary(b, t, o->root);
	for (int c = 0; c < ncols; c++) {
		const struct field_info *fi = &field_info[cols[c]];
		bool last = c == ncols - 1;
		if (c)
			buf_putc(b, ' ');
		fmt_pad(b, fi->title, strlen(fi->title), field_width(cols[c], last), fi->kind != FK_TEXT);
	}
	buf_putc(b, '\n');
	for (size_t i = 0; i < r->n; i++) {
		for (int c = 0; c < ncols; c++) {
			const struct field_info *fi = &field_info[cols[c]];
			bool last = c == ncols - 1;
			size_t width = (size_t)field_width(cols[c], last);
			size_t max = last || fi->kind != FK_TEXT ? SIZE_MAX : width;
			if (c)
				buf_putc(b, ' ');
			buf_clear(&cell);
			size_t w = cell_format(&cell, r->v[i], cols[c], o->style, max, NULL);
			size_t pad = width > w ? width - w : 0;
			if (fi->kind != FK_TEXT)
				buf_fill(b, ' ', pad);
			buf_put(b, cell.data, cell.len);
			if (fi->kind == FK_TEXT)
				buf_fill(b, ' ', pad);
		}
		while (b->len && b->data[b->len - 1] == ' ')
			b->len--;
		buf_putc(b, '\n');
	}
	buf_fini(&cell);
}

/*
 * Text cells in CSV or JSON form. The cgroup column repeats a few long paths
 * over hundreds of rows, so the last path's cell is kept and appended again
 * while the path stays the same: one strcmp instead of escaping and quoting
 * it once more.
 */
struct text_cells {
	struct buf cell;             /* scratch */
	struct buf cg_path, cg_cell; /* the last cgroup, and its cell as written */
};

static void
text_cell(struct text_cells *tc, struct buf *b, const struct proc *p, enum field f, bool json)
{
	bool cg = f == F_CGROUP && proc_has(p, F_CGROUP);
	size_t at = b->len;

	if (cg && tc->cg_path.len && strcmp(p->cgroup, tc->cg_path.data) == 0) {
		buf_put(b, tc->cg_cell.data, tc->cg_cell.len);
		return;
	}
	buf_clear(&tc->cell);
	cell_format(&tc->cell, p, f, CELL_RAW, SIZE_MAX, NULL);
	if (json)
		out_json_string(b, tc->cell.data ? tc->cell.data : "", tc->cell.len);
	else
		out_csv_field(b, tc->cell.data ? tc->cell.data : "", tc->cell.len);
	if (cg) {
		buf_clear(&tc->cg_path);
		buf_puts(&tc->cg_path, p->cgroup);
		buf_clear(&tc->cg_cell);
		buf_put(&tc->cg_cell, b->data + at, b->len - at);
	}
}

static void
text_cells_fini(struct text_cells *tc)
{
	buf_fini(&tc->cell);
	buf_fini(&tc->cg_path);
	buf_fini(&tc->cg_cell);
}

static void
render_csv(struct out *o, const struct table *t, const struct rows *r, const enum field *cols,
	   int ncols)
{
	struct buf *b = &o->b;
	struct text_cells tc = { BUF_INIT, BUF_INIT, BUF_INIT };
	long long ms = (long long)t->wall_ms;

	if (!o->header_done) {
		buf_puts(b, "time_unix_ms");
		for (int c = 0; c < ncols; c++) {
			buf_putc(b, ',');
			buf_puts(b, field_info[cols[c]].csv);
		}
		buf_putc(b, '\n');
		o->header_done = true;
	}
	buf_clear(&o->tmp);
	buf_put_i64(&o->tmp, ms); /* the time that leads every row, formatted once */
	for (size_t i = 0; i < r->n; i++) {
		buf_put(b, o->tmp.data, o->tmp.len);
		for (int c = 0; c < ncols; c++) {
			buf_putc(b, ',');
			if (field_info[cols[c]].kind != FK_TEXT) { /* digits and '-': never quoted */
				cell_format(b, r->v[i], cols[c], CELL_RAW, SIZE_MAX, NULL);
				continue;
			}
			text_cell(&tc, b, r->v[i], cols[c], false);
		}
		buf_putc(b, '\n');
		out_drain(o);
	}
	text_cells_fini(&tc);
}

static void
render_json(struct out *o, const struct table *t, const struct rows *r, const enum field *cols,
	    int ncols)
{
	struct buf *b = &o->b;
	struct text_cells tc = { BUF_INIT, BUF_INIT, BUF_INIT };
	long long ms = (long long)t->wall_ms;

	buf_printf(b, "{\"time_unix_ms\":%lld,\"processes\":[", ms);
	for (size_t i = 0; i < r->n; i++) {
		buf_puts(b, i ? ",{" : "{");
		for (int c = 0; c < ncols; c++) {
			const struct field_info *fi = &field_info[cols[c]];
			if (c)
				buf_putc(b, ',');
			out_json_string(b, fi->csv, strlen(fi->csv));
			buf_putc(b, ':');
			if (!proc_has(r->v[i], cols[c]))
				buf_puts(b, "null");
			else if (fi->kind == FK_TEXT)
				text_cell(&tc, b, r->v[i], cols[c], true);
			else
				cell_format(b, r->v[i], cols[c], CELL_RAW, SIZE_MAX, NULL);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
	text_cells_fini(&tc);
}

void
out_procs(struct out *o, const struct table *t, const struct rows *r, const enum field *cols,
	  int ncols)
{
	switch (o->fmt) {
	case OUT_TABLE:
		render_table(o, t, r, cols, ncols);
		break;
	case OUT_CSV:
		render_csv(o, t, r, cols, ncols);
		break;
	case OUT_JSON:
		render_json(o, t, r, cols, ncols);
		break;
	}
}
