/*
 * Unit tests for collect/parse_numa.c: numa_maps captured here (one node) and
 * a crafted multi-node file (N0/N1/N2/N3, 2 MiB and 1 GiB huge pages, a
 * missing page size, an overflowing count), and the per-node sysfs files of
 * the fixture trees sys-1node (captured), sys-2node and sys-4node (sparse:
 * nodes 0 and 2 online out of 0-3).
 *
 * Fixture buffers have their exact length and no NUL (ASan catches overreads).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collect/parse.h"
#include "fixture.h"

static int
numa_file(const char *name, uint64_t *node_kib, int max_nodes, uint64_t *other)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = parse_numa_maps(b, len, node_kib, max_nodes, other);

	free(b);
	return rc;
}

static int
node_file(const char *name, struct node *n, int (*fn)(const char *, size_t, struct node *))
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = fn(b, len, n);

	free(b);
	return rc;
}

#define ALL_NODE_FIELDS ((1u << N_NUM) - 1)

/* ---- numa_maps ---- */

static void
test_numa_maps_real(void **state)
{
	uint64_t kib[4] = { 0 }, other = 0;

	(void)state;
	/* awk: sum of N0 pages * kernelpagesize_kB over proc/sleep.numa_maps = 1804 */
	assert_int_equal(numa_file("proc/sleep.numa_maps", kib, 4, &other), 0);
	assert_int_equal(kib[0], 1804);
	assert_int_equal(kib[1] + kib[2] + kib[3] + other, 0);
	/* same for proc/varied.numa_maps = 2448 */
	memset(kib, 0, sizeof kib);
	assert_int_equal(numa_file("proc/varied.numa_maps", kib, 1, NULL), 0);
	assert_int_equal(kib[0], 2448);
}

/*
 * hostile/numa_maps-multinode by hand (pages * kernelpagesize_kB):
 *   N0: 6*4 + 40*4 + 1*2048 + 33*4 + 8*4                  = 2396
 *   N1: 4*4 + 3*4 + 30*4 + 2*2048 + 1*1048576 + 2*4        = 1052828
 *   N2: 7*4                                                = 28
 *   N3: 30*4 + 1024*4 (no page size: 4) + 1*2048           = 6264
 * The "not a numa_maps line" and the unterminated last line are ignored.
 */
static void
test_numa_maps_multinode(void **state)
{
	uint64_t kib[4] = { 0 }, other = 0;

	(void)state;
	assert_int_equal(numa_file("hostile/numa_maps-multinode", kib, 4, &other), 0);
	assert_int_equal(kib[0], 2396);
	assert_int_equal(kib[1], 1052828);
	assert_int_equal(kib[2], 28);
	assert_int_equal(kib[3], 6264);
	assert_int_equal(other, 0);

	/* nodes past max_nodes go to other_kib; node_kib is not cleared */
	uint64_t two[2] = { 1, 2 };
	other = 5;
	assert_int_equal(numa_file("hostile/numa_maps-multinode", two, 2, &other), 0);
	assert_int_equal(two[0], 1 + 2396);
	assert_int_equal(two[1], 2 + 1052828);
	assert_int_equal(other, 5 + 28 + 6264);

	/* without other_kib, the rest is simply not counted */
	memset(two, 0, sizeof two);
	assert_int_equal(numa_file("hostile/numa_maps-multinode", two, 2, NULL), 0);
	assert_int_equal(two[1], 1052828);

	other = 0;
	assert_int_equal(numa_file("hostile/numa_maps-multinode", NULL, 0, &other), 0);
	assert_int_equal(other, 2396 + 1052828 + 28 + 6264);
}

/*
 * A count past 64 bits (hostile/numa_maps-overflow, N0=99999999999999999999)
 * makes the whole reading unavailable: leaving it out would give a smaller
 * process (node0_kib and the total short of that mapping), not an unknown one.
 */
static void
test_numa_maps_overflow(void **state)
{
	uint64_t kib[2] = { 0 }, other = 0;
	static const char node_id[] = "7f00 default N99999999999999999999=1 kernelpagesize_kB=4\n";
	static const char page_size[] = "7f00 default N0=1 kernelpagesize_kB=99999999999999999\n";

	(void)state;
	assert_int_equal(numa_file("hostile/numa_maps-overflow", kib, 2, &other), -ERANGE);
	assert_int_equal(parse_numa_maps(node_id, sizeof node_id - 1, kib, 2, &other), -ERANGE);
	assert_int_equal(parse_numa_maps(page_size, sizeof page_size - 1, kib, 2, &other),
			 -ERANGE);
}

