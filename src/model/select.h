/*
 * Choosing and ordering rows for display: filter by pid, user and text, sort by
 * any column (stable, ties broken by pid), cut to the top N. Pure functions over
 * the table; the result is an array of borrowed pointers valid until the next
 * table_refresh().
 */
#ifndef SMAPTOP_SELECT_H
#define SMAPTOP_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/proc.h"
#include "model/table.h"

struct selection {
	const pid_t *pids;   /* only these, when npids > 0 */
	size_t npids;
	bool by_uid;
	uid_t uid;
	const char *filter;  /* case-insensitive substring of comm or command line */
	const char *cgroup;  /* only processes in this memory cgroup or below (NULL, "": all) */
	enum field sort;
	bool reverse;        /* against the column's natural direction */
	size_t top;          /* 0 = all */
};

/* Rows chosen and ordered; rows is a reusable buffer the function grows. */
struct rows {
	const struct proc **v;
	size_t n, cap;
};

void select_rows(const struct table *t, const struct selection *sel, struct rows *out);
void rows_fini(struct rows *r);

/*
 * The same selection kept up to date for a view that asks again after every
 * key and every refresh, redoing only what changed since the last call:
 *   - nothing changed: nothing is done (returns false);
 *   - the text filter grew (the old one is part of the new one): the last
 *     result is narrowed, its order kept;
 *   - the sort column or direction changed: the last result is re-sorted;
 *   - a new table (same_table false) with the same selection: rows whose sort
 *     value is unchanged keep their order and only the others are sorted and
 *     merged in (O(n + k log k) for k changed rows; sorting by a text column
 *     sorts all);
 *   - else the whole selection is made, as select_rows() does.
 * select_result() then gives what select_rows() would (top ignored). The
 * cache starts zeroed; same_table says t is the table of the previous call,
 * unchanged since.
 */
struct sort_ent;
struct select_cache {
	struct sort_ent *e;  /* the result in order, with its sort keys */
	size_t n, cap;
	const struct proc *procs; /* of the table e was made from */
	uint32_t *pos;       /* table index -> index in e, or UINT32_MAX */
	size_t npos;
	bool valid;
	struct selection sel; /* what the result was made of (filter, cgroup owned) */
};

bool select_update(const struct table *t, bool same_table, const struct selection *sel,
		   struct select_cache *c);
void select_result(const struct select_cache *c, struct rows *out);
void select_cache_fini(struct select_cache *c);

/*
 * Orders a and b by field f in the column's natural direction (biggest first for
 * memory), unavailable values last, ties by pid. Negative, 0 or positive.
 */
int proc_compare(const struct proc *a, const struct proc *b, enum field f);

/* Case-insensitive match of needle in comm or the command line (NULs read as spaces). */
bool proc_matches(const struct proc *p, const char *needle);

#endif
