/*
 * History rings (see hist.h). data[] holds recent_cap single-sample records,
 * then bucket_alloc slots for consolidated records (none in a full ring); each
 * part is a ring whose oldest record is at (head - count) mod its size. A full
 * ring's records are 6 words (time, with CONSOLIDATED set on records that came
 * from a compact ring's consolidated part, then the packed values); a compact
 * record is 6 half-words (time offset from base_ds, then 16-bit values).
 *
 * A compact consolidated record whose first value is RUN16 is a run: it stands
 * for run length (its third half-word) buckets, each with the values of the
 * plain record just before it, from its own time to the next record's. A run
 * always follows a plain record; the oldest record is never a run. n_span
 * counts the buckets the consolidated part stands for (a plain record is one)
 * and never exceeds bucket_cap, so the ring spans what it did without runs.
 */
#include "model/hist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum {
	WIDE = 1 + HIST_SERIES,
	GROW = 4, /* consolidated slots added at a time */
};

_Static_assert(H_RSS == 0 && HS_USED == 0, "hist_growth() rates series 0");

#define CONSOLIDATED (UINT32_C(1) << 31)
#define OFFSET_MAX 65535u
/* Never produced by hist_pack16() nor equal to HIST_NONE16: marks a run. */
#define RUN16 ((uint16_t)(HIST_NONE16 | 1u))

/* One record unpacked: what both forms hold. */
struct rec {
	uint32_t time_ds;
	bool consolidated;
	unsigned known;
	uint64_t v[HIST_SERIES];
};

static size_t
stride(const struct hist *h)
{
	return h->full ? WIDE * sizeof(uint32_t) : WIDE * sizeof(uint16_t);
}

size_t
hist_size(const struct hist *h)
{
	return sizeof *h + ((size_t)h->recent_cap + h->bucket_alloc) * stride(h);
}

struct hist *
hist_new(uint32_t cap, bool full)
{
	struct hist geo = { .full = full };

	if (cap < 2)
		cap = 2;
	if (cap > OFFSET_MAX)
		cap = OFFSET_MAX;
	geo.cap = (uint16_t)cap;
	geo.recent_cap = (uint16_t)(full || cap < HIST_RECENT ? cap : HIST_RECENT);
	if (!full)
		geo.bucket_cap = (uint16_t)((cap - geo.recent_cap + HIST_PER_BUCKET - 1) / HIST_PER_BUCKET);
	geo.anchor_every = (uint16_t)(cap / (HIST_ANCHORS - 1) ? cap / (HIST_ANCHORS - 1) : 1);

	struct hist *h = xmalloc(hist_size(&geo));
	*h = geo;
	return h;
}

/* Series s of r in 16 bits. Rounding up straight from the exact value: never below it. */
static uint16_t
narrow(const struct rec *r, int s)
{
	return (r->known >> s & 1) ? hist_pack16(r->v[s]) : HIST_NONE16;
}

/* Slot k of the record array: single records first, then consolidated ones. */
static void *
slot(const struct hist *h, uint32_t k)
{
	return (void *)&h->data[(size_t)k * stride(h)];
}

static uint32_t
recent_slot(const struct hist *h, uint32_t i)
{
	return (h->recent_head + h->recent_cap - h->n_recent + i) % h->recent_cap;
}

static uint32_t
bucket_slot(const struct hist *h, uint32_t i)
{
	return h->recent_cap + (h->bucket_head + h->bucket_alloc - h->n_bucket + i) % h->bucket_alloc;
}

/* Compact: the half-words of slot k. */
static uint16_t *
half(const struct hist *h, uint32_t k)
{
	return slot(h, k);
}

static bool
is_run(const struct hist *h, uint32_t k)
{
	return half(h, k)[1] == RUN16;
}

/* Compact: the time of slot k. */
static uint32_t
stamp(const struct hist *h, uint32_t k)
{
	return h->base_ds + half(h, k)[0];
}

