/*
 * The cgroup parsers (collect/parse_cgroup.c) and the cgroup table they feed
 * (model/cgroup.c). The first byte picks the parser, the rest is the file.
 * Invariants:
 *   - return codes are those documented; -ENODATA iff the file is empty;
 *   - /proc/PID/cgroup: a path found starts with '/', holds no newline, is no
 *     longer than the input, and goes into a cgroup table: every prefix is
 *     there, in tree order, each parent before its child and a prefix of it;
 *   - one-value files: "no limit" is never a number (kib 0), a value is
 *     below 2^63 bytes, and the CRLF form gives the same result;
 *   - key-value files: only the fields of that file get known bits, values
 *     of byte keys fit 2^63 bytes, and the complete lines and the CRLF form
 *     give the same result.
 */
#include <errno.h>

#include "collect/parse_cgroup.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_table(const char *path)
{
	struct cgtable ct;

	cgtable_init(&ct);
	int i = cgtable_add(&ct, path);
	if (strstr(path, "//")) {
		FUZZ_CHECK(i == -EINVAL && ct.n == 0);
		cgtable_fini(&ct);
		return;
	}
	FUZZ_CHECK(i >= 0 && (size_t)i < ct.n);
	FUZZ_CHECK(cgtable_find(&ct, ct.v[i].path) == i);
	cgtable_add(&ct, "/a/b");
	for (size_t k = 0; k < ct.n; k++) {
		int p = ct.v[k].parent;
		FUZZ_CHECK((p == -1) == (k == 0));
		FUZZ_CHECK(p < (int)k);
		if (k > 0)
			FUZZ_CHECK(cg_path_cmp(ct.v[k - 1].path, ct.v[k].path) < 0);
		if (p > 0)
			FUZZ_CHECK(strncmp(ct.v[p].path, ct.v[k].path, strlen(ct.v[p].path)) == 0);
	}
	cgtable_fini(&ct);
}

static void
proc_cgroup(const char *d, size_t n)
{
	char *buf = fz_dup(d, n);
	struct buf path = BUF_INIT;
	enum cg_version v = CG_NONE;
	int rc = parse_proc_cgroup(buf, n, &path, &v);

	free(buf);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	if (rc == 0) {
		FUZZ_CHECK(v == CG_V1 || v == CG_V2);
		FUZZ_CHECK(path.len >= 1 && path.len <= n && path.data[0] == '/');
		FUZZ_CHECK(!memchr(path.data, '\n', path.len));
		if (!memchr(path.data, '\0', path.len))
			check_table(path.data);
	}
	buf_fini(&path);
}

static int
one_value(const char *d, size_t n, bool count, uint64_t *v, bool *none)
{
	char *buf = fz_dup(d, n);
	int rc;

	*none = false;
	*v = 12345;
	rc = count ? parse_cg_count(buf, n, v) : parse_cg_bytes(buf, n, v, none);
	free(buf);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA || rc == -ERANGE);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	if (rc == 0 && *none)
		FUZZ_CHECK(*v == 0);
	if (rc == 0 && !count)
		FUZZ_CHECK(*v <= (uint64_t)INT64_MAX / 1024);
	return rc;
}

static void
values(const char *d, size_t n, bool count)
{
	uint64_t a, b;
	bool na, nb;
	int ra = one_value(d, n, count, &a, &na);

	if (!fz_has_cr(d, n)) {
		size_t cn;
		char *c = fz_crlf(d, n, &cn);
		int rb = one_value(c, cn, count, &b, &nb);
		free(c);
		FUZZ_CHECK(ra == rb);
		if (ra == 0)
			FUZZ_CHECK(a == b && na == nb);
	}
}

static int
keyed(int which, const char *d, size_t n, struct cgroup *cg)
{
	static const uint64_t allowed[] = {
		CG_BIT(CG_EV_LOW) | CG_BIT(CG_EV_HIGH) | CG_BIT(CG_EV_MAX) | CG_BIT(CG_EV_OOM) |
			CG_BIT(CG_OOM_KILLS),
		CG_BIT(CG_UNDER_OOM) | CG_BIT(CG_OOM_KILLS),
		CG_BIT(CG_ANON) | CG_BIT(CG_FILE) | CG_BIT(CG_KERNEL) | CG_BIT(CG_SHMEM) |
			CG_BIT(CG_SOCK) | CG_BIT(CG_INACTIVE_FILE),
		CG_BIT(CG_ANON) | CG_BIT(CG_FILE) | CG_BIT(CG_SHMEM) | CG_BIT(CG_INACTIVE_FILE),
	};
	char *buf = fz_dup(d, n);
	int rc;

	memset(cg, 0, sizeof *cg);
	switch (which) {
	case 0: rc = parse_cg_events(buf, n, cg); break;
	case 1: rc = parse_cg_oom_control(buf, n, cg); break;
	case 2: rc = parse_cg_stat(buf, n, CG_V2, cg); break;
	default: rc = parse_cg_stat(buf, n, CG_V1, cg); break;
	}
	free(buf);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((cg->known & ~allowed[which]) == 0);
	FUZZ_CHECK((rc == 0) == (cg->known != 0));
	for (int f = 0; f < CG_NUM; f++)
		if (!(cg->known & CG_BIT(f)))
			FUZZ_CHECK(cg->val[f] == 0);
		else if (which >= 2)
			FUZZ_CHECK(cg->val[f] <= (uint64_t)INT64_MAX / 1024);
	return rc;
}

static void
keyed_all(int which, const char *d, size_t n)
{
	struct cgroup a, b;
	int ra = keyed(which, d, n, &a);
	size_t cl = fz_complete_len(d, n);

	if (cl) {
		int rb = keyed(which, d, cl, &b);
		FUZZ_CHECK(ra == rb && a.known == b.known);
		FUZZ_CHECK(memcmp(a.val, b.val, sizeof a.val) == 0);
	}
	if (!fz_has_cr(d, n)) {
		size_t cn;
		char *c = fz_crlf(d, n, &cn);
		int rb = keyed(which, c, cn, &b);
		free(c);
		FUZZ_CHECK(ra == rb && a.known == b.known);
		FUZZ_CHECK(memcmp(a.val, b.val, sizeof a.val) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *d = (const char *)data + 1;
	size_t n = size - 1;

	switch (data[0] % 7) {
	case 0: proc_cgroup(d, n); break;
	case 1: values(d, n, false); break;
	case 2: values(d, n, true); break;
	default: keyed_all(data[0] % 7 - 3, d, n); break;
	}
	return 0;
}
