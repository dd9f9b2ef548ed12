/*
 * Unit tests for util/escape.c: a table of every byte class (ASCII, C0, DEL,
 * C1 as UTF-8, invalid and truncated sequences, overlong forms, surrogates,
 * the 4-byte limit, invisible and bidi controls, backslash, wide characters),
 * then properties over random byte strings: esc_unescape reverses esc_append,
 * the output holds no control byte, and esc_append_fit never splits an escape
 * or a character, respects the width and stops only when nothing more fits.
 *
 * Widths need a UTF-8 LC_CTYPE: the group setup selects C.UTF-8.
 */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/escape.h"

static int
setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static const struct {
	const char *in;
	size_t len;    /* 0: strlen(in) */
	unsigned flags;
	const char *out;
	size_t width;
} cases[] = {
	{ "", 0, 0, "", 0 },
	{ "plain text", 0, 0, "plain text", 10 },
	{ "a\\b", 0, 0, "a\\\\b", 4 },                          /* backslash doubled */
	{ "\\x41", 0, 0, "\\\\x41", 5 },                        /* looks like an escape */
	{ "\x01\x1f", 0, 0, "\\x01\\x1f", 8 },                   /* C0 */
	{ "tab\there", 0, 0, "tab\\x09here", 11 },
	{ "nl\n", 0, 0, "nl\\x0a", 6 },
	{ "\x1b[31mred", 0, 0, "\\x1b[31mred", 11 },             /* ESC never reaches a tty */
	{ "\x7f", 0, 0, "\\x7f", 4 },                           /* DEL */
	{ "a\0b", 3, 0, "a\\x00b", 6 },                          /* NUL inside the length */
	{ "\xc2\x80", 0, 0, "\\xc2\\x80", 8 },                   /* U+0080, C1 */
	{ "\xc2\x85", 0, 0, "\\xc2\\x85", 8 },                   /* NEL */
	{ "\xc2\x9b", 0, 0, "\\xc2\\x9b", 8 },                   /* CSI */
	{ "\xc2\x9f", 0, 0, "\\xc2\\x9f", 8 },                   /* last C1 */
	{ "\xc2\xa0", 0, 0, "\xc2\xa0", 1 },                     /* NBSP passes */
	{ "caf\xc3\xa9", 0, 0, "caf\xc3\xa9", 4 },               /* é */
	{ "caf\xc3\xa9", 0, ESC_ASCII, "caf\\xc3\\xa9", 11 },
	{ "\x80", 0, 0, "\\x80", 4 },                           /* lone continuation */
	{ "\xff\xfe", 0, 0, "\\xff\\xfe", 8 },                   /* never valid */
	{ "\xc3", 0, 0, "\\xc3", 4 },                           /* truncated 2-byte */
	{ "\xe4\xb8", 0, 0, "\\xe4\\xb8", 8 },                   /* truncated 3-byte */
	{ "\xc3(", 0, 0, "\\xc3(", 5 },                         /* bad continuation */
	{ "\xc0\xaf", 0, 0, "\\xc0\\xaf", 8 },                   /* overlong '/' */
	{ "\xc1\xbf", 0, 0, "\\xc1\\xbf", 8 },
	{ "\xe0\x80\xaf", 0, 0, "\\xe0\\x80\\xaf", 12 },         /* overlong 3-byte */
	{ "\xf0\x80\x80\xaf", 0, 0, "\\xf0\\x80\\x80\\xaf", 16 }, /* overlong 4-byte */
	{ "\xed\xa0\x80", 0, 0, "\\xed\\xa0\\x80", 12 },         /* U+D800 surrogate */
	{ "\xed\xbf\xbf", 0, 0, "\\xed\\xbf\\xbf", 12 },         /* U+DFFF */
	{ "\xed\x9f\xbf", 0, 0, "\xed\x9f\xbf", 1 },             /* U+D7FF is fine */
	{ "\xf4\x8f\xbf\xbf", 0, 0, "\xf4\x8f\xbf\xbf", 1 },     /* U+10FFFF: valid, width 1 */
	{ "\xf4\x90\x80\x80", 0, 0, "\\xf4\\x90\\x80\\x80", 16 }, /* past U+10FFFF */
	{ "\xf5\x80\x80\x80", 0, 0, "\\xf5\\x80\\x80\\x80", 16 },
	{ "\xf0\x9f\x98\x80", 0, 0, "\xf0\x9f\x98\x80", 2 },     /* emoji, wide */
	{ "\xe2\x80\xae", 0, 0, "\\xe2\\x80\\xae", 12 },         /* U+202E RLO */
	{ "\xe2\x80\x8b", 0, 0, "\\xe2\\x80\\x8b", 12 },         /* U+200B ZWSP */
	{ "\xe2\x81\xa6", 0, 0, "\\xe2\\x81\\xa6", 12 },         /* U+2066 LRI */
	{ "\xef\xbb\xbf", 0, 0, "\\xef\\xbb\\xbf", 12 },         /* U+FEFF BOM */
	{ "\xef\xbf\xbf", 0, 0, "\\xef\\xbf\\xbf", 12 },         /* U+FFFF */
	{ "\xe4\xb8\xad\xe6\x96\x87", 0, 0, "\xe4\xb8\xad\xe6\x96\x87", 4 }, /* 中文 */
	{ "\xe4\xb8\xad", 0, ESC_ASCII, "\\xe4\\xb8\\xad", 12 },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		size_t w = esc_append(&b, cases[i].in, len, cases[i].flags);

		if (b.len != strlen(cases[i].out) || memcmp(b.data, cases[i].out, b.len) != 0)
			fail_msg("case %zu: got \"%.*s\", want \"%s\"", i, (int)b.len,
				 b.data ? b.data : "", cases[i].out);
		if (w != cases[i].width)
			fail_msg("case %zu: width %zu, want %zu", i, w, cases[i].width);
		assert_int_equal(esc_width(cases[i].in, len, cases[i].flags), w);

		struct buf u = BUF_INIT;
		assert_int_equal(esc_unescape(&u, b.data ? b.data : "", b.len), 0);
		assert_int_equal(u.len, len);
		assert_memory_equal(u.data ? u.data : "", cases[i].in, len);
		buf_fini(&b);
		buf_fini(&u);
	}
}

