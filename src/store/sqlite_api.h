/*
 * libsqlite3, loaded with dlopen() when the first database is opened
 * (db_open), not linked: the modes that keep no history (the view, a
 * snapshot, the exporter) then never map it, which is 0.6 MiB of resident
 * memory and part of every start.
 *
 * Every SQLite function the store calls is a member of sqlite_api, and the
 * object-like macros below turn each call of the documented name into a call
 * through it, so the store's code reads as plain SQLite. sqlite3.h is
 * included first: its prototypes give the members their types. Until a
 * database is open no SQLite function may be called, sqlite3_close(NULL)
 * included. Not for use
 * outside src/store; only db.h includes it.
 */
#ifndef SMAPTOP_STORE_SQLITE_API_H
#define SMAPTOP_STORE_SQLITE_API_H

#include <sqlite3.h>

#include "util/buf.h"

struct sqlite_api {
	__typeof__(sqlite3_bind_blob) *bind_blob;
	__typeof__(sqlite3_bind_int) *bind_int;
	__typeof__(sqlite3_bind_int64) *bind_int64;
	__typeof__(sqlite3_bind_null) *bind_null;
	__typeof__(sqlite3_bind_text) *bind_text;
	__typeof__(sqlite3_busy_timeout) *busy_timeout;
	__typeof__(sqlite3_clear_bindings) *clear_bindings;
	__typeof__(sqlite3_close) *close;
	__typeof__(sqlite3_column_blob) *column_blob;
	__typeof__(sqlite3_column_bytes) *column_bytes;
	__typeof__(sqlite3_column_int) *column_int;
	__typeof__(sqlite3_column_int64) *column_int64;
	__typeof__(sqlite3_column_text) *column_text;
	__typeof__(sqlite3_column_type) *column_type;
	__typeof__(sqlite3_errmsg) *errmsg;
	__typeof__(sqlite3_errstr) *errstr;
	__typeof__(sqlite3_exec) *exec;
	__typeof__(sqlite3_extended_result_codes) *extended_result_codes;
	__typeof__(sqlite3_finalize) *finalize;
	__typeof__(sqlite3_free) *free;
	__typeof__(sqlite3_last_insert_rowid) *last_insert_rowid;
	__typeof__(sqlite3_open_v2) *open_v2;
	__typeof__(sqlite3_prepare_v2) *prepare_v2;
	__typeof__(sqlite3_prepare_v3) *prepare_v3;
	__typeof__(sqlite3_reset) *reset;
	__typeof__(sqlite3_step) *step;
};
extern struct sqlite_api sqlite_api;

/*
 * Loads the library once; later calls return at once. 0, or -ENOENT with a
 * line in err (the library, or one of its functions, is missing).
 */
int sqlite_api_load(struct buf *err);

#define sqlite3_bind_blob (*sqlite_api.bind_blob)
#define sqlite3_bind_int (*sqlite_api.bind_int)
#define sqlite3_bind_int64 (*sqlite_api.bind_int64)
#define sqlite3_bind_null (*sqlite_api.bind_null)
#define sqlite3_bind_text (*sqlite_api.bind_text)
#define sqlite3_busy_timeout (*sqlite_api.busy_timeout)
#define sqlite3_clear_bindings (*sqlite_api.clear_bindings)
#define sqlite3_close (*sqlite_api.close)
#define sqlite3_column_blob (*sqlite_api.column_blob)
#define sqlite3_column_bytes (*sqlite_api.column_bytes)
#define sqlite3_column_int (*sqlite_api.column_int)
#define sqlite3_column_int64 (*sqlite_api.column_int64)
#define sqlite3_column_text (*sqlite_api.column_text)
#define sqlite3_column_type (*sqlite_api.column_type)
#define sqlite3_errmsg (*sqlite_api.errmsg)
#define sqlite3_errstr (*sqlite_api.errstr)
#define sqlite3_exec (*sqlite_api.exec)
#define sqlite3_extended_result_codes (*sqlite_api.extended_result_codes)
#define sqlite3_finalize (*sqlite_api.finalize)
#define sqlite3_free (*sqlite_api.free)
#define sqlite3_last_insert_rowid (*sqlite_api.last_insert_rowid)
#define sqlite3_open_v2 (*sqlite_api.open_v2)
#define sqlite3_prepare_v2 (*sqlite_api.prepare_v2)
#define sqlite3_prepare_v3 (*sqlite_api.prepare_v3)
#define sqlite3_reset (*sqlite_api.reset)
#define sqlite3_step (*sqlite_api.step)

#endif
