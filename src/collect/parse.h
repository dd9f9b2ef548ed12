/*
 * Pure parsers for the /proc and /sys files smaptop reads. Each takes
 * a buffer and its exact length (the buffer need not be NUL-terminated), never a
 * path or fd, so tests feed them fixture files and hostile strings.
 *
 * Common rules:
 *   - keys are matched by name, never by position; unknown keys are ignored;
 *   - CRLF line ends are accepted; a line truncated mid-way is ignored;
 *   - numbers are unsigned 64-bit; a value that does not fit (or a kB value
 *     whose byte count would not fit) makes that field unavailable rather
 *     than wrapping;
 *   - return 0 on success, -ENODATA for an empty buffer (no mm: zombie,
 *     kernel thread), -EINVAL when nothing recognisable was found.
 */
#ifndef SMAPTOP_PARSE_H
#define SMAPTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/maps.h"
#include "model/proc.h"
#include "model/system.h"
#include "util/buf.h"

/*
 * Parses a decimal unsigned number at *p (leading blanks skipped), advancing *p
 * past it. Returns 0, or -ERANGE on overflow, -EINVAL when no digit is there.
 */
int parse_u64(const char **p, const char *end, uint64_t *out);

/* The same for a decimal number with an optional '-' (oom_score_adj). */
int parse_i64(const char **p, const char *end, int64_t *out);

/*
 * /proc/<pid>/stat: the fields smaptop uses. comm is the name as the kernel
 * holds it (the bytes between the first '(' and the line's last ')': a name may
 * hold blanks, parentheses, any byte but NUL), cut to fit and NUL-terminated.
 * Fields smaptop does not use may be anything but blank (priority and nice
 * are negative for some); the used ones must be decimal numbers. -EINVAL for a
 * line that is not stat's (or is cut before its 25th field), -ENODATA for an
 * empty buffer; *st is zeroed first.
 */
struct pid_stat {
	uint64_t pid, ppid, flags, minflt, majflt, threads, start_ticks;
	uint64_t vsize;      /* bytes */
	uint64_t rss_pages;
	char state;
	char comm[PROC_COMM_MAX];
};
int parse_pid_stat(const char *buf, size_t len, struct pid_stat *st);

/*
 * /proc/<pid>/status: sets F_UID (the effective uid, the second of "Uid:"),
 * F_VSZ, F_RSS, F_RSS_ANON, F_RSS_FILE, F_RSS_SHMEM, F_SWAP and F_LOCKED
 * (VmSize, VmRSS, RssAnon, RssFile, RssShmem, VmSwap, VmLck, in kB) and their
 * known bits in p, clearing them first. A kernel thread's or a zombie's
 * status has no Vm lines: those fields stay unknown. RssAnon, RssFile and
 * RssShmem are kept only when all three and VmRSS are there and add up (the
 * kernel writes VmRSS as their sum). -EINVAL when there is no readable Uid
 * line (every status has one): then none of these fields is known.
 */
int parse_pid_status(const char *buf, size_t len, struct proc *p);

/*
 * Whether a status has a "VmSize:" line, whatever its value: the process has
 * memory (an mm). A live-looking process without one is exiting.
 */
bool pid_status_has_mm(const char *buf, size_t len);

/*
 * /proc/<pid>/smaps_rollup: sets F_PSS, F_PSS_ANON, F_PSS_FILE, F_PSS_SHMEM,
 * F_USS (Private_Clean + Private_Dirty), F_SHARED, F_SWAP_PSS, F_THP
 * (AnonHugePages), F_REFERENCED and their known bits in p. Pss_Anon/File/Shmem
 * are absent before Linux 5.7: those fields stay unknown then.
 */
int parse_rollup(const char *buf, size_t len, struct proc *p);

/*
 * /proc/<pid>/smaps: appends one struct mapping per VMA to m (cleared first),
 * classifies each, and fills m->total. A value that is not a number, or too
 * big, leaves that field of its mapping unavailable (mapping.unknown, the
 * value 0) and marks the total (total_partial). A path's "\ooo" octal
 * escapes (the kernel's "\012" for a newline) are decoded: paths hold the
 * name's bytes. O(n) in the file size, no allocation per mapping beyond
 * amortised growth of m. The same as smaps_begin, one
 * smaps_feed of the whole buffer, smaps_end.
 */
