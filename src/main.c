/*
 * smaptop: wiring only. Parse the command line, open the live source, then run
 * the interactive view or the sample → render → write loop of the text outputs.
 * The only file that prints to stderr or exits.
 */
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/pidfate.h"
#include "app/run_prom.h"
#include "app/run_record.h"
#include "app/run_replay.h"
#include "app/watch.h"
#include "collect/live.h"
#include "model/fields.h"
#include "model/leak.h"
#include "model/maps.h"
#include "model/select.h"
#include "model/table.h"
#include "output/cell.h"
#include "output/cgroups_out.h"
#include "output/oom_out.h"
#include "output/out.h"
#include "store/history.h"
#include "store/replay.h"
#include "ui/tui.h"
#include "util/fmt.h"
#include "util/xalloc.h"

/* The database smaptop-record.service writes (StateDirectory=smaptop). */
#define SMAPTOP_HISTORY_DEFAULT "/var/lib/smaptop/history.db"

static const enum field table_default[] = {
	F_PID, F_USER, F_PSS, F_USS, F_RSS, F_VSZ, F_SWAP, F_OOM_SCORE, F_COMM,
};
static const enum field machine_default[] = {
	F_PID, F_PPID, F_USER, F_STATE, F_THREADS, F_VSZ, F_RSS, F_RSS_ANON, F_RSS_FILE,
	F_RSS_SHMEM, F_PSS, F_PSS_ANON, F_PSS_FILE, F_PSS_SHMEM, F_USS, F_SWAP, F_SWAP_PSS,
	F_LOCKED, F_THP, F_OOM_SCORE, F_OOM_ADJ, F_MINFLT, F_MAJFLT, F_COMM, F_CMDLINE,
};

struct run {
	struct opts o;
	struct source *src;
	struct table t;
	struct table_opts topt;
	struct rows rows;
	struct out out;
	struct maplist maps;
	pid_t self;
	struct watch watch;   /* -p in a stream: how a watched process ended */
};

static void
die(int code, const char *what, int err)
{
	if (err)
		fprintf(stderr, "smaptop: %s: %s\n", what, strerror(-err));
	else
		fprintf(stderr, "smaptop: %s\n", what);
	exit(code);
}

static void
choose_columns(struct opts *o)
{
	const enum field *def = o->fmt == OUT_TABLE ? table_default : machine_default;
	int n = o->fmt == OUT_TABLE ? (int)(sizeof table_default / sizeof *def)
				    : (int)(sizeof machine_default / sizeof *def);

	if (o->ncols)
		return;
	memcpy(o->cols, def, (size_t)n * sizeof *def);
	o->ncols = n;
}

static void
setup_table_opts(struct run *r)
{
	const struct opts *o = &r->o;
	unsigned need = field_needs(o->cols, o->ncols);

	if (o->view == VIEW_PROCS && o->sort >= 0)
		need |= field_info[o->sort].need;
	if (o->view == VIEW_PROCS && o->sort < 0)
		need |= NEED_ROLLUP; /* default order is PSS */
	r->topt.rollup = o->view == VIEW_PROCS && (need & NEED_ROLLUP);
	r->topt.cmdline = (need & NEED_CMDLINE) || (o->filter && *o->filter);
	r->topt.kthreads = o->all;
	r->topt.sys_parts = o->view == VIEW_SYSTEM ? SYS_ALL | SYS_KNOBS | SYS_OOM
			    : o->view == VIEW_NUMA ? SYS_ALL
			    : o->view == VIEW_OOM_KILLS ? SYS_OOM
			    : o->view == VIEW_PROCS && o->fmt == OUT_TABLE
				    ? SYS_MEMINFO | SYS_PSI
				    : 0;
	r->topt.pss_max_age_ms = o->iterations == 1 ? 0 : o->pss_max_age_ms;
	r->topt.big_rss_kib = 4ULL << 20; /* 4 GiB: re-read on age only */
	r->topt.hist_cap = (need & NEED_HISTORY) ? 64 : 0;
	if (o->view == VIEW_LEAKS)
		need |= NEED_LEAK | NEED_ROLLUP;
	r->topt.leak_cap = (need & NEED_LEAK) ? LEAK_LIVE_SAMPLES : 0;
	r->topt.rollup |= (need & NEED_LEAK) != 0;
	r->topt.numa = o->view == VIEW_PROCS && (need & NEED_NUMA);
	r->topt.cgroups = (o->view == VIEW_PROCS && (need & NEED_CGROUP)) || o->view == VIEW_CGROUPS;
	r->topt.cg_self = r->topt.sys_parts & SYS_MEMINFO;
	if (o->view == VIEW_CGROUPS) {
		r->topt.rollup = true; /* the PSS of each cgroup's processes */
		r->topt.sys_parts = SYS_MEMINFO; /* the machine's forecast */
		r->topt.cg_self = true;
	}
	/* With -p or --maps, the other processes are not read at all. */
	r->topt.pids = o->view == VIEW_MAPS ? &o->maps_pid : o->pids;
	r->topt.npids = o->view == VIEW_MAPS ? 1 : o->npids;
	if (o->view == VIEW_PROCS && o->npids && o->iterations != 1)
		r->topt.sys_parts |= SYS_OOM; /* to tell how a watched process ended */
	if (o->view == VIEW_OOM_KILLS) { /* no process list: the scan reads smaptop alone */
		r->self = getpid();
		r->topt.pids = &r->self;
		r->topt.npids = 1;
	}
}

