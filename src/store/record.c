/*
 * Recording (see store.h). The recorder keeps, for every process it wrote in
 * the current session, the values it last wrote; at a keyframe every process
 * gets a proc_value row, otherwise a process is put in the sample's change
 * blob only when one of them changed (a value becoming unavailable is a
 * change) or at its first sample. A process that is gone
 * has its life closed at the previous sample. A recorder that starts on an
 * existing file first closes the lives an earlier recorder left open (it was
 * killed, or stopped) at that recorder's last sample, so a life never spans a
 * gap in which nothing was recorded.
 *
 * Each sample is one transaction (BEGIN IMMEDIATE ... COMMIT) in WAL mode: a
 * crash loses at most the sample being written. The in-memory state is
 * replaced only after COMMIT succeeded, so a failed sample leaves both the
 * file and the recorder as they were.
 *
 * Retention: at each keyframe, everything before the newest keyframe older
 * than the retention bound is deleted. The freed pages go to SQLite's free
 * list and are reused by later samples; the file is never vacuumed, so it
 * grows to what retention needs and stays that size.
 *
 * The lock against a second recorder is flock(2) on the file itself, taken
 * before SQLite writes anything; readers do not take it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store.h"
#include "util/xalloc.h"

struct rec {
	pid_t pid;
	uint64_t start_ticks;
	int64_t life;
	struct delta_proc d;   /* the process row's id and the values last written */
	char comm[PROC_COMM_MAX];
};

/* A process of the sample being written, for the change blob (by process id). */
struct change {
	const struct rec *prev, *cur;  /* prev NULL: a new life */
};

enum stmt {
	S_SAMPLE, S_VALUE, S_CHANGE, S_PROC_INS, S_PROC_SEL, S_PROC_NAME, S_LIFE_INS, S_LIFE_END,
	S_SWAP, S_NODE, S_BOOT_INS, S_BOOT_SEL, S_NUM
};

struct store {
	sqlite3 *db;
	int lock_fd;
	sqlite3_stmt *st[S_NUM];
	char *boot_id;
	int64_t boot;          /* boot row, 0: unknown */
	int64_t last_sample;   /* this session's previous sample, 0: none yet */
	int64_t key_ms;        /* time of this session's last keyframe */
	uint32_t retain_days;
	struct rec *recs;      /* sorted by pid: what the last sample wrote */
	size_t n;
	struct change *chg;    /* scratch for a sample's change blob */
	size_t nchg;
	struct buf blob;
};

