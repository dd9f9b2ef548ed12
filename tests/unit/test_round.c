/* Unit tests for util/round.h: llround()'s results, and defined ones where it has none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "util/round.h"

static void
test_like_llround(void **state)
{
	static const double x[] = {
		0, 0.49, 0.5, 1.5, 2.5, -0.5, -1.5, -2.49, 1234567.5, -987654.25, 3600.0 * 1e9,
	};

	(void)state;
	for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
		assert_int_equal(round_i64(x[i]), llround(x[i]));
}

static void
test_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(round_i64(NAN), 0);
	assert_int_equal(round_i64(1e300), INT64_MAX);
	assert_int_equal(round_i64(INFINITY), INT64_MAX);
	assert_int_equal(round_i64(-1e300), INT64_MIN);
	assert_int_equal(round_i64(-INFINITY), INT64_MIN);
	assert_int_equal(round_i64(0x1p62), INT64_C(1) << 62);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_llround),
		cmocka_unit_test(test_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
