/*
 * The value packings of the history rings (see hist.h): a float of 27 bits of
 * mantissa and a 5-bit exponent in 32 bits, and of 11 and 5 in 16, so that a
 * ring holds any value in KiB a machine can have, exact where it matters.
 */
#include "model/hist.h"

enum {
	MANT_BITS = 27,
	MANT16_BITS = 11,
};

/*
 * v as a float of mant_bits of mantissa and a 5-bit exponent above them,
 * rounded to nearest or up; saturates at UINT32_MAX (the caller narrows).
 */
static uint32_t
pack_float(uint64_t v, unsigned mant_bits, bool up)
{
	uint32_t e = 0;

	while (mant_bits + e < 64 && v >> (mant_bits + e))
		e++;
	if (e) {
		uint64_t lost = up ? (v & ((UINT64_C(1) << e) - 1)) != 0 : v >> (e - 1) & 1;
		uint64_t m = (v >> e) + lost;
		if (m >> mant_bits) {
			m >>= 1; /* m was 2^mant_bits exactly: no bit is lost */
			e++;
		}
		v = m;
	}
	if (e > 31)
		return UINT32_MAX; /* saturate at the largest value the width holds */
	return e << mant_bits | (uint32_t)v;
}

uint32_t
hist_pack(uint64_t v)
{
	return pack_float(v, MANT_BITS, false);
}

uint64_t
hist_unpack(uint32_t packed)
{
	return (uint64_t)(packed & ((1u << MANT_BITS) - 1)) << (packed >> MANT_BITS);
}

uint16_t
hist_pack16(uint64_t v)
{
	return (uint16_t)pack_float(v, MANT16_BITS, true);
}

uint64_t
hist_unpack16(uint16_t packed)
{
	return (uint64_t)(packed & ((1u << MANT16_BITS) - 1)) << (packed >> MANT16_BITS);
}
