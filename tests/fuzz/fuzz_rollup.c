/*
 * parse_rollup (/proc/<pid>/smaps_rollup). Invariants:
 *   - only the ROLLUP_FIELDS bits of p->known change, and only their values;
 *   - a known rollup value is in [0, PU_KIB_MAX] (its byte count fits);
 *   - rc: -ENODATA iff empty, 0 iff some used key was found (then p->known may
 *     still be empty), -EINVAL otherwise;
 *   - the result is the same for the complete lines only (a truncated last
 *     line is ignored) and for the CRLF form of the input.
 *
 * parse_smaps_totals (the same file read as the kernel's smaps totals):
 *   - rc as parse_smaps; known is 0 unless rc is 0, never has MF_SIZE; a
 *     value not known is 0, a known one fits in bytes (MF_THP: three of them);
 *   - the same for the CRLF form of the input.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
prefill(struct proc *p, uint64_t seed)
{
	memset(p, 0, sizeof *p);
	for (int f = 0; f < F_NUM; f++)
		proc_store(p, (enum field)f, (int64_t)(seed * 0x9e3779b97f4a7c15u + (uint64_t)f));
	p->known = seed * 0xd1b54a32d192ed03u;
}

static int
run(const char *data, size_t n, struct proc *p, uint64_t seed)
{
	char *buf = fz_dup(data, n);
	struct proc before;

	prefill(p, seed);
	before = *p;
	int rc = parse_rollup(buf, n, p);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((p->known & ~(uint64_t)ROLLUP_FIELDS) == (before.known & ~(uint64_t)ROLLUP_FIELDS));
	if (rc != 0)
		FUZZ_CHECK((p->known & ROLLUP_FIELDS) == 0);
	for (int f = 0; f < F_NUM; f++) {
		if (ROLLUP_FIELDS & FIELD_BIT(f)) {
			if (proc_has(p, (enum field)f))
				FUZZ_CHECK(proc_val(p, (enum field)f) >= 0 && (uint64_t)proc_val(p, (enum field)f) <= FZ_KIB_MAX);
			else
				FUZZ_CHECK(proc_val(p, (enum field)f) == proc_val(&before, (enum field)f));
		} else {
			FUZZ_CHECK(proc_val(p, (enum field)f) == proc_val(&before, (enum field)f));
		}
	}
	return rc;
}

static int
run_totals(const char *data, size_t n, uint64_t *val, uint16_t *known)
{
	char *buf = fz_dup(data, n);
	int rc = parse_smaps_totals(buf, n, val, known);

	free(buf);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK(rc == 0 || *known == 0);
	FUZZ_CHECK(!(*known & MF_BIT(MF_SIZE)));
	for (int f = 0; f < MF_NUM; f++) {
		if (!(*known & MF_BIT(f)))
			FUZZ_CHECK(val[f] == 0);
		else
			FUZZ_CHECK(val[f] <= (f == MF_THP ? 3 : 1) * FZ_KIB_MAX);
	}
	return rc;
}

static void
check_totals(const char *d, size_t size)
{
	uint64_t va[MF_NUM], vb[MF_NUM];
	uint16_t ka, kb;
	int ra = run_totals(d, size, va, &ka);

	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		int rb = run_totals(c, n, vb, &kb);
		free(c);
		FUZZ_CHECK(ra == rb && ka == kb && memcmp(va, vb, sizeof va) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;

	check_totals(d, size);
	fz_same_in_forms(d, size, run, ROLLUP_FIELDS);
	return 0;
}
