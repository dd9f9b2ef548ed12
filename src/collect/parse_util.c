/*
 * The exported number parser of collect/parse.h. The parsers themselves use
 * the inline helpers of parse_util.h on their hot paths; parse_u64 is the same
 * digit loop behind the documented contract, for callers outside the parsers.
 *
 * Invariants: never reads at or past `end`; never wraps; locale-independent.
 */
#include "collect/parse.h"

#include <errno.h>

#include "collect/parse_util.h"

/*
 * On -EINVAL *p is left where it was. On -ERANGE *p is moved past all the
 * digits, so the caller can skip the field and carry on.
 */
int
parse_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = pu_skip_blanks(*p, end);
	const char *after;
	int rc = pu_digits(s, end, out, &after);

	if (rc == -EINVAL)
		return rc;
	*p = after;
	return rc;
}

int
parse_i64(const char **p, const char *end, int64_t *out)
{
	const char *s = pu_skip_blanks(*p, end), *after;
	bool neg = s < end && *s == '-';
	uint64_t v;
	int rc = pu_digits(s + neg, end, &v, &after);

	if (rc == -EINVAL)
		return rc;
	*p = after;
	if (rc == 0 && v > (uint64_t)INT64_MAX + neg)
		rc = -ERANGE;
	if (rc == 0)
		*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return rc;
}
