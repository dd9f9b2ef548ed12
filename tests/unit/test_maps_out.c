/*
 * The per-mapping outputs (output/maps_out.c) over lists parsed from crafted
 * smaps text: a value the kernel gave unparsable is unavailable in its row
 * ("-", empty, null), and so is a sum of rows that would leave it out; the
 * total is smaps_rollup's where the source read it (Size is the rows'), and
 * the table and JSON say what the rows add up to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/parse.h"
#include "model/table.h"
#include "output/cell.h"
#include "output/out.h"
#include "maps_at.h"

/* Two one-page mappings; the second's Rss is not a number. */
static const char smaps[] =
	"7f00000000-7f00001000 rw-p 00000000 00:00 0 \n"
	"Size:                  4 kB\n"
	"Rss:                   4 kB\n"
	"Pss:                   1 kB\n"
	"7f00001000-7f00002000 rw-p 00000000 00:00 0 \n"
	"Size:                  4 kB\n"
	"Rss:                 abc kB\n"
	"Pss:                   2 kB\n";

/* Renders the list parsed from smaps in fmt (grouped or not) into *out (owned). */
static char *
render(enum out_format fmt, bool grouped, bool rollup)
{
	struct maplist m;
	struct table t;
	struct out o;
	struct mapgroup *groups = NULL;

	maplist_init(&m);
	assert_int_equal(parse_smaps(smaps, sizeof smaps - 1, &m), 0);
	if (rollup) {
		/* the kernel's own totals: Pss rounded once, not per mapping */
		m.rollup[MF_RSS] = 8;
		m.rollup[MF_PSS] = 4;
		m.rollup_known = (uint16_t)(((1u << MF_NUM) - 1) & ~MF_BIT(MF_SIZE));
	}
	table_init(&t);
	t.wall_ms = 1700000000123;
	memset(&o, 0, sizeof o);
	o.fmt = fmt;
	o.fd = -1;
	o.style = CELL_ASCII;
	struct maps_view v = { .pid = 42, .m = &m, .grouped = grouped, .sort = -1 };
	if (grouped) {
		v.ngroups = maplist_group(&m, &groups);
		v.groups = groups;
	}
	out_maps(&o, &t, &v);
	char *s = strdup(o.b.data ? o.b.data : "");
	free(groups);
	buf_fini(&o.b);
	buf_fini(&o.tmp);
	table_fini(&t);
	maplist_fini(&m);
	return s;
}

static void
assert_has(const char *s, const char *want)
{
	if (!strstr(s, want))
		fail_msg("\"%s\" not in:\n%s", want, s);
}

static void
assert_lacks(const char *s, const char *bad)
{
	if (strstr(s, bad))
		fail_msg("\"%s\" found in:\n%s", bad, s);
}

static void
test_parsed_unavailable(void **state)
{
	struct maplist m;

	(void)state;
	maplist_init(&m);
	assert_int_equal(parse_smaps(smaps, sizeof smaps - 1, &m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(map_at(&m, 0)->unknown, 0);
	assert_int_equal(map_at(&m, 1)->unknown, MF_BIT(MF_RSS));
	assert_int_equal(map_at(&m, 1)->val[MF_PSS], 2);
	assert_int_equal(m.total[MF_RSS], 4);
	assert_int_equal(m.total_partial, MF_BIT(MF_RSS));

	uint64_t tot[MF_NUM];
	uint16_t unknown;
	maplist_totals(&m, tot, &unknown);
	assert_int_equal(unknown, MF_BIT(MF_RSS));
	assert_int_equal(tot[MF_PSS], 3);
	assert_int_equal(tot[MF_SIZE], 8);
	maplist_fini(&m);
}

static void
test_csv(void **state)
{
	(void)state;
	char *s = render(OUT_CSV, false, false);
	/* time,pid,start,end,perms,offset,dev,inode,size,rss,pss,... */
	assert_has(s, ",0x7f00000000,0x7f00001000,rw-p,0,00:00,0,4,4,1,");
	assert_has(s, ",0x7f00001000,0x7f00002000,rw-p,0,00:00,0,4,,2,");
	free(s);
	s = render(OUT_CSV, true, false);
	assert_has(s, ",anon,,2,8,,3,"); /* the group's Rss includes the unavailable one */
	free(s);
}

static void
test_json(void **state)
{
	(void)state;
	char *s = render(OUT_JSON, false, false);
	assert_has(s, "\"size_kib\":4,\"rss_kib\":null,\"pss_kib\":2,");
	assert_has(s, "\"total\":{\"count\":2,\"size_kib\":8,\"rss_kib\":null,\"pss_kib\":3,");
	assert_has(s, "\"source\":\"rows\"},\"rows_sum\":{\"count\":2,\"size_kib\":8,"
		      "\"rss_kib\":null,\"pss_kib\":3,");
	free(s);
	/* with the kernel's totals: they are the total, the rows' sum beside them */
	s = render(OUT_JSON, false, true);
	assert_has(s, "\"total\":{\"count\":2,\"size_kib\":8,\"rss_kib\":8,\"pss_kib\":4,");
	assert_has(s, "\"source\":\"smaps_rollup\"},\"rows_sum\":{\"count\":2,\"size_kib\":8,"
		      "\"rss_kib\":null,\"pss_kib\":3,");
	free(s);
	s = render(OUT_JSON, true, true);
	assert_has(s, "\"groups\":[{\"class\":\"anon\",\"count\":2,\"size_kib\":8,"
		      "\"rss_kib\":null,");
	free(s);
}

static void
test_table(void **state)
{
	(void)state;
	char *s = render(OUT_TABLE, false, false);
	/* the row: Size, Rss ("-"), Pss */
	assert_has(s, "       4K        -       2K");
	assert_has(s, "total            sum of the rows");
	assert_has(s, "(Rss of some mappings is unavailable, so is what the rows add up to");
	assert_lacks(s, "smaps_rollup");
	free(s);
	s = render(OUT_TABLE, false, true);
	assert_has(s, "total            smaps_rollup                    2"
		      "       8K       8K       4K");
	assert_has(s, "rows             the rows added up               2"
		      "       8K        -       3K");
	assert_has(s, "The rows' Pss differs: the kernel rounds it down to a KiB per mapping");
	free(s);
	s = render(OUT_TABLE, true, true);
	assert_has(s, "total       2       8K       8K       4K");
	assert_has(s, "rows        2       8K        -       3K");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsed_unavailable),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