int parse_smaps(const char *buf, size_t len, struct maplist *m);

/*
 * Incremental smaps parsing, for reading the file in pieces of any size:
 *
 *     smaps_begin(&sp, m);
 *     while ((n = read(...)) > 0)
 *             smaps_feed(&sp, piece, n);
 *     rc = smaps_end(&sp);
 *
 * The result (m and rc) is exactly parse_smaps() of the concatenated pieces,
 * wherever they were split, even inside a line or a CRLF pair. smaps_feed
 * does not keep piece: a line split between pieces is copied into the
 * parser's carry. smaps_end returns as parse_smaps and frees the carry; it
 * must be called once for every smaps_begin. The fields are private.
 */
#define SMAPS_SLOTS (MF_NUM + 4)
struct smaps_parser {
	struct maplist *m;
	uint64_t slot[SMAPS_SLOTS];     /* the open mapping's values, MF_THP's parts, a sink */
	struct mapping cur;             /* the open mapping, added to m when it closes */
	bool open;                      /* a mapping is open (keys are stored) */
	bool last_shared;               /* perms of the path stored last were shared */
	uint8_t last_cls;               /* and its class */
	uint32_t bad;                   /* slots whose value was unparsable (1u << slot) */
	unsigned expect;                /* fast path: the likely next key line */
	uint32_t last_off, last_len;    /* the path stored last, in m->strings */
	uint64_t fed;                   /* bytes fed so far */
	struct buf carry;               /* an unterminated line from the last piece */
};
void smaps_begin(struct smaps_parser *sp, struct maplist *m);
void smaps_feed(struct smaps_parser *sp, const char *piece, size_t len);
int smaps_end(struct smaps_parser *sp);

/*
 * /proc/<pid>/smaps_rollup as the kernel's totals of the smaps fields: it is
 * one mapping's worth of smaps's keys under a "[rollup]" header, so the smaps
 * parser reads it. val[] gets its values and *known MF_BIT(f) of the fields
 * it gave: every field but MF_SIZE (the rollup has no Size) and those whose
 * value was unparsable. Returns 0, or as parse_smaps (-ENODATA, -EINVAL; also
 * -EINVAL when it holds more than one header), with *known 0.
 */
int parse_smaps_totals(const char *buf, size_t len, uint64_t val[MF_NUM], uint16_t *known);

/*
 * /proc/<pid>/numa_maps: adds, per node, pages * kernelpagesize_kB to
 * node_kib[node] (KiB) for nodes < max_nodes; counts for higher nodes are
 * added to *other_kib (may be NULL). node_kib is not cleared first.
 * -ERANGE: a count (or the page size, or their product in KiB) is out of
 * range; the node values are then incomplete and must be shown as
 * unavailable.
 */
int parse_numa_maps(const char *buf, size_t len, uint64_t *node_kib, int max_nodes,
		    uint64_t *other_kib);

/* /sys/devices/system/node/nodeN/meminfo ("Node N MemTotal: ... kB"). */
int parse_node_meminfo(const char *buf, size_t len, struct node *n);

/*
 * /sys/devices/system/node/nodeN/distance: "10 21 ..." into n->distance[k] for
 * the k-th online node (the file's order, not the node id); cleared first.
 */
int parse_node_distance(const char *buf, size_t len, struct node *n);

/*
 * /proc/swaps: *out is allocated (caller frees), *n set; an empty table is 0
 * devices. *out is overwritten, not freed: release a previous table first.
 */
int parse_swaps(const char *buf, size_t len, struct swapdev **out, int *n);

/* /proc/pressure/memory. */
int parse_psi(const char *buf, size_t len, struct psi *out);

/* /proc/meminfo. */
int parse_meminfo(const char *buf, size_t len, struct sysmem *s);

/*
 * /proc/sys/kernel/random/boot_id: a UUID, 8-4-4-4-12 lower-case hex digits,
 * then an optional newline. Copies it, NUL-terminated, into out. -ENODATA for
 * an empty buffer, -EINVAL for anything else.
 */
enum { BOOT_ID_LEN = 36 };
int parse_boot_id(const char *buf, size_t len, char out[BOOT_ID_LEN + 1]);

#endif
