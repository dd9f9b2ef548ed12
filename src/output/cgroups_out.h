/*
 * smaptop --cgroups: the memory cgroup tree in table, CSV and JSON form, with
 * usage, limit, use of the limit, swap, the PSS of its processes, OOM kills
 * and the time-to-OOM forecast (oom_eta_s, oom_victim_pid). Reads the model
 * only. "No limit" is `max` in the table, an empty field in CSV (no_limit 1)
 * and null in JSON (no_limit true); unavailable is "-", empty, null.
 */
#ifndef SMAPTOP_CGROUPS_OUT_H
#define SMAPTOP_CGROUPS_OUT_H

#include <stdbool.h>

#include "model/cgroup.h"
#include "output/out.h"

/* One refresh of the cgroup table, ordered by key (enum cg_sort) within the tree. */
void out_cgroups(struct out *o, const struct table *t, enum cg_sort key, bool reverse);

/* "full in about 3 h 10 min at 2.1 MiB/s" (or "no forecast"), for views and summaries. */
void out_forecast_words(struct buf *b, const struct oom_forecast *fc);

/*
 * --system and the summary of -1: the machine's forecast (oom_eta_s,
 * oom_victim_pid) and, when smaptop runs under a cgroup limit below the
 * machine's RAM, that limit and its use, said to be the cgroup's.
 * out_container_line: one line "Mem:  cgroup limit ..." or nothing.
 * out_system_oom_json: appends ",\"oom_forecast\":{...},\"container\":..."
 * for the caller's object.
 */
void out_container_line(struct buf *b, const struct table *t);
void out_system_oom_table(struct buf *b, const struct table *t);
void out_system_oom_csv(struct buf *b, const struct table *t, long long ms);
void out_system_oom_json(struct buf *b, const struct table *t);

#endif
