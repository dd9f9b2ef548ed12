/*
 * Leaks told apart from caches and garbage collectors. Pure model code: it
 * takes a history (the live envelope ring, model/lowenv.h, or any series of
 * (time, value) points, such as a recording) and says how fast the memory a
 * process never gives back is growing, and whether that makes it a suspect.
 *
 * Sustained growth is the trend of the LOWER ENVELOPE of the process's PSS
 * (RSS where PSS is unavailable): the history is cut into at most LEAK_GROUPS
 * consecutive groups, each group gives its minimum (at the time of that
 * minimum), and a robust line (model/trend.h, Theil-Sen) goes through those
 * minima. A garbage collector's sawtooth counts by its troughs, a wild sample
 * by nothing at all, a gap by its length in time.
 *
 * The rule (also in smaptop(1), LEAKS). Enough history is at least
 * LEAK_MIN_GROUPS groups with a value whose minima span at least LEAK_MIN_SPAN_S
 * seconds; with less, there is no estimate. A process is a suspect when all
 * of these hold:
 *   - the trend is positive and at least LEAK_MIN_KIB_PER_H;
 *   - steady: the envelope points rise together, trend.h's confidence
 *     (Kendall's tau of the points, scaled by (n - 2) / n) is at least
 *     LEAK_MIN_CONFIDENCE;
 *   - still growing: the trend of the newer half of the groups is at least
 *     a quarter of the whole trend (a cache that filled up and stopped is not
 *     a leak, however steep its start);
 *   - it matters: the growth over the window (trend x span) is at least
 *     LEAK_MIN_GROWTH_KIB and at least four times the envelope's residual
 *     scatter (trend.h's spread).
 * "Growing since" is the last time the envelope was at its lowest in the
 * window (the window's start for a leak older than the window).
 *
 * A recording of the same process (same boot, PID and start time) extends the
 * live envelope back: its series, reduced to a struct leak_past, is joined
 * with the envelope (leak_track), over at most LEAK_PAST_WINDOW_S seconds.
 */
#ifndef SMAPTOP_LEAK_H
#define SMAPTOP_LEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/lowenv.h"
#include "model/proc.h"
#include "model/table.h"

enum {
	LEAK_GROUPS = 16,
	LEAK_MIN_GROUPS = 8,
	LEAK_MIN_SPAN_S = 30,
	LEAK_MIN_KIB_PER_H = 1024,
	LEAK_MIN_GROWTH_KIB = 256,
	LEAK_LIVE_SAMPLES = 600, /* samples a live envelope covers at most (table_opts.leak_cap) */
	LEAK_PAST_POINTS = 32,   /* minima a recorded past is reduced to */
	LEAK_PAST_WINDOW_S = 86400, /* how far back a recorded past counts */
};
#define LEAK_MIN_CONFIDENCE 0.6

struct leak {
	double kib_per_h;   /* sustained growth (negative: shrinking) */
	double confidence;  /* 0..1, of the envelope's line */
	double spread_kib;  /* robust residual scale of the envelope around its line */
	double recent_kib_per_h; /* trend of the newer half of the groups */
	double start_s, end_s;   /* the window: first and last envelope point */
	double since_s;     /* growing since (see above), in the input's time */
	size_t groups;      /* envelope points the line went through */
	bool suspect;
};

/*
 * One point of a raw series: time in seconds (any origin), PSS and RSS in KiB
 * (NaN when unavailable), and the process's start time (any unit; with the
 * PID, its identity).
 */
struct leak_point {
	double t_s;
	double pss_kib, rss_kib;
	uint64_t start;
};

/*
 * Estimates from raw points p[0..n), oldest first. Only the newest run of
 * points with the start time of the last point is used: a reused PID (another
 * start) is never one series with the process before it. The series is PSS
 * when PSS is known in at least half of those points, else RSS; points
 * without it are gaps. Groups are of equal duration. Returns 0 and fills *out,
 * -ENODATA without enough history.
 */
int leak_from_points(const struct leak_point *p, size_t n, struct leak *out);

/*
 * Estimates from an envelope ring: groups of ceil(n / LEAK_GROUPS) consecutive
 * blocks. Times in *out are the ring's deciseconds divided by 10 (seconds on
 * the table's clock). Returns 0 and fills *out, -ENODATA without enough
 * history.
 */
int leak_from_lowenv(const struct lowenv *e, struct leak *out);

/*
 * The rule applied to envelope points already taken (t_s[i], kib[i]), oldest
 * first. Returns 0 and fills *out, -ENODATA without
 * enough history.
 */
int leak_from_minima(const double *t_s, const double *kib, size_t n, struct leak *out);

/*
 * A process's recorded past, for the live estimate: the recorded series of PSS
 * (or RSS) reduced to the minima of at most LEAK_PAST_POINTS groups of equal
 * duration (each at the time of its minimum), times in milliseconds since the
 * epoch. n == 0: the recording has nothing of the process (it is still a
 * known answer: the process is not looked up again). The minima are allocated
 * only when there are some: 24 bytes a process not recorded, 24 + 16 n one
 * recorded.
 */
