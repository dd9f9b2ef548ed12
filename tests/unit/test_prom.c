/*
 * The Prometheus text format (output/prom.c) over hand-built tables: label
 * escaping byte for byte, every output checked by the independent format
 * checker of tests/fuzz/prom_check.h (HELP and TYPE per family, contiguous
 * families, no duplicate series), unknown values left out (never 0), the top N
 * plus a pid="other" remainder whose sums make the totals add up, grouping by
 * comm and user, and the machine families present only when known.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/proc.h"
#include "model/select.h"
#include "model/table.h"
#include "output/prom.h"
#include "prom_text.h"

enum { NPROCS = 6 };

struct fixture {
	struct proc procs[NPROCS];
	struct table t;
	struct prom_scratch ps;
	struct buf b;
};

static struct proc *
add(struct fixture *fx, pid_t pid, const char *comm, const char *user, int64_t rss_kib)
{
	struct proc *p = &fx->procs[fx->t.n++];

	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set(p, F_COMM, 0);
	proc_set_comm(p, comm, strlen(comm));
	if (user) {
		proc_set(p, F_USER, 0);
		p->user = user;
	}
	proc_set(p, F_RSS, rss_kib);
	proc_set(p, F_MINFLT, 10);
	return p;
}

/*
 * pids (sorted, as the table keeps them):
 *   1 init/root   PSS 100, oom 5
 *   2 bash/alice  PSS 300, oom 700
 *   3 bash/alice  PSS 200, oom 900
 *   4 sh/bob      PSS unknown (refused), oom 1
 *   5 a"b\c\n/bob PSS 50
 */
static void
fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	table_init(&fx->t);
	fx->t.procs = fx->procs; /* borrowed: never table_fini()ed */
	fx->t.cap = NPROCS;
	struct proc *p = add(fx, 1, "init", "root", 400);
	proc_set(p, F_PSS, 100);
	proc_set(p, F_OOM_SCORE, 5);
	p = add(fx, 2, "bash", "alice", 1000);
	proc_set(p, F_PSS, 300);
	proc_set(p, F_OOM_SCORE, 700);
	p = add(fx, 3, "bash", "alice", 900);
	proc_set(p, F_PSS, 200);
	proc_set(p, F_OOM_SCORE, 900);
	p = add(fx, 4, "sh", "bob", 800);
	proc_set(p, F_OOM_SCORE, 1);
	p = add(fx, 5, "a\"b\\c\n", "bob", 10);
	proc_set(p, F_PSS, 50);
	fx->t.denied = 1;
}

static void
fixture_fini(struct fixture *fx)
{
	prom_scratch_fini(&fx->ps);
	buf_fini(&fx->b);
	sysmem_fini(&fx->t.sys);
}

static const char *
render(struct fixture *fx, size_t top, enum prom_by by)
{
	return prom_text(&fx->b, &fx->t, &fx->ps, top, by);
}

static int
count_lines(const char *text, const char *prefix)
{
	int c = 0;
	size_t n = strlen(prefix);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		c += strncmp(l, prefix, n) == 0;
	return c;
}

static void
test_escape_label(void **state)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;

	(void)state;
	prom_escape_label(&b, "a\\b\"c\nd", 7);
	assert_string_equal(b.data, "a\\\\b\\\"c\\nd");
	buf_clear(&b);
	/* invalid UTF-8, a quote, a backslash, a newline, ESC: smaptop's escaping first */
	prom_label_value(&b, &tmp, "\xff\"\\\n\x1b", 5);
	assert_string_equal(b.data, "\\\\xff\\\"\\\\\\\\\\\\x0a\\\\x1b");
	buf_clear(&b);
	prom_label_value(&b, &tmp, "n\xc3\xa9", 3); /* valid UTF-8 passes */
	assert_string_equal(b.data, "n\xc3\xa9");
	buf_clear(&b);
	prom_label_value(&b, &tmp, "", 0);
	assert_int_equal(b.len, 0);
	buf_fini(&b);
	buf_fini(&tmp);
}

