/*
 * The wording of time-to-OOM forecasts (output/forecast_out.c), which the
 * view's header, its OOM screen and the summaries of --cgroups and --system
 * share: the forecast, the reason when there is none, and the victim by PID
 * and comm (escaped), with its whole group under memory.oom.group. The table
 * comes from the model fed by the scripted source, as in test_cgroup.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_source.h"
#include "model/cgroup.h"
#include "model/table.h"
#include "output/forecast_out.h"
#include "util/escape.h"

static const char *
line(struct buf *b, const struct table *t, const struct oom_forecast *fc, unsigned group_n,
     unsigned esc)
{
	buf_clear(b);
	out_forecast_line(b, t, fc, group_n, esc);
	return b->data ? b->data : "";
}

/* A job growing 4 MiB/s towards its 128 MiB limit, in a parent without a limit. */
static void
test_from_the_model(void **state)
{
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true, .pss_max_age_ms = 5000, .cgroups = true };
	struct buf b = BUF_INIT;

	(void)state;
	fake_init(&f);
	table_init(&t);
	struct proc *a = fake_add(&f, 10, 100, 1000), *g = fake_add(&f, 11, 110, 3000);
	a->cgroup = g->cgroup = (char *)"/box/job";
	proc_set_comm(g, "grower", 6);
	proc_set(a, F_OOM_SCORE, 100);
	proc_set(g, F_OOM_SCORE, 300);
	f.cg[0] = (struct fake_cg){ "/box/job", 10000, 131072 };
	f.cg[1] = (struct fake_cg){ "/box", 10000, 0 };
	f.ncg = 2;
	for (int i = 0; i < 8; i++) {
		f.now_ms = 1000 + (uint64_t)i * 1000;
		f.cg[0].usage_kib = 10000 + (uint64_t)i * 4096;
		assert_int_equal(table_refresh(&t, &f.base, &o), 0);
		const struct oom_forecast *fc = &t.cg.v[cgtable_find(&t.cg, "/box/job")].fc;
		if (i < 4) /* 5 samples over 4 s at least */
			assert_string_equal(line(&b, &t, fc, 2, 0),
					    "no forecast (not enough history yet)");
	}
	int job = cgtable_find(&t.cg, "/box/job"), box = cgtable_find(&t.cg, "/box");
	/* (131072 - 10000 - 7 * 4096) / 4096 = 22.6 s */
	const char *s = line(&b, &t, &t.cg.v[job].fc, 2, 0);
	assert_true(!strcmp(s, "full in about 22 s at 4.0 MiB/s, PID 11 grower goes") ||
		    !strcmp(s, "full in about 23 s at 4.0 MiB/s, PID 11 grower goes"));
	assert_string_equal(line(&b, &t, &t.cg.v[box].fc, 2, 0), "no forecast (no limit)");
	/* the victim gone from the table by now: its PID still, no name */
	struct oom_forecast kept = t.cg.v[job].fc;
	fake_remove(&f, 11);
	f.now_ms += 1000;
	assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	buf_clear(&b);
	out_forecast_victim(&b, &t, &kept, 1, 0);
	assert_string_equal(b.data, "PID 11 - goes");
	buf_fini(&b);
	table_fini(&t);
	fake_fini(&f);
}

/* Every reason in words; a group; a comm that would drive the terminal, escaped. */
static void
test_words(void **state)
{
	static const struct { enum fc_why why; const char *text; } reasons[] = {
		{ FCW_HISTORY, "no forecast (not enough history yet)" },
		{ FCW_FLAT, "no forecast (flat)" },
		{ FCW_FALLING, "no forecast (falling)" },
		{ FCW_NOISY, "no forecast (too noisy)" },
		{ FCW_NO_LIMIT, "no forecast (no limit)" },
		{ FCW_NO_DATA, "no forecast (usage unavailable)" },
	};
	struct fake_source f;
	struct table t;
	struct table_opts o = { .rollup = true };
	struct buf b = BUF_INIT;

	(void)state;
	fake_init(&f);
	table_init(&t);
	proc_set_comm(fake_add(&f, 7, 70, 100), "a\x1b]0;x\xc3\xa9", 8);
	f.now_ms = 1000;
	assert_int_equal(table_refresh(&t, &f.base, &o), 0);
	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++) {
		/* the victim of a stale forecast is never named without one */
		struct oom_forecast fc = { .why = reasons[i].why, .victim = 7 };
		assert_string_equal(line(&b, &t, &fc, 0, 0), reasons[i].text);
	}
	struct oom_forecast fc = { .known = true, .eta_s = 3 * 3600 + 600, .rate_kib_s = 2150,
				   .victim = 7 };
	assert_string_equal(line(&b, &t, &fc, 0, 0),
			    "full in about 3 h 10 min at 2.1 MiB/s, PID 7 a\\x1b]0;x\xc3\xa9 goes");
	fc.victim_group = true;
	assert_string_equal(line(&b, &t, &fc, 3, ESC_ASCII),
			    "full in about 3 h 10 min at 2.1 MiB/s, PID 7 a\\x1b]0;x\\xc3\\xa9 goes, "
			    "with its whole group (3 processes)");
	fc.eta_s = 0;
	fc.victim = 0;
	assert_string_equal(line(&b, &t, &fc, 1, 0), "full now at 2.1 MiB/s");
	buf_fini(&b);
	table_fini(&t);
	fake_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_the_model),
		cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
