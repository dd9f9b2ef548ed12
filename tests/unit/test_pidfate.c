/*
 * Messages about PIDs smaptop cannot show (app/pidfate.c), fed by the scripted
 * source of fake_source.h: a kernel thread is named as one (not "no process"),
 * a process /proc hides is hidden (not absent), the PIDs that exited are
 * named, and the advice for a refused --maps fits who is running.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app/pidfate.h"
#include "fake_source.h"

static pid_t hidden_pid;

/* pid_hidden of a source whose /proc hides hidden_pid */
static int
hiding(struct source *src, pid_t pid)
{
	(void)src;
	return pid == hidden_pid;
}

static void
test_fate(void **state)
{
	(void)state;
	struct fake_source f;
	struct source_ops ops;
	struct buf msg = BUF_INIT;

	fake_init(&f);
	fake_add(&f, 100, 1, 1000);
	fake_add(&f, 2, 1, 0)->flags |= PROC_KTHREAD;
	assert_int_equal(pid_fate(&f.base, 100), PID_SHOWN);
	assert_int_equal(pid_fate(&f.base, 2), PID_KTHREAD);
	assert_int_equal(pid_fate(&f.base, 1), PID_ABSENT); /* the fake cannot tell hidden */

	assert_int_equal(pid_missing(&f.base, 100, false, &msg), 0);
	assert_int_equal(msg.len, 0);
	assert_int_equal(pid_missing(&f.base, 2, false, &msg), 2);
	assert_string_equal(msg.data, "PID 2 is a kernel thread, which only --all shows");
	buf_clear(&msg);
	assert_int_equal(pid_missing(&f.base, 2, true, &msg), 0); /* --all shows it */
	assert_int_equal(msg.len, 0);
	assert_int_equal(pid_missing(&f.base, 7, false, &msg), 2);
	assert_string_equal(msg.data, "no process with PID 7");
	buf_clear(&msg);

	/* a source that knows hidepid */
	ops = *f.base.ops;
	ops.pid_hidden = hiding;
	f.base.ops = &ops;
	hidden_pid = 1;
	assert_int_equal(pid_fate(&f.base, 1), PID_HIDDEN);
	assert_int_equal(pid_fate(&f.base, 7), PID_ABSENT);
	assert_int_equal(pid_missing(&f.base, 1, false, &msg), 1);
	assert_non_null(strstr(msg.data, "PID 1 exists"));
	assert_non_null(strstr(msg.data, "hides it"));
	assert_null(strstr(msg.data, "no process"));
	buf_fini(&msg);
	fake_fini(&f);
}

static void
test_exited(void **state)
{
	(void)state;
	struct buf msg = BUF_INIT;
	const pid_t one[] = { 4242 }, three[] = { 12, 34, 56 }, two[] = { 7, 8 };

	pids_exited(one, 1, &msg);
	assert_string_equal(msg.data, "the selected process 4242 exited");
	buf_clear(&msg);
	pids_exited(two, 2, &msg);
	assert_string_equal(msg.data, "the selected processes 7 and 8 exited");
	buf_clear(&msg);
	pids_exited(three, 3, &msg);
	assert_string_equal(msg.data, "the selected processes 12, 34 and 56 exited");
	buf_fini(&msg);
}

static void
test_maps_denied(void **state)
{
	(void)state;
	struct buf msg = BUF_INIT;

	/* root refused: what happened, no "run as root" */
	maps_denied(1, true, true, true, &msg);
	assert_non_null(strstr(msg.data, "PID 1: permission denied"));
	assert_non_null(strstr(msg.data, "even to root"));
	assert_null(strstr(msg.data, "run as root"));
	buf_clear(&msg);
	/* the owner of an undumpable process: not "as its owner" */
	maps_denied(5, false, true, true, &msg);
	assert_non_null(strstr(msg.data, "not dumpable"));
	assert_null(strstr(msg.data, "owner"));
	buf_clear(&msg);
	/* another user's process */
	maps_denied(6, false, true, false, &msg);
	assert_non_null(strstr(msg.data, "another user"));
	assert_non_null(strstr(msg.data, "as its owner"));
	buf_fini(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fate),
		cmocka_unit_test(test_exited),
		cmocka_unit_test(test_maps_denied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