static void
test_by_pid_top_and_rest(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 2, PROM_BY_PID);
	/* the two biggest PSS have series of their own, in PSS order */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"2\",comm=\"bash\",user=\"alice\"}"),
			 300 * 1024);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"3\",comm=\"bash\",user=\"alice\"}"),
			 200 * 1024);
	assert_non_null(strstr(s, "{pid=\"2\"") < strstr(s, "{pid=\"3\"") ? s : NULL);
	/* the rest: 1, 4 and 5; PSS sums the known ones, RSS all, OOM is the highest */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"other\"}"), 150 * 1024);
	assert_int_equal(value(s, "smaptop_process_rss_bytes{pid=\"other\"}"), 1210 * 1024);
	assert_int_equal(value(s, "smaptop_process_oom_score{pid=\"other\"}"), 5);
	assert_int_equal(value(s, "smaptop_processes{pid=\"other\"}"), 3);
	assert_int_equal(value(s, "smaptop_process_minor_faults_total{pid=\"other\"}"), 30);
	assert_non_null(strstr(s, "# TYPE smaptop_process_minor_faults_total counter\n"));
	assert_non_null(strstr(s, "# TYPE smaptop_process_pss_bytes gauge\n"));
	/* totals add up: the PSS samples sum to the known PSS of every process */
	assert_int_equal(count_lines(s, "smaptop_process_pss_bytes{"), 3);
	assert_int_equal(value(s, "smaptop_pss_unavailable_processes"), 1);
	/* never written: USS and swap (known nowhere), the meminfo families */
	assert_null(strstr(s, "smaptop_process_uss_bytes"));
	assert_null(strstr(s, "smaptop_memory_"));
	assert_null(strstr(s, "smaptop_swap_"));
	fixture_fini(&fx);
}

static void
test_by_pid_all_unknown_left_out(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_null(strstr(s, "pid=\"other\""));
	/* pid 4's PSS was refused: no PSS sample, but its RSS is there */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"4\",comm=\"sh\",user=\"bob\"}"), -1);
	assert_int_equal(value(s, "smaptop_process_rss_bytes{pid=\"4\",comm=\"sh\",user=\"bob\"}"),
			 800 * 1024);
	/* the hostile name, escaped twice over: \\ for smaptop's \, then the format's */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"5\",comm=\"a\\\"b\\\\\\\\c\\\\x0a\","
				  "user=\"bob\"}"),
			 50 * 1024);
	assert_int_equal(count_lines(s, "smaptop_process_pss_bytes{"), 4);
	fixture_fini(&fx);
}

static void
test_group_by_comm_and_user(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_COMM);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{comm=\"bash\"}"), 500 * 1024);
	assert_int_equal(value(s, "smaptop_process_oom_score{comm=\"bash\"}"), 900);
	assert_int_equal(value(s, "smaptop_processes{comm=\"bash\"}"), 2);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{comm=\"sh\"}"), -1);
	assert_int_equal(value(s, "smaptop_process_rss_bytes{comm=\"sh\"}"), 800 * 1024);
	assert_null(strstr(s, "pid="));

	s = render(&fx, 1, PROM_BY_USER);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{user=\"alice\"}"), 500 * 1024);
	/* root (100) and bob (50 known of two) are the rest */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"other\"}"), 150 * 1024);
	assert_int_equal(value(s, "smaptop_processes{pid=\"other\"}"), 3);
	assert_int_equal(count_lines(s, "smaptop_process_pss_bytes{"), 2);
	fixture_fini(&fx);
}

