/*
 * Tiered collection, the part of a refresh (table.c) that decides, process by
 * process, what is read again and what is carried over from the previous
 * refresh: status, the PSS family (smaps_rollup), the details (oom_score,
 * oom_score_adj, the command line) and the cgroup. The rules are in table.h
 * (struct table_opts); this is model code, internal to table.c.
 */
#ifndef SMAPTOP_TIER_H
#define SMAPTOP_TIER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/proc.h"
#include "model/sample.h"
#include "model/source.h"
#include "model/table.h"

/*
 * Re-reads for age, spread out. Processes read together (all of them at
 * start-up) would all come due together: one slow refresh every age bound.
 * Instead each refresh re-reads the `room` oldest PSS values, room being the
 * even share n * dt / (age bound + dt), so that every value is shown up to
 * the age bound and read at the refresh after: those due within `steps`
 * refreshes, and those due in exactly `steps` while room lasts. Processes
 * past the bound are read anyway.
 */
struct spread {
	uint64_t dt;
	unsigned steps, room;
};

/* Why a rollup is read: by age (or a new identity), or because memory moved. */
enum roll { ROLL_NO, ROLL_AGE, ROLL_CHANGE };

/* Plans the spread for a refresh at now, dt after the previous one of t. */
void tier_spread_init(struct spread *sp, const struct table *t, uint64_t now, uint64_t dt,
		      const struct table_opts *opt);

/*
 * The PSS family of p (o: the same process last refresh, or NULL), read or
 * carried; *rolled says why it was read. Returns false when p vanished.
 */
bool tier_rollup(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
		 const struct table_opts *opt, struct spread *sp, enum roll *rolled);

/* The details and the cgroup of p, read or carried. Returns false when p vanished. */
bool tier_details(struct sample *s, struct source *src, struct proc *p, const struct proc *o,
		  const struct table_opts *opt, enum roll rolled);

/* Does p need status read, or may a light scan carry it over from o? */
bool tier_needs_status(const struct proc *p, const struct proc *o, bool swap_moved);
/* What status gave o, carried to p. */
void tier_carry_status(struct proc *p, const struct proc *o);
/* May the next scan of t read stat only? */
bool tier_scan_light(const struct table *t, const struct table_opts *opt);

#endif
