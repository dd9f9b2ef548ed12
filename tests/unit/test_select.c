/*
 * Choosing and ordering rows (model/select.c) over a hand-built table: text
 * filter, uid, pid list, sorting on every column in both directions, ties and
 * the top-N cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/fields.h"
#include "model/select.h"
#include "model/table.h"

enum { NPROC = 8 };

struct fixture {
	struct proc procs[NPROC];
	struct table t;
	struct rows r;
};

static struct proc *
add(struct fixture *fx, pid_t pid, const char *comm, int64_t uid)
{
	struct proc *p = &fx->procs[fx->t.n++];

	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set(p, F_UID, uid);
	proc_set(p, F_COMM, 0);
	proc_set_comm(p, comm, strlen(comm));
	return p;
}

static void
fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	table_init(&fx->t);
	fx->t.procs = fx->procs; /* borrowed: never table_fini()ed */
	fx->t.cap = NPROC;
}

static void
assert_rows(const struct rows *r, const pid_t *want, size_t n)
{
	char got[256] = "", exp[256] = "";

	for (size_t i = 0; i < r->n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), " %lld",
			 (long long)proc_val(r->v[i], F_PID));
	for (size_t i = 0; i < n; i++)
		snprintf(exp + strlen(exp), sizeof exp - strlen(exp), " %d", (int)want[i]);
	if (strcmp(got, exp))
		fail_msg("rows%s, expected%s", got, exp);
}

#define ROWS(...) \
	(const pid_t[]){ __VA_ARGS__ }, sizeof((const pid_t[]){ __VA_ARGS__ }) / sizeof(pid_t)

static void
test_filter_comm_and_cmdline(void **state)
{
	struct fixture fx;
	struct selection sel = { .sort = F_PID };
	static const char cmd[] = "/usr/bin/Python3\0-m\0http.server\0" "8000";

	(void)state;
	fixture_init(&fx);
	add(&fx, 1, "systemd", 0);
	struct proc *p = add(&fx, 2, "python3", 1000);
	p->cmdline = (char *)cmd;
	p->cmd_len = sizeof cmd - 1;
	proc_set(p, F_CMDLINE, 0);
	add(&fx, 3, "FireFox", 1000);
	add(&fx, 4, "bash", 1000);

	sel.filter = "firefox";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(3));
	sel.filter = "FIRE";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(3));
	/* NULs between arguments read as spaces */
	sel.filter = "-M HTTP.SERVER 8000";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(2));
	sel.filter = "python3 -m";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(2));
	/* no match across the NUL as if it were nothing */
	sel.filter = "-mhttp";
	select_rows(&fx.t, &sel, &fx.r);
	assert_int_equal(fx.r.n, 0);
	/* matches both comm and other comms */
	sel.filter = "S";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 2, 4));
	sel.filter = "";
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 2, 3, 4));
	sel.filter = NULL;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 2, 3, 4));
	sel.filter = "nothing-like-this";
	select_rows(&fx.t, &sel, &fx.r);
	assert_int_equal(fx.r.n, 0);

	assert_true(proc_matches(p, "USR/BIN"));
	assert_false(proc_matches(p, "8001"));
	rows_fini(&fx.r);
}

static void
test_filter_uid_and_pids(void **state)
{
	struct fixture fx;
	struct selection sel = { .sort = F_PID };

	(void)state;
	fixture_init(&fx);
	add(&fx, 1, "init", 0);
	add(&fx, 10, "a", 1000);
	add(&fx, 20, "b", 1001);
	add(&fx, 30, "c", 1000);
	/* uid unknown */
	fx.procs[fx.t.n] = (struct proc){ 0 };
	proc_set(&fx.procs[fx.t.n++], F_PID, 40);

	sel.by_uid = true;
	sel.uid = 1000;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(10, 30));
	sel.uid = 0;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1)); /* unknown uid is not uid 0 */

	sel.by_uid = false;
	sel.pids = (const pid_t[]){ 30, 1, 99 };
	sel.npids = 3;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 30));

	sel.by_uid = true;
	sel.uid = 1000;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(30));
	rows_fini(&fx.r);
}

/*
 * Every numeric column: values 10, 30, 20, unknown, 20 for pids 1..5. Natural
 * order is the column's default direction; unknown is last both ways and the
 * tie (pids 3 and 5) is broken by pid both ways.
 */
