/*
 * parse_node_distance (/sys/devices/system/node/nodeN/distance). Invariants:
 *   - the whole distance[] is rewritten (cleared first): on any error it is all
 *     zero; rc -ENODATA iff empty;
 *   - only the first line counts: appending lines after a complete first line
 *     changes nothing; CRLF gives the same result;
 *   - on success, entry k is the k-th number of the first line when it is
 *     <= 255, else 0 (checked against a reference tokenizer), and entries past
 *     the last number are 0; id, known and val[] are untouched.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run(const char *data, size_t n, struct node *nd)
{
	char *buf = fz_dup(data, n);
	struct node before;

	memset(nd, 0xa5, sizeof *nd);
	before = *nd;
	int rc = parse_node_distance(buf, n, nd);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK(nd->id == before.id && nd->known == before.known);
	FUZZ_CHECK(memcmp(nd->val, before.val, sizeof nd->val) == 0);
	if (rc != 0) {
		for (int k = 0; k < NODE_MAX; k++)
			FUZZ_CHECK(nd->distance[k] == 0);
	}
	return rc;
}

/* Reference: numbers of the first complete line; -1 if the line is malformed. */
static int
reference(const char *d, size_t n, uint8_t want[NODE_MAX])
{
	const char *nl = memchr(d, '\n', n);
	const char *p, *e;
	int k = 0;

	memset(want, 0, NODE_MAX);
	if (!nl)
		return -1;
	e = (nl > d && nl[-1] == '\r') ? nl - 1 : nl;
	for (p = d; p < e;) {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		unsigned __int128 v = 0;
		int big = 0;
		const char *s = p;
		while (p < e && *p >= '0' && *p <= '9') {
			if (!big && (v = v * 10 + (unsigned)(*p - '0')) > 255)
				big = 1;
			p++;
		}
		if (p == s || (p < e && *p != ' ' && *p != '\t'))
			return -1;
		if (k < NODE_MAX)
			want[k] = big ? 0 : (uint8_t)v;
		k++;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct node a, b;
	uint8_t want[NODE_MAX];
	int ra = run(d, size, &a);

	if (size) {
		int k = reference(d, size, want);
		FUZZ_CHECK((ra == 0) == (k > 0));
		if (ra == 0)
			FUZZ_CHECK(memcmp(a.distance, want, NODE_MAX) == 0);
	}

	const char *nl = memchr(d, '\n', size);
	if (nl) {  /* the first line alone */
		int rb = run(d, (size_t)(nl - d) + 1, &b);
		FUZZ_CHECK(ra == rb && memcmp(a.distance, b.distance, NODE_MAX) == 0);
	}
	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		int rb = run(c, n, &b);
		free(c);
		FUZZ_CHECK(ra == rb && memcmp(a.distance, b.distance, NODE_MAX) == 0);
	}
	return 0;
}
