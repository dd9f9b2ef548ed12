/*
 * Unit tests for model/maps.c: classification rules (table-driven), class and
 * field names, the maplist lifecycle, and grouping by (class, path), including
 * 100,000 mappings and saturating sums. Mappings are built by hand here, not
 * parsed, so these tests do not depend on the smaps parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/maps.h"
#include "maps_at.h"

/* Appends one mapping with the given name and RSS (and SIZE = 2 * RSS). */
static void
add(struct maplist *m, const char *path, const char *perms, uint64_t rss)
{
	size_t n = strlen(path);
	struct mapping row, *mp = &row;

	if (m->str_len + n > m->str_cap) {
		m->str_cap = (m->str_len + n) * 2 + 16;
		m->strings = realloc(m->strings, m->str_cap);
		assert_non_null(m->strings);
	}
	memset(mp, 0, sizeof *mp);
	if (n)
		memcpy(m->strings + m->str_len, path, n);
	mp->path_off = (uint32_t)m->str_len;
	mp->path_len = (uint32_t)n;
	m->str_len += n;
	memcpy(mp->perms, perms, 5);
	mp->inode = n ? 1 : 0;
	mp->cls = (uint8_t)map_classify(path, n, perms, mp->inode);
	mp->val[MF_RSS] = rss;
	mp->val[MF_SIZE] = 2 * rss;
	maplist_add(m, mp);
}

