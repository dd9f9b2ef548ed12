/*
 * The Prometheus families that came with the cgroup, OOM and leak models
 * (output/prom_cgroup.c, prom_machine.c, prom_procs.c) over hand-built
 * tables: the cgroup label and --prom-by cgroup, each cgroup family with its
 * unit and type, "no limit" and unknown values left out (never 0, never a
 * huge number), the OOM kill counter, the forecasts only while known, and
 * the leak trend in bytes per second. Every output also passes the
 * independent format checker of tests/fuzz/prom_check.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cgroup.h"
#include "model/proc.h"
#include "model/select.h"
#include "model/table.h"
#include "output/prom.h"
#include "prom_text.h"

enum { NPROCS = 5 };

struct fixture {
	struct proc procs[NPROCS];
	struct table t;
	struct prom_scratch ps;
	struct buf b;
};

static struct proc *
add(struct fixture *fx, pid_t pid, const char *comm, const char *cgroup, int64_t pss_kib)
{
	struct proc *p = &fx->procs[fx->t.n++];

	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set_comm(p, comm, strlen(comm));
	if (cgroup) {
		proc_set(p, F_CGROUP, 0);
		p->cgroup = (char *)cgroup; /* borrowed: never proc_fini()ed */
	}
	if (pss_kib >= 0)
		proc_set(p, F_PSS, pss_kib);
	return p;
}

/*
 *   1 a  in /svc/web     PSS 100
 *   2 b  in /svc/web     PSS 200
 *   3 c  in /svc/q"x\n   PSS 40  (a hostile path)
 *   4 d  cgroup unknown  PSS 8
 *   5 e  in /svc         PSS unknown
 */
static void
fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	table_init(&fx->t);
	fx->t.procs = fx->procs;
	fx->t.cap = NPROCS;
	add(fx, 1, "a", "/svc/web", 100);
	add(fx, 2, "b", "/svc/web", 200);
	add(fx, 3, "c", "/svc/q\"x\n", 40);
	add(fx, 4, "d", NULL, 8);
	add(fx, 5, "e", "/svc", -1);
}

static void
fixture_fini(struct fixture *fx)
{
	prom_scratch_fini(&fx->ps);
	buf_fini(&fx->b);
	cgtable_fini(&fx->t.cg);
	sysmem_fini(&fx->t.sys);
}

static const char *
render(struct fixture *fx, size_t top, enum prom_by by)
{
	return prom_text(&fx->b, &fx->t, &fx->ps, top, by);
}

static void
test_cgroup_label_per_process(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"2\",comm=\"b\",cgroup=\"/svc/web\"}"),
			 200 * 1024);
	/* the path escaped as any label value: smaptop's \x0a, then the format's */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"3\",comm=\"c\","
				  "cgroup=\"/svc/q\\\"x\\\\x0a\"}"), 40 * 1024);
	/* an unknown cgroup: no label at all, not an empty one */
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"4\",comm=\"d\"}"), 8 * 1024);
	fixture_fini(&fx);
}

static void
test_by_cgroup(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_CGROUP);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{cgroup=\"/svc/web\"}"), 300 * 1024);
	assert_int_equal(value(s, "smaptop_processes{cgroup=\"/svc/web\"}"), 2);
	/* processes directly in /svc only (e, PSS unknown): none of /svc/web's */
	assert_int_equal(value(s, "smaptop_processes{cgroup=\"/svc\"}"), 1);
	assert_null(value_text(s, "smaptop_process_pss_bytes{cgroup=\"/svc\"}"));
	assert_int_equal(value(s, "smaptop_process_pss_bytes{cgroup=\"\"}"), 8 * 1024);
	assert_null(strstr(s, "pid="));

	/* the top one keeps its series, the rest (3 processes, 48 KiB known) is summed */
	s = render(&fx, 1, PROM_BY_CGROUP);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{cgroup=\"/svc/web\"}"), 300 * 1024);
	assert_int_equal(value(s, "smaptop_process_pss_bytes{pid=\"other\"}"), 48 * 1024);
	assert_int_equal(value(s, "smaptop_processes{pid=\"other\"}"), 3);
	fixture_fini(&fx);
}

