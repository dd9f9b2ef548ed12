/*
 * Command-line parsing (app/cli.c): usage errors are one line naming the
 * culprit, values land in struct opts, --help lists every public option.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/version.h"
#include "model/fields.h"
#include "model/maps.h"

struct run {
	struct opts o;
	struct buf msg;
};

/* Parses the NULL-terminated args (argv[0] is added), msg cleared first. */
static enum cli_result
parse_tty(struct run *r, bool tty, const char *const *args)
{
	char *argv[32] = { (char *)"smaptop" };
	int argc = 1;

	while (args[argc - 1]) {
		assert_true(argc < 31);
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	opts_fini(&r->o);
	buf_clear(&r->msg);
	return cli_parse(argc, argv, tty, &r->o, &r->msg);
}

static enum cli_result
parse(struct run *r, const char *const *args)
{
	return parse_tty(r, false, args);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A usage error: exactly one line, "smaptop: ...", mentioning `names`. */
static void
assert_usage(struct run *r, const char *const *args, const char *names)
{
	enum cli_result rc = parse(r, args);
	const char *m = r->msg.data ? r->msg.data : "";

	if (rc != CLI_USAGE)
		fail_msg("%s: result %d, expected CLI_USAGE", args[0], (int)rc);
	if (strncmp(m, "smaptop: ", 9) || !r->msg.len || strchr(m, '\n') != m + r->msg.len - 1)
		fail_msg("%s: not one line: \"%s\"", args[0], m);
	if (!strstr(m, names))
		fail_msg("%s: message \"%s\" does not name %s", args[0], m, names);
}

static int
setup(void **state)
{
	static struct run r;

	memset(&r, 0, sizeof r);
	*state = &r;
	return 0;
}

static int
teardown(void **state)
{
	struct run *r = *state;

	opts_fini(&r->o);
	buf_fini(&r->msg);
	return 0;
}

static void
test_defaults(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse_tty(r, true, ARGS(NULL)), CLI_RUN);
	assert_true(r->o.tui);
	assert_int_equal(r->o.fmt, OUT_TABLE);
	assert_int_equal(r->o.view, VIEW_PROCS);
	assert_int_equal(r->o.iterations, 1);
	assert_true(r->o.delay_s == 1.0);
	assert_int_equal(r->o.pss_max_age_ms, 5000);
	assert_int_equal(r->o.sort, -1);
	assert_int_equal(r->o.ncols, 0);
	assert_int_equal(r->o.npids, 0);
	assert_false(r->o.reverse);
	assert_int_equal(r->msg.len, 0);

	assert_int_equal(parse_tty(r, false, ARGS(NULL)), CLI_RUN);
	assert_false(r->o.tui);
	assert_int_equal(parse_tty(r, true, ARGS("-1")), CLI_RUN);
	assert_false(r->o.tui);
	assert_int_equal(parse_tty(r, true, ARGS("--csv")), CLI_RUN);
	assert_false(r->o.tui);
	assert_int_equal(r->o.fmt, OUT_CSV);
	assert_int_equal(parse_tty(r, true, ARGS("--json", "-n", "0", "-d", "0.5", "--pss-max-age",
						  "2.5", "--top", "3", "-r", "--all")),
			 CLI_RUN);
	assert_int_equal(r->o.fmt, OUT_JSON);
	assert_int_equal(r->o.iterations, 0);
	assert_true(r->o.delay_s == 0.5);
	assert_int_equal(r->o.pss_max_age_ms, 2500);
	assert_int_equal(r->o.top, 3);
	assert_true(r->o.reverse);
	assert_true(r->o.all);
}

/* --leaks: not interactive, and until interrupted unless -n or -1 says otherwise. */
static void
test_leaks(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse_tty(r, true, ARGS("--leaks")), CLI_RUN);
	assert_false(r->o.tui);
	assert_int_equal(r->o.view, VIEW_LEAKS);
	assert_int_equal(r->o.iterations, 0);
	assert_int_equal(parse(r, ARGS("--leaks", "--csv", "-n", "5", "-d", "0.5")), CLI_RUN);
	assert_int_equal(r->o.iterations, 5);
	assert_int_equal(r->o.fmt, OUT_CSV);
	assert_int_equal(parse(r, ARGS("--leaks", "-1")), CLI_RUN);
	assert_int_equal(r->o.iterations, 1);
}

static void
test_unknown_option(void **state)
{
	struct run *r = *state;

	assert_usage(r, ARGS("--bogus"), "'--bogus'");
	assert_usage(r, ARGS("-x"), "'-x'");
	assert_usage(r, ARGS("-1", "--frobnicate=3"), "--frobnicate");
	/* in a cluster the message must still name the flag, not argv[0] */
	assert_usage(r, ARGS("-x1"), "-x");
	assert_usage(r, ARGS("-rx"), "x");
	assert_usage(r, ARGS("stray"), "'stray'");
}

