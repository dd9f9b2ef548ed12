/*
 * The --leaks formats (output/leaks_out.c): the CSV header and its quoting of
 * a hostile command name, JSON escaping and null for an unknown size, the
 * empty list of a sample without suspects, and the table's lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "output/out.h"

#define NOW INT64_C(1796590000000)

static const struct leak_row rows[2] = {
	{ .pid = 42, .comm = "a,\"b\x1b", .kib_per_h = 3600, .since_unix_ms = NOW - 60000,
	  .kib = 2048, .pss = true },
	{ .pid = 7, .comm = "plain", .kib_per_h = 1024, .since_unix_ms = NOW - 1000, .kib = -1,
	  .pss = false },
};

static const char *
text(struct out *o)
{
	buf_putc(&o->b, '\0');
	o->b.len--;
	return o->b.data;
}

static void
test_csv(void **state)
{
	struct out o = { .fd = -1, .fmt = OUT_CSV };

	(void)state;
	out_leaks(&o, NOW, rows, 2, 5);
	out_leaks(&o, NOW + 1000, rows, 0, 5); /* no suspects: no row, no second header */
	assert_string_equal(text(&o),
			    "time_unix_ms,pid,comm,leak_kib_per_h,growing_since_unix_ms,series,"
			    "size_kib\n"
			    "1796590000000,42,\"a,\"\"b\\x1b\",3600,1796589940000,pss,2048\n"
			    "1796590000000,7,plain,1024,1796589999000,rss,\n");
	buf_fini(&o.b);
}

static void
test_json(void **state)
{
	struct out o = { .fd = -1, .fmt = OUT_JSON };

	(void)state;
	out_leaks(&o, NOW, rows, 2, 5);
	out_leaks(&o, NOW + 1000, rows, 0, 3);
	assert_string_equal(text(&o),
			    "{\"time_unix_ms\":1796590000000,\"estimated\":5,\"suspects\":["
			    "{\"pid\":42,\"comm\":\"a,\\\"b\\\\x1b\",\"leak_kib_per_h\":3600,"
			    "\"growing_since_unix_ms\":1796589940000,\"series\":\"pss\",\"size_kib\":2048},"
			    "{\"pid\":7,\"comm\":\"plain\",\"leak_kib_per_h\":1024,"
			    "\"growing_since_unix_ms\":1796589999000,\"series\":\"rss\",\"size_kib\":null}]}\n"
			    "{\"time_unix_ms\":1796590001000,\"estimated\":3,\"suspects\":[]}\n");
	buf_fini(&o.b);
}

static void
test_table(void **state)
{
	struct out o = { .fd = -1, .fmt = OUT_TABLE };

	(void)state;
	out_leaks(&o, NOW, rows, 0, 9);
	assert_non_null(strstr(text(&o), ", no leak suspects (9 processes with enough history)\n"));
	buf_clear(&o.b);
	out_leaks(&o, NOW, rows, 2, 9);
	const char *s = text(&o);

	assert_non_null(strstr(s, ", 2 leak suspects (of 9 processes with enough history)\n"));
	assert_non_null(strstr(s, "     42   3.52M ")); /* 3600 KiB/h */
	assert_non_null(strstr(s, " 2.00M PSS a,\"b\\x1b\n"));
	assert_non_null(strstr(s, "      - RSS plain\n"));
	assert_null(strchr(s, '\x1b'));
	buf_fini(&o.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
