/*
 * The schema and the checks made when a history file is opened (see db.h).
 * A file is looked at before anything is written to it: a foreign SQLite
 * file, a newer schema or a file another recorder holds is refused with the
 * file untouched (journal mode, schema and pragmas are set only after).
 */
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "util/xalloc.h"

const enum field pv_field[PV_NUM] = {
	F_VSZ, F_RSS, F_RSS_ANON, F_RSS_FILE, F_RSS_SHMEM, F_PSS, F_PSS_ANON, F_PSS_FILE,
	F_PSS_SHMEM, F_USS, F_SWAP, F_SWAP_PSS, F_LOCKED, F_THP, F_OOM_SCORE, F_OOM_ADJ,
	F_MINFLT, F_MAJFLT, F_THREADS,
};
const char *const pv_col[PV_NUM] = {
	"vsz_kib", "rss_kib", "rss_anon_kib", "rss_file_kib", "rss_shmem_kib", "pss_kib",
	"pss_anon_kib", "pss_file_kib", "pss_shmem_kib", "uss_kib", "swap_kib", "swap_pss_kib",
	"locked_kib", "thp_kib", "oom_score", "oom_score_adj", "minflt", "majflt", "threads",
};

const char *const mem_col[M_NUM] = {
	[M_TOTAL] = "mem_total_kib", [M_FREE] = "mem_free_kib",
	[M_AVAILABLE] = "mem_available_kib", [M_USED] = "mem_used_kib",
	[M_BUFFERS] = "buffers_kib", [M_CACHED] = "cached_kib", [M_SHMEM] = "shmem_kib",
	[M_SLAB] = "slab_kib", [M_SLAB_RECLAIM] = "slab_reclaimable_kib", [M_ANON] = "anon_kib",
	[M_MAPPED] = "mapped_kib", [M_PAGE_TABLES] = "page_tables_kib",
	[M_COMMITTED] = "committed_as_kib", [M_COMMIT_LIMIT] = "commit_limit_kib",
	[M_SWAP_TOTAL] = "swap_total_kib", [M_SWAP_FREE] = "swap_free_kib",
	[M_SWAP_USED] = "swap_used_kib", [M_SWAP_CACHED] = "swap_cached_kib",
	[M_DIRTY] = "dirty_kib", [M_HUGE_TOTAL] = "huge_total_pages",
	[M_HUGE_FREE] = "huge_free_pages", [M_HUGE_SIZE] = "huge_page_size_kib",
	[M_THP] = "thp_kib",
};

const char *const node_col[N_NUM] = {
	[N_TOTAL] = "total_kib", [N_FREE] = "free_kib", [N_USED] = "used_kib",
	[N_FILE] = "file_kib", [N_ANON] = "anon_kib", [N_SHMEM] = "shmem_kib",
	[N_SLAB] = "slab_kib", [N_HUGE_TOTAL] = "huge_total_pages",
	[N_HUGE_FREE] = "huge_free_pages",
};

int
db_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return -EACCES;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_NOTADB:
		return -EINVAL;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	default:
		return -EIO;
	}
}

int
db_exec(sqlite3 *db, const char *sql, struct buf *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		if (err)
			buf_printf(err, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return db_errno(rc) ? db_errno(rc) : -EIO;
	}
	return 0;
}

void
db_bind_opt(sqlite3_stmt *st, int i, bool known, int64_t v)
{
	if (known)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int64_t
pragma_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	*rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return v;
}

static void
create_sql(struct buf *b)
{
	buf_puts(b, "BEGIN IMMEDIATE;\n"
		    "CREATE TABLE boot(id INTEGER PRIMARY KEY, boot_id TEXT NOT NULL UNIQUE);\n"
		    "CREATE TABLE sample(id INTEGER PRIMARY KEY, time_unix_ms INTEGER NOT NULL,"
		    " boot INTEGER, keyframe INTEGER NOT NULL, interval_ms INTEGER");
	for (int f = 0; f < M_NUM; f++)
		buf_printf(b, ", %s INTEGER", mem_col[f]);
	buf_puts(b, ", psi_some_avg10 INTEGER, psi_some_avg60 INTEGER, psi_some_avg300 INTEGER,"
		    " psi_some_total_us INTEGER, psi_full_avg10 INTEGER, psi_full_avg60 INTEGER,"
		    " psi_full_avg300 INTEGER, psi_full_total_us INTEGER);\n"
		    "CREATE INDEX sample_time ON sample(time_unix_ms);\n"
		    "CREATE TABLE swap(sample INTEGER NOT NULL, path BLOB, type TEXT,"
		    " size_kib INTEGER, used_kib INTEGER, priority INTEGER);\n"
		    "CREATE INDEX swap_sample ON swap(sample);\n"
		    "CREATE TABLE node(sample INTEGER NOT NULL, node INTEGER NOT NULL");
	for (int f = 0; f < N_NUM; f++)
		buf_printf(b, ", %s INTEGER", node_col[f]);
	buf_puts(b, ");\n"
		    "CREATE INDEX node_sample ON node(sample);\n"
		    "CREATE TABLE process(id INTEGER PRIMARY KEY, boot INTEGER, pid INTEGER NOT NULL,"
		    " start_ticks INTEGER NOT NULL, start_unix_s INTEGER, ppid INTEGER, uid INTEGER,"
		    " user TEXT, comm TEXT, cmdline BLOB, UNIQUE(boot, pid, start_ticks));\n"
		    "CREATE TABLE life(process INTEGER NOT NULL, first_sample INTEGER NOT NULL,"
		    " last_sample INTEGER);\n"
		    "CREATE INDEX life_process ON life(process, first_sample);\n"
		    "CREATE TABLE proc_value(sample INTEGER NOT NULL, process INTEGER NOT NULL");
	for (int i = 0; i < PV_NUM; i++)
		buf_printf(b, ", %s INTEGER", pv_col[i]);
	buf_puts(b, ", PRIMARY KEY(sample, process)) WITHOUT ROWID;\n"
		    "CREATE INDEX proc_value_process ON proc_value(process, sample);\n"
		    "CREATE TABLE proc_change(sample INTEGER PRIMARY KEY, processes INTEGER NOT NULL,"
		    " data BLOB NOT NULL);\n");
	buf_printf(b, "PRAGMA application_id = %d;\nPRAGMA user_version = %d;\nCOMMIT;\n",
		   STORE_APP_ID, STORE_VERSION);
}

