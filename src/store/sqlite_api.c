/* Loading libsqlite3 (see sqlite_api.h). */
#include "store/sqlite_api.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "util/dlbind.h"

struct sqlite_api sqlite_api;

int
sqlite_api_load(struct buf *err)
{
	/* each name beside its member: the order of either list does not matter */
	static const struct dl_sym fns[] = {
		{ "sqlite3_bind_blob", offsetof(struct sqlite_api, bind_blob) },
		{ "sqlite3_bind_int", offsetof(struct sqlite_api, bind_int) },
		{ "sqlite3_bind_int64", offsetof(struct sqlite_api, bind_int64) },
		{ "sqlite3_bind_null", offsetof(struct sqlite_api, bind_null) },
		{ "sqlite3_bind_text", offsetof(struct sqlite_api, bind_text) },
		{ "sqlite3_busy_timeout", offsetof(struct sqlite_api, busy_timeout) },
		{ "sqlite3_clear_bindings", offsetof(struct sqlite_api, clear_bindings) },
		{ "sqlite3_close", offsetof(struct sqlite_api, close) },
		{ "sqlite3_column_blob", offsetof(struct sqlite_api, column_blob) },
		{ "sqlite3_column_bytes", offsetof(struct sqlite_api, column_bytes) },
		{ "sqlite3_column_int", offsetof(struct sqlite_api, column_int) },
		{ "sqlite3_column_int64", offsetof(struct sqlite_api, column_int64) },
		{ "sqlite3_column_text", offsetof(struct sqlite_api, column_text) },
		{ "sqlite3_column_type", offsetof(struct sqlite_api, column_type) },
		{ "sqlite3_errmsg", offsetof(struct sqlite_api, errmsg) },
		{ "sqlite3_errstr", offsetof(struct sqlite_api, errstr) },
		{ "sqlite3_exec", offsetof(struct sqlite_api, exec) },
		{ "sqlite3_extended_result_codes", offsetof(struct sqlite_api, extended_result_codes) },
		{ "sqlite3_finalize", offsetof(struct sqlite_api, finalize) },
		{ "sqlite3_free", offsetof(struct sqlite_api, free) },
		{ "sqlite3_last_insert_rowid", offsetof(struct sqlite_api, last_insert_rowid) },
		{ "sqlite3_open_v2", offsetof(struct sqlite_api, open_v2) },
		{ "sqlite3_prepare_v2", offsetof(struct sqlite_api, prepare_v2) },
		{ "sqlite3_prepare_v3", offsetof(struct sqlite_api, prepare_v3) },
		{ "sqlite3_reset", offsetof(struct sqlite_api, reset) },
		{ "sqlite3_step", offsetof(struct sqlite_api, step) },
	};
	static void *lib;
	struct sqlite_api api;

	_Static_assert(sizeof fns / sizeof fns[0] == sizeof api / sizeof(void (*)(void)),
		       "every member has its name");
	if (lib)
		return 0;
	const char *missing;
	void *l = dl_bind("libsqlite3.so.0", fns, sizeof fns / sizeof fns[0], &api, &missing);
	if (!l && !missing) {
		buf_printf(err, "cannot load SQLite (libsqlite3.so.0): %s", dlerror());
		return -ENOENT;
	}
	if (!l) {
		buf_printf(err, "libsqlite3.so.0 has no %s: too old a SQLite", missing);
		return -ENOENT;
	}
	sqlite_api = api;
	lib = l;
	return 0;
}
