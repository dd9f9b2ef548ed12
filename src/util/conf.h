/*
 * Rewriting a `key=value` settings file while keeping what its user wrote.
 * Pure: text in, text out, no I/O.
 */
#ifndef SMAPTOP_UTIL_CONF_H
#define SMAPTOP_UTIL_CONF_H

#include <stddef.h>

#include "util/buf.h"

/* Keys conf_merge() handles at most; those past it are ignored. */
#define CONF_KEYS_MAX 64

/*
 * The key a line sets, as the reader of such files takes it: after leading
 * blanks, the bytes before the first '=' (exactly: no trimming). Returns its
 * index in keys[0..nkeys), or -1 for a comment ('#'), a blank line, a line
 * without '=' or a key not in keys.
 */
int conf_line_key(const char *line, size_t len, const char *const *keys, int nkeys);

/*
 * Appends to out the file old[0..len) (NULL or empty: none) with every line
 * that sets one of keys[i] replaced by "keys[i]=values[i]" (every such line,
 * as the reader applies the last one) and every other line (comments, blank
 * lines, other keys, lines without '=', bytes of any value, NULs included)
 * copied as it is, in place; then "keys[i]=values[i]" for each key no line
 * set, in order. Each output line ends with '\n' (a last line without one gets
 * it); nothing else is added or removed.
 */
void conf_merge(const char *old, size_t len, const char *const *keys, const char *const *values,
		int nkeys, struct buf *out);

#endif