/* Compact: the time the i-th consolidated record ends (the next record's), else fallback. */
static uint32_t
bucket_end(const struct hist *h, uint32_t i, uint32_t fallback)
{
	if (i + 1 < h->n_bucket)
		return stamp(h, bucket_slot(h, i + 1));
	if (h->n_recent)
		return stamp(h, recent_slot(h, 0));
	return fallback;
}

/* Slot k; a run's values are read from the record before it (see load_nth). */
static void
load(const struct hist *h, uint32_t k, struct rec *r)
{
	r->known = 0;
	if (h->full) {
		const uint32_t *w = slot(h, k);
		r->time_ds = w[0] & ~CONSOLIDATED;
		r->consolidated = w[0] & CONSOLIDATED;
		for (int s = 0; s < HIST_SERIES; s++) {
			r->v[s] = w[1 + s] == HIST_NONE ? 0 : hist_unpack(w[1 + s]);
			r->known |= (unsigned)(w[1 + s] != HIST_NONE) << s;
		}
		return;
	}
	const uint16_t *w = half(h, k);
	r->time_ds = h->base_ds + w[0];
	r->consolidated = k >= h->recent_cap;
	for (int s = 0; s < HIST_SERIES; s++) {
		r->v[s] = w[1 + s] == HIST_NONE16 ? 0 : hist_unpack16(w[1 + s]);
		r->known |= (unsigned)(w[1 + s] != HIST_NONE16) << s;
	}
}

/* Compact: the caller made sure r->time_ds - base_ds fits 16 bits. */
static void
store(struct hist *h, uint32_t k, const struct rec *r)
{
	if (h->full) {
		uint32_t *w = slot(h, k);
		w[0] = r->time_ds | (r->consolidated ? CONSOLIDATED : 0);
		for (int s = 0; s < HIST_SERIES; s++)
			w[1 + s] = (r->known >> s & 1) ? hist_pack(r->v[s]) : HIST_NONE;
		return;
	}
	uint16_t *w = half(h, k);
	w[0] = (uint16_t)(r->time_ds - h->base_ds);
	for (int s = 0; s < HIST_SERIES; s++)
		w[1 + s] = narrow(r, s);
}

static void
load_nth(const struct hist *h, uint32_t i, struct rec *r)
{
	if (i >= h->n_bucket) {
		load(h, recent_slot(h, i - h->n_bucket), r);
		return;
	}
	uint32_t k = bucket_slot(h, i);
	if (is_run(h, k)) {
		load(h, bucket_slot(h, i - 1), r);
		r->time_ds = stamp(h, k);
	} else {
		load(h, k, r);
	}
}

static void
drop_oldest_bucket(struct hist *h)
{
	h->n_bucket--;
	h->n--;
}

/*
 * Compact: the consolidated part gives up its oldest bucket. A plain record is
 * dropped; one followed by a run takes the run's first bucket instead, and the
 * run starts one bucket later, at a time interpolated over its span (exact
 * when samples were evenly spaced). fallback: the time after the newest record.
 */
static void
trim_oldest(struct hist *h, uint32_t fallback)
{
	uint32_t k1 = h->n_bucket >= 2 ? bucket_slot(h, 1) : 0;

	h->n_span--;
	if (h->n_bucket < 2 || !is_run(h, k1)) {
		drop_oldest_bucket(h);
		return;
	}
	uint16_t *a = half(h, bucket_slot(h, 0)), *c = half(h, k1);
	if (c[2] == 1) {
		memcpy(c + 1, a + 1, HIST_SERIES * sizeof *c); /* a plain record again */
		drop_oldest_bucket(h);
		return;
	}
	uint32_t tc = stamp(h, k1), tn = bucket_end(h, 1, fallback);
	a[0] = c[0];
	c[0] = (uint16_t)(tc + (tn - tc) / c[2] - h->base_ds);
	c[2]--;
}

