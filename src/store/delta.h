/*
 * The change record of one sample: every process whose values changed since
 * the previous sample, in one blob (sample.changes). Pure code, no SQLite: the
 * recorder encodes, replay and the series query decode.
 *
 * A blob is a run of records, one per process, by increasing process id:
 *
 *   varint   process id minus the previous record's (the first: minus 0); > 0
 *   varint   head = mask << 2 | new << 1 | extra
 *   varint   gone, varint abs     only when extra (never with new)
 *   zigzag   one per bit of mask that is not in gone, lowest bit first
 *
 * mask: the value fields that changed, bit i for the field in slot i (delta.c
 * orders them, most often changed first); gone: those that became
 * unavailable; abs: those written as absolute values (the previous one was
 * unavailable). Every other field of mask is written as its difference from
 * the previous value minus the difference of the field that predicts it (RSS
 * predicts PSS, USS, VSZ and the anonymous RSS; PSS the anonymous PSS; ...),
 * 0 for a field not written as a difference. new: the process starts a life
 * here; its earlier values are forgotten and mask lists exactly the fields it
 * has, all absolute. Varints are LEB128, 10 bytes at most; zigzag maps 0, -1,
 * 1, -2 ... to 0, 1, 2, 3 ...
 *
 * Typical cost: 1 byte of id, 2 of head, 1-2 for the first changed size,
 * 1 for each size that moved with it.
 *
 * The decoder hands out records in field terms: struct delta_rec's masks have
 * bit i for proc_value's i-th value column, raw[] the differences themselves.
 */
#ifndef SMAPTOP_STORE_DELTA_H
#define SMAPTOP_STORE_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum { DELTA_NVAL = 19 };

/* A process's values as a decoder (or encoder) holds them: bit i of known for val[i]. */
struct delta_proc {
	int64_t process;
	int64_t val[DELTA_NVAL];
	uint32_t known;
};

/*
 * Appends to b the record of cur against prev (NULL: a new life), after the
 * record of process *last (0 before the first; updated). Records must come
 * by increasing process id. Nothing is written when cur equals prev.
 */
void delta_put(struct buf *b, int64_t *last, const struct delta_proc *prev,
	       const struct delta_proc *cur);

/* One decoded record, before it is applied. */
struct delta_rec {
	int64_t process;
	bool new;
	uint32_t mask, gone, abs; /* by field, as proc_value's value columns */
	int64_t raw[DELTA_NVAL];  /* of mask & ~gone: the value (abs) or the difference */
};

struct delta_reader {
	const uint8_t *p, *end;
	int64_t last;
};

void delta_reader_init(struct delta_reader *r, const void *blob, size_t len);

/* The next record: 1, 0 at the end, -EINVAL when the blob is corrupt. */
int delta_next(struct delta_reader *r, struct delta_rec *rec);

/*
 * Applies rec to p (p->process is left alone). A difference against a value
 * p does not know leaves it unknown: a base edited away by hand gives
 * "unavailable", never a made-up value.
 */
void delta_rec_apply(const struct delta_rec *rec, struct delta_proc *p);

/* The processes a decoder holds, by increasing process id. */
struct delta_state {
	struct delta_proc *v;
	size_t n, cap;
};

/* Applies a whole blob to s. -EINVAL: corrupt (s then holds part of it; discard it). */
int delta_apply(struct delta_state *s, const void *blob, size_t len);

/* Adds (or replaces) p at its place in s. */
void delta_state_put(struct delta_state *s, const struct delta_proc *p);
struct delta_proc *delta_state_find(struct delta_state *s, int64_t process);
void delta_state_fini(struct delta_state *s);

#endif
