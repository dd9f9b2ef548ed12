/*
 * Unit tests for collect/parse_smaps.c and parse_u64 (collect/parse_util.c):
 * real captures from a stopped process (smaps and smaps_rollup taken at the
 * same moment, so their sums must agree), crafted hostile files, every prefix
 * of a real file, every way of feeding a file in pieces to the incremental
 * parser, and a synthetic 100,000-mapping buffer.
 *
 * Fixture buffers are allocated with their exact length and no NUL, so ASan
 * catches any read past the end. Expected numbers come from the fixture files
 * (awk sums quoted next to each); they are not recomputed with the parser.
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
#include "proc_assert.h"
#include "maps_at.h"

/* a and b hold the same mappings, in the same packed bytes. */
static void
assert_same_rows(const struct maplist *a, const struct maplist *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->rows_len, b->rows_len);
	if (a->n) {
		assert_memory_equal(a->rows, b->rows, a->rows_len);
		assert_memory_equal(a->at, b->at, a->n * sizeof *a->at);
	}
}

/* Reads tests/fixtures/<name> into an exact-size heap buffer (caller frees). */

static void
rollup_file(const char *name, struct proc *p, int want_rc)
{
	size_t len;
	char *b = fixture(name, &len);

	memset(p, 0, sizeof *p);
	assert_int_equal(parse_rollup(b, len, p), want_rc);
	free(b);
}

static void
smaps_file(const char *name, struct maplist *m, int want_rc)
{
	size_t len;
	char *b = fixture(name, &len);

	assert_int_equal(parse_smaps(b, len, m), want_rc);
	free(b);
}

/* ---- parse_u64 ---- */

static void
test_parse_u64(void **state)
{
	static const struct {
		const char *in;
		int rc;
		uint64_t v;
		size_t consumed;
	} t[] = {
		{ "0", 0, 0, 1 },
		{ "  42 kB", 0, 42, 4 },
		{ "\t7x", 0, 7, 2 },
		{ "18446744073709551615", 0, UINT64_MAX, 20 },
		{ "18446744073709551616", -ERANGE, 0, 20 },
		{ "99999999999999999999 kB", -ERANGE, 0, 20 },
		{ "000000000000000000000000001", 0, 1, 27 },
		{ "", -EINVAL, 0, 0 },
		{ "   ", -EINVAL, 0, 0 },
		{ "-1", -EINVAL, 0, 0 },
		{ "abc", -EINVAL, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *p = t[i].in;
		uint64_t v = 12345;
		int rc = parse_u64(&p, t[i].in + strlen(t[i].in), &v);

		assert_int_equal(rc, t[i].rc);
		assert_int_equal((size_t)(p - t[i].in), t[i].consumed);
		if (rc == 0)
			assert_int_equal(v, t[i].v);
	}
	/* end bounds the digits: "12345" seen through a 3-byte window */
	const char *s = "12345", *p = s;
	uint64_t v;
	assert_int_equal(parse_u64(&p, s + 3, &v), 0);
	assert_int_equal(v, 123);
}

/* ---- smaps_rollup ---- */

/* proc/sleep.smaps_rollup, read off the file. */
static void
check_sleep_rollup(const struct proc *p)
{
	assert_field(p, F_PSS, 480);
	assert_field(p, F_PSS_ANON, 112);
	assert_field(p, F_PSS_FILE, 368);
	assert_field(p, F_PSS_SHMEM, 0);
	assert_field(p, F_USS, 36 + 112);     /* Private_Clean + Private_Dirty */
	assert_field(p, F_SHARED, 1660 + 0);  /* Shared_Clean + Shared_Dirty */
	assert_field(p, F_SWAP_PSS, 0);
	assert_field(p, F_THP, 0);
	assert_field(p, F_REFERENCED, 1808);
	assert_int_equal(p->known, ROLLUP_FIELDS);
}

static void
test_rollup_real(void **state)
{
	struct proc p;

	(void)state;
	rollup_file("proc/sleep.smaps_rollup", &p, 0);
	check_sleep_rollup(&p);

	rollup_file("proc/varied.smaps_rollup", &p, 0);
	assert_field(&p, F_PSS, 1334);
	assert_field(&p, F_PSS_ANON, 560);
	assert_field(&p, F_PSS_FILE, 318);
	assert_field(&p, F_PSS_SHMEM, 456);
	assert_field(&p, F_USS, 64 + 1028);
	assert_field(&p, F_SHARED, 1360);
	assert_field(&p, F_REFERENCED, 2452);
	assert_int_equal(p.known, ROLLUP_FIELDS);
}

static void
test_rollup_reordered_crlf(void **state)
{
	struct proc p;

	(void)state;
	/* keys reversed, plus Zswap, FutureKey and a VmFlags line */
	rollup_file("hostile/rollup-reordered", &p, 0);
	check_sleep_rollup(&p);
	rollup_file("hostile/rollup-crlf", &p, 0);
	check_sleep_rollup(&p);
}

static void
test_rollup_old_kernel(void **state)
{
	struct proc p;

	(void)state;
	/* before 5.7: no Pss_Anon/Pss_File/Pss_Shmem (and no Pss_Dirty) */
	rollup_file("hostile/rollup-old-kernel", &p, 0);
	assert_unknown(&p, F_PSS_ANON);
	assert_unknown(&p, F_PSS_FILE);
	assert_unknown(&p, F_PSS_SHMEM);
	assert_field(&p, F_PSS, 480);
	assert_field(&p, F_USS, 148);
	assert_field(&p, F_REFERENCED, 1808);
}

static void
test_rollup_truncated(void **state)
{
	struct proc p;

	(void)state;
	/* cut inside "Private_Clean:        3": everything after is missing */
	rollup_file("hostile/rollup-truncated", &p, 0);
	assert_field(&p, F_PSS, 480);
	assert_field(&p, F_PSS_SHMEM, 0);
	assert_field(&p, F_SHARED, 1660);
	assert_unknown(&p, F_USS);
	assert_unknown(&p, F_REFERENCED);
	assert_unknown(&p, F_SWAP_PSS);
	assert_unknown(&p, F_THP);
}

static void
test_rollup_overflow(void **state)
{
	struct proc p;

	(void)state;
	rollup_file("hostile/rollup-overflow", &p, 0);
	assert_unknown(&p, F_PSS);        /* 99999999999999999999: > 64 bits */
	assert_unknown(&p, F_PSS_ANON);   /* UINT64_MAX kB: bytes overflow */
	assert_field(&p, F_PSS_FILE, INT64_C(18014398509481983)); /* UINT64_MAX/1024 fits */
	assert_unknown(&p, F_PSS_SHMEM);  /* one more does not */
	assert_unknown(&p, F_USS);        /* (UINT64_MAX/1024) + 1 does not either */
	assert_field(&p, F_SHARED, 1660);
	assert_field(&p, F_REFERENCED, 1808);
	assert_unknown(&p, F_THP);        /* "12x kB" */
	assert_unknown(&p, F_SWAP_PSS);   /* no number */
}

static void
test_rollup_empty_garbage(void **state)
{
	struct proc p;

	(void)state;
	rollup_file("hostile/empty", &p, -ENODATA);
	assert_int_equal(p.known, 0);
	rollup_file("hostile/garbage.bin", &p, -EINVAL);
	assert_int_equal(p.known, 0);

	/* stale values from an earlier sample are dropped, other fields kept */
	memset(&p, 0, sizeof p);
	proc_set(&p, F_PSS, 77);
	proc_set(&p, F_RSS, 99);
	assert_int_equal(parse_rollup("junk\n", 5, &p), -EINVAL);
	assert_unknown(&p, F_PSS);
	assert_field(&p, F_RSS, 99);
	assert_int_equal(parse_rollup(NULL, 0, &p), -ENODATA);
}

/* ---- smaps ---- */

static const struct mapping *
find_path(const struct maplist *m, const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < m->n; i++) {
		if (map_at(m, i)->path_len == n && memcmp(mapping_path(m, map_at(m, i)), path, n) == 0)
			return map_at(m, i);
	}
	fail_msg("no mapping named %s", path);
	return NULL;
}

