/*
 * The history store: an SQLite database of samples (see smaptop(1), HISTORY
 * DATABASE, for the schema). The only layer that includes sqlite3.h. It is
 * fed by the model (a refreshed struct table) and, for replay, hands samples
 * back through the source interface (store/replay.h); nothing above it learns
 * SQL.
 *
 * Layout: a row per sample (system values inline); a keyframe every
 * STORE_KEYFRAME_MS (and at a recorder's first sample) in which every recorded
 * process gets a plain proc_value row of absolute values; between keyframes,
 * one proc_change row per sample holding, in a compact blob (store/delta.h),
 * the processes that changed since the previous sample; and one row per
 * process lifetime in `life` (last_sample NULL while it runs). The processes
 * alive at sample S with their values are then: the keyframe at or before S,
 * the change blobs after it up to S applied in order, kept when their life
 * covers S. That is exact (an unchanged value is the last one written) and
 * bounded (never more than one keyframe interval of blobs is read).
 *
 * Every function returns 0 or a negative errno and never prints; a message
 * for the user is left in the store's error buffer (store_error()).
 */
#ifndef SMAPTOP_STORE_H
#define SMAPTOP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/select.h"
#include "model/table.h"
#include "util/buf.h"

/* 'SmTp' in PRAGMA application_id; the schema version in PRAGMA user_version. */
#define STORE_APP_ID 0x536d5470
#define STORE_VERSION 2
/* Every process is written in full at least this often (and at a recorder's first sample). */
#define STORE_KEYFRAME_MS (3600 * 1000)

struct store;

struct store_wopts {
	uint32_t retain_days;   /* prune samples older than this (0: keep everything) */
	const char *boot_id;    /* this boot's /proc/sys/kernel/random/boot_id, or NULL */
};

/*
 * Opens (creating when missing) a history file for recording. Refuses, with
 * the file left byte for byte as it was: a file that is not SQLite or not a
 * smaptop history (-EINVAL), a newer schema (-EPROTO), a file or directory
 * this process may not write (-EACCES, -EROFS), a file another recorder holds
 * (-EBUSY). The message is in err (owned by the caller).
 */
int store_open_write(struct store **out, const char *path, const struct store_wopts *o,
		     struct buf *err);

/*
 * Appends the table's latest refresh as one sample, in one transaction:
 * committed whole or not at all. Only the processes of rows (sorted by pid,
 * borrowed from t) are recorded; system values come from t->sys. -ENOSPC:
 * disk full (the sample is rolled back); other failures -EIO. err gets a
 * message. The boot id given at open is this sample's.
 */
int store_append(struct store *st, const struct table *t, const struct rows *rows,
		 struct buf *err);

/* Closes; NULL is a no-op. */
void store_close(struct store *st);

#endif
