/*
 * Escaping of untrusted text (see escape.h for the mapping). The UTF-8 decoder
 * is strict: it accepts exactly the well-formed sequences of Unicode's table 3-7
 * and reports anything else one byte at a time, so every input byte is either
 * passed inside a valid character or shown as \xNN.
 */
#include "util/escape.h"

#include <errno.h>
#include <stdint.h>
#include <wchar.h>

static const char hex[] = "0123456789abcdef";

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), storing its code
 * point in *cp; 0 when the bytes there are not a well-formed sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		*cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		*cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		*cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* Valid code points that must still not be shown as themselves. */
static int
cp_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c || cp == 0x180e ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
	       cp == 0xfffe || cp == 0xffff || (cp >= 0xe0000 && cp <= 0xe007f);
}

/*
 * Walks s: for each unit (a passed character or an escaped byte) reports its
 * byte length, whether it is escaped, and its display width.
 */
static size_t
next_unit(const unsigned char *s, size_t n, unsigned flags, int *escaped, size_t *width)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	if (len == 1) {
		*escaped = cp < 0x20 || cp == 0x7f;
		*width = *escaped ? 4 : cp == '\\' ? 2 : 1;
		return 1;
	}
	if (len == 0 || (flags & ESC_ASCII) || cp_hidden(cp)) {
		*escaped = 1;
		*width = 4;
		return 1; /* escape one byte; the next ones are examined on their own */
	}
	*escaped = 0;
	int w = wcwidth((wchar_t)cp);
	*width = w < 0 ? 1 : (size_t)w;
	return len;
}

size_t
esc_append_fit(struct buf *out, const char *str, size_t n, unsigned flags, size_t max_cols,
	       size_t *used)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, cols = 0;

	buf_reserve(out, n);
	while (i < n) {
		/* A run of printable ASCII other than '\\' (most of any name) passes as is. */
		size_t run = 0, room = max_cols - cols;
		while (run < room && i + run < n && s[i + run] >= 0x20 && s[i + run] < 0x7f &&
		       s[i + run] != '\\')
			run++;
		if (run) {
			buf_put(out, s + i, run);
			cols += run;
			i += run;
			continue;
		}
		int escaped;
		size_t width;
		size_t len = next_unit(s + i, n - i, flags, &escaped, &width);

		if (cols + width > max_cols)
			break;
		if (escaped) {
			char e[4] = { '\\', 'x', hex[s[i] >> 4], hex[s[i] & 15] };
			buf_put(out, e, 4);
		} else if (s[i] == '\\') {
			buf_put(out, "\\\\", 2);
		} else {
			buf_put(out, s + i, len);
		}
		cols += width;
		i += len;
	}
	if (used)
		*used = i;
	return cols;
}

size_t
esc_append(struct buf *out, const char *s, size_t n, unsigned flags)
{
	return esc_append_fit(out, s, n, flags, SIZE_MAX, NULL);
}

size_t
esc_width(const char *str, size_t n, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, cols = 0;

	while (i < n) {
		int escaped;
		size_t width;

		i += next_unit(s + i, n - i, flags, &escaped, &width);
		cols += width;
	}
	return cols;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
esc_unescape(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			buf_putc(out, s[i]);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\\') {
			buf_putc(out, '\\');
			i++;
			continue;
		}
		if (i + 3 >= n || s[i + 1] != 'x')
			return -EINVAL;
		int h = hexval(s[i + 2]), l = hexval(s[i + 3]);
		if (h < 0 || l < 0)
			return -EINVAL;
		buf_putc(out, (char)(h << 4 | l));
		i += 3;
	}
	return 0;
}