static void
assert_totals(const struct maplist *m, const uint64_t want[MF_NUM])
{
	for (int f = 0; f < MF_NUM; f++) {
		if (m->total[f] != want[f])
			fail_msg("total %s = %llu, want %llu", map_field_key((enum map_field)f),
				 (unsigned long long)m->total[f], (unsigned long long)want[f]);
	}
}

/*
 * Sums of a real smaps must equal smaps_rollup captured from the same stopped
 * process. Pss is the exception: the rollup adds unrounded per-page shares and
 * rounds once, each smaps entry rounds down on its own, so the rollup may be
 * larger by less than 1 kB per mapping.
 */
static void
check_against_rollup(const struct maplist *m, const char *rollup)
{
	struct proc p;

	rollup_file(rollup, &p, 0);
	assert_int_equal(proc_val(&p, F_USS), m->total[MF_PRIVATE_CLEAN] + m->total[MF_PRIVATE_DIRTY]);
	assert_int_equal(proc_val(&p, F_SHARED), m->total[MF_SHARED_CLEAN] + m->total[MF_SHARED_DIRTY]);
	assert_int_equal(proc_val(&p, F_REFERENCED), m->total[MF_REFERENCED]);
	assert_int_equal(proc_val(&p, F_SWAP_PSS), m->total[MF_SWAP_PSS]);
	assert_int_equal(proc_val(&p, F_THP), m->total[MF_THP]);
	assert_true((uint64_t)proc_val(&p, F_PSS) >= m->total[MF_PSS]);
	assert_true((uint64_t)proc_val(&p, F_PSS) - m->total[MF_PSS] < m->n);
}

static void
test_smaps_sleep(void **state)
{
	struct maplist m;
	/* awk '/^[A-Za-z_]+:/ && $3=="kB" {s[$1]+=$2}' proc/sleep.smaps; 37 headers */
	static const uint64_t want[MF_NUM] = {
		[MF_SIZE] = 2924, [MF_RSS] = 1808, [MF_PSS] = 453, [MF_PSS_DIRTY] = 112,
		[MF_SHARED_CLEAN] = 1660, [MF_PRIVATE_CLEAN] = 36, [MF_PRIVATE_DIRTY] = 112,
		[MF_REFERENCED] = 1808, [MF_ANONYMOUS] = 112,
	};

	(void)state;
	maplist_init(&m);
	smaps_file("proc/sleep.smaps", &m, 0);
	assert_int_equal(m.n, 37);
	assert_totals(&m, want);
	check_against_rollup(&m, "proc/sleep.smaps_rollup");
	assert_int_equal(find_path(&m, "/usr/bin/sleep")->cls, MC_FILE);
	maplist_fini(&m);
}

