/*
 * The recorder (see run_record.h). It refreshes a table as the live view does
 * (tiered PSS: smaps_rollup is re-read for a process whose memory moved, and
 * otherwise once per --pss-max-age, by default six intervals and at least a
 * minute), applies the selection flags and hands the rows, in pid order, to
 * the store. SIGINT and SIGTERM only set a flag: the sample being read or
 * written is finished, and the loop ends before the next one.
 */
#include "app/run_record.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "collect/live.h"
#include "model/select.h"
#include "model/table.h"
#include "store/store.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Sleeps until the monotonic deadline or a stop signal. */
static void
pause_until(uint64_t deadline_ms)
{
	struct timespec ts = { (time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000 };

	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void
table_opts_for(const struct opts *o, double delay_s, struct table_opts *t)
{
	uint32_t age_ms = (uint32_t)(delay_s * 6000);

	memset(t, 0, sizeof *t);
	t->rollup = true;
	t->cmdline = true;
	t->kthreads = o->all;
	t->sys_parts = SYS_ALL;
	t->pss_max_age_ms = o->pss_age_set ? o->pss_max_age_ms : age_ms < 60000 ? 60000 : age_ms;
	t->big_rss_kib = 4ULL << 20;
	t->pids = o->pids;
	t->npids = o->npids;
}

static int
loop(const struct opts *o, struct source *src, struct store *st, struct buf *msg)
{
	double delay_s = o->delay_set ? o->delay_s : 10.0;
	long n = o->iterations_set ? o->iterations : 0;
	struct table t;
	struct table_opts topt;
	struct rows rows = { 0 };
	struct selection sel = {
		.pids = o->pids, .npids = o->npids, .by_uid = o->by_uid, .uid = o->uid,
		.filter = o->filter, .sort = F_PID,
	};
	uint64_t next = source_now_ms();
	int status = 0;

	table_init(&t);
	table_opts_for(o, delay_s, &topt);
	for (long i = 0; !stop && (n == 0 || i < n); i++) {
		int rc = table_refresh(&t, src, &topt);
		if (rc < 0) {
			buf_printf(msg, "reading processes: %s", strerror(-rc));
			status = 1;
			break;
		}
		select_rows(&t, &sel, &rows);
		rc = store_append(st, &t, &rows, msg);
		if (rc < 0) {
			status = 1;
			break;
		}
		if (n && i + 1 >= n)
			break;
		next += (uint64_t)(delay_s * 1000);
		pause_until(next);
	}
	rows_fini(&rows);
	table_fini(&t);
	return status;
}

int
run_record(const struct opts *o, struct buf *msg)
{
	struct live_opts lo = { .proc_root = o->proc_root, .sys_root = o->sys_root };
	struct source *src = NULL;
	struct store *st = NULL;
	struct buf err = BUF_INIT;
	char boot[64];
	int rc = live_new(&src, &lo);

	if (rc < 0) {
		buf_printf(msg, "smaptop: %s\n", rc == -ENOENT ? "/proc is not mounted or not readable"
								: "cannot read process information");
		return 1;
	}
	struct store_wopts wo = { .retain_days = o->retain_days };
	if (live_boot_id(src, boot, sizeof boot) == 0)
		wo.boot_id = boot;
	rc = store_open_write(&st, o->record, &wo, &err);
	if (rc < 0) {
		buf_printf(msg, "smaptop: %s\n", err.data ? err.data : strerror(-rc));
		buf_fini(&err);
		src->ops->free(src);
		return 1;
	}
	/* SA_RESTART: reads of /proc and of the file go on; the pause ends (EINTR) anyway. */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = loop(o, src, st, &err);
	if (rc)
		buf_printf(msg, "smaptop: %s: %s\n", o->record, err.data ? err.data : "write error");
	buf_fini(&err);
	store_close(st);
	src->ops->free(src);
	return rc;
}