/*
 * Compact: the newest consolidated record is complete. Identical (values and
 * known mask) to the record before it, it joins that record's run instead of
 * keeping a slot: drawn from its time to the next record's, a run looks
 * exactly as the records it stands for.
 */
static void
close_bucket(struct hist *h)
{
	if (h->n_bucket < 2)
		return;
	uint32_t newest = bucket_slot(h, h->n_bucket - 1u), prev = bucket_slot(h, h->n_bucket - 2u);
	bool run = is_run(h, prev);
	const uint16_t *src = half(h, run ? bucket_slot(h, h->n_bucket - 3u) : prev);
	uint16_t *w = half(h, newest);
	if (memcmp(w + 1, src + 1, HIST_SERIES * sizeof *w) != 0)
		return;
	if (run) {
		half(h, prev)[2]++;
		h->bucket_head = (uint16_t)((h->bucket_head + h->bucket_alloc - 1) % h->bucket_alloc);
		h->n_bucket--;
		h->n--;
	} else {
		w[1] = RUN16;
		w[2] = 1;
		w[3] = w[4] = 0;
	}
}

/* The newest consolidated record takes the maximum of each series with r. */
static void
merge_into_bucket(struct hist *h, const struct rec *r)
{
	uint16_t *w = half(h, bucket_slot(h, h->n_bucket - 1u));

	for (int s = 0; s < HIST_SERIES; s++) {
		uint16_t v = narrow(r, s);
		/* Packed order is value order; HIST_NONE16 loses to any value. */
		if (v != HIST_NONE16 && (w[1 + s] == HIST_NONE16 || v > w[1 + s]))
			w[1 + s] = v;
	}
	if (++h->fill == HIST_PER_BUCKET)
		close_bucket(h);
}

/* Compact: room for one more consolidated record (the ring is full). */
static void
grow_buckets(struct hist **hp)
{
	struct hist *h = *hp;
	uint32_t old = h->bucket_alloc, want = old + GROW < h->bucket_cap ? old + GROW : h->bucket_cap;
	uint32_t tail = old - h->bucket_head; /* the oldest records, at the end of the slots */

	h = xreallocarray(h, 1, hist_size(h) + (want - old) * stride(h));
	memmove(slot(h, h->recent_cap + want - tail), slot(h, h->recent_cap + h->bucket_head),
		tail * stride(h));
	h->bucket_alloc = (uint16_t)want;
	*hp = h;
}

/* Compact: a new consolidated record r, already holding fill samples. */
static void
open_bucket(struct hist **hp, const struct rec *r, uint16_t fill)
{
	struct hist *h = *hp;

	while (h->n_bucket && h->n_span >= h->bucket_cap)
		trim_oldest(h, r->time_ds);
	if (h->n_bucket == h->bucket_alloc) {
		grow_buckets(hp);
		h = *hp;
	}
	store(h, h->recent_cap + h->bucket_head, r);
	h->bucket_head = (uint16_t)((h->bucket_head + 1) % h->bucket_alloc);
	h->n_bucket++;
	h->n++;
	h->n_span++;
	h->fill = fill;
	if (fill >= HIST_PER_BUCKET)
		close_bucket(h);
}

/* Compact: the oldest single sample joins the consolidated part (or is dropped). */
static void
consolidate_oldest(struct hist **hp)
{
	struct rec r;

	load(*hp, recent_slot(*hp, 0), &r);
	if ((*hp)->bucket_cap) {
		if ((*hp)->n_bucket && (*hp)->fill < HIST_PER_BUCKET)
			merge_into_bucket(*hp, &r);
		else
			open_bucket(hp, &r, 1);
	}
	(*hp)->n_recent--;
	(*hp)->n--;
}

