/*
 * The escaping function (util/escape.h), in the C.UTF-8 locale so wcwidth()
 * knows wide and zero-width characters.
 *
 * Input: byte 0 = mode (bit 0: ESC_ASCII; bit 1: no width limit), bytes 1-2 =
 * max_cols (reduced to a range where the limit bites), the rest = the text.
 * Invariants, checked with a decoder written here from the spec (not the one
 * in escape.c):
 *   - the output is valid UTF-8 (shortest form, no surrogates, <= U+10FFFF),
 *     holds no byte < 0x20 nor 0x7f, none of the hidden code points of
 *     escape.h, and with ESC_ASCII no byte >= 0x80;
 *   - esc_unescape(esc_append(x)) == x exactly;
 *   - nothing shown is escaped and nothing else is not: the output length is
 *     what the spec gives (valid shown char: its bytes, '\' 2, other byte 4);
 *   - esc_width() == esc_append()'s return == the spec's width;
 *   - esc_append_fit: width <= max_cols; its output is exactly esc_append() of
 *     the `used` bytes it reports (so no escape or character is split) and its
 *     width that of those bytes; when it stopped early, the next unit alone
 *     does not fit in the columns left;
 *   - appending keeps what the buffer held; data[len] is NUL once non-empty;
 *   - esc_unescape on arbitrary text never reads past n and never grows the
 *     text.
 */
#include <errno.h>
#include <locale.h>
#include <wchar.h>

#include "util/escape.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		fprintf(stderr, "fuzz_escape: no C.UTF-8 locale, widths fall back to 1\n");
	return 0;
}

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes left) and its code
 * point, or 0. Decodes generically, then rejects overlong forms, surrogates and
 * values past U+10FFFF.
 */
static size_t
dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static int
hidden(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c ||
	       cp == 0x180e ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
	       cp == 0xfffe || cp == 0xffff || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* What the spec says esc_append produces: output bytes and display width. */
static void
spec(const unsigned char *s, size_t n, unsigned flags, size_t *bytes, size_t *cols)
{
	*bytes = *cols = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = dec(s + i, n - i, &cp);

		if (len == 0 || hidden(cp) || ((flags & ESC_ASCII) && cp >= 0x80)) {
			*bytes += 4, *cols += 4, i++;
		} else if (cp == '\\') {
			*bytes += 2, *cols += 2, i++;
		} else {
			int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
			*bytes += len, *cols += w < 0 ? 1 : (size_t)w, i += len;
		}
	}
}

static void
check_output(const unsigned char *o, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = dec(o + i, n - i, &cp);

		FUZZ_CHECK(len > 0);
		FUZZ_CHECK(!hidden(cp));
		if (flags & ESC_ASCII)
			FUZZ_CHECK(cp < 0x80);
		i += len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	unsigned flags = data[0] & 1 ? ESC_ASCII : 0;
	size_t n = size - 3;
	char *s = fz_dup(data + 3, n);
	const unsigned char *us = (const unsigned char *)s;
	size_t max_cols = ((size_t)data[1] | (size_t)data[2] << 8) % (4 * n + 8);
	if (data[0] & 2)
		max_cols = SIZE_MAX;

	/* whole string */
	struct buf full = BUF_INIT, back = BUF_INIT;
	size_t w = esc_append(&full, s, n, flags);
	size_t sb, sc;
	spec(us, n, flags, &sb, &sc);
	FUZZ_CHECK(w == esc_width(s, n, flags));
	FUZZ_CHECK(w == sc);
	FUZZ_CHECK(full.len == sb);
	if (full.len)  /* buf.h: NUL-terminated once anything was put in */
		FUZZ_CHECK(full.data[full.len] == '\0');
	for (size_t i = 0; i < full.len; i++)
		FUZZ_CHECK((unsigned char)full.data[i] >= 0x20 && full.data[i] != 0x7f);
	check_output((const unsigned char *)full.data, full.len, flags);

	char *esc = fz_dup(full.data, full.len);
	FUZZ_CHECK(esc_unescape(&back, esc, full.len) == 0);
	FUZZ_CHECK(back.len == n && (n == 0 || memcmp(back.data, s, n) == 0));
	free(esc);

	/* width-limited, appended after existing content */
	struct buf fit = BUF_INIT, pre = BUF_INIT;
	size_t used = (size_t)-1;
	buf_put(&fit, "ab", 2);
	size_t fw = esc_append_fit(&fit, s, n, flags, max_cols, &used);
	FUZZ_CHECK(fw <= max_cols);
	FUZZ_CHECK(used <= n);
	FUZZ_CHECK(memcmp(fit.data, "ab", 2) == 0 && fit.data[fit.len] == '\0');
	size_t pw = esc_append(&pre, s, used, flags);
	FUZZ_CHECK(pw == fw);
	FUZZ_CHECK(esc_width(s, used, flags) == fw);
	FUZZ_CHECK(fit.len - 2 == pre.len && (pre.len == 0 || memcmp(fit.data + 2, pre.data, pre.len) == 0));
	FUZZ_CHECK(used == n || max_cols != SIZE_MAX);
	if (used == n) {
		FUZZ_CHECK(fw == w);
	} else {
		/* the unit at `used` does not fit in what is left */
		struct buf rest = BUF_INIT;
		size_t u2 = (size_t)-1;
		size_t rw = esc_append_fit(&rest, s + used, n - used, flags, max_cols - fw, &u2);
		FUZZ_CHECK(u2 == 0 && rw == 0 && rest.len == 0);
		/* and the width splits there: widths add up */
		FUZZ_CHECK(fw + esc_width(s + used, n - used, flags) == w);
		buf_fini(&rest);
	}
	buf_fini(&fit);
	buf_fini(&pre);
	buf_fini(&full);

	/* esc_unescape on the raw text */
	buf_clear(&back);
	back.len = 0;
	int rc = esc_unescape(&back, s, n);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(back.len <= n);
	buf_fini(&back);

	free(s);
	return 0;
}
