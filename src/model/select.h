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
 * Orders a and b by field f in the column's natural direction (biggest first for
 * memory), unavailable values last, ties by pid. Negative, 0 or positive.
 */
int proc_compare(const struct proc *a, const struct proc *b, enum field f);

/* Case-insensitive match of needle in comm or the command line (NULs read as spaces). */
bool proc_matches(const struct proc *p, const char *needle);

#endif