static void
test_sort_every_numeric_field(void **state)
{
	static const pid_t big_first[] = { 2, 3, 5, 1, 4 };
	static const pid_t small_first[] = { 1, 3, 5, 2, 4 };
	static const int64_t vals[] = { 10, 30, 20, -1, 20 };

	(void)state;
	for (int f = 0; f < F_NUM; f++) {
		struct fixture fx;
		struct selection sel = { .sort = (enum field)f };

		if (field_info[f].kind == FK_TEXT || f == F_PID)
			continue;
		fixture_init(&fx);
		for (int i = 0; i < 5; i++) {
			struct proc *p = add(&fx, i + 1, "x", 0);
			p->known &= ~FIELD_BIT(f);
			if (vals[i] >= 0)
				proc_set(p, (enum field)f, vals[i]);
			else
				proc_store(p, (enum field)f, 999); /* garbage behind a clear bit must not count */
		}
		for (int rev = 0; rev < 2; rev++) {
			sel.reverse = rev;
			select_rows(&fx.t, &sel, &fx.r);
			const pid_t *want = field_info[f].desc_sort != (bool)rev ? big_first : small_first;
			char got[64] = "";
			for (size_t i = 0; i < fx.r.n; i++)
				snprintf(got + strlen(got), sizeof got - strlen(got), " %lld",
					 (long long)proc_val(fx.r.v[i], F_PID));
			for (int i = 0; i < 5; i++)
				if (fx.r.n != 5 || proc_val(fx.r.v[i], F_PID) != want[i])
					fail_msg("sort %s%s:%s", field_info[f].key, rev ? " reversed" : "",
						 got);
		}
		rows_fini(&fx.r);
	}
}

/* The natural directions the column table promises, spelled out. */
static void
test_sort_directions(void **state)
{
	struct fixture fx;
	struct selection sel = { 0 };

	(void)state;
	fixture_init(&fx);
	proc_set(add(&fx, 7, "a", 0), F_PSS, 100);
	proc_set(add(&fx, 3, "b", 0), F_PSS, 300);
	proc_set(add(&fx, 5, "c", 0), F_PSS, 200);
	sel.sort = F_PSS;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(3, 5, 7));
	sel.sort = F_PID;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(3, 5, 7));
	sel.reverse = true;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(7, 5, 3));
	sel.sort = F_PSS;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(7, 5, 3));

	assert_true(proc_compare(&fx.procs[1], &fx.procs[0], F_PSS) < 0);
	assert_true(proc_compare(&fx.procs[0], &fx.procs[1], F_PSS) > 0);
	assert_int_equal(proc_compare(&fx.procs[0], &fx.procs[0], F_PSS), 0);
	rows_fini(&fx.r);
}

static void
test_sort_text(void **state)
{
	struct fixture fx;
	struct selection sel = { .sort = F_COMM };

	(void)state;
	fixture_init(&fx);
	add(&fx, 1, "zsh", 0);
	add(&fx, 2, "bash", 0);
	add(&fx, 3, "cron", 0);
	add(&fx, 4, "bash", 0);
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(2, 4, 3, 1));
	sel.reverse = true;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 3, 2, 4)); /* ties keep pid order */

	fx.procs[0].user = "root";
	fx.procs[1].user = "alice";
	fx.procs[2].user = "bob";
	fx.procs[3].user = "alice";
	sel.sort = F_USER;
	sel.reverse = false;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(2, 4, 3, 1));

	fx.procs[0].state = 'S';
	fx.procs[1].state = 'R';
	fx.procs[2].state = 'D';
	fx.procs[3].state = 'R';
	sel.sort = F_STATE;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(3, 2, 4, 1));
	rows_fini(&fx.r);
}

static void
test_top_n(void **state)
{
	struct fixture fx;
	struct selection sel = { .sort = F_RSS, .top = 2 };

	(void)state;
	fixture_init(&fx);
	for (int i = 1; i <= 6; i++)
		proc_set(add(&fx, i, "x", 0), F_RSS, i * 100);
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(6, 5));
	sel.reverse = true;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(1, 2));
	sel.top = 100;
	select_rows(&fx.t, &sel, &fx.r);
	assert_int_equal(fx.r.n, 6);
	/* the cut comes after filtering */
	sel.top = 2;
	sel.reverse = false;
	sel.pids = (const pid_t[]){ 1, 3, 4 };
	sel.npids = 3;
	select_rows(&fx.t, &sel, &fx.r);
	assert_rows(&fx.r, ROWS(4, 3));
	rows_fini(&fx.r);
}

static void
test_empty_table(void **state)
{
	struct table t;
	struct rows r = { 0 };
	struct selection sel = { .sort = F_PSS };

	(void)state;
	table_init(&t);
	select_rows(&t, &sel, &r);
	assert_int_equal(r.n, 0);
	rows_fini(&r);
	table_fini(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_comm_and_cmdline),
		cmocka_unit_test(test_filter_uid_and_pids),
		cmocka_unit_test(test_sort_every_numeric_field),
		cmocka_unit_test(test_sort_directions),
		cmocka_unit_test(test_sort_text),
		cmocka_unit_test(test_top_n),
		cmocka_unit_test(test_empty_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