/* Compact: moves base_ds so that time_ds fits an offset, dropping what is too old. */
static void
fit_time(struct hist *h, uint32_t time_ds)
{
	if (!h->n) {
		h->base_ds = time_ds;
		return;
	}
	while (h->n && time_ds - h->base_ds > OFFSET_MAX) {
		struct rec r;
		load_nth(h, 0, &r);
		if (time_ds - r.time_ds > OFFSET_MAX) {
			if (h->n_bucket) {
				trim_oldest(h, time_ds);
			} else {
				h->n_recent--;
				h->n--;
			}
			continue;
		}
		uint16_t shift = (uint16_t)(r.time_ds - h->base_ds);
		for (uint32_t k = 0; k < (uint32_t)h->recent_cap + h->bucket_alloc; k++)
			*half(h, k) -= *half(h, k) >= shift ? shift : 0;
		h->base_ds = r.time_ds;
	}
	if (!h->n)
		h->base_ds = time_ds;
}

/*
 * Full: samples the records stand for, r included: one a single record,
 * HIST_PER_BUCKET a consolidated one but the newest (fill, when known).
 */
static uint32_t
full_samples(const struct hist *h, const struct rec *r)
{
	uint32_t n = h->n - h->n_span + !r->consolidated;
	uint32_t cons = h->n_span + r->consolidated;

	if (!cons)
		return n;
	return n + (cons - 1) * HIST_PER_BUCKET + (h->fill ? h->fill : HIST_PER_BUCKET);
}

/*
 * Full: the samples a compact ring of the same cap spans at most. A full ring
 * converted from a compact one gives up its consolidated records as they fall
 * out of that span, so its graph shows no more time than the compact one did.
 */
static uint32_t
full_span_max(const struct hist *h)
{
	uint32_t buckets = (h->cap - HIST_RECENT + HIST_PER_BUCKET - 1) / HIST_PER_BUCKET;

	return h->cap <= HIST_RECENT ? h->cap : HIST_RECENT + buckets * HIST_PER_BUCKET;
}

static void
drop_oldest_full(struct hist *h)
{
	const uint32_t *w = slot(h, recent_slot(h, 0));

	if (w[0] & CONSOLIDATED)
		h->n_span--;
	h->n_recent--;
	h->n--;
}

/* Appends one single-sample (or, full only, consolidated) record. */
static void
append(struct hist **hp, const struct rec *r)
{
	struct hist *h = *hp;

	if (!h->full)
		fit_time(h, r->time_ds);
	if (h->full) {
		while (h->n && (h->n_recent == h->recent_cap ||
				(h->n_span && full_samples(h, r) > full_span_max(h))))
			drop_oldest_full(h);
		h->n_span += r->consolidated;
	} else if (h->n_recent == h->recent_cap) {
		consolidate_oldest(hp);
		h = *hp;
	}
	store(h, h->recent_head, r);
	h->recent_head = (uint16_t)((h->recent_head + 1) % h->recent_cap);
	h->n_recent++;
	h->n++;
}

static void
add_anchor(struct hist *h, uint32_t time_ds, uint32_t v0)
{
	if (h->pushed % h->anchor_every == 0) {
		h->anchor[h->anchor_head] = (struct hist_anchor){ time_ds, v0 };
		h->anchor_head = (uint16_t)((h->anchor_head + 1) % HIST_ANCHORS);
		if (h->n_anchor < HIST_ANCHORS)
			h->n_anchor++;
	}
	if (v0 != HIST_NONE)
		h->last = (struct hist_anchor){ time_ds, v0 };
	if (h->pushed < UINT32_MAX)
		h->pushed++;
}

void
hist_push(struct hist **hp, uint32_t time_ds, const uint64_t v[HIST_SERIES], unsigned known)
{
	struct rec r = { .time_ds = time_ds & ~CONSOLIDATED, .known = known & ((1u << HIST_SERIES) - 1) };

	for (int s = 0; s < HIST_SERIES; s++)
		r.v[s] = (known >> s & 1) ? v[s] : 0;
	add_anchor(*hp, r.time_ds, (known & 1) ? hist_pack(v[0]) : HIST_NONE);
	append(hp, &r);
}

