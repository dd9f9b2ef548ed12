/*
 * Pure parser of the kernel log as /dev/kmsg gives it, for the OOM killer's
 * records. Buffers in, struct oom_kill out; no I/O, no allocation.
 *
 * A /dev/kmsg record is "PRIO,SEQ,USEC,FLAGS[,MORE];TEXT\n", followed by
 * dictionary lines that start with a space (skipped). Non-printable bytes and
 * '\' of TEXT are escaped by the kernel as \xNN; they are undone in comm and
 * cgroup paths (sinks escape them again).
 *
 * The OOM killer's records, as they changed (mm/oom_kill.c):
 *   - up to 4.18, without a prefix:
 *       "Killed process PID (COMM) total-vm:NkB, anon-rss:NkB, file-rss:NkB[, shmem-rss:NkB]"
 *     after "Out of memory: Kill process PID (COMM) score N or sacrifice child"
 *     (or "Memory cgroup out of memory: ..."), which says whether a cgroup ran out;
 *   - 4.19: "MESSAGE: Killed process ..." with MESSAGE "Out of memory" or
 *     "Memory cgroup out of memory", preceded by the summary
 *       "oom-kill:constraint=C,nodemask=N,cpuset=S,mems_allowed=M,
 *        (global_oom|oom_memcg=PATH),task_memcg=PATH,task=COMM,pid=PID,uid=UID";
 *   - 5.4 and later append ", UID:N pgtables:NkB oom_score_adj:N".
 * Only records of facility 0 (the kernel's own) count: a root process may
 * write to /dev/kmsg, with a user facility. A "Killed process" record needs
 * no prefix (before 4.19) or one that says "... of memory".
 * A kill is produced by its "Killed process" record; the summary of the same
 * pid just before it adds the constraint and the cgroups. Fields a kernel did
 * not log stay unknown.
 *
 * Hostile input: a comm holds at most 16 bytes in the kernel but may contain
 * ") total-vm:" or ",pid=": numbers are taken after the last such marker. Numbers
 * too big for their field leave it unknown. A record cut short yields what it
 * holds, or nothing when pid or comm is missing.
 */
#ifndef SMAPTOP_PARSE_KMSG_H
#define SMAPTOP_PARSE_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/oomkill.h"

struct kmsg_record {
	unsigned prio;      /* facility * 8 + level */
	uint64_t seq;
	uint64_t usec;      /* monotonic microseconds since boot */
	const char *text;   /* borrowed: points into the buffer given */
	size_t len;
};

/*
 * Parses one record line (without its '\n'). Returns 0, or -EINVAL when the
 * header is not "number,number,number,...;".
 */
int kmsg_parse_record(const char *line, size_t len, struct kmsg_record *r);

/* State carried from record to record (the summary line before a kill). */
struct oom_parser {
	int64_t boot_ms;       /* wall time of boot, ms since the epoch */
	bool boot_known;       /* false: kills get no time_unix_ms */
	bool have_summary;
	uint64_t summary_seq;
	struct oom_kill summary;  /* pid, uid, constraint, cgroups of the summary */
	char summary_task[OOMK_COMM_MAX];
	bool have_hint;        /* a pre-4.19 "...: Kill process" line */
	uint64_t hint_seq;
	bool hint_memcg;
};

void oom_parser_init(struct oom_parser *op, int64_t boot_ms, bool boot_known);

/*
 * Feeds one record. Returns 1 and fills *out when the record completes a
 * kill, 0 otherwise (other messages, a kill record without pid or comm).
 */
int oom_parser_feed(struct oom_parser *op, const struct kmsg_record *r, struct oom_kill *out);

/*
 * Parses every complete record of buf[0..len) ('\n'-terminated; an
 * unterminated tail is ignored), calling emit for each kill in log order.
 * Returns the number of kills, -ENODATA for an empty buffer, or -EINVAL
 * when no line was a record.
 */
int parse_kmsg(struct oom_parser *op, const char *buf, size_t len,
	       void (*emit)(void *arg, const struct oom_kill *k), void *arg);

/*
 * The number of complete bytes of buf[0..len): up to and including the last
 * '\n' (what parse_kmsg consumes; the rest waits for more data).
 */
size_t kmsg_complete_len(const char *buf, size_t len);

#endif
