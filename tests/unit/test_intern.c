/* Unit tests for util/intern.h: one copy per distinct string, at an address that stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/intern.h"

static void
test_one_copy(void **state)
{
	struct intern in = INTERN_INIT;
	char buf[] = "alice";

	(void)state;
	const char *a = intern(&in, buf, 5);
	assert_string_equal(a, "alice");
	assert_ptr_not_equal(a, buf);
	assert_ptr_equal(intern(&in, "alice", 5), a);
	assert_ptr_equal(intern(&in, "alice and bob", 5), a); /* len bytes, not up to a NUL */
	assert_ptr_not_equal(intern(&in, "alic", 4), a);      /* a prefix is another string */
	assert_ptr_not_equal(intern(&in, "alice2", 6), a);
	assert_string_equal(intern(&in, "", 0), "");
	assert_int_equal(in.n, 4);
	intern_fini(&in);
	assert_int_equal(in.n, 0);
	intern_fini(&in); /* twice: a no-op */
}

/* Growing the table moves no string: pointers handed out stay valid. */
static void
test_stable_while_growing(void **state)
{
	struct intern in = INTERN_INIT;
	const char *got[1000];
	char name[16];

	(void)state;
	for (int i = 0; i < 1000; i++)
		got[i] = intern(&in, name, (size_t)snprintf(name, sizeof name, "u%d", i));
	assert_int_equal(in.n, 1000);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "u%d", i);
		assert_string_equal(got[i], name);
		assert_ptr_equal(intern(&in, name, strlen(name)), got[i]);
	}
	assert_int_equal(in.n, 1000);
	intern_fini(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_copy),
		cmocka_unit_test(test_stable_while_growing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
