/*
 * The memory cgroups' families (see prom_parts.h), one series per cgroup of
 * the table (each cgroup holding a process smaptop read, and its ancestors),
 * labelled cgroup="path" as /proc/PID/cgroup gives it. So the cardinality is
 * bounded by the processes, and a series lives as long as its cgroup.
 *
 * What the kernel keeps (usage, limits, swap, events) is hierarchical: a
 * cgroup's value covers the cgroups below it, and so does its PSS here; the
 * series of --prom-by cgroup hold only the processes directly in a cgroup.
 * A limit set to "max" (v2) or left at its page-rounded LONG_MAX (v1) is no
 * limit: its sample is left out, not written as +Inf or a huge number, so
 * usage / limit has no sample rather than a ratio near 0.
 */
#include "output/prom_parts.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct cgmetric {
	const char *name, *help;
	enum cg_field f;
	bool kib;       /* KiB in the model, bytes out; else a count */
	bool counter;
};

static const struct cgmetric cgmetrics[] = {
	{ "smaptop_cgroup_memory_usage_bytes",
	  "Memory charged to the cgroup and those below it (v2 memory.current, v1 "
	  "memory.usage_in_bytes)", CG_USAGE, true, false },
	{ "smaptop_cgroup_memory_limit_bytes",
	  "Hard limit of the cgroup's memory (v2 memory.max, v1 memory.limit_in_bytes); absent "
	  "when there is none", CG_LIMIT, true, false },
	{ "smaptop_cgroup_memory_high_bytes",
	  "Throttling limit (v2 memory.high); absent when there is none", CG_HIGH, true, false },
	{ "smaptop_cgroup_swap_bytes",
	  "Swap used by the cgroup (v2 memory.swap.current, v1 memsw.usage - usage)", CG_SWAP,
	  true, false },
	{ "smaptop_cgroup_swap_limit_bytes",
	  "Limit of the cgroup's swap (v2 memory.swap.max); absent when there is none",
	  CG_SWAP_LIMIT, true, false },
	{ "smaptop_cgroup_memory_failcnt_total",
	  "Times the cgroup's memory hit its limit (v1 memory.failcnt)", CG_FAILCNT, false, true },
};

/* memory.events (v2) and v1's oom_control oom_kill: one family, the event as a label. */
static const struct {
	const char *name;
	enum cg_field f;
} cgevents[] = {
	{ "low", CG_EV_LOW }, { "high", CG_EV_HIGH }, { "max", CG_EV_MAX },
	{ "oom", CG_EV_OOM }, { "oom_kill", CG_OOM_KILLS },
};

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* Is f of c a value to write: known, and not "no limit"? */
static bool
has(const struct cgroup *c, enum cg_field f)
{
	return (c->known & ~c->nolimit) & CG_BIT(f);
}

static void
render_fields(struct buf *b, const struct cgtable *ct, const char *lab, const size_t *off)
{
	for (size_t m = 0; m < N_OF(cgmetrics); m++) {
		const struct cgmetric *cm = &cgmetrics[m];
		bool any = false;
		for (size_t i = 0; i < ct->n && !any; i++)
			any = has(&ct->v[i], cm->f);
		if (!any)
			continue;
		prom_family(b, cm->name, cm->help, cm->counter);
		for (size_t i = 0; i < ct->n; i++) {
			if (has(&ct->v[i], cm->f))
				prom_sample_i64(b, cm->name, lab + off[i], off[i + 1] - off[i],
						prom_kib_or_count(ct->v[i].val[cm->f], cm->kib));
		}
	}
}

static void
render_events(struct buf *b, struct buf *one, const struct cgtable *ct, const char *lab,
	      const size_t *off)
{
	static const char name[] = "smaptop_cgroup_memory_events_total";
	bool any = false;

	for (size_t i = 0; i < ct->n && !any; i++) {
		for (size_t e = 0; e < N_OF(cgevents) && !any; e++)
			any = has(&ct->v[i], cgevents[e].f);
	}
	if (!any)
		return;
	prom_family(b, name,
		    "Memory events of the cgroup and those below it (v2 memory.events: low, high, "
		    "max, oom, oom_kill; v1 memory.oom_control: oom_kill)", true);
	for (size_t i = 0; i < ct->n; i++) {
		for (size_t e = 0; e < N_OF(cgevents); e++) {
			if (!has(&ct->v[i], cgevents[e].f))
				continue;
			buf_clear(one);
			buf_put(one, lab + off[i], off[i + 1] - off[i]);
			buf_printf(one, ",event=\"%s\"", cgevents[e].name);
			prom_sample_i64(b, name, one->data, one->len,
					prom_kib_or_count(ct->v[i].val[cgevents[e].f], false));
		}
	}
}

/* What smaptop adds up and forecasts: PSS and count of the processes, time to OOM. */
static void
render_derived(struct buf *b, const struct cgtable *ct, const char *lab, const size_t *off)
{
	static const char *const names[] = { "smaptop_cgroup_pss_bytes", "smaptop_cgroup_processes",
					     "smaptop_cgroup_oom_eta_seconds" };
	static const char *const helps[] = {
		"PSS of the processes in the cgroup and below it, those whose PSS smaptop could "
		"read; absent when it could read none",
		"Processes in the cgroup and below it",
		"Time until the cgroup reaches its limit at the steady rise of what counts against "
		"it; absent when there is no steady rise",
	};

	for (int k = 0; k < 3; k++) {
		bool any = false;
		for (size_t i = 0; i < ct->n && !any; i++) {
			const struct cgroup *c = &ct->v[i];
			any = k == 0 ? c->pss_missing < c->members_all : k == 1 ? true : c->fc.known;
		}
		if (!any)
			continue;
		prom_family(b, names[k], helps[k], false);
		for (size_t i = 0; i < ct->n; i++) {
			const struct cgroup *c = &ct->v[i];
			int64_t v;
			if (k == 0 && c->pss_missing < c->members_all)
				v = prom_kib_or_count(c->pss_kib, true);
			else if (k == 1)
				v = c->members_all;
			else if (k == 2 && c->fc.known)
				v = c->fc.eta_s;
			else
				continue;
			prom_sample_i64(b, names[k], lab + off[i], off[i + 1] - off[i], v);
		}
	}
}

void
prom_cgroup_render(struct buf *b, struct buf *lab, struct buf *tmp, const struct cgtable *ct)
{
	if (!ct->n)
		return;
	/* Each cgroup's label text once, for every family: off[i]..off[i + 1] in lab. */
	size_t *off = xreallocarray(NULL, ct->n + 1, sizeof *off);
	struct buf one = BUF_INIT;

	buf_clear(lab);
	for (size_t i = 0; i < ct->n; i++) {
		off[i] = lab->len;
		const char *p = ct->v[i].path;
		prom_label(lab, tmp, "cgroup", p, strlen(p), true);
	}
	off[ct->n] = lab->len;
	render_fields(b, ct, lab->data, off);
	render_events(b, &one, ct, lab->data, off);
	render_derived(b, ct, lab->data, off);
	buf_fini(&one);
	free(off);
}