static struct cgroup *
cg(struct fixture *fx, const char *path)
{
	int i = cgtable_add(&fx->t.cg, path);

	assert_true(i >= 0);
	return &fx->t.cg.v[i];
}

static void
set(struct cgroup *c, enum cg_field f, uint64_t v)
{
	c->val[f] = v;
	c->known |= CG_BIT(f);
}

static void
test_cgroup_families(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	fx.t.cg.version = CG_V2;
	struct cgroup *web = cg(&fx, "/svc/web");
	set(web, CG_USAGE, 2048);
	set(web, CG_LIMIT, 4096);
	set(web, CG_SWAP, 0);
	set(web, CG_EV_MAX, 3);
	set(web, CG_OOM_KILLS, 1);
	web->members_all = 2;
	web->pss_kib = 300;
	web->fc = (struct oom_forecast){ .known = true, .eta_s = 90 };
	struct cgroup *svc = cg(&fx, "/svc");
	set(svc, CG_USAGE, 3000);
	set(svc, CG_LIMIT, 0);
	svc->nolimit |= CG_BIT(CG_LIMIT); /* memory.max "max" */
	set(svc, CG_HIGH, 0);
	svc->nolimit |= CG_BIT(CG_HIGH);
	svc->members_all = 3;
	svc->pss_missing = 1;
	svc->pss_kib = 300;
	struct cgroup *root = cg(&fx, "/"); /* added by the others: nothing known */
	root->members_all = 4;
	root->pss_missing = 4;

	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_int_equal(value(s, "smaptop_cgroup_memory_usage_bytes{cgroup=\"/svc/web\"}"),
			 2048 * 1024);
	assert_int_equal(value(s, "smaptop_cgroup_memory_limit_bytes{cgroup=\"/svc/web\"}"),
			 4096 * 1024);
	/* no limit: left out, neither 0 nor a huge number nor +Inf */
	assert_null(value_text(s, "smaptop_cgroup_memory_limit_bytes{cgroup=\"/svc\"}"));
	assert_null(strstr(s, "smaptop_cgroup_memory_high_bytes"));
	assert_null(strstr(s, "Inf"));
	/* unknown: left out */
	assert_null(value_text(s, "smaptop_cgroup_memory_usage_bytes{cgroup=\"/\"}"));
	assert_null(value_text(s, "smaptop_cgroup_swap_bytes{cgroup=\"/svc\"}"));
	assert_int_equal(value(s, "smaptop_cgroup_swap_bytes{cgroup=\"/svc/web\"}"), 0);
	assert_non_null(strstr(s, "# TYPE smaptop_cgroup_memory_events_total counter\n"));
	assert_int_equal(value(s, "smaptop_cgroup_memory_events_total{cgroup=\"/svc/web\","
				  "event=\"max\"}"), 3);
	assert_int_equal(value(s, "smaptop_cgroup_memory_events_total{cgroup=\"/svc/web\","
				  "event=\"oom_kill\"}"), 1);
	assert_null(value_text(s, "smaptop_cgroup_memory_events_total{cgroup=\"/svc/web\","
				  "event=\"oom\"}"));
	assert_null(strstr(s, "failcnt")); /* v1 only */
	/* PSS of what smaptop could read; none read: left out */
	assert_int_equal(value(s, "smaptop_cgroup_pss_bytes{cgroup=\"/svc\"}"), 300 * 1024);
	assert_null(value_text(s, "smaptop_cgroup_pss_bytes{cgroup=\"/\"}"));
	assert_int_equal(value(s, "smaptop_cgroup_processes{cgroup=\"/\"}"), 4);
	assert_int_equal(value(s, "smaptop_cgroup_oom_eta_seconds{cgroup=\"/svc/web\"}"), 90);
	assert_null(value_text(s, "smaptop_cgroup_oom_eta_seconds{cgroup=\"/svc\"}"));
	fixture_fini(&fx);
}

