/*
 * parse_smaps (/proc/<pid>/smaps), its incremental form (smaps_begin/feed/end)
 * and maplist_group on the result.
 *
 * parse_smaps invariants:
 *   - rc: -ENODATA iff empty; 0 iff at least one mapping, else -EINVAL;
 *   - each mapping's path lies in the string arena (path_off + path_len <=
 *     str_len <= str_cap); it holds a '\n' or starts with a blank only when
 *     the input has a backslash (the kernel's "\ooo" escapes are decoded);
 *   - perms is NUL-terminated; cls < MC_NUM and equals map_classify() of the
 *     stored path/perms;
 *   - every stored value fits in bytes (<= PU_KIB_MAX), MF_THP (a sum of three
 *     such values) included up to 3 * PU_KIB_MAX;
 *   - total[f] is the saturating sum of the per-mapping values; a value
 *     marked unavailable (mapping.unknown) is 0, and total_partial is the
 *     union of the mappings' unknown bits;
 *   - identical results for: a fresh and a reused (dirty) maplist; the
 *     incremental parser fed the input in two pieces split where the first
 *     byte says, and in pieces of 1..16 bytes (also from the first byte); the
 *     complete lines only; and the CRLF form of the input, which takes every
 *     line off the fixed-width fast path, so the fast path is checked against
 *     the slow path.
 *
 * maplist_group invariants:
 *   - counts add up to n; groups are in increasing order of `first`, each
 *     `first` is the lowest index of a mapping with that (class, path), no two
 *     groups share a key; group values are the saturating sums of their members,
 *     and the groups' values add up (saturating) to the list's totals.
 *
 *   - every mapping has start <= end (the parser rejects inverted ranges).
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"
#include "../unit/maps_at.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct maplist reused;  /* kept across inputs, like the collector's */
static int input_escapes;      /* the input holds a backslash: paths may be decoded */

static int check_list(struct maplist *m, int rc, size_t n);

static int
run(const char *data, size_t n, struct maplist *m)
{
	char *buf = fz_dup(data, n);
	int rc = parse_smaps(buf, n, m);

	free(buf);
	return check_list(m, rc, n);
}

/*
 * The incremental parser fed data[0..n) as a piece of `first` bytes, then
 * pieces of `step` bytes; each piece an exact-size copy, scribbled over once
 * fed, so the parser can neither read past a piece nor keep a pointer into it.
 */
static int
run_pieces(const char *data, size_t n, size_t first, size_t step, struct maplist *m)
{
	struct smaps_parser sp;
	size_t off = 0, k = first;

	smaps_begin(&sp, m);
	while (off < n) {
		if (k > n - off)
			k = n - off;
		char *piece = fz_dup(data + off, k);
		smaps_feed(&sp, piece, k);
		memset(piece, '\n', k);
		free(piece);
		off += k;
		k = step;
	}
	return check_list(m, smaps_end(&sp), n);
}

static int
check_list(struct maplist *m, int rc, size_t n)
{
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((rc == 0) == (m->n > 0));
	FUZZ_CHECK(m->n <= m->cap);
	FUZZ_CHECK(m->str_len <= m->str_cap);

	uint64_t tot[MF_NUM] = { 0 };
	unsigned partial = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct mapping *mp = map_at(m, i);

		FUZZ_CHECK(mp->perms[4] == '\0');
		FUZZ_CHECK(mp->cls < MC_NUM);
		FUZZ_CHECK((uint64_t)mp->path_off + mp->path_len <= m->str_len);
		FUZZ_CHECK(mp->start <= mp->end);
		if (mp->path_len) {
			const char *path = mapping_path(m, mp);
			if (!input_escapes) {
				FUZZ_CHECK(memchr(path, '\n', mp->path_len) == NULL);
				FUZZ_CHECK(path[0] != ' ' && path[0] != '\t');
			}
			/* classify again from an exact copy: no read past the path */
			char *pc = fz_dup(path, mp->path_len);
			FUZZ_CHECK(map_classify(pc, mp->path_len, mp->perms, mp->inode) == mp->cls);
			free(pc);
		} else {
			FUZZ_CHECK(mp->cls == map_classify(NULL, 0, mp->perms, mp->inode));
		}
		partial |= mp->unknown;
		FUZZ_CHECK(mp->unknown < (1u << MF_NUM));
		for (int f = 0; f < MF_NUM; f++) {
			if (mp->unknown & MF_BIT(f))
				FUZZ_CHECK(mp->val[f] == 0);
			if (f == MF_THP)
				FUZZ_CHECK(mp->val[f] <= 3 * FZ_KIB_MAX);
			else
				FUZZ_CHECK(mp->val[f] <= FZ_KIB_MAX);
			tot[f] = fz_add_sat(tot[f], mp->val[f]);
		}
	}
	for (int f = 0; f < MF_NUM; f++)
		FUZZ_CHECK(tot[f] == m->total[f]);
	FUZZ_CHECK(partial == m->total_partial);
	FUZZ_CHECK(m->rollup_known == 0);
	return rc;
}

