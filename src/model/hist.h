/*
 * Fixed-capacity history rings for graphs and growth rates. Memory is bounded by
 * the capacity chosen at creation, however long smaptop runs.
 *
 * Samples are compact: a time stamp in deciseconds since the table started and
 * HIST_SERIES values, each packed into 32 bits as a small float (27-bit
 * mantissa, 5-bit exponent): exact below 128 GiB (in KiB), relative error below
 * 1e-8 above, and 64 TiB and far beyond still representable. One reserved
 * pattern means "unavailable".
 */
#ifndef SMAPTOP_HIST_H
#define SMAPTOP_HIST_H

#include <stddef.h>
#include <stdint.h>

/* Per-process series; the system ring reuses the slots with its own meaning. */
enum hist_series { H_RSS, H_VSZ, H_PSS, H_USS, H_SWAP, HIST_SERIES };
enum sys_series { HS_USED = 0, HS_COMMITTED, HS_AVAILABLE, HS_SWAP_USED, HS_CACHED };

/* Never produced by hist_pack(): with an exponent, the mantissa is at least 2^26. */
#define HIST_NONE (UINT32_C(1) << 27)

struct hist {
	uint32_t cap;
	uint32_t n;     /* samples held, <= cap */
	uint32_t head;  /* slot of the next write */
	uint32_t data[]; /* cap * (1 + HIST_SERIES): time_ds, then each series */
};

/* A new empty ring of cap samples (cap >= 2); owned, free with free(). */
struct hist *hist_new(uint32_t cap);

uint32_t hist_pack(uint64_t v);
uint64_t hist_unpack(uint32_t packed);

/* Appends a sample; values whose bit is clear in known are stored as unavailable. */
void hist_push(struct hist *h, uint32_t time_ds, const uint64_t v[HIST_SERIES], unsigned known);

/*
 * Reads the i-th oldest sample (0 <= i < h->n) into *time_ds and v[]; returns
 * the known mask of that sample.
 */
unsigned hist_get(const struct hist *h, uint32_t i, uint32_t *time_ds, uint64_t v[HIST_SERIES]);

/*
 * Change of series s per second between the oldest and newest samples where it
 * is known, in units per second (rounded toward zero). Returns 0 and sets *rate,
 * or -ENODATA with fewer than two known samples or no elapsed time.
 */
int hist_rate(const struct hist *h, enum hist_series s, int64_t *rate);

#endif
