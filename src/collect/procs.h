/*
 * libproc2 adapter: enumerates processes and copies the fields of stat, and of
 * status unless the scan is light, into struct proc; reads status for chosen
 * processes, and oom_score, oom_score_adj and cmdline, on request.
 * No libproc2 pointer outlives a call. libproc2 zero-fills what it could not
 * read; the rules that turn that back into "unavailable" live here.
 */
#ifndef SMAPTOP_PROCS_H
#define SMAPTOP_PROCS_H

#include <stdbool.h>

#include "model/sample.h"
#include "model/source.h"

struct procs;

/*
 * proc_fd: an open /proc directory, used to recover exact command names.
 * one_pass: there will be one scan only (a snapshot): it takes the least memory.
 */
int procs_new(struct procs **out, int proc_fd, bool one_pass);
void procs_free(struct procs *p);

/* Appends every process, or those of pids, to s (see source.h scan). 0 or negative errno. */
int procs_scan(struct procs *p, struct sample *s, const pid_t *pids, size_t npids, bool light);

/* Reads status for procs[0..n), sorted by pid (see source.h status). */
int procs_status(struct proc *const *procs, size_t n);

/*
 * Reads the parts of p named by what (enum detail; see source.h details).
 * oom_score outside 0..2000 and oom_score_adj outside -1000..1000 (what the
 * kernel can give) are unavailable, as is a number that does not parse.
 */
int procs_details(struct procs *p, struct proc *proc, unsigned what);

/* status's memory values, KiB, as libproc2 read them. */
struct status_kib {
	unsigned long vsz, rss, rss_anon, rss_file, rss_shmem, swap, locked;
};

/*
 * Stores s into p (F_VSZ, F_RSS, F_RSS_ANON, F_RSS_FILE, F_RSS_SHMEM, F_SWAP,
 * F_LOCKED), leaving unavailable what cannot be the kernel's. libproc2 gives 0
 * for a line it did not find and LONG_MAX for a number too big (strtol), so:
 *   - a value whose byte count would not fit in 64 bits is unavailable;
 *   - VmRSS 0 while stat counted resident pages (stat_rss_pages) is a line
 *     that was not there: unavailable;
 *   - RssAnon, RssFile and RssShmem are unavailable unless they add up to
 *     VmRSS (the kernel writes VmRSS as their sum).
 * Pure: no I/O.
 */
void procs_store_status(struct proc *p, const struct status_kib *s, uint64_t stat_rss_pages);

#endif
