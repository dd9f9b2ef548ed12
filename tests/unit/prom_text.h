/*
 * What the Prometheus unit tests share: rendering a table and checking the
 * result with the format checker of tests/fuzz/prom_check.h, and finding a
 * sample's value by the start of its line ("name{labels}"). Include after
 * cmocka.h.
 */
#ifndef SMAPTOP_TEST_PROM_TEXT_H
#define SMAPTOP_TEST_PROM_TEXT_H

#include <stdlib.h>
#include <string.h>

#include "../fuzz/prom_check.h"
#include "model/select.h"
#include "model/table.h"
#include "output/prom.h"

/* Renders t into b (cleared first); fails the test if the exposition is invalid. */
static const char *
prom_text(struct buf *b, const struct table *t, struct prom_scratch *ps, size_t top,
	  enum prom_by by)
{
	struct selection sel = { .sort = F_PID };
	struct prom_opts o = { .top = top, .by = by };
	size_t line;

	buf_clear(b);
	prom_render(b, t, &sel, &o, ps);
	const char *err = pc_check(b->data, b->len, &line);
	if (err)
		fail_msg("invalid exposition, line %zu: %s\n%s", line, err, b->data);
	return b->data;
}

/* The text of the value of the sample "prefix VALUE", or NULL. */
static const char *
value_text(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, prefix, n) == 0 && l[n] == ' ')
			return l + n + 1;
	}
	return NULL;
}

/* The value of the sample "prefix VALUE" as an integer, or -1. */
static long long
value(const char *text, const char *prefix)
{
	const char *v = value_text(text, prefix);

	return v ? atoll(v) : -1;
}

#endif
