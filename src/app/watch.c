/* Watched processes and how they ended (see watch.h). */
#include "app/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/oomkill.h"
#include "output/oom_out.h"
#include "util/escape.h"
#include "util/xalloc.h"

void
watch_init(struct watch *w, const pid_t *pids, size_t n)
{
	w->v = n ? xcalloc(n, sizeof *w->v) : NULL;
	w->n = n;
	for (size_t i = 0; i < n; i++)
		w->v[i].pid = pids[i];
}

void
watch_fini(struct watch *w)
{
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

size_t
watch_update(struct watch *w, const struct table *t, struct buf *msg)
{
	size_t lines = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct watched *x = &w->v[i];
		const struct proc *p = table_find(t, x->pid);
		if (p) {
			x->seen = true;
			x->seen_ms = t->wall_ms;
			snprintf(x->comm, sizeof x->comm, "%s", proc_comm(p));
			continue;
		}
		if (!x->seen || x->gone)
			continue;
		x->gone = true;
		const struct oom_kill *k = oomlog_match(&t->kills, x->pid, x->comm, x->seen_ms);
		if (!k)
			continue;
		char when[32];
		oom_kill_time(when, sizeof when, k, false);
		buf_printf(msg, "smaptop: PID %d (", (int)x->pid);
		esc_append(msg, x->comm, strlen(x->comm), 0);
		buf_printf(msg, ") was killed by the OOM killer at %s\n", when);
		x->killed = true;
		lines++;
	}
	return lines;
}

bool
watch_all_killed(const struct watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->v[i].killed)
			return false;
	return w->n > 0;
}