static void
test_smaps_cat_self(void **state)
{
	struct maplist m;
	/* awk sums over proc/cat-self.smaps (cat /proc/self/smaps); 38 headers */
	static const uint64_t want[MF_NUM] = {
		[MF_SIZE] = 3064, [MF_RSS] = 1744, [MF_PSS] = 539, [MF_PSS_DIRTY] = 120,
		[MF_SHARED_CLEAN] = 1572, [MF_PRIVATE_CLEAN] = 52, [MF_PRIVATE_DIRTY] = 120,
		[MF_REFERENCED] = 1744, [MF_ANONYMOUS] = 120,
	};

	(void)state;
	maplist_init(&m);
	smaps_file("proc/cat-self.smaps", &m, 0);
	assert_int_equal(m.n, 38);
	assert_totals(&m, want);
	maplist_fini(&m);
}

static void
test_smaps_varied(void **state)
{
	struct maplist m;
	const struct mapping *mp;
	unsigned cls[MC_NUM] = { 0 };
	/* awk sums over proc/varied.smaps; 29 headers */
	static const uint64_t want[MF_NUM] = {
		[MF_SIZE] = 4228, [MF_RSS] = 2452, [MF_PSS] = 1329, [MF_PSS_DIRTY] = 1028,
		[MF_SHARED_CLEAN] = 1360, [MF_PRIVATE_CLEAN] = 64, [MF_PRIVATE_DIRTY] = 1028,
		[MF_REFERENCED] = 2452, [MF_ANONYMOUS] = 560,
	};

	(void)state;
	maplist_init(&m);
	smaps_file("proc/varied.smaps", &m, 0);
	assert_int_equal(m.n, 29);
	assert_totals(&m, want);
	check_against_rollup(&m, "proc/varied.smaps_rollup");

	/* first header: 556ab4bb3000-556ab4bb4000 r--p 00000000 fe:00 10953011 /tmp/cap/varied */
	mp = map_at(&m, 0);
	assert_int_equal(mp->start, 0x556ab4bb3000);
	assert_int_equal(mp->end, 0x556ab4bb4000);
	assert_string_equal(mp->perms, "r--p");
	assert_int_equal(mp->offset, 0);
	assert_int_equal(mp->dev_major, 0xfe);
	assert_int_equal(mp->dev_minor, 0);
	assert_int_equal(mp->inode, 10953011);
	assert_int_equal(mp->path_len, strlen("/tmp/cap/varied"));
	assert_memory_equal(mapping_path(&m, mp), "/tmp/cap/varied", mp->path_len);

	mp = map_at(&m, m.n - 1);
	assert_int_equal(mp->start, 0xffffffffff600000);
	assert_string_equal(mp->perms, "--xp");
	assert_int_equal(mp->cls, MC_SPECIAL);

	assert_int_equal(find_path(&m, "/tmp/cap/deleted file.dat (deleted)")->cls, MC_FILE);
	assert_int_equal(find_path(&m, "/SYSV00000000 (deleted)")->cls, MC_SHM);
	assert_int_equal(find_path(&m, "/dev/shm/smaptop fixture")->cls, MC_SHM);
	assert_int_equal(find_path(&m, "/memfd:fixture (deleted)")->cls, MC_SHM);
	mp = find_path(&m, "/dev/zero (deleted)");
	assert_int_equal(mp->cls, MC_SHM);
	assert_int_equal(mp->dev_minor, 1);
	assert_int_equal(mp->inode, 27);  /* 7f5824548000-... rw-s 00000000 00:01 27 */
	assert_int_equal(find_path(&m, "/usr/lib/x86_64-linux-gnu/libc.so.6")->cls, MC_LIB);
	assert_int_equal(find_path(&m, "[heap]")->cls, MC_HEAP);
	assert_int_equal(find_path(&m, "[stack]")->cls, MC_STACK);
	assert_int_equal(find_path(&m, "[vvar_vclock]")->cls, MC_SPECIAL);

	/* 6 file (5 x varied + deleted), 1 heap, 4 shm, 3 anon, 10 lib (libc, ld.so),
	 * 4 special (vvar, vvar_vclock, vdso, vsyscall), 1 stack: from the headers */
	for (size_t i = 0; i < m.n; i++)
		cls[map_at(&m, i)->cls]++;
	assert_int_equal(cls[MC_FILE], 6);
	assert_int_equal(cls[MC_HEAP], 1);
	assert_int_equal(cls[MC_SHM], 4);
	assert_int_equal(cls[MC_ANON], 3);
	assert_int_equal(cls[MC_LIB], 10);
	assert_int_equal(cls[MC_SPECIAL], 4);
	assert_int_equal(cls[MC_STACK], 1);
	maplist_fini(&m);
}

/*
 * hostile/smaps-crafted, summed by hand over the 10 mappings that count:
 * the "Rss: 999" before the first header and the two lines after the garbage
 * line are dropped, "Swap: 99999999999999999999" and "Locked: 2^54" are
 * unavailable, the final unterminated "Rss: 1" is ignored.
 */
static const uint64_t crafted_totals[MF_NUM] = {
	[MF_SIZE] = 328 + 4 + 132 + 4096 + 2048 + 4 + 160 + 132 + 4 + 4,      /* 6912 */
	[MF_RSS] = 100 + 4 + 12 + 2048 + 2048 + 4 + 80 + 16 + 0 + 4,          /* 4316 */
	[MF_PSS] = 50 + 4 + 12 + 2048 + 1024 + 4 + 40 + 16 + 4,               /* 3202 */
	[MF_PSS_DIRTY] = 4,
	[MF_SHARED_CLEAN] = 60 + 80,
	[MF_SHARED_DIRTY] = 2048,
	[MF_PRIVATE_CLEAN] = 40,
	[MF_PRIVATE_DIRTY] = 4 + 12 + 2048 + 4 + 16,
	[MF_REFERENCED] = 100 + 2048 + 80 + 16,
	[MF_ANONYMOUS] = 4 + 12 + 2048 + 4 + 16,
	[MF_SWAP] = 8,
	[MF_SWAP_PSS] = 8,
	[MF_LOCKED] = 2048,
	[MF_THP] = 2048 + 2048,  /* AnonHugePages + ShmemPmdMapped */
};

