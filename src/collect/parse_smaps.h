/*
 * What the three parts of the smaps parser share (parse_smaps.c: the lines
 * and the list; parse_smaps_fast.c: the kernel's own key lines; parse_rollup.c:
 * the keys and smaps_rollup). Not for use outside them.
 */
#ifndef SMAPTOP_PARSE_SMAPS_H
#define SMAPTOP_PARSE_SMAPS_H

#include "collect/parse.h"

/* The keys smaptop uses from smaps and smaps_rollup; everything else is SK_NONE. */
enum smaps_key {
	SK_NONE = -1,
	SK_SIZE,
	SK_RSS,
	SK_PSS,
	SK_PSS_DIRTY,
	SK_PSS_ANON,
	SK_PSS_FILE,
	SK_PSS_SHMEM,
	SK_SHARED_CLEAN,
	SK_SHARED_DIRTY,
	SK_PRIVATE_CLEAN,
	SK_PRIVATE_DIRTY,
	SK_REFERENCED,
	SK_ANONYMOUS,
	SK_ANON_HUGE,   /* AnonHugePages */
	SK_SHMEM_PMD,   /* ShmemPmdMapped */
	SK_FILE_PMD,    /* FilePmdMapped */
	SK_SWAP,
	SK_SWAP_PSS,
	SK_LOCKED,
	SK_NUM
};

/*
 * Where each key's value goes in smaps_parser.slot[]: its map field, one of
 * the three parts of MF_THP, or the sink for keys smaptop reads but does not
 * keep per mapping. Storing through this table needs no branch per key.
 */
enum {
	SLOT_THP_ANON = MF_NUM,  /* AnonHugePages */
	SLOT_THP_SHMEM,          /* ShmemPmdMapped */
	SLOT_THP_FILE,           /* FilePmdMapped */
	SLOT_SINK,
};
_Static_assert(SLOT_SINK + 1 == SMAPS_SLOTS, "parse.h sizes smaps_parser.slot");

/*
 * If [ls, le) is a "Key: value" line, returns its key (SK_NONE for a key
 * smaptop ignores) and sets *val_at just past the colon. Returns SK_NUM when
 * the line is not a key line at all (no colon before the first blank).
 */
int smaps_key_line(const char *ls, const char *le, const char **val_at);

/* A kB value after a key: 0 and *out, or -1 when absent, malformed or too big. */
int smaps_kib_value(const char *p, const char *le, uint64_t *out);

/*
 * The kernel's exact key lines from p on, as long as they come: stores their
 * values in sp's slots and returns where the first line it did not take
 * begins (p itself when none), for the general parser to decide.
 */
const char *smaps_fast_lines(struct smaps_parser *sp, const char *p, const char *end);

#endif