static void
test_machine_families(void **state)
{
	struct fixture fx;
	struct swapdev sw = { .path = "/dev/x\"y", .type = "partition", .size_kib = 4, .used_kib = 1,
			      .priority = -2 };
	struct node nd = { .id = 1, .known = 1u << N_FREE, .val = { [N_FREE] = 3 } };

	(void)state;
	fixture_init(&fx);
	fx.t.sys.known = 1u << M_TOTAL | 1u << M_HUGE_TOTAL;
	fx.t.sys.val[M_TOTAL] = 1000;
	fx.t.sys.val[M_HUGE_TOTAL] = 7;
	fx.t.sys.swaps = &sw;
	fx.t.sys.nswaps = 1;
	fx.t.sys.nodes = &nd;
	fx.t.sys.nnodes = 1;
	fx.t.sys.psi = (struct psi){ .known = true, .some = { .avg10 = 123, .total_us = 2500001 } };
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_int_equal(value(s, "smaptop_memory_total_bytes"), 1000 * 1024);
	assert_int_equal(value(s, "smaptop_memory_hugepages"), 7); /* pages, not KiB */
	assert_null(strstr(s, "smaptop_memory_free_bytes"));
	assert_int_equal(value(s, "smaptop_swap_device_used_bytes{device=\"/dev/x\\\"y\","
				  "type=\"partition\"}"), 1024);
	assert_int_equal(value(s, "smaptop_swap_device_priority{device=\"/dev/x\\\"y\","
				  "type=\"partition\"}"), -2);
	assert_int_equal(value(s, "smaptop_numa_node_memory_free_bytes{node=\"1\"}"), 3 * 1024);
	assert_null(strstr(s, "smaptop_numa_node_memory_total_bytes"));
	assert_non_null(strstr(s, "\nsmaptop_memory_pressure_some_ratio{window=\"10s\"} 0.0123\n"));
	assert_non_null(strstr(s, "\nsmaptop_memory_pressure_some_seconds_total 2.500001\n"));
	assert_null(strstr(s, "pressure_full")); /* an old kernel's PSI has no full line */
	fx.t.sys.swaps = NULL; /* borrowed */
	fx.t.sys.nodes = NULL;
	fixture_fini(&fx);
}

static void
test_empty_table(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	fx.t.n = 0;
	const char *s = render(&fx, 50, PROM_BY_COMM);
	assert_null(strstr(s, "smaptop_process"));
	assert_non_null(strstr(s, "smaptop_pss_unavailable_processes 1\n"));
	fixture_fini(&fx);
}

static void
test_checker_rejects(void **state)
{
	static const char *const bad[] = {
		"m 1\n",                                            /* no HELP/TYPE */
		"# HELP m x\n# TYPE m gauge\nm 1",                  /* no final newline */
		"# HELP m x\n# TYPE m gauge\nm{a=\"\\x\"} 1\n",     /* bad escape */
		"# HELP m x\n# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n", /* duplicate */
		"# HELP m x\n# TYPE m gauge\n# HELP n x\n# TYPE n gauge\n# HELP m x\n# TYPE m gauge\n",
		"# HELP m x\n# TYPE m counter\nm 1\n",               /* counter without _total */
		"# HELP m_total x\n# TYPE m_total gauge\nm_total 1\n",
		"# HELP m x\n# TYPE m gauge\nm{a=\"\xff\"} 1\n",    /* invalid UTF-8 */
		"# HELP m x\n# TYPE m gauge\nm{a=\"1\",a=\"2\"} 1\n",
		"# HELP m x\n# TYPE m gauge\nm 1e3\n",
	};
	size_t line;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (!pc_check(bad[i], strlen(bad[i]), &line))
			fail_msg("the checker accepted case %zu", i);
	}
	const char *good = "# HELP m x\n# TYPE m gauge\nm{a=\"\\\\\\\"\\n\"} -1.5\nm 2\n";
	assert_null(pc_check(good, strlen(good), &line));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_rejects),
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_by_pid_top_and_rest),
		cmocka_unit_test(test_by_pid_all_unknown_left_out),
		cmocka_unit_test(test_group_by_comm_and_user),
		cmocka_unit_test(test_machine_families),
		cmocka_unit_test(test_empty_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