static void
check_crafted(const struct maplist *m)
{
	static const struct {
		const char *path;
		uint8_t cls;
		uint64_t rss;
	} want[] = {
		{ "/usr/bin/my app", MC_FILE, 100 },
		{ "/usr/bin/my app", MC_FILE, 4 },
		{ "[heap]", MC_HEAP, 12 },
		{ "", MC_ANON, 2048 },
		{ "/memfd:cache (deleted)", MC_SHM, 2048 },
		{ "[anon:JS heap]", MC_ANON, 4 },
		{ "/usr/lib/libz.so.1.2.13 (deleted)", MC_LIB, 80 },
		{ "[stack]", MC_STACK, 16 },
		{ "[vsyscall]", MC_SPECIAL, 0 },
		{ "[vvar]", MC_SPECIAL, 4 },
	};

	assert_int_equal(m->n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < m->n; i++) {
		const struct mapping *mp = map_at(m, i);

		assert_int_equal(mp->path_len, strlen(want[i].path));
		assert_memory_equal(mapping_path(m, mp), want[i].path, mp->path_len);
		assert_int_equal(mp->cls, want[i].cls);
		assert_int_equal(mp->val[MF_RSS], want[i].rss);
	}
	assert_totals(m, crafted_totals);
	assert_int_equal(map_at(m, 0)->dev_major, 8);
	assert_int_equal(map_at(m, 0)->dev_minor, 2);
	assert_int_equal(map_at(m, 1)->offset, 0x51000);
	assert_int_equal(map_at(m, 1)->val[MF_PSS_DIRTY], 4);
	assert_int_equal(map_at(m, 3)->start, 0x7f0000000000);
	assert_int_equal(map_at(m, 3)->end, 0x7f0000400000);
	assert_int_equal(map_at(m, 3)->val[MF_SWAP], 0);
	assert_int_equal(map_at(m, 3)->val[MF_THP], 2048);
	assert_int_equal(map_at(m, 4)->val[MF_THP], 2048);
	assert_string_equal(map_at(m, 4)->perms, "rw-s");
	assert_int_equal(map_at(m, 5)->val[MF_LOCKED], 0);
	assert_int_equal(map_at(m, 6)->dev_major, 0xfd);
	assert_int_equal(map_at(m, 6)->inode, 9999);
	assert_int_equal(map_at(m, 7)->val[MF_PSS], 16);
}

static void
test_smaps_crafted(void **state)
{
	struct maplist m, c;

	(void)state;
	maplist_init(&m);
	maplist_init(&c);
	smaps_file("hostile/smaps-crafted", &m, 0);
	check_crafted(&m);
	/* the same file with CRLF line ends parses identically */
	smaps_file("hostile/smaps-crafted-crlf", &c, 0);
	check_crafted(&c);
	assert_int_equal(c.n, m.n);
	assert_same_rows(&c, &m);
	assert_int_equal(c.str_len, m.str_len);
	assert_memory_equal(c.strings, m.strings, m.str_len);
	maplist_fini(&m);
	maplist_fini(&c);
}

static void
test_smaps_empty_garbage(void **state)
{
	struct maplist m;
	static const char keys_only[] = "Size: 4 kB\nRss: 4 kB\n";
	static const char bad_header[] = "00400000-00452000 r-xp\nRss: 4 kB\n"
					 "7f-80 rw-p 0 00:00 12x\nRss: 8 kB\n";

	(void)state;
	maplist_init(&m);
	smaps_file("hostile/empty", &m, -ENODATA);
	assert_int_equal(m.n, 0);
	smaps_file("hostile/garbage.bin", &m, -EINVAL);
	assert_int_equal(m.n, 0);
	assert_int_equal(parse_smaps(keys_only, sizeof keys_only - 1, &m), -EINVAL);
	assert_int_equal(parse_smaps(bad_header, sizeof bad_header - 1, &m), -EINVAL);
	assert_int_equal(m.total[MF_RSS], 0);

	/* a second parse starts from an empty list */
	smaps_file("hostile/smaps-crafted", &m, 0);
	smaps_file("proc/sleep.smaps", &m, 0);
	assert_int_equal(m.n, 37);
	assert_int_equal(m.total[MF_RSS], 1808);
	maplist_fini(&m);
}

static void
assert_path(const struct maplist *m, size_t i, const char *want)
{
	assert_true(i < m->n);
	assert_int_equal(map_at(m, i)->path_len, strlen(want));
	assert_memory_equal(mapping_path(m, map_at(m, i)), want, strlen(want));
}

/*
 * The kernel writes a newline in a mapped file's name as "\012" and nothing
 * else escaped (a tab, a backslash stay raw): the parser decodes "\ooo" with
 * the decoder /proc/swaps uses, so the list holds the name's real bytes.
 * hostile/smaps-escaped-names is a real capture (the directory renamed).
 */
