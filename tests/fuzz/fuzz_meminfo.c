/*
 * parse_meminfo (/proc/meminfo). Invariants:
 *   - known is rebuilt: only bits < M_NUM, none when rc != 0; rc -ENODATA iff
 *     empty; swaps, psi and nodes are left alone;
 *   - derived values: M_USED is known iff MemTotal and MemAvailable are known
 *     and total >= available, and then used + available == total (same for
 *     M_SWAP_USED with SwapTotal/SwapFree): no wrap-around;
 *   - same result for the complete lines only and for the CRLF form.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
has(const struct sysmem *s, enum mem_field f)
{
	return (s->known >> f) & 1;
}

static void
derived(const struct sysmem *s, enum mem_field out, enum mem_field a, enum mem_field b)
{
	int expect = has(s, a) && has(s, b) && s->val[a] >= s->val[b];

	FUZZ_CHECK(has(s, out) == expect);
	if (expect)
		FUZZ_CHECK(s->val[out] + s->val[b] == s->val[a]);
}

static int
run(const char *data, size_t n, struct sysmem *s)
{
	char *buf = fz_dup(data, n);
	struct sysmem before;

	memset(s, 0xa5, sizeof *s);
	before = *s;
	int rc = parse_meminfo(buf, n, s);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((s->known & ~((1u << M_NUM) - 1)) == 0);
	if (rc != 0)
		FUZZ_CHECK(s->known == 0);
	FUZZ_CHECK(s->swaps == before.swaps && s->nswaps == before.nswaps);
	FUZZ_CHECK(s->nodes == before.nodes && s->nnodes == before.nnodes);
	FUZZ_CHECK(memcmp(&s->psi, &before.psi, sizeof s->psi) == 0);
	derived(s, M_USED, M_TOTAL, M_AVAILABLE);
	derived(s, M_SWAP_USED, M_SWAP_TOTAL, M_SWAP_FREE);
	return rc;
}

static void
same(const struct sysmem *a, int ra, const struct sysmem *b, int rb)
{
	FUZZ_CHECK(ra == rb && a->known == b->known);
	for (int f = 0; f < M_NUM; f++)
		FUZZ_CHECK(!has(a, (enum mem_field)f) || a->val[f] == b->val[f]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct sysmem a, b;
	int ra = run(d, size, &a);

	size_t cl = fz_complete_len(d, size);
	if (cl) {
		int rb = run(d, cl, &b);
		same(&a, ra, &b, rb);
	}
	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		int rb = run(c, n, &b);
		free(c);
		same(&a, ra, &b, rb);
	}
	return 0;
}
