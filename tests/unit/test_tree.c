/*
 * The tree view's row order (view_select() with the tree on, src/ui/rows.c)
 * over a hand-built table: parents before their children, children in display
 * order, a row whose parent is not shown as a root, a process that is its own
 * parent, a parent cycle (left out: no row of it is a root), and a table of
 * thousands of rows with a 2,000-deep chain; an empty table (the first frame);
 * the branches drawn for each row (├─ for a child with a later sibling, └─ for
 * the last, │ past a subtree), in UTF-8 and in ASCII.
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
#include "model/table.h"
#include "ui/ui.h"
#include "util/buf.h"

struct fixture {
	struct proc *procs;
	struct tui u;
};

static void
fixture_init(struct fixture *fx, size_t cap)
{
	memset(fx, 0, sizeof *fx);
	fx->procs = calloc(cap, sizeof *fx->procs);
	assert_non_null(fx->procs);
	table_init(&fx->u.col.t);
	fx->u.col.t.procs = fx->procs; /* borrowed: never table_fini()ed */
	fx->u.col.t.cap = cap;
	fx->u.screen = SCR_PROCS;
	fx->u.sort = F_PID;
	fx->u.tree = true;
}

static void
fixture_fini(struct fixture *fx)
{
	rows_fini(&fx->u.rows);
	select_cache_fini(&fx->u.selc);
	free(fx->u.depth);
	free(fx->u.last);
	free(fx->procs);
}

/* Rows are added in pid order, as the table keeps them. */
static void
add(struct fixture *fx, pid_t pid, pid_t ppid)
{
	struct proc *p = &fx->procs[fx->u.col.t.n++];

	proc_set(p, F_PID, pid);
	proc_set(p, F_PPID, ppid);
	proc_set(p, F_COMM, 0);
	char name[16];
	proc_set_comm(p, name, (size_t)snprintf(name, sizeof name, "p%d", (int)pid));
}

/* The rows as "pid:depth ...". */
static void
assert_tree(const struct tui *u, const char *want)
{
	char got[512] = "";

	for (size_t i = 0; i < u->rows.n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld:%d", i ? " " : "",
			 (long long)proc_val(u->rows.v[i], F_PID), u->depth[i]);
	if (strcmp(got, want))
		fail_msg("tree \"%s\", expected \"%s\"", got, want);
}

static void
small_table(struct fixture *fx)
{
	fixture_init(fx, 16);
	add(fx, 1, 0);
	add(fx, 2, 1);
	add(fx, 3, 2);
	add(fx, 4, 2);
	add(fx, 5, 1);
	add(fx, 6, 5);
	add(fx, 7, 7);    /* its own parent */
	add(fx, 8, 9);    /* 8 and 9: a cycle */
	add(fx, 9, 8);
	add(fx, 10, 999); /* parent not shown */
}

static void
test_tree_order(void **state)
{
	struct fixture fx;

	(void)state;
	small_table(&fx);
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 2:1 3:2 4:2 5:1 6:2 7:0 10:0");
	fixture_fini(&fx);
}

static void
test_tree_follows_display_order(void **state)
{
	struct fixture fx;

	(void)state;
	small_table(&fx);
	fx.u.reverse = true;
	view_select(&fx.u);
	assert_tree(&fx.u, "10:0 7:0 1:0 5:1 6:2 2:1 4:2 3:2");
	fixture_fini(&fx);
}

static void
test_tree_off(void **state)
{
	struct fixture fx;

	(void)state;
	small_table(&fx);
	fx.u.tree = false;
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0 10:0");
	fixture_fini(&fx);
}

/* 1 has 4,000 leaf children (pids 2..4001) and the head of a 2,000-deep chain. */
static void
test_tree_large(void **state)
{
	enum { LEAVES = 4000, CHAIN = 2000 };
	struct fixture fx;
	pid_t pid = 1;

	(void)state;
	fixture_init(&fx, 1 + LEAVES + CHAIN);
	add(&fx, pid++, 0);
	for (int i = 0; i < LEAVES; i++)
		add(&fx, pid++, 1);
	for (int i = 0; i < CHAIN; i++, pid++)
		add(&fx, pid, i ? pid - 1 : 1);
	view_select(&fx.u);
	assert_int_equal(fx.u.rows.n, 1 + LEAVES + CHAIN);
	assert_int_equal(fx.u.depth[0], 0);
	for (int i = 1; i <= LEAVES; i++) {
		assert_int_equal(proc_val(fx.u.rows.v[i], F_PID), i + 1);
		assert_int_equal(fx.u.depth[i], 1);
	}
	for (int i = 0; i < CHAIN; i++) {
		assert_int_equal(proc_val(fx.u.rows.v[1 + LEAVES + i], F_PID), 2 + LEAVES + i);
		assert_int_equal(fx.u.depth[1 + LEAVES + i], 1 + i);
	}
	fixture_fini(&fx);
}