static void
same(const struct maplist *a, int ra, const struct maplist *b, int rb)
{
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct mapping *x = map_at(a, i), *y = map_at(b, i);

		FUZZ_CHECK(x->start == y->start && x->end == y->end);
		FUZZ_CHECK(x->offset == y->offset && x->inode == y->inode);
		FUZZ_CHECK(x->dev_major == y->dev_major && x->dev_minor == y->dev_minor);
		FUZZ_CHECK(memcmp(x->perms, y->perms, sizeof x->perms) == 0);
		FUZZ_CHECK(x->cls == y->cls);
		FUZZ_CHECK(x->path_len == y->path_len);
		FUZZ_CHECK(x->path_len == 0 ||
			   memcmp(mapping_path(a, x), mapping_path(b, y), x->path_len) == 0);
		for (int f = 0; f < MF_NUM; f++)
			FUZZ_CHECK(x->val[f] == y->val[f]);
		FUZZ_CHECK(x->unknown == y->unknown);
	}
	FUZZ_CHECK(a->total_partial == b->total_partial);
	for (int f = 0; f < MF_NUM; f++)
		FUZZ_CHECK(a->total[f] == b->total[f]);
}

static int
same_key(const struct maplist *m, const struct mapping *x, const struct mapping *y)
{
	return x->cls == y->cls && x->path_len == y->path_len &&
	       (x->path_len == 0 ||
		memcmp(mapping_path(m, x), mapping_path(m, y), x->path_len) == 0);
}

static void
check_group(const struct maplist *m)
{
	struct mapgroup *g = (struct mapgroup *)1;
	size_t ng = maplist_group(m, &g);

	if (m->n == 0) {
		FUZZ_CHECK(ng == 0 && g == NULL);
		return;
	}
	FUZZ_CHECK(ng >= 1 && ng <= m->n && g != NULL);

	size_t *owner = malloc(m->n * sizeof *owner);
	uint64_t sum[MF_NUM] = { 0 };
	size_t count = 0;
	FUZZ_CHECK(owner != NULL);
	for (size_t k = 0; k < ng; k++) {
		FUZZ_CHECK(g[k].first < m->n);
		FUZZ_CHECK(g[k].count >= 1);
		FUZZ_CHECK(g[k].cls == map_at(m, g[k].first)->cls);
		if (k)
			FUZZ_CHECK(g[k - 1].first < g[k].first);
		count += g[k].count;
		for (int f = 0; f < MF_NUM; f++)
			sum[f] = fz_add_sat(sum[f], g[k].val[f]);
	}
	FUZZ_CHECK(count == m->n);
	for (int f = 0; f < MF_NUM; f++)
		FUZZ_CHECK(sum[f] == m->total[f]);

	/* each mapping belongs to exactly one group; first is its lowest member */
	for (size_t i = 0; i < m->n; i++) {
		size_t hits = 0;
		for (size_t k = 0; k < ng; k++) {
			if (same_key(m, map_at(m, g[k].first), map_at(m, i))) {
				owner[i] = k;
				hits++;
				FUZZ_CHECK(g[k].first <= i);
			}
		}
		FUZZ_CHECK(hits == 1);
	}
	for (size_t k = 0; k < ng; k++) {
		uint64_t v[MF_NUM] = { 0 };
		uint32_t c = 0;
		for (size_t i = 0; i < m->n; i++) {
			if (owner[i] != k)
				continue;
			c++;
			for (int f = 0; f < MF_NUM; f++)
				v[f] = fz_add_sat(v[f], map_at(m, i)->val[f]);
		}
		FUZZ_CHECK(c == g[k].count);
		for (int f = 0; f < MF_NUM; f++)
			FUZZ_CHECK(v[f] == g[k].val[f]);
	}
	free(owner);
	free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct maplist a, b;

	input_escapes = memchr(d, '\\', size) != NULL;
	maplist_init(&a);
	maplist_init(&b);
	int ra = run(d, size, &a);
	if (a.n <= 2000)  /* the group check is quadratic */
		check_group(&a);

	int rr = run(d, size, &reused);
	same(&a, ra, &reused, rr);

	/* split where the first byte says, and in pieces of 1..16 bytes */
	if (size) {
		int rb = run_pieces(d, size, (size_t)data[0] * size / 256, size, &b);
		same(&a, ra, &b, rb);
		rb = run_pieces(d, size, 1, (size_t)(data[0] & 15) + 1, &b);
		same(&a, ra, &b, rb);
	}

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
	maplist_fini(&a);
	maplist_fini(&b);
	return 0;
}
