/*
 * Ring of block minima (see lowenv.h). b[] is a ring of LOWENV_BLOCKS entries
 * starting at head; the newest block is open while fill < per_block.
 */
#include <string.h>

#include "model/hist.h"
#include "model/lowenv.h"

void
lowenv_init(struct lowenv *e, uint32_t cap_samples)
{
	uint32_t p = 1;

	memset(e, 0, sizeof *e);
	while (p * 2 * LOWENV_BLOCKS <= cap_samples && p < 0x4000)
		p *= 2;
	e->per_block = 1;
	e->max_per_block = (uint16_t)p;
}

uint32_t
lowenv_window(const struct lowenv *e)
{
	return (uint32_t)LOWENV_BLOCKS * e->max_per_block;
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

void
lowenv_push(struct lowenv *e, uint32_t time_ds, bool pss_known, uint64_t pss_kib, bool rss_known,
	    uint64_t rss_kib)
{
	if (e->kind == LOWENV_UNSET && (pss_known || rss_known))
		e->kind = pss_known ? LOWENV_PSS : LOWENV_RSS;
	bool known = e->kind == LOWENV_PSS ? pss_known : e->kind == LOWENV_RSS && rss_known;
	uint64_t kib = e->kind == LOWENV_PSS ? pss_kib : rss_kib;

	if (e->n == 0 || e->fill >= e->per_block) {
		if (e->n == LOWENV_BLOCKS) {
			if (e->per_block < e->max_per_block) {
				halve(e);
			} else {
				e->head = (e->head + 1) % LOWENV_BLOCKS;
				e->n--;
			}
		}
		struct lowenv_block *nb = block(e, e->n);

		nb->time_ds = time_ds;
		nb->v = known ? hist_pack(kib) : HIST_NONE;
		e->n++;
		e->fill = 1;
		return;
	}
	struct lowenv_block s = { time_ds, known ? hist_pack(kib) : HIST_NONE };

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
