/*
 * Parsers for the NUMA files: /proc/<pid>/numa_maps (memory of one process per
 * node) and, per node, /sys/devices/system/node/nodeN/{meminfo,distance}.
 *
 * Invariants:
 *   - numa_maps tokens are blank-separated and may come in any order; the
 *     kernel escapes blanks and '=' in file names, so a token never spans a
 *     blank. "N<node>=<pages>" counts pages of the line's kernelpagesize_kB
 *     (4 when the token is absent);
 *   - a count (or page size) that overflows, or whose KiB would not fit,
 *     makes the whole file's reading unavailable (-ERANGE): a sum that left
 *     it out would be a smaller process, not an unknown one. Sums of counts
 *     in range saturate (which would take some 16 EiB);
 *   - the distance file lists one number per *online* node in id order, so
 *     distance[k] is the distance to the k-th online node, which equals node
 *     id k only when node ids are dense (see parse_node_distance).
 */
#include "collect/parse.h"

#include <errno.h>
#include <string.h>

#include "collect/parse_util.h"

/* ---- numa_maps ---- */

/* Is [p, e) "kernelpagesize_kB=<n>"? Stores n. */
static bool
page_size_token(const char *p, const char *e, uint64_t *kib)
{
	static const char key[] = "kernelpagesize_kB=";
	const size_t klen = sizeof key - 1;
	const char *after;

	if ((size_t)(e - p) <= klen || memcmp(p, key, klen) != 0)
		return false;
	return pu_digits(p + klen, e, kib, &after) == 0 && after == e;
}

/*
 * Is [p, e) "N<node>=<pages>"? 1 yes, 0 no, -1 when it is one but a number
 * in it is out of 64 bits.
 */
static int
node_token(const char *p, const char *e, uint64_t *node, uint64_t *pages)
{
	const char *after;
	int rn, rp;

	if (e - p < 4 || p[0] != 'N')
		return 0;
	rn = pu_digits(p + 1, e, node, &after);
	if (rn == -EINVAL || after == e || *after != '=')
		return 0;
	rp = pu_digits(after + 1, e, pages, &after);
	if (rp == -EINVAL || after != e)
		return 0;
	return rn == 0 && rp == 0 ? 1 : -1;
}

/* Is the first token of the line [p, e) a hex address? */
static bool
address_token(const char *p, const char *e)
{
	const char *te = pu_token_end(p, e);
	const char *after;
	uint64_t addr;

	return pu_hex(p, te, &addr, &after) == 0 && after == te;
}

/* One line's counts into node_kib; false when one is out of range (see parse.h). */
static bool
numa_line(const char *ls, const char *le, uint64_t *node_kib, int max_nodes, uint64_t *other_kib)
{
	uint64_t page_kib = 4, node = 0, pages = 0;
	const char *p, *te;
	bool ok = true;

	/* Pass 1: the page size, which usually comes after the node counts. */
	for (p = pu_skip_blanks(ls, le); p < le; p = pu_skip_blanks(te, le)) {
		te = pu_token_end(p, le);
		if (*p == 'k' && page_size_token(p, te, &page_kib))
			break;
	}
	if (page_kib == 0)
		return true;  /* no such page size: a line to ignore */
	/* Pass 2: the node counts. */
	for (p = pu_skip_blanks(ls, le); p < le; p = pu_skip_blanks(te, le)) {
		te = pu_token_end(p, le);
		int t = node_token(p, te, &node, &pages);
		if (t == 0)
			continue;
		if (t < 0 || !pu_kib_ok(page_kib) || pages > PU_KIB_MAX / page_kib) {
			ok = false;
			continue;
		}
		uint64_t kib = pages * page_kib;
		if (node < (uint64_t)max_nodes)
			node_kib[node] = pu_add_sat(node_kib[node], kib);
		else if (other_kib)
			*other_kib = pu_add_sat(*other_kib, kib);
	}
	return ok;
}

