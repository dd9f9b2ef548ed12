/* Unit tests for util/fmt.c's local times (TZ set to UTC here, so they are exact). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "util/fmt.h"

/* 2026-12-07 09:30:05 UTC */
#define T0 INT64_C(1796635805000)

static void
test_local_time(void **state)
{
	char s[FMT_TIME_LEN];

	(void)state;
	fmt_local_time(s, T0, true);
	assert_string_equal(s, "2026-12-07 09:30:05");
	fmt_local_time(s, T0 + 999, false);
	assert_string_equal(s, "09:30:05");
}

static void
test_local_when(void **state)
{
	char s[FMT_TIME_LEN];
	const int64_t day = INT64_C(86400000);

	(void)state;
	fmt_local_when(s, T0 - 9 * 3600 * 1000, T0, false); /* 00:30:05, same day */
	assert_string_equal(s, "00:30:05");
	fmt_local_when(s, T0 - day, T0, false);
	assert_string_equal(s, "2026-12-06 09:30");
	fmt_local_when(s, T0 - day, T0, true);
	assert_string_equal(s, "12-06 09:30");
	fmt_local_when(s, T0 - 365 * day, T0, true); /* the same day of the year, a year before */
	assert_string_equal(s, "12-07 09:30");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_local_when),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
