/*
 * Replay (see replay.h and store.h for the layout). The list of samples (id,
 * time, keyframe) is held in memory: 24 bytes a sample, 1.5 MB for a week at
 * 10 s. The values at sample S are the keyframe at or before S (its
 * proc_value rows, one range of the primary key) with the change blobs after
 * it up to S applied in order (at most one keyframe interval of them); the
 * decoded state is kept, so a step forward inside a keyframe interval applies
 * one blob. Then one indexed look-up per process in life (is it alive at S?)
 * and in process (its identity). A value that is not an integer (a file
 * edited by hand) is read as unavailable, like NULL; a corrupt blob makes the
 * sample an error (-EBADMSG), never made-up values.
 */
#include "store/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/intern.h"
#include "util/xalloc.h"

struct entry {
	int64_t id, time_ms;
	size_t key;   /* index of the keyframe at or before this sample */
};

enum { Q_VALUES, Q_CHANGES, Q_LIFE, Q_PROC, Q_SYS, Q_SWAP, Q_NODE, Q_NUM };

struct replay {
	struct source base;
	sqlite3 *db;
	sqlite3_stmt *q[Q_NUM];
	struct entry *e;
	size_t n, cur;
	struct delta_state st;  /* the values at sample index at, when decoded */
	size_t at;
	bool decoded;
	struct intern users;    /* the user names records point at, until rp_free() */
};

static struct replay *
R(const struct source *src)
{
	return (struct replay *)src;
}

int
replay_reload(struct source *src)
{
	struct replay *r = R(src);
	sqlite3_stmt *st;
	size_t n = 0, cap = r->n ? r->n + 64 : 1024, key = 0;
	struct entry *e = xmalloc(cap * sizeof *e);
	int rc = sqlite3_prepare_v2(r->db, "SELECT id, time_unix_ms, keyframe FROM sample"
					   " ORDER BY id", -1, &st, NULL);

	if (rc != SQLITE_OK) {
		free(e);
		return db_errno(rc) ? db_errno(rc) : -EIO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			e = xreallocarray(e, cap *= 2, sizeof *e);
		e[n].id = sqlite3_column_int64(st, 0);
		e[n].time_ms = sqlite3_column_int64(st, 1);
		if (sqlite3_column_int(st, 2) || n == 0)
			key = n;
		e[n].key = key;
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(e);
		return db_errno(rc) ? db_errno(rc) : -EIO;
	}
	bool at_end = r->cur + 1 >= r->n;
	free(r->e);
	r->e = e;
	r->n = n;
	r->decoded = false; /* pruning may have renumbered the samples */
	if (at_end || r->cur >= n)
		r->cur = n ? n - 1 : 0;
	return n ? 0 : -ENODATA;
}

size_t
replay_count(const struct source *src)
{
	return R(src)->n;
}

int64_t
replay_time_ms(const struct source *src, size_t i)
{
	const struct replay *r = R(src);
	return i < r->n ? r->e[i].time_ms : 0;
}

