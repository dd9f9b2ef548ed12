/*
 * parse_u64 against a __int128 reference: blanks (' ', '\t') skipped, then a
 * run of decimal digits. No digit: -EINVAL and *p unchanged. Otherwise *p is
 * just past the digits; the value is stored when it fits in 64 bits, else
 * -ERANGE (never a wrapped value). Never reads at or past `end`.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_dup(data, size);
	const char *end = buf + size, *p = buf, *q = buf;
	const uint64_t canary = UINT64_C(0x5a5a5a5a5a5a5a5a);
	uint64_t out = canary;
	unsigned __int128 ref = 0;
	int big = 0;

	/* reference */
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	const char *digits = q;
	while (q < end && *q >= '0' && *q <= '9') {
		if (!big) {
			ref = ref * 10 + (unsigned)(*q - '0');
			if (ref > UINT64_MAX)
				big = 1;  /* stop before __int128 itself could wrap */
		}
		q++;
	}

	int rc = parse_u64(&p, end, &out);
	if (q == digits) {
		FUZZ_CHECK(rc == -EINVAL);
		FUZZ_CHECK(p == buf);
		FUZZ_CHECK(out == canary);
	} else if (big) {
		FUZZ_CHECK(rc == -ERANGE);
		FUZZ_CHECK(p == q);
		FUZZ_CHECK(out == canary);
	} else {
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(p == q);
		FUZZ_CHECK(out == (uint64_t)ref);
	}

	/* a limit inside the digits must stop the parse there */
	if (q - digits > 1) {
		const char *lim = digits + (size_t)(q - digits) / 2;
		char *half = fz_dup(buf, (size_t)(lim - buf));
		const char *hp = half;
		uint64_t hv = canary;
		rc = parse_u64(&hp, half + (lim - buf), &hv);
		FUZZ_CHECK(rc == 0 || rc == -ERANGE);
		FUZZ_CHECK(hp == half + (lim - buf));
		free(half);
	}
	free(buf);
	return 0;
}
