/*
 * Unit tests for collect/parse_sys.c: /proc/swaps (captured here with swap
 * off, plus a two-device table in the kernel's exact layout and a hostile
 * one), /proc/pressure/memory and /proc/meminfo (captured and hostile).
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
swaps_file(const char *name, struct swapdev **v, int *n)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = parse_swaps(b, len, v, n);

	free(b);
	return rc;
}

static int
psi_file(const char *name, struct psi *p)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = parse_psi(b, len, p);

	free(b);
	return rc;
}

static int
meminfo_file(const char *name, struct sysmem *s)
{
	size_t len;
	char *b = fixture(name, &len);
	int rc = parse_meminfo(b, len, s);

	free(b);
	return rc;
}

/* ---- swaps ---- */

static void
test_swaps_real(void **state)
{
	struct swapdev *v;
	int n;

	(void)state;
	/* captured with swap off: the header alone */
	assert_int_equal(swaps_file("proc/swaps-empty", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);

	/* two devices, printed with the kernel's swap_show() layout */
	assert_int_equal(swaps_file("proc/swaps", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].path, "/dev/nvme0n1p3");
	assert_string_equal(v[0].type, "partition");
	assert_int_equal(v[0].size_kib, 16777212);
	assert_int_equal(v[0].used_kib, 1048576);
	assert_int_equal(v[0].priority, -2);
	assert_string_equal(v[1].path, "/var/swap files/swap 1.img");  /* \040 undone */
	assert_string_equal(v[1].type, "file");
	assert_int_equal(v[1].size_kib, 4194300);
	assert_int_equal(v[1].used_kib, 0);
	assert_int_equal(v[1].priority, 10);
	free(v);
}

static void
test_swaps_hostile(void **state)
{
	struct swapdev *v;
	char longpath[256];
	int n;

	(void)state;
	/*
	 * kept: the escaped name, bad escapes kept literally, INT_MIN priority
	 * (CRLF), a 301-byte name cut to 255; dropped: size overflow, priority
	 * past INT_MAX, a missing priority, the unterminated last line
	 */
	assert_int_equal(swaps_file("hostile/swaps", &v, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].path, "/srv/odd\tname\nwith\\back slash");
	assert_int_equal(v[0].size_kib, 2048);
	assert_int_equal(v[0].used_kib, 12);
	assert_int_equal(v[0].priority, -1);
	assert_string_equal(v[1].path, "/x/not\\09octal\\0and\\777");
	assert_string_equal(v[2].path, "/dev/sde1");
	assert_int_equal(v[2].priority, -2147483647 - 1);
	longpath[0] = '/';
	memset(longpath + 1, 'p', 254);
	longpath[255] = '\0';
	assert_string_equal(v[3].path, longpath);
	assert_int_equal(v[3].size_kib, 8);
	assert_int_equal(v[3].used_kib, 4);
	assert_int_equal(v[3].priority, 5);
	free(v);

	assert_int_equal(swaps_file("hostile/empty", &v, &n), -ENODATA);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_int_equal(swaps_file("hostile/garbage.bin", &v, &n), -EINVAL);
	assert_null(v);
	/* no header but a valid line is still a table */
	assert_int_equal(parse_swaps("/s file 1 0 -1\n", 15, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].type, "file");
	free(v);
	assert_int_equal(parse_swaps("/s averyveryverylongtypename 1 0 -1\n", 36, &v, &n), 0);
	assert_string_equal(v[0].type, "averyveryverylo");  /* cut to 15 bytes */
	free(v);
}

/* ---- pressure ---- */

static void
test_psi(void **state)
{
	struct psi p;

	(void)state;
	/* captured: an idle machine */
	assert_int_equal(psi_file("proc/pressure-memory", &p), 0);
	assert_true(p.known);
	assert_true(p.full_known);
	assert_int_equal(p.some.avg10 + p.some.avg60 + p.some.avg300 + p.some.total_us, 0);

	assert_int_equal(psi_file("hostile/psi-busy", &p), 0);
	assert_true(p.known && p.full_known);
	assert_int_equal(p.some.avg10, 1234);   /* 12.34 */
	assert_int_equal(p.some.avg60, 500);    /* 5.00 */
	assert_int_equal(p.some.avg300, 7);     /* 0.07 */
	assert_int_equal(p.some.total_us, 123456789);
	assert_int_equal(p.full.avg10, 150);    /* 1.50 */
	assert_int_equal(p.full.avg60, 0);
	assert_int_equal(p.full.avg300, 10000); /* 100.00 */
	assert_int_equal(p.full.total_us, 42);

	/* old kernels print no "full" line */
	assert_int_equal(psi_file("hostile/psi-old-kernel", &p), 0);
	assert_true(p.known);
	assert_false(p.full_known);
	assert_int_equal(p.some.avg300, 30);
	assert_int_equal(p.some.total_us, 99);
}

static void
test_psi_hostile(void **state)
{
	struct psi p;

	(void)state;
	/* full: keys reordered, CRLF, 3.1 -> 310, 7.999 -> 799, 42949672.95 = UINT32_MAX;
	 * some: "avg60=x" makes the line unavailable */
	assert_int_equal(psi_file("hostile/psi-hostile", &p), 0);
	assert_false(p.known);
	assert_true(p.full_known);
	assert_int_equal(p.full.avg10, 799);
	assert_int_equal(p.full.avg60, UINT32_MAX);
	assert_int_equal(p.full.avg300, 310);
	assert_int_equal(p.full.total_us, UINT64_MAX);

	assert_int_equal(psi_file("hostile/empty", &p), -ENODATA);
	assert_int_equal(psi_file("hostile/garbage.bin", &p), -EINVAL);
	assert_false(p.known || p.full_known);
	static const char over[] = "some avg10=42949672.96 avg60=0.00 avg300=0.00 total=0\n";
	assert_int_equal(parse_psi(over, sizeof over - 1, &p), -EINVAL);
	static const char nodot[] = "some avg10=1. avg60=0.00 avg300=0.00 total=0\n";
	assert_int_equal(parse_psi(nodot, sizeof nodot - 1, &p), -EINVAL);
	static const char trunc[] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0";
	assert_int_equal(parse_psi(trunc, sizeof trunc - 1, &p), -EINVAL);
}

/* ---- meminfo ---- */

static void
test_meminfo_real(void **state)
{
	struct sysmem s;

	(void)state;
	memset(&s, 0, sizeof s);
	assert_int_equal(meminfo_file("proc/meminfo", &s), 0);
	assert_int_equal(s.known, (1u << M_NUM) - 1);
	/* values as in proc/meminfo */
	assert_int_equal(s.val[M_TOTAL], 24683656);
	assert_int_equal(s.val[M_FREE], 24392692);
	assert_int_equal(s.val[M_AVAILABLE], 24365756);
	assert_int_equal(s.val[M_USED], 24683656 - 24365756);
	assert_int_equal(s.val[M_BUFFERS], 1924);
	assert_int_equal(s.val[M_CACHED], 82648);
	assert_int_equal(s.val[M_SHMEM], 8924);
	assert_int_equal(s.val[M_SLAB], 141776);
	assert_int_equal(s.val[M_SLAB_RECLAIM], 117636);
	assert_int_equal(s.val[M_ANON], 8444);
	assert_int_equal(s.val[M_MAPPED], 10840);
	assert_int_equal(s.val[M_PAGE_TABLES], 1632);
	assert_int_equal(s.val[M_COMMITTED], 52224);
	assert_int_equal(s.val[M_COMMIT_LIMIT], 12341828);
	assert_int_equal(s.val[M_SWAP_TOTAL], 0);
	assert_int_equal(s.val[M_SWAP_FREE], 0);
	assert_int_equal(s.val[M_SWAP_USED], 0);
	assert_int_equal(s.val[M_SWAP_CACHED], 0);
	assert_int_equal(s.val[M_DIRTY], 392);
	assert_int_equal(s.val[M_HUGE_TOTAL], 0);
	assert_int_equal(s.val[M_HUGE_FREE], 0);
	assert_int_equal(s.val[M_HUGE_SIZE], 2048);
	assert_int_equal(s.val[M_THP], 0);
}

static void
test_meminfo_hostile(void **state)
{
	struct sysmem s;
	uint32_t want;

	(void)state;
	memset(&s, 0, sizeof s);
	/*
	 * proc/meminfo without MemAvailable, reversed, CRLF, then duplicates: Dirty
	 * overflows, Buffers is 2^54 kB, Cached is "12 MB" (all three unavailable),
	 * SwapFree 1 > SwapTotal 0 (no SwapUsed), "Shmem: 7" is unterminated.
	 */
	assert_int_equal(meminfo_file("hostile/meminfo-hostile", &s), 0);
	want = ((1u << M_NUM) - 1) & ~((1u << M_AVAILABLE) | (1u << M_USED) | (1u << M_DIRTY) |
				      (1u << M_BUFFERS) | (1u << M_CACHED) | (1u << M_SWAP_USED));
	assert_int_equal(s.known, want);
	assert_int_equal(s.val[M_TOTAL], 24683656);
	assert_int_equal(s.val[M_SWAP_FREE], 1);
	assert_int_equal(s.val[M_SHMEM], 8924);
	assert_int_equal(s.val[M_HUGE_SIZE], 2048);

	assert_int_equal(meminfo_file("hostile/empty", &s), -ENODATA);
	assert_int_equal(s.known, 0);
	assert_int_equal(meminfo_file("hostile/garbage.bin", &s), -EINVAL);
	static const char avail_big[] = "MemTotal: 10 kB\nMemAvailable: 11 kB\n";
	assert_int_equal(parse_meminfo(avail_big, sizeof avail_big - 1, &s), 0);
	assert_false(s.known & (1u << M_USED));
}

/* ---- boot_id ---- */

static void
test_boot_id(void **state)
{
	static const char *hostile[] = {
		"hostile/boot_id-upper", "hostile/boot_id-extra", "hostile/boot_id-truncated",
		"hostile/garbage.bin",
	};
	char id[BOOT_ID_LEN + 1];
	size_t len;
	char *b = fixture("proc/sys/kernel/random/boot_id", &len);

	(void)state;
	assert_int_equal(parse_boot_id(b, len, id), 0);
	assert_int_equal(strlen(id), BOOT_ID_LEN);
	assert_memory_equal(id, b, BOOT_ID_LEN);
	assert_int_equal(parse_boot_id(b, BOOT_ID_LEN, id), 0); /* no newline */
	free(b);
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		b = fixture(hostile[i], &len);
		memset(id, 'x', sizeof id);
		assert_int_equal(parse_boot_id(b, len, id), -EINVAL);
		assert_string_equal(id, "");
		free(b);
	}
	assert_int_equal(parse_boot_id("", 0, id), -ENODATA);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swaps_real),
		cmocka_unit_test(test_swaps_hostile),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_psi_hostile),
		cmocka_unit_test(test_meminfo_real),
		cmocka_unit_test(test_meminfo_hostile),
		cmocka_unit_test(test_boot_id),
	};

	return cmocka_run_group_tests_name("parse_sys", tests, NULL, NULL);
}