long
replay_find(const struct source *src, int64_t t_ms)
{
	const struct replay *r = R(src);
	size_t lo = 0, hi = r->n; /* first index with time > t_ms */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->e[mid].time_ms <= t_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

void
replay_seek(struct source *src, size_t i)
{
	struct replay *r = R(src);
	r->cur = i < r->n ? i : r->n ? r->n - 1 : 0;
}

size_t
replay_cursor(const struct source *src)
{
	return R(src)->cur;
}

/* The keyframe at sample id into r->st. */
static int
read_keyframe(struct replay *r, int64_t id)
{
	sqlite3_stmt *q = r->q[Q_VALUES];
	int rc;

	r->st.n = 0;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct delta_proc d = { .process = sqlite3_column_int64(q, 0) };
		for (int i = 0; i < PV_NUM; i++) {
			bool k = sqlite3_column_type(q, 1 + i) == SQLITE_INTEGER;
			d.val[i] = k ? sqlite3_column_int64(q, 1 + i) : 0;
			d.known |= (uint32_t)k << i;
		}
		delta_state_put(&r->st, &d);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : db_errno(rc) ? db_errno(rc) : -EIO;
}

/* Applies the change blobs of the samples after id `after` up to id `upto`. */
static int
read_changes(struct replay *r, int64_t after, int64_t upto)
{
	sqlite3_stmt *q = r->q[Q_CHANGES];
	int rc, bad = 0;

	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int64(q, 2, upto);
	while (!bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(q, 0);
		if (sqlite3_column_type(q, 0) != SQLITE_BLOB ||
		    delta_apply(&r->st, blob, (size_t)sqlite3_column_bytes(q, 0)) < 0)
			bad = 1;
	}
	sqlite3_reset(q);
	if (bad)
		return -EBADMSG;
	return rc == SQLITE_DONE ? 0 : db_errno(rc) ? db_errno(rc) : -EIO;
}

/* r->st becomes the values at sample index s: from the state kept, or from its keyframe. */
static int
decode(struct replay *r, size_t s)
{
	size_t k = r->e[s].key;
	int rc = 0;

	if (r->decoded && r->at == s)
		return 0;
	if (!r->decoded || r->e[r->at].key != k || r->at > s) {
		r->decoded = false;
		rc = read_keyframe(r, r->e[k].id);
		r->at = k;
	}
	if (rc == 0 && s > r->at)
		rc = read_changes(r, r->e[r->at].id, r->e[s].id);
	r->decoded = rc == 0;
	r->at = s;
	return rc;
}

static bool
alive(struct replay *r, int64_t process, int64_t sample)
{
	sqlite3_stmt *q = r->q[Q_LIFE];
	bool yes = false;

	sqlite3_bind_int64(q, 1, process);
	sqlite3_bind_int64(q, 2, sample);
	if (sqlite3_step(q) == SQLITE_ROW)
		yes = sqlite3_column_type(q, 0) == SQLITE_NULL || sqlite3_column_int64(q, 0) >= sample;
	sqlite3_reset(q);
	return yes;
}

static bool
wanted(const struct proc *p, const pid_t *pids, size_t npids)
{
	if (!npids)
		return true;
	for (size_t i = 0; i < npids; i++)
		if (pids[i] == proc_val(p, F_PID))
			return true;
	return false;
}

/* Identity of process into p; false when it has no row (pruned meanwhile). */
static bool
identity(struct replay *r, int64_t process, struct proc *p)
{
	sqlite3_stmt *q = r->q[Q_PROC];
	bool found = false;

	sqlite3_bind_int64(q, 1, process);
	if (sqlite3_step(q) == SQLITE_ROW) {
		found = true;
		proc_set(p, F_PID, sqlite3_column_int64(q, 0));
		p->start_ticks = (uint64_t)sqlite3_column_int64(q, 1);
		static const enum field num[] = { F_START, F_PPID, F_UID };
		for (int i = 0; i < 3; i++)
			if (sqlite3_column_type(q, 2 + i) == SQLITE_INTEGER)
				proc_set(p, num[i], sqlite3_column_int64(q, 2 + i));
		const char *user = (const char *)sqlite3_column_text(q, 5);
		if (user) {
			/* longer than any name recorded (a file edited by hand): cut */
			p->user = intern(&r->users, user, strnlen(user, PROC_USER_MAX - 1));
			p->known |= FIELD_BIT(F_USER);
		}
		const char *comm = (const char *)sqlite3_column_text(q, 6);
		comm = comm ? comm : "";
		proc_set_comm(p, comm, strnlen(comm, PROC_COMM_MAX - 1));
		p->known |= FIELD_BIT(F_COMM);
		int len = sqlite3_column_bytes(q, 7);
		if (sqlite3_column_type(q, 7) != SQLITE_NULL) {
			if (len > PROC_CMDLINE_MAX)
				len = PROC_CMDLINE_MAX;
			p->cmdline = xmemdup(sqlite3_column_blob(q, 7), (size_t)len);
			p->cmd_len = (uint16_t)len;
			p->known |= FIELD_BIT(F_CMDLINE);
		}
	}
	sqlite3_reset(q);
	return found;
}

static int
rp_scan(struct source *src, struct sample *s, const pid_t *pids, size_t npids, bool light)
{
	struct replay *r = R(src);
	(void)light;

	if (!r->n)
		return -ENODATA;
	const struct entry *e = &r->e[r->cur];
	s->now_ms = (uint64_t)e->time_ms;
	s->wall_ms = e->time_ms;
	/* One read transaction: rows, lives and identities of one snapshot. */
	sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL);
	int rc = decode(r, r->cur);
	if (rc < 0) {
		sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
		return rc;
	}
	for (size_t i = 0; i < r->st.n; i++) {
		const struct delta_proc *v = &r->st.v[i];
		if (!alive(r, v->process, e->id))
			continue;
		struct proc *p = sample_push(s);
		if (!identity(r, v->process, p) || !wanted(p, pids, npids)) {
			proc_fini(p);
			s->n--;
			continue;
		}
		for (int k = 0; k < PV_NUM; k++)
			if (v->known & (1u << k))
				proc_set(p, pv_field[k], v->val[k]);
		p->state = '?';
		p->flags |= PROC_STATUS | PROC_CMD_READ;
		if (!proc_has(p, F_VSZ) && !proc_has(p, F_RSS))
			p->flags |= PROC_ZOMBIE;
	}
	sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
	s->swap_kib = 0;
	return 0;
}