static void
test_numa_maps_edge(void **state)
{
	uint64_t kib[2] = { 0 }, other = 0;
	static const char crlf[] = "7f00 default anon=1 N1=3 kernelpagesize_kB=4\r\n";
	static const char sat[] = "7f00 default N0=18014398509481983 kernelpagesize_kB=1\n"
				  "7f01 default N0=18014398509481983 kernelpagesize_kB=1\n";
	static const char big[] = "7f00 default N0=4503599627370496 kernelpagesize_kB=4096\n";
	static const char bad[] = "7f00 default N0=5 Nx=3 N=4 N1=2x N1=-1 kernelpagesize_kB=4x\n";

	(void)state;
	assert_int_equal(numa_file("hostile/empty", kib, 2, &other), -ENODATA);
	assert_int_equal(numa_file("hostile/garbage.bin", kib, 2, &other), -EINVAL);
	assert_int_equal(parse_numa_maps("N0=5\n", 5, kib, 2, &other), -EINVAL);
	assert_int_equal(kib[0] + kib[1] + other, 0);

	assert_int_equal(parse_numa_maps(crlf, sizeof crlf - 1, kib, 2, &other), 0);
	assert_int_equal(kib[1], 12);
	/* sums saturate rather than wrap */
	kib[0] = UINT64_MAX - 1;
	assert_int_equal(parse_numa_maps(sat, sizeof sat - 1, kib, 2, &other), 0);
	assert_int_equal(kib[0], UINT64_MAX);
	/* pages * page size past the KiB limit: out of range, not left out */
	kib[0] = 0;
	assert_int_equal(parse_numa_maps(big, sizeof big - 1, kib, 2, &other), -ERANGE);
	/* malformed tokens ignored; a malformed page size means the default 4 */
	assert_int_equal(parse_numa_maps(bad, sizeof bad - 1, kib, 2, &other), 0);
	assert_int_equal(kib[0], 20);
	assert_int_equal(kib[1], 12);
}

/* ---- node meminfo ---- */

static void
test_node_meminfo(void **state)
{
	struct node n;

	(void)state;
	/* captured: sys-1node/.../node0/meminfo */
	memset(&n, 0, sizeof n);
	n.id = -1;
	assert_int_equal(node_file("sys-1node/devices/system/node/node0/meminfo", &n,
				   parse_node_meminfo), 0);
	assert_int_equal(n.id, 0);
	assert_int_equal(n.known, ALL_NODE_FIELDS);
	assert_int_equal(n.val[N_TOTAL], 4941600);
	assert_int_equal(n.val[N_FREE], 4439068);
	assert_int_equal(n.val[N_USED], 502532);
	assert_int_equal(n.val[N_FILE], 258024);
	assert_int_equal(n.val[N_ANON], 9168);
	assert_int_equal(n.val[N_SHMEM], 8924);
	assert_int_equal(n.val[N_SLAB], 143176);
	assert_int_equal(n.val[N_HUGE_TOTAL], 0);
	assert_int_equal(n.val[N_HUGE_FREE], 0);

	memset(&n, 0, sizeof n);
	assert_int_equal(node_file("sys-2node/devices/system/node/node1/meminfo", &n,
				   parse_node_meminfo), 0);
	assert_int_equal(n.id, 1);
	assert_int_equal(n.known, ALL_NODE_FIELDS);
	assert_int_equal(n.val[N_TOTAL], 16510976);
	assert_int_equal(n.val[N_USED], 16510976 - 12000000);
	assert_int_equal(n.val[N_HUGE_TOTAL], 512);
	assert_int_equal(n.val[N_HUGE_FREE], 100);

	memset(&n, 0, sizeof n);
	assert_int_equal(node_file("sys-4node/devices/system/node/node2/meminfo", &n,
				   parse_node_meminfo), 0);
	assert_int_equal(n.id, 2);
	assert_int_equal(n.val[N_FREE], 8000000);
	assert_int_equal(n.val[N_SLAB], 40000);
}

