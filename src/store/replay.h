/*
 * Replay: a recorded history as a struct source (model/source.h), so the
 * table, the views and the outputs take a recording exactly as they take the
 * live /proc. The source has a cursor on one recorded sample; scan() and
 * system() return that sample's processes and system values (a value
 * recorded as unavailable stays unavailable), status(), details() and
 * rollup() keep what scan() filled, and maps() and numa() return -EOPNOTSUPP
 * (per-mapping and per-process NUMA data are not recorded).
 *
 * The file is opened read-only and never written; a recorder may append to
 * it meanwhile, and replay_reload() then sees every sample committed since.
 */
#ifndef SMAPTOP_STORE_REPLAY_H
#define SMAPTOP_STORE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "model/source.h"
#include "util/buf.h"

/*
 * Opens path for replay with the cursor on the last sample. -ENOENT, -EACCES,
 * -EINVAL (not a smaptop history), -EPROTO (newer schema), -ENODATA (no
 * sample yet); err gets one line.
 */
int replay_new(struct source **out, const char *path, struct buf *err);

/* Re-reads the list of samples (a recorder may have committed more). */
int replay_reload(struct source *src);

/* Number of samples; time of sample i in ms since the epoch. */
size_t replay_count(const struct source *src);
int64_t replay_time_ms(const struct source *src, size_t i);

/* Index of the last sample at or before t_ms, or -1 when every sample is later. */
long replay_find(const struct source *src, int64_t t_ms);

/* Moves the cursor to sample i (clamped to the recording). */
void replay_seek(struct source *src, size_t i);
size_t replay_cursor(const struct source *src);

#endif
