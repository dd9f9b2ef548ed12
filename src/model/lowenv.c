/*
 * Ring of block minima (see lowenv.h). b[] is a ring of LOWENV_BLOCKS entries
 * starting at head; the newest block is open while fill < per_block.
 *
 * The short form's ring is what lowenv_push() makes of `samples` equal
 * samples: while per_block is below max_per_block the ring never drops a
 * block, and it halves when all LOWENV_BLOCKS blocks are full, so after c
 * samples per_block is the least power of two p (at most max_per_block)
 * with LOWENV_BLOCKS * p >= c. Halving merges aligned pairs, so block j
 * always starts at sample j * per_block; the ring holds the newest
 * LOWENV_BLOCKS of the ceil(c / per_block) blocks so far. flat_shape()
 * computes that, and the clock gives each block's time: the newest block
 * starts less than a window before the newest sample.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "model/lowenv.h"
#include "util/xalloc.h"

static uint16_t
per_block_cap(uint32_t cap_samples)
{
	uint32_t p = 1;

	while (p * 2 * LOWENV_BLOCKS <= cap_samples && p < 0x4000)
		p *= 2;
	return (uint16_t)p;
}

void
lowenv_init(struct lowenv *e, uint32_t cap_samples)
{
	memset(e, 0, sizeof *e);
	e->h.full = true;
	e->per_block = 1;
	e->h.max_per_block = per_block_cap(cap_samples);
}

uint32_t
lowenv_window(const struct lowenv *e)
{
	return (uint32_t)LOWENV_BLOCKS * e->h.max_per_block;
}

static struct lowenv_block *
block(struct lowenv *e, uint16_t i)
{
	return &e->b[(e->head + i) % LOWENV_BLOCKS];
}

/* Keeps the lower of two blocks (the older one on a tie) in *a. */
static void
merge_into(struct lowenv_block *a, const struct lowenv_block *b)
{
	if (b->v == HIST_NONE)
		return;
	if (a->v == HIST_NONE || hist_unpack(b->v) < hist_unpack(a->v))
		*a = *b;
}

/* A full ring of closed blocks becomes half as many, twice as long. */
static void
halve(struct lowenv *e)
{
	struct lowenv_block lin[LOWENV_BLOCKS];

	for (uint16_t i = 0; i < e->n; i++)
		lin[i] = *block(e, i);
	for (uint16_t i = 0; i < e->n / 2; i++) {
		e->b[i] = lin[2 * i];
		merge_into(&e->b[i], &lin[2 * i + 1]);
	}
	e->head = 0;
	e->n /= 2;
	e->per_block *= 2;
}

/*
 * The kind an envelope of kind *kind has once this sample is in (the first
 * known series fixes it); returns hist_pack() of the sample's value of it, or
 * HIST_NONE.
 */
static uint32_t
series(uint8_t *kind, bool pss_known, uint64_t pss_kib, bool rss_known, uint64_t rss_kib)
{
	if (*kind == LOWENV_UNSET && (pss_known || rss_known))
		*kind = pss_known ? LOWENV_PSS : LOWENV_RSS;
	if (*kind == LOWENV_PSS)
		return pss_known ? hist_pack(pss_kib) : HIST_NONE;
	return *kind == LOWENV_RSS && rss_known ? hist_pack(rss_kib) : HIST_NONE;
}

void
lowenv_push(struct lowenv *e, uint32_t time_ds, bool pss_known, uint64_t pss_kib, bool rss_known,
	    uint64_t rss_kib)
{
	uint32_t v = series(&e->h.kind, pss_known, pss_kib, rss_known, rss_kib);

	if (e->n == 0 || e->fill >= e->per_block) {
		if (e->n == LOWENV_BLOCKS) {
			if (e->per_block < e->h.max_per_block) {
				halve(e);
			} else {
				e->head = (e->head + 1) % LOWENV_BLOCKS;
				e->n--;
			}
		}
		struct lowenv_block *nb = block(e, e->n);

		nb->time_ds = time_ds;
		nb->v = v;
		e->n++;
		e->fill = 1;
		return;
	}
	struct lowenv_block s = { time_ds, v };

	merge_into(block(e, e->n - 1), &s);
	e->fill++;
}

bool
lowenv_get(const struct lowenv *e, uint16_t i, uint32_t *time_ds, uint64_t *kib)
{
	const struct lowenv_block *b = &e->b[(e->head + i) % LOWENV_BLOCKS];

	if (b->v == HIST_NONE)
		return false;
	*time_ds = b->time_ds;
	*kib = hist_unpack(b->v);
	return true;
}

void
lowenv_clock_tick(struct lowenv_clock *c, uint32_t cap_samples, uint32_t time_ds)
{
	uint32_t w = (uint32_t)LOWENV_BLOCKS * per_block_cap(cap_samples);

	if (w > c->cap) {
		uint32_t *t = xreallocarray(NULL, w, sizeof *t);
		uint64_t held = c->ticks < c->cap ? c->ticks : c->cap;

		for (uint64_t k = c->ticks - held; k < c->ticks; k++)
			t[k % w] = c->time_ds[k % c->cap];
		free(c->time_ds);
		c->time_ds = t;
		c->cap = w;
	}
	c->time_ds[c->ticks % c->cap] = time_ds;
	c->ticks++;
}

