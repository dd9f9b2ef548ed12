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
 * as short as that span allows.
 *
 * Which series it follows is fixed by its first sample: PSS when PSS was
 * known then, else RSS. A later sample without that series is a gap (it
 * still counts toward its block). Times are the table's deciseconds
 * (table_time_ds); values are KiB, packed as hist_pack() does (exact below
 * 128 GiB).
 *
 * Two forms. The full form, struct lowenv, is the ring itself: 8 bytes a
 * block, 280 bytes in all. Most processes are idle, and while every sample
 * of a series has been known and equal (one hist_pack() value), the shape
 * of its ring is a function of the sample count alone: block boundaries
 * fall every per_block samples from the first, and a block's minimum is its
 * first sample (ties keep the older). Such an envelope is kept in the short
 * form, struct lowenv_hdr alone (16 bytes): the value, the count, and
 * nothing of the times, which are the times of the table's refreshes. The
 * table keeps those once for all processes in a struct lowenv_clock, the
 * last lowenv_window() of them, all a ring ever covers. The first sample
 * that differs, or lacks the series, turns the short form into the full one
 * (in O(LOWENV_BLOCKS), whatever the count), and it stays full.
 *
 * A process's envelope (struct proc env) points at a struct lowenv_hdr: the
 * short form, or the first member of a full one. lowenv_feed() keeps it, and
 * lowenv_full() reads either form as a full envelope; lowenv_init() and
 * lowenv_push() are the full form alone, for any series not fed once per
 * refresh of a table.
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

/* What both forms begin with; alone, the short form. */
struct lowenv_hdr {
	uint8_t kind;           /* enum lowenv_kind */
	bool full;              /* the first member of a struct lowenv; else the short form */
	uint16_t max_per_block;
	uint32_t v;             /* short form: hist_pack() of every sample */
	uint64_t samples;       /* short form: how many (each at one tick of the clock) */
};

struct lowenv {
	struct lowenv_hdr h;   /* first: a process's envelope points here */
	uint16_t n, head;      /* blocks held, oldest block's index */
	uint16_t per_block;
	uint16_t fill;         /* samples in the newest block */
	struct lowenv_block b[LOWENV_BLOCKS];
};

/*
 * The times of a table's refreshes, for the short forms: tick k (from 0) at
 * time_ds[k % cap]; the last min(ticks, cap) are held. All zero is an empty
 * clock.
 */
struct lowenv_clock {
	uint32_t *time_ds;     /* owned */
	uint32_t cap;
	uint64_t ticks;
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

/*
 * A new tick of c at time_ds (not before the previous one): a table refresh.
 * c grows, keeping its times, to hold the window of an envelope covering
 * cap_samples; it never shrinks.
 */
void lowenv_clock_tick(struct lowenv_clock *c, uint32_t cap_samples, uint32_t time_ds);

/* Frees what c holds and leaves it empty. */
void lowenv_clock_fini(struct lowenv_clock *c);

/*
 * An empty envelope covering at most cap_samples samples (as lowenv_init), in
 * the short form; owned, free() it. lowenv_feed() may move it.
 */
struct lowenv_hdr *lowenv_new(uint32_t cap_samples);

/*
 * Adds a sample to *ep (from lowenv_new) taken at c's newest tick, as
 * lowenv_push() would. The envelope must have been fed once at every tick of
 * c since lowenv_new(), and c ticked with a cap_samples at least the
 * envelope's. Stays in the short form while the series is flat; else turns
 * *ep into the full form (realloc: *ep may move).
 */
void lowenv_feed(struct lowenv_hdr **ep, const struct lowenv_clock *c, bool pss_known,
		 uint64_t pss_kib, bool rss_known, uint64_t rss_kib);

/*
 * e (fed with c) as a full envelope: e's own when it is full, else tmp,
 * filled from the short form in O(LOWENV_BLOCKS) and equal to the full
 * envelope the same samples give. Borrowed: valid until e is fed or freed,
 * or tmp goes.
 */
const struct lowenv *lowenv_full(const struct lowenv_hdr *e, const struct lowenv_clock *c,
				 struct lowenv *tmp);

/*
 * Of a short form e (fed with c): the blocks its full form holds, and into
 * time_ds[] the times of its blocks 0, every, 2 * every ... from the oldest
 * (every >= 1), each the time of its first sample; returns how many. Every
 * block's value is hist_unpack(e->v). For readers that need a few blocks, not
 * the ring.
 */
uint16_t lowenv_flat_blocks(const struct lowenv_hdr *e);
uint16_t lowenv_flat_times(const struct lowenv_hdr *e, const struct lowenv_clock *c, uint16_t every,
			   uint32_t *time_ds);

#endif
