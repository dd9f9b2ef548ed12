/*
 * smaptop --oom-kills: the processes the OOM killer killed, newest first, as
 * an aligned table, CSV (one row per kill) or JSON (one object per sample).
 * The first sample lists every kill still in the kernel log (up to
 * OOMLOG_CAP); later samples of a stream list only the kills logged since the
 * sample before, so a stream is a log of events. The kernel's own counter
 * comes with each sample in JSON, and in the table at the start and whenever
 * it changes. When the log cannot be read, the table says why once, each
 * JSON sample carries the reason, and the counter is still given.
 */
#include "output/oom_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output/cell.h"
#include "output/out.h"
#include "util/escape.h"
#include "util/fmt.h"

const char *
oom_log_reason(int err)
{
	switch (err) {
	case 0:
		return NULL;
	case -EPERM:
	case -EACCES:
		return "kill details unavailable: the kernel log is restricted "
		       "(kernel.dmesg_restrict, reading it needs CAP_SYSLOG)";
	case -ENOENT:
	case -ENODEV:
		return "kill details unavailable: this system has no kernel log device";
	default:
		return "kill details unavailable: the kernel log could not be read";
	}
}

void
oom_kill_time(char *s, size_t size, const struct oom_kill *k, bool date)
{
	char when[FMT_TIME_LEN];

	if (k->known & OOMK_TIME)
		fmt_local_time(when, k->time_unix_ms, date);
	snprintf(s, size, "%s", k->known & OOMK_TIME ? when : "-");
}

/* The kills to list, newest first, in v[0..n): all kept ones, or this refresh's. */
struct pick {
	const struct oom_kill *v;
	size_t n;
	bool reversed; /* v is in log order (the refresh's), so walk it backwards */
};

static const struct oom_kill *
pick_at(const struct pick *p, size_t i)
{
	return p->reversed ? &p->v[p->n - 1 - i] : &p->v[i];
}

static void
text(struct buf *b, const char *s, enum out_format fmt, struct buf *tmp)
{
	buf_clear(tmp);
	esc_append(tmp, s, strlen(s), 0);
	if (fmt == OUT_CSV)
		out_csv_field(b, tmp->data ? tmp->data : "", tmp->len);
	else if (fmt == OUT_JSON)
		out_json_string(b, tmp->data ? tmp->data : "", tmp->len);
	else
		buf_put(b, tmp->data, tmp->len);
}

/* A number, or its unavailable form: "-" (table), nothing (CSV), null (JSON). */
static void
num(struct buf *b, int64_t v, bool known, enum out_format fmt)
{
	if (known)
		buf_put_i64(b, v);
	else if (fmt == OUT_JSON)
		buf_puts(b, "null");
	else if (fmt == OUT_TABLE)
		buf_putc(b, '-');
}

static void
kib_cell(struct buf *b, struct buf *tmp, uint64_t v, bool known, int width)
{
	buf_clear(tmp);
	if (known)
		fmt_kib(tmp, v);
	else
		buf_putc(tmp, '-');
	fmt_pad(b, tmp->data, tmp->len, width, 1);
}

