/*
 * Per-process series from a recording (see history.h). The process row by
 * (boot, pid, start_ticks); the keyframe at or before the window (the last
 * sample at or before from_ms, or the first sample); then, in sample order,
 * the process's keyframe rows (proc_value, by its (process, sample) index)
 * and its records in the change blobs after that keyframe up to to_ms, each
 * blob scanned for the one process; and the end of its last life. A point is
 * a keyframe row or a change of the field; those at or before from_ms fold
 * into the first point.
 */
#include "store/history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/xalloc.h"

struct history {
	sqlite3 *db;
};

int
history_open(struct history **out, const char *path, struct buf *err)
{
	struct history *h = xcalloc(1, sizeof *h);
	int rc = db_open(&h->db, path, false, err);

	*out = NULL;
	if (rc < 0) {
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

void
history_close(struct history *h)
{
	if (!h)
		return;
	if (h->db) /* without one SQLite may not be loaded (sqlite_api.h) */
		sqlite3_close(h->db);
	free(h);
}

void
series_fini(struct series *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int
column_of(enum field f)
{
	for (int i = 0; i < PV_NUM; i++)
		if (pv_field[i] == f)
			return i;
	return -1;
}

/* The value in effect: a point at t, or the first point when t is not after from. */
static void
push(struct series *s, int64_t t, int64_t from, bool known, int64_t v)
{
	if (s->n == 1 && s->v[0].t_ms <= from && t <= from)
		s->n = 0;
	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap ? s->cap * 2 : 64, sizeof *s->v);
	s->v[s->n++] = (struct series_point){ .t_ms = t, .value = known ? v : 0, .known = known };
}

static int64_t
one(sqlite3 *db, const char *sql, const int64_t *arg, int nargs, int *rc)
{
	sqlite3_stmt *q;
	int64_t v = 0;

	*rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	for (int i = 0; i < nargs; i++)
		sqlite3_bind_int64(q, i + 1, arg[i]);
	*rc = sqlite3_step(q);
	if (*rc == SQLITE_ROW) {
		v = sqlite3_column_int64(q, 0);
		*rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	return v;
}

/* The process id, 0 when unknown. */
static int64_t
find_process(sqlite3 *db, const char *boot_id, pid_t pid, uint64_t start_ticks, int *rc)
{
	sqlite3_stmt *q;
	int64_t id = 0;

	*rc = sqlite3_prepare_v2(db, "SELECT process.id FROM process JOIN boot ON boot.id ="
				     " process.boot WHERE boot.boot_id = ? AND process.pid = ?"
				     " AND process.start_ticks = ?", -1, &q, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	sqlite3_bind_text(q, 1, boot_id ? boot_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, pid);
	sqlite3_bind_int64(q, 3, (int64_t)start_ticks);
	*rc = sqlite3_step(q);
	if (*rc == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		*rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	return id;
}

/*
 * Walks samples k0 .. the last at or before to_ms: a keyframe row of the
 * process sets the value, a change record of it updates it; each is a point.
 */
static int
walk(sqlite3 *db, int64_t proc, int c, int64_t k0, int64_t from, int64_t to,
     struct series *out)
{
	sqlite3_stmt *q;
	char sql[768];
	struct delta_proc d = { .process = proc };
	int rc, bad = 0;

	/* a keyframe row, or a change blob; a blob of the keyframe's sample cannot exist */
	snprintf(sql, sizeof sql,
		 "SELECT s.id, s.time_unix_ms, 0, v.%s, NULL FROM proc_value v JOIN sample s"
		 "  ON s.id = v.sample WHERE v.process = ?1 AND v.sample >= ?2 AND s.time_unix_ms <= ?3"
		 " UNION ALL SELECT s.id, s.time_unix_ms, 1, NULL, c.data FROM proc_change c"
		 "  JOIN sample s ON s.id = c.sample WHERE c.sample > ?2 AND s.time_unix_ms <= ?3"
		 " ORDER BY 1, 3", pv_col[c]);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(q, 1, proc);
	sqlite3_bind_int64(q, 2, k0);
	sqlite3_bind_int64(q, 3, to);
	while (!bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(q, 1);
		uint32_t bit = UINT32_C(1) << c;
		if (!sqlite3_column_int(q, 2)) {
			bool known = sqlite3_column_type(q, 3) == SQLITE_INTEGER;
			d.val[c] = known ? sqlite3_column_int64(q, 3) : 0;
			d.known = known ? bit : 0;
			push(out, t, from, known, d.val[c]);
			continue;
		}
		struct delta_reader r;
		struct delta_rec rec;
		int got;
		delta_reader_init(&r, sqlite3_column_blob(q, 4), (size_t)sqlite3_column_bytes(q, 4));
		while ((got = delta_next(&r, &rec)) > 0 && rec.process < proc)
			;
		if (got < 0 || sqlite3_column_type(q, 4) != SQLITE_BLOB) {
			bad = 1;
		} else if (got > 0 && rec.process == proc && (rec.new || (rec.mask & bit))) {
			delta_rec_apply(&rec, &d);
			push(out, t, from, d.known & bit, d.val[c]);
		}
	}
	sqlite3_finalize(q);
	if (bad)
		return -EBADMSG;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int
history_series(struct history *h, const char *boot_id, pid_t pid, uint64_t start_ticks,
	       enum field f, int64_t from_ms, int64_t to_ms, struct series *out)
{
	int c = column_of(f);
	int rc = SQLITE_DONE, ret = 0;

	out->n = 0;
	out->until_ms = 0;
	if (c < 0)
		return -EINVAL;
	/* One read transaction: every query sees the same snapshot. */
	sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
	int64_t proc = find_process(h->db, boot_id, pid, start_ticks, &rc);
	int64_t k0 = 0;
	if (proc && rc == SQLITE_DONE) {
		int64_t arg[1] = { from_ms };
		k0 = one(h->db, "SELECT coalesce((SELECT max(id) FROM sample WHERE keyframe AND id <="
				" (SELECT max(id) FROM sample WHERE time_unix_ms <= ?1)),"
				" (SELECT min(id) FROM sample), 0)", arg, 1, &rc);
	}
	if (proc && k0 && rc == SQLITE_DONE)
		ret = walk(h->db, proc, c, k0, from_ms, to_ms, out);
	if (out->n && ret == 0 && rc == SQLITE_DONE) {
		int64_t arg[1] = { proc };
		out->until_ms = one(h->db, "SELECT max(s.time_unix_ms) FROM life l JOIN sample s ON"
				    " s.id = coalesce(l.last_sample, (SELECT max(id) FROM sample))"
				    " WHERE l.process = ?1", arg, 1, &rc);
	}
	sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (ret < 0)
		return ret == -EBADMSG ? ret : -EIO;
	return rc == SQLITE_DONE ? 0 : -EIO;
}
