/*
 * The collector thread of the interactive view. It owns the source and runs
 * table_collect() without any lock (it only reads the published table, as the
 * UI does), then takes the lock for the short table_commit() (and frees what it
 * replaced after letting go of it: table_release()). The UI reads the
 * table, the maps of the selected process and the NUMA split only while
 * holding the lock. Each publication is announced on wake_fd, so the UI's
 * poll() wakes for new data and for keys alike: keys never wait for /proc.
 */
#ifndef SMAPTOP_COLLECTOR_H
#define SMAPTOP_COLLECTOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/maps.h"
#include "model/source.h"
#include "model/system.h"
#include "model/table.h"

#define NUMA_ROWS_MAX 64  /* processes whose numa_maps the NUMA view reads */

struct collector {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool started;
	int wake_fd[2];          /* [0]: the UI polls it */

	/* Requests, written by the UI under the lock. */
	struct table_opts opt;
	double delay_s;
	bool paused, quit, kick;
	pid_t maps_pid;          /* 0: no maps wanted */
	bool numa_wanted;
	pid_t numa_req[NUMA_ROWS_MAX]; /* whose per-node split to read */
	size_t numa_req_n;
	pid_t numa_col[NUMA_ROWS_MAX];  /* rows on screen, for the NUMA columns */
	size_t numa_col_n;

	/* Published results, read by the UI under the lock. */
	struct table t;
	struct maplist maps;
	pid_t maps_for;          /* whose maps are in `maps` */
	int maps_rc;             /* 0 or the negative errno of the last read */
	int scan_rc;
	unsigned gen;            /* publications so far */
	unsigned maps_gen;       /* publications of `maps` */
	size_t numa_n;
	pid_t numa_pid[NUMA_ROWS_MAX];
	bool numa_ok[NUMA_ROWS_MAX];
	/*
	 * numa_n rows by node id. Allocated for the rows read only (NULL until the
	 * NUMA screen is first shown): all NUMA_ROWS_MAX of them would be 32 KB.
	 */
	uint64_t (*numa_kib)[NODE_MAX];
	size_t numa_cap;         /* rows numa_kib has room for */

	/*
	 * Replay (a recorded history as the source): the UI asks for a move of
	 * the time cursor in seek_kind/seek_arg; the thread makes it before its
	 * next collect (a move back in time starts the table afresh, so history
	 * rings only ever grow forward). Unpaused, each refresh steps one sample
	 * forward ("play"), following a file still being recorded.
	 */
	bool replay;
	enum { SEEK_NONE, SEEK_STEP, SEEK_BY_MS, SEEK_AT_MS } seek_kind;
	int64_t seek_arg;        /* samples, or ms, or ms since the epoch */
	size_t replay_pos, replay_n; /* published: the sample shown, of how many */
	bool replay_none;        /* published: a SEEK_AT_MS before the first sample */

	/* Private to the thread. */
	struct source *src;
	struct maplist maps_next;
};

/* Starts the thread; src stays owned by the caller. 0 or a negative errno. */
int collector_start(struct collector *c, struct source *src, const struct table_opts *opt,
		    double delay_s);
/* Marks the source as a replay (store/replay.h) and pauses play; call once after start. */
void collector_set_replay(struct collector *c);
/* Asks for a move of the replay cursor (lock held); kicks the thread. */
void collector_seek(struct collector *c, int kind, int64_t arg);
/* Stops and joins the thread and frees what it owns. */
void collector_stop(struct collector *c);
/* Asks for a refresh now (under the lock or not). */
void collector_kick(struct collector *c);
/* Drains the wake pipe. */
void collector_drain(struct collector *c);

#endif
