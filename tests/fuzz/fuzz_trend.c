/*
 * The robust line fit and the leak estimator (model/trend.c, leak.c,
 * lowenv.c) on arbitrary numbers: the input is read as (time, value) pairs of
 * raw doubles, so NaN, infinities, subnormals, huge and unsorted values all
 * come. trend_fit returns 0 or -EINVAL and, on 0, a finite slope, a
 * confidence in [0, 1] and n no more than the pairs given; leak_from_points
 * returns 0 or -ENODATA with a confidence in [0, 1]; the envelope ring stays
 * within its bounds whatever is pushed.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "fuzz_common.h"
#include "model/leak.h"
#include "model/lowenv.h"
#include "model/trend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAXP = 2048 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static double t[MAXP], y[MAXP];
	static struct leak_point p[MAXP];
	size_t n = size / 16 < MAXP ? size / 16 : MAXP;
	struct trend r;
	struct leak l;
	struct lowenv e;

	for (size_t i = 0; i < n; i++) {
		memcpy(&t[i], data + 16 * i, 8);
		memcpy(&y[i], data + 16 * i + 8, 8);
		p[i] = (struct leak_point){ t[i], y[i], i % 3 ? y[i] : NAN, (uint64_t)(i / 500) };
	}
	int rc = trend_fit(t, y, n, &r);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(isfinite(r.slope));
		FUZZ_CHECK(r.confidence >= 0 && r.confidence <= 1);
		FUZZ_CHECK(r.n >= 3 && r.n <= n);
	}
	rc = leak_from_points(p, n, &l);
	FUZZ_CHECK(rc == 0 || rc == -ENODATA);
	if (rc == 0) {
		FUZZ_CHECK(l.confidence >= 0 && l.confidence <= 1);
		FUZZ_CHECK(l.groups >= LEAK_MIN_GROUPS && l.groups <= LEAK_GROUPS);
	}
	lowenv_init(&e, n * 4);
	uint32_t ds = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t kib;

		memcpy(&kib, data + 16 * i + 8, 8);
		ds += data[16 * i] & 0x3f; /* times never go back */
		lowenv_push(&e, ds, data[16 * i + 1] & 1, kib >> (data[16 * i + 2] & 63),
			    data[16 * i + 1] & 2, kib);
		FUZZ_CHECK(e.n <= LOWENV_BLOCKS && e.per_block <= e.h.max_per_block);
	}
	rc = leak_from_lowenv(&e, &l);
	FUZZ_CHECK(rc == 0 || rc == -ENODATA);
	return 0;
}