static int
prepare(struct store *s, struct buf *err)
{
	struct buf q[S_NUM];
	int rc = 0;

	for (int i = 0; i < S_NUM; i++)
		q[i] = (struct buf)BUF_INIT;
	buf_puts(&q[S_SAMPLE], "INSERT INTO sample(time_unix_ms, boot, keyframe, interval_ms");
	for (int f = 0; f < M_NUM; f++)
		buf_printf(&q[S_SAMPLE], ", %s", mem_col[f]);
	buf_puts(&q[S_SAMPLE], ", psi_some_avg10, psi_some_avg60, psi_some_avg300,"
			       " psi_some_total_us, psi_full_avg10, psi_full_avg60, psi_full_avg300,"
			       " psi_full_total_us) VALUES (?,?,?,?");
	for (int f = 0; f < M_NUM + 8; f++)
		buf_puts(&q[S_SAMPLE], ",?");
	buf_puts(&q[S_SAMPLE], ")");
	buf_puts(&q[S_VALUE], "INSERT INTO proc_value VALUES (?,?");
	for (int i = 0; i < PV_NUM; i++)
		buf_puts(&q[S_VALUE], ",?");
	buf_puts(&q[S_VALUE], ")");
	buf_puts(&q[S_CHANGE], "INSERT INTO proc_change VALUES (?,?,?)");
	buf_puts(&q[S_PROC_INS], "INSERT OR IGNORE INTO process(boot, pid, start_ticks,"
				 " start_unix_s, ppid, uid, user, comm, cmdline)"
				 " VALUES (?,?,?,?,?,?,?,?,?)");
	buf_puts(&q[S_PROC_SEL], "SELECT id FROM process WHERE boot IS ? AND pid = ?"
				 " AND start_ticks = ?");
	buf_puts(&q[S_PROC_NAME], "UPDATE process SET comm = ?, cmdline = ? WHERE id = ?");
	buf_puts(&q[S_LIFE_INS], "INSERT INTO life(process, first_sample) VALUES (?,?)");
	buf_puts(&q[S_LIFE_END], "UPDATE life SET last_sample = ? WHERE rowid = ?");
	buf_puts(&q[S_SWAP], "INSERT INTO swap VALUES (?,?,?,?,?,?)");
	buf_puts(&q[S_NODE], "INSERT INTO node VALUES (?,?");
	for (int f = 0; f < N_NUM; f++)
		buf_puts(&q[S_NODE], ",?");
	buf_puts(&q[S_NODE], ")");
	buf_puts(&q[S_BOOT_INS], "INSERT OR IGNORE INTO boot(boot_id) VALUES (?)");
	buf_puts(&q[S_BOOT_SEL], "SELECT id FROM boot WHERE boot_id = ?");
	for (int i = 0; i < S_NUM && rc == 0; i++) {
		if (sqlite3_prepare_v3(s->db, q[i].data, -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
				       NULL) != SQLITE_OK) {
			buf_printf(err, "cannot prepare a statement: %s", sqlite3_errmsg(s->db));
			rc = -EIO;
		}
	}
	for (int i = 0; i < S_NUM; i++)
		buf_fini(&q[i]);
	return rc;
}

/* Steps a statement that returns no row (or whose row is ignored), then resets it. */
static int
run(struct store *s, enum stmt i)
{
	int rc = sqlite3_step(s->st[i]);

	sqlite3_reset(s->st[i]);
	sqlite3_clear_bindings(s->st[i]);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_errno(rc) ? db_errno(rc) : -EIO;
}

static int
find_boot(struct store *s, const char *boot_id)
{
	if (!boot_id)
		return 0;
	sqlite3_bind_text(s->st[S_BOOT_INS], 1, boot_id, -1, SQLITE_TRANSIENT);
	int rc = run(s, S_BOOT_INS);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(s->st[S_BOOT_SEL], 1, boot_id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s->st[S_BOOT_SEL]) == SQLITE_ROW)
		s->boot = sqlite3_column_int64(s->st[S_BOOT_SEL], 0);
	sqlite3_reset(s->st[S_BOOT_SEL]);
	return 0;
}

int
store_open_write(struct store **out, const char *path, const struct store_wopts *o,
		 struct buf *err)
{
	struct store *s = xcalloc(1, sizeof *s);
	int rc;