static void
test_classify(void **state)
{
	static const struct {
		const char *path;
		const char *perms;
		uint64_t inode;
		enum map_class want;
	} t[] = {
		{ "", "rw-p", 0, MC_ANON },
		{ "[heap]", "rw-p", 0, MC_HEAP },
		{ "[stack]", "rw-p", 0, MC_STACK },
		{ "[stack:1234]", "rw-p", 0, MC_STACK },
		{ "[vdso]", "r-xp", 0, MC_SPECIAL },
		{ "[vvar]", "r--p", 0, MC_SPECIAL },
		{ "[vsyscall]", "--xp", 0, MC_SPECIAL },
		{ "[uprobes]", "r-xp", 0, MC_SPECIAL },
		{ "[anon:JS heap]", "rw-p", 0, MC_ANON },
		{ "[anon_shmem:ring]", "rw-s", 0, MC_SHM },
		{ "[heap", "rw-p", 0, MC_SPECIAL },
		{ "/dev/zero (deleted)", "rw-s", 1025, MC_SHM },
		{ "/dev/zero", "rw-p", 5, MC_ANON },
		{ "/dev/zeroes", "rw-p", 5, MC_FILE },
		{ "/anon_hugepage (deleted)", "rw-s", 77, MC_SHM },
		{ "/SYSV00000000 (deleted)", "rw-s", 2, MC_SHM },
		{ "/memfd:fixture (deleted)", "rw-s", 28, MC_SHM },
		{ "/memfd:jit (deleted)", "r-xp", 28, MC_SHM },
		{ "/dev/shm/smaptop fixture", "rw-s", 4, MC_SHM },
		{ "/dev/shm/gone (deleted)", "rw-s", 4, MC_SHM },
		{ "/usr/lib/x86_64-linux-gnu/libc.so.6", "r-xp", 9, MC_LIB },
		{ "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "r--p", 9, MC_LIB },
		{ "/opt/plugin.so", "r-xp", 9, MC_LIB },
		{ "/usr/lib/libz.so.1.2.13 (deleted)", "r--p", 9, MC_LIB },
		{ "/var/run/x.sock", "rw-s", 9, MC_FILE },
		{ "/srv/data.so/blob", "r--p", 9, MC_FILE },  /* ".so" in a directory */
		{ "/srv/.so", "r--p", 9, MC_LIB },
		{ "/usr/bin/cat", "r-xp", 9, MC_FILE },
		{ "/tmp/cap/deleted file.dat (deleted)", "r--p", 9, MC_FILE },
		{ "/var/db/shared.db", "rw-s", 9, MC_FILE },  /* shared file stays file */
		{ "anon_inode:[perf_event]", "r--s", 9, MC_SPECIAL },
		{ "anon_inode:dmabuf", "rw-s", 9, MC_SPECIAL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum map_class c = map_classify(t[i].path, strlen(t[i].path), t[i].perms, t[i].inode);

		if (c != t[i].want)
			fail_msg("%s %s: %s, want %s", t[i].path, t[i].perms, map_class_name(c),
				 map_class_name(t[i].want));
	}
	/* the length bounds the name: "[heap]" seen as "[hea" is not the heap */
	assert_int_equal(map_classify("[heap]", 4, "rw-p", 0), MC_SPECIAL);
	assert_int_equal(map_classify("/lib/a.so.6", 9, "r--p", 1), MC_LIB); /* "/lib/a.so" */
	assert_int_equal(map_classify("/lib/a.so.6", 8, "r--p", 1), MC_FILE); /* "/lib/a.s" */
}

static void
test_names(void **state)
{
	static const char *const cls[MC_NUM] = { "heap", "stack", "anon", "file", "lib", "shm",
						 "special" };
	static const char *const keys[MF_NUM] = {
		"size", "rss", "pss", "pss_dirty", "shared_clean", "shared_dirty", "private_clean",
		"private_dirty", "referenced", "anonymous", "swap", "swap_pss", "locked", "thp",
	};

	(void)state;
	for (int c = 0; c < MC_NUM; c++) {
		assert_string_equal(map_class_name((enum map_class)c), cls[c]);
		assert_int_equal(map_class_parse(cls[c]), c);
	}
	assert_int_equal(map_class_parse("Heap"), -1);
	assert_int_equal(map_class_parse(""), -1);
	assert_non_null(map_class_name(MC_NUM));
	for (int f = 0; f < MF_NUM; f++) {
		assert_string_equal(map_field_key((enum map_field)f), keys[f]);
		assert_int_equal(map_field_parse(keys[f]), f);
	}
	assert_int_equal(map_field_parse("RSS"), -1);
	assert_int_equal(map_field_parse("rss "), -1);
	assert_non_null(map_field_key(MF_NUM));
}

static void
test_lifecycle(void **state)
{
	struct maplist m;

	(void)state;
	maplist_init(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.rows);
	add(&m, "/usr/bin/x", "r-xp", 4);
	m.total[MF_RSS] = 4;
	unsigned char *keep = m.rows;
	maplist_clear(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.str_len, 0);
	assert_int_equal(m.total[MF_RSS], 0);
	assert_int_equal(m.rows_len, 0);
	assert_ptr_equal(m.rows, keep);  /* allocation kept for the next refresh */
	maplist_fini(&m);
	assert_null(m.rows);
	assert_null(m.at);
	assert_null(m.strings);
	maplist_fini(&m);  /* twice is harmless */
}

/*
 * The packed list gives back exactly what it was given, for every shape the
 * record has a special form for and the extremes of each field.
 */
static void
test_pack_roundtrip(void **state)
{
	static const struct {
		uint64_t start, end, offset, inode;
		uint32_t maj, min, off, len;
		const char perms[5];
		uint8_t cls;
		uint16_t unknown;
		uint64_t v0, v1;
	} t[] = {
		{ 0x7f0000000000, 0x7f0000001000, 0, 0, 0, 0, 0, 0, "rw-p", MC_ANON, 0, 4, 0 },
		{ 0x1001, 0x2003, 0x17, 42, 0xfd, 3, 5, 9, "r-xs", MC_LIB, 0, 1, 2 },
		{ 0xfffffffffffff000, 0xfffffffffffff000, 0xfffffffffffff000, UINT64_MAX,
		  UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, "--xp", MC_SPECIAL,
		  MF_BIT(MF_RSS) | MF_BIT(MF_THP), UINT64_MAX, UINT64_MAX - 1 },
		{ 5, 3, 1, 0, 0, 0, 7, 0, "ab\x01d", MC_SHM, 0xffff, 0, 127 },
		{ 0, 0, 0, 0, 0, 0, 0, 0, "\0\0\0\0", MC_HEAP, 0, 128, 16383 },
	};
	struct maplist m;

	(void)state;
	maplist_init(&m);
	for (int r = 0; r < 1000; r++) {  /* past the first growth of both arrays */
		size_t k = (size_t)r % (sizeof t / sizeof t[0]);
		struct mapping in;

		memset(&in, 0, sizeof in);
		in.start = t[k].start;
		in.end = t[k].end;
		in.offset = t[k].offset;
		in.inode = t[k].inode;
		in.dev_major = t[k].maj;
		in.dev_minor = t[k].min;
		in.path_off = t[k].off;
		in.path_len = t[k].len;
		memcpy(in.perms, t[k].perms, 4);
		in.cls = t[k].cls;
		in.unknown = t[k].unknown;
		for (int f = 0; f < MF_NUM; f++)
			in.val[f] = f % 2 ? t[k].v1 : t[k].v0 + (uint64_t)f * (t[k].v0 < 1000);
		in.val[MF_PSS] = (uint64_t)r;
		maplist_add(&m, &in);
		assert_int_equal(m.n, (size_t)r + 1);
		assert_memory_equal(map_at(&m, (size_t)r), &in, sizeof in);
		for (int f = 0; f < MF_NUM; f++)
			assert_int_equal(maplist_value(&m, (size_t)r, f), in.val[f]);
	}
	/* the first ones again, after the arrays moved */
	for (size_t r = 0; r < 5; r++)
		assert_int_equal(map_at(&m, r)->val[MF_PSS], r);
	maplist_fini(&m);
}

/*
 * maplist_order against its definition, checked pair by pair: biggest
 * first, ties in list order, reverse the whole order backwards. Values are
 * drawn from few distinct ones (many ties), with bytes that differ at every
 * position, the extremes included.
 */
static void
test_order(void **state)
{
	static const uint64_t pick[] = {
		0, 1, 4, 255, 256, 1000, 65536, UINT64_C(1) << 40, UINT64_C(0x0100000000000001),
		UINT64_MAX - 1, UINT64_MAX,
	};
	struct maplist m;
	struct mapgroup *g = NULL;
	struct maporder o = { 0 };
	size_t *idx, n;
	uint64_t seed = 7;

	(void)state;
	maplist_init(&m);
	for (int i = 0; i < 5000; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		add(&m, i % 3 ? "" : "/usr/lib/libz.so.1", "rw-p", pick[(seed >> 33) % 11]);
	}
	size_t ng = maplist_group(&m, &g);
	for (int grouped = 0; grouped < 2; grouped++) {
		for (int rev = 0; rev < 2; rev++) {
			n = maplist_order(&m, g, ng, grouped, MF_RSS, rev, &o);
			idx = o.idx;
			assert_int_equal(n, grouped ? ng : m.n);
			for (size_t i = 0; i + 1 < n; i++) {
				size_t a = idx[rev ? i + 1 : i], b = idx[rev ? i : i + 1];
				uint64_t va = grouped ? g[a].val[MF_RSS] : map_at(&m, a)->val[MF_RSS];
				uint64_t vb = grouped ? g[b].val[MF_RSS] : map_at(&m, b)->val[MF_RSS];

				assert_true(va > vb || (va == vb && a < b));
			}
		}
	}
	n = maplist_order(&m, g, ng, false, -1, true, &o);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(o.idx[i], n - 1 - i);
	maporder_fini(&o);
	free(g);
	maplist_fini(&m);
}

static void
test_group_small(void **state)
{
	struct maplist m;
	struct mapgroup *g;
	size_t n;

	(void)state;
	maplist_init(&m);
	add(&m, "/usr/bin/app", "r--p", 1);     /* 0 */
	add(&m, "/usr/bin/app", "r-xp", 2);     /* 1 */
	add(&m, "[heap]", "rw-p", 4);           /* 2 */
	add(&m, "", "rw-p", 8);                 /* 3 anon */
	add(&m, "/usr/lib/libc.so.6", "r--p", 16); /* 4 */
	add(&m, "", "rw-p", 32);                /* 5 anon, joins 3 */
	add(&m, "/usr/lib/libc.so.6", "r-xp", 64); /* 6 joins 4 */
	add(&m, "/dev/zero", "rw-p", 128);      /* 7 private: anon class, own path */
	add(&m, "/dev/zero", "rw-s", 256);      /* 8 shared: shm */
	add(&m, "/usr/bin/app", "rw-p", 512);   /* 9 joins 0 */
	add(&m, "[anon:cache]", "rw-p", 1024);  /* 10 anon, named: its own group */

	n = maplist_group(&m, &g);
	assert_int_equal(n, 7);
	/* groups in the order of their first mapping */
	static const struct {
		size_t first;
		uint32_t count;
		uint8_t cls;
		uint64_t rss;
	} want[] = {
		{ 0, 3, MC_FILE, 1 + 2 + 512 },
		{ 2, 1, MC_HEAP, 4 },
		{ 3, 2, MC_ANON, 8 + 32 },
		{ 4, 2, MC_LIB, 16 + 64 },
		{ 7, 1, MC_ANON, 128 },
		{ 8, 1, MC_SHM, 256 },
		{ 10, 1, MC_ANON, 1024 },
	};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(g[i].first, want[i].first);
		assert_int_equal(g[i].count, want[i].count);
		assert_int_equal(g[i].cls, want[i].cls);
		assert_int_equal(g[i].val[MF_RSS], want[i].rss);
		assert_int_equal(g[i].val[MF_SIZE], 2 * want[i].rss);
	}
	free(g);

	/* sums saturate */
	maplist_clear(&m);
	add(&m, "", "rw-p", UINT64_MAX - 1);
	add(&m, "", "rw-p", 5);
	n = maplist_group(&m, &g);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].val[MF_RSS], UINT64_MAX);
	free(g);

	/* anonymous only: the string arena was never allocated */
	struct maplist a;
	maplist_init(&a);
	add(&a, "", "rw-p", 1);
	add(&a, "", "rw-p", 2);
	assert_null(a.strings);
	n = maplist_group(&a, &g);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].count, 2);
	free(g);
	maplist_fini(&a);

	maplist_clear(&m);
	g = (struct mapgroup *)&m;  /* must be overwritten */
	assert_int_equal(maplist_group(&m, &g), 0);
	assert_null(g);
	maplist_fini(&m);
}

