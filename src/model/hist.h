/*
 * History rings for graphs and growth rates. Memory is bounded by the capacity
 * chosen at creation, however long smaptop runs.
 *
 * A ring holds about cap samples, oldest first, in one of two forms:
 *
 *   full     every sample as it was pushed: a 32-bit time stamp and HIST_SERIES
 *            values packed into 32 bits each (27-bit mantissa, 5-bit exponent:
 *            exact below 128 GiB in KiB, relative error below 1e-8 above, 64 TiB
 *            and far beyond representable). 20 bytes a sample. For the system
 *            ring and for the process being looked at. Converted from a compact
 *            ring, it keeps the consolidated records it got only while they
 *            lie within the span a compact ring of the same cap would show.
 *   compact  the newest HIST_RECENT samples one by one, and older ones
 *            consolidated: each HIST_PER_BUCKET consecutive samples become one
 *            bucket holding, per series, the MAXIMUM of those samples (so a
 *            peak is never hidden) stamped with the time of the first. Values
 *            are packed into 16 bits (11-bit mantissa, 5-bit exponent), rounded
 *            up: exact below 2048 KiB, never below the true value and at most 0.1%
 *            above it, 64 TiB representable. A completed bucket identical to
 *            the one before it (every value, and so every unavailable series)
 *            takes no record of its own: it lengthens a run, one record that
 *            stands for any number of identical buckets, from its time to the
 *            next record's, and so draws exactly as they would. Runs count by
 *            their length: the ring still spans at most
 *            ceil((cap - HIST_RECENT) / HIST_PER_BUCKET) buckets, and when the
 *            oldest bucket of a run goes, the run's new start is interpolated
 *            over its span (exact when samples were evenly spaced). Single
 *            samples never form runs. Time stamps are 16-bit offsets from a
 *            per-ring base; a ring never spans more than 65535 ds (109
 *            minutes): older records are dropped. 10 bytes a record. The
 *            single samples are allocated at creation, consolidated records
 *            four at a time as they are needed: for cap 600 an idle process
 *            (every sample alike) takes 236 bytes, one whose every bucket
 *            differs 496. Ten single samples, half a bucket, are about all a
 *            graph of 600 samples shows one by one: on a terminal under 200
 *            columns wide one of its columns covers three samples or more.
 *
 * A series unavailable in a sample is stored as such (HIST_NONE); in a
 * consolidated record it is unavailable only when it was in every sample.
 *
 * Growth (hist_growth) does not use the rounded values: each ring keeps exact
 * anchors of series 0 (H_RSS) every cap / (HIST_ANCHORS - 1) samples and its
 * latest exact value, so the rate over the window is as exact in both forms.
 */
#ifndef SMAPTOP_HIST_H
#define SMAPTOP_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Per-process series, exactly those the graphs draw; the system ring reuses
 * the slots with its own meaning.
 */
enum hist_series { H_RSS, H_VSZ, H_PSS, H_SWAP, HIST_SERIES };
enum sys_series { HS_USED = 0, HS_COMMITTED, HS_AVAILABLE, HS_SWAP_USED };

/* Never produced by hist_pack(): with an exponent, the mantissa is at least 2^26. */
#define HIST_NONE (UINT32_C(1) << 27)
/* Never produced by hist_pack16(), likewise. */
#define HIST_NONE16 ((uint16_t)(1u << 11))

enum {
	HIST_RECENT = 10,     /* compact: newest samples kept one by one */
	HIST_PER_BUCKET = 20, /* compact: samples per consolidated record */
	HIST_ANCHORS = 6,     /* exact growth anchors per ring */
};

struct hist_anchor {
	uint32_t time_ds;
	uint32_t v;           /* hist_pack() of series 0, or HIST_NONE */
};

struct hist {
	uint32_t n;           /* records held: consolidated ones first, then single samples */
	uint32_t base_ds;     /* compact: time origin of the 16-bit offsets */
	uint32_t pushed;      /* samples pushed since creation (saturates) */
	uint16_t cap;         /* samples the ring is meant to cover */
	uint16_t recent_cap;  /* single-sample records at most (cap when full) */
	uint16_t bucket_cap;  /* buckets the consolidated part spans at most (0 when full) */
	uint16_t bucket_alloc; /* consolidated records allocated, at most bucket_cap */
	uint16_t n_recent, recent_head;  /* ring of single samples: count, next write */
	uint16_t n_bucket, bucket_head;  /* ring of consolidated records */
	uint16_t n_span;      /* buckets the consolidated records stand for, runs included
			       * (full: consolidated records held, the oldest ones) */
	uint16_t fill;        /* samples in the newest consolidated record (full: as when compact) */
	uint16_t anchor_every;
	uint16_t n_anchor, anchor_head;
	bool full;
	struct hist_anchor anchor[HIST_ANCHORS], last; /* last: newest known exact value */
	unsigned char data[]; /* records: the single ring, then the consolidated ring */
};

/*
 * A new empty ring meant to cover cap samples (cap >= 2; smaller is rounded up),
 * full or compact (see above). Owned, free with free().
 */
struct hist *hist_new(uint32_t cap, bool full);

/*
 * Bytes allocated for the ring, header included. A full ring's size is fixed at
 * creation; a compact ring's grows with its consolidated records, up to what
 * hist_new() would have taken for every bucket different (its bound).
 */
size_t hist_size(const struct hist *h);

/*
 * The same history in the other form (full or compact), with the same cap and
 * growth anchors; h is freed and must not be used again. Owned. Going to full
 * keeps every record (consolidated ones stay consolidated, values are those
 * of the compact form) and spreads a run back into one record a bucket, at
 * times interpolated over its span; the newest consolidated record remembers
 * how many samples it holds. Going to compact consolidates all but the newest
 * HIST_RECENT single samples, forms runs again and drops what no longer fits.
 */
struct hist *hist_convert(struct hist *h, bool full);

uint32_t hist_pack(uint64_t v);
uint64_t hist_unpack(uint32_t packed);
/* 16-bit packing of compact rings: rounded up; saturates near 2^42. */
uint16_t hist_pack16(uint64_t v);
uint64_t hist_unpack16(uint16_t packed);

/*
 * Appends a sample; values whose bit is clear in known are stored as
 * unavailable. time_ds must not decrease from one push to the next. A compact
 * ring may be reallocated to hold more consolidated records: *hp is updated
 * and the old pointer must not be used again.
 */
void hist_push(struct hist **hp, uint32_t time_ds, const uint64_t v[HIST_SERIES], unsigned known);

/*
 * Reads the i-th oldest record (0 <= i < h->n) into *time_ds and v[]; returns
 * the known mask of that record. *consolidated (may be NULL) tells whether the
 * record stands for several samples (maxima, time of the first); a run of
 * identical buckets is one record.
 */
unsigned hist_get(const struct hist *h, uint32_t i, uint32_t *time_ds, uint64_t v[HIST_SERIES],
		  bool *consolidated);

/*
 * Change of series 0 (H_RSS; HS_USED in the system ring) per second between
 * the oldest exact anchor in the window and the newest sample where it is
 * known, in units per second (rounded toward zero). The window is the last cap
 * samples, less at most cap / (HIST_ANCHORS - 1). Returns 0 and sets *rate, or
 * -ENODATA without two such samples or without elapsed time.
 */
int hist_growth(const struct hist *h, int64_t *rate);

#endif