static void
test_node_meminfo_hostile(void **state)
{
	struct node n;

	(void)state;
	memset(&n, 0, sizeof n);
	n.known = ALL_NODE_FIELDS;  /* stale bits are dropped */
	assert_int_equal(node_file("hostile/node-meminfo", &n, parse_node_meminfo), 0);
	assert_int_equal(n.id, 3);
	/* kept: MemTotal, MemFree, HugePages_Total (pages need no kB limit), Slab (CRLF);
	 * dropped: "Node 7" line, overflow, kB past 2^54, "12 MB", unterminated last line */
	assert_int_equal(n.known, (1u << N_TOTAL) | (1u << N_FREE) | (1u << N_HUGE_TOTAL) |
				  (1u << N_SLAB));
	assert_int_equal(n.val[N_TOTAL], 1000);
	assert_int_equal(n.val[N_FREE], 400);
	assert_int_equal(n.val[N_HUGE_TOTAL], UINT64_C(18014398509481984));
	assert_int_equal(n.val[N_SLAB], 300);

	assert_int_equal(node_file("hostile/empty", &n, parse_node_meminfo), -ENODATA);
	assert_int_equal(n.known, 0);
	assert_int_equal(node_file("hostile/garbage.bin", &n, parse_node_meminfo), -EINVAL);
	assert_int_equal(parse_node_meminfo("Node 0 Foo: 1 kB\n", 17, &n), -EINVAL);
}

/* ---- node distance ---- */

static void
test_node_distance(void **state)
{
	struct node n;

	(void)state;
	memset(&n, 0xff, sizeof n);
	assert_int_equal(node_file("sys-1node/devices/system/node/node0/distance", &n,
				   parse_node_distance), 0);
	assert_int_equal(n.distance[0], 10);
	assert_int_equal(n.distance[1], 0);  /* cleared first */

	assert_int_equal(node_file("sys-2node/devices/system/node/node1/distance", &n,
				   parse_node_distance), 0);
	assert_int_equal(n.distance[0], 21);
	assert_int_equal(n.distance[1], 10);

	/* sparse: node2's file lists online nodes 0 and 2 by position */
	assert_int_equal(node_file("sys-4node/devices/system/node/node2/distance", &n,
				   parse_node_distance), 0);
	assert_int_equal(n.distance[0], 20);
	assert_int_equal(n.distance[1], 10);
	assert_int_equal(n.distance[2], 0);
}

static void
test_node_distance_hostile(void **state)
{
	struct node n;
	char many[400];
	size_t len = 0;

	(void)state;
	memset(&n, 0, sizeof n);
	/* the kernel prints a leading blank when node 0 is offline */
	assert_int_equal(parse_node_distance(" 10 20\n", 7, &n), 0);
	assert_int_equal(n.distance[0], 10);
	assert_int_equal(n.distance[1], 20);
	assert_int_equal(parse_node_distance("10 300 20\r\n", 11, &n), 0);
	assert_int_equal(n.distance[1], 0);  /* does not fit: unknown */
	assert_int_equal(n.distance[2], 20);
	assert_int_equal(parse_node_distance("10 99999999999999999999 7\n", 26, &n), 0);
	assert_int_equal(n.distance[1], 0);
	assert_int_equal(n.distance[2], 7);
	assert_int_equal(parse_node_distance("10 x\n", 5, &n), -EINVAL);
	assert_int_equal(n.distance[0], 0);
	assert_int_equal(parse_node_distance("10 20", 5, &n), -EINVAL);  /* truncated */
	assert_int_equal(parse_node_distance("\n", 1, &n), -EINVAL);
	assert_int_equal(parse_node_distance("", 0, &n), -ENODATA);

	/* 70 entries: the first NODE_MAX are kept */
	for (int i = 0; i < 70; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, "%d ", 10 + i);
	many[len - 1] = '\n';
	assert_int_equal(parse_node_distance(many, len, &n), 0);
	assert_int_equal(n.distance[0], 10);
	assert_int_equal(n.distance[NODE_MAX - 1], 10 + NODE_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numa_maps_real),
		cmocka_unit_test(test_numa_maps_multinode),
		cmocka_unit_test(test_numa_maps_overflow),
		cmocka_unit_test(test_numa_maps_edge),
		cmocka_unit_test(test_node_meminfo),
		cmocka_unit_test(test_node_meminfo_hostile),
		cmocka_unit_test(test_node_distance),
		cmocka_unit_test(test_node_distance_hostile),
	};

	return cmocka_run_group_tests_name("parse_numa", tests, NULL, NULL);
}
