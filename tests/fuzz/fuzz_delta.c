/*
 * The change-record decoder (store/delta.c) on arbitrary blobs, applied to a
 * state that already holds a few processes (as after a keyframe). It returns
 * 0 or -EINVAL, never reads past the blob, and leaves the state sorted by
 * strictly increasing process id with no value set where it is unknown. The
 * same bytes read as a population's values must survive the encoder: what
 * delta_put writes against a previous state decodes back to them exactly.
 */
#include <errno.h>
#include <string.h>

#include "fuzz_common.h"
#include "store/delta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ALL ((UINT32_C(1) << DELTA_NVAL) - 1)

static void
check_state(const struct delta_state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		FUZZ_CHECK(i == 0 || s->v[i - 1].process < s->v[i].process);
		FUZZ_CHECK((s->v[i].known & ~ALL) == 0);
		for (int k = 0; k < DELTA_NVAL; k++)
			FUZZ_CHECK((s->v[i].known >> k & 1) || s->v[i].val[k] == 0);
	}
}

/* Values from the fuzz bytes: a known mask and 19 numbers per process. */
static size_t
take(const uint8_t *d, size_t n, size_t *at, struct delta_proc *p)
{
	uint8_t raw[4 + DELTA_NVAL * 8] = { 0 };
	size_t k = n - *at < sizeof raw ? n - *at : sizeof raw;

	memcpy(raw, d + *at, k);
	*at += k;
	memcpy(&p->known, raw, 4);
	p->known &= ALL;
	for (int i = 0; i < DELTA_NVAL; i++) {
		memcpy(&p->val[i], raw + 4 + 8 * i, 8);
		if (!(p->known >> i & 1))
			p->val[i] = 0;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct delta_state s = { 0 };
	char *blob = fz_dup(data, size);

	for (int i = 1; i <= 4; i++) {
		struct delta_proc p = { .process = i * 2, .known = ALL };
		for (int k = 0; k < DELTA_NVAL; k++)
			p.val[k] = 1000 * i + k;
		delta_state_put(&s, &p);
	}
	int rc = delta_apply(&s, blob, size);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	check_state(&s);
	delta_state_fini(&s);
	free(blob);

	/* encoder round trip: pairs (before, after) of up to 4 processes, some new */
	struct delta_proc before[4], after[4];
	struct buf b = BUF_INIT;
	struct delta_state dec = { 0 };
	size_t at = 0;
	int64_t last = 0;
	int np = 0;
	while (np < 4 && at < size) {
		before[np].process = after[np].process = np + 1;
		take(data, size, &at, &before[np]);
		take(data, size, &at, &after[np]);
		if (!(before[np].known & 1))
			delta_state_put(&dec, &before[np]); /* else: a new life */
		np++;
	}
	for (int i = 0; i < np; i++)
		delta_put(&b, &last, (before[i].known & 1) ? NULL : &before[i], &after[i]);
	FUZZ_CHECK(delta_apply(&dec, b.data, b.len) == 0);
	FUZZ_CHECK((int)dec.n == np);
	for (int i = 0; i < np; i++) {
		FUZZ_CHECK(dec.v[i].known == after[i].known);
		FUZZ_CHECK(memcmp(dec.v[i].val, after[i].val, sizeof after[i].val) == 0);
	}
	buf_fini(&b);
	delta_state_fini(&dec);
	return 0;
}