void
lowenv_clock_fini(struct lowenv_clock *c)
{
	free(c->time_ds);
	memset(c, 0, sizeof *c);
}

/* The time of the tick `age` ticks before c's newest. */
static uint32_t
clock_at(const struct lowenv_clock *c, uint64_t age)
{
	assert(age < c->ticks && age < c->cap);
	return c->time_ds[(c->ticks - 1 - age) % c->cap];
}

struct lowenv_hdr *
lowenv_new(uint32_t cap_samples)
{
	struct lowenv_hdr *e = xmalloc(sizeof *e);

	memset(e, 0, sizeof *e);
	e->max_per_block = per_block_cap(cap_samples);
	return e;
}

/* The ring of a short form, as lowenv.c's top comment derives it. */
struct flat_shape {
	uint16_t n, per_block, fill;
	uint64_t first; /* samples before the oldest block held */
};

static struct flat_shape
flat_shape(const struct lowenv_hdr *e)
{
	uint64_t c = e->samples, p = 1;

	while (p < e->max_per_block && p * LOWENV_BLOCKS < c)
		p *= 2;
	uint64_t blocks = (c + p - 1) / p, n = blocks < LOWENV_BLOCKS ? blocks : LOWENV_BLOCKS;

	return (struct flat_shape){
		.n = (uint16_t)n,
		.per_block = (uint16_t)p,
		.fill = (uint16_t)(c ? c - (blocks - 1) * p : 0),
		.first = (blocks - n) * p,
	};
}

/*
 * The time of block i of shape s: the tick of its first sample. behind: ticks
 * of c after e's newest sample (1 while the newest tick's sample is fed).
 */
static uint32_t
flat_time(const struct lowenv_hdr *e, const struct flat_shape *s, const struct lowenv_clock *c,
	  uint16_t i, uint64_t behind)
{
	return clock_at(c, behind + e->samples - 1 - (s->first + (uint64_t)i * s->per_block));
}

uint16_t
lowenv_flat_blocks(const struct lowenv_hdr *e)
{
	return flat_shape(e).n;
}

uint16_t
lowenv_flat_times(const struct lowenv_hdr *e, const struct lowenv_clock *c, uint16_t every,
		  uint32_t *time_ds)
{
	struct flat_shape s = flat_shape(e);
	uint16_t m = 0;

	for (uint16_t i = 0; i < s.n; i += every)
		time_ds[m++] = flat_time(e, &s, c, i, 0);
	return m;
}

/*
 * Fills r with the full form of the short form h (r must not overlap h); behind as
 * flat_time(). While a sample is fed (behind 1), a full ring of full blocks
 * loses its oldest block to it in lowenv_push(), and that block began a
 * whole window before the new sample, a tick older than c holds: it is
 * dropped here instead, as lowenv_push() would.
 */
static void
flat_expand(const struct lowenv_hdr *h, const struct lowenv_clock *c, uint64_t behind,
	    struct lowenv *r)
{
	struct flat_shape s = flat_shape(h);

	if (behind && s.n == LOWENV_BLOCKS && s.per_block == h->max_per_block &&
	    s.fill == s.per_block) {
		s.first += s.per_block;
		s.n--;
	}

	memset(r, 0, sizeof *r);
	r->h.kind = h->kind;
	r->h.full = true;
	r->h.max_per_block = h->max_per_block;
	r->n = s.n;
	r->per_block = s.per_block;
	r->fill = s.fill;
	for (uint16_t i = 0; i < s.n; i++) {
		r->b[i].time_ds = flat_time(h, &s, c, i, behind);
		r->b[i].v = h->v;
	}
}

void
lowenv_feed(struct lowenv_hdr **ep, const struct lowenv_clock *c, bool pss_known,
	    uint64_t pss_kib, bool rss_known, uint64_t rss_kib)
{
	struct lowenv_hdr *e = *ep;

	if (!e->full) {
		uint8_t kind = e->kind;
		uint32_t v = series(&kind, pss_known, pss_kib, rss_known, rss_kib);

		if (v != HIST_NONE && (!e->samples || v == e->v)) {
			e->kind = kind;
			e->v = v;
			e->samples++;
			return;
		}
		struct lowenv_hdr h = *e;
		struct lowenv *r = xreallocarray(e, 1, sizeof *r);

		flat_expand(&h, c, 1, r);
		e = *ep = &r->h;
	}
	lowenv_push((struct lowenv *)e, clock_at(c, 0), pss_known, pss_kib, rss_known, rss_kib);
}

const struct lowenv *
lowenv_full(const struct lowenv_hdr *e, const struct lowenv_clock *c, struct lowenv *tmp)
{
	if (e->full)
		return (const struct lowenv *)e;
	flat_expand(e, c, 0, tmp);
	return tmp;
}
