/* Loading libsqlite3 (see sqlite_api.h). */
#include "store/sqlite_api.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

struct sqlite_api sqlite_api;

int
sqlite_api_load(struct buf *err)
{
	static const char *const names[] = {
		"sqlite3_bind_blob", "sqlite3_bind_int", "sqlite3_bind_int64", "sqlite3_bind_null",
		"sqlite3_bind_text", "sqlite3_busy_timeout", "sqlite3_clear_bindings",
		"sqlite3_close", "sqlite3_column_blob", "sqlite3_column_bytes", "sqlite3_column_int",
		"sqlite3_column_int64", "sqlite3_column_text", "sqlite3_column_type",
		"sqlite3_errmsg", "sqlite3_errstr", "sqlite3_exec", "sqlite3_extended_result_codes",
		"sqlite3_finalize", "sqlite3_free", "sqlite3_last_insert_rowid", "sqlite3_open_v2",
		"sqlite3_prepare_v2", "sqlite3_prepare_v3", "sqlite3_reset", "sqlite3_step",
	};
	static void *lib;
	void *fn[sizeof names / sizeof names[0]];

	_Static_assert(sizeof fn == sizeof sqlite_api, "one name per member, in order");
	if (lib)
		return 0;
	/* RTLD_NOW: every symbol bound at once, none looked up later */
	void *l = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!l) {
		buf_printf(err, "cannot load SQLite (libsqlite3.so.0): %s", dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(fn[i] = dlsym(l, names[i]))) {
			buf_printf(err, "libsqlite3.so.0 has no %s: too old a SQLite", names[i]);
			dlclose(l);
			return -ENOENT;
		}
	}
	memcpy(&sqlite_api, fn, sizeof sqlite_api);
	lib = l;
	return 0;
}
