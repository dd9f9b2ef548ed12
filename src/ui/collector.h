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

#include "model/hist.h"
#include "model/leak.h"
#include "model/maps.h"
#include "model/source.h"
#include "model/system.h"
#include "model/table.h"

#define NUMA_ROWS_MAX 64  /* processes whose numa_maps the NUMA view reads */

struct history;

/*
 * One process's recorded series, as the detail screen joins them with its live
 * ring (ui/recall.c): per enum hist_series, times in ms since the epoch and
 * values in KiB (NaN: recorded as unavailable). Each value holds until the
 * next point; the last one is repeated at until_ms, and a NaN just after it
 * ends the line there (the recording ends, or the process was not recorded).
 */
struct recalled {
	pid_t pid;               /* whose (0: none) */
	uint64_t start;
	int64_t fetched_ms;      /* wall time of the read */
	int rc;                  /* 0, or the negative errno of the read */
	int64_t since_ms;        /* first recorded point (0: the recording has none) */
	int64_t until_ms;        /* last recorded sample it was alive in */
	double first[HIST_SERIES], last[HIST_SERIES]; /* first and last known values (NaN: none) */
	int64_t *t_ms[HIST_SERIES];
	double *v[HIST_SERIES];
	size_t n[HIST_SERIES], cap[HIST_SERIES];
};

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

	/*
	 * A recording (--history; NULL: none), read by the thread only, between a
	 * collect and its commit, never under the lock: the pasts of the processes
	 * alive when smaptop started, for their leak estimates, and the series of
	 * the process the UI asks for in recall_pid and recall_start (the detail
	 * screen), published in `recalled`.
	 */
	struct history *history;
	const char *boot_id;
	pid_t recall_pid;        /* 0: none wanted */
	uint64_t recall_start;
	pid_t recall_rows[NUMA_ROWS_MAX]; /* rows on screen: their pasts are read first */
	size_t recall_rows_n;
	struct recalled recalled;

	/* Private to the thread. */
	struct source *src;
	struct maplist maps_next;
	struct leak_pasts pasts;
	struct recalled recall_next;
};

/*
 * Starts the thread; src and history (NULL: none) stay owned by the caller.
 * boot_id: this boot's, to find processes in history. 0 or a negative errno.
 */
int collector_start(struct collector *c, struct source *src, const struct table_opts *opt,
		    double delay_s, struct history *history, const char *boot_id);
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

/* recall.c, on the thread, without the lock. */
/*
 * Looks up in c->history the processes of the sample just collected that ran
 * before smaptop's first refresh and were not looked up yet (their recorded
 * PSS or RSS over the last LEAK_PAST_WINDOW_S, reduced into c->pasts), those
 * of first[0..nfirst) first, for at most RECALL_BUDGET_MS; forgets the
 * processes gone.
 */
void recall_pasts(struct collector *c, const pid_t *first, size_t nfirst);
/*
 * Reads the series of (pid, start) into c->recall_next when it is not the
 * process read last or that read is RECALL_REFRESH_MS old; true when it did.
 */
bool recall_detail(struct collector *c, pid_t pid, uint64_t start);
void recalled_fini(struct recalled *r);

#endif
