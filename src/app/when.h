/*
 * Times on the command line (--at, --from, --to), in local time:
 *   2026-12-06T14:00, 2026-12-06T14:00:05 (a space may replace the T),
 *   2026-12-06 (midnight), 14:00 or 14:00:05 (today), and relative to now:
 *   -90s, -15m, -2h, -3d, -1w, or several of them (-1d12h).
 * Pure apart from the time zone, which comes from the C library (TZ).
 */
#ifndef SMAPTOP_WHEN_H
#define SMAPTOP_WHEN_H

#include <stdint.h>

/* Parses s into milliseconds since the epoch. now_ms: the current time. 0 or -EINVAL. */
int when_parse(const char *s, int64_t now_ms, int64_t *out_ms);

#endif
