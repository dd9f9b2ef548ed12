/*
 * conf_merge (src/util/conf.c): rewriting a settings file in place.
 * Invariants, on any bytes as the old file:
 *   - every line that sets none of the keys is copied byte for byte, in place;
 *   - every line that sets a key becomes exactly "key=value";
 *   - then one "key=value" line per key no line set, in key order; nothing else;
 *   - merging the result again changes nothing (saving twice is saving once).
 * The keys include "" (a line "=x" sets it) and one with a blank inside.
 */
#include "fuzz_common.h"
#include "util/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = { "sort", "tree", "", "a b" };
static const char *const values[] = { "pss", "1", "empty", "x=y" };
#define NKEYS 4

/* The next line of p[*at..n) (without '\n') in *line, *len; false at the end. */
static int
next_line(const char *p, size_t n, size_t *at, const char **line, size_t *len)
{
	if (*at >= n)
		return 0;
	const char *nl = memchr(p + *at, '\n', n - *at);
	size_t end = nl ? (size_t)(nl - p) : n;
	*line = p + *at;
	*len = end - *at;
	*at = nl ? end + 1 : n;
	return 1;
}

static int
is_setting(const char *line, size_t len, int k)
{
	size_t kl = strlen(keys[k]), vl = strlen(values[k]);

	return len == kl + 1 + vl && !memcmp(line, keys[k], kl) && line[kl] == '=' &&
	       !memcmp(line + kl + 1, values[k], vl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *old = fz_dup(data, size);
	struct buf out = BUF_INIT, again = BUF_INIT;
	int seen[NKEYS] = { 0 };

	conf_merge(old, size, keys, values, NKEYS, &out);
	FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');

	size_t ai = 0, bi = 0, al, bl;
	const char *a, *b;
	while (next_line(old, size, &ai, &a, &al)) {
		FUZZ_CHECK(next_line(out.data, out.len, &bi, &b, &bl));
		int k = conf_line_key(a, al, keys, NKEYS);
		if (k >= 0) {
			FUZZ_CHECK(is_setting(b, bl, k));
			seen[k] = 1;
		} else {
			FUZZ_CHECK(al == bl && !memcmp(a, b, al));
		}
	}
	for (int k = 0; k < NKEYS; k++) {
		if (seen[k])
			continue;
		FUZZ_CHECK(next_line(out.data, out.len, &bi, &b, &bl));
		FUZZ_CHECK(is_setting(b, bl, k));
	}
	FUZZ_CHECK(bi == out.len);

	conf_merge(out.data, out.len, keys, values, NKEYS, &again);
	FUZZ_CHECK(again.len == out.len && !memcmp(again.data, out.data, out.len));
	buf_fini(&again);
	buf_fini(&out);
	free(old);
	return 0;
}
