/*
 * smaptop --replay FILE with -1, --csv or --json: which recorded samples to
 * print. --at TIME: the sample at or before TIME; --from/--to: every sample
 * in between (either bound may be left out); neither: every sample for CSV
 * and JSON, the last one for -1.
 */
#ifndef SMAPTOP_RUN_REPLAY_H
#define SMAPTOP_RUN_REPLAY_H

#include <stddef.h>

#include "app/cli.h"
#include "model/source.h"

/* The samples to print, [*first, *last] as indices. -ENODATA when none are in range. */
int replay_range(const struct source *src, const struct opts *o, size_t *first, size_t *last);

#endif