static void
kills_table(struct out *o, const struct table *t, const struct pick *p, bool first)
{
	struct buf *b = &o->b, cell = BUF_INIT;
	const struct oom_events *e = &t->sys.oom;
	const char *why = oom_log_reason(e->log_err);

	/* the counter when it changed, the reason for missing details once */
	uint64_t count = e->vmstat_known ? e->vmstat_kills + 1 : 0;
	if (first || count != o->oom_count) {
		buf_puts(b, "OOM kills since boot (kernel counter): ");
		num(b, (int64_t)e->vmstat_kills, e->vmstat_known, OUT_TABLE);
		buf_putc(b, '\n');
	}
	o->oom_count = count;
	if (first && why)
		buf_printf(b, "%s\n", why);
	if (first && !why && !p->n)
		buf_puts(b, "No OOM kill in the kernel log.\n");
	if (!p->n) {
		buf_fini(&cell);
		return;
	}
	if (first)
		buf_puts(b, "TIME                    PID   UID    ANON    FILE   SHMEM   ADJ "
			    "SCOPE   COMM             CGROUP\n");
	for (size_t i = 0; i < p->n; i++) {
		const struct oom_kill *k = pick_at(p, i);
		char when[32];
		oom_kill_time(when, sizeof when, k, true);
		buf_printf(b, "%-19s %8d ", when, (int)k->pid);
		buf_clear(&cell);
		num(&cell, k->uid, k->known & OOMK_UID, OUT_TABLE);
		fmt_pad(b, cell.data, cell.len, 5, 1);
		kib_cell(b, &cell, k->anon_rss_kib, k->known & OOMK_ANON, 8);
		kib_cell(b, &cell, k->file_rss_kib, k->known & OOMK_FILE, 8);
		kib_cell(b, &cell, k->shmem_rss_kib, k->known & OOMK_SHMEM, 8);
		buf_clear(&cell);
		num(&cell, k->oom_score_adj, k->known & OOMK_ADJ, OUT_TABLE);
		fmt_pad(b, cell.data, cell.len, 6, 1);
		buf_printf(b, " %-7s ", k->memcg ? "cgroup" : "machine");
		buf_clear(&cell);
		unsigned esc = o->style & CELL_ASCII ? ESC_ASCII : 0;
		size_t w = esc_append_fit(&cell, k->comm, strlen(k->comm), esc, 16, NULL);
		buf_put(b, cell.data, cell.len);
		buf_fill(b, ' ', 17 - w);
		if (k->known & OOMK_CGROUP)
			text(b, k->cgroup, OUT_TABLE, &o->tmp);
		else
			buf_putc(b, '-');
		buf_putc(b, '\n');
	}
	buf_fini(&cell);
}

static void
kills_csv(struct out *o, const struct pick *p)
{
	struct buf *b = &o->b;

	if (!o->header_done)
		buf_puts(b, "time_unix_ms,pid,comm,uid,cgroup,constraint,anon_rss_kib,"
			    "file_rss_kib,shmem_rss_kib,oom_score_adj,total_vm_kib,pgtables_kib,"
			    "oom_memcg,scope\n");
	o->header_done = true;
	for (size_t i = 0; i < p->n; i++) {
		const struct oom_kill *k = pick_at(p, i);
		num(b, k->time_unix_ms, k->known & OOMK_TIME, OUT_CSV);
		buf_printf(b, ",%d,", (int)k->pid);
		text(b, k->comm, OUT_CSV, &o->tmp);
		buf_putc(b, ',');
		num(b, k->uid, k->known & OOMK_UID, OUT_CSV);
		buf_putc(b, ',');
		if (k->known & OOMK_CGROUP)
			text(b, k->cgroup, OUT_CSV, &o->tmp);
		buf_putc(b, ',');
		if (k->known & OOMK_CONSTRAINT)
			buf_puts(b, k->constraint);
		buf_putc(b, ',');
		num(b, (int64_t)k->anon_rss_kib, k->known & OOMK_ANON, OUT_CSV);
		buf_putc(b, ',');
		num(b, (int64_t)k->file_rss_kib, k->known & OOMK_FILE, OUT_CSV);
		buf_putc(b, ',');
		num(b, (int64_t)k->shmem_rss_kib, k->known & OOMK_SHMEM, OUT_CSV);
		buf_putc(b, ',');
		num(b, k->oom_score_adj, k->known & OOMK_ADJ, OUT_CSV);
		buf_putc(b, ',');
		num(b, (int64_t)k->total_vm_kib, k->known & OOMK_TOTAL_VM, OUT_CSV);
		buf_putc(b, ',');
		num(b, (int64_t)k->pgtables_kib, k->known & OOMK_PGTABLES, OUT_CSV);
		buf_putc(b, ',');
		if (k->known & OOMK_OOM_MEMCG)
			text(b, k->oom_memcg, OUT_CSV, &o->tmp);
		buf_puts(b, k->memcg ? ",cgroup\n" : ",machine\n");
	}
}

