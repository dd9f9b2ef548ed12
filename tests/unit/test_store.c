/*
 * The history store (src/store) round trip: a scripted population recorded
 * through the table into a real SQLite file, then replayed sample by sample.
 * The property: replay at every recorded sample gives exactly the processes
 * the recorder was given at that sample (pid and start time) with exactly its
 * recorded values, unavailable ones included -- across keyframes, a restarted
 * recorder (lives closed at the gap), PID reuse, and retention pruning; the
 * per-process series (history.h) agree with it at every sample. A corrupt
 * change blob is an error, and a file of the previous schema is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_source.h"
#include "model/select.h"
#include "model/table.h"
#include "store/db.h"
#include "store/history.h"
#include "store/replay.h"
#include "store/store.h"

enum { MAXP = 64, MAXS = 400 };

struct exp_proc {
	pid_t pid;
	uint64_t start;
	uint32_t known;
	int64_t val[PV_NUM];
	char comm[PROC_COMM_MAX];
	const char *user;
};

struct expect {
	int64_t wall_ms;
	size_t n;
	struct exp_proc p[MAXP];
	int64_t mem_used;
};

static struct expect *exp_v;
static size_t nexp;

static char *
tmp_db(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;

	if (asprintf(&path, "%s/smaptop-store-XXXXXX", dir && *dir ? dir : "/tmp") < 0)
		abort();
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path); /* the store creates it */
	return path;
}

static void
remove_db(const char *path)
{
	char side[4096];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static void
remember(const struct table *t, const struct rows *r)
{
	struct expect *e = &exp_v[nexp++];

	assert_true(r->n <= MAXP);
	e->wall_ms = t->wall_ms;
	e->n = r->n;
	e->mem_used = (t->sys.known & (1u << M_USED)) ? (int64_t)t->sys.val[M_USED] : -1;
	for (size_t i = 0; i < r->n; i++) {
		const struct proc *p = r->v[i];
		struct exp_proc *x = &e->p[i];
		x->pid = (pid_t)proc_val(p, F_PID);
		x->start = p->start_ticks;
		x->known = 0;
		for (int k = 0; k < PV_NUM; k++) {
			x->val[k] = proc_has(p, pv_field[k]) ? proc_val(p, pv_field[k]) : 0;
			x->known |= (uint32_t)proc_has(p, pv_field[k]) << k;
		}
		snprintf(x->comm, sizeof x->comm, "%s", proc_comm(p));
		x->user = p->user;
	}
}

/* A template with a user name: one of three, the last as long as a name may be. */
static void
add_proc(struct fake_source *f, pid_t pid, uint64_t start_ticks, int64_t rss_kib)
{
	static const char *const users[] = { "root", "alice", "a-user-name-of-thirty-two-bytes!" };
	struct proc *p = fake_add(f, pid, start_ticks, rss_kib);

	p->user = users[pid % 3];
	p->known |= FIELD_BIT(F_USER);
}

/* One random step of the population: exits, arrivals (PID reuse too), changes. */
static void
churn(struct fake_source *f, unsigned *seed, pid_t *next_pid, uint64_t *next_start)
{
	for (size_t i = 0; i < f->n; i++) {
		struct proc *p = &f->tmpl[i];
		unsigned r = (unsigned)rand_r(seed) % 100;
		if (r < 10) {
			proc_set(p, F_RSS, proc_val(p, F_RSS) + rand_r(seed) % 5000 - 2000);
			proc_set(p, F_MINFLT, proc_val(p, F_MINFLT) + 7);
		} else if (r < 12) {
			fake_script(f, (pid_t)proc_val(p, F_PID), -EACCES, 0); /* PSS unavailable */
		} else if (r < 14) {
			fake_unscript(f, (pid_t)proc_val(p, F_PID));
		} else if (r < 15) {
			p->known &= ~FIELD_BIT(F_SWAP); /* a value turning unavailable */
		} else if (r < 16) {
			char name[32]; /* exec, to a name stored inline or, past 15 bytes, not */
			int n = snprintf(name, sizeof name, rand_r(seed) % 2 ? "x%u" : "x%u-a-longer-name", r);
			proc_set_comm(p, name, (size_t)n);
		}
	}
	for (int k = rand_r(seed) % 4; k > 0 && f->n; k--) {
		pid_t pid = (pid_t)proc_val(&f->tmpl[(size_t)rand_r(seed) % f->n], F_PID);
		fake_unscript(f, pid);
		fake_remove(f, pid);
		if (rand_r(seed) % 3 == 0 && f->n < MAXP - 1) /* the PID goes to a new process */
			add_proc(f, pid, (*next_start)++, 100 + rand_r(seed) % 9000);
	}
	for (int k = rand_r(seed) % 4; k > 0 && f->n < MAXP - 1; k--)
		add_proc(f, (*next_pid)++, (*next_start)++, 100 + rand_r(seed) % 9000);
}

/* Records `steps` samples, wall clock step_ms apart, the recorder restarted at `restart`. */
static void
record(const char *path, unsigned seed, int steps, int64_t step_ms, int restart,
       uint32_t retain_days)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .cmdline = true, .sys_parts = SYS_MEMINFO };
	struct rows rows = { 0 };
	struct selection sel = { .sort = F_PID };
	struct store_wopts wo = { .retain_days = retain_days, .boot_id = "b0" };
	struct buf err = BUF_INIT;
	struct store *st;
	pid_t next_pid = 100;
	uint64_t next_start = 1;

	fake_init(&f);
	table_init(&t);
	for (int i = 0; i < 20; i++)
		add_proc(&f, next_pid++, next_start++, 1000 + i);
	f.sys.known = 1u << M_USED;
	assert_int_equal(store_open_write(&st, path, &wo, &err), 0);
	for (int s = 0; s < steps; s++) {
		churn(&f, &seed, &next_pid, &next_start);
		f.sys.val[M_USED] = 5000 + (uint64_t)s;
		f.now_ms += (uint64_t)step_ms;
		f.wall_ms += step_ms;
		if (s == restart) {
			store_close(st);
			churn(&f, &seed, &next_pid, &next_start); /* a gap nothing recorded */
			assert_int_equal(store_open_write(&st, path, &wo, &err), 0);
		}
		assert_int_equal(table_refresh(&t, &f.base, &o), 0);
		select_rows(&t, &sel, &rows);
		assert_int_equal(store_append(st, &t, &rows, &err), 0);
		remember(&t, &rows);
	}
	store_close(st);
	rows_fini(&rows);
	table_fini(&t);
	fake_fini(&f);
	buf_fini(&err);
}