/* Stops with a clear message when a PID asked for is missing (pidfate.h). */
static void
check_pids(struct run *r, bool first)
{
	struct buf msg = BUF_INIT;
	size_t present = 0;

	for (size_t i = 0; i < r->o.npids; i++) {
		int code;
		if (table_find(&r->t, r->o.pids[i]))
			present++;
		else if (first && (code = pid_missing(r->src, r->o.pids[i], r->o.all, &msg)))
			die(code, msg.data, 0);
	}
	if (watch_update(&r->watch, &r->t, &msg))
		fputs(msg.data, stderr);
	buf_clear(&msg);
	if (r->o.npids && !present) {
		if (watch_all_killed(&r->watch))
			exit(1); /* each one was said to be killed as it went */
		pids_exited(r->o.pids, r->o.npids, &msg);
		die(1, msg.data, 0);
	}
	buf_fini(&msg);
}

static void
flush_or_die(struct run *r)
{
	int rc = out_flush(&r->out);

	if (rc == -EPIPE)
		exit(0); /* the reader is gone: end quietly */
	if (rc < 0)
		die(1, "write error", rc);
}

static void
render_maps(struct run *r, bool first)
{
	struct mapgroup *groups = NULL;
	/* CSV has no total: it need not cost a second walk of the page tables */
	int rc = r->src->ops->maps(r->src, r->o.maps_pid, &r->maps, r->o.fmt != OUT_CSV);

	struct buf msg = BUF_INIT;

	/*
	 * Not in the first sample: absent, a kernel thread or hidden (pid_missing
	 * says which). Listed by now: it was dying as the sample was taken and is
	 * a zombie, so it exited while it was read: status 1, like the PID the
	 * sample saw exit since.
	 */
	if (rc == -ESRCH && first && !table_find(&r->t, r->o.maps_pid)) {
		int code = pid_missing(r->src, r->o.maps_pid, false, &msg);
		if (code)
			die(code, msg.data, 0);
	}
	if (rc == -ESRCH) {
		pids_exited(&r->o.maps_pid, 1, &msg);
		die(1, msg.data, 0);
	}
	if (rc == -EACCES || rc == -EPERM) {
		const struct proc *p = table_find(&r->t, r->o.maps_pid);
		bool known = p && (p->known & FIELD_BIT(F_UID));
		maps_denied(r->o.maps_pid, geteuid() == 0, known,
			    known && proc_val(p, F_UID) == (int64_t)geteuid(), &msg);
		die(1, msg.data, 0);
	}
	if (rc == -ENODATA) {
		fprintf(stderr, "smaptop: PID %d has no memory map (kernel thread or zombie)\n",
			(int)r->o.maps_pid);
		exit(1);
	}
	if (rc == -ESTALE) {
		fprintf(stderr, "smaptop: PID %d exited while its smaps was read: its mappings are "
				"incomplete and not shown\n", (int)r->o.maps_pid);
		exit(1);
	}
	if (rc < 0)
		die(1, "reading smaps", rc);
	struct maps_view v = {
		.pid = r->o.maps_pid, .m = &r->maps, .grouped = r->o.group,
		.sort = r->o.sort, .reverse = r->o.reverse,
	};
	if (r->o.group) {
		v.ngroups = maplist_group(&r->maps, &groups);
		v.groups = groups;
		if (v.sort < 0)
			v.sort = MF_PSS;
	}
	out_maps(&r->out, &r->t, &v);
	free(groups);
}