static void
test_bad_values(void **state)
{
	struct run *r = *state;

	assert_usage(r, ARGS("-n", "abc"), "'abc'");
	assert_usage(r, ARGS("-n", "-1"), "'-1'");
	assert_usage(r, ARGS("-n", "12x"), "'12x'");
	assert_usage(r, ARGS("--iterations"), "--iterations");
	assert_usage(r, ARGS("-n"), "'-n'");
	assert_usage(r, ARGS("-d", "0.01"), "'0.01'");
	assert_usage(r, ARGS("-d", "nan"), "'nan'");
	assert_usage(r, ARGS("--top", "0"), "'0'");
	assert_usage(r, ARGS("--csv", "--json"), "--csv and --json");
	assert_usage(r, ARGS("-s", "nope"), "'nope'");
}

static void
test_columns(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("--columns", "pid,pss,rss_kib,cmd")), CLI_RUN);
	assert_int_equal(r->o.ncols, 4);
	assert_int_equal(r->o.cols[0], F_PID);
	assert_int_equal(r->o.cols[1], F_PSS);
	assert_int_equal(r->o.cols[2], F_RSS);
	assert_int_equal(r->o.cols[3], F_CMDLINE);

	assert_usage(r, ARGS("--columns", "pss,nope"), "unknown column 'nope'");
	assert_usage(r, ARGS("--columns", "pss,nope,rss"), "'nope'");
	assert_usage(r, ARGS("--columns", "pss,,rss"), "''");
	assert_usage(r, ARGS("--columns", ""), "''");
}

static void
test_pids(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("-p", "1,2,3")), CLI_RUN);
	assert_int_equal(r->o.npids, 3);
	assert_int_equal(r->o.pids[0], 1);
	assert_int_equal(r->o.pids[1], 2);
	assert_int_equal(r->o.pids[2], 3);
	assert_int_equal(parse(r, ARGS("-p", "7", "--pid", "8")), CLI_RUN);
	assert_int_equal(r->o.npids, 2);
	assert_int_equal(r->o.pids[1], 8);

	/* a PID given twice is kept once (ps -p X,X prints one row) */
	assert_int_equal(parse(r, ARGS("-p", "1457,1457")), CLI_RUN);
	assert_int_equal(r->o.npids, 1);
	assert_int_equal(r->o.pids[0], 1457);
	assert_int_equal(parse(r, ARGS("-p", "5,6,5", "--pid", "6,7")), CLI_RUN);
	assert_int_equal(r->o.npids, 3);
	assert_int_equal(r->o.pids[0], 5);
	assert_int_equal(r->o.pids[1], 6);
	assert_int_equal(r->o.pids[2], 7);

	assert_usage(r, ARGS("-p", "1,x"), "'1,x'");
	assert_usage(r, ARGS("-p", "0"), "'0'");
	assert_usage(r, ARGS("-p", "1,"), "'1,'");
	assert_usage(r, ARGS("-p", "99999999999"), "'99999999999'");
}

static void
test_maps_sort(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("--maps", "5", "-s", "rss")), CLI_RUN);
	assert_int_equal(r->o.view, VIEW_MAPS);
	assert_int_equal(r->o.maps_pid, 5);
	assert_int_equal(r->o.sort, MF_RSS);
	/* the key is resolved after every option is seen */
	assert_int_equal(parse(r, ARGS("-s", "private_dirty", "--maps", "5")), CLI_RUN);
	assert_int_equal(r->o.sort, MF_PRIVATE_DIRTY);
	/* without --maps the same key names a process column */
	assert_int_equal(parse(r, ARGS("-s", "rss")), CLI_RUN);
	assert_int_equal(r->o.sort, F_RSS);
	assert_int_equal(r->o.view, VIEW_PROCS);

	assert_usage(r, ARGS("--maps", "5", "-s", "uss"), "'uss'");
	assert_usage(r, ARGS("--maps", "0"), "'0'");
	assert_usage(r, ARGS("--maps", "abc"), "'abc'");
}

static void
test_user(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("-u", "root")), CLI_RUN);
	assert_true(r->o.by_uid);
	assert_int_equal(r->o.uid, 0);
	assert_int_equal(parse(r, ARGS("--user", "4242")), CLI_RUN);
	assert_true(r->o.by_uid);
	assert_int_equal(r->o.uid, 4242);
	assert_int_equal(parse(r, ARGS("--filter", "Fire fox")), CLI_RUN);
	assert_false(r->o.by_uid);
	assert_string_equal(r->o.filter, "Fire fox");
	assert_usage(r, ARGS("-u", "no-such-user-smaptop"), "'no-such-user-smaptop'");
	assert_usage(r, ARGS("-u", "-5"), "'-5'");
}

