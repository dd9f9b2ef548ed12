/*
 * Formatting one value (output/cell.c and util/fmt.c): human KiB units,
 * unavailable values, escaping of hostile names and command lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/proc.h"
#include "output/cell.h"
#include "util/buf.h"
#include "util/fmt.h"

static const char *
kib(struct buf *b, uint64_t v)
{
	buf_clear(b);
	fmt_kib(b, v);
	return b->data;
}

static void
test_fmt_kib_values(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_string_equal(kib(&b, 0), "0");
	assert_string_equal(kib(&b, 1), "1K");
	assert_string_equal(kib(&b, 512), "512K");
	assert_string_equal(kib(&b, 999), "999K");
	assert_string_equal(kib(&b, 1000), "0.98M");
	assert_string_equal(kib(&b, 1023), "1.00M");
	assert_string_equal(kib(&b, 1024), "1.00M");
	assert_string_equal(kib(&b, 12595), "12.3M");
	assert_string_equal(kib(&b, 1024 * 1023), "1.00G");
	assert_string_equal(kib(&b, 1268777), "1.21G");
	assert_string_equal(kib(&b, UINT64_C(64) << 30), "64.0T");
	assert_string_equal(kib(&b, UINT64_C(1) << 50), "1.00E");
	assert_string_equal(kib(&b, UINT64_C(1) << 63), "8192E");
	assert_string_equal(kib(&b, UINT64_MAX), "16384E");
	buf_fini(&b);
}

/* At most 6 characters for every magnitude (the table's KiB columns are 7 wide). */
static void
test_fmt_kib_width(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	for (int bit = 0; bit < 64; bit++) {
		uint64_t p = UINT64_C(1) << bit;
		const uint64_t vs[] = { p, p - 1, p + p / 2, p + p - 1 };
		for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
			kib(&b, vs[i]);
			if (b.len > 6)
				fail_msg("fmt_kib(%llu) = \"%s\" (%zu chars)", (unsigned long long)vs[i],
					 b.data, b.len);
		}
	}
	/* just below every unit and rounding boundary */
	for (uint64_t u = 1; u <= (UINT64_C(1) << 50); u <<= 10) {
		const double at[] = { 999.4, 999.5, 999.99, 9.994, 9.996, 99.94, 99.96, 1023.99 };
		for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
			uint64_t v = (uint64_t)(at[i] * (double)u);
			kib(&b, v);
			if (b.len > 6)
				fail_msg("fmt_kib(%llu) = \"%s\" (%zu chars)", (unsigned long long)v,
					 b.data, b.len);
		}
	}
	buf_fini(&b);
}

static void
test_fmt_kib_signed(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	fmt_kib_signed(&b, -1200);
	assert_string_equal(b.data, "-1.17M");
	buf_clear(&b);
	fmt_kib_signed(&b, INT64_MIN);
	assert_string_equal(b.data, "-8192E");
	buf_clear(&b);
	fmt_kib_signed(&b, 0);
	assert_string_equal(b.data, "0");
	buf_fini(&b);
}

static struct proc
mkproc(void)
{
	struct proc p;

	memset(&p, 0, sizeof p);
	proc_set(&p, F_PID, 42);
	return p;
}

static void
test_unknown(void **state)
{
	struct proc p = mkproc();
	struct buf b = BUF_INIT;
	bool known = true;

	(void)state;
	proc_store(&p, F_PSS, 0); /* a zero behind a clear bit is not a value */
	assert_int_equal(cell_format(&b, &p, F_PSS, CELL_HUMAN, SIZE_MAX, &known), 1);
	assert_string_equal(b.data, "-");
	assert_false(known);

	buf_clear(&b);
	known = true;
	assert_int_equal(cell_format(&b, &p, F_PSS, CELL_RAW, SIZE_MAX, &known), 0);
	assert_int_equal(b.len, 0);
	assert_false(known);

	/* unknown text too */
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_HUMAN, SIZE_MAX, NULL), 1);
	assert_string_equal(b.data, "-");

	/* known zero is "0", both styles */
	proc_set(&p, F_PSS, 0);
	buf_clear(&b);
	cell_format(&b, &p, F_PSS, CELL_HUMAN, SIZE_MAX, &known);
	assert_string_equal(b.data, "0");
	assert_true(known);
	buf_clear(&b);
	cell_format(&b, &p, F_PSS, CELL_RAW, SIZE_MAX, NULL);
	assert_string_equal(b.data, "0");
	buf_fini(&b);
}

static void
test_kib_cell(void **state)
{
	struct proc p = mkproc();
	struct buf b = BUF_INIT;

	(void)state;
	proc_set(&p, F_RSS, 1268777);
	assert_int_equal(cell_format(&b, &p, F_RSS, CELL_HUMAN, SIZE_MAX, NULL), 5);
	assert_string_equal(b.data, "1.21G");
	buf_clear(&b);
	cell_format(&b, &p, F_RSS, CELL_RAW, SIZE_MAX, NULL);
	assert_string_equal(b.data, "1268777");
	buf_clear(&b);
	proc_set(&p, F_GROWTH, -1200);
	cell_format(&b, &p, F_GROWTH, CELL_HUMAN, SIZE_MAX, NULL);
	assert_string_equal(b.data, "-1.17M");
	buf_clear(&b);
	proc_set(&p, F_OOM_ADJ, -1000);
	cell_format(&b, &p, F_OOM_ADJ, CELL_HUMAN, SIZE_MAX, NULL);
	assert_string_equal(b.data, "-1000");
	/* appends: earlier contents stay */
	cell_format(&b, &p, F_PID, CELL_RAW, SIZE_MAX, NULL);
	assert_string_equal(b.data, "-100042");
	buf_fini(&b);
}

