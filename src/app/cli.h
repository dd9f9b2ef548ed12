/*
 * Command-line parsing into struct opts. Pure: no I/O beyond looking up a user
 * name; messages are returned in a buffer for main() to print.
 */
#ifndef SMAPTOP_CLI_H
#define SMAPTOP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "output/out.h"
#include "output/prom.h"
#include "output/prom_http.h"
#include "util/buf.h"

enum view { VIEW_PROCS, VIEW_MAPS, VIEW_NUMA, VIEW_SYSTEM, VIEW_LEAKS, VIEW_CGROUPS, VIEW_OOM_KILLS };

struct opts {
	bool tui;              /* no output flag given and stdout is a terminal */
	enum out_format fmt;
	enum view view;
	long iterations;       /* 0 = forever */
	double delay_s;
	bool delay_set;        /* -d given (the TUI otherwise uses its saved delay) */
	uint32_t pss_max_age_ms;
	pid_t *pids;           /* owned */
	size_t npids;
	bool by_uid;
	uid_t uid;
	const char *filter;
	int sort;              /* enum field, enum map_field (--maps), enum cg_sort (--cgroups); -1 = default */
	bool reverse;
	enum field cols[F_NUM];
	int ncols;             /* 0 = the format's default */
	size_t top;
	pid_t maps_pid;
	bool group;
	bool all;              /* include kernel threads */
	const char *proc_root, *sys_root;
	/* The Prometheus exporter (app/run_prom.h). */
	bool prom;             /* --prometheus or --listen */
	const char *output;    /* -o FILE: replaced atomically with each sample */
	const char *listen;    /* --listen [ADDR:]PORT as given; NULL = not serving */
	struct sockaddr_storage listen_addr;
	socklen_t listen_len;
	size_t prom_top;       /* --prom-top, default 50; 0 = every process */
	enum prom_by prom_by;  /* --prom-by */
	bool iterations_set;   /* -n given */
	bool pss_age_set;      /* --pss-max-age given */
	/* History (store): --record, --replay, --history, --retain, --at, --from, --to */
	const char *record, *replay, *history;
	uint32_t retain_days;  /* default 30; 0 = keep everything */
	bool has_at, has_from, has_to;
	int64_t at_ms, from_ms, to_ms; /* milliseconds since the epoch */
};

enum cli_result { CLI_RUN = 0, CLI_EXIT_OK = 1, CLI_USAGE = 2 };

/*
 * Parses argv. On CLI_EXIT_OK, msg holds --help or --version text for stdout;
 * on CLI_USAGE, msg holds one line for stderr.
 */
enum cli_result cli_parse(int argc, char **argv, bool stdout_tty, struct opts *o, struct buf *msg);
void opts_fini(struct opts *o);

#endif
