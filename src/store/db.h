/*
 * Internals shared by the store's writer, reader and series query: the schema,
 * the column lists (which model field goes in which column) and opening a
 * file with its checks. Not for use outside src/store.
 */
#ifndef SMAPTOP_STORE_DB_H
#define SMAPTOP_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "model/proc.h"
#include "store/sqlite_api.h"
#include "store/delta.h"
#include "model/system.h"
#include "util/buf.h"

/* proc_value's value columns, in order, after (sample, process); the codec's fields. */
enum { PV_NUM = DELTA_NVAL };
extern const enum field pv_field[PV_NUM];
extern const char *const pv_col[PV_NUM];

/* sample's meminfo columns, indexed by enum mem_field. */
extern const char *const mem_col[M_NUM];

/* node's columns, indexed by enum node_field. */
extern const char *const node_col[N_NUM];

/*
 * Opens path. Writing: created when missing, schema made or checked, WAL.
 * Reading: never created, never written, checked. On failure *db is NULL,
 * err holds one line and the file is unchanged.
 */
int db_open(sqlite3 **db, const char *path, bool write, struct buf *err);

/*
 * Refuses, before SQLite opens path for writing, what can be told from the
 * file system: a directory or file this process may not write, a file that is
 * not regular, and a file another recorder holds (flock on *fd, which the
 * caller closes). err gets one line.
 */
int db_lock(const char *path, int *fd, struct buf *err);

/* Runs SQL without results; -EIO (message in err) on failure. */
int db_exec(sqlite3 *db, const char *sql, struct buf *err);

/* Maps an SQLite result code to a negative errno. */
int db_errno(int rc);

/* Binds v, or NULL when !known. */
void db_bind_opt(sqlite3_stmt *st, int i, bool known, int64_t v);

#endif
