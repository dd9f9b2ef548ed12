/*
 * Unit tests for a record's name (model/proc.h): inline up to 15 bytes, its
 * own string past that, byte for byte, and owned by exactly one record.
 * Leaks and double frees are for ASan to find (make check-asan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/proc.h"

static const char kworker[] = "kworker/u8:2-events_unbound";

static void
test_short_inline_long_heap(void **state)
{
	struct proc p = { 0 };

	(void)state;
	assert_string_equal(proc_comm(&p), ""); /* a zeroed record has an empty name */
	proc_set_comm(&p, "123456789012345", 15);
	assert_false(p.flags & PROC_COMM_HEAP);
	assert_string_equal(proc_comm(&p), "123456789012345");
	proc_set_comm(&p, "1234567890123456", 16);
	assert_true(p.flags & PROC_COMM_HEAP);
	assert_string_equal(proc_comm(&p), "1234567890123456");
	proc_set_comm(&p, kworker, strlen(kworker)); /* long to long: the first is freed */
	assert_string_equal(proc_comm(&p), kworker);
	proc_set_comm(&p, "sh", 2);                  /* long to short, likewise */
	assert_false(p.flags & PROC_COMM_HEAP);
	assert_string_equal(proc_comm(&p), "sh");
	proc_set_comm(&p, kworker, strlen(kworker));
	proc_fini(&p);
	assert_false(p.flags & PROC_COMM_HEAP);
	assert_string_equal(proc_comm(&p), "");
}

/* Any byte but NUL, and only len bytes of s. */
static void
test_bytes_exact(void **state)
{
	static const char raw[] = "\x01\xff\x1b[31m\n\\ \"\xc3\xa9,tail", odd[] = "a\x80\x7f";
	struct proc p = { 0 };

	(void)state;
	proc_set_comm(&p, raw, sizeof raw - 1);
	assert_memory_equal(proc_comm(&p), raw, sizeof raw); /* with the NUL */
	proc_set_comm(&p, odd, 2);
	assert_memory_equal(proc_comm(&p), "a\x80", 3);
	proc_fini(&p);
}

/* A record's own name may be given back to it, shorter or whole. */
static void
test_set_from_own_name(void **state)
{
	struct proc p = { 0 };

	(void)state;
	proc_set_comm(&p, kworker, strlen(kworker));
	proc_set_comm(&p, proc_comm(&p), strlen(kworker));
	assert_string_equal(proc_comm(&p), kworker);
	proc_set_comm(&p, proc_comm(&p), 7);
	assert_string_equal(proc_comm(&p), "kworker");
	proc_set_comm(&p, proc_comm(&p) + 1, 3);
	assert_string_equal(proc_comm(&p), "wor");
	proc_fini(&p);
}

/* A copy by value shares a long name until unshared; then each frees its own. */
static void
test_unshare(void **state)
{
	struct proc a = { 0 }, b, c;

	(void)state;
	proc_set_comm(&a, kworker, strlen(kworker));
	b = a;
	proc_comm_unshare(&b);
	assert_ptr_not_equal(proc_comm(&b), proc_comm(&a));
	assert_string_equal(proc_comm(&b), kworker);
	proc_fini(&a);
	assert_string_equal(proc_comm(&b), kworker);
	proc_fini(&b);

	proc_set_comm(&a, "short", 5);
	c = a;
	proc_comm_unshare(&c); /* nothing to copy */
	assert_string_equal(proc_comm(&c), "short");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_inline_long_heap),
		cmocka_unit_test(test_bytes_exact),
		cmocka_unit_test(test_set_from_own_name),
		cmocka_unit_test(test_unshare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