static void
test_unescape_malformed(void **state)
{
	static const char *const bad[] = { "\\", "a\\", "\\x", "\\x4", "\\xg0", "\\x0G", "\\q",
					   "\\X41", "\\x-1" };
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_clear(&b);
		if (esc_unescape(&b, bad[i], strlen(bad[i])) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
	}
	buf_clear(&b);
	assert_int_equal(esc_unescape(&b, "\\x41\\\\\\x00", 10), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "A\\\0", 3);
	buf_fini(&b);
}

/* ---- random strings ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

/* Fills s with n bytes mixing ASCII, controls, stray bytes and valid characters. */
static size_t
random_string(char *s, size_t cap)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\\", "\x01", "\x1b", "\x7f", "\n", "\xc3\xa9", "\xe4\xb8\xad",
		"\xf0\x9f\x98\x80", "\xe2\x80\xae", "\xc2\x85", "\xcc\x81" /* combining, width 0 */,
	};
	size_t n = 0, want = rnd() % 40;

	while (n < want && n + 4 <= cap) {
		if (rnd() % 3 == 0) {
			s[n++] = (char)(rnd() & 0xff);
		} else {
			const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
			size_t l = strlen(p);

			memcpy(s + n, p, l);
			n += l;
		}
	}
	return n;
}

