/*
 * The change-record codec (src/store/delta.c): what it writes for a known
 * case, that decoding what it wrote gives back exactly the values (extremes,
 * unavailable values, new lives) over long random runs, that a typical change
 * is small, and that every corrupt blob is refused rather than decoded into
 * made-up values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/delta.h"

#define ALL ((UINT32_C(1) << DELTA_NVAL) - 1)

static int
apply(struct delta_state *s, const struct buf *b)
{
	return delta_apply(s, b->data, b->len);
}

static void
test_known_bytes(void **state)
{
	struct buf b = BUF_INIT;
	struct delta_proc a = { .process = 5, .known = 1u << 1 | 1u << 5 }, c;
	int64_t last = 0;

	(void)state;
	a.val[1] = 100; /* rss_kib: slot 0 */
	a.val[5] = 50;  /* pss_kib: slot 1, predicted by rss_kib */
	delta_put(&b, &last, NULL, &a); /* new: id 5, slots 0 and 1, absolute 100 and 50 */
	c = a;
	c.process = 7;
	c.val[1] = 99;
	c.val[5] = 49;          /* moved as RSS did: written as 0 */
	c.known |= 1u << 3;     /* rss_file_kib (slot 7) became known: absolute */
	c.val[3] = -2;
	delta_put(&b, &last, &a, &c);
	static const uint8_t want[] = {
		5, 3 << 2 | 2, 0xc8, 0x01, 0x64,
		2, 0x80 | ((131 << 2 | 1) & 0x7f), (131 << 2 | 1) >> 7, 0, 0x80, 0x01, 1, 0, 3,
	};
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	assert_int_equal(last, 7);
	/* unchanged: nothing at all */
	delta_put(&b, &last, &c, &c);
	assert_int_equal(b.len, sizeof want);
	buf_fini(&b);
}

static int64_t
rnd_val(unsigned *seed)
{
	switch (rand_r(seed) % 6) {
	case 0: return INT64_MAX - rand_r(seed) % 3;
	case 1: return INT64_MIN + rand_r(seed) % 3;
	case 2: return -(int64_t)(rand_r(seed) % 1000);
	default: return rand_r(seed) % 100000;
	}
}

/* Random states of a population, encoded sample by sample, decoded by a second state. */
static void
test_round_trip_random(void **state)
{
	enum { NP = 200, STEPS = 400 };
	struct delta_proc truth[NP], prev[NP];
	bool alive[NP] = { 0 }, was[NP];
	struct delta_state dec = { 0 };
	struct buf b = BUF_INIT;
	unsigned seed = 11;

	(void)state;
	memset(truth, 0, sizeof truth);
	for (int s = 0; s < STEPS; s++) {
		memcpy(prev, truth, sizeof prev);
		memcpy(was, alive, sizeof was);
		for (int i = 0; i < NP; i++) {
			int r = rand_r(&seed) % 100;
			if (!alive[i] && r < 5) {            /* a new life, maybe of an old id */
				alive[i] = true;
				was[i] = false;
				truth[i].process = 1 + i * 3;
				truth[i].known = (uint32_t)rand_r(&seed) & ALL;
				for (int k = 0; k < DELTA_NVAL; k++)
					truth[i].val[k] = (truth[i].known >> k & 1) ? rnd_val(&seed) : 0;
			} else if (alive[i] && r < 8) {      /* ends */
				alive[i] = false;
			} else if (alive[i] && r < 40) {     /* changes */
				int k = rand_r(&seed) % DELTA_NVAL;
				uint32_t bit = 1u << k;
				if (rand_r(&seed) % 8 == 0)
					truth[i].known ^= bit;
				truth[i].val[k] = (truth[i].known & bit) ? rnd_val(&seed) : 0;
			}
		}
		int64_t last = 0;
		buf_clear(&b);
		for (int i = 0; i < NP; i++)
			if (alive[i])
				delta_put(&b, &last, was[i] ? &prev[i] : NULL, &truth[i]);
		assert_int_equal(apply(&dec, &b), 0);
		for (int i = 0; i < NP; i++) {
			if (!alive[i])
				continue;
			struct delta_proc *d = delta_state_find(&dec, truth[i].process);
			assert_non_null(d);
			assert_int_equal(d->known, truth[i].known);
			assert_memory_equal(d->val, truth[i].val, sizeof d->val);
		}
	}
	buf_fini(&b);
	delta_state_fini(&dec);
}

