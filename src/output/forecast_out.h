/*
 * Time to OOM for people and for --system: the one wording of a forecast
 * (the header of the view, the OOM screen, the summaries of --cgroups and
 * --system say it alike), and the machine's forecast and the container's
 * limit in the three formats of --system. Reads the model only.
 */
#ifndef SMAPTOP_FORECAST_OUT_H
#define SMAPTOP_FORECAST_OUT_H

#include "model/cgroup.h"
#include "output/out.h"

/*
 * The one wording of a forecast, for the views and the summaries:
 * out_forecast_words: "full in about 3 h 10 min at 2.1 MiB/s", or "no
 * forecast (flat)" with the reason (enum fc_why);
 * out_forecast_victim: "PID 5678 grower goes", "PID 5678 grower goes, with its
 * whole group (3 processes)" when group_n is the size of an oom.group cgroup,
 * or nothing when there is no forecast or no victim. The comm (from t) is
 * escaped with esc_flags (util/escape.h);
 * out_forecast_line: the two, ", " between them.
 */
void out_forecast_words(struct buf *b, const struct oom_forecast *fc);
/*
 * The same for scripts, one word: "forecast" when there is one, else why not:
 * "history" (not enough yet), "flat", "falling", "noisy", "no_limit",
 * "no_usage" (what is in use cannot be read).
 */
const char *out_forecast_state(const struct oom_forecast *fc);
void out_forecast_victim(struct buf *b, const struct table *t, const struct oom_forecast *fc,
			 unsigned group_n, unsigned esc_flags);
void out_forecast_line(struct buf *b, const struct table *t, const struct oom_forecast *fc,
		       unsigned group_n, unsigned esc_flags);

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
