/*
 * parse_pid_stat (/proc/<pid>/stat). Invariants:
 *   - rc is 0, -EINVAL or -ENODATA (iff the buffer is empty; *st is then all
 *     zero); comm is NUL-terminated, shorter than PROC_COMM_MAX, whatever rc;
 *   - on 0: pid is in [1, INT32_MAX] and is the input's leading digits; comm
 *     is the bytes between the first '(' and the last ')', cut to
 *     PROC_COMM_MAX - 1; state is the byte after ") ";
 *   - on 0, the same with the line's trailing '\n' taken off, and the fields
 *     written back as the kernel writes a stat line parse to the same *st.
 *
 * parse_pid_status (/proc/<pid>/status). Invariants:
 *   - only the known bits and values of the fields it sets (F_UID, F_VSZ,
 *     F_RSS, F_RSS_ANON, F_RSS_FILE, F_RSS_SHMEM, F_SWAP, F_LOCKED) change;
 *     the rest of struct proc is byte for byte what it was;
 *   - rc: -ENODATA iff empty (then none of those fields is known), 0 iff the
 *     owner (F_UID) is known, -EINVAL otherwise;
 *   - a known uid is in [0, UINT32_MAX], a known memory value in
 *     [0, FZ_KIB_MAX] (its byte count fits);
 *   - RssAnon, RssFile and RssShmem are known all three or none, and only
 *     with VmRSS, which is their sum;
 *   - the result is the same for the complete lines only (a truncated last
 *     line is ignored) and for the CRLF form of the input.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- stat ---- */

static int
run_stat(const char *data, size_t n, struct pid_stat *st)
{
	static const struct pid_stat zero;
	char *buf = fz_dup(data, n);

	memset(st, 0xa5, sizeof *st);
	int rc = parse_pid_stat(buf, n, st);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK(memchr(st->comm, '\0', sizeof st->comm) != NULL);
	if (rc == -ENODATA)
		FUZZ_CHECK(memcmp(st, &zero, sizeof zero) == 0);
	return rc;
}

static int
same_stat(const struct pid_stat *a, const struct pid_stat *b)
{
	return a->pid == b->pid && a->ppid == b->ppid && a->flags == b->flags &&
	       a->minflt == b->minflt && a->majflt == b->majflt && a->threads == b->threads &&
	       a->start_ticks == b->start_ticks && a->vsize == b->vsize &&
	       a->rss_pages == b->rss_pages && a->state == b->state &&
	       memcmp(a->comm, b->comm, sizeof a->comm) == 0;
}

/* The fields of st as the kernel's do_task_stat() writes them, 0 where unused. */
static char *
write_stat(const struct pid_stat *st, size_t comm_len, size_t *outn)
{
	size_t cap = comm_len + 512;
	char *c = malloc(cap);
	int n, m;

	if (!c)
		abort();
	n = snprintf(c, cap, "%llu (", (unsigned long long)st->pid);
	memcpy(c + n, st->comm, comm_len);
	n += (int)comm_len;
	m = snprintf(c + n, cap - (size_t)n,
		     ") %c %llu 0 0 0 -1 %llu %llu 0 %llu 0 0 0 0 0 20 0 %llu 0 %llu %llu %llu "
		     "18446744073709551615 0\n",
		     st->state, (unsigned long long)st->ppid, (unsigned long long)st->flags,
		     (unsigned long long)st->minflt, (unsigned long long)st->majflt,
		     (unsigned long long)st->threads, (unsigned long long)st->start_ticks,
		     (unsigned long long)st->vsize, (unsigned long long)st->rss_pages);
	FUZZ_CHECK(m > 0 && (size_t)m < cap - (size_t)n);
	*outn = (size_t)n + (size_t)m;
	return c;
}