/* 50 processes whose RSS, PSS, USS, their anon parts and minflt moved a few MiB: small. */
static void
test_compact(void **state)
{
	struct buf b = BUF_INIT;
	struct delta_state dec = { 0 };
	int64_t last = 0;

	(void)state;
	for (int i = 0; i < 50; i++) {
		struct delta_proc a = { .process = 1000 + 7 * i, .known = ALL }, c;
		for (int k = 0; k < DELTA_NVAL; k++)
			a.val[k] = 20000 + 1000 * k + i;
		c = a;
		static const int moved[] = { 1, 2, 5, 6, 9, 16 };
		for (size_t m = 0; m < sizeof moved / sizeof *moved; m++)
			c.val[moved[m]] += moved[m] == 16 ? 60 : (i % 2 ? -3000 : 2500);
		delta_state_put(&dec, &a);
		delta_put(&b, &last, &a, &c);
	}
	/* id 1-2 bytes, head 2, RSS's difference 2, the four that moved with it and faults 1 */
	if (b.len > 50 * 11)
		fail_msg("50 typical changes take %zu bytes", b.len);
	assert_int_equal(apply(&dec, &b), 0);
	assert_int_equal(dec.v[3].val[16], 20000 + 16000 + 3 + 60);
	buf_fini(&b);
	delta_state_fini(&dec);
}

/* A difference against a value the decoder does not know stays unknown. */
static void
test_unknown_base(void **state)
{
	struct buf b = BUF_INIT;
	struct delta_state dec = { 0 };
	struct delta_proc a = { .process = 3, .known = 1u << 1 | 1u << 2 }, c;
	int64_t last = 0;

	(void)state;
	a.val[1] = 500;
	a.val[2] = 10;
	c = a;
	c.val[1] = 700;
	c.val[2] = 11;
	delta_put(&b, &last, &a, &c);
	struct delta_proc edited = a;
	edited.known = 1u << 2; /* its val[1] was edited into text: read as unavailable */
	edited.val[1] = 0;
	delta_state_put(&dec, &edited);
	assert_int_equal(apply(&dec, &b), 0);
	assert_int_equal(dec.v[0].known, 1u << 2);
	assert_int_equal(dec.v[0].val[2], 11);
	buf_fini(&b);
	delta_state_fini(&dec);
}

static int
decode(const uint8_t *p, size_t n)
{
	struct delta_state dec = { 0 };
	int rc = delta_apply(&dec, p, n);
	delta_state_fini(&dec);
	return rc;
}

static void
test_corrupt(void **state)
{
	(void)state;
	static const uint8_t ok[] = { 5, 1 << 3 | 2, 0xc8, 0x01, 2, 1 << 3, 1 };
	assert_int_equal(decode(ok, sizeof ok), 0);
	assert_int_equal(decode(ok, 0), 0);
	/* cut inside a record: every length but the record boundaries */
	for (size_t n = 1; n < sizeof ok; n++)
		if (n != 4)
			assert_int_equal(decode(ok, n), -EINVAL);
	static const uint8_t same_id[] = { 5, 4, 1, 0, 4, 1 };           /* id delta 0 */
	assert_int_equal(decode(same_id, sizeof same_id), -EINVAL);
	static const uint8_t big_mask[] = { 1, 0x80, 0x80, 0x80, 0x01 }; /* bit 19 and up */
	assert_int_equal(decode(big_mask, sizeof big_mask), -EINVAL);
	static const uint8_t gone_out[] = { 1, 1 << 2 | 1, 2, 0 };       /* gone not in mask */
	assert_int_equal(decode(gone_out, sizeof gone_out), -EINVAL);
	static const uint8_t abs_gone[] = { 1, 1 << 2 | 1, 1, 1 };       /* both gone and abs */
	assert_int_equal(decode(abs_gone, sizeof abs_gone), -EINVAL);
	static const uint8_t new_extra[] = { 1, 1 << 2 | 3, 0, 0, 2 };   /* extra with new */
	assert_int_equal(decode(new_extra, sizeof new_extra), -EINVAL);
	uint8_t long_varint[12] = { 1, 4 };
	memset(long_varint + 2, 0xff, 9);
	long_varint[11] = 0x02; /* a 10th byte past 64 bits */
	assert_int_equal(decode(long_varint, sizeof long_varint), -EINVAL);
	long_varint[11] = 0x01; /* exactly 64 bits: fine */
	assert_int_equal(decode(long_varint, sizeof long_varint), 0);
	uint8_t id_wrap[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 1, 0 };
	assert_int_equal(decode(id_wrap, 10), 0);         /* id INT64_MAX, no values */
	assert_int_equal(decode(id_wrap, sizeof id_wrap), -EINVAL); /* past INT64_MAX */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_bytes),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_unknown_base),
		cmocka_unit_test(test_corrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
