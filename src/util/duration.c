/* Durations and rates for people (see duration.h). */
#include "util/duration.h"

void
fmt_duration(struct buf *b, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		buf_printf(b, "%ds", (int)s);
	else if (s < 3600)
		buf_printf(b, "%dm%02ds", (int)(s / 60), (int)(s % 60));
	else if (s < 86400)
		buf_printf(b, "%dh%02dm", (int)(s / 3600), (int)(s % 3600 / 60));
	else if (s < 100 * 86400)
		buf_printf(b, "%dd%02dh", (int)(s / 86400), (int)(s % 86400 / 3600));
	else
		buf_printf(b, "%dd", (int)(s / 86400 > 99999 ? 99999 : s / 86400));
}

void
fmt_duration_words(struct buf *b, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60) {
		buf_printf(b, "%d s", (int)s);
	} else if (s < 3600) {
		buf_printf(b, "%d min", (int)((s + 30) / 60));
	} else if (s < 86400) {
		int64_t m = (s + 30) / 60;
		buf_printf(b, "%d h", (int)(m / 60));
		if (m % 60)
			buf_printf(b, " %d min", (int)(m % 60));
	} else {
		int64_t h = (s + 1800) / 3600;
		buf_printf(b, "%d d", (int)(h / 24));
		if (h % 24)
			buf_printf(b, " %d h", (int)(h % 24));
	}
}

void
fmt_rate_kib(struct buf *b, double v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v >= 100)
		buf_printf(b, "%.0f %s/s", v, units[u]);
	else
		buf_printf(b, "%.1f %s/s", v, units[u]);
}
