/*
 * The change-record codec (see delta.h). The decoder trusts nothing in a
 * blob: every length is checked against its end, a varint longer than 64
 * bits, a mask naming a field that does not exist, process ids not
 * increasing, a gone or abs bit outside mask are all -EINVAL.
 */
#include "store/delta.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define ALL_FIELDS ((UINT32_C(1) << DELTA_NVAL) - 1)

static void
put_varint(struct buf *b, uint64_t v)
{
	uint8_t out[10];
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	buf_put(b, out, n);
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t
unzigzag(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/*
 * The order of the fields in a record (mask bit i is field slot_field[i]):
 * those that change most often first, so that the head of a typical record
 * (RSS, PSS, USS, their anonymous parts, faults, VSZ) fits in two bytes.
 */
static const uint8_t slot_field[DELTA_NVAL] = {
	1, 5, 9, 2, 6, 16, 0, 3, 7, 14, 10, 11, 17, 18, 4, 8, 12, 13, 15,
};
/*
 * The slot whose difference predicts this one's (-1: none): the sizes move
 * together (a page mapped and touched adds to VSZ, RSS, its anonymous part,
 * PSS and USS alike), so what is written is this difference minus that one,
 * mostly 0.
 */
static const int8_t slot_pred[DELTA_NVAL] = {
	-1, 0, 0, 0, 1, -1, 0, -1, 7, -1, -1, 10, -1, -1, -1, -1, -1, -1, -1,
};

void
delta_put(struct buf *b, int64_t *last, const struct delta_proc *prev,
	  const struct delta_proc *cur)
{
	uint32_t mask = 0, gone = 0, abs = 0;
	int64_t d[DELTA_NVAL] = { 0 }; /* by slot: the difference, 0 unless written as one */

	for (int i = 0; i < DELTA_NVAL; i++) {
		int f = slot_field[i];
		uint32_t bit = UINT32_C(1) << i, fb = UINT32_C(1) << f;
		bool is = cur->known & fb;
		if (!prev) {
			mask |= is ? bit : 0;
			abs = mask;
			continue;
		}
		bool was = prev->known & fb;
		if (was == is && (!is || prev->val[f] == cur->val[f]))
			continue;
		mask |= bit;
		if (!is)
			gone |= bit;
		else if (!was)
			abs |= bit;
		else /* wrapping: defined for any two values, undone by the decoder's sum */
			d[i] = (int64_t)((uint64_t)cur->val[f] - (uint64_t)prev->val[f]);
	}
	if (prev && !mask)
		return;
	bool extra = prev && (gone || abs);
	put_varint(b, (uint64_t)(cur->process - *last));
	put_varint(b, (uint64_t)mask << 2 | (uint64_t)!prev << 1 | extra);
	if (extra) {
		put_varint(b, gone);
		put_varint(b, abs);
	}
	for (int i = 0; i < DELTA_NVAL; i++) {
		uint32_t bit = UINT32_C(1) << i;
		if (!(mask & bit) || (gone & bit))
			continue;
		if (abs & bit)
			put_varint(b, zigzag(cur->val[slot_field[i]]));
		else
			put_varint(b, zigzag((int64_t)((uint64_t)d[i] -
				     (uint64_t)(slot_pred[i] < 0 ? 0 : d[slot_pred[i]]))));
	}
	*last = cur->process;
}

void
delta_reader_init(struct delta_reader *r, const void *blob, size_t len)
{
	r->p = blob;
	r->end = blob ? r->p + len : r->p; /* no arithmetic on NULL: an empty blob may be NULL */
	r->last = 0;
}

static int
get_varint(struct delta_reader *r, uint64_t *out)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p == r->end)
			return -EINVAL;
		uint8_t c = *r->p++;
		if (shift == 63 && c > 1)
			return -EINVAL; /* more than 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -EINVAL;
}

/* Mask of slots to mask of fields. */
static uint32_t
to_fields(uint64_t slots)
{
	uint32_t m = 0;

	for (int i = 0; i < DELTA_NVAL; i++)
		if (slots >> i & 1)
			m |= UINT32_C(1) << slot_field[i];
	return m;
}

int
delta_next(struct delta_reader *r, struct delta_rec *rec)
{
	uint64_t d, head, mask, gone = 0, abs = 0;
	int64_t diff[DELTA_NVAL] = { 0 };

	if (r->p == r->end)
		return 0;
	if (get_varint(r, &d) < 0 || d == 0 || d > (uint64_t)(INT64_MAX - r->last))
		return -EINVAL;
	if (get_varint(r, &head) < 0 || (head >> 2) > ALL_FIELDS)
		return -EINVAL;
	rec->process = r->last + (int64_t)d;
	mask = head >> 2;
	rec->new = head & 2;
	if (head & 1) {
		if (rec->new || get_varint(r, &gone) < 0 || get_varint(r, &abs) < 0)
			return -EINVAL;
		if ((gone & ~mask) || (abs & ~mask) || (abs & gone))
			return -EINVAL;
	}
	if (rec->new)
		abs = mask;
	for (int i = 0; i < DELTA_NVAL; i++) {
		uint64_t u;
		if (!(mask >> i & 1) || (gone >> i & 1))
			continue;
		if (get_varint(r, &u) < 0)
			return -EINVAL;
		int f = slot_field[i];
		if (abs >> i & 1) {
			rec->raw[f] = unzigzag(u);
			continue;
		}
		uint64_t p = slot_pred[i] < 0 ? 0 : (uint64_t)diff[slot_pred[i]];
		diff[i] = (int64_t)((uint64_t)unzigzag(u) + p);
		rec->raw[f] = diff[i];
	}
	rec->mask = to_fields(mask);
	rec->gone = to_fields(gone);
	rec->abs = to_fields(abs);
	r->last = rec->process;
	return 1;
}

void
delta_rec_apply(const struct delta_rec *rec, struct delta_proc *p)
{
	if (rec->new) {
		memset(p->val, 0, sizeof p->val);
		p->known = 0;
	}
	for (int i = 0; i < DELTA_NVAL; i++) {
		uint32_t bit = UINT32_C(1) << i;
		if (!(rec->mask & bit))
			continue;
		if (rec->gone & bit) {
			p->known &= ~bit;
			p->val[i] = 0;
		} else if (rec->abs & bit) {
			p->known |= bit;
			p->val[i] = rec->raw[i];
		} else if (p->known & bit) {
			p->val[i] = (int64_t)((uint64_t)p->val[i] + (uint64_t)rec->raw[i]);
		}
	}
}

/* Index of the first entry with process >= id. */
static size_t
lower_bound(const struct delta_state *s, int64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].process < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct delta_proc *
delta_state_find(struct delta_state *s, int64_t process)
{
	size_t i = lower_bound(s, process);
	return i < s->n && s->v[i].process == process ? &s->v[i] : NULL;
}

/* The entry of process, made (unknown values) at its place when missing. */
static struct delta_proc *
slot(struct delta_state *s, int64_t process)
{
	size_t i = lower_bound(s, process);

	if (i < s->n && s->v[i].process == process)
		return &s->v[i];
	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap ? s->cap * 2 : 256, sizeof *s->v);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
	s->n++;
	memset(&s->v[i], 0, sizeof s->v[i]);
	s->v[i].process = process;
	return &s->v[i];
}

void
delta_state_put(struct delta_state *s, const struct delta_proc *p)
{
	*slot(s, p->process) = *p;
}

int
delta_apply(struct delta_state *s, const void *blob, size_t len)
{
	struct delta_reader r;
	struct delta_rec rec;
	int rc;

	delta_reader_init(&r, blob, len);
	while ((rc = delta_next(&r, &rec)) > 0)
		delta_rec_apply(&rec, slot(s, rec.process));
	return rc;
}

void
delta_state_fini(struct delta_state *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