static void
test_smaps_escaped_names(void **state)
{
	struct maplist m;
	static const char odd[] =
		"7f00-7f01 rw-s 0 fe:00 7 /srv/odd\\01\\400\\012x\\\n"
		"Rss: 4 kB\n"
		"7f01-7f02 rw-s 0 fe:00 8 /srv/two\\012\n"
		"Rss: 4 kB\n"
		"7f02-7f03 rw-s 1 fe:00 8 /srv/two\\012\n"
		"Rss: 4 kB\n";

	(void)state;
	maplist_init(&m);
	smaps_file("hostile/smaps-escaped-names", &m, 0);
	assert_int_equal(m.n, 3);
	assert_path(&m, 0, "/srv/data/back\\slash/t\tab");
	assert_path(&m, 1, "/srv/data/nl\nname sp");
	assert_int_equal(map_at(&m, 1)->val[MF_SIZE], 8);
	assert_int_equal(map_at(&m, 1)->val[MF_RSS], 8);
	assert_int_equal(map_at(&m, 1)->cls, MC_FILE);
	assert_path(&m, 2, "[stack]");
	assert_int_equal(map_at(&m, 2)->cls, MC_STACK);

	/* not "\ooo" (too short, first digit past 3, at the end): kept as is */
	assert_int_equal(parse_smaps(odd, sizeof odd - 1, &m), 0);
	assert_int_equal(m.n, 3);
	assert_path(&m, 0, "/srv/odd\\01\\400\nx\\");
	/* a run of one escaped name is stored once, as any other name */
	assert_path(&m, 1, "/srv/two\n");
	assert_path(&m, 2, "/srv/two\n");
	assert_int_equal(map_at(&m, 1)->path_off, map_at(&m, 2)->path_off);
	assert_int_equal(m.str_len, strlen("/srv/odd\\01\\400\nx\\") + strlen("/srv/two\n"));
	maplist_fini(&m);
}

/*
 * A value that is not a number, or too big, is unavailable in its mapping
 * (unknown bit, value 0) and marks the total as leaving it out; a later good
 * line of the same key in the same mapping replaces it, on the fast path (LF)
 * as on the slow one (CRLF).
 */
static char *to_crlf(const char *b, size_t len, size_t *out_len);

static void
test_smaps_unavailable(void **state)
{
	struct maplist m;
	static const char b[] =
		"7f00000000-7f00001000 rw-p 00000000 00:00 0 \n"
		"Rss:                 abc kB\n"
		"Pss:                   1 kB\n"
		"7f00001000-7f00002000 rw-p 00000000 00:00 0 \n"
		"Rss:                   4 kB\n"
		"Pss:                99999999999999999999 kB\n"
		"AnonHugePages:       12x kB\n"
		"7f00002000-7f00003000 rw-p 00000000 00:00 0 \n"
		"Rss:                   x kB\n"
		"Rss:                   8 kB\n";

	(void)state;
	maplist_init(&m);
	for (int crlf = 0; crlf < 2; crlf++) {
		size_t len = sizeof b - 1;
		char *c = crlf ? to_crlf(b, sizeof b - 1, &len) : NULL;

		assert_int_equal(parse_smaps(c ? c : b, len, &m), 0);
		free(c);
		assert_int_equal(m.n, 3);
		assert_int_equal(map_at(&m, 0)->unknown, MF_BIT(MF_RSS));
		assert_int_equal(map_at(&m, 0)->val[MF_RSS], 0);
		assert_int_equal(map_at(&m, 0)->val[MF_PSS], 1);
		assert_int_equal(map_at(&m, 1)->unknown, MF_BIT(MF_PSS) | MF_BIT(MF_THP));
		assert_int_equal(map_at(&m, 1)->val[MF_RSS], 4);
		assert_int_equal(map_at(&m, 2)->unknown, 0);
		assert_int_equal(map_at(&m, 2)->val[MF_RSS], 8);
		assert_int_equal(m.total[MF_RSS], 12);
		assert_int_equal(m.total[MF_PSS], 1);
		assert_int_equal(m.total_partial, MF_BIT(MF_RSS) | MF_BIT(MF_PSS) | MF_BIT(MF_THP));
	}
	maplist_fini(&m);
}

/* smaps_rollup read as the kernel's totals of the smaps fields. */
static void
test_smaps_totals(void **state)
{
	uint64_t v[MF_NUM];
	uint16_t known;
	size_t len;
	char *b;

	(void)state;
	b = fixture("proc/sleep.smaps_rollup", &len);
	assert_int_equal(parse_smaps_totals(b, len, v, &known), 0);
	free(b);
	assert_int_equal(known, ((1u << MF_NUM) - 1) & ~MF_BIT(MF_SIZE));
	assert_int_equal(v[MF_RSS], 1808);
	assert_int_equal(v[MF_PSS], 480);  /* proc/sleep.smaps rows add up to 453 */
	assert_int_equal(v[MF_PRIVATE_DIRTY], 112);
	assert_int_equal(v[MF_SIZE], 0);

	b = fixture("hostile/rollup-overflow", &len);
	assert_int_equal(parse_smaps_totals(b, len, v, &known), 0);
	free(b);
	assert_false(known & MF_BIT(MF_PSS));
	assert_true(known & MF_BIT(MF_PRIVATE_CLEAN));  /* the largest that fits in bytes */
	assert_int_equal(v[MF_PRIVATE_CLEAN], UINT64_MAX / 1024);
	assert_false(known & MF_BIT(MF_THP));           /* "12x" */
	assert_false(known & MF_BIT(MF_SWAP_PSS));      /* no number */
	assert_true(known & MF_BIT(MF_RSS));
	assert_int_equal(v[MF_RSS], 1808);
	assert_int_equal(v[MF_PSS], 0);

	b = fixture("proc/sleep.smaps", &len);
	assert_int_equal(parse_smaps_totals(b, len, v, &known), -EINVAL); /* not one mapping */
	free(b);
	assert_int_equal(known, 0);
	b = fixture("hostile/empty", &len);
	assert_int_equal(parse_smaps_totals(b, len, v, &known), -ENODATA);
	free(b);
}