static void
test_roundtrip_random(void **state)
{
	char s[64];

	(void)state;
	for (int iter = 0; iter < 5000; iter++) {
		size_t n = random_string(s, sizeof s);
		unsigned flags = iter % 4 == 0 ? ESC_ASCII : 0;
		struct buf e = BUF_INIT, u = BUF_INIT;

		esc_append(&e, s, n, flags);
		for (size_t i = 0; i < e.len; i++) {
			unsigned char c = (unsigned char)e.data[i];

			assert_true(c >= 0x20 && c != 0x7f);
			if (flags & ESC_ASCII)
				assert_true(c < 0x80);
		}
		assert_int_equal(esc_unescape(&u, e.data ? e.data : "", e.len), 0);
		assert_int_equal(u.len, n);
		assert_memory_equal(u.data ? u.data : "", s, n);
		buf_fini(&e);
		buf_fini(&u);
	}
}

/*
 * For every width budget: the output is exactly the escaped form of the bytes
 * consumed (so no escape or character was split), fits the budget, and nothing
 * more from where it stopped would fit.
 */
static void
test_fit_random(void **state)
{
	char s[64];

	(void)state;
	for (int iter = 0; iter < 2000; iter++) {
		size_t n = random_string(s, sizeof s);
		size_t full = esc_width(s, n, 0), prev_used = 0;

		for (size_t max = 0; max <= full + 1; max++) {
			struct buf out = BUF_INIT, ref = BUF_INIT, rest = BUF_INIT;
			size_t used, used2;
			size_t w = esc_append_fit(&out, s, n, 0, max, &used);

			assert_true(w <= max);
			assert_true(used <= n);
			assert_true(used >= prev_used);
			prev_used = used;
			assert_int_equal(esc_append(&ref, s, used, 0), w);
			assert_int_equal(out.len, ref.len);
			assert_memory_equal(out.data ? out.data : "", ref.data ? ref.data : "", out.len);
			if (used < n) {
				esc_append_fit(&rest, s + used, n - used, 0, max - w, &used2);
				assert_int_equal(used2, 0);
			} else {
				assert_true(max >= full);
			}
			buf_fini(&out);
			buf_fini(&ref);
			buf_fini(&rest);
		}
	}
}

static void
test_fit_cases(void **state)
{
	struct buf b = BUF_INIT;
	size_t used;

	(void)state;
	/* an escape (width 4) does not fit in 3 columns left */
	assert_int_equal(esc_append_fit(&b, "ab\x01z", 4, 0, 5, &used), 2);
	assert_int_equal(used, 2);
	assert_string_equal(b.data, "ab");
	/* a wide character is not cut in half */
	buf_clear(&b);
	assert_int_equal(esc_append_fit(&b, "\xe4\xb8\xad\xe6\x96\x87", 6, 0, 3, &used), 2);
	assert_int_equal(used, 3);
	assert_string_equal(b.data, "\xe4\xb8\xad");
	/* "\\" is two columns, kept whole */
	buf_clear(&b);
	assert_int_equal(esc_append_fit(&b, "a\\", 2, 0, 2, &used), 1);
	assert_int_equal(used, 1);
	/* appends after what is there */
	buf_clear(&b);
	buf_puts(&b, "> ");
	assert_int_equal(esc_append_fit(&b, "xyz", 3, 0, 100, NULL), 3);
	assert_string_equal(b.data, "> xyz");
	/* budget 0 */
	buf_clear(&b);
	assert_int_equal(esc_append_fit(&b, "xyz", 3, 0, 0, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(b.len, 0);
	buf_fini(&b);
}

static void
test_wide_width(void **state)
{
	(void)state;
	assert_int_equal(esc_width("\xe4\xb8\xad", 3, 0), 2);           /* U+4E2D */
	assert_int_equal(esc_width("\xef\xbc\xa1", 3, 0), 2);           /* fullwidth A */
	assert_int_equal(esc_width("a\xcc\x81", 3, 0), 1);              /* a + combining acute */
	assert_int_equal(esc_width("\xe4\xb8\xad", 3, ESC_ASCII), 12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_unescape_malformed),
		cmocka_unit_test(test_roundtrip_random),
		cmocka_unit_test(test_fit_random),
		cmocka_unit_test(test_fit_cases),
		cmocka_unit_test(test_wide_width),
	};

	return cmocka_run_group_tests_name("escape", tests, setup_locale, NULL);
}
