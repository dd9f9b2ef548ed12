/* Command-line parsing (see cli.h). Options and --help are kept side by side. */
#include "app/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/optrules.h"
#include "app/version.h"
#include "app/when.h"
#include "model/cgroup.h"
#include "model/fields.h"
#include "model/maps.h"
#include "util/xalloc.h"

enum {
	OPT_CSV = 256, OPT_JSON, OPT_FILTER, OPT_COLUMNS, OPT_TOP, OPT_MAPS, OPT_GROUP, OPT_NUMA,
	OPT_SYSTEM, OPT_LEAKS, OPT_ALL, OPT_PSS_AGE, OPT_PROC_ROOT, OPT_SYS_ROOT,
	OPT_PROM, OPT_LISTEN, OPT_PROM_TOP, OPT_PROM_BY,
	OPT_RECORD, OPT_REPLAY, OPT_HISTORY, OPT_RETAIN, OPT_AT, OPT_FROM, OPT_TO,
	OPT_OOM_KILLS,
	OPT_CGROUPS,
};

static const struct option longopts[] = {
	{ "once", no_argument, NULL, '1' },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "sort", required_argument, NULL, 's' },
	{ "reverse", no_argument, NULL, 'r' },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "maps", required_argument, NULL, OPT_MAPS },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "numa", no_argument, NULL, OPT_NUMA },
	{ "system", no_argument, NULL, OPT_SYSTEM },
	{ "oom-kills", no_argument, NULL, OPT_OOM_KILLS },
	{ "leaks", no_argument, NULL, OPT_LEAKS },
	{ "cgroups", no_argument, NULL, OPT_CGROUPS },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "pss-max-age", required_argument, NULL, OPT_PSS_AGE },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
	{ "prometheus", no_argument, NULL, OPT_PROM },
	{ "output", required_argument, NULL, 'o' },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "prom-top", required_argument, NULL, OPT_PROM_TOP },
	{ "prom-by", required_argument, NULL, OPT_PROM_BY },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "retain", required_argument, NULL, OPT_RETAIN },
	{ "at", required_argument, NULL, OPT_AT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"Usage: smaptop [OPTION]...\n"
	"Show where and how processes use memory: RSS, PSS, USS, swap, OOM score,\n"
	"per-mapping and per-NUMA-node breakdowns. Interactive on a terminal.\n"
	"\n"
	"Output:\n"
	"  -1, --once             one snapshot as an aligned table\n"
	"      --csv              CSV: header row, then one row per process\n"
	"      --json             JSON: one object per sample, one per line\n"
	"  -n, --iterations N     samples to print (0 = until interrupted; default 1)\n"
	"  -d, --delay SECONDS    delay between samples (default 1)\n"
	"\n"
	"Selection and order:\n"
	"  -p, --pid PID[,PID...] only these processes\n"
	"  -u, --user USER        only processes of USER (name or uid)\n"
	"      --filter TEXT      only processes whose name or command line contains TEXT\n"
	"  -s, --sort KEY         sort by column KEY (default pss, biggest first)\n"
	"  -r, --reverse          reverse the order\n"
	"      --columns LIST     comma-separated column keys (see below)\n"
	"      --top N            only the first N rows\n"
	"      --all              include kernel threads\n"
	"      --pss-max-age SECONDS\n"
	"                         when streaming, re-read PSS of an unchanged process\n"
	"                         at least this often (default 5; 0 = every sample)\n"
	"\n"
	"Views:\n"
	"      --maps PID         per-mapping breakdown of PID (sort keys: size rss pss\n"
	"                         swap private_dirty ...; default address order)\n"
	"      --group            with --maps: aggregate by class and path\n"
	"      --numa             per-NUMA-node memory of each process\n"
	"      --system           system memory, swap devices, pressure, NUMA nodes,\n"
	"                         OOM kill count and the settings that decide OOMs\n"
	"      --oom-kills        processes the OOM killer killed, from the kernel log,\n"
	"                         newest first (streaming: those killed since)\n"
	"      --leaks            leak suspects of each sample (sustained growth of PSS);\n"
	"                         -n defaults to 0 (until interrupted)\n"
	"      --cgroups          memory cgroups: usage, limit, swap, PSS, OOM kills and\n"
	"                         time to OOM (sort keys: usage limit pct swap pss procs\n"
	"                         oom_kills oom_eta; default the tree)\n"
	"\n"
	"Prometheus exporter:\n"
	"      --prometheus       the Prometheus text format (version 0.0.4)\n"
	"  -o, --output FILE      with --prometheus: replace FILE atomically with each\n"
	"                         sample (for node_exporter's textfile collector)\n"
	"      --listen [ADDR:]PORT\n"
	"                         serve GET /metrics on ADDR (default 127.0.0.1);\n"
	"                         scrapes less than -d apart share one collection\n"
	"      --prom-top N       processes (or groups) with series of their own; the\n"
	"                         rest are summed into pid=\"other\" (default 50, 0 = all)\n"
	"      --prom-by KEY      sum processes by comm, user or cgroup (stable series\n"
	"                         for fleets) instead of one series per pid\n"
	"History:\n"
	"      --record FILE      append a sample to the history database FILE every\n"
	"                         -d seconds (default 10) until interrupted or -n N\n"
	"      --retain DAYS      with --record: drop samples older than DAYS (default\n"
	"                         30; 0 = keep everything)\n"
	"      --replay FILE      show a recorded history instead of the live system\n"
	"      --at TIME          with --replay: the sample at or before TIME\n"
	"      --from TIME        with --replay: samples from TIME on\n"
	"      --to TIME          with --replay: samples up to TIME\n"
	"      --history FILE     interactive view: a process's graphs and leak\n"
	"                         estimate reach back into the recording FILE\n"
	"                         (default: the recorder service's database,\n"
	"                         /var/lib/smaptop/history.db, when readable)\n"
	"                         TIME: 2026-12-06T14:00[:05], 14:00 (today), -2h, -3d\n"
	"\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"Exit status: 0 ok, 1 runtime failure, 2 usage error.\n"
	"\n"
	"Columns (KEY: meaning):\n";

static void
help(struct buf *msg)
{
	buf_puts(msg, usage_text);
	for (int f = 0; f < F_NUM; f++)
		buf_printf(msg, "  %-11s %s\n", field_info[f].key, field_info[f].desc);
	buf_puts(msg, "\nSee smaptop(1) for the interactive keys, units and output formats.\n");
}

static enum cli_result
bad(struct buf *msg, const char *fmt, const char *arg)
{
	buf_puts(msg, "smaptop: ");
	buf_printf(msg, fmt, arg);
	buf_puts(msg, " (try 'smaptop --help')\n");
	return CLI_USAGE;
}

static bool
parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
parse_seconds(const char *s, double max, double *out)
{
	char *end;

	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > max)
		return false;
	*out = v;
	return true;
}