struct leak_past_point {
	int64_t t_ms;
	double kib;
};

struct leak_past {
	pid_t pid;
	bool pss;                   /* the minima are of PSS (else RSS) */
	uint8_t n;
	uint64_t start_ticks;
	struct leak_past_point *p;  /* n of them, owned; NULL when n is 0 */
};

/* The pasts looked up so far, sorted by (pid, start_ticks); owned by its user. */
struct leak_pasts {
	struct leak_past *v;
	size_t n, cap;
};

/* Frees what s holds and leaves it empty. */
void leak_pasts_fini(struct leak_pasts *s);

/* Drops the i-th past of s (freeing its minima); those after it move down. */
void leak_pasts_drop(struct leak_pasts *s, size_t i);

/*
 * Sets out's minima (replacing any) from a recorded series t_ms[i], kib[i] (oldest first;
 * NaN: unavailable), keeping out's identity. The series is a step function,
 * as the store records it: each value holds until the next point, the last
 * one until until_ms (so a value that did not change counts in every group it
 * spans). pss says which field it is.
 */
void leak_past_reduce(struct leak_past *out, const int64_t *t_ms, const double *kib, size_t n,
		      int64_t until_ms, bool pss);

/* The past of (pid, start_ticks), or NULL when it was never looked up. */
const struct leak_past *leak_past_find(const struct leak_pasts *s, pid_t pid, uint64_t start_ticks);

/*
 * A slot for (pid, start_ticks), found or inserted (cleared, n 0) in order; the
 * pointer is valid until the next call that changes s.
 */
struct leak_past *leak_past_slot(struct leak_pasts *s, pid_t pid, uint64_t start_ticks);

/*
 * Estimates from the live envelope e joined with a recorded past: past minima
 * older than e's first block and newer than LEAK_PAST_WINDOW_S before e's
 * newest, then e's blocks, grouped by equal duration as leak_from_points does.
 * base_ms: the wall time (ms since the epoch) of e's time 0; times in *out
 * are seconds on e's clock (negative before it). A past of the other series
 * (PSS against RSS) or empty is not joined. Returns as leak_from_lowenv.
 */
int leak_from_joined(const struct lowenv *e, const struct leak_past *past, int64_t base_ms,
		     struct leak *out);

/*
 * The estimate of an envelope in either form (model/lowenv.h, fed with c):
 * what leak_from_joined() gives for its full form (past may be NULL). A short
 * form is expanded only when a past is joined to it.
 */
int leak_from_env(const struct lowenv_hdr *e, const struct lowenv_clock *c,
		  const struct leak_past *past, int64_t base_ms, struct leak *out);

/*
 * The live estimate, called by the table for each process on each refresh
 * with its previous record o (same PID and start time; NULL for a new one),
 * after ticking clock (the table's, lowenv_clock_tick()) for the refresh.
 * The envelope moves from o to p (or is created, covering cap_samples); p's
 * PSS or RSS is fed at clock's newest tick. F_LEAK is set when there is an estimate,
 * PROC_LEAK when p is a suspect, with leak_since_ds the estimate's "growing
 * since", or o's if o was a suspect since earlier: a leak older than the
 * window keeps the start it was first seen with. cap_samples 0, or a kernel
 * thread: nothing. past (NULL: none) is p's recorded past, joined as
 * leak_from_joined does with base_ms the wall time of the table's time 0.
 */
void leak_track(struct proc *p, struct proc *o, const struct lowenv_clock *clock,
		uint32_t cap_samples, const struct leak_past *past, int64_t base_ms);

/*
 * One suspect as the outputs show it, whatever its source: the live table
 * (leak_suspects) or a recording (fill it from leak_from_points: a replay
 * of --leaks is then the same output code).
 */
struct leak_row {
	int64_t pid;
	char comm[PROC_COMM_MAX];   /* raw, as the kernel gave it; outputs escape it */
	int64_t kib_per_h;          /* F_LEAK */
	int64_t since_unix_ms;      /* growing since */
	int64_t kib;                /* current PSS (or RSS when pss is false); -1 unknown */
	bool pss;
};

/*
 * The suspects among procs[0..n) (rows of t's latest refresh, as select_rows
 * gives them), biggest growth first (ties by pid), into *rows (grown with
 * xreallocarray; *cap its capacity; owned by the caller, free() it).
 * Returns how many; *estimated (may be NULL) receives how many processes had
 * enough history for an estimate.
 */
size_t leak_suspects(const struct table *t, const struct proc *const *procs, size_t n,
		     struct leak_row **rows, size_t *cap, size_t *estimated);

/*
 * Milliseconds since the epoch of a table time (table_time_ds; negative:
 * before the first refresh, from a recorded past) in the latest refresh's clock.
 */
int64_t leak_unix_ms(const struct table *t, int64_t time_ds);

#endif