static void
test_escaped_comm(void **state)
{
	struct proc p = mkproc();
	struct buf b = BUF_INIT;
	static const char want[] = "a\\x1b[31mb\\x0ac\\\\d";

	(void)state;
	proc_set_comm(&p, "a\x1b[31mb\nc\\d", strlen("a\x1b[31mb\nc\\d"));
	proc_set(&p, F_COMM, 0);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_HUMAN, SIZE_MAX, NULL), strlen(want));
	assert_string_equal(b.data, want);
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_RAW, SIZE_MAX, NULL), strlen(want));
	assert_string_equal(b.data, want);

	/* bounded width never splits an escape */
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_HUMAN, 4, NULL), 1);
	assert_string_equal(b.data, "a");
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_HUMAN, 5, NULL), 5);
	assert_string_equal(b.data, "a\\x1b");

	/* UTF-8 passes; with CELL_ASCII it is escaped */
	proc_set_comm(&p, "caf\xc3\xa9", 5);
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_COMM, CELL_HUMAN, SIZE_MAX, NULL), 4);
	assert_string_equal(b.data, "caf\xc3\xa9");
	buf_clear(&b);
	cell_format(&b, &p, F_COMM, CELL_HUMAN | CELL_ASCII, SIZE_MAX, NULL);
	assert_string_equal(b.data, "caf\\xc3\\xa9");
	buf_fini(&b);
}

static void
set_cmdline(struct proc *p, const char *bytes, size_t len)
{
	p->cmdline = (char *)bytes;
	p->cmd_len = (uint16_t)len;
	proc_set(p, F_CMDLINE, 0);
}

static void
test_cmdline(void **state)
{
	struct proc p = mkproc();
	struct buf b = BUF_INIT;
	static const char cmd[] = "sleep\0" "60\0" "a b\nc";
	static const char want[] = "sleep 60 a b\\x0ac";

	(void)state;
	set_cmdline(&p, cmd, sizeof cmd - 1);
	assert_int_equal(cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL), strlen(want));
	assert_string_equal(b.data, want);
	buf_clear(&b);
	cell_format(&b, &p, F_CMDLINE, CELL_RAW, SIZE_MAX, NULL);
	assert_string_equal(b.data, want);

	/* the collector strips the terminator of /proc/pid/cmdline, so a NUL left
	 * at the end separates an empty last argument: joined by a space */
	set_cmdline(&p, "ls\0-l\0", 6);
	buf_clear(&b);
	cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL);
	assert_string_equal(b.data, "ls -l ");

	/* cut at PROC_CMDLINE_MAX: marked */
	set_cmdline(&p, "ls\0-l", 5);
	p.flags |= PROC_CMD_CUT;
	buf_clear(&b);
	assert_int_equal(cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL), 9);
	assert_string_equal(b.data, "ls -l" CMDLINE_CUT_MARK);
	assert_string_equal(CMDLINE_CUT_MARK, "\\...");
	buf_clear(&b);
	cell_format(&b, &p, F_CMDLINE, CELL_RAW, SIZE_MAX, NULL);
	assert_string_equal(b.data, "ls -l\\...");

	/* narrow column: never wider than asked */
	for (size_t w = 0; w < 12; w++) {
		buf_clear(&b);
		size_t got = cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, w, NULL);
		if (got > w || b.len > w)
			fail_msg("width %zu: \"%s\" (%zu)", w, b.data ? b.data : "", got);
	}
	buf_fini(&b);
}

/*
 * A command line of NULs and spaces only, or none at all (caught mid-exec),
 * is shown as "[comm]" in every sink, as ps and top show it.
 */
static void
test_blank_cmdline(void **state)
{
	struct proc p = mkproc();
	struct buf b = BUF_INIT;
	static const struct { const char *bytes; size_t len; } blank[] = {
		{ "", 0 }, { "\0\0\0", 3 }, { "    ", 4 }, { "  \0 \0\0   ", 9 },
	};

	(void)state;
	proc_set_comm(&p, "hog\n1", 5);
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
		set_cmdline(&p, blank[i].bytes, blank[i].len);
		buf_clear(&b);
		assert_int_equal(cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL), 10);
		assert_string_equal(b.data, "[hog\\x0a1]");
		buf_clear(&b);
		cell_format(&b, &p, F_CMDLINE, CELL_RAW, SIZE_MAX, NULL);
		assert_string_equal(b.data, "[hog\\x0a1]");
		for (size_t w = 0; w < 12; w++) {
			buf_clear(&b);
			size_t got = cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, w, NULL);
			if (got > w || b.len > w)
				fail_msg("width %zu: \"%s\" (%zu)", w, b.data ? b.data : "", got);
		}
	}
	/* one other byte, anywhere, and it is a command line */
	set_cmdline(&p, "  \0x", 4);
	buf_clear(&b);
	cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL);
	assert_string_equal(b.data, "   x");
	/* not read (kernel thread, zombie): unavailable, not "[comm]" */
	p.known &= ~FIELD_BIT(F_CMDLINE);
	buf_clear(&b);
	cell_format(&b, &p, F_CMDLINE, CELL_HUMAN, SIZE_MAX, NULL);
	assert_string_equal(b.data, "-");
	buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_kib_values),
		cmocka_unit_test(test_fmt_kib_width),
		cmocka_unit_test(test_fmt_kib_signed),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_kib_cell),
		cmocka_unit_test(test_escaped_comm),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_blank_cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