/*
 * Every prefix of a real file (a read cut short anywhere) parses without
 * reading past its end, and counts no more than the whole file.
 */
static void
test_smaps_prefixes(void **state)
{
	struct maplist m;
	size_t len;
	char *b = fixture("proc/sleep.smaps", &len);

	(void)state;
	maplist_init(&m);
	for (size_t cut = 0; cut <= len; cut += (cut < 4096 ? 1 : 61)) {
		char *p = malloc(cut ? cut : 1);

		memcpy(p, b, cut);
		int rc = parse_smaps(p, cut, &m);
		assert_true(rc == 0 || rc == -EINVAL || (cut == 0 && rc == -ENODATA));
		assert_true(m.n <= 37);
		assert_true(m.total[MF_RSS] <= 1808);
		assert_true(m.total[MF_SIZE] <= 2924);
		free(p);
	}
	maplist_fini(&m);
	free(b);
}

/* A copy of b with every "\n" turned into "\r\n" (heap, exact size). */
static char *
to_crlf(const char *b, size_t len, size_t *out_len)
{
	size_t n = 0;
	char *c = malloc(2 * len + 1);

	assert_non_null(c);
	for (size_t i = 0; i < len; i++) {
		if (b[i] == '\n')
			c[n++] = '\r';
		c[n++] = b[i];
	}
	*out_len = n;
	return c;
}

/*
 * The fast path (kernel-shaped LF lines) and the line-by-line path (the same
 * file with CRLF, which the fast path never takes) agree mapping by mapping.
 */
static void
check_fast_equals_slow(const char *b, size_t len)
{
	struct maplist f, s;
	size_t clen;
	char *c = to_crlf(b, len, &clen);

	maplist_init(&f);
	maplist_init(&s);
	assert_int_equal(parse_smaps(b, len, &f), 0);
	assert_int_equal(parse_smaps(c, clen, &s), 0);
	assert_int_equal(f.n, s.n);
	assert_same_rows(&f, &s);
	assert_memory_equal(f.total, s.total, sizeof f.total);
	assert_int_equal(f.str_len, s.str_len);
	assert_memory_equal(f.strings, s.strings, f.str_len);
	maplist_fini(&f);
	maplist_fini(&s);
	free(c);
}

static void
test_smaps_fast_equals_slow(void **state)
{
	static const char *const files[] = { "proc/sleep.smaps", "proc/varied.smaps",
					     "proc/cat-self.smaps", "hostile/smaps-crafted" };
	/* 9+ digit values do not fit the kernel's 8-column field */
	static const char wide[] =
		"7f00-7f01 rw-p 00000000 00:00 0 \n"
		"Size:           123456788 kB\n"
		"Rss:            123456789 kB\n"
		"Pss:                   1 kB\n"
		"Swap:           18014398509481983 kB\n"
		"SwapPss:        18014398509481984 kB\n"
		"THPeligible:    0\n"
		"Locked:         99999999 kB\n";
	struct maplist m;

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t len;
		char *b = fixture(files[i], &len);

		check_fast_equals_slow(b, len);
		free(b);
	}
	check_fast_equals_slow(wide, sizeof wide - 1);

	/*
	 * A key field followed by a newline, with the next line lined up so that
	 * bytes 24..27 read " kB\n": the fast path must not swallow two lines.
	 * The lone "1234567 kB" line is neither key nor header, so what follows
	 * it belongs to no mapping.
	 */
	static const char split[] =
		"7f00-7f01 rw-p 00000000 00:00 0 \n"
		"KSM:            \n1234567 kB\n"
		"Rss:                   8 kB\n"
		"7f02-7f03 rw-p 00000000 00:00 0 \n"
		"THPeligible:    \nABCDEFG\n"
		"Rss:                   4 kB\n";
	check_fast_equals_slow(split, sizeof split - 1);
	maplist_init(&m);
	assert_int_equal(parse_smaps(split, sizeof split - 1, &m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.total[MF_RSS], 0);
	maplist_fini(&m);
	maplist_init(&m);
	assert_int_equal(parse_smaps(wide, sizeof wide - 1, &m), 0);
	assert_int_equal(map_at(&m, 0)->val[MF_SIZE], 123456788);
	assert_int_equal(map_at(&m, 0)->val[MF_RSS], 123456789);
	assert_int_equal(map_at(&m, 0)->val[MF_PSS], 1);
	assert_int_equal(map_at(&m, 0)->val[MF_SWAP], UINT64_C(18014398509481983));
	assert_int_equal(map_at(&m, 0)->val[MF_SWAP_PSS], 0);  /* past UINT64_MAX / 1024 */
	assert_int_equal(map_at(&m, 0)->val[MF_LOCKED], 99999999);

	/* every digit position of the 8-column field, as the kernel prints it */
	static const unsigned vals[] = { 0, 1, 9, 10, 99, 100, 1234, 12345, 123456, 1234567,
					 12345678, 10000000, 99999999, 90000009 };
	char line[256];
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		int n = snprintf(line, sizeof line,
				 "7f00-7f01 rw-p 00000000 00:00 0 \nRss:            %8u kB\n", vals[i]);
		assert_int_equal(parse_smaps(line, (size_t)n, &m), 0);
		assert_int_equal(map_at(&m, 0)->val[MF_RSS], vals[i]);
		check_fast_equals_slow(line, (size_t)n);
	}
	maplist_fini(&m);
}

/* ---- incremental parsing ---- */

