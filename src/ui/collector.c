/* The collector thread (see collector.h). */
#include "ui/collector.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/replay.h"
#include "util/xalloc.h"

static void
read_numa(struct collector *c, pid_t *pids, size_t n, bool *ok, uint64_t (*kib)[NODE_MAX])
{
	for (size_t i = 0; i < n; i++)
		ok[i] = c->src->ops->numa(c->src, pids[i], kib[i], NODE_MAX) == 0;
}

/* t += seconds. */
static void
ts_add(struct timespec *t, double seconds)
{
	uint64_t ns = (uint64_t)(seconds * 1e9);

	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec += (long)(ns % 1000000000);
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

static bool
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Replay: makes the move asked for, or plays one sample forward (lock held). */
static void
replay_position(struct collector *c)
{
	size_t cur = replay_cursor(c->src), n = replay_count(c->src);
	long to = (long)cur;

	c->replay_none = false;
	switch (c->seek_kind) {
	case SEEK_NONE:
		if (c->paused || !c->t.refreshes)
			return;
		if (cur + 1 >= n && replay_reload(c->src) == 0)
			n = replay_count(c->src); /* a file still being recorded */
		to = cur + 1 < n ? (long)cur + 1 : (long)cur;
		break;
	case SEEK_STEP:
		to = (long)cur + (long)c->seek_arg;
		if (to >= (long)n && replay_reload(c->src) == 0)
			n = replay_count(c->src);
		break;
	case SEEK_BY_MS:
		to = replay_find(c->src, replay_time_ms(c->src, cur) + c->seek_arg);
		break;
	case SEEK_AT_MS:
		to = replay_find(c->src, c->seek_arg);
		c->replay_none = to < 0;
		break;
	}
	c->seek_kind = SEEK_NONE;
	if (to < 0)
		to = 0;
	if (to >= (long)n)
		to = n ? (long)n - 1 : 0;
	if ((size_t)to < cur) { /* back in time: a fresh table, rings grow forward only */
		table_fini(&c->t);
		table_init(&c->t);
	}
	replay_seek(c->src, (size_t)to);
}

/*
 * Samples follow a fixed schedule: the next one is due one delay after the
 * previous one was due, not after it ended, so the time a sample takes does
 * not stretch the refresh interval. A sample that ends after the next one was
 * due starts that one at once (missed slots are not caught up). A kick samples
 * at once and restarts the schedule from then.
 */
static void *
run(void *arg)
{
	struct collector *c = arg;
	pid_t numa_pid[NUMA_ROWS_MAX];
	bool numa_ok[NUMA_ROWS_MAX];
	uint64_t numa_kib[NUMA_ROWS_MAX][NODE_MAX];
	struct timespec due, now;

	clock_gettime(CLOCK_MONOTONIC, &due);
	pthread_mutex_lock(&c->lock);
	while (!c->quit) {
		struct table_opts opt = c->opt;
		pid_t numa_col[NUMA_ROWS_MAX];
		memcpy(numa_col, c->numa_col, sizeof numa_col);
		opt.numa_pids = numa_col;
		opt.numa_npids = c->numa_col_n;
		pid_t maps_pid = c->maps_pid;
		size_t numa_n = c->numa_wanted ? c->numa_req_n : 0;
		memcpy(numa_pid, c->numa_req, sizeof numa_pid);
		pid_t recall_pid = c->recall_pid, recall_rows[NUMA_ROWS_MAX];
		uint64_t recall_start = c->recall_start;
		size_t recall_rows_n = c->recall_rows_n;
		memcpy(recall_rows, c->recall_rows, recall_rows_n * sizeof *recall_rows);
		if (c->replay)
			replay_position(c);
		pthread_mutex_unlock(&c->lock);

		int rc = table_collect(&c->t, c->src, &opt);
		bool recalled = false;
		if (rc == 0 && c->history) {
			/* before the commit: the estimates use them at once */
			recall_pasts(c, recall_rows, recall_rows_n);
			recalled = recall_detail(c, recall_pid, recall_start);
			opt.leak_past = &c->pasts;
		}
		int maps_rc = maps_pid ? c->src->ops->maps(c->src, maps_pid, &c->maps_next, true)
				       : 0;
		read_numa(c, numa_pid, numa_n, numa_ok, numa_kib);

		pthread_mutex_lock(&c->lock);
		if (c->opt.fresh_pid == opt.fresh_pid)
			c->opt.fresh_pid = 0; /* read once */
		c->scan_rc = rc;
		if (rc == 0)
			table_commit(&c->t, &opt);
		if (maps_pid) {
			struct maplist tmp = c->maps;
			c->maps = c->maps_next;
			c->maps_next = tmp;
			c->maps_for = maps_pid;
			c->maps_rc = maps_rc;
			c->maps_gen++;
		}
		if (recalled) {
			struct recalled tmp = c->recalled;
			c->recalled = c->recall_next;
			c->recall_next = tmp;
		}
		c->gen++;
		if (c->replay) {
			c->replay_pos = replay_cursor(c->src);
			c->replay_n = replay_count(c->src);
		}
		c->numa_n = numa_n;
		memcpy(c->numa_pid, numa_pid, sizeof numa_pid);
		memcpy(c->numa_ok, numa_ok, sizeof numa_ok);
		/* only the rows read, into room for them alone */
		if (numa_n > c->numa_cap) {
			c->numa_kib = xreallocarray(c->numa_kib, numa_n, sizeof *c->numa_kib);
			c->numa_cap = numa_n;
		}
		if (numa_n)
			memcpy(c->numa_kib, numa_kib, numa_n * sizeof numa_kib[0]);
		(void)!write(c->wake_fd[1], "x", 1);
		/* the views never read what the commit replaced: freed without them waiting */
		pthread_mutex_unlock(&c->lock);
		table_release(&c->t);
		malloc_trim(0); /* what this refresh freed goes back to the kernel */
		pthread_mutex_lock(&c->lock);

		/* Sleep until the next sample is due, or until kicked; paused: until kicked. */
		ts_add(&due, c->delay_s);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_before(&due, &now))
			due = now;
		while (!c->quit && !c->kick) {
			if (c->paused)
				pthread_cond_wait(&c->cond, &c->lock);
			else if (pthread_cond_timedwait(&c->cond, &c->lock, &due) == ETIMEDOUT)
				break;
		}
		if (c->kick)
			clock_gettime(CLOCK_MONOTONIC, &due);
		c->kick = false;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int
collector_start(struct collector *c, struct source *src, const struct table_opts *opt,
		double delay_s, struct history *history, const char *boot_id)
{
	pthread_condattr_t ca;

	memset(c, 0, sizeof *c);
	c->src = src;
	c->history = history;
	c->boot_id = boot_id;
	c->opt = *opt;
	c->delay_s = delay_s;
	table_init(&c->t);
	maplist_init(&c->maps);
	maplist_init(&c->maps_next);
	if (pipe2(c->wake_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);
	int rc = pthread_create(&c->thread, NULL, run, c);
	if (rc)
		return -rc;
	c->started = true;
	return 0;
}

void
collector_set_replay(struct collector *c)
{
	pthread_mutex_lock(&c->lock);
	c->replay = true;
	c->paused = true;
	c->seek_kind = SEEK_NONE;
	pthread_mutex_unlock(&c->lock);
}

void
collector_seek(struct collector *c, int kind, int64_t arg)
{
	c->seek_kind = kind;
	c->seek_arg = arg;
	collector_kick(c);
}

void
collector_kick(struct collector *c)
{
	c->kick = true;
	pthread_cond_signal(&c->cond);
}

void
collector_drain(struct collector *c)
{
	char b[64];

	while (read(c->wake_fd[0], b, sizeof b) > 0)
		;
}

void
collector_stop(struct collector *c)
{
	if (c->started) {
		pthread_mutex_lock(&c->lock);
		c->quit = true;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->thread, NULL);
		c->started = false;
	}
	table_fini(&c->t);
	maplist_fini(&c->maps);
	maplist_fini(&c->maps_next);
	free(c->numa_kib);
	leak_pasts_fini(&c->pasts);
	recalled_fini(&c->recalled);
	recalled_fini(&c->recall_next);
	close(c->wake_fd[0]);
	close(c->wake_fd[1]);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
}
