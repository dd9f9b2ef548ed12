/*
 * parse_numa_maps (/proc/<pid>/numa_maps). The first input byte picks
 * max_nodes (-2..NODE_MAX+5) and whether other_kib is passed; node_kib is an
 * exactly-sized heap array (ASan catches any write past max_nodes).
 * Invariants:
 *   - rc: -ENODATA iff empty, -ERANGE when some count is out of range,
 *     else 0 iff some line starts with a hex address;
 *   - node_kib is not cleared: entries only grow from their prefilled value;
 *     with other_kib == NULL nothing beyond max_nodes is counted anywhere;
 *   - conservation: the KiB added over node_kib[] and *other_kib equals what a
 *     run with max_nodes = 0 adds to *other_kib alone (unless a sum saturated);
 *   - same additions for the complete lines only and for the CRLF form.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PREFILL 7

struct res {
	int rc;
	int saturated;
	uint64_t added;   /* node_kib[] plus other, over the prefill */
	uint64_t *node;   /* max(0, max_nodes) entries, minus the prefill */
	uint64_t other;
};

static struct res
run(const char *data, size_t n, int max_nodes, int with_other)
{
	size_t cnt = max_nodes > 0 ? (size_t)max_nodes : 0;
	uint64_t *node = malloc(cnt * sizeof *node);
	uint64_t *other = with_other ? malloc(sizeof *other) : NULL;
	char *buf = fz_dup(data, n);
	struct res r = { 0 };

	if (!node && cnt)
		abort();
	for (size_t i = 0; i < cnt; i++)
		node[i] = PREFILL;
	if (other)
		*other = PREFILL;
	r.rc = parse_numa_maps(buf, n, node, max_nodes, other);
	free(buf);

	FUZZ_CHECK(r.rc == 0 || r.rc == -EINVAL || r.rc == -ENODATA || r.rc == -ERANGE);
	FUZZ_CHECK((r.rc == -ENODATA) == (n == 0));
	for (size_t i = 0; i < cnt; i++) {
		FUZZ_CHECK(node[i] >= PREFILL);
		if (node[i] == UINT64_MAX)
			r.saturated = 1;
		node[i] -= PREFILL;
		r.added = fz_add_sat(r.added, node[i]);
	}
	if (other) {
		FUZZ_CHECK(*other >= PREFILL);
		if (*other == UINT64_MAX)
			r.saturated = 1;
		r.other = *other - PREFILL;
		r.added = fz_add_sat(r.added, r.other);
		free(other);
	}
	if (r.added == UINT64_MAX)
		r.saturated = 1;
	if (r.rc == -EINVAL || r.rc == -ENODATA)
		FUZZ_CHECK(r.added == 0);
	r.node = node;
	return r;
}

static void
same(const struct res *a, const struct res *b, int max_nodes)
{
	FUZZ_CHECK(a->rc == b->rc);
	FUZZ_CHECK(a->other == b->other);
	for (int i = 0; i < max_nodes; i++)
		FUZZ_CHECK(a->node[i] == b->node[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int max_nodes = (int)(data[0] % (NODE_MAX + 8)) - 2;
	int with_other = data[0] >= 128;
	const char *d = (const char *)data + 1;
	size_t n = size - 1;

	struct res a = run(d, n, max_nodes, with_other);
	struct res all = run(d, n, 0, 1);
	FUZZ_CHECK(all.rc == a.rc);
	if (with_other && !a.saturated && !all.saturated)
		FUZZ_CHECK(a.added == all.other);
	if (!with_other)
		FUZZ_CHECK(a.added <= all.other);
	free(all.node);

	size_t cl = fz_complete_len(d, n);
	if (cl) {
		struct res b = run(d, cl, max_nodes, with_other);
		same(&a, &b, max_nodes);
		free(b.node);
	}
	if (!fz_has_cr(d, n)) {
		size_t cn;
		char *c = fz_crlf(d, n, &cn);
		struct res b = run(c, cn, max_nodes, with_other);
		free(c);
		same(&a, &b, max_nodes);
		free(b.node);
	}
	free(a.node);
	return 0;
}
