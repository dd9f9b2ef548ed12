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

#endif