static void
check_sample(struct source *src, size_t i, const struct expect *e)
{
	struct table t;
	struct table_opts o = { .rollup = true, .cmdline = true, .sys_parts = SYS_MEMINFO };

	table_init(&t);
	replay_seek(src, i);
	assert_int_equal(replay_time_ms(src, i), e->wall_ms);
	assert_int_equal(table_refresh(&t, src, &o), 0);
	assert_int_equal(t.wall_ms, e->wall_ms);
	assert_int_equal(t.n, e->n);
	for (size_t k = 0; k < e->n; k++) {
		const struct proc *p = &t.procs[k];
		const struct exp_proc *x = &e->p[k];
		assert_int_equal(proc_val(p, F_PID), x->pid);
		assert_int_equal(p->start_ticks, x->start);
		assert_true(proc_has(p, F_USER));
		assert_string_equal(p->user, x->user); /* the replay's copy */
		for (int c = 0; c < PV_NUM; c++) {
			bool known = x->known & (1u << c);
			if (proc_has(p, pv_field[c]) != known)
				fail_msg("sample %zu pid %d: %s known %d, recorded %d", i, (int)x->pid,
					 pv_col[c], proc_has(p, pv_field[c]), known);
			if (known)
				assert_int_equal(proc_val(p, pv_field[c]), x->val[c]);
		}
	}
	if (e->mem_used >= 0)
		assert_int_equal(t.sys.val[M_USED], e->mem_used);
	table_fini(&t);
}

/* history_series at each sample's time gives the value in effect then, as replay does. */
static void
check_series(const char *path)
{
	static const enum field fs[] = { F_RSS, F_PSS, F_SWAP, F_MINFLT };
	struct history *h;
	struct series ser = { 0 };
	struct buf err = BUF_INIT;

	assert_int_equal(history_open(&h, path, &err), 0);
	for (size_t i = 0; i < nexp; i++) {
		const struct expect *e = &exp_v[i];
		for (size_t k = 0; k < e->n; k++) {
			const struct exp_proc *x = &e->p[k];
			for (size_t f = 0; f < sizeof fs / sizeof *fs; f++) {
				int c = 0;
				while (pv_field[c] != fs[f])
					c++;
				assert_int_equal(history_series(h, "b0", x->pid, x->start, fs[f],
								e->wall_ms, e->wall_ms, &ser), 0);
				if (ser.n < 1)
					fail_msg("sample %zu pid %d %s: no point", i, (int)x->pid, pv_col[c]);
				assert_true(ser.v[0].t_ms <= e->wall_ms);
				assert_int_equal(ser.v[0].known, (x->known >> c) & 1);
				if (ser.v[0].known)
					assert_int_equal(ser.v[0].value, x->val[c]);
			}
		}
	}
	series_fini(&ser);
	history_close(h);
	buf_fini(&err);
}

