/*
 * Merging new values into a `key=value` settings file (see conf.h). One pass
 * over the old text, O(len x nkeys); lines are never reordered.
 */
#include "util/conf.h"

#include <stdbool.h>
#include <string.h>

int
conf_line_key(const char *line, size_t len, const char *const *keys, int nkeys)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] == '#')
		return -1;
	const char *eq = memchr(line + i, '=', len - i);
	if (!eq)
		return -1;
	size_t klen = (size_t)(eq - (line + i));
	for (int k = 0; k < nkeys; k++)
		if (strlen(keys[k]) == klen && !memcmp(keys[k], line + i, klen))
			return k;
	return -1;
}

void
conf_merge(const char *old, size_t len, const char *const *keys, const char *const *values,
	   int nkeys, struct buf *out)
{
	bool seen[CONF_KEYS_MAX] = { false };

	if (nkeys > CONF_KEYS_MAX)
		nkeys = CONF_KEYS_MAX;
	for (size_t at = 0; old && at < len;) {
		const char *nl = memchr(old + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - old) : len;
		int k = conf_line_key(old + at, end - at, keys, nkeys);
		if (k >= 0) {
			buf_printf(out, "%s=%s", keys[k], values[k]);
			seen[k] = true;
		} else {
			buf_put(out, old + at, end - at);
		}
		buf_putc(out, '\n');
		at = nl ? end + 1 : len;
	}
	for (int k = 0; k < nkeys; k++)
		if (!seen[k])
			buf_printf(out, "%s=%s\n", keys[k], values[k]);
}
