/*
 * The Prometheus text format (see prom.h): the writer's primitives (label
 * escaping, HELP and TYPE, samples) and the order of the parts
 * (prom_parts.h): the processes, then the machine, then the cgroups.
 */
#include "output/prom_parts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xalloc.h"

static const char *const by_names[] = {
	[PROM_BY_PID] = "pid", [PROM_BY_COMM] = "comm", [PROM_BY_USER] = "user",
	[PROM_BY_CGROUP] = "cgroup",
};

const char *
prom_by_name(enum prom_by by)
{
	return by_names[by];
}

int
prom_by_parse(const char *s, enum prom_by *out)
{
	for (size_t i = 0; i < sizeof by_names / sizeof *by_names; i++) {
		if (strcmp(s, by_names[i]) == 0) {
			*out = (enum prom_by)i;
			return 0;
		}
	}
	return -EINVAL;
}

void
prom_scratch_fini(struct prom_scratch *s)
{
	buf_fini(&s->labels);
	buf_fini(&s->tmp);
	buf_fini(&s->part);
	free(s->series);
	free(s->by_key);
	rows_fini(&s->rows);
	memset(s, 0, sizeof *s);
}

void
prom_escape_label(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '\\':
			rep = "\\\\";
			break;
		case '"':
			rep = "\\\"";
			break;
		case '\n':
			rep = "\\n";
			break;
		default:
			continue;
		}
		buf_put(b, s + run, i - run);
		buf_put(b, rep, 2);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void
prom_label_value(struct buf *b, struct buf *tmp, const char *s, size_t n)
{
	buf_clear(tmp);
	esc_append(tmp, s, n, 0);
	prom_escape_label(b, tmp->data ? tmp->data : "", tmp->len);
}

void
prom_family(struct buf *b, const char *name, const char *help, bool counter)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, counter ? "counter" : "gauge");
}

static void
sample_name(struct buf *b, const char *name, const char *labels, size_t lab_len)
{
	buf_puts(b, name);
	if (lab_len) {
		buf_putc(b, '{');
		buf_put(b, labels, lab_len);
		buf_putc(b, '}');
	}
	buf_putc(b, ' ');
}

void
prom_sample_i64(struct buf *b, const char *name, const char *labels, size_t lab_len, int64_t v)
{
	sample_name(b, name, labels, lab_len);
	buf_put_i64(b, v);
	buf_putc(b, '\n');
}

void
prom_sample_ratio(struct buf *b, const char *name, const char *labels, size_t lab_len, int64_t v,
		  int64_t div)
{
	sample_name(b, name, labels, lab_len);
	buf_printf(b, "%.3f\n", (double)v / (double)div);
}

void
prom_label(struct buf *lab, struct buf *tmp, const char *name, const char *v, size_t n, bool first)
{
	if (!first)
		buf_putc(lab, ',');
	buf_puts(lab, name);
	buf_puts(lab, "=\"");
	prom_label_value(lab, tmp, v, n);
	buf_putc(lab, '"');
}

void
prom_render(struct buf *b, const struct table *t, const struct selection *sel,
	    const struct prom_opts *o, struct prom_scratch *s)
{
	prom_procs_render(b, t, sel, o, s);
	prom_family(b, "smaptop_pss_unavailable_processes",
		    "Processes whose smaps_rollup smaptop may not read (their PSS is left out)", false);
	prom_sample_i64(b, "smaptop_pss_unavailable_processes", NULL, 0, t->denied);
	prom_machine_render(b, &s->part, &s->tmp, t);
	prom_cgroup_render(b, &s->part, &s->tmp, &t->cg);
}