static void
test_round_trip(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 4; seed++) {
		char *path = tmp_db();
		struct source *src;
		struct buf err = BUF_INIT;

		nexp = 0;
		/* 10 minutes apart: a keyframe every 6 samples; restarted at 31 */
		record(path, seed, 80, 600 * 1000, 31, 0);
		assert_int_equal(replay_new(&src, path, &err), 0);
		assert_int_equal(replay_count(src), nexp);
		assert_int_equal(replay_cursor(src), nexp - 1);
		for (size_t i = 0; i < nexp; i++)
			check_sample(src, i, &exp_v[i]);
		for (size_t i = nexp; i-- > 0;) /* backwards too */
			check_sample(src, i, &exp_v[i]);
		src->ops->free(src);
		check_series(path);
		buf_fini(&err);
		remove_db(path);
		free(path);
	}
}

static void
test_idle_not_rewritten(void **state)
{
	char *path = tmp_db();
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };
	struct rows rows = { 0 };
	struct selection sel = { .sort = F_PID };
	struct store_wopts wo = { .boot_id = "b0" };
	struct buf err = BUF_INIT;
	struct store *st;
	sqlite3 *db;

	(void)state;
	fake_init(&f);
	table_init(&t);
	for (int i = 0; i < 10; i++)
		fake_add(&f, 10 + i, 1 + (uint64_t)i, 1000);
	assert_int_equal(store_open_write(&st, path, &wo, &err), 0);
	for (int s = 0; s < 20; s++) {
		f.now_ms += 10000;
		f.wall_ms += 10000;
		proc_set(fake_find(&f, 10), F_RSS, 1000 + s); /* one process changes */
		assert_int_equal(table_refresh(&t, &f.base, &o), 0);
		select_rows(&t, &sel, &rows);
		assert_int_equal(store_append(st, &t, &rows, &err), 0);
	}
	store_close(st);

	/* The same recording as series (history.h): a point per change, none for idle samples. */
	struct history *h;
	struct series ser = { 0 };
	const int64_t t0 = INT64_C(1700000000000) + 10000; /* the first sample */
	assert_int_equal(history_open(&h, path, &err), 0);
	assert_int_equal(history_series(h, "b0", 10, 1, F_RSS, 0, INT64_MAX, &ser), 0);
	assert_int_equal(ser.n, 20);
	for (size_t i = 0; i < ser.n; i++) {
		assert_int_equal(ser.v[i].t_ms, t0 + 10000 * (int64_t)i);
		assert_int_equal(ser.v[i].value, 1000 + (int64_t)i);
		assert_true(ser.v[i].known);
	}
	assert_int_equal(ser.until_ms, t0 + 19 * 10000);
	/* a window: the value in effect at its start, then the changes inside it */
	assert_int_equal(history_series(h, "b0", 10, 1, F_RSS, t0 + 50000, t0 + 90000, &ser), 0);
	assert_int_equal(ser.n, 5);
	assert_int_equal(ser.v[0].value, 1005);
	assert_int_equal(ser.v[4].value, 1009);
	assert_int_equal(history_series(h, "b0", 11, 2, F_RSS, t0 + 50000, t0 + 90000, &ser), 0);
	assert_int_equal(ser.n, 1); /* idle: its keyframe row, recorded earlier */
	assert_int_equal(ser.v[0].t_ms, t0);
	assert_int_equal(ser.v[0].value, 1000);
	/* another process with that pid, another boot: nothing */
	assert_int_equal(history_series(h, "b0", 11, 99, F_RSS, 0, INT64_MAX, &ser), 0);
	assert_int_equal(ser.n, 0);
	assert_int_equal(history_series(h, "b1", 11, 2, F_RSS, 0, INT64_MAX, &ser), 0);
	assert_int_equal(ser.n, 0);
	assert_int_equal(history_series(h, "b0", 11, 2, F_PSS_AGE, 0, INT64_MAX, &ser), -EINVAL);
	series_fini(&ser);
	history_close(h);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM proc_value),"
			   " (SELECT count(*) || ',' || sum(processes) FROM proc_change)", -1, &q, NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	/* the keyframe: 10 plain rows; then a change blob of one process per later sample */
	assert_int_equal(sqlite3_column_int(q, 0), 10);
	assert_string_equal((const char *)sqlite3_column_text(q, 1), "19,19");
	sqlite3_finalize(q);
	sqlite3_close(db);
	rows_fini(&rows);
	table_fini(&t);
	fake_fini(&f);
	buf_fini(&err);
	remove_db(path);
	free(path);
}