/* Two parse results are the same list, byte for byte (paths and totals too). */
static void
assert_same_maplist(const struct maplist *a, const struct maplist *b)
{
	assert_int_equal(a->n, b->n);
	assert_same_rows(a, b);
	assert_memory_equal(a->total, b->total, sizeof a->total);
	assert_int_equal(a->str_len, b->str_len);
	if (a->str_len)
		assert_memory_equal(a->strings, b->strings, a->str_len);
}

/*
 * Feeds b[0..len) to the incremental parser in pieces whose sizes are given
 * by next_size (called once per piece; 0 makes an empty piece). Each piece is
 * an exact-size heap copy, so ASan catches a read past a piece or a pointer
 * kept into one after smaps_feed returned.
 */
static int
feed_pieces(const char *b, size_t len, struct maplist *m, size_t (*next_size)(void *), void *arg)
{
	struct smaps_parser sp;
	size_t off = 0;

	smaps_begin(&sp, m);
	while (off < len) {
		size_t n = next_size(arg);
		char *piece;

		if (n > len - off)
			n = len - off;
		piece = malloc(n ? n : 1);
		assert_non_null(piece);
		memcpy(piece, b + off, n);
		smaps_feed(&sp, piece, n);
		memset(piece, 'X', n);  /* the parser must have copied what it keeps */
		free(piece);
		off += n;
	}
	return smaps_end(&sp);
}

static size_t
fixed_size(void *arg)
{
	return *(size_t *)arg;
}

/* Two pieces: [0, cut) then the rest. */
struct two_pieces {
	size_t cut;
	int calls;
};

static size_t
two_size(void *arg)
{
	struct two_pieces *t = arg;

	return t->calls++ == 0 ? t->cut : SIZE_MAX;
}

/* Pseudo-random sizes 0..max (a fixed LCG: runs are repeatable). */
struct random_pieces {
	uint32_t x;
	size_t max;
};

static size_t
random_size(void *arg)
{
	struct random_pieces *r = arg;

	r->x = r->x * 1664525u + 1013904223u;
	return (r->x >> 8) % (r->max + 1);
}

/*
 * b split anywhere gives exactly the one-shot parse: every cut into two
 * pieces (every third for files over 8 KiB), every piece size 1..80 and some
 * larger ones, and runs of random sizes, empty pieces included.
 */
static void
check_chunked_equals_whole(const char *b, size_t len)
{
	struct maplist whole, part;
	int want;

	maplist_init(&whole);
	maplist_init(&part);
	want = parse_smaps(b, len, &whole);
	for (size_t cut = 0; cut <= len; cut += len > 8192 ? 3 : 1) {
		struct two_pieces t = { cut, 0 };

		assert_int_equal(feed_pieces(b, len, &part, two_size, &t), want);
		assert_same_maplist(&part, &whole);
	}
	static const size_t big[] = { 97, 128, 255, 256, 1000, 4093, 4096, 65536 };
	for (size_t step = 1; step <= 80 + sizeof big / sizeof big[0]; step++) {
		size_t n = step <= 80 ? step : big[step - 81];

		assert_int_equal(feed_pieces(b, len, &part, fixed_size, &n), want);
		assert_same_maplist(&part, &whole);
	}
	for (uint32_t seed = 1; seed <= 20; seed++) {
		struct random_pieces r = { seed, seed % 2 ? 40 : 700 };

		assert_int_equal(feed_pieces(b, len, &part, random_size, &r), want);
		assert_same_maplist(&part, &whole);
	}
	maplist_fini(&whole);
	maplist_fini(&part);
}

static void
test_smaps_chunked(void **state)
{
	static const char *const files[] = {
		"proc/sleep.smaps", "proc/varied.smaps", "proc/cat-self.smaps",
		"hostile/smaps-crafted", "hostile/smaps-crafted-crlf", "hostile/empty",
		"hostile/garbage.bin",
	};
	/* lines split inside "\r\n", a key, the 8-column field, a header, the path */
	static const char crlf[] =
		"7f00-7f01 rw-p 00000000 00:00 0 /a path\r\n"
		"Rss:                   8 kB\r\nPss:            4 kB\r\n"
		"7f01-7f02 rw-p 00000000 00:00 0 /a path\r\nRss: 4 kB\r\n";
	static const char truncated[] =
		"7f00-7f01 rw-p 00000000 00:00 0 \n"
		"Rss:                   8 kB\n"
		"Pss:                   4";

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t len, clen;
		char *b = fixture(files[i], &len);
		char *c = to_crlf(b, len, &clen);

		check_chunked_equals_whole(b, len);
		if (i < 3)
			check_chunked_equals_whole(c, clen);
		free(b);
		free(c);
	}
	check_chunked_equals_whole(crlf, sizeof crlf - 1);
	check_chunked_equals_whole(truncated, sizeof truncated - 1);

	/* the unterminated last line is dropped, however it was fed */
	struct maplist m;
	size_t one = 1;

	maplist_init(&m);
	assert_int_equal(feed_pieces(truncated, sizeof truncated - 1, &m, fixed_size, &one), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(map_at(&m, 0)->val[MF_RSS], 8);
	assert_int_equal(map_at(&m, 0)->val[MF_PSS], 0);
	/* nothing fed at all, and only empty pieces, are both "no data" */
	size_t zero = 0;
	struct smaps_parser sp;
	smaps_begin(&sp, &m);
	assert_int_equal(smaps_end(&sp), -ENODATA);
	smaps_begin(&sp, &m);
	smaps_feed(&sp, "", 0);
	smaps_feed(&sp, "", 0);
	assert_int_equal(smaps_end(&sp), -ENODATA);
	assert_int_equal(feed_pieces("", 0, &m, fixed_size, &zero), -ENODATA);
	maplist_fini(&m);
}

/* ---- synthetic large input ---- */

