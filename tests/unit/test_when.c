/* Times on the command line (app/when.c): absolute local, clock time today, relative. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "app/when.h"

/* 2026-12-06 15:30:00 UTC */
static const int64_t now = INT64_C(1796571000000);

static int64_t
at(const char *s)
{
	int64_t ms = -1;
	if (when_parse(s, now, &ms) != 0)
		fail_msg("'%s' refused", s);
	return ms;
}

static void
test_absolute(void **state)
{
	(void)state;
	assert_int_equal(at("2026-12-06T14:00"), now - 5400000);
	assert_int_equal(at("2026-12-06T14:00:05"), now - 5400000 + 5000);
	assert_int_equal(at("2026-12-06 14:00"), now - 5400000);
	assert_int_equal(at("2026-12-06"), now - 15 * 3600000 - 1800000);
	assert_int_equal(at("14:00"), now - 5400000);
	assert_int_equal(at("00:00:01"), now - 15 * 3600000 - 1800000 + 1000);
}

static void
test_relative(void **state)
{
	(void)state;
	assert_int_equal(at("-2h"), now - 7200000);
	assert_int_equal(at("-3d"), now - 3 * 86400000LL);
	assert_int_equal(at("-90s"), now - 90000);
	assert_int_equal(at("-1d12h"), now - 36 * 3600000LL);
	assert_int_equal(at("-1w"), now - 7 * 86400000LL);
}

static void
test_refused(void **state)
{
	static const char *bad[] = {
		"", "-", "-2", "-2x", "-h", "yesterday", "2026-13-01", "2026-02-31", "2026-12-06T25:00",
		"2026-12-06T14", "2026-12-06X14:00", "14", "14:60", "1:00", "14:00:", "2026-12-6",
		"-99999999999d", "14:00 ",
	};
	int64_t ms;
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (when_parse(bad[i], now, &ms) == 0)
			fail_msg("'%s' accepted", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_refused),
	};
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