/* Pages of the file, free list included: what it occupies. */
static int64_t
pages_in_use(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &q, NULL);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void
test_retention(void **state)
{
	char *path = tmp_db();
	struct source *src;
	struct buf err = BUF_INIT;

	(void)state;
	nexp = 0;
	/* 20 minutes apart for 4 days, 1 day kept */
	record(path, 7, 288, 1200 * 1000, -1, 1);
	assert_int_equal(replay_new(&src, path, &err), 0);
	size_t n = replay_count(src);
	int64_t newest = exp_v[nexp - 1].wall_ms;
	assert_true(n < nexp);
	/* kept: from the keyframe at or before the bound, so at most an hour more than a day */
	assert_true(replay_time_ms(src, 0) <= newest - 86400000);
	assert_true(replay_time_ms(src, 0) >= newest - 86400000 - 2 * 3600000);
	for (size_t i = 0; i < n; i++)
		check_sample(src, i, &exp_v[nexp - n + i]);
	src->ops->free(src);

	/* Pages are reused: 4 days kept to 1 take about the room of 2 days kept to 1. */
	char *path2 = tmp_db();
	nexp = 0;
	record(path2, 7, 144, 1200 * 1000, -1, 1);
	int64_t pages4 = pages_in_use(path), pages2 = pages_in_use(path2);
	if (pages4 > pages2 + pages2 / 4)
		fail_msg("4 days kept to 1: %lld pages in use, 2 days: %lld", (long long)pages4,
			 (long long)pages2);
	buf_fini(&err);
	remove_db(path);
	remove_db(path2);
	free(path);
	free(path2);
}

static void
exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A corrupt change blob is an error for the samples that need it, never made-up values. */
static void
test_corrupt_blob(void **state)
{
	char *path = tmp_db();
	struct source *src;
	struct buf err = BUF_INIT;
	struct table t;
	struct table_opts o = { .rollup = true };

	(void)state;
	nexp = 0;
	record(path, 3, 10, 10000, -1, 0); /* one keyframe, then nine samples of changes */
	exec_sql(path, "UPDATE proc_change SET data = x'00' WHERE sample ="
		       " (SELECT max(sample) FROM proc_change)");
	assert_int_equal(replay_new(&src, path, &err), 0);
	check_sample(src, 0, &exp_v[0]);
	table_init(&t);
	replay_seek(src, nexp - 1);
	assert_int_equal(table_refresh(&t, src, &o), -EBADMSG);
	table_fini(&t);
	check_sample(src, 1, &exp_v[1]); /* the samples before it still replay */
	src->ops->free(src);

	struct history *h;
	struct series ser = { 0 };
	const struct exp_proc *x = &exp_v[0].p[0];
	assert_int_equal(history_open(&h, path, &err), 0);
	assert_int_equal(history_series(h, "b0", x->pid, x->start, F_RSS, 0, INT64_MAX, &ser),
			 -EBADMSG);
	series_fini(&ser);
	history_close(h);
	buf_fini(&err);
	remove_db(path);
	free(path);
}

/* A file of the previous schema is refused with one message, by reader and writer. */
static void
test_older_schema(void **state)
{
	char *path = tmp_db();
	struct source *src;
	struct store *st;
	struct buf err = BUF_INIT;
	struct store_wopts wo = { .boot_id = "b0" };

	(void)state;
	nexp = 0;
	record(path, 5, 3, 10000, -1, 0);
	exec_sql(path, "PRAGMA user_version = 1");
	assert_int_equal(replay_new(&src, path, &err), -EPROTO);
	assert_non_null(strstr(err.data, "older smaptop"));
	buf_clear(&err);
	assert_int_equal(store_open_write(&st, path, &wo, &err), -EPROTO);
	assert_non_null(strstr(err.data, "older smaptop"));
	buf_fini(&err);
	remove_db(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_idle_not_rewritten),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_corrupt_blob),
		cmocka_unit_test(test_older_schema),
	};
	exp_v = calloc(MAXS, sizeof *exp_v);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(exp_v);
	return rc;
}
