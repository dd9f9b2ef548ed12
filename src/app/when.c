/* Times on the command line (see when.h). */
#include "app/when.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits at *p into *v. */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -EINVAL;
		*v = *v * 10 + (c - '0');
	}
	*p += n;
	return 0;
}

static int
relative(const char *s, int64_t now_ms, int64_t *out)
{
	int64_t total = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		int64_t n = 0, unit;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		while (*s >= '0' && *s <= '9') {
			n = n * 10 + (*s++ - '0');
			if (n > 100000000)
				return -EINVAL;
		}
		switch (*s++) {
		case 's': unit = 1000; break;
		case 'm': unit = 60 * 1000; break;
		case 'h': unit = 3600 * 1000; break;
		case 'd': unit = 86400 * 1000; break;
		case 'w': unit = 7 * 86400 * 1000LL; break;
		default: return -EINVAL;
		}
		total += n * unit;
		if (total > 100LL * 365 * 86400 * 1000)
			return -EINVAL;
	}
	*out = now_ms - total;
	return 0;
}

/* HH:MM[:SS] at *p, to the end of the string. */
static int
clock_time(const char *p, struct tm *tm)
{
	int h, m, sec = 0;

	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m))
		return -EINVAL;
	if (*p == ':' && (p++, digits(&p, 2, &sec)))
		return -EINVAL;
	if (*p || h > 23 || m > 59 || sec > 60)
		return -EINVAL;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return 0;
}

int
when_parse(const char *s, int64_t now_ms, int64_t *out_ms)
{
	time_t now = (time_t)(now_ms / 1000);
	struct tm tm;
	int y, mo, d;

	if (s[0] == '-')
		return relative(s + 1, now_ms, out_ms);
	localtime_r(&now, &tm);
	tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
	if (strlen(s) >= 10 && s[4] == '-') {
		const char *p = s;
		if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
		    digits(&p, 2, &d) || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -EINVAL;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		if (*p && ((*p != 'T' && *p != ' ') || clock_time(p + 1, &tm)))
			return -EINVAL;
	} else if (clock_time(s, &tm)) {
		return -EINVAL;
	}
	tm.tm_isdst = -1;
	int want_mday = tm.tm_mday;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != want_mday)
		return -EINVAL; /* 2026-02-31 */
	*out_ms = (int64_t)t * 1000;
	return 0;
}