/* Is db a smaptop history we can use, or an empty file to make one of? */
static int
check_kind(sqlite3 *db, const char *path, bool *empty, struct buf *err)
{
	int rc;
	int64_t app = pragma_int(db, "PRAGMA application_id", &rc);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: not an SQLite database", path);
		return -EINVAL;
	}
	int64_t ver = pragma_int(db, "PRAGMA user_version", &rc);
	int64_t tables = pragma_int(db, "SELECT count(*) FROM sqlite_master", &rc);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: not an SQLite database", path);
		return -EINVAL;
	}
	*empty = app == 0 && tables == 0;
	if (*empty)
		return 0;
	if (app != STORE_APP_ID) {
		buf_printf(err, "%s: an SQLite database, but not a smaptop history", path);
		return -EINVAL;
	}
	if (ver > STORE_VERSION) {
		buf_printf(err, "%s: written by a newer smaptop (schema version %lld; this one "
				"knows up to %d)", path, (long long)ver, STORE_VERSION);
		return -EPROTO;
	}
	if (ver >= 1 && ver < STORE_VERSION) {
		buf_printf(err, "%s: written by an older smaptop (schema version %lld; this one "
				"reads %d only): record to a new file", path, (long long)ver,
			   STORE_VERSION);
		return -EPROTO;
	}
	if (ver < 1) {
		buf_printf(err, "%s: a smaptop history without a schema version", path);
		return -EINVAL;
	}
	return 0;
}

int
db_open(sqlite3 **out, const char *path, bool write, struct buf *err)
{
	sqlite3 *db = NULL;
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	bool empty = false;
	int rc;

	*out = NULL;
	if ((rc = sqlite_api_load(err)) < 0)
		return rc;
	rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return db_errno(rc) ? db_errno(rc) : -EIO;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 0);
	rc = check_kind(db, path, &empty, err);
	if (rc == 0 && empty && !write) {
		buf_printf(err, "%s: an empty file, not a smaptop history", path);
		rc = -EINVAL;
	}
	if (rc == 0 && write) {
		struct buf sql = BUF_INIT;
		/*
		 * A recorder appends: what it revisits is the few pages at the end
		 * of each table and index, so 512 KiB of page cache is plenty, and
		 * a long recording's RSS grows by no more than that as it fills.
		 */
		rc = db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				 " PRAGMA cache_size = -512;", err);
		if (rc == 0 && empty) {
			create_sql(&sql);
			rc = db_exec(db, sql.data, err);
		}
		buf_fini(&sql);
		if (rc < 0 && rc != -ENOSPC)
			rc = -EIO;
	}
	if (rc == 0 && !write)
		rc = db_exec(db, "PRAGMA cache_size = -2048;", err);
	if (rc < 0) {
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

int
db_lock(const char *path, int *fd, struct buf *err)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	bool exists = access(path, F_OK) == 0;
	int rc = 0;

	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
		rc = -errno;
		buf_printf(err, "%s: cannot write in directory %s: %s", path, dir, strerror(errno));
	} else if (exists && faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) != 0) {
		rc = -errno;
		buf_printf(err, "%s: %s", path, strerror(errno));
	}
	free(copy);
	if (rc < 0)
		return rc;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		rc = -errno;
		buf_printf(err, "%s: %s", path, strerror(errno));
		return rc;
	}
	struct stat sb;
	if (fstat(*fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		buf_printf(err, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		buf_printf(err, "%s: another smaptop is recording to this file", path);
		return rc;
	}
	return 0;
}