static void
test_cgroup_v1_failcnt_and_hostile_path(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	fx.t.cg.version = CG_V1;
	struct cgroup *c = cg(&fx, "/svc/q\"x\n");
	set(c, CG_FAILCNT, 12);
	set(c, CG_OOM_KILLS, 2);
	set(c, CG_LIMIT, 1024);
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_non_null(strstr(s, "# TYPE smaptop_cgroup_memory_failcnt_total counter\n"));
	assert_int_equal(value(s, "smaptop_cgroup_memory_failcnt_total{cgroup=\"/svc/q\\\"x\\\\x0a\"}"),
			 12);
	assert_int_equal(value(s, "smaptop_cgroup_memory_events_total{cgroup=\"/svc/q\\\"x\\\\x0a\","
				  "event=\"oom_kill\"}"), 2);
	assert_int_equal(value(s, "smaptop_cgroup_memory_limit_bytes{cgroup=\"/svc/q\\\"x\\\\x0a\"}"),
			 1024 * 1024);
	fixture_fini(&fx);
}

static void
test_no_cgroups_no_families(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_null(strstr(s, "smaptop_cgroup_"));
	assert_null(strstr(s, "smaptop_oom_"));
	fixture_fini(&fx);
}

static void
test_oom_counter_and_machine_eta(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	fx.t.sys.oom.vmstat_known = true;
	fx.t.sys.oom.vmstat_kills = 78;
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_non_null(strstr(s, "# TYPE smaptop_oom_kills_total counter\nsmaptop_oom_kills_total 78\n"));
	assert_null(strstr(s, "smaptop_oom_eta_seconds"));

	fx.t.sys.oom.vmstat_known = false; /* unreadable, or before Linux 4.13: never 0 */
	fx.t.mach_fc = (struct oom_forecast){ .known = true, .eta_s = 3600 };
	s = render(&fx, 0, PROM_BY_PID);
	assert_null(strstr(s, "smaptop_oom_kills_total"));
	assert_non_null(strstr(s, "\nsmaptop_oom_eta_seconds 3600\n"));
	fixture_fini(&fx);
}

static void
test_leak_bytes_per_second(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	const char *s = render(&fx, 0, PROM_BY_PID);
	assert_null(strstr(s, "leak")); /* no history, no estimate: left out */

	proc_set(&fx.procs[0], F_LEAK, 3600);  /* KiB/h -> 1024 B/s */
	proc_set(&fx.procs[1], F_LEAK, 1000);  /* 1024000 B/h -> 284.444 B/s */
	proc_set(&fx.procs[2], F_LEAK, -7200); /* shrinking */
	s = render(&fx, 0, PROM_BY_PID);
	assert_non_null(strstr(s, "# TYPE smaptop_process_leak_bytes_per_second gauge\n"));
	const char *v = value_text(s, "smaptop_process_leak_bytes_per_second{pid=\"1\",comm=\"a\","
				      "cgroup=\"/svc/web\"}");
	assert_non_null(v);
	assert_memory_equal(v, "1024.000\n", 9);
	v = value_text(s, "smaptop_process_leak_bytes_per_second{pid=\"2\",comm=\"b\","
			  "cgroup=\"/svc/web\"}");
	assert_non_null(v);
	assert_memory_equal(v, "284.444\n", 8);
	v = value_text(s, "smaptop_process_leak_bytes_per_second{pid=\"3\",comm=\"c\","
			  "cgroup=\"/svc/q\\\"x\\\\x0a\"}");
	assert_non_null(v);
	assert_memory_equal(v, "-2048.000\n", 10);
	assert_null(strstr(s, "smaptop_process_leak_bytes_per_second{pid=\"4\""));

	/* a group's is its members' sum */
	s = render(&fx, 0, PROM_BY_CGROUP);
	v = value_text(s, "smaptop_process_leak_bytes_per_second{cgroup=\"/svc/web\"}");
	assert_non_null(v);
	assert_memory_equal(v, "1308.444\n", 9);
	fixture_fini(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_label_per_process),
		cmocka_unit_test(test_by_cgroup),
		cmocka_unit_test(test_cgroup_families),
		cmocka_unit_test(test_cgroup_v1_failcnt_and_hostile_path),
		cmocka_unit_test(test_no_cgroups_no_families),
		cmocka_unit_test(test_oom_counter_and_machine_eta),
		cmocka_unit_test(test_leak_bytes_per_second),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
