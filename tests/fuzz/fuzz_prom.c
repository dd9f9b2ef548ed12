/*
 * The Prometheus renderer (output/prom.h) over tables built from the input.
 *
 * Input: byte 0 = mode (bits 0-1: --prom-by pid/comm/user/cgroup; bits 2-4:
 * --prom-top 0..7), then records, one per process (at most 16): a flags byte
 * (bit per metric known: RSS, PSS, USS, swap, OOM score, user), 8 bytes of
 * value seed, a length byte and that many bytes of command name (cut at 63), a
 * length byte and the user name (cut at 32). Values are spread over the whole
 * int64 range, negative and huge ones included, so the saturating sums are
 * exercised. The seed's top bits also give the process a cgroup ("/" and its
 * user name's bytes, added to the cgroup table with values from the seed, a
 * limit or "no limit") and a leak trend.
 * Invariants:
 *   - the output passes the independent checker tests/fuzz/prom_check.h
 *     (valid UTF-8, HELP and TYPE per family, contiguous families, label
 *     escapes, no duplicate label sets), whatever the names;
 *   - prom_label_value() of the raw name, unescaped by the format's rule and
 *     then by esc_unescape(), gives the raw bytes back;
 *   - while no sum saturates, the PSS samples add up to the known PSS of all
 *     processes (the remainder keeps totals), and smaptop_processes adds up
 *     to the number of processes.
 */
#include <errno.h>

#include "model/select.h"
#include "model/table.h"
#include "output/prom.h"
#include "util/escape.h"
#include "fuzz_common.h"
#include "prom_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAXP = 16 };

/* The format's unescaping of a label value (\\, \", \n). */
static void
unescape_label(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			buf_putc(out, s[i] == 'n' ? '\n' : s[i]);
		} else {
			buf_putc(out, s[i]);
		}
	}
}

static void
check_roundtrip(const char *raw, size_t n)
{
	struct buf lab = BUF_INIT, tmp = BUF_INIT, un = BUF_INIT, back = BUF_INIT;

	prom_label_value(&lab, &tmp, raw, n);
	for (size_t i = 0; i < lab.len; i++)
		FUZZ_CHECK(lab.data[i] != '\n');
	unescape_label(&un, lab.data ? lab.data : "", lab.len);
	FUZZ_CHECK(esc_unescape(&back, un.data ? un.data : "", un.len) == 0);
	FUZZ_CHECK(back.len == n && (n == 0 || memcmp(back.data, raw, n) == 0));
	buf_fini(&lab);
	buf_fini(&tmp);
	buf_fini(&un);
	buf_fini(&back);
}