	*out = NULL;
	s->lock_fd = -1;
	s->retain_days = o->retain_days;
	rc = db_lock(path, &s->lock_fd, err);
	if (rc == 0)
		rc = db_open(&s->db, path, true, err);
	if (rc == 0)
		rc = prepare(s, err);
	if (rc == 0) {
		/* Lives an earlier recorder left open end at its last sample. */
		rc = db_exec(s->db, "BEGIN IMMEDIATE; UPDATE life SET last_sample ="
				    " (SELECT max(id) FROM sample) WHERE last_sample IS NULL;", err);
		if (rc == 0)
			rc = find_boot(s, o->boot_id);
		if (rc == 0)
			rc = db_exec(s->db, "COMMIT", err);
		if (rc < 0) {
			db_exec(s->db, "ROLLBACK", NULL);
			if (!err->len)
				buf_printf(err, "%s: cannot start recording: %s", path,
					   strerror(-rc));
		}
	}
	if (rc < 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void
rec_from(struct rec *r, const struct proc *p)
{
	r->pid = (pid_t)proc_val(p, F_PID);
	r->start_ticks = p->start_ticks;
	r->d.known = 0;
	for (int i = 0; i < PV_NUM; i++) {
		bool k = proc_has(p, pv_field[i]);
		r->d.val[i] = k ? proc_val(p, pv_field[i]) : 0;
		r->d.known |= (uint32_t)k << i;
	}
	snprintf(r->comm, sizeof r->comm, "%s", proc_comm(p));
}

static bool
rec_same(const struct rec *a, const struct rec *b)
{
	return a->d.known == b->d.known && memcmp(a->d.val, b->d.val, sizeof a->d.val) == 0;
}

static void
bind_cmdline(sqlite3_stmt *st, int i, const struct proc *p)
{
	if (proc_has(p, F_CMDLINE) && p->cmdline)
		sqlite3_bind_blob(st, i, p->cmdline, p->cmd_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* The process row of p (made when new) and a new life starting at this sample. */
static int
begin_life(struct store *s, const struct proc *p, struct rec *r, int64_t sample)
{
	sqlite3_stmt *st = s->st[S_PROC_INS];
	int rc;

	db_bind_opt(st, 1, s->boot != 0, s->boot);
	sqlite3_bind_int64(st, 2, proc_val(p, F_PID));
	sqlite3_bind_int64(st, 3, (int64_t)p->start_ticks);
	db_bind_opt(st, 4, proc_has(p, F_START), proc_val(p, F_START));
	db_bind_opt(st, 5, proc_has(p, F_PPID), proc_val(p, F_PPID));
	db_bind_opt(st, 6, proc_has(p, F_UID), proc_val(p, F_UID));
	if (proc_has(p, F_USER))
		sqlite3_bind_text(st, 7, p->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, proc_comm(p), -1, SQLITE_TRANSIENT);
	bind_cmdline(st, 9, p);
	if ((rc = run(s, S_PROC_INS)) < 0)
		return rc;
	st = s->st[S_PROC_SEL];
	db_bind_opt(st, 1, s->boot != 0, s->boot);
	sqlite3_bind_int64(st, 2, proc_val(p, F_PID));
	sqlite3_bind_int64(st, 3, (int64_t)p->start_ticks);
	rc = sqlite3_step(st);
	r->d.process = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!r->d.process)
		return rc == SQLITE_ROW || rc == SQLITE_DONE ? -EIO : db_errno(rc);
	sqlite3_bind_int64(s->st[S_LIFE_INS], 1, r->d.process);
	sqlite3_bind_int64(s->st[S_LIFE_INS], 2, sample);
	if ((rc = run(s, S_LIFE_INS)) < 0)
		return rc;
	r->life = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int
end_life(struct store *s, const struct rec *r)
{
	sqlite3_bind_int64(s->st[S_LIFE_END], 1, s->last_sample);
	sqlite3_bind_int64(s->st[S_LIFE_END], 2, r->life);
	return run(s, S_LIFE_END);
}

static int
write_value(struct store *s, const struct rec *r, int64_t sample)
{
	sqlite3_stmt *st = s->st[S_VALUE];

	sqlite3_bind_int64(st, 1, sample);
	sqlite3_bind_int64(st, 2, r->d.process);
	for (int i = 0; i < PV_NUM; i++)
		db_bind_opt(st, 3 + i, r->d.known & (1u << i), r->d.val[i]);
	return run(s, S_VALUE);
}

static int
rename_proc(struct store *s, const struct proc *p, const struct rec *r)
{
	sqlite3_stmt *st = s->st[S_PROC_NAME];

	sqlite3_bind_text(st, 1, proc_comm(p), -1, SQLITE_TRANSIENT);
	bind_cmdline(st, 2, p);
	sqlite3_bind_int64(st, 3, r->d.process);
	return run(s, S_PROC_NAME);
}

/* Writes the processes of rows, merging with s->recs (both in pid order) into next. */
static int
write_procs(struct store *s, const struct rows *rows, int64_t sample, bool key, struct rec *next)
{
	size_t j = 0;
	int rc = 0;

	for (size_t i = 0; i < rows->n && rc == 0; i++) {
		const struct proc *p = rows->v[i];
		struct rec *r = &next[i];
		while (j < s->n && s->recs[j].pid < proc_val(p, F_PID) && rc == 0)
			rc = end_life(s, &s->recs[j++]);
		const struct rec *o = NULL;
		if (j < s->n && s->recs[j].pid == proc_val(p, F_PID)) {
			if (s->recs[j].start_ticks == p->start_ticks)
				o = &s->recs[j];
			else if (rc == 0)
				rc = end_life(s, &s->recs[j]);
			j++;
		}
		if (rc < 0)
			break;
		rec_from(r, p);
		if (o) {
			r->d.process = o->d.process;
			r->life = o->life;
			if (strcmp(o->comm, r->comm) != 0)
				rc = rename_proc(s, p, r);
		} else {
			rc = begin_life(s, p, r, sample);
		}
		if (rc == 0 && key)
			rc = write_value(s, r, sample);
		else if (rc == 0 && (!o || !rec_same(o, r)))
			s->chg[s->nchg++] = (struct change){ o, r };
	}
	while (j < s->n && rc == 0)
		rc = end_life(s, &s->recs[j++]);
	return rc;
}

static int
write_sample(struct store *s, const struct table *t, bool key, int64_t *sample)
{
	sqlite3_stmt *st = s->st[S_SAMPLE];
	const struct sysmem *m = &t->sys;
	const struct psi_line *pl[2] = { &m->psi.some, &m->psi.full };
	int i = 1, rc;

	sqlite3_bind_int64(st, i++, t->wall_ms);
	db_bind_opt(st, i++, s->boot != 0, s->boot);
	sqlite3_bind_int(st, i++, key);
	db_bind_opt(st, i++, t->dt_ms != 0 && s->last_sample, (int64_t)t->dt_ms);
	for (int f = 0; f < M_NUM; f++, i++)
		db_bind_opt(st, i, m->known & (1u << f), (int64_t)m->val[f]);
	for (int k = 0; k < 2; k++) {
		bool known = k ? m->psi.full_known : m->psi.known;
		db_bind_opt(st, i++, known, pl[k]->avg10);
		db_bind_opt(st, i++, known, pl[k]->avg60);
		db_bind_opt(st, i++, known, pl[k]->avg300);
		db_bind_opt(st, i++, known, (int64_t)pl[k]->total_us);
	}
	if ((rc = run(s, S_SAMPLE)) < 0)
		return rc;
	*sample = sqlite3_last_insert_rowid(s->db);
	for (int k = 0; k < m->nswaps && rc == 0; k++) {
		st = s->st[S_SWAP];
		sqlite3_bind_int64(st, 1, *sample);
		sqlite3_bind_blob(st, 2, m->swaps[k].path, (int)strnlen(m->swaps[k].path, 256),
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, m->swaps[k].type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, (int64_t)m->swaps[k].size_kib);
		sqlite3_bind_int64(st, 5, (int64_t)m->swaps[k].used_kib);
		sqlite3_bind_int(st, 6, m->swaps[k].priority);
		rc = run(s, S_SWAP);
	}
	for (int k = 0; k < m->nnodes && rc == 0; k++) {
		st = s->st[S_NODE];
		sqlite3_bind_int64(st, 1, *sample);
		sqlite3_bind_int(st, 2, m->nodes[k].id);
		for (int f = 0; f < N_NUM; f++)
			db_bind_opt(st, 3 + f, m->nodes[k].known & (1u << f),
				    (int64_t)m->nodes[k].val[f]);
		rc = run(s, S_NODE);
	}
	return rc;
}

/* Deletes what lies before the newest keyframe older than the retention bound. */
static int
prune(struct store *s, int64_t now_ms)
{
	sqlite3_stmt *st;
	int64_t cut = 0;
	int rc;

	if (!s->retain_days)
		return 0;
	rc = sqlite3_prepare_v2(s->db, "SELECT max(id) FROM sample WHERE keyframe AND"
				       " time_unix_ms <= ?", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(st, 1, now_ms - (int64_t)s->retain_days * 86400000);
	if (sqlite3_step(st) == SQLITE_ROW)
		cut = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (cut <= 1)
		return 0;
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "DELETE FROM proc_value WHERE sample < %lld;"
		 "DELETE FROM proc_change WHERE sample < %lld;"
		 "DELETE FROM swap WHERE sample < %lld;"
		 "DELETE FROM node WHERE sample < %lld;"
		 "DELETE FROM life WHERE last_sample < %lld;"
		 "UPDATE life SET first_sample = %lld WHERE first_sample < %lld;"
		 "DELETE FROM process WHERE id NOT IN (SELECT process FROM life);"
		 "DELETE FROM sample WHERE id < %lld;"
		 "DELETE FROM boot WHERE id NOT IN (SELECT boot FROM sample WHERE boot IS NOT NULL);",
		 (long long)cut, (long long)cut, (long long)cut, (long long)cut, (long long)cut,
		 (long long)cut, (long long)cut, (long long)cut);
	return db_exec(s->db, sql, NULL);
}

static int
cmp_change(const void *a, const void *b)
{
	int64_t x = ((const struct change *)a)->cur->d.process;
	int64_t y = ((const struct change *)b)->cur->d.process;
	return (x > y) - (x < y);
}

/* The sample's change blob (store/delta.h), when anything changed. */
static int
write_changes(struct store *s, int64_t sample)
{
	sqlite3_stmt *st = s->st[S_CHANGE];
	int64_t last = 0;

	if (!s->nchg)
		return 0;
	qsort(s->chg, s->nchg, sizeof *s->chg, cmp_change);
	buf_clear(&s->blob);
	for (size_t i = 0; i < s->nchg; i++)
		delta_put(&s->blob, &last, s->chg[i].prev ? &s->chg[i].prev->d : NULL,
			  &s->chg[i].cur->d);
	sqlite3_bind_int64(st, 1, sample);
	sqlite3_bind_int64(st, 2, (int64_t)s->nchg);
	sqlite3_bind_blob(st, 3, s->blob.data, (int)s->blob.len, SQLITE_STATIC);
	return run(s, S_CHANGE);
}

int
store_append(struct store *s, const struct table *t, const struct rows *rows, struct buf *err)
{
	bool key = !s->last_sample || t->wall_ms - s->key_ms >= STORE_KEYFRAME_MS ||
		   t->wall_ms < s->key_ms;
	struct rec *next = xcalloc(rows->n ? rows->n : 1, sizeof *next);
	int64_t sample = 0;
	int rc = db_exec(s->db, "BEGIN IMMEDIATE", NULL);

	s->chg = xreallocarray(s->chg, rows->n ? rows->n : 1, sizeof *s->chg);
	s->nchg = 0;
	if (rc == 0)
		rc = write_sample(s, t, key, &sample);
	if (rc == 0)
		rc = write_procs(s, rows, sample, key, next);
	if (rc == 0)
		rc = write_changes(s, sample);
	if (rc == 0 && key)
		rc = prune(s, t->wall_ms);
	if (rc == 0)
		rc = db_exec(s->db, "COMMIT", NULL);
	if (rc < 0) {
		db_exec(s->db, "ROLLBACK", NULL);
		free(next);
		if (rc == -ENOSPC)
			buf_puts(err, "disk full");
		else
			buf_printf(err, "cannot write a sample: %s", sqlite3_errmsg(s->db));
		return rc;
	}
	free(s->recs);
	s->recs = next;
	s->n = rows->n;
	s->last_sample = sample;
	if (key)
		s->key_ms = t->wall_ms;
	return 0;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db) { /* without one SQLite may not be loaded (sqlite_api.h) */
		for (int i = 0; i < S_NUM; i++)
			sqlite3_finalize(s->st[i]);
		sqlite3_close(s->db);
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->recs);
	free(s->chg);
	buf_fini(&s->blob);
	free(s->boot_id);
	free(s);
}