static bool
has_pid(const struct opts *o, pid_t pid)
{
	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

/* Records option c (as getopt_long returned it; li: the long option's index or -1). */
static void
note_option(struct optseen *seen, int c, int li)
{
	char typed[24];

	for (const struct option *l = longopts; l->name; l++) {
		if (l->val != c)
			continue;
		if (li >= 0)
			snprintf(typed, sizeof typed, "--%s", longopts[li].name);
		else
			snprintf(typed, sizeof typed, "-%c", c);
		optseen_add(seen, l->name, typed);
		return;
	}
}

static bool
parse_pids(const char *s, struct opts *o)
{
	const char *p = s;

	for (;;) {
		char num[24];
		size_t len = strcspn(p, ",");
		long v;
		if (len == 0 || len >= sizeof num)
			return false;
		memcpy(num, p, len);
		num[len] = '\0';
		if (!parse_long(num, 1, INT_MAX, &v))
			return false;
		if (!has_pid(o, (pid_t)v)) { /* a PID given twice is shown once, as ps does */
			o->pids = xreallocarray(o->pids, o->npids + 1, sizeof *o->pids);
			o->pids[o->npids++] = (pid_t)v;
		}
		if (!p[len])
			return true;
		p += len + 1;
	}
}

static bool
parse_user(const char *s, struct opts *o)
{
	struct passwd *pw = getpwnam(s);
	long v;

	if (pw) {
		o->uid = pw->pw_uid;
	} else if (parse_long(s, 0, INT_MAX, &v)) {
		o->uid = (uid_t)v;
	} else {
		return false;
	}
	o->by_uid = true;
	return true;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum cli_result
cli_parse(int argc, char **argv, bool stdout_tty, struct opts *o, struct buf *msg)
{
	const char *sort_key = NULL, *columns = NULL;
	bool fmt_given = false, once = false, iter_given = false, prom_opt = false;
	struct optseen seen = { 0 };
	long v;
	int c, li;

	memset(o, 0, sizeof *o);
	o->iterations = 1;
	o->delay_s = 1.0;
	o->pss_max_age_ms = 5000;
	o->sort = -1;
	o->prom_top = 50;
	o->retain_days = 30;
	opterr = 0;
	optind = 0; /* not 1: 0 also makes glibc forget a cluster an earlier call left half read */
	for (li = -1; (c = getopt_long(argc, argv, ":1n:d:p:u:s:ro:hV", longopts, &li)) != -1;
	     li = -1) {
		double secs;
		note_option(&seen, c, li);
		switch (c) {
		case '1':
			once = true;
			break;
		case OPT_CSV:
		case OPT_JSON:
			fmt_given = true;
			o->fmt = c == OPT_CSV ? OUT_CSV : OUT_JSON;
			break;
		case 'n':
			if (!parse_long(optarg, 0, LONG_MAX, &o->iterations))
				return bad(msg, "invalid iteration count '%s'", optarg);
			iter_given = true;
			o->iterations_set = true;
			break;
		case 'd':
			if (!parse_seconds(optarg, 86400, &o->delay_s) || o->delay_s < 0.05)
				return bad(msg, "invalid delay '%s' (seconds, at least 0.05)", optarg);
			o->delay_set = true;
			break;
		case OPT_PSS_AGE:
			if (!parse_seconds(optarg, 86400, &secs))
				return bad(msg, "invalid age '%s' (seconds)", optarg);
			o->pss_max_age_ms = (uint32_t)(secs * 1000);
			o->pss_age_set = true;
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_HISTORY:
			o->history = optarg;
			break;
		case OPT_RETAIN:
			if (!parse_long(optarg, 0, 100000, &v))
				return bad(msg, "invalid retention '%s' (days)", optarg);
			o->retain_days = (uint32_t)v;
			break;
		case OPT_AT:
		case OPT_FROM:
		case OPT_TO: {
			int64_t *ms = c == OPT_AT ? &o->at_ms : c == OPT_FROM ? &o->from_ms : &o->to_ms;
			if (when_parse(optarg, now_ms(), ms) < 0)
				return bad(msg, "invalid time '%s' (2026-12-06T14:00, 14:00, -2h)",
					   optarg);
			*(c == OPT_AT ? &o->has_at : c == OPT_FROM ? &o->has_from : &o->has_to) = true;
			break;
		}
		case 'p':
			if (!parse_pids(optarg, o))
				return bad(msg, "invalid PID list '%s'", optarg);
			break;
		case 'u':
			if (!parse_user(optarg, o))
				return bad(msg, "no such user '%s'", optarg);
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case 's':
			sort_key = optarg;
			break;
		case 'r':
			o->reverse = true;
			break;
		case OPT_COLUMNS:
			columns = optarg;
			break;
		case OPT_TOP:
			if (!parse_long(optarg, 1, LONG_MAX, &v))
				return bad(msg, "invalid row count '%s'", optarg);
			o->top = (size_t)v;
			break;
		case OPT_MAPS:
			if (!parse_long(optarg, 1, INT_MAX, &v))
				return bad(msg, "invalid PID '%s'", optarg);
			o->maps_pid = (pid_t)v;
			o->view = VIEW_MAPS;
			break;
		case OPT_GROUP:
			o->group = true;
			break;
		case OPT_NUMA:
			o->view = VIEW_NUMA;
			break;
		case OPT_SYSTEM:
			o->view = VIEW_SYSTEM;
			break;
		case OPT_OOM_KILLS:
			o->view = VIEW_OOM_KILLS;
			break;
		case OPT_LEAKS:
			o->view = VIEW_LEAKS;
			break;
		case OPT_CGROUPS:
			o->view = VIEW_CGROUPS;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case OPT_PROC_ROOT:
			o->proc_root = optarg;
			break;
		case OPT_SYS_ROOT:
			o->sys_root = optarg;
			break;
		case OPT_PROM:
			o->prom = true;
			break;
		case 'o':
			if (!*optarg)
				return bad(msg, "%s", "-o needs a file name");
			o->output = optarg;
			break;
		case OPT_LISTEN:
			if (prom_http_parse_addr(optarg, &o->listen_addr, &o->listen_len) < 0)
				return bad(msg, "invalid listen address '%s' (PORT, ADDR:PORT or [ADDR6]:PORT)",
					   optarg);
			o->listen = optarg;
			o->prom = true;
			break;
		case OPT_PROM_TOP:
			if (!parse_long(optarg, 0, LONG_MAX, &v))
				return bad(msg, "invalid series count '%s'", optarg);
			o->prom_top = (size_t)v;
			prom_opt = true;
			break;
		case OPT_PROM_BY:
			if (prom_by_parse(optarg, &o->prom_by) < 0)
				return bad(msg, "invalid --prom-by '%s' (pid, comm, user or cgroup)", optarg);
			prom_opt = true;
			break;
		case 'h':
			help(msg);
			return CLI_EXIT_OK;
		case 'V':
			buf_printf(msg, "smaptop %s\n", SMAPTOP_VERSION);
			return CLI_EXIT_OK;
		case ':':
			return bad(msg, "option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt) { /* a short one, maybe inside a cluster (-rx) */
				char flag[3] = { '-', (char)optopt, '\0' };
				return bad(msg, "unknown option '%s'", flag);
			}
			return bad(msg, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad(msg, "unexpected argument '%s'", argv[optind]);
	/* The exporter's options among themselves (optrules.c has it as a format). */
	if (prom_opt && !o->prom)
		return bad(msg, "%s", "--prom-top and --prom-by need --prometheus or --listen");
	if (o->output && !o->prom)
		return bad(msg, "%s", "-o FILE needs --prometheus");
	if (o->listen && (o->output || iter_given))
		return bad(msg, "%s", "--listen serves until stopped: -o and -n do not apply");
	o->tui = !once && !fmt_given && !o->prom && stdout_tty && o->view == VIEW_PROCS && !o->record;
	struct buf why = BUF_INIT;
	if (!optrules_check(&seen, o->tui, &why)) {
		bad(msg, "%s", why.data);
		buf_fini(&why);
		return CLI_USAGE;
	}
	buf_fini(&why);
	if (o->record && o->replay)
		return bad(msg, "%s", "--record and --replay exclude each other");
	if ((o->has_at || o->has_from || o->has_to) && !o->replay)
		return bad(msg, "%s", "--at, --from and --to need --replay FILE");
	if (o->has_at && (o->has_from || o->has_to))
		return bad(msg, "%s", "--at excludes --from and --to");
	if (o->record && (fmt_given || once))
		return bad(msg, "%s", "--record writes no output: drop -1, --csv, --json");
	if (o->record && o->view != VIEW_PROCS)
		return bad(msg, "%s", "--record records processes and the system: drop --maps, --numa, "
				      "--system");
	if (o->history && (o->record || o->replay || fmt_given || once))
		return bad(msg, "%s", "--history is for the interactive live view");
	if (optseen_has(&seen, "retain") && !o->record)
		return bad(msg, "%s", "--retain needs --record FILE");
	if (sort_key) {
		o->sort = o->view == VIEW_MAPS	  ? map_field_parse(sort_key)
			  : o->view == VIEW_CGROUPS ? cg_sort_parse(sort_key)
						    : field_parse(sort_key);
		if (o->sort < 0)
			return bad(msg, "unknown sort key '%s'", sort_key);
	}
	if (columns) {
		const char *badkey;
		size_t badlen;
		o->ncols = field_parse_list(columns, o->cols, F_NUM, &badkey, &badlen);
		if (o->ncols < 0) {
			char key[64];
			snprintf(key, sizeof key, "%.*s", (int)(badlen < 63 ? badlen : 63), badkey);
			return bad(msg, "unknown column '%s'", key);
		}
	}
	if (o->view == VIEW_LEAKS && !optseen_has(&seen, "iterations") && !once)
		o->iterations = 0; /* leaks need history */
	if (!fmt_given)
		o->fmt = OUT_TABLE;
	return CLI_RUN;
}

void
opts_fini(struct opts *o)
{
	free(o->pids);
	o->pids = NULL;
}
