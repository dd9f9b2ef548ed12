/*
 * Assertions on the fields of a struct proc, for the tests of what fills one
 * (parsers, the process reader): a field known with a value, or unknown.
 * Include after <cmocka.h>.
 */
#ifndef SMAPTOP_TEST_PROC_ASSERT_H
#define SMAPTOP_TEST_PROC_ASSERT_H

#include "model/proc.h"

static inline void
assert_field(const struct proc *p, enum field f, int64_t v)
{
	if (!proc_has(p, f))
		fail_msg("field %d unknown, want %lld", (int)f, (long long)v);
	assert_int_equal(proc_val(p, f), v);
}

static inline void
assert_unknown(const struct proc *p, enum field f)
{
	if (proc_has(p, f))
		fail_msg("field %d known (%lld), want unknown", (int)f, (long long)proc_val(p, f));
}

#endif