static void
render_numa(struct run *r)
{
	const struct sysmem *s = &r->t.sys;
	size_t nn = (size_t)s->nnodes;
	uint64_t *kib = xcalloc(r->rows.n * (nn ? nn : 1), sizeof *kib);
	bool *ok = xcalloc(r->rows.n ? r->rows.n : 1, sizeof *ok);
	uint64_t by_id[NODE_MAX];

	for (size_t i = 0; i < r->rows.n; i++) {
		if (r->src->ops->numa(r->src, (pid_t)proc_val(r->rows.v[i], F_PID), by_id, NODE_MAX) < 0)
			continue;
		ok[i] = true;
		for (size_t k = 0; k < nn; k++)
			kib[i * nn + k] = by_id[s->nodes[k].id];
	}
	out_numa(&r->out, &r->t, &r->rows, kib, ok);
	free(kib);
	free(ok);
}

static void
render(struct run *r, bool first)
{
	struct selection sel = {
		.pids = r->o.pids, .npids = r->o.npids, .by_uid = r->o.by_uid, .uid = r->o.uid,
		.filter = r->o.filter, .sort = r->o.sort >= 0 ? (enum field)r->o.sort : F_PSS,
		.reverse = r->o.reverse, .top = r->o.top,
	};

	switch (r->o.view) {
	case VIEW_PROCS:
		select_rows(&r->t, &sel, &r->rows);
		out_procs(&r->out, &r->t, &r->rows, r->o.cols, r->o.ncols);
		break;
	case VIEW_MAPS:
		render_maps(r, first);
		break;
	case VIEW_NUMA:
		if (sel.sort == F_PSS)
			sel.sort = F_RSS;
		select_rows(&r->t, &sel, &r->rows);
		render_numa(r);
		break;
	case VIEW_SYSTEM:
		out_system(&r->out, &r->t);
		break;
	case VIEW_OOM_KILLS:
		out_oom_kills(&r->out, &r->t, first);
		if (first && r->o.fmt == OUT_CSV && oom_log_reason(r->t.sys.oom.log_err))
			fprintf(stderr, "smaptop: %s\n", oom_log_reason(r->t.sys.oom.log_err));
		break;
	case VIEW_LEAKS:
		select_rows(&r->t, &sel, &r->rows);
		out_leaks_live(&r->out, &r->t, &r->rows);
		break;
	case VIEW_CGROUPS:
		out_cgroups(&r->out, &r->t, r->o.sort >= 0 ? (enum cg_sort)r->o.sort : CGS_PATH,
			    r->o.reverse);
		break;
	}
}

