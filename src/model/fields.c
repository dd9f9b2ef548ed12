/*
 * The column table (see fields.h). Titles are at most 8 columns wide so the
 * default table fits 80 columns; descriptions name the kernel source.
 */
#include "model/fields.h"

#include <errno.h>
#include <string.h>

/* Where each field's value lives in struct proc (proc.h). */
#define W(i) (i)
#define N(i) (PROC_NARROW + (i))
#define U(i) (PROC_UNSIGNED + (i))

const uint8_t proc_slot[F_NUM] = {
	[F_VSZ] = W(0), [F_RSS] = W(1), [F_RSS_ANON] = W(2), [F_RSS_FILE] = W(3),
	[F_RSS_SHMEM] = W(4), [F_PSS] = W(5), [F_PSS_ANON] = W(6), [F_PSS_FILE] = W(7),
	[F_PSS_SHMEM] = W(8), [F_USS] = W(9), [F_SHARED] = W(10), [F_SWAP_PSS] = W(11),
	[F_THP] = W(12), [F_REFERENCED] = W(13), [F_SWAP] = W(14), [F_LOCKED] = W(15),
	[F_MINFLT] = W(16), [F_MAJFLT] = W(17), [F_LEAK] = W(18),
	[F_PID] = N(0), [F_PPID] = N(1), [F_THREADS] = N(2), [F_PSS_AGE] = N(3),
	[F_OOM_SCORE] = N(4), [F_OOM_ADJ] = N(5), [F_MINFLT_RATE] = N(6),
	[F_MAJFLT_RATE] = N(7), [F_GROWTH] = N(8), [F_NUMA_NODE] = N(9), [F_NUMA_PCT] = N(10),
	[F_UID] = U(11), [F_START] = U(12),
	[F_USER] = PROC_NO_SLOT, [F_STATE] = PROC_NO_SLOT, [F_CGROUP] = PROC_NO_SLOT,
	[F_COMM] = PROC_NO_SLOT, [F_CMDLINE] = PROC_NO_SLOT,
};

