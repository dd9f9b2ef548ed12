/*
 * The OOM outputs: --oom-kills (kills from the kernel log, newest first) and
 * the OOM knobs section of --system, in table, CSV and JSON form. Helpers
 * shared with the interactive view: the reason the log is missing and the
 * time of a kill.
 */
#ifndef SMAPTOP_OOM_OUT_H
#define SMAPTOP_OOM_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/oomkill.h"
#include "model/table.h"
#include "output/out.h"

/*
 * The kills of t: with first, every kill kept (t->kills, the whole log at
 * the first refresh); otherwise only those logged in the latest refresh.
 */
void out_oom_kills(struct out *o, const struct table *t, bool first);

/* One line saying why kill details are missing (log_err of struct oom_events), or NULL. */
const char *oom_log_reason(int err);

/* The local time of k as "2026-12-06 14:03:21" (date) or "14:03:21"; "-" when undated. */
void oom_kill_time(char *s, size_t size, const struct oom_kill *k, bool date);

/*
 * The knobs of t->sys.knobs, each with its one-line meaning (the table), or
 * as rows/keys of the --system CSV and JSON (section "knobs"). CommitLimit and
 * Committed_AS are repeated beside the overcommit settings in the table.
 * json: appends ",\"knobs\":{...}" for the caller's object.
 */
void out_knobs_table(struct buf *b, const struct sysmem *s);
void out_knobs_csv(struct buf *b, const struct sysmem *s, long long ms);
void out_knobs_json(struct buf *b, const struct sysmem *s);

#endif