static void
check_stat(const char *d, size_t size)
{
	struct pid_stat a, b;
	int ra = run_stat(d, size, &a);

	if (ra != 0)
		return;

	/* pid: the leading digits, then " (" */
	const char *open = memchr(d, '(', size);
	FUZZ_CHECK(open != NULL && open - d >= 2 && open[-1] == ' ');
	uint64_t pid = 0;
	for (const char *p = d; p < open - 1; p++) {
		FUZZ_CHECK(*p >= '0' && *p <= '9');
		pid = pid * 10 + (uint64_t)(*p - '0');
		FUZZ_CHECK(pid <= INT32_MAX);
	}
	FUZZ_CHECK(a.pid == pid && pid >= 1);

	/* comm: up to the last ')', cut; state: the byte after ") " */
	const char *close = d + size;
	while (close > open && close[-1] != ')')
		close--;
	FUZZ_CHECK(close > open + 1);
	close--;
	size_t cl = (size_t)(close - open - 1);
	size_t kept = cl < PROC_COMM_MAX - 1 ? cl : PROC_COMM_MAX - 1;
	FUZZ_CHECK(memcmp(a.comm, open + 1, kept) == 0 && a.comm[kept] == '\0');
	FUZZ_CHECK(d + size - close >= 3 && close[1] == ' ' && a.state == close[2]);
	FUZZ_CHECK(a.state != ' ');

	/* without its newline */
	if (d[size - 1] == '\n' && d + size - 1 > close + 1) {
		int rb = run_stat(d, size - 1, &b);
		FUZZ_CHECK(rb == 0 && same_stat(&a, &b));
	}

	/* written back and parsed again */
	size_t n;
	char *c = write_stat(&a, kept, &n);
	int rb = run_stat(c, n, &b);
	free(c);
	FUZZ_CHECK(rb == 0 && same_stat(&a, &b));
}

/* ---- status ---- */

#define PID_STATUS_SET                                                                   \
	(FIELD_BIT(F_UID) | FIELD_BIT(F_VSZ) | FIELD_BIT(F_RSS) | FIELD_BIT(F_RSS_ANON) |  \
	 FIELD_BIT(F_RSS_FILE) | FIELD_BIT(F_RSS_SHMEM) | FIELD_BIT(F_SWAP) | FIELD_BIT(F_LOCKED))
#define RSS_PARTS (FIELD_BIT(F_RSS_ANON) | FIELD_BIT(F_RSS_FILE) | FIELD_BIT(F_RSS_SHMEM))

static void
prefill(struct proc *p, uint64_t seed)
{
	memset(p, 0, sizeof *p);
	for (int f = 0; f < F_NUM; f++)
		proc_store(p, (enum field)f, (int64_t)(seed * 0x9e3779b97f4a7c15u + (uint64_t)f));
	p->known = seed * 0xd1b54a32d192ed03u;
	p->state = (char)seed;
	p->flags = (uint8_t)(seed >> 8);
	p->start_ticks = seed;
	memset(p->comm.in, 'c', sizeof p->comm.in - 1); /* inline: nothing for p to free */
	p->user = "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu";
}

static int
run_status(const char *data, size_t n, struct proc *p, uint64_t seed)
{
	char *buf = fz_dup(data, n);
	struct proc before, t;

	prefill(p, seed);
	memcpy(&before, p, sizeof before);
	int rc = parse_pid_status(buf, n, p);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((rc == 0) == proc_has(p, F_UID));
	if (rc == -ENODATA)
		FUZZ_CHECK((p->known & PID_STATUS_SET) == 0);

	/* outside the set: untouched, byte for byte */
	memcpy(&t, p, sizeof t);
	for (int f = 0; f < F_NUM; f++) {
		if (PID_STATUS_SET & FIELD_BIT(f))
			proc_store(&t, (enum field)f, proc_val(&before, (enum field)f));
	}
	t.known = (t.known & ~(uint64_t)PID_STATUS_SET) | (before.known & PID_STATUS_SET);
	FUZZ_CHECK(memcmp(&t, &before, sizeof t) == 0);

	/* in range */
	if (proc_has(p, F_UID))
		FUZZ_CHECK(proc_val(p, F_UID) >= 0 && proc_val(p, F_UID) <= (int64_t)UINT32_MAX);
	for (int f = 0; f < F_NUM; f++) {
		if (f != F_UID && (PID_STATUS_SET & FIELD_BIT(f)) && proc_has(p, (enum field)f))
			FUZZ_CHECK(proc_val(p, (enum field)f) >= 0 && (uint64_t)proc_val(p, (enum field)f) <= FZ_KIB_MAX);
	}

	/* the sum rule */
	uint64_t parts = p->known & RSS_PARTS;
	FUZZ_CHECK(parts == 0 || parts == RSS_PARTS);
	if (parts) {
		FUZZ_CHECK(proc_has(p, F_RSS));
		FUZZ_CHECK(proc_val(p, F_RSS_ANON) + proc_val(p, F_RSS_FILE) + proc_val(p, F_RSS_SHMEM) ==
			   proc_val(p, F_RSS));
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;

	check_stat(d, size);
	fz_same_in_forms(d, size, run_status, PID_STATUS_SET);
	return 0;
}
