/*
 * History rings (see hist.h). Layout: sample k occupies data[k * stride ..
 * k * stride + stride), stride = 1 + HIST_SERIES; the oldest sample is at
 * (head - n) mod cap.
 */
#include "model/hist.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"

enum { STRIDE = 1 + HIST_SERIES, MANT_BITS = 27 };

struct hist *
hist_new(uint32_t cap)
{
	if (cap < 2)
		cap = 2;
	struct hist *h = xmalloc(sizeof *h + (size_t)cap * STRIDE * sizeof h->data[0]);

	h->cap = cap;
	h->n = h->head = 0;
	return h;
}

uint32_t
hist_pack(uint64_t v)
{
	uint32_t e = 0;

	while (MANT_BITS + e < 64 && v >> (MANT_BITS + e))
		e++;
	if (e) {
		uint64_t m = (v >> e) + (v >> (e - 1) & 1); /* round to nearest */
		if (m >> MANT_BITS) {
			m >>= 1;
			e++;
		}
		v = m;
	}
	if (e > 31)
		return UINT32_MAX; /* saturate at the largest value 32 bits hold */
	return e << MANT_BITS | (uint32_t)v;
}

uint64_t
hist_unpack(uint32_t packed)
{
	return (uint64_t)(packed & ((1u << MANT_BITS) - 1)) << (packed >> MANT_BITS);
}

void
hist_push(struct hist *h, uint32_t time_ds, const uint64_t v[HIST_SERIES], unsigned known)
{
	uint32_t *slot = &h->data[(size_t)h->head * STRIDE];

	slot[0] = time_ds;
	for (int s = 0; s < HIST_SERIES; s++)
		slot[1 + s] = (known >> s & 1) ? hist_pack(v[s]) : HIST_NONE;
	h->head = (h->head + 1) % h->cap;
	if (h->n < h->cap)
		h->n++;
}

static const uint32_t *
slot_at(const struct hist *h, uint32_t i)
{
	uint32_t k = (h->head + h->cap - h->n + i) % h->cap;
	return &h->data[(size_t)k * STRIDE];
}

unsigned
hist_get(const struct hist *h, uint32_t i, uint32_t *time_ds, uint64_t v[HIST_SERIES])
{
	const uint32_t *slot = slot_at(h, i);
	unsigned known = 0;

	*time_ds = slot[0];
	for (int s = 0; s < HIST_SERIES; s++) {
		if (slot[1 + s] == HIST_NONE) {
			v[s] = 0;
			continue;
		}
		v[s] = hist_unpack(slot[1 + s]);
		known |= 1u << s;
	}
	return known;
}

int
hist_rate(const struct hist *h, enum hist_series s, int64_t *rate)
{
	int first = -1, last = -1;

	for (uint32_t i = 0; i < h->n; i++) {
		if (slot_at(h, i)[1 + s] == HIST_NONE)
			continue;
		if (first < 0)
			first = (int)i;
		last = (int)i;
	}
	if (first < 0 || first == last)
		return -ENODATA;
	const uint32_t *a = slot_at(h, (uint32_t)first), *b = slot_at(h, (uint32_t)last);
	if (b[0] <= a[0])
		return -ENODATA;
	double dv = (double)hist_unpack(b[1 + s]) - (double)hist_unpack(a[1 + s]);
	*rate = (int64_t)(dv * 10.0 / (double)(b[0] - a[0]));
	return 0;
}