int
parse_numa_maps(const char *buf, size_t len, uint64_t *node_kib, int max_nodes,
		uint64_t *other_kib)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	int lines = 0;
	bool ok = true;

	if (len == 0)
		return -ENODATA;
	if (max_nodes < 0)
		max_nodes = 0;
	while (pu_next_line(&pos, end, &ls, &le)) {
		if (!address_token(ls, le))
			continue;
		lines++;
		ok &= numa_line(ls, le, node_kib, max_nodes, other_kib);
	}
	if (!ok)
		return -ERANGE;
	return lines ? 0 : -EINVAL;
}

/* ---- nodeN/meminfo ---- */

static const struct {
	const char *key;
	enum node_field f;
} node_keys[] = {
	{ "MemTotal", N_TOTAL },
	{ "MemFree", N_FREE },
	{ "MemUsed", N_USED },
	{ "FilePages", N_FILE },
	{ "AnonPages", N_ANON },
	{ "Shmem", N_SHMEM },
	{ "Slab", N_SLAB },
	{ "HugePages_Total", N_HUGE_TOTAL },
	{ "HugePages_Free", N_HUGE_FREE },
};

static int
node_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof node_keys / sizeof node_keys[0]; i++) {
		if (strlen(node_keys[i].key) == n && memcmp(node_keys[i].key, k, n) == 0)
			return (int)node_keys[i].f;
	}
	return -1;
}

/*
 * "Node <id> <Key>: <value> [kB]". Lines whose id differs from the first
 * line's are ignored. Values with "kB" must fit in bytes; page counts need only
 * fit in 64 bits. n->known is rebuilt from scratch.
 */
int
parse_node_meminfo(const char *buf, size_t len, struct node *n)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *p, *colon;
	bool have_id = false;
	int found = 0;

	n->known = 0;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		uint64_t id, v;

		if (le - ls < 5 || memcmp(ls, "Node", 4) != 0 || !pu_isblank(ls[4]))
			continue;
		p = pu_skip_blanks(ls + 4, le);
		if (pu_digits(p, le, &id, &p) != 0 || p == le || !pu_isblank(*p) || id > INT32_MAX)
			continue;
		if (have_id && id != (uint64_t)n->id)
			continue;
		p = pu_skip_blanks(p, le);
		colon = memchr(p, ':', (size_t)(le - p));
		if (!colon)
			continue;
		if (!have_id) {
			n->id = (int)id;
			have_id = true;
		}
		int f = node_key(p, (size_t)(colon - p));
		if (f < 0)
			continue;
		found++;
		n->known &= ~(1u << f);  /* a later bad duplicate makes it unavailable */
		p = pu_skip_blanks(colon + 1, le);
		if (pu_digits(p, le, &v, &p) != 0)
			continue;
		if (pu_unit_kb(p, le) ? !pu_kib_ok(v) : pu_skip_blanks(p, le) != le)
			continue;
		n->val[f] = v;
		n->known |= 1u << f;
	}
	return found ? 0 : -EINVAL;
}

/* ---- nodeN/distance ---- */

/*
 * "10 21 21 ..." into n->distance[0..]: entry k is the distance to the k-th
 * online node (the kernel prints online nodes only, in id order). Entries past
 * NODE_MAX are dropped; a value over 255 is stored as 0 (unknown). The
 * whole array is cleared first.
 */
int
parse_node_distance(const char *buf, size_t len, struct node *n)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *p;
	int k = 0;

	memset(n->distance, 0, sizeof n->distance);
	if (len == 0)
		return -ENODATA;
	if (!pu_next_line(&pos, end, &ls, &le))
		return -EINVAL;
	for (p = pu_skip_blanks(ls, le); p < le; p = pu_skip_blanks(p, le)) {
		uint64_t d;
		int rc = pu_digits(p, le, &d, &p);

		if (rc == -EINVAL || (p < le && !pu_isblank(*p))) {
			memset(n->distance, 0, sizeof n->distance);
			return -EINVAL;
		}
		if (k < NODE_MAX)
			n->distance[k] = (rc == 0 && d <= 255) ? (uint8_t)d : 0;
		k++;
	}
	return k ? 0 : -EINVAL;
}
