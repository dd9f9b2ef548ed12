/*
 * The lower envelope of one process's memory: a bounded ring of block minima
 * that the leak estimator (model/leak.h) reads. Kept beside the history ring
 * (model/hist.h) because that ring consolidates old samples into MAXIMA (so
 * that a graph never hides a peak), and a garbage collector's sawtooth seen
 * through maxima shows its peaks, not the floor it keeps coming back to.
 *
 * Each block holds the minimum of per_block consecutive samples and the time
 * of that minimum. The ring starts with one sample per block; when its
 * LOWENV_BLOCKS blocks are full it merges neighbours pairwise (minimum of the
 * two) and doubles per_block, until per_block reaches max_per_block; from then
 * on the oldest block is dropped. So it always covers all samples since it
 * started, or the last LOWENV_BLOCKS * max_per_block at most, and blocks are
 * as short as that span allows. 8 bytes a block, 272 bytes in all.
 *
 * Which series it follows is fixed by its first sample: PSS when PSS was
 * known then, else RSS. A later sample without that series is a gap (it
 * still counts toward its block). Times are the table's deciseconds
 * (table_time_ds); values are KiB, packed as hist_pack() does (exact below
 * 128 GiB).
 */
#ifndef SMAPTOP_LOWENV_H
#define SMAPTOP_LOWENV_H

#include <stdbool.h>
#include <stdint.h>

enum { LOWENV_BLOCKS = 32 };

enum lowenv_kind { LOWENV_UNSET, LOWENV_PSS, LOWENV_RSS };

struct lowenv_block {
	uint32_t time_ds; /* of the minimum (of the first sample while none is known) */
	uint32_t v;       /* hist_pack() of the minimum, or HIST_NONE */
};

struct lowenv {
	uint16_t n, head;      /* blocks held, oldest block's index */
	uint16_t per_block, max_per_block;
	uint16_t fill;         /* samples in the newest block */
	uint8_t kind;          /* enum lowenv_kind */
	struct lowenv_block b[LOWENV_BLOCKS];
};

/*
 * An empty envelope covering at most cap_samples samples: max_per_block is the
 * largest power of two p with LOWENV_BLOCKS * p <= cap_samples (at least 1).
 */
void lowenv_init(struct lowenv *e, uint32_t cap_samples);

/*
 * Adds a sample taken at time_ds (not before the previous one). pss_known and
 * rss_known say which of pss_kib and rss_kib are valid.
 */
void lowenv_push(struct lowenv *e, uint32_t time_ds, bool pss_known, uint64_t pss_kib,
		 bool rss_known, uint64_t rss_kib);

/*
 * The i-th oldest block (0 <= i < e->n): returns false when it holds no value,
 * else sets *time_ds and *kib.
 */
bool lowenv_get(const struct lowenv *e, uint16_t i, uint32_t *time_ds, uint64_t *kib);

/* Samples the envelope spans at most (LOWENV_BLOCKS * max_per_block). */
uint32_t lowenv_window(const struct lowenv *e);

#endif