/* Sum of the values of the samples of `name` (lines "name{...} V" or "name V"). */
static __int128
sum_of(const char *text, const char *name)
{
	size_t n = strlen(name);
	__int128 sum = 0;

	for (const char *l = text; *l;) {
		const char *end = strchr(l, '\n');
		if (strncmp(l, name, n) == 0 && (l[n] == '{' || l[n] == ' ')) {
			const char *sp = end;
			while (sp > l && sp[-1] != ' ')
				sp--;
			sum += strtoll(sp, NULL, 10);
		}
		l = end + 1;
	}
	return sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proc procs[MAXP];
	static char paths[MAXP][PROC_USER_MAX + 1], users[MAXP][PROC_USER_MAX];
	struct table t;
	size_t i = 1, n = 0;
	__int128 pss_sum = 0;
	bool big = false;

	if (size < 1)
		return 0;
	memset(&t, 0, sizeof t);
	memset(procs, 0, sizeof procs);
	memset(users, 0, sizeof users);
	cgtable_init(&t.cg);
	while (n < MAXP && i + 11 <= size) {
		struct proc *p = &procs[n];
		uint8_t fl = data[i];
		uint64_t seed;
		memcpy(&seed, data + i + 1, 8);
		i += 9;
		size_t cl = data[i++];
		cl = cl > size - i ? size - i : cl;
		const char *comm = (const char *)data + i; /* up to a NUL, as stat's names */
		proc_set_comm(p, comm, strnlen(comm, cl < PROC_COMM_MAX - 1 ? cl : PROC_COMM_MAX - 1));
		check_roundtrip((const char *)data + i, cl);
		i += cl;
		size_t ul = i < size ? data[i++] : 0;
		ul = ul > size - i ? size - i : ul;
		memcpy(users[n], data + i, ul < PROC_USER_MAX - 1 ? ul : PROC_USER_MAX - 1);
		p->user = users[n];
		i += ul;
		proc_set(p, F_PID, (int64_t)n + 1);
		proc_set(p, F_COMM, 0);
		int64_t v = (int64_t)seed;
		int64_t small = (int64_t)(seed % 100000);
		int64_t val = fl & 0x80 ? v : small; /* mostly sane, sometimes anything */
		big |= (fl & 0x80) != 0;
		if (fl & 1)
			proc_set(p, F_RSS, val);
		if (fl & 2) {
			proc_set(p, F_PSS, val / 2);
			pss_sum += (__int128)(val / 2) * 1024;
		}
		if (fl & 4)
			proc_set(p, F_USS, val / 3);
		if (fl & 8)
			proc_set(p, F_SWAP, small);
		if (fl & 16)
			proc_set(p, F_OOM_SCORE, (int64_t)(seed >> 40) % 2001 - 1000);
		if (fl & 32)
			proc_set(p, F_USER, 0);
		if (fl & 64)
			proc_set(p, F_MAJFLT, val);
		if (seed >> 61 & 1)
			proc_set(p, F_LEAK, val);
		if (seed >> 62 & 1) {
			paths[n][0] = '/';
			memcpy(paths[n] + 1, users[n], PROC_USER_MAX);
			p->cgroup = paths[n]; /* borrowed */
			proc_set(p, F_CGROUP, 0);
			int c = cgtable_add(&t.cg, paths[n]);
			if (c >= 0) {
				struct cgroup *g = &t.cg.v[c];
				g->val[CG_USAGE] = (uint64_t)small;
				g->val[CG_LIMIT] = (uint64_t)v;
				g->val[CG_OOM_KILLS] = seed >> 48;
				g->known = CG_BIT(CG_USAGE) | CG_BIT(CG_LIMIT) | CG_BIT(CG_OOM_KILLS);
				g->nolimit = seed >> 63 ? CG_BIT(CG_LIMIT) : 0;
				g->members_all = 1;
				g->pss_kib = (uint64_t)small;
				g->fc.known = fl & 1;
				g->fc.eta_s = v;
			}
		}
		n++;
	}
	t.procs = procs;
	t.n = n;
	t.cap = MAXP;
	t.sys.known = data[0] & 0x20 ? (1u << M_TOTAL) | (1u << M_HUGE_TOTAL) : 0;
	t.sys.val[M_TOTAL] = data[0] & 0x40 ? UINT64_MAX : 1024;
	t.sys.psi.known = data[0] & 0x80;
	t.sys.oom.vmstat_known = data[0] & 0x10;
	t.sys.oom.vmstat_kills = UINT64_MAX;

	struct selection sel = { .sort = F_PID };
	struct prom_opts o = { .top = (data[0] >> 2) & 7, .by = (enum prom_by)(data[0] & 3) };
	struct prom_scratch ps = { 0 };
	struct buf out = BUF_INIT;
	size_t line;
	prom_render(&out, &t, &sel, &o, &ps);
	const char *err = pc_check(out.data ? out.data : "", out.len, &line);
	if (err)
		fprintf(stderr, "line %zu: %s\n%s\n", line, err, out.data);
	FUZZ_CHECK(err == NULL);
	if (!big) {
		FUZZ_CHECK(sum_of(out.data, "smaptop_process_pss_bytes") == pss_sum);
		FUZZ_CHECK(sum_of(out.data, "smaptop_processes") == (__int128)n);
	}
	buf_fini(&out);
	prom_scratch_fini(&ps);
	cgtable_fini(&t.cg);
	for (size_t k = 0; k < n; k++)
		proc_set_comm(&procs[k], "", 0); /* its long name; the cgroup is borrowed */
	return 0;
}
