/*
 * The incremental selection (select_update(), model/select.c) against a plain
 * oracle: after every step of a random walk (a new table with some processes
 * changed, gone or new; another sort column; the other direction; a filter
 * typed or erased character by character) the rows equal those of a full
 * filter and a qsort() by the documented order (column direction, unavailable
 * values last either way, ties by pid). Values are drawn from small ranges so
 * that ties are common, some are unavailable or negative, and names share
 * prefixes longer than 8 bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/fields.h"
#include "model/select.h"
#include "model/table.h"
#include "util/xalloc.h"

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const comms[] = {
	"containerd-shim-a", "containerd-shim-b", "containerd", "bash", "Bash", "b", "", "zsh",
	"postgres: walwriter", "postgres: checkpointer",
};

static const enum field sorts[] = {
	F_PID, F_RSS, F_PSS, F_SWAP, F_GROWTH, F_OOM_ADJ, F_COMM, F_USER, F_STATE, F_CMDLINE,
};

static void
random_proc(struct proc *p, pid_t pid)
{
	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set(p, F_COMM, 0);
	const char *comm = comms[rnd(10)];
	proc_set_comm(p, comm, strlen(comm));
	proc_set(p, F_USER, 0);
	p->user = rnd(2) ? "root" : "postgres-admin-x";
	p->state = "RSDZ"[rnd(4)];
	static const enum field num[] = { F_RSS, F_PSS, F_SWAP, F_GROWTH, F_OOM_ADJ };
	for (size_t i = 0; i < sizeof num / sizeof *num; i++)
		if (rnd(8)) /* 1 in 8 unavailable */
			proc_set(p, num[i], (int64_t)rnd(7) - (num[i] == F_GROWTH ? 3 : 0));
	if (rnd(4)) {
		char cmd[64];
		int n = snprintf(cmd, sizeof cmd, "/usr/lib/%s%c-x%c%u", comm, 0, 0, rnd(3));
		p->cmdline = xmemdup(cmd, (size_t)n + 1);
		p->cmd_len = (uint16_t)n;
		proc_set(p, F_CMDLINE, 0);
	}
}

/* A new table: each process kept as is, changed, or gone, and some new ones. */
static void
next_table(struct table *t, pid_t *next_pid)
{
	struct proc *v = xcalloc(t->n + 20, sizeof *v);
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct proc *o = &t->procs[i];
		unsigned what = rnd(20);
		if (what == 0) { /* gone */
			proc_fini(o);
			continue;
		}
		v[n] = *o;
		if (what < 4) /* changed */
			proc_set(&v[n], F_RSS, (int64_t)rnd(7));
		if (what == 4)
			v[n].known &= ~FIELD_BIT(F_PSS);
		n++;
	}
	for (unsigned k = rnd(20); k > 0; k--)
		random_proc(&v[n++], (*next_pid)++);
	free(t->procs);
	t->procs = v;
	t->n = t->cap = n;
}

static const char *
text(const struct proc *p, enum field f)
{
	if (f == F_USER)
		return p->user;
	if (f == F_COMM)
		return proc_comm(p);
	return p->cmdline ? p->cmdline : "";
}

/* The documented order, written out again. */
static int
oracle_cmp(const void *a, const void *b, void *ctx)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;
	const struct selection *sel = ctx;
	enum field f = sel->sort;
	int c;

	if (f == F_STATE) {
		c = (x->state > y->state) - (x->state < y->state);
	} else if (field_info[f].kind == FK_TEXT) {
		c = strcmp(text(x, f), text(y, f));
	} else {
		bool kx = proc_has(x, f), ky = proc_has(y, f);
		if (kx != ky)
			return kx ? -1 : 1;
		c = kx ? (proc_val(x, f) > proc_val(y, f)) - (proc_val(x, f) < proc_val(y, f)) : 0;
		if (field_info[f].desc_sort)
			c = -c;
	}
	if (sel->reverse)
		c = -c;
	if (c)
		return c;
	return (proc_val(x, F_PID) > proc_val(y, F_PID)) - (proc_val(x, F_PID) < proc_val(y, F_PID));
}

static void
assert_oracle(const struct table *t, const struct selection *sel, const struct rows *got,
	      int step)
{
	const struct proc **want = xcalloc(t->n + 1, sizeof *want);
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (!sel->filter || !*sel->filter || proc_matches(&t->procs[i], sel->filter))
			want[n++] = &t->procs[i];
	qsort_r(want, n, sizeof *want, oracle_cmp, (void *)sel);
	if (got->n != n)
		fail_msg("step %d (sort %s%s, filter \"%s\"): %zu rows, expected %zu", step,
			 field_info[sel->sort].key, sel->reverse ? " reversed" : "", sel->filter,
			 got->n, n);
	for (size_t i = 0; i < n; i++)
		if (got->v[i] != want[i])
			fail_msg("step %d (sort %s%s, filter \"%s\"): row %zu is pid %lld, expected %lld",
				 step, field_info[sel->sort].key, sel->reverse ? " reversed" : "",
				 sel->filter, i, (long long)proc_val(got->v[i], F_PID),
				 (long long)proc_val(want[i], F_PID));
	free(want);
}

static void
test_update_equals_full_selection(void **state)
{
	struct table t;
	struct select_cache c = { 0 };
	struct rows r = { 0 };
	char filter[16] = "";
	struct selection sel = { .sort = F_PSS, .filter = filter };
	pid_t next_pid = 1;
	unsigned changed = 0;

	(void)state;
	table_init(&t);
	t.procs = xcalloc(400, sizeof *t.procs);
	for (; next_pid <= 400; next_pid++)
		random_proc(&t.procs[t.n++], next_pid);
	for (int step = 0; step < 3000; step++) {
		bool same = step > 0;
		switch (rnd(8)) {
		case 0:
		case 1:
		case 2:
			next_table(&t, &next_pid);
			same = false;
			break;
		case 3:
			sel.sort = sorts[rnd(sizeof sorts / sizeof *sorts)];
			break;
		case 4:
			sel.reverse = !sel.reverse;
			break;
		case 5:
		case 6:
			if (strlen(filter) < 3) { /* a character typed */
				size_t m = strlen(filter);
				filter[m] = "abs-x0 "[rnd(7)];
				filter[m + 1] = '\0';
				break;
			}
			/* fall through */
		default:
			if (*filter) /* erased */
				filter[strlen(filter) - 1] = '\0';
		}
		changed += select_update(&t, same, &sel, &c);
		select_result(&c, &r);
		assert_oracle(&t, &sel, &r, step);
	}
	/* and nothing changed: nothing done */
	assert_false(select_update(&t, true, &sel, &c));
	assert_true(changed > 1000);
	for (size_t i = 0; i < t.n; i++)
		proc_fini(&t.procs[i]);
	free(t.procs);
	t.procs = NULL;
	t.n = 0;
	select_cache_fini(&c);
	rows_fini(&r);
	table_fini(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_equals_full_selection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
