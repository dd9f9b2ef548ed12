/*
 * --prometheus and --listen (see run_prom.h): one table, refreshed on demand,
 * rendered by output/prom.c into one reusable buffer. A long-running exporter
 * (served, or -n other than 1) gives back after each collection the heap it
 * freed, and after its first one the code and data pages that start-up and
 * that first collection touched (util/trim.h): what stays resident between
 * scrapes is what a scrape uses. Signals are blocked
 * before the server's thread starts (it inherits the mask) and taken
 * synchronously here with sigwaitinfo / sigtimedwait, so no handler runs and
 * nothing is interrupted half way.
 */
#include "app/run_prom.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/leak.h"
#include "model/table.h"
#include "output/file.h"
#include "output/prom.h"
#include "output/prom_http.h"
#include "util/trim.h"

static void block_stop_signals(sigset_t *set);

struct prom_run {
	const struct opts *o;
	struct source *src;
	struct table t;
	struct table_opts topt;
	struct selection sel;
	struct prom_opts po;
	struct prom_scratch ps;
	struct buf body;
	uint64_t collected_ms; /* monotonic start of the collection body holds */
	bool have;
	bool trimmed;          /* the start-up pages were given back */
	int err;               /* of the last failed collection */
};

static void
setup(struct prom_run *r, const struct opts *o, struct source *src)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	r->src = src;
	table_init(&r->t);
	r->topt.rollup = true;
	r->topt.cmdline = o->filter && *o->filter;
	r->topt.kthreads = o->all;
	r->topt.sys_parts = SYS_ALL | SYS_OOM_COUNT;
	r->topt.cgroups = true;
	/* One sample has no history: the leak trend needs a served or repeated exporter. */
	bool once = o->iterations == 1 && !o->listen;
	r->topt.pss_max_age_ms = once ? 0 : o->pss_max_age_ms;
	r->topt.leak_cap = once ? 0 : LEAK_LIVE_SAMPLES;
	r->topt.big_rss_kib = 4ULL << 20; /* as the other outputs: re-read on age only */
	r->topt.pids = o->pids;
	r->topt.npids = o->npids;
	r->sel = (struct selection){ .pids = o->pids, .npids = o->npids, .by_uid = o->by_uid,
				     .uid = o->uid, .filter = o->filter, .sort = F_PSS };
	r->po = (struct prom_opts){ .top = o->prom_top, .by = o->prom_by };
}

static void
teardown(struct prom_run *r)
{
	prom_scratch_fini(&r->ps);
	buf_fini(&r->body);
	table_fini(&r->t);
}

static int
collect(struct prom_run *r)
{
	uint64_t start = source_now_ms();
	int rc = table_refresh(&r->t, r->src, &r->topt);

	if (rc < 0)
		return r->err = rc;
	buf_clear(&r->body);
	prom_render(&r->body, &r->t, &r->sel, &r->po, &r->ps);
	r->collected_ms = start;
	r->have = true;
	if (r->o->listen || r->o->iterations != 1) {
		malloc_trim(0);
		if (!r->trimmed)
			trim_clean_text();
		r->trimmed = true;
	}
	return 0;
}

/* The server's render callback: one collection per -d, however many scrapers. */
static int
scrape(void *ctx, const char **data, size_t *len)
{
	struct prom_run *r = ctx;
	uint64_t delay_ms = (uint64_t)(r->o->delay_s * 1000);

	if (!r->have || source_now_ms() - r->collected_ms >= delay_ms) {
		int rc = collect(r);
		if (rc < 0)
			return rc;
	}
	*data = r->body.data ? r->body.data : "";
	*len = r->body.len;
	return 0;
}

void
run_prom_block_signals(void)
{
	sigset_t set;

	block_stop_signals(&set);
}

static void
block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

/*
 * Waits until the monotonic deadline; true when a stop signal came first or is
 * pending (one that came while collecting, even when the deadline has passed).
 */
static bool
stopped_before(const sigset_t *set, uint64_t deadline_ms)
{
	for (;;) {
		uint64_t now = source_now_ms();
		uint64_t left = deadline_ms > now ? deadline_ms - now : 0;
		struct timespec ts = { (time_t)(left / 1000), (long)(left % 1000) * 1000000 };
		if (sigtimedwait(set, NULL, &ts) > 0)
			return true;
		if (errno == EAGAIN && source_now_ms() >= deadline_ms)
			return false;
		if (errno != EINTR && errno != EAGAIN)
			return false;
	}
}

static int
write_stdout(const struct buf *b)
{
	size_t off = 0;

	while (off < b->len) {
		ssize_t n = write(STDOUT_FILENO, b->data + off, b->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

static int
run_samples(struct prom_run *r, const sigset_t *set, struct buf *err)
{
	const struct opts *o = r->o;
	uint64_t next = source_now_ms();

	for (long i = 0; o->iterations == 0 || i < o->iterations; i++) {
		int rc = collect(r);
		if (rc < 0) {
			buf_printf(err, "reading processes: %s", strerror(-rc));
			return rc;
		}
		if (o->output) {
			rc = out_write_file(o->output, r->body.data, r->body.len);
			if (rc < 0) {
				buf_printf(err, "writing %s: %s", o->output, strerror(-rc));
				return rc;
			}
		} else if ((rc = write_stdout(&r->body)) < 0) {
			if (rc != -EPIPE)
				buf_printf(err, "write error: %s", strerror(-rc));
			return rc;
		}
		if (o->iterations && i + 1 >= o->iterations)
			break;
		next += (uint64_t)(o->delay_s * 1000);
		if (stopped_before(set, next))
			break;
	}
	return 0;
}

static int
serve(struct prom_run *r, const sigset_t *set, struct buf *err)
{
	const struct opts *o = r->o;
	struct prom_http *h = NULL;
	struct prom_http_opts ho = {
		.addr = &o->listen_addr, .addrlen = o->listen_len, .conn_limit = 64,
		.per_ip_limit = 16, .timeout_s = 10, .render = scrape, .ctx = r,
	};
	int rc = prom_http_start(&h, &ho);

	if (rc < 0) {
		buf_printf(err, "cannot listen on %s: %s", o->listen, strerror(-rc));
		return rc;
	}
	while (sigwaitinfo(set, NULL) < 0 && errno == EINTR)
		;
	prom_http_stop(h);
	return 0;
}

int
run_prom(const struct opts *o, struct source *src, struct buf *err)
{
	struct prom_run r;
	sigset_t set;
	int rc;

	block_stop_signals(&set);
	setup(&r, o, src);
	rc = o->listen ? serve(&r, &set, err) : run_samples(&r, &set, err);
	teardown(&r);
	return rc;
}