unsigned
hist_get(const struct hist *h, uint32_t i, uint32_t *time_ds, uint64_t v[HIST_SERIES],
	 bool *consolidated)
{
	struct rec r;

	load_nth(h, i, &r);
	*time_ds = r.time_ds;
	if (consolidated)
		*consolidated = r.consolidated;
	memcpy(v, r.v, sizeof r.v);
	return r.known;
}

/*
 * Into to, the bucket(s) record i of h stands for: a run gives one per bucket.
 * The last of them holds fill samples (less than a bucket if it was the newest).
 */
static void
convert_record(const struct hist *h, uint32_t i, uint16_t fill, struct hist **to)
{
	struct rec r;
	uint32_t reps = 1, t0, tn = 0;

	load_nth(h, i, &r);
	t0 = r.time_ds;
	if (!h->full && i < h->n_bucket && is_run(h, bucket_slot(h, i))) {
		reps = half(h, bucket_slot(h, i))[2];
		tn = bucket_end(h, i, t0);
	}
	for (uint32_t j = 0; j < reps; j++) {
		r.time_ds = t0 + (uint32_t)((uint64_t)(tn - t0) * j / reps);
		if (!r.consolidated || (*to)->full || !(*to)->bucket_cap) {
			append(to, &r); /* a full ring holds at least as many records */
		} else {
			fit_time(*to, r.time_ds);
			open_bucket(to, &r, j + 1 < reps ? HIST_PER_BUCKET : fill);
		}
	}
}

struct hist *
hist_convert(struct hist *h, bool full)
{
	struct hist *to = hist_new(h->cap, full);
	uint32_t n_cons = 0;
	struct rec r;

	/* Consolidated records come first; the newest may hold fewer samples (fill). */
	while (n_cons < h->n && (load_nth(h, n_cons, &r), r.consolidated))
		n_cons++;
	uint16_t fill = h->fill && h->fill < HIST_PER_BUCKET ? h->fill : HIST_PER_BUCKET;
	for (uint32_t i = 0; i < h->n; i++)
		convert_record(h, i, i + 1 == n_cons ? fill : HIST_PER_BUCKET, &to);
	if (full && n_cons)
		to->fill = fill; /* kept for the way back */
	to->pushed = h->pushed;
	to->n_anchor = h->n_anchor;
	to->anchor_head = h->anchor_head;
	memcpy(to->anchor, h->anchor, sizeof to->anchor);
	to->last = h->last;
	free(h);
	return to;
}

int
hist_growth(const struct hist *h, int64_t *rate)
{
	if (!h->n_anchor || h->last.v == HIST_NONE || !h->pushed)
		return -ENODATA;
	/* Anchor k (0 = newest) was taken at sample newest_seq - k * anchor_every. */
	uint32_t newest_seq = (h->pushed - 1) / h->anchor_every * h->anchor_every;
	const struct hist_anchor *a = NULL;
	for (uint32_t k = 0; k < h->n_anchor; k++) {
		uint64_t seq = newest_seq - (uint64_t)k * h->anchor_every;
		if (k * (uint64_t)h->anchor_every > newest_seq || seq + h->cap < h->pushed)
			break;
		const struct hist_anchor *c =
			&h->anchor[(h->anchor_head + HIST_ANCHORS - 1 - k) % HIST_ANCHORS];
		if (c->v != HIST_NONE)
			a = c;
	}
	if (!a || h->last.time_ds <= a->time_ds)
		return -ENODATA;
	double dv = (double)hist_unpack(h->last.v) - (double)hist_unpack(a->v);
	*rate = (int64_t)(dv * 10.0 / (double)(h->last.time_ds - a->time_ds));
	return 0;
}
