/* Small lifecycle helpers for the plain-data records of proc.h, sample.h and system.h. */
#include <stdlib.h>
#include <string.h>

#include "model/proc.h"
#include "model/sample.h"
#include "model/system.h"
#include "util/xalloc.h"

void
proc_set_comm(struct proc *p, const char *s, size_t len)
{
	/* the union's bytes are the old pointer: keep it until s is copied */
	char *old = p->flags & PROC_COMM_HEAP ? p->comm.heap : NULL;

	if (len < sizeof p->comm.in) {
		memmove(p->comm.in, s, len);
		p->comm.in[len] = '\0';
		p->flags &= (uint16_t)~PROC_COMM_HEAP;
	} else {
		char *name = xmalloc(len + 1);
		memcpy(name, s, len);
		name[len] = '\0';
		p->comm.heap = name;
		p->flags |= PROC_COMM_HEAP;
	}
	free(old);
}

void
proc_comm_unshare(struct proc *p)
{
	if (p->flags & PROC_COMM_HEAP)
		p->comm.heap = xstrdup(p->comm.heap);
}

void
proc_fini(struct proc *p)
{
	free(p->cmdline);
	p->cmdline = NULL;
	p->cmd_len = 0;
	free(p->cgroup);
	p->cgroup = NULL;
	proc_set_comm(p, "", 0);
}

struct proc *
sample_push(struct sample *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->procs = xreallocarray(s->procs, s->cap, sizeof *s->procs);
	}
	struct proc *p = &s->procs[s->n++];
	memset(p, 0, sizeof *p);
	return p;
}

void
sample_reserve(struct sample *s, size_t n)
{
	if (n > s->cap) {
		s->cap = n;
		s->procs = xreallocarray(s->procs, s->cap, sizeof *s->procs);
	}
}

void
sample_clear(struct sample *s)
{
	for (size_t i = 0; i < s->n; i++)
		proc_fini(&s->procs[i]);
	s->n = 0;
}

void
sample_fini(struct sample *s)
{
	sample_clear(s);
	free(s->procs);
	sysmem_fini(&s->sys);
	cgtable_fini(&s->cg);
	memset(s, 0, sizeof *s);
}

void
sysmem_fini(struct sysmem *s)
{
	free(s->swaps);
	free(s->nodes);
	s->swaps = NULL;
	s->nodes = NULL;
	s->nswaps = s->nnodes = 0;
	oom_events_fini(&s->oom);
}