static int
rp_status(struct source *src, struct proc *const *procs, size_t n)
{
	(void)src;
	for (size_t i = 0; i < n; i++)
		procs[i]->flags |= PROC_STATUS;
	return 0;
}

static int
rp_details(struct source *src, struct proc *p, unsigned what)
{
	(void)src;
	(void)p;
	(void)what;
	return 0;
}

/* The values came with scan(); when they were read is not recorded: pss_ms stays 0. */
static int
rp_rollup(struct source *src, struct proc *p)
{
	(void)src;
	p->pss_ms = 0;
	return 0;
}

static int
rp_system(struct source *src, struct sysmem *sys, unsigned parts)
{
	struct replay *r = R(src);
	sqlite3_stmt *q = r->q[Q_SYS];
	int64_t id = r->e[r->cur].id;
	int rc;

	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW && (parts & SYS_MEMINFO)) {
		for (int f = 0; f < M_NUM; f++) {
			if (sqlite3_column_type(q, f) != SQLITE_INTEGER)
				continue;
			sys->val[f] = (uint64_t)sqlite3_column_int64(q, f);
			sys->known |= 1u << f;
		}
	}
	if (rc == SQLITE_ROW && (parts & SYS_PSI)) {
		struct psi_line *pl[2] = { &sys->psi.some, &sys->psi.full };
		bool *known[2] = { &sys->psi.known, &sys->psi.full_known };
		for (int k = 0; k < 2; k++) {
			int c = M_NUM + 4 * k;
			if (sqlite3_column_type(q, c) != SQLITE_INTEGER)
				continue;
			*known[k] = true;
			pl[k]->avg10 = (uint32_t)sqlite3_column_int64(q, c);
			pl[k]->avg60 = (uint32_t)sqlite3_column_int64(q, c + 1);
			pl[k]->avg300 = (uint32_t)sqlite3_column_int64(q, c + 2);
			pl[k]->total_us = (uint64_t)sqlite3_column_int64(q, c + 3);
		}
	}
	sqlite3_reset(q);
	if (parts & SYS_SWAPS) {
		q = r->q[Q_SWAP];
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW) {
			sys->swaps = xreallocarray(sys->swaps, (size_t)sys->nswaps + 1, sizeof *sys->swaps);
			struct swapdev *d = &sys->swaps[sys->nswaps++];
			memset(d, 0, sizeof *d);
			int len = sqlite3_column_bytes(q, 0);
			if (len > (int)sizeof d->path - 1)
				len = (int)sizeof d->path - 1;
			if (len > 0)
				memcpy(d->path, sqlite3_column_blob(q, 0), (size_t)len);
			const unsigned char *type = sqlite3_column_text(q, 1);
			snprintf(d->type, sizeof d->type, "%s", type ? (const char *)type : "");
			d->size_kib = (uint64_t)sqlite3_column_int64(q, 2);
			d->used_kib = (uint64_t)sqlite3_column_int64(q, 3);
			d->priority = sqlite3_column_int(q, 4);
		}
		sqlite3_reset(q);
	}
	if (parts & SYS_NODES) {
		q = r->q[Q_NODE];
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW) {
			int nid = sqlite3_column_int(q, 0);
			if (nid < 0 || nid >= NODE_MAX)
				continue;
			sys->numa = true;
			sys->nodes = xreallocarray(sys->nodes, (size_t)sys->nnodes + 1, sizeof *sys->nodes);
			struct node *nd = &sys->nodes[sys->nnodes++];
			memset(nd, 0, sizeof *nd);
			nd->id = nid;
			for (int f = 0; f < N_NUM; f++) {
				if (sqlite3_column_type(q, 1 + f) != SQLITE_INTEGER)
					continue;
				nd->val[f] = (uint64_t)sqlite3_column_int64(q, 1 + f);
				nd->known |= 1u << f;
			}
		}
		sqlite3_reset(q);
	}
	return 0;
}

