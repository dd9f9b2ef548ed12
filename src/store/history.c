/*
 * Per-process series from a recording (see history.h). Two indexed look-ups
 * and one range: the process row by (boot, pid, start_ticks), its rows in
 * proc_value by (process, sample) -- the last one at or before the window,
 * then those inside it -- and the end of its last life.
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

static void
push(struct series *s, int64_t t, sqlite3_stmt *q, int col)
{
	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap ? s->cap * 2 : 64, sizeof *s->v);
	struct series_point *p = &s->v[s->n++];
	p->t_ms = t;
	p->known = sqlite3_column_type(q, col) == SQLITE_INTEGER;
	p->value = p->known ? sqlite3_column_int64(q, col) : 0;
}

int
history_series(struct history *h, const char *boot_id, pid_t pid, uint64_t start_ticks,
	       enum field f, int64_t from_ms, int64_t to_ms, struct series *out)
{
	int c = column_of(f);
	char sql[1024];
	sqlite3_stmt *q;
	int rc;

	out->n = 0;
	out->until_ms = 0;
	if (c < 0)
		return -EINVAL;
	/* ?1 boot id, ?2 pid, ?3 start ticks, ?4 from, ?5 to */
	snprintf(sql, sizeof sql,
		 "WITH p AS (SELECT process.id FROM process JOIN boot ON boot.id = process.boot"
		 "   WHERE boot.boot_id = ?1 AND process.pid = ?2 AND process.start_ticks = ?3),"
		 " s0 AS (SELECT max(id) AS id FROM sample WHERE time_unix_ms <= ?4)"
		 " SELECT * FROM (SELECT s.time_unix_ms, v.%s FROM proc_value v JOIN sample s"
		 "   ON s.id = v.sample WHERE v.process = (SELECT id FROM p)"
		 "   AND v.sample <= (SELECT id FROM s0) ORDER BY v.sample DESC LIMIT 1)"
		 " UNION ALL SELECT * FROM (SELECT s.time_unix_ms, v.%s FROM proc_value v JOIN sample s"
		 "   ON s.id = v.sample WHERE v.process = (SELECT id FROM p)"
		 "   AND v.sample > coalesce((SELECT id FROM s0), 0) AND s.time_unix_ms <= ?5"
		 "   ORDER BY v.sample)",
		 pv_col[c], pv_col[c]);
	if (sqlite3_prepare_v2(h->db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
	sqlite3_bind_text(q, 1, boot_id ? boot_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, pid);
	sqlite3_bind_int64(q, 3, (int64_t)start_ticks);
	sqlite3_bind_int64(q, 4, from_ms);
	sqlite3_bind_int64(q, 5, to_ms);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		push(out, sqlite3_column_int64(q, 0), q, 1);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE && out->n) {
		rc = sqlite3_prepare_v2(h->db,
			"SELECT max(s.time_unix_ms) FROM life l JOIN sample s ON s.id ="
			" coalesce(l.last_sample, (SELECT max(id) FROM sample)) WHERE l.process ="
			" (SELECT process.id FROM process JOIN boot ON boot.id = process.boot"
			"  WHERE boot.boot_id = ?1 AND process.pid = ?2 AND process.start_ticks = ?3)",
			-1, &q, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(q, 1, boot_id ? boot_id : "", -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 2, pid);
			sqlite3_bind_int64(q, 3, (int64_t)start_ticks);
			if ((rc = sqlite3_step(q)) == SQLITE_ROW)
				out->until_ms = sqlite3_column_int64(q, 0);
			sqlite3_finalize(q);
			rc = rc == SQLITE_ROW ? SQLITE_DONE : rc;
		}
	}
	sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
