/*
 * The list of recent OOM kills (see oomkill.h). The list is kept sorted by
 * the log's sequence number, newest first; it never holds more than
 * OOMLOG_CAP records, allocated once.
 */
#include "model/oomkill.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void
oomlog_init(struct oomlog *l)
{
	memset(l, 0, sizeof *l);
}

void
oomlog_fini(struct oomlog *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

bool
oomlog_add(struct oomlog *l, const struct oom_kill *k)
{
	size_t at = 0;

	while (at < l->n && l->v[at].seq > k->seq)
		at++;
	if (at < l->n && l->v[at].seq == k->seq)
		return false;
	if (at >= OOMLOG_CAP)
		return false; /* older than everything kept, and the list is full */
	if (!l->v)
		l->v = xcalloc(OOMLOG_CAP, sizeof *l->v);
	size_t keep = l->n < OOMLOG_CAP ? l->n : OOMLOG_CAP - 1;
	memmove(&l->v[at + 1], &l->v[at], (keep - at) * sizeof *l->v);
	l->v[at] = *k;
	l->n = keep + 1;
	l->added++;
	return true;
}

const struct oom_kill *
oomlog_match(const struct oomlog *l, int32_t pid, const char *comm, int64_t seen_ms)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct oom_kill *k = &l->v[i];
		if (k->pid != pid || strcmp(k->comm, comm) != 0)
			continue;
		if (!(k->known & OOMK_TIME) || k->time_unix_ms < seen_ms - OOMLOG_MATCH_BEFORE_MS)
			return NULL; /* the newest kill of that pid is older: another process */
		return k;
	}
	return NULL;
}

void
oom_events_fini(struct oom_events *e)
{
	free(e->kills);
	memset(e, 0, sizeof *e);
}

void
oom_events_push(struct oom_events *e, const struct oom_kill *k)
{
	e->kills = xreallocarray(e->kills, e->nkills + 1, sizeof *e->kills);
	e->kills[e->nkills++] = *k;
}