static int
rp_maps(struct source *src, pid_t pid, struct maplist *m, bool totals)
{
	(void)src;
	(void)pid;
	(void)m;
	(void)totals;
	return -EOPNOTSUPP;
}

static int
rp_numa(struct source *src, pid_t pid, uint64_t *node_kib, int max_nodes)
{
	(void)src;
	(void)pid;
	memset(node_kib, 0, (size_t)max_nodes * sizeof *node_kib);
	return -EOPNOTSUPP;
}

static void
rp_free(struct source *src)
{
	struct replay *r = R(src);

	if (!r)
		return;
	if (r->db) { /* without one SQLite may not be loaded (sqlite_api.h) */
		for (int i = 0; i < Q_NUM; i++)
			sqlite3_finalize(r->q[i]);
		sqlite3_close(r->db);
	}
	free(r->e);
	delta_state_fini(&r->st);
	intern_fini(&r->users);
	free(r);
}

static const struct source_ops replay_ops = {
	.scan = rp_scan,
	.status = rp_status,
	.details = rp_details,
	.rollup = rp_rollup,
	.system = rp_system,
	.maps = rp_maps,
	.numa = rp_numa,
	.free = rp_free,
};

static int
prepare(struct replay *r)
{
	struct buf q[Q_NUM];
	int rc = 0;

	for (int i = 0; i < Q_NUM; i++)
		q[i] = (struct buf)BUF_INIT;
	buf_puts(&q[Q_VALUES], "SELECT process");
	for (int i = 0; i < PV_NUM; i++)
		buf_printf(&q[Q_VALUES], ", %s", pv_col[i]);
	buf_puts(&q[Q_VALUES], " FROM proc_value WHERE sample = ? ORDER BY process");
	buf_puts(&q[Q_CHANGES], "SELECT data FROM proc_change WHERE sample > ? AND sample <= ?"
				" ORDER BY sample");
	buf_puts(&q[Q_LIFE], "SELECT last_sample FROM life WHERE process = ? AND first_sample <= ?2"
			     " ORDER BY first_sample DESC LIMIT 1");
	buf_puts(&q[Q_PROC], "SELECT pid, start_ticks, start_unix_s, ppid, uid, user, comm, cmdline"
			     " FROM process WHERE id = ?");
	buf_puts(&q[Q_SYS], "SELECT ");
	for (int f = 0; f < M_NUM; f++)
		buf_printf(&q[Q_SYS], "%s, ", mem_col[f]);
	buf_puts(&q[Q_SYS], "psi_some_avg10, psi_some_avg60, psi_some_avg300, psi_some_total_us,"
			    " psi_full_avg10, psi_full_avg60, psi_full_avg300, psi_full_total_us"
			    " FROM sample WHERE id = ?");
	buf_puts(&q[Q_SWAP], "SELECT path, type, size_kib, used_kib, priority FROM swap"
			     " WHERE sample = ? ORDER BY rowid");
	buf_puts(&q[Q_NODE], "SELECT node");
	for (int f = 0; f < N_NUM; f++)
		buf_printf(&q[Q_NODE], ", %s", node_col[f]);
	buf_puts(&q[Q_NODE], " FROM node WHERE sample = ? ORDER BY node");
	for (int i = 0; i < Q_NUM && rc == 0; i++)
		if (sqlite3_prepare_v3(r->db, q[i].data, -1, SQLITE_PREPARE_PERSISTENT, &r->q[i],
				       NULL) != SQLITE_OK)
			rc = -EIO;
	for (int i = 0; i < Q_NUM; i++)
		buf_fini(&q[i]);
	return rc;
}

int
replay_new(struct source **out, const char *path, struct buf *err)
{
	struct replay *r = xcalloc(1, sizeof *r);
	int rc;

	*out = NULL;
	r->base.ops = &replay_ops;
	rc = db_open(&r->db, path, false, err);
	if (rc == 0 && (rc = prepare(r)) < 0)
		buf_printf(err, "%s: cannot read the history: %s", path, sqlite3_errmsg(r->db));
	if (rc == 0 && (rc = replay_reload(&r->base)) < 0)
		buf_printf(err, rc == -ENODATA ? "%s: no sample recorded yet"
					       : "%s: cannot read the history", path);
	if (rc < 0) {
		rp_free(&r->base);
		return rc;
	}
	*out = &r->base;
	return 0;
}
