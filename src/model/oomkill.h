/*
 * OOM kills: one record per process the kernel's OOM killer killed, as its log
 * tells it, and a bounded list of the most recent ones, newest first.
 *
 * Plain data, no I/O. The collector (collect/kmsg.c with the parser
 * collect/parse_kmsg.c) fills records; the table keeps the list across
 * refreshes. A value whose bit is clear in `known` is unavailable (older
 * kernels log fewer fields): views show "-", CSV an empty field, JSON null.
 * Text is raw bytes as the task had them (the kernel's \xNN escapes undone):
 * every sink escapes it.
 */
#ifndef SMAPTOP_OOMKILL_H
#define SMAPTOP_OOMKILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum oomkill_bit {
	OOMK_TIME = 1 << 0,       /* time_unix_ms */
	OOMK_UID = 1 << 1,
	OOMK_TOTAL_VM = 1 << 2,
	OOMK_ANON = 1 << 3,
	OOMK_FILE = 1 << 4,
	OOMK_SHMEM = 1 << 5,
	OOMK_PGTABLES = 1 << 6,
	OOMK_ADJ = 1 << 7,        /* oom_score_adj */
	OOMK_CONSTRAINT = 1 << 8, /* from the oom-kill: summary line (4.19 and later) */
	OOMK_CGROUP = 1 << 9,     /* task_memcg */
	OOMK_OOM_MEMCG = 1 << 10, /* the cgroup that ran out (a memcg OOM only) */
};

#define OOMK_COMM_MAX 64
#define OOMK_PATH_MAX 256

struct oom_kill {
	uint64_t seq;          /* the log's sequence number of the "Killed process" record */
	uint64_t mono_us;      /* its kernel timestamp: microseconds since boot */
	int64_t time_unix_ms;  /* wall time: boot time + mono_us */
	int32_t pid;
	uint32_t uid;
	int32_t oom_score_adj;
	uint32_t known;        /* enum oomkill_bit */
	uint64_t total_vm_kib, anon_rss_kib, file_rss_kib, shmem_rss_kib, pgtables_kib;
	bool memcg;            /* "Memory cgroup out of memory" rather than the whole machine */
	char comm[OOMK_COMM_MAX];        /* NUL-terminated, raw bytes */
	char constraint[24];             /* "none", "cpuset", "memory_policy", "memcg" */
	char cgroup[OOMK_PATH_MAX];      /* task_memcg, as the kernel printed it */
	char oom_memcg[OOMK_PATH_MAX];
};

/* How many kills a list keeps; older ones are dropped. */
#define OOMLOG_CAP 64

/* The most recent kills, newest first (by log sequence number). */
struct oomlog {
	struct oom_kill *v;    /* owned; room for OOMLOG_CAP, allocated on first add */
	size_t n;
	uint64_t added;        /* kills ever added (those dropped included) */
};

void oomlog_init(struct oomlog *l);
void oomlog_fini(struct oomlog *l);

/*
 * Adds a copy of k in its place by sequence number (newest first). A record
 * with a sequence number already in the list is ignored (the log was read
 * twice); beyond OOMLOG_CAP the oldest is dropped. Returns true when k was
 * added.
 */
bool oomlog_add(struct oomlog *l, const struct oom_kill *k);

/*
 * The kill of a process that was last seen alive with this pid and comm at
 * wall time seen_ms (milliseconds since the epoch): the newest kill with the
 * same pid and comm logged no earlier than OOMLOG_MATCH_BEFORE_MS before
 * seen_ms (a victim can still be listed while it exits, and the kernel's clock
 * and the wall clock differ by a little). NULL when there is none. Borrowed:
 * valid until the list changes.
 */
#define OOMLOG_MATCH_BEFORE_MS 10000
const struct oom_kill *oomlog_match(const struct oomlog *l, int32_t pid, const char *comm,
				    int64_t seen_ms);

/*
 * What a refresh learnt about OOM kills (part of struct sysmem): the kernel's
 * own counter, and the kills logged since the previous refresh.
 */
struct oom_events {
	uint64_t vmstat_kills;  /* /proc/vmstat oom_kill: kills since boot */
	bool vmstat_known;      /* false before Linux 4.13 or when unreadable */
	/*
	 * 0 when the kernel log was read; else why it was not, as a negative
	 * errno: -EPERM/-EACCES (dmesg_restrict and no CAP_SYSLOG, or no
	 * permission on the device), -ENOENT (no /dev/kmsg, e.g. a container).
	 * The kill details are then missing; the counter still counts.
	 */
	int log_err;
	struct oom_kill *kills; /* owned; newly logged kills, in log order */
	size_t nkills;
};

/* Frees the kills and clears everything. */
void oom_events_fini(struct oom_events *e);

/* Appends a copy of k to e->kills. */
void oom_events_push(struct oom_events *e, const struct oom_kill *k);

#endif
