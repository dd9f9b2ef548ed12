/*
 * Leak suspects (--leaks) in table, CSV and JSON form: one block per sample,
 * the suspects only, biggest growth first. A sample without suspects is still
 * printed (the table says so, JSON has an empty list, CSV has no row for it):
 * "nothing is leaking" is a finding. Reads only leak rows, so a replay can
 * feed it rows built from a recording.
 */
#include <stdlib.h>
#include <string.h>

#include "output/cell.h"
#include "output/out.h"
#include "util/escape.h"
#include "util/fmt.h"

/* Local clock time of ms; with the date when it is not the day of now_ms. */
static void
put_when(struct buf *b, int64_t ms, int64_t now_ms)
{
	char text[FMT_TIME_LEN];

	fmt_local_when(text, ms, now_ms, false);
	buf_puts(b, text);
}

static void
render_table(struct out *o, int64_t now_ms, const struct leak_row *r, size_t n, size_t estimated)
{
	struct buf *b = &o->b;
	unsigned esc = o->style & CELL_ASCII ? ESC_ASCII : 0;
	struct buf cell = BUF_INIT;

	char stamp[FMT_TIME_LEN];

	fmt_local_time(stamp, now_ms, true);
	buf_printf(b, "smaptop %s", stamp);
	if (!n) {
		buf_printf(b, ", no leak suspects (%zu processes with enough history)\n",
			   estimated);
		return;
	}
	buf_printf(b, ", %zu leak suspect%s (of %zu processes with enough history)\n", n,
		   n == 1 ? "" : "s", estimated);
	buf_puts(b, "    PID  LEAK/h GROWING SINCE       SIZE OF COMM\n");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%7lld ", (long long)r[i].pid);
		buf_clear(&cell);
		fmt_kib_signed(&cell, r[i].kib_per_h);
		fmt_pad(b, cell.data, cell.len, 7, 1);
		buf_putc(b, ' ');
		buf_clear(&cell);
		put_when(&cell, r[i].since_unix_ms, now_ms);
		fmt_pad(b, cell.data, cell.len, 16, 0);
		buf_putc(b, ' ');
		buf_clear(&cell);
		if (r[i].kib >= 0)
			fmt_kib(&cell, (uint64_t)r[i].kib);
		else
			buf_putc(&cell, '-');
		fmt_pad(b, cell.data, cell.len, 6, 1);
		buf_puts(b, r[i].pss ? " PSS " : " RSS ");
		esc_append(b, r[i].comm, strlen(r[i].comm), esc);
		buf_putc(b, '\n');
	}
	buf_fini(&cell);
}

static void
render_csv(struct out *o, int64_t now_ms, const struct leak_row *r, size_t n)
{
	struct buf *b = &o->b;
	struct buf cell = BUF_INIT;

	if (!o->header_done) {
		buf_puts(b, "time_unix_ms,pid,comm,leak_kib_per_h,growing_since_unix_ms,series,"
			    "size_kib\n");
		o->header_done = true;
	}
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%lld,%lld,", (long long)now_ms, (long long)r[i].pid);
		buf_clear(&cell);
		esc_append(&cell, r[i].comm, strlen(r[i].comm), 0);
		out_csv_field(b, cell.data ? cell.data : "", cell.len);
		buf_printf(b, ",%lld,%lld,%s,", (long long)r[i].kib_per_h,
			   (long long)r[i].since_unix_ms, r[i].pss ? "pss" : "rss");
		if (r[i].kib >= 0)
			buf_put_i64(b, r[i].kib);
		buf_putc(b, '\n');
		out_drain(o);
	}
	buf_fini(&cell);
}

static void
render_json(struct out *o, int64_t now_ms, const struct leak_row *r, size_t n, size_t estimated)
{
	struct buf *b = &o->b;
	struct buf cell = BUF_INIT;

	buf_printf(b, "{\"time_unix_ms\":%lld,\"estimated\":%zu,\"suspects\":[", (long long)now_ms,
		   estimated);
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%s{\"pid\":%lld,\"comm\":", i ? "," : "", (long long)r[i].pid);
		buf_clear(&cell);
		esc_append(&cell, r[i].comm, strlen(r[i].comm), 0);
		out_json_string(b, cell.data ? cell.data : "", cell.len);
		buf_printf(b, ",\"leak_kib_per_h\":%lld,\"growing_since_unix_ms\":%lld,"
			      "\"series\":\"%s\",\"size_kib\":",
			   (long long)r[i].kib_per_h, (long long)r[i].since_unix_ms,
			   r[i].pss ? "pss" : "rss");
		if (r[i].kib >= 0)
			buf_put_i64(b, r[i].kib);
		else
			buf_puts(b, "null");
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
	buf_fini(&cell);
}

void
out_leaks(struct out *o, int64_t now_unix_ms, const struct leak_row *rows, size_t n,
	  size_t estimated)
{
	switch (o->fmt) {
	case OUT_TABLE:
		render_table(o, now_unix_ms, rows, n, estimated);
		break;
	case OUT_CSV:
		render_csv(o, now_unix_ms, rows, n);
		break;
	case OUT_JSON:
		render_json(o, now_unix_ms, rows, n, estimated);
		break;
	}
}

void
out_leaks_live(struct out *o, const struct table *t, const struct rows *sel)
{
	struct leak_row *rows = NULL;
	size_t cap = 0, estimated = 0;
	size_t n = leak_suspects(t, sel->v, sel->n, &rows, &cap, &estimated);

	out_leaks(o, t->wall_ms, rows, n, estimated);
	free(rows);
}
