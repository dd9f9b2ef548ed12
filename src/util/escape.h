/*
 * The one escaping function for every sink: TUI cells, titles, status lines, the
 * table, CSV and JSON. Text read from /proc is controlled by whoever named the
 * process, so nothing of it reaches a terminal or a file raw.
 *
 * Mapping (locale-independent, reversible with esc_unescape):
 *   - printable UTF-8 passes unchanged;
 *   - '\' becomes "\\";
 *   - every other byte becomes "\xNN" (two lower-case hex digits): C0 controls,
 *     DEL, the bytes of C1 controls (U+0080..U+009F), of invisible format and
 *     direction controls (U+00AD, U+061C, U+180E, U+200B..U+200F,
 *     U+2028..U+202E, U+2060..U+206F, U+FEFF, U+FFF9..U+FFFB, tags
 *     U+E0000..U+E007F), of noncharacters U+FFFE/U+FFFF, and any byte that is not part of a
 *     valid, shortest-form, non-surrogate UTF-8 sequence.
 * With ESC_ASCII every non-ASCII byte is escaped as well (for terminals whose
 * locale is not UTF-8).
 */
#ifndef SMAPTOP_ESCAPE_H
#define SMAPTOP_ESCAPE_H

#include <stddef.h>

#include "util/buf.h"

enum { ESC_ASCII = 1 };

/*
 * Appends the escaped form of s[0..n) to out, stopping before the display width
 * would exceed max_cols (an escape or a wide character is never split). Returns
 * the display width appended, measured after escaping with wcwidth() (falling
 * back to 1 for a printable character the C library does not know). *used, if
 * not NULL, receives how many input bytes were consumed.
 */
size_t esc_append_fit(struct buf *out, const char *s, size_t n, unsigned flags, size_t max_cols,
		      size_t *used);

/* esc_append_fit without a width limit. */
size_t esc_append(struct buf *out, const char *s, size_t n, unsigned flags);

/* Display width s[0..n) would have once escaped. */
size_t esc_width(const char *s, size_t n, unsigned flags);

/* Reverses the mapping. Returns 0, or -EINVAL on a malformed escape. */
int esc_unescape(struct buf *out, const char *s, size_t n);

#endif
