/*
 * Non-interactive outputs: the aligned table (-1), CSV and JSON (one object per
 * line). Each render appends one whole iteration to o->b; out_flush() writes it
 * with write(2), so a refresh costs one system call and no stdio. Outputs read
 * only the model.
 */
#ifndef SMAPTOP_OUT_H
#define SMAPTOP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/maps.h"
#include "model/proc.h"
#include "model/select.h"
#include "model/table.h"
#include "util/buf.h"

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

struct out {
	enum out_format fmt;
	unsigned style;     /* enum cell_style extras for the table (CELL_ASCII) */
	bool header_done;   /* CSV header printed (once per run) */
	int fd;
	struct buf b;
	struct buf tmp;     /* scratch for one cell, reused */
	int err;            /* first write error of out_drain(), reported by out_flush() */
	bool root;          /* smaptop runs as root: a refusal is not cured by running as root */
	uint64_t oom_count; /* --oom-kills table: the kill counter last printed, plus one */
};

/* Writes and clears o->b. Returns 0, -EPIPE when the reader went away, or another -errno. */
int out_flush(struct out *o);
/*
 * Writes o->b once it holds OUT_DRAIN_BYTES, so long outputs stream in small
 * pieces (a bigger buffer would be resident memory for nothing); errors wait
 * for out_flush.
 */
enum { OUT_DRAIN_BYTES = 16384 };
void out_drain(struct out *o);

/* CSV field with RFC 4180 quoting (text must already be escaped). */
void out_csv_field(struct buf *b, const char *s, size_t len);
/* JSON string literal of already-escaped text. */
void out_json_string(struct buf *b, const char *s, size_t len);

/* The process list: columns cols[0..ncols) of rows, with a system summary in table form. */
void out_procs(struct out *o, const struct table *t, const struct rows *r, const enum field *cols,
	       int ncols);

/*
 * Per-mapping breakdown of one process. sort: an enum map_field, or -1 for
 * address order. With groups (ngroups > 0) the grouped form is rendered.
 */
struct maps_view {
	pid_t pid;
	const struct maplist *m;
	const struct mapgroup *groups;
	size_t ngroups;
	bool grouped;
	int sort;
	bool reverse;
};
void out_maps(struct out *o, const struct table *t, const struct maps_view *v);

/* System memory, swap devices, pressure and NUMA nodes. */
void out_system(struct out *o, const struct table *t);

/* Per-node memory of each row: node_kib[i * nnodes + k] for row i and node index k. */
void out_numa(struct out *o, const struct table *t, const struct rows *r, const uint64_t *node_kib,
	      const bool *row_ok);

#endif
