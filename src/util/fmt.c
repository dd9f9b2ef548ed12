/* Number formatting (see fmt.h). */
#include "util/fmt.h"

#include <stdio.h>
#include <time.h>

void
fmt_kib(struct buf *b, uint64_t kib)
{
	static const char units[] = "KMGTPE";
	double v = (double)kib;
	int u = 0;

	if (kib < 1000) {
		if (kib)
			buf_printf(b, "%uK", (unsigned)kib);
		else
			buf_putc(b, '0');
		return;
	}
	while (v >= 1000 && u < 5) {
		v /= 1024;
		u++;
	}
	if (v < 9.995)
		buf_printf(b, "%.2f%c", v, units[u]);
	else if (v < 99.95)
		buf_printf(b, "%.1f%c", v, units[u]);
	else
		buf_printf(b, "%.0f%c", v, units[u]);
}

void
fmt_kib_signed(struct buf *b, int64_t kib)
{
	if (kib < 0) {
		buf_putc(b, '-');
		fmt_kib(b, (uint64_t)-(kib + 1) + 1);
	} else {
		fmt_kib(b, (uint64_t)kib);
	}
}

void
fmt_pad(struct buf *b, const char *s, size_t len, int width, int right)
{
	size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;

	if (right)
		buf_fill(b, ' ', pad);
	buf_put(b, s, len);
	if (!right)
		buf_fill(b, ' ', pad);
}

void
fmt_local_time(char out[FMT_TIME_LEN], int64_t ms, bool date)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(out, FMT_TIME_LEN, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm))
		snprintf(out, FMT_TIME_LEN, "-");
}

void
fmt_local_when(char out[FMT_TIME_LEN], int64_t ms, int64_t now_ms, bool short_date)
{
	time_t t = (time_t)(ms / 1000), now = (time_t)(now_ms / 1000);
	struct tm tm, tn;

	if (!localtime_r(&t, &tm) || !localtime_r(&now, &tn)) {
		snprintf(out, FMT_TIME_LEN, "-");
		return;
	}
	strftime(out, FMT_TIME_LEN,
		 tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday ? "%H:%M:%S"
		 : short_date ? "%m-%d %H:%M" : "%Y-%m-%d %H:%M", &tm);
}