static void
sleep_until(uint64_t deadline_ms)
{
	struct timespec ts = { (time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int
run_batch(struct run *r)
{
	uint64_t next = source_now_ms();

	for (long i = 0; r->o.iterations == 0 || i < r->o.iterations; i++) {
		int rc = table_refresh(&r->t, r->src, &r->topt);
		if (rc < 0)
			die(1, "reading processes", rc);
		check_pids(r, i == 0);
		render(r, i == 0);
		if (r->o.fmt == OUT_TABLE && r->o.iterations != 1)
			buf_putc(&r->out.b, '\n');
		flush_or_die(r);
		if (r->o.iterations && i + 1 >= r->o.iterations)
			break;
		next += (uint64_t)(r->o.delay_s * 1000);
		sleep_until(next);
	}
	return 0;
}

/* --replay with -1, --csv or --json: the recorded samples asked for, no pauses. */
static int
run_replay_batch(struct run *r)
{
	size_t first, last;

	if (replay_range(r->src, &r->o, &first, &last) < 0)
		die(1, "no recorded sample in the time asked for", 0);
	r->topt.pss_max_age_ms = 0; /* every recorded value as it was recorded */
	for (size_t i = first; i <= last; i++) {
		replay_seek(r->src, i);
		int rc = table_refresh(&r->t, r->src, &r->topt);
		if (rc < 0) { /* the samples before it are out: say which one failed */
			flush_or_die(r);
			char when[FMT_TIME_LEN];
			fmt_local_time(when, replay_time_ms(r->src, i), true);
			if (rc == -EBADMSG)
				fprintf(stderr, "smaptop: %s: the sample of %s is damaged: its recorded"
					" changes do not decode\n", r->o.replay, when);
			else
				fprintf(stderr, "smaptop: %s: the sample of %s cannot be read: %s\n",
					r->o.replay, when, strerror(-rc));
			exit(1);
		}
		render(r, i == first);
		if (r->o.fmt == OUT_TABLE && first != last)
			buf_putc(&r->out.b, '\n');
		flush_or_die(r);
	}
	return 0;
}

/* $XDG_CONFIG_HOME/smaptop/config, or ~/.config/smaptop/config; NULL without either. */
static char *
config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (xdg && *xdg == '/')
		buf_printf(&b, "%s/smaptop/config", xdg);
	else if (home && *home == '/')
		buf_printf(&b, "%s/.config/smaptop/config", home);
	return b.data;
}

/*
 * The view refuses a PID it could not show, as the stream does after its first
 * sample: with the same message and exit status, before the screen is taken.
 */
static void
check_view_pids(struct run *r)
{
	struct buf msg = BUF_INIT;

	for (size_t i = 0; i < r->o.npids; i++) {
		int code = pid_missing(r->src, r->o.pids[i], r->o.all, &msg);
		if (code)
			die(code, msg.data, 0);
	}
	buf_fini(&msg);
}

static int
run_tui(struct run *r)
{
	struct live_opts lo = { .proc_root = r->o.proc_root, .sys_root = r->o.sys_root };
	struct buf err = BUF_INIT;
	int rc = r->o.replay ? replay_new(&r->src, r->o.replay, &err) : live_new(&r->src, &lo);

	if (rc < 0 && r->o.replay)
		die(1, err.data, 0);
	buf_fini(&err);
	if (rc < 0)
		die(1, rc == -ENOENT ? "/proc is not mounted or not readable"
				     : "cannot read process information", 0);
	if (!r->o.replay)
		check_view_pids(r);
	char *cfg = config_path();
	struct history *hist = NULL;
	char boot[64] = "";
	/* --history FILE, or the recorder service's database when there is one. */
	const char *hpath = r->o.history;
	if (!hpath && !r->o.replay && access(SMAPTOP_HISTORY_DEFAULT, R_OK) == 0)
		hpath = SMAPTOP_HISTORY_DEFAULT;
	if (hpath && !r->o.replay) {
		struct buf herr = BUF_INIT;
		if (history_open(&hist, hpath, &herr) < 0 && r->o.history)
			die(1, herr.data, 0);
		buf_fini(&herr);
		live_boot_id(r->src, boot, sizeof boot);
	}
	struct tui_opts to = {
		.delay_s = r->o.delay_set ? r->o.delay_s : 0, .filter = r->o.filter, .sort = r->o.sort,
		.pids = r->o.pids, .npids = r->o.npids, .by_uid = r->o.by_uid, .uid = r->o.uid,
		.reverse = r->o.reverse, .cols = r->o.ncols ? r->o.cols : NULL, .ncols = r->o.ncols,
		.all = r->o.all, .pss_max_age_ms = r->o.replay ? 0 : r->o.pss_max_age_ms,
		.config_path = cfg, .replay = r->o.replay != NULL, .history = hist, .boot_id = boot,
		.history_path = hist ? hpath : NULL, .history_default = hist && !r->o.history,
	};
	rc = tui_run(r->src, &to);
	if (rc == 1)
		fputs("smaptop: cannot set up the terminal\n", stderr);
	history_close(hist);
	free(cfg);
	r->src->ops->free(r->src);
	opts_fini(&r->o);
	return rc;
}

int
main(int argc, char **argv)
{
	struct run r = { 0 };
	struct buf msg = BUF_INIT;

	signal(SIGPIPE, SIG_IGN);
	/*
	 * A monitor must stay small on a long run. glibc would raise its mmap
	 * threshold after the first big free, keep the process arrays of every
	 * refresh in its heaps and give a second thread (the TUI's collector) an
	 * arena of its own. A fixed threshold returns big arrays to the kernel
	 * when freed; one arena keeps the freed space in one place.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_ARENA_MAX, 1);
	switch (cli_parse(argc, argv, isatty(STDOUT_FILENO), &r.o, &msg)) {
	case CLI_EXIT_OK:
		fputs(msg.data, stdout);
		buf_fini(&msg);
		opts_fini(&r.o);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
	case CLI_USAGE:
		fputs(msg.data, stderr);
		buf_fini(&msg);
		opts_fini(&r.o); /* -p may have been parsed before the error */
		return 2;
	case CLI_RUN:
		break;
	}
	buf_fini(&msg);
	if (r.o.prom)
		run_prom_block_signals(); /* a SIGTERM from now on ends it with status 0 */
	if (r.o.record) {
		int status = run_record(&r.o, &msg);
		if (msg.len)
			fputs(msg.data, stderr);
		buf_fini(&msg);
		opts_fini(&r.o);
		return status;
	}
	if (r.o.replay && (r.o.view == VIEW_MAPS || r.o.view == VIEW_NUMA || r.o.view == VIEW_CGROUPS))
		die(1, r.o.view == VIEW_MAPS ? "per-mapping breakdowns are not recorded"
		       : r.o.view == VIEW_NUMA ? "per-process NUMA placement is not recorded"
					       : "memory cgroups are not recorded", 0);
	/*
	 * The locale only decides the character set and display widths (wcwidth)
	 * of the terminal and the table, so only LC_CTYPE is loaded, as htop does:
	 * numbers and dates look the same in every locale, and the other ten
	 * categories stay unmapped. CSV and JSON bytes never depend on it, so
	 * they skip loading it at all.
	 */
	if (r.o.tui || r.o.fmt == OUT_TABLE)
		setlocale(LC_CTYPE, "");
	if (r.o.tui) {
		const char *why;
		if (tui_usable(&why) == 0)
			return run_tui(&r);
		/* As when standard output is not a terminal: the snapshot, and why. */
		fprintf(stderr, "smaptop: no interactive view: %s; printing a snapshot instead\n",
			why);
		r.o.tui = false;
	}
	choose_columns(&r.o);
	setup_table_opts(&r);

	struct live_opts lo = { .proc_root = r.o.proc_root, .sys_root = r.o.sys_root };
	int rc;
	if (r.o.replay) {
		rc = replay_new(&r.src, r.o.replay, &msg);
		if (rc < 0)
			die(1, msg.data, 0);
	} else {
		rc = live_new(&r.src, &lo);
	}
	if (rc == -ENOENT)
		die(1, "/proc is not mounted or not readable", 0);
	if (rc < 0)
		die(1, "cannot read process information", rc);
	if (r.o.prom) { /* the exporter: its own loop in app/run_prom.c */
		rc = run_prom(&r.o, r.src, &msg);
		if (rc < 0 && rc != -EPIPE)
			die(1, msg.data, 0);
		buf_fini(&msg);
		r.src->ops->free(r.src);
		opts_fini(&r.o);
		return 0;
	}

	r.out.fd = STDOUT_FILENO;
	r.out.fmt = r.o.fmt;
	r.out.style = MB_CUR_MAX > 1 ? 0 : CELL_ASCII;
	r.out.root = geteuid() == 0;
	table_init(&r.t);
	maplist_init(&r.maps);
	watch_init(&r.watch, r.o.view == VIEW_PROCS ? r.o.pids : NULL,
		   r.o.view == VIEW_PROCS ? r.o.npids : 0);
	rc = r.o.replay ? run_replay_batch(&r) : run_batch(&r);

	maplist_fini(&r.maps);
	watch_fini(&r.watch);
	rows_fini(&r.rows);
	buf_fini(&r.out.b);
	buf_fini(&r.out.tmp);
	table_fini(&r.t);
	r.src->ops->free(r.src);
	opts_fini(&r.o);
	return rc;
}