const struct field_info field_info[F_NUM] = {
	[F_PID] = { "pid", "PID", "pid", "process id", FK_INT, 0, 7, false },
	[F_PPID] = { "ppid", "PPID", "ppid", "parent process id (stat)", FK_INT, 0, 7, false },
	[F_UID] = { "uid", "UID", "uid", "effective user id (status Uid)", FK_INT, 0, 6, false },
	[F_USER] = { "user", "USER", "user", "effective user name", FK_TEXT, 0, 9, false },
	[F_STATE] = { "state", "S", "state", "scheduler state (stat): R S D Z T I ...", FK_TEXT, 0, 1,
		      false },
	[F_THREADS] = { "threads", "THR", "threads", "number of threads (status Threads)", FK_INT, 0,
			4, true },
	[F_START] = { "start", "START", "start_unix_s", "start time (stat starttime)", FK_TIME, 0, 8,
		      true },
	[F_VSZ] = { "vsz", "VSZ", "vsz_kib", "virtual size, all mappings (status VmSize)", FK_KIB, 0, 7,
		    true },
	[F_RSS] = { "rss", "RSS", "rss_kib", "resident set size (status VmRSS)", FK_KIB, 0, 7, true },
	[F_RSS_ANON] = { "rss_anon", "RSANON", "rss_anon_kib", "resident anonymous (status RssAnon)",
			 FK_KIB, 0, 7, true },
	[F_RSS_FILE] = { "rss_file", "RSFILE", "rss_file_kib",
			 "resident file-backed (status RssFile)", FK_KIB, 0, 7, true },
	[F_RSS_SHMEM] = { "rss_shmem", "RSSHM", "rss_shmem_kib",
			  "resident shared memory (status RssShmem)", FK_KIB, 0, 7, true },
	[F_PSS] = { "pss", "PSS", "pss_kib",
		    "proportional set size: shared pages divided among sharers (smaps_rollup Pss)",
		    FK_KIB, NEED_ROLLUP, 7, true },
	[F_PSS_ANON] = { "pss_anon", "PSANON", "pss_anon_kib", "PSS of anonymous pages (Pss_Anon)",
			 FK_KIB, NEED_ROLLUP, 7, true },
	[F_PSS_FILE] = { "pss_file", "PSFILE", "pss_file_kib", "PSS of file pages (Pss_File)", FK_KIB,
			 NEED_ROLLUP, 7, true },
	[F_PSS_SHMEM] = { "pss_shmem", "PSSHM", "pss_shmem_kib", "PSS of shmem pages (Pss_Shmem)",
			  FK_KIB, NEED_ROLLUP, 7, true },
	[F_USS] = { "uss", "USS", "uss_kib",
		    "unique set size: pages only this process maps (Private_Clean + Private_Dirty)",
		    FK_KIB, NEED_ROLLUP, 7, true },
	[F_SHARED] = { "shared", "SHARED", "shared_kib",
		       "resident pages also mapped elsewhere (Shared_Clean + Shared_Dirty)", FK_KIB,
		       NEED_ROLLUP, 7, true },
	[F_SWAP_PSS] = { "swap_pss", "SWPSS", "swap_pss_kib",
			 "proportional swap: shared swap divided among sharers (SwapPss)", FK_KIB,
			 NEED_ROLLUP, 7, true },
	[F_THP] = { "thp", "THP", "thp_kib", "anonymous transparent huge pages (AnonHugePages)",
		    FK_KIB, NEED_ROLLUP, 7, true },
	[F_REFERENCED] = { "referenced", "REF", "referenced_kib",
			   "pages referenced since last clear (Referenced)", FK_KIB, NEED_ROLLUP, 7,
			   true },
	[F_PSS_AGE] = { "pss_age", "PSSAGE", "pss_age_ms",
			"age of the PSS-family values, milliseconds", FK_INT, NEED_ROLLUP, 6, true },
	[F_SWAP] = { "swap", "SWAP", "swap_kib", "swapped-out anonymous memory (status VmSwap)",
		     FK_KIB, 0, 7, true },
	[F_LOCKED] = { "locked", "LOCKED", "locked_kib", "mlock()ed memory (status VmLck)", FK_KIB, 0,
		       7, true },
	[F_OOM_SCORE] = { "oom", "OOM", "oom_score",
			  "OOM killer badness, 0..2000 scale shown by the kernel (oom_score)", FK_INT,
			  0, 5, true },
	[F_OOM_ADJ] = { "oom_adj", "OOMADJ", "oom_score_adj", "OOM adjustment -1000..1000 (oom_score_adj)",
			FK_INT, 0, 6, true },
	[F_MINFLT] = { "minflt", "MINFLT", "minflt", "minor page faults since start (stat)", FK_INT, 0,
		       9, true },
	[F_MAJFLT] = { "majflt", "MAJFLT", "majflt", "major page faults since start (stat)", FK_INT, 0,
		       7, true },
	[F_MINFLT_RATE] = { "minflt_s", "MINF/s", "minflt_per_s",
			    "minor faults per second since the previous refresh", FK_INT,
			    NEED_HISTORY, 7, true },
	[F_MAJFLT_RATE] = { "majflt_s", "MAJF/s", "majflt_per_s",
			    "major faults per second since the previous refresh", FK_INT,
			    NEED_HISTORY, 6, true },
	[F_GROWTH] = { "growth", "GROWTH/s", "growth_kib_per_s",
		       "RSS growth over the history window, KiB per second", FK_KIB, NEED_HISTORY, 8,
		       true },
	[F_LEAK] = { "leak", "LEAK/h", "leak_kib_per_h",
		     "sustained growth (lower envelope of PSS, else RSS), KiB per hour", FK_KIB,
		     NEED_LEAK | NEED_ROLLUP, 7, true },
	[F_NUMA_NODE] = { "numa_node", "NODE", "numa_node",
			   "NUMA node holding most of the process's pages (numa_maps)", FK_INT,
			   NEED_NUMA, 4, false },
	[F_NUMA_PCT] = { "numa_pct", "NODE%", "numa_node_pct",
			 "percent of the process's pages on that node (numa_maps)", FK_INT, NEED_NUMA,
			 5, true },
	[F_CGROUP] = { "cgroup", "CGROUP", "cgroup",
			"memory cgroup: the v2 path, or the v1 memory controller's (/proc/PID/cgroup)",
			FK_TEXT, NEED_CGROUP, 24, false },
	[F_COMM] = { "comm", "COMMAND", "comm", "command name (stat comm, at most 15 bytes)", FK_TEXT,
		     0, 0, false },
	[F_CMDLINE] = { "cmd", "COMMAND LINE", "cmdline", "full command line (cmdline)", FK_TEXT,
			NEED_CMDLINE, 0, false },
};

int
field_parse(const char *key)
{
	for (int f = 0; f < F_NUM; f++)
		if (!strcmp(key, field_info[f].key) || !strcmp(key, field_info[f].csv))
			return f;
	return -1;
}

int
field_parse_list(const char *list, enum field *out, int max, const char **bad, size_t *bad_len)
{
	int n = 0;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		char key[32];
		int f = -1;

		if (len > 0 && len < sizeof key) {
			memcpy(key, p, len);
			key[len] = '\0';
			f = field_parse(key);
		}
		if (f < 0 || n >= max) {
			*bad = p;
			*bad_len = len;
			return -EINVAL;
		}
		out[n++] = (enum field)f;
		if (!p[len])
			return n;
		p += len + 1;
	}
}

int
field_width(enum field f, bool last)
{
	if (last)
		return 0;
	return field_info[f].width ? field_info[f].width : 16; /* a flexible column not at the end */
}

unsigned
field_needs(const enum field *cols, int n)
{
	unsigned need = 0;

	for (int i = 0; i < n; i++)
		need |= field_info[cols[i]].need;
	return need;
}
