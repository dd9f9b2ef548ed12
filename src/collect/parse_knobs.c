/*
 * Parsers of the knob files (see parse_knobs.h). Never read at or past `end`;
 * numbers never wrap.
 */
#include "collect/parse_knobs.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "collect/parse_util.h"

/* [p, end) without surrounding blanks and one final newline. */
static void
trim(const char **p, const char **end)
{
	if (*end > *p && (*end)[-1] == '\n')
		(*end)--;
	*p = pu_skip_blanks(*p, *end);
	while (*end > *p && pu_isblank((*end)[-1]))
		(*end)--;
}

int
parse_knob_int(const char *buf, size_t len, int64_t *out)
{
	const char *p = buf, *end = buf + len, *after;
	uint64_t v;

	if (!len)
		return -ENODATA;
	trim(&p, &end);
	bool neg = p < end && *p == '-';
	int rc = pu_digits(p + neg, end, &v, &after);
	if (rc == -ERANGE || (rc == 0 && v > (uint64_t)INT64_MAX))
		return -ERANGE;
	if (rc || after != end)
		return -EINVAL;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int
parse_knob_bool(const char *buf, size_t len, int64_t *out)
{
	const char *p = buf, *end = buf + len;

	if (!len)
		return -ENODATA;
	trim(&p, &end);
	if (end - p != 1)
		return -EINVAL;
	if (*p == 'Y' || *p == 'y' || *p == '1')
		*out = 1;
	else if (*p == 'N' || *p == 'n' || *p == '0')
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

int
parse_knob_choice(const char *buf, size_t len, char *out, size_t size)
{
	const char *p = buf, *end = buf + len;

	if (!len)
		return -ENODATA;
	trim(&p, &end);
	const char *open = memchr(p, '[', (size_t)(end - p));
	if (!open)
		return -EINVAL;
	const char *close = memchr(open, ']', (size_t)(end - open));
	if (!close || close == open + 1 || (size_t)(close - open - 1) >= size ||
	    memchr(close, '[', (size_t)(end - close)) || memchr(p, ']', (size_t)(open - p)))
		return -EINVAL;
	for (const char *c = open + 1; c < close; c++)
		if (!((*c >= 'a' && *c <= 'z') || *c == '+' || *c == '_' || *c == '-'))
			return -EINVAL;
	memcpy(out, open + 1, (size_t)(close - open - 1));
	out[close - open - 1] = '\0';
	return 0;
}

/* The line of [buf, buf+len) that starts with key followed by sep; value after it. */
static int
key_value(const char *buf, size_t len, const char *key, char sep, uint64_t *out,
	  const char **after)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	size_t kl = strlen(key);

	if (!len)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		if ((size_t)(le - ls) <= kl || memcmp(ls, key, kl) != 0 || ls[kl] != sep)
			continue;
		const char *p = pu_skip_blanks(ls + kl + 1, le);
		int rc = pu_digits(p, le, out, after);
		if (rc)
			return rc;
		if (*after != le && !pu_isblank(**after))
			return -EINVAL;
		*after = pu_skip_blanks(*after, le);
		return 0;
	}
	return -ENOENT;
}

int
parse_vmstat_key(const char *buf, size_t len, const char *key, uint64_t *out)
{
	const char *after;
	uint64_t v;
	int rc = key_value(buf, len, key, ' ', &v, &after);

	if (rc == 0)
		*out = v;
	return rc;
}

int
parse_meminfo_key(const char *buf, size_t len, const char *key, uint64_t *out_kib)
{
	const char *after;
	uint64_t v;
	int rc = key_value(buf, len, key, ':', &v, &after);

	if (rc)
		return rc;
	if (!pu_kib_ok(v))
		return -ERANGE;
	*out_kib = v;
	return 0;
}
