/*
 * The exporter's two ways out, on top of the live table:
 *   --prometheus          one sample (or -n N, -n 0 = until stopped, -d apart)
 *                         to stdout, or with -o FILE replacing FILE atomically
 *                         each time (output/file.h), for node_exporter's
 *                         textfile collector;
 *   --listen [ADDR:]PORT  GET /metrics (output/prom_http.h). A scrape collects
 *                         afresh unless the last collection started less than
 *                         -d ago, in which case it gets that one's text: any
 *                         number of scrapers cost one collection per -d. The
 *                         table's PSS tiers (table.h) apply between collections.
 * Both read each process's memory cgroup and the cgroup table (the cgroup
 * families and label), and the OOM kill counter without the kernel log. A
 * long-running exporter (served, or -n other than 1) keeps each process's
 * leak envelope (model/leak.h) between collections; one sample has none.
 * SIGTERM, SIGINT and SIGHUP end both cleanly (return 0). Never prints: errors
 * come back as -errno with one line of text in *err for main() to print.
 */
#ifndef SMAPTOP_RUN_PROM_H
#define SMAPTOP_RUN_PROM_H

#include "app/cli.h"
#include "model/source.h"
#include "util/buf.h"

/*
 * Blocks the stop signals (SIGTERM, SIGINT, SIGHUP) so that one that comes
 * while smaptop starts up waits for run_prom() to take it: call it first thing.
 */
void run_prom_block_signals(void);

/*
 * Runs the mode o asks for (o->prom) on src. Returns 0 when done or stopped by
 * a signal, -EPIPE when stdout's reader went away (not an error for main), or
 * another negative errno with err set.
 */
int run_prom(const struct opts *o, struct source *src, struct buf *err);

#endif