/* An empty table with the tree on: the first frame of a tree view at start-up. */
static void
test_tree_empty(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 1);
	view_select(&fx.u);
	assert_int_equal(fx.u.rows.n, 0);
	view_select(&fx.u); /* again, with rows allocated but none in them */
	assert_int_equal(fx.u.rows.n, 0);
	fixture_fini(&fx);
}

/* The rows' branches joined by '/', as drawn with or without UTF-8. */
static void
assert_branches(struct fixture *fx, bool utf8, const char *want)
{
	struct tree_state ts = { { false } };
	struct buf line = BUF_INIT, got = BUF_INIT;

	fx->u.utf8 = utf8;
	for (size_t i = 0; i < fx->u.rows.n; i++) {
		buf_clear(&line);
		tree_step(&ts, &fx->u, i);
		size_t cols = tree_prefix(&ts, &fx->u, i, &line);
		assert_int_equal(cols, (size_t)fx->u.depth[i] * 2);
		buf_printf(&got, "%s%s%lld", i ? "/" : "", line.len ? line.data : "",
			   (long long)proc_val(fx->u.rows.v[i], F_PID));
	}
	if (strcmp(got.data, want))
		fail_msg("branches \"%s\", expected \"%s\"", got.data, want);
	buf_fini(&line);
	buf_fini(&got);
}

/* A sibling that follows gets ├─ and a line │ past its subtree; the last child gets └─. */
static void
test_tree_branches(void **state)
{
	struct fixture fx;

	(void)state;
	small_table(&fx);
	view_select(&fx.u);
	assert_branches(&fx, true, "1/├─2/│ ├─3/│ └─4/└─5/  └─6/7/10");
	assert_branches(&fx, false, "1/|-2/| |-3/| `-4/`-5/  `-6/7/10");
	fixture_fini(&fx);
}

/*
 * The rows are kept between calls (view_select() redoes only what changed) yet
 * follow every change: the tree off, the other direction, a filter typed and
 * erased, a new sort, and new tables (the collector's next publications) in
 * which processes grew.
 */
static void
test_rows_follow_changes(void **state)
{
	struct fixture fx;

	(void)state;
	small_table(&fx);
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 2:1 3:2 4:2 5:1 6:2 7:0 10:0");
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 2:1 3:2 4:2 5:1 6:2 7:0 10:0");
	fx.u.tree = false;
	fx.u.reverse = true;
	view_select(&fx.u);
	assert_tree(&fx.u, "10:0 9:0 8:0 7:0 6:0 5:0 4:0 3:0 2:0 1:0");
	snprintf(fx.u.filter, sizeof fx.u.filter, "p");
	view_select(&fx.u);
	snprintf(fx.u.filter, sizeof fx.u.filter, "p1");
	view_select(&fx.u);
	assert_tree(&fx.u, "10:0 1:0");
	fx.u.filter[0] = '\0';
	fx.u.reverse = false;
	fx.u.sort = F_RSS;
	for (size_t i = 0; i < fx.u.col.t.n; i++)
		proc_set(&fx.procs[i], F_RSS, (int64_t)(i + 1) * 10);
	fx.u.col.gen++;
	view_select(&fx.u);
	assert_tree(&fx.u, "10:0 9:0 8:0 7:0 6:0 5:0 4:0 3:0 2:0 1:0");
	proc_set(&fx.procs[0], F_RSS, 1000);
	fx.u.col.gen++;
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 10:0 9:0 8:0 7:0 6:0 5:0 4:0 3:0 2:0");
	fx.u.tree = true;
	view_select(&fx.u);
	assert_tree(&fx.u, "1:0 5:1 6:2 2:1 4:2 3:2 10:0 7:0");
	fixture_fini(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_tree_follows_display_order),
		cmocka_unit_test(test_tree_off),
		cmocka_unit_test(test_tree_large),
		cmocka_unit_test(test_tree_empty),
		cmocka_unit_test(test_tree_branches),
		cmocka_unit_test(test_rows_follow_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
