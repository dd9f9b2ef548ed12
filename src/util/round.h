/*
 * Rounding to the nearest integer, halves away from zero, as llround() does,
 * without libm: smaptop needs no other function of it, and linking it costs
 * every start about 300 KiB of resident memory. Where llround() leaves the
 * result unspecified (NaN, or outside int64_t), this gives 0 for NaN and the
 * nearest end of the range otherwise, never an undefined conversion.
 */
#ifndef SMAPTOP_ROUND_H
#define SMAPTOP_ROUND_H

#include <stdint.h>

static inline int64_t
round_i64(double x)
{
	if (x != x)
		return 0;
	if (x >= 0x1p63)
		return INT64_MAX;
	if (x <= -0x1p63)
		return INT64_MIN;
	return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

#endif
