/* Unit tests for struct proc's values and stamps (model/proc.h, the slot table in fields.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/fields.h"
#include "model/proc.h"

/* Every numeric field has a slot of its own; a text field has none. */
static void
test_slots_distinct(void **state)
{
	bool wide[PROC_WIDE] = { 0 }, narrow[PROC_NARROWS] = { 0 };

	(void)state;
	for (int f = 0; f < F_NUM; f++) {
		unsigned s = proc_slot[f];

		if (field_info[f].kind == FK_TEXT) {
			assert_int_equal(s, PROC_NO_SLOT);
		} else if (s < PROC_NARROW) {
			assert_true(s < PROC_WIDE);
			assert_false(wide[s]);
			wide[s] = true;
		} else {
			unsigned i = s - (s < PROC_UNSIGNED ? PROC_NARROW : PROC_UNSIGNED);
			assert_true(i < PROC_NARROWS);
			assert_false(narrow[i]);
			narrow[i] = true;
		}
	}
	for (int i = 0; i < PROC_WIDE; i++)
		assert_true(wide[i]);
	for (int i = 0; i < PROC_NARROWS; i++)
		assert_true(narrow[i]);
}

/*
 * Writing one field changes no other; 64-bit fields keep any value, 32-bit
 * ones saturate, signed or unsigned as their slot is.
 */
static void
test_values_round_trip(void **state)
{
	static const int64_t v[] = { 0, -1, 1, INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1,
				     (int64_t)INT32_MIN - 1, UINT32_MAX, (int64_t)UINT32_MAX + 1,
				     INT64_MAX, INT64_MIN, 5000000000 };

	(void)state;
	for (int f = 0; f < F_NUM; f++) {
		if (field_info[f].kind == FK_TEXT)
			continue;
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
			struct proc p, before;

			memset(&p, 0x5a, sizeof p);
			p.known = 0;
			before = p;
			proc_set(&p, (enum field)f, v[i]);
			assert_int_equal(p.known, FIELD_BIT(f));
			int64_t want = v[i];
			if (proc_slot[f] >= PROC_UNSIGNED)
				want = want > UINT32_MAX ? UINT32_MAX : want < 0 ? 0 : want;
			else if (proc_slot[f] >= PROC_NARROW)
				want = want > INT32_MAX ? INT32_MAX : want < INT32_MIN ? INT32_MIN : want;
			assert_int_equal(proc_val(&p, (enum field)f), want);
			for (int g = 0; g < F_NUM; g++)
				if (g != f)
					assert_int_equal(proc_val(&p, (enum field)g), proc_val(&before, (enum field)g));
		}
	}
}

/* The text fields read as 0 and take no value. */
static void
test_text_fields(void **state)
{
	struct proc p;

	(void)state;
	memset(&p, 0, sizeof p);
	proc_set(&p, F_COMM, 42);
	assert_true(proc_has(&p, F_COMM));
	assert_int_equal(proc_val(&p, F_COMM), 0);
}

/* Stamps: never 0 (not known), ages exact across the 32-bit wrap, 0 for a later stamp. */
static void
test_stamps(void **state)
{
	uint64_t wrap = UINT64_C(1) << 32;

	(void)state;
	assert_int_equal(proc_stamp(wrap), 1);
	assert_int_equal(proc_stamp(0), 1);
	assert_int_equal(proc_stamp(wrap + 5), 5);
	assert_int_equal(proc_age_ms(proc_stamp(wrap - 100), wrap + 900), 1000);
	assert_int_equal(proc_age_ms(proc_stamp(3 * wrap + 7), 3 * wrap + 7 + 86400000), 86400000);
	assert_int_equal(proc_age_ms(proc_stamp(5000), 4990), 0);
	assert_int_equal(proc_age_ms(proc_stamp(wrap + 3), wrap - 2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots_distinct),
		cmocka_unit_test(test_values_round_trip),
		cmocka_unit_test(test_text_fields),
		cmocka_unit_test(test_stamps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
