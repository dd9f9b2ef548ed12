/*
 * Rounding to the nearest integer, halves away from zero, as llround() does,
 * without libm: smaptop needs no other function of it, and linking it costs
 * every start about 300 KiB of resident memory. The caller keeps x within
 * int64_t's range (both callers bound it first).
 */
#ifndef SMAPTOP_ROUND_H
#define SMAPTOP_ROUND_H

#include <stdint.h>

static inline int64_t
round_i64(double x)
{
	return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

#endif
