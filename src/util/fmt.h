/* Number formatting shared by the table output and the TUI. */
#ifndef SMAPTOP_FMT_H
#define SMAPTOP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * Appends a size given in KiB in binary units, at most 6 characters:
 * "0", "512K", "12.3M", "1023M", "1.21G", "64.0T". Exact below 1000 KiB.
 */
void fmt_kib(struct buf *b, uint64_t kib);

/* Same for a signed rate ("-1.2M"). */
void fmt_kib_signed(struct buf *b, int64_t kib);

/*
 * The local time of ms (milliseconds since the epoch) into out, as
 * "2026-12-07 09:30:05", or "09:30:05" without the date; "-" when it cannot
 * be converted. FMT_TIME_LEN is room for the longer form.
 */
enum { FMT_TIME_LEN = 32 };
void fmt_local_time(char out[FMT_TIME_LEN], int64_t ms, bool date);

/*
 * The local time of ms as seen at now_ms: "20:31:05" on the same day, else
 * the date and the minute, "2026-12-05 20:31" ("12-05 20:31" when short).
 */
void fmt_local_when(char out[FMT_TIME_LEN], int64_t ms, int64_t now_ms, bool short_date);

/* Appends s, left- or right-aligned in width columns (s is plain ASCII). */
void fmt_pad(struct buf *b, const char *s, size_t len, int width, int right);

#endif