static void
kills_json(struct out *o, const struct table *t, const struct pick *p)
{
	struct buf *b = &o->b;
	const struct oom_events *e = &t->sys.oom;
	const char *why = oom_log_reason(e->log_err);

	buf_printf(b, "{\"time_unix_ms\":%lld,\"oom_kills_since_boot\":", (long long)t->wall_ms);
	num(b, (int64_t)e->vmstat_kills, e->vmstat_known, OUT_JSON);
	buf_puts(b, ",\"details_unavailable\":");
	if (why)
		out_json_string(b, why, strlen(why));
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"kills\":[");
	for (size_t i = 0; i < p->n; i++) {
		const struct oom_kill *k = pick_at(p, i);
		buf_puts(b, i ? ",{\"time_unix_ms\":" : "{\"time_unix_ms\":");
		num(b, k->time_unix_ms, k->known & OOMK_TIME, OUT_JSON);
		buf_printf(b, ",\"pid\":%d,\"comm\":", (int)k->pid);
		text(b, k->comm, OUT_JSON, &o->tmp);
		buf_puts(b, ",\"uid\":");
		num(b, k->uid, k->known & OOMK_UID, OUT_JSON);
		buf_puts(b, ",\"cgroup\":");
		if (k->known & OOMK_CGROUP)
			text(b, k->cgroup, OUT_JSON, &o->tmp);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"constraint\":");
		if (k->known & OOMK_CONSTRAINT)
			buf_printf(b, "\"%s\"", k->constraint);
		else
			buf_puts(b, "null");
		static const struct {
			const char *key;
			unsigned bit;
			size_t off;
		} kib[] = {
			{ "anon_rss_kib", OOMK_ANON, offsetof(struct oom_kill, anon_rss_kib) },
			{ "file_rss_kib", OOMK_FILE, offsetof(struct oom_kill, file_rss_kib) },
			{ "shmem_rss_kib", OOMK_SHMEM, offsetof(struct oom_kill, shmem_rss_kib) },
			{ "total_vm_kib", OOMK_TOTAL_VM, offsetof(struct oom_kill, total_vm_kib) },
			{ "pgtables_kib", OOMK_PGTABLES, offsetof(struct oom_kill, pgtables_kib) },
		};
		for (size_t j = 0; j < sizeof kib / sizeof kib[0]; j++) {
			uint64_t v;
			memcpy(&v, (const char *)k + kib[j].off, sizeof v);
			buf_printf(b, ",\"%s\":", kib[j].key);
			num(b, (int64_t)v, k->known & kib[j].bit, OUT_JSON);
		}
		buf_puts(b, ",\"oom_score_adj\":");
		num(b, k->oom_score_adj, k->known & OOMK_ADJ, OUT_JSON);
		buf_puts(b, ",\"oom_memcg\":");
		if (k->known & OOMK_OOM_MEMCG)
			text(b, k->oom_memcg, OUT_JSON, &o->tmp);
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"scope\":\"%s\"}", k->memcg ? "cgroup" : "machine");
	}
	buf_puts(b, "]}\n");
}

void
out_oom_kills(struct out *o, const struct table *t, bool first)
{
	struct pick p = { t->kills.v, t->kills.n, false };

	if (!first) {
		p.v = t->sys.oom.kills;
		p.n = t->sys.oom.nkills;
		p.reversed = true;
	}
	switch (o->fmt) {
	case OUT_TABLE:
		kills_table(o, t, &p, first);
		break;
	case OUT_CSV:
		kills_csv(o, &p);
		break;
	case OUT_JSON:
		kills_json(o, t, &p);
		break;
	}
}
