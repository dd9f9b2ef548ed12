/*
 * Time to OOM in words (see forecast_out.h), and the machine's forecast and
 * the container's limit for --system and the summaries.
 */
#include "output/forecast_out.h"

#include <string.h>

#include "util/duration.h"
#include "util/escape.h"
#include "util/fmt.h"

/* Why there is no forecast (enum fc_why): for people, and one word for scripts. */
static const struct {
	const char *words, *word;
} why[] = {
	[FCW_HISTORY] = { "not enough history yet", "history" },
	[FCW_FLAT] = { "flat", "flat" },
	[FCW_FALLING] = { "falling", "falling" },
	[FCW_NOISY] = { "too noisy", "noisy" },
	[FCW_NO_LIMIT] = { "no limit", "no_limit" },
	[FCW_NO_DATA] = { "usage unavailable", "no_usage" },
};

void
out_forecast_words(struct buf *b, const struct oom_forecast *fc)
{
	if (!fc->known) {
		buf_printf(b, "no forecast (%s)", why[fc->why].words);
		return;
	}
	if (fc->eta_s <= 0) {
		buf_puts(b, "full now");
	} else {
		buf_puts(b, "full in about ");
		fmt_duration_words(b, fc->eta_s);
	}
	buf_puts(b, " at ");
	fmt_rate_kib(b, fc->rate_kib_s);
}

const char *
out_forecast_state(const struct oom_forecast *fc)
{
	return fc->known ? "forecast" : why[fc->why].word;
}

void
out_forecast_victim(struct buf *b, const struct table *t, const struct oom_forecast *fc,
		    unsigned group_n, unsigned esc_flags)
{
	if (!fc->known || !fc->victim)
		return;
	const struct proc *p = table_find(t, fc->victim);
	buf_printf(b, "PID %d ", (int)fc->victim);
	if (p)
		esc_append(b, proc_comm(p), strlen(proc_comm(p)), esc_flags);
	else
		buf_putc(b, '-');
	buf_puts(b, " goes");
	if (fc->victim_group)
		buf_printf(b, ", with its whole group (%u process%s)", group_n,
			   group_n == 1 ? "" : "es");
}

void
out_forecast_line(struct buf *b, const struct table *t, const struct oom_forecast *fc,
		  unsigned group_n, unsigned esc_flags)
{
	out_forecast_words(b, fc);
	if (fc->known && fc->victim)
		buf_puts(b, ", ");
	out_forecast_victim(b, t, fc, group_n, esc_flags);
}

void
out_container_line(struct buf *b, const struct table *t)
{
	int i = table_container(t);

	if (i < 0)
		return;
	const struct cgroup *c = &t->cg.v[i];
	buf_puts(b, "Mem:  cgroup limit ");
	fmt_kib(b, c->val[CG_LIMIT]);
	buf_puts(b, ", used ");
	if (c->known & CG_BIT(CG_USAGE))
		fmt_kib(b, c->val[CG_USAGE]);
	else
		buf_putc(b, '-');
	buf_puts(b, " (the cgroup's, ");
	esc_append(b, c->path, strlen(c->path), 0);
	buf_puts(b, ", not the machine's)\n");
}

void
out_system_oom_table(struct buf *b, const struct table *t)
{
	buf_puts(b, "\nTime to OOM\n  machine: ");
	out_forecast_line(b, t, &t->mach_fc, 0, 0);
	buf_putc(b, '\n');
	if (table_container(t) >= 0) {
		buf_puts(b, "\nContainer\n  ");
		out_container_line(b, t);
	}
}

static void
csv_value(struct buf *b, long long ms, const char *section, const char *item, const char *key,
	  bool known, long long v)
{
	buf_printf(b, "%lld,%s,", ms, section);
	out_csv_field(b, item, strlen(item));
	buf_printf(b, ",%s,", key);
	if (known)
		buf_printf(b, "%lld", v);
	buf_putc(b, '\n');
}

void
out_system_oom_csv(struct buf *b, const struct table *t, long long ms)
{
	const struct oom_forecast *m = &t->mach_fc;
	int i = table_container(t);

	csv_value(b, ms, "oom", "machine", "oom_eta_s", m->known, m->eta_s);
	csv_value(b, ms, "oom", "machine", "oom_victim_pid", m->known && m->victim, m->victim);
	if (i < 0)
		return;
	const struct cgroup *c = &t->cg.v[i];
	struct buf e = BUF_INIT;
	esc_append(&e, c->path, strlen(c->path), 0);
	csv_value(b, ms, "container", e.data, "limit_kib", true, (long long)c->val[CG_LIMIT]);
	csv_value(b, ms, "container", e.data, "usage_kib", c->known & CG_BIT(CG_USAGE),
		  (long long)c->val[CG_USAGE]);
	csv_value(b, ms, "container", e.data, "oom_eta_s", c->fc.known, c->fc.eta_s);
	csv_value(b, ms, "container", e.data, "oom_victim_pid", c->fc.known && c->fc.victim,
		  c->fc.victim);
	buf_fini(&e);
}

static void
json_opt(struct buf *b, const char *key, bool known, long long v)
{
	buf_printf(b, "\"%s\":", key);
	if (known)
		buf_printf(b, "%lld", v);
	else
		buf_puts(b, "null");
}

void
out_system_oom_json(struct buf *b, const struct table *t)
{
	const struct oom_forecast *m = &t->mach_fc;
	int i = table_container(t);

	buf_puts(b, ",\"oom_forecast\":{");
	json_opt(b, "oom_eta_s", m->known, m->eta_s);
	buf_putc(b, ',');
	json_opt(b, "oom_victim_pid", m->known && m->victim, m->victim);
	buf_puts(b, "},\"container\":");
	if (i < 0) {
		buf_puts(b, "null");
		return;
	}
	const struct cgroup *c = &t->cg.v[i];
	buf_puts(b, "{\"cgroup\":");
	struct buf e = BUF_INIT;
	esc_append(&e, c->path, strlen(c->path), 0);
	out_json_string(b, e.data ? e.data : "", e.len);
	buf_fini(&e);
	buf_putc(b, ',');
	json_opt(b, "limit_kib", true, (long long)c->val[CG_LIMIT]);
	buf_putc(b, ',');
	json_opt(b, "usage_kib", c->known & CG_BIT(CG_USAGE), (long long)c->val[CG_USAGE]);
	buf_putc(b, ',');
	json_opt(b, "oom_eta_s", c->fc.known, c->fc.eta_s);
	buf_putc(b, ',');
	json_opt(b, "oom_victim_pid", c->fc.known && c->fc.victim, c->fc.victim);
	buf_putc(b, '}');
}
