/*
 * parse_node_meminfo (/sys/devices/system/node/nodeN/meminfo). Invariants:
 *   - rc: -ENODATA iff empty; known is rebuilt (only bits < N_NUM, none on
 *     error); id stays untouched unless some "Node <id> ...:" line was seen,
 *     and is then in [0, INT32_MAX];
 *   - same result for the complete lines only and for the CRLF form.
 */
#include <errno.h>
#include <limits.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run(const char *data, size_t n, struct node *nd)
{
	char *buf = fz_dup(data, n);

	memset(nd, 0xa5, sizeof *nd);
	nd->id = -12345;
	int rc = parse_node_meminfo(buf, n, nd);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((nd->known & ~((1u << N_NUM) - 1)) == 0);
	if (rc != 0)
		FUZZ_CHECK(nd->known == 0);
	if (rc == 0)
		FUZZ_CHECK(nd->id >= 0);
	FUZZ_CHECK(nd->id == -12345 || (nd->id >= 0 && nd->id <= INT32_MAX));
	return rc;
}

static void
same(const struct node *a, int ra, const struct node *b, int rb)
{
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(a->known == b->known);
	FUZZ_CHECK(a->id == b->id);
	for (int f = 0; f < N_NUM; f++)
		FUZZ_CHECK(!(a->known & (1u << f)) || a->val[f] == b->val[f]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct node a, b;
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