static void
test_group(void **state)
{
	struct run *r = *state;

	assert_usage(r, ARGS("--group"), "--group");
	assert_usage(r, ARGS("--group", "--numa"), "--maps");
	assert_int_equal(parse(r, ARGS("--maps", "5", "--group")), CLI_RUN);
	assert_true(r->o.group);
	assert_int_equal(r->o.view, VIEW_MAPS);
}

/* --cgroups: its own sort keys (and their CSV names) */
static void
test_cgroups(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("--cgroups", "-s", "oom_eta", "-r", "-n", "0", "--csv")),
			 CLI_RUN);
	assert_int_equal(r->o.view, VIEW_CGROUPS);
	assert_int_equal(r->o.sort, CGS_ETA);
	assert_true(r->o.reverse);
	assert_int_equal(parse(r, ARGS("--cgroups", "-s", "usage_kib")), CLI_RUN);
	assert_int_equal(r->o.sort, CGS_USAGE);
	assert_int_equal(parse(r, ARGS("--csv", "--columns", "pid,cgroup")), CLI_RUN);
	assert_int_equal(r->o.cols[1], F_CGROUP);
}

/* Contradictory options, and options that do not apply to the view, are usage errors. */
static void
test_conflicts(void **state)
{
	struct run *r = *state;

	/* two formats, two views: one line naming both, as they were spelled */
	assert_usage(r, ARGS("-1", "--csv"), "-1 and --csv exclude each other");
	assert_usage(r, ARGS("--json", "--once"), "--json and --once");
	assert_usage(r, ARGS("--csv", "--json"), "--csv and --json exclude each other");
	assert_usage(r, ARGS("--maps", "5", "--numa"), "--maps and --numa exclude each other");
	assert_usage(r, ARGS("--numa", "--system"), "--numa and --system");
	assert_usage(r, ARGS("--system", "--maps", "5", "--csv"), "--system and --maps");
	/* options a view does not use */
	assert_usage(r, ARGS("--maps", "5", "--top", "3"), "--top does not apply to --maps");
	assert_usage(r, ARGS("--maps", "5", "-p", "6"), "-p does not apply to --maps");
	assert_usage(r, ARGS("--pid", "6", "--maps", "5"), "--pid does not apply to --maps");
	assert_usage(r, ARGS("--maps", "5", "-u", "root"), "-u does not apply to --maps");
	assert_usage(r, ARGS("--maps", "5", "--columns", "pid"), "--columns does not apply");
	assert_usage(r, ARGS("--maps", "5", "--all"), "--all does not apply to --maps");
	assert_usage(r, ARGS("--numa", "--columns", "pid"), "--columns does not apply to --numa");
	assert_usage(r, ARGS("--oom-kills", "--top", "3"), "--top does not apply to --oom-kills");
	assert_usage(r, ARGS("--oom-kills", "--cgroups"), "--oom-kills and --cgroups exclude each other");
	assert_usage(r, ARGS("--system", "-s", "rss"), "-s does not apply to --system");
	assert_usage(r, ARGS("--system", "--top", "2"), "--top does not apply to --system");
	assert_usage(r, ARGS("--system", "-p", "1"), "-p does not apply to --system");
	assert_usage(r, ARGS("--system", "--pss-max-age", "1"), "--pss-max-age");
	assert_usage(r, ARGS("--leaks", "--top", "3"), "--top does not apply to --leaks");
	assert_usage(r, ARGS("--leaks", "--columns", "pid"), "--columns does not apply to --leaks");
	assert_usage(r, ARGS("--leaks", "--system"), "--leaks and --system exclude each other");
	assert_usage(r, ARGS("--cgroups", "--system"), "--cgroups and --system exclude each other");
	assert_usage(r, ARGS("--cgroups", "--top", "2"), "--top does not apply to --cgroups");
	assert_usage(r, ARGS("--cgroups", "-s", "rss"), "unknown sort key 'rss'");
	/* in a cluster the short option is named */
	assert_usage(r, ARGS("--system", "-1r"), "-r does not apply to --system");
	/* --group works only with --maps */
	assert_usage(r, ARGS("--group", "--system"), "--group needs --maps, not --system");
	/* the interactive view has no sample count and no row limit */
	assert_int_equal(parse_tty(r, true, ARGS("--top", "3")), CLI_USAGE);
	assert_non_null(strstr(r->msg.data, "--top does not apply to the interactive view"));
	assert_int_equal(parse_tty(r, true, ARGS("-n", "3")), CLI_USAGE);
	assert_non_null(strstr(r->msg.data, "-n does not apply to the interactive view"));
	/* ...but takes the rest */
	assert_int_equal(parse_tty(r, true, ARGS("-d", "2", "-p", "1", "-u", "root", "--filter", "x",
						 "-s", "rss", "-r", "--columns", "pid,rss", "--all",
						 "--pss-max-age", "3")),
			 CLI_RUN);
	assert_true(r->o.tui);

	/* what each view does take */
	assert_int_equal(parse(r, ARGS("--maps", "5", "--csv", "-n", "2", "-d", "1", "-s", "rss",
				       "-r", "--group")),
			 CLI_RUN);
	assert_int_equal(parse(r, ARGS("--numa", "-1", "-p", "1", "-u", "root", "--filter", "x",
				       "-s", "rss", "-r", "--top", "3", "--all")),
			 CLI_RUN);
	assert_int_equal(parse(r, ARGS("--system", "--json", "-n", "2", "-d", "1")), CLI_RUN);
	assert_int_equal(parse(r, ARGS("--csv", "-p", "1", "--top", "3", "--columns", "pid",
				       "--pss-max-age", "1", "--all", "-n", "2")),
			 CLI_RUN);
	/* the same view or format twice is no conflict */
	assert_int_equal(parse(r, ARGS("--numa", "--numa", "--csv", "--csv")), CLI_RUN);
}