#define SYN_VMAS 100000

/*
 * Builds a kernel-shaped smaps with SYN_VMAS mappings: every 3rd anonymous,
 * the others spread over 500 library names; values vary with the index.
 * The expected totals are summed here as the text is written.
 */
static char *
synth_smaps(size_t *len, uint64_t want[MF_NUM], size_t *anon)
{
	size_t cap = (size_t)SYN_VMAS * 1100, n = 0;
	char *b = malloc(cap);

	assert_non_null(b);
	memset(want, 0, MF_NUM * sizeof want[0]);
	*anon = 0;
	for (unsigned i = 0; i < SYN_VMAS; i++) {
		unsigned long long start = 0x7f0000000000ULL + (unsigned long long)i * 0x3000;
		unsigned size = 4 * (i % 7 + 1), rss = 4 * (i % 5), pss = rss / 2;
		unsigned pc = i % 3 ? rss : 0, pd = rss - pc, thp = (i % 1000 == 0) ? 2048 : 0;

		if (i % 3 == 0) {
			(*anon)++;
			n += (size_t)snprintf(b + n, cap - n,
					      "%llx-%llx rw-p 00000000 00:00 0 \n", start,
					      start + size * 1024ULL);
		} else {
			n += (size_t)snprintf(b + n, cap - n,
					      "%llx-%llx r-xp %08x fd:01 %u%*s/usr/lib/libsynth%u.so.1\n",
					      start, start + size * 1024ULL, i * 4096u, 1000 + i % 500,
					      20, "", i % 500);
		}
		n += (size_t)snprintf(b + n, cap - n,
			"Size:           %8u kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n"
			"Rss:            %8u kB\nPss:            %8u kB\nPss_Dirty:      %8u kB\n"
			"Shared_Clean:          0 kB\nShared_Dirty:          0 kB\n"
			"Private_Clean:  %8u kB\nPrivate_Dirty:  %8u kB\nReferenced:     %8u kB\n"
			"Anonymous:      %8u kB\nKSM:                   0 kB\nLazyFree:              0 kB\n"
			"AnonHugePages:  %8u kB\nShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\n"
			"Shared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:           %8u kB\n"
			"SwapPss:        %8u kB\nLocked:                0 kB\nTHPeligible:           0\n"
			"VmFlags: rd ex mr mw me sd \n",
			size, rss, pss, pd, pc, pd, rss, pd, thp, i % 2, i % 2);
		want[MF_SIZE] += size;
		want[MF_RSS] += rss;
		want[MF_PSS] += pss;
		want[MF_PSS_DIRTY] += pd;
		want[MF_PRIVATE_CLEAN] += pc;
		want[MF_PRIVATE_DIRTY] += pd;
		want[MF_REFERENCED] += rss;
		want[MF_ANONYMOUS] += pd;
		want[MF_THP] += thp;
		want[MF_SWAP] += i % 2;
		want[MF_SWAP_PSS] += i % 2;
		assert_true(n < cap - 2048);
	}
	*len = n;
	return b;
}

static void
test_smaps_synthetic_100k(void **state)
{
	struct maplist m;
	uint64_t want[MF_NUM];
	size_t len, anon;
	char *b = synth_smaps(&len, want, &anon);
	size_t lib = 0;

	(void)state;
	maplist_init(&m);
	assert_int_equal(parse_smaps(b, len, &m), 0);
	assert_int_equal(m.n, SYN_VMAS);
	assert_totals(&m, want);
	for (size_t i = 0; i < m.n; i++)
		lib += map_at(&m, i)->cls == MC_LIB;
	assert_int_equal(lib, SYN_VMAS - anon);
	assert_int_equal(map_at(&m, 1)->offset, 4096);
	assert_int_equal(map_at(&m, 1)->inode, 1001);
	assert_memory_equal(mapping_path(&m, map_at(&m, 1)), "/usr/lib/libsynth1.so.1", map_at(&m, 1)->path_len);
	assert_int_equal(map_at(&m, 99999)->start, 0x7f0000000000ULL + 99999ULL * 0x3000);
	/* the collector's 128 KiB reads, and sizes that split lines everywhere */
	static const size_t steps[] = { 128 * 1024, 65521, 4093, 999 };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct maplist c;
		size_t n = steps[i];

		maplist_init(&c);
		assert_int_equal(feed_pieces(b, len, &c, fixed_size, &n), 0);
		assert_same_maplist(&c, &m);
		maplist_fini(&c);
	}
	maplist_fini(&m);
	check_fast_equals_slow(b, len);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_rollup_real),
		cmocka_unit_test(test_rollup_reordered_crlf),
		cmocka_unit_test(test_rollup_old_kernel),
		cmocka_unit_test(test_rollup_truncated),
		cmocka_unit_test(test_rollup_overflow),
		cmocka_unit_test(test_rollup_empty_garbage),
		cmocka_unit_test(test_smaps_sleep),
		cmocka_unit_test(test_smaps_cat_self),
		cmocka_unit_test(test_smaps_varied),
		cmocka_unit_test(test_smaps_crafted),
		cmocka_unit_test(test_smaps_empty_garbage),
		cmocka_unit_test(test_smaps_escaped_names),
		cmocka_unit_test(test_smaps_unavailable),
		cmocka_unit_test(test_smaps_totals),
		cmocka_unit_test(test_smaps_prefixes),
		cmocka_unit_test(test_smaps_fast_equals_slow),
		cmocka_unit_test(test_smaps_chunked),
		cmocka_unit_test(test_smaps_synthetic_100k),
	};

	return cmocka_run_group_tests_name("parse_smaps", tests, NULL, NULL);
}