/*
 * 100,000 mappings: every 10th anonymous, the others over 900 file names
 * (i * 7919 mod 1000 is a bijection on i mod 1000 and ends in 0 exactly when i
 * does, so the names ending in 0 never occur).
 */
static void
test_group_100k(void **state)
{
	struct maplist m;
	struct mapgroup *g;
	char path[64];
	size_t n;
	uint64_t total = 0, sum = 0, count = 0;

	(void)state;
	maplist_init(&m);
	for (unsigned i = 0; i < 100000; i++) {
		if (i % 10 == 0) {
			add(&m, "", "rw-p", 1);
		} else {
			snprintf(path, sizeof path, "/data/file%u.bin", (i * 7919u) % 1000);
			add(&m, path, "r--p", i % 13);
		}
		total += map_at(&m, i)->val[MF_RSS];
	}
	n = maplist_group(&m, &g);
	assert_int_equal(n, 900 + 1);
	for (size_t i = 0; i < n; i++) {
		sum += g[i].val[MF_RSS];
		count += g[i].count;
		if (i)
			assert_true(g[i - 1].first < g[i].first);
	}
	assert_int_equal(sum, total);
	assert_int_equal(count, 100000);
	assert_int_equal(g[0].first, 0);  /* the anonymous group */
	assert_int_equal(g[0].count, 10000);
	free(g);
	maplist_fini(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_pack_roundtrip),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_group_small),
		cmocka_unit_test(test_group_100k),
	};

	return cmocka_run_group_tests_name("maps", tests, NULL, NULL);
}
