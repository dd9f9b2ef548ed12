/*
 * The OOM section of --system: the knobs that decide when the OOM killer
 * comes, each with its value and a one-line meaning, and the kernel's count of
 * OOM kills since boot. An unreadable knob is "-" in the table, left out of
 * the long-form CSV (like the other sections) and null in JSON.
 */
#include <stdio.h>
#include <string.h>

#include "output/oom_out.h"
#include "util/fmt.h"

/* The value of knob i as text ("-" when unknown); KiB in binary units when human. */
static void
value(struct buf *b, const struct knobs *k, enum knob i, bool human)
{
	if (!knob_known(k, i))
		buf_putc(b, '-');
	else if (knob_info[i].kind == KNOB_TEXT)
		buf_puts(b, k->text[i]);
	else if (knob_info[i].kind == KNOB_BOOL && human)
		buf_puts(b, k->val[i] ? "on" : "off");
	else if (knob_info[i].kind == KNOB_KIB && human)
		fmt_kib(b, (uint64_t)k->val[i]);
	else
		buf_put_i64(b, k->val[i]);
}

static void
commit_line(struct buf *b, const struct sysmem *s)
{
	buf_puts(b, "    CommitLimit ");
	if (s->known >> M_COMMIT_LIMIT & 1)
		fmt_kib(b, s->val[M_COMMIT_LIMIT]);
	else
		buf_putc(b, '-');
	buf_puts(b, ", Committed_AS ");
	if (s->known >> M_COMMITTED & 1)
		fmt_kib(b, s->val[M_COMMITTED]);
	else
		buf_putc(b, '-');
	buf_puts(b, " (mode 2 refuses commits beyond the limit)\n");
}

void
out_knobs_table(struct buf *b, const struct sysmem *s)
{
	const struct knobs *k = &s->knobs;
	struct buf v = BUF_INIT;

	buf_puts(b, "\nOOM killer\n  OOM kills since boot: ");
	if (s->oom.vmstat_known)
		buf_put_u64(b, s->oom.vmstat_kills);
	else
		buf_putc(b, '-');
	buf_puts(b, "\n\nSettings that decide OOMs\n");
	for (int i = 0; i < KN_NUM; i++) {
		buf_clear(&v);
		value(&v, k, (enum knob)i, true);
		/* what the value set does, where there is a word for it; else what the knob does */
		const char *now = knob_known(k, (enum knob)i) && knob_info[i].kind != KNOB_TEXT
					  ? knob_value_meaning((enum knob)i, k->val[i]) : NULL;
		buf_printf(b, "  %-30s %8s  %s\n", knob_info[i].name, v.data,
			   now ? now : knob_info[i].meaning);
		if (i == KN_OVERCOMMIT_KBYTES)
			commit_line(b, s);
	}
	buf_fini(&v);
}

void
out_knobs_csv(struct buf *b, const struct sysmem *s, long long ms)
{
	const struct knobs *k = &s->knobs;

	if (s->oom.vmstat_known)
		buf_printf(b, "%lld,oom,,kills_since_boot,%llu\n", ms,
			   (unsigned long long)s->oom.vmstat_kills);
	for (int i = 0; i < KN_NUM; i++) {
		if (!knob_known(k, (enum knob)i))
			continue;
		buf_printf(b, "%lld,knobs,,%s,", ms, knob_info[i].key);
		value(b, k, (enum knob)i, false);
		buf_putc(b, '\n');
	}
}

void
out_knobs_json(struct buf *b, const struct sysmem *s)
{
	const struct knobs *k = &s->knobs;

	buf_puts(b, ",\"oom_kills_since_boot\":");
	if (s->oom.vmstat_known)
		buf_put_u64(b, s->oom.vmstat_kills);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"knobs\":{");
	for (int i = 0; i < KN_NUM; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", knob_info[i].key);
		if (!knob_known(k, (enum knob)i))
			buf_puts(b, "null");
		else if (knob_info[i].kind == KNOB_TEXT)
			buf_printf(b, "\"%s\"", k->text[i]);
		else if (knob_info[i].kind == KNOB_BOOL)
			buf_puts(b, k->val[i] ? "true" : "false");
		else
			buf_put_i64(b, k->val[i]);
	}
	buf_putc(b, '}');
}
