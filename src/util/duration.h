/*
 * Durations and rates for people: the time-to-OOM forecast in the table, the
 * CSV-free views and the TUI. Pure formatting, no locale.
 */
#ifndef SMAPTOP_DURATION_H
#define SMAPTOP_DURATION_H

#include <stdint.h>

#include "util/buf.h"

/* Compact, at most 6 characters: "45s", "12m05s", "3h10m", "2d04h" (negative: "0s"). */
void fmt_duration(struct buf *b, int64_t secs);

/* In words: "45 s", "12 min", "3 h 10 min", "2 d 4 h" (minutes rounded past an hour). */
void fmt_duration_words(struct buf *b, int64_t secs);

/* A rate of KiB per second in binary units: "512 KiB/s", "2.1 MiB/s", "1.3 GiB/s". */
void fmt_rate_kib(struct buf *b, double kib_per_s);

#endif
