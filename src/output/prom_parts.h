/*
 * Inside the Prometheus renderer (output/prom.h): the text writer's few
 * primitives, shared by the parts, and the parts themselves, one file each:
 *   prom.c          the writer (escaping, HELP/TYPE, samples) and prom_render;
 *   prom_procs.c    the per-process families: processes become series
 *                   (one each, the top N plus a remainder, or summed by a key);
 *   prom_machine.c  meminfo, swap devices, pressure, NUMA nodes, the OOM kill
 *                   counter and the machine's OOM forecast;
 *   prom_cgroup.c   the memory cgroups: usage, limits, swap, events, PSS of
 *                   their processes, their OOM forecasts.
 * Each part writes whole families (HELP, TYPE, then every sample), and leaves
 * out a value the model does not know and a family with no sample.
 */
#ifndef SMAPTOP_PROM_PARTS_H
#define SMAPTOP_PROM_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cgroup.h"
#include "model/system.h"
#include "output/prom.h"
#include "util/buf.h"

/* Saturating arithmetic: values come from the kernel, sums from many of them. */
static inline int64_t
prom_sat_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
	return r;
}

static inline int64_t
prom_sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

/* A model's unsigned KiB (kib) or count as the exported int64 (bytes), saturated. */
static inline int64_t
prom_kib_or_count(uint64_t v, bool kib)
{
	if (v > INT64_MAX)
		return INT64_MAX;
	return kib ? prom_sat_mul((int64_t)v, 1024) : (int64_t)v;
}

/* "# HELP name help" and "# TYPE name counter|gauge". */
void prom_family(struct buf *b, const char *name, const char *help, bool counter);

/* One sample "name{labels} v": labels[0..lab_len) is the inside of the braces (none if 0). */
void prom_sample_i64(struct buf *b, const char *name, const char *labels, size_t lab_len,
		     int64_t v);

/* The same for v / div with three decimals ("12.345"; never an exponent). div > 0. */
void prom_sample_ratio(struct buf *b, const char *name, const char *labels, size_t lab_len,
		       int64_t v, int64_t div);

/* Appends name="value" to lab, after a ',' unless first; v[0..n) is raw bytes. */
void prom_label(struct buf *lab, struct buf *tmp, const char *name, const char *v, size_t n,
		bool first);

/*
 * The parts. tmp and lab are scratch. prom_procs_render also fills s (the
 * series) from t's rows as o asks.
 */
void prom_procs_render(struct buf *b, const struct table *t, const struct selection *sel,
		       const struct prom_opts *o, struct prom_scratch *s);
void prom_machine_render(struct buf *b, struct buf *lab, struct buf *tmp, const struct table *t);
void prom_cgroup_render(struct buf *b, struct buf *lab, struct buf *tmp, const struct cgtable *ct);

#endif