static void
test_help_lists_options(void **state)
{
	struct run *r = *state;
	/* the longopts table of src/app/cli.c, minus the hidden test roots */
	static const char *const longs[] = {
		"once", "csv",     "json", "iterations", "delay",  "pid",    "user",
		"filter", "sort",  "reverse", "columns",  "top",    "maps",   "group",
		"numa", "system", "all",     "pss-max-age", "help", "version",
	};

	assert_int_equal(parse(r, ARGS("--help")), CLI_EXIT_OK);
	assert_non_null(r->msg.data);
	for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++) {
		char opt[32];
		snprintf(opt, sizeof opt, "--%s ", longs[i]);
		if (!strstr(r->msg.data, opt)) {
			snprintf(opt, sizeof opt, "--%s\n", longs[i]);
			if (!strstr(r->msg.data, opt))
				fail_msg("--help does not list --%s", longs[i]);
		}
		/* and each of them parses */
		char arg[40];
		snprintf(arg, sizeof arg, "--%s", longs[i]);
		struct run tmp = { 0 };
		enum cli_result rc = parse(&tmp, ARGS(arg, "1"));
		if (rc == CLI_USAGE && strstr(tmp.msg.data, "unknown option"))
			fail_msg("--%s is not accepted", longs[i]);
		opts_fini(&tmp.o);
		buf_fini(&tmp.msg);
	}
	for (int f = 0; f < F_NUM; f++) {
		char key[32];
		snprintf(key, sizeof key, "  %s ", field_info[f].key);
		if (!strstr(r->msg.data, key))
			fail_msg("--help does not list column %s", field_info[f].key);
	}
	assert_int_equal(parse(r, ARGS("-h")), CLI_EXIT_OK);

	/* the hidden roots are accepted */
	assert_int_equal(parse(r, ARGS("--proc-root", "/x", "--sys-root", "/y")), CLI_RUN);
	assert_string_equal(r->o.proc_root, "/x");
	assert_string_equal(r->o.sys_root, "/y");
}

static void
test_version(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("--version")), CLI_EXIT_OK);
	assert_int_equal(strncmp(r->msg.data, "smaptop ", 8), 0);
	assert_string_equal(r->msg.data, "smaptop " SMAPTOP_VERSION "\n");
	assert_int_equal(r->msg.data[r->msg.len - 1], '\n');
}

/* cli_parse() may be called again (tests, a config reload): no state leaks between calls. */
static void
test_reparse_is_clean(void **state)
{
	struct run *r = *state;

	assert_int_equal(parse(r, ARGS("-hr")), CLI_EXIT_OK);
	assert_int_equal(parse(r, ARGS("--csv")), CLI_RUN);
	assert_false(r->o.reverse);
	assert_int_equal(r->o.fmt, OUT_CSV);

	assert_usage(r, ARGS("-xn", "5"), "x");
	assert_int_equal(parse(r, ARGS(NULL)), CLI_RUN);
	assert_int_equal(r->o.iterations, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maps_sort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_lists_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reparse_is_clean, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
