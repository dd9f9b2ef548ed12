/*
 * Per-mapping memory of one process (/proc/<pid>/smaps), its classification and
 * the grouped form. Values are KiB. Pure data and pure functions: parsing is in
 * collect/parse_smaps.c.
 */
#ifndef SMAPTOP_MAPS_H
#define SMAPTOP_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum map_field {
	MF_SIZE,
	MF_RSS,
	MF_PSS,
	MF_PSS_DIRTY,
	MF_SHARED_CLEAN,
	MF_SHARED_DIRTY,
	MF_PRIVATE_CLEAN,
	MF_PRIVATE_DIRTY,
	MF_REFERENCED,
	MF_ANONYMOUS,
	MF_SWAP,
	MF_SWAP_PSS,
	MF_LOCKED,
	MF_THP,       /* AnonHugePages + ShmemPmdMapped + FilePmdMapped */
	MF_NUM
};

enum map_class {
	MC_HEAP,
	MC_STACK,
	MC_ANON,
	MC_FILE,
	MC_LIB,
	MC_SHM,
	MC_SPECIAL,
	MC_NUM
};

struct mapping {
	uint64_t start, end;
	uint64_t offset;
	uint64_t inode;
	uint64_t val[MF_NUM];
	uint32_t dev_major, dev_minor;
	uint32_t path_off;  /* offset of the path in the owning maplist's strings */
	uint32_t path_len;  /* 0: anonymous, no name */
	char perms[5];      /* "rw-p" */
	uint8_t cls;        /* enum map_class */
	uint16_t unknown;   /* MF_BIT(f) of values the kernel gave unparsable: unavailable */
};

#define MF_BIT(f) ((uint16_t)(1u << (f)))
_Static_assert(MF_NUM <= 16, "struct mapping: unknown is a 16-bit mask of map fields");

/*
 * The mappings of one process. A process can have hundreds of thousands, so
 * the list keeps them packed (maplist.c: about 25 bytes for a typical one
 * instead of sizeof(struct mapping)) and hands out one at a time, decoded:
 * maplist_get is O(1) and cheap, but a caller that needs one field of every
 * mapping more than once (a sort) extracts it once.
 */
struct maplist {
	unsigned char *rows;      /* the mappings, packed, back to back */
	size_t rows_len, rows_cap;
	uint32_t *at;             /* at[i]: where mapping i starts in rows */
	size_t n, cap;
	char *strings;      /* all paths, back to back (not NUL-terminated) */
	size_t str_len, str_cap;
	uint64_t total[MF_NUM];   /* the sum of the rows' known values */
	uint16_t total_partial;   /* MF_BIT(f): some row's value of f is unavailable */
	/*
	 * The kernel's own totals, smaps_rollup, read just after smaps (the
	 * source sets them; a parse leaves them clear). They are what the process
	 * list shows and need not equal the rows' sums: the kernel rounds each
	 * mapping's PSS-based values (Pss, Pss_Dirty, SwapPss, Locked) down to
	 * a KiB, the rollup's only once. smaps_rollup has no Size.
	 */
	uint64_t rollup[MF_NUM];
	uint16_t rollup_known;    /* MF_BIT(f) of rollup[] that are valid; 0: not read */
};

void maplist_init(struct maplist *m);
void maplist_fini(struct maplist *m);
void maplist_clear(struct maplist *m);
/*
 * Appends a copy of *mp (its path must already be in m->strings; cls < 8;
 * perms[4] is taken as NUL). The totals are the caller's to keep.
 */
void maplist_add(struct maplist *m, const struct mapping *mp);
/* Mapping i (< m->n), decoded into *mp. */
void maplist_get(const struct maplist *m, size_t i, struct mapping *mp);
/* Field f of mapping i: maplist_get's val[f], without the rest. */
uint64_t maplist_value(const struct maplist *m, size_t i, enum map_field f);
static inline const char *
mapping_path(const struct maplist *m, const struct mapping *mp)
{
	return m->strings + mp->path_off;
}

/*
 * The totals to show for m: smaps_rollup's value where it gave one (what the
 * process list shows), else the sum of the rows. *unknown gets MF_BIT(f) of
 * the fields with neither (a sum that would leave out an unavailable row).
 */
void maplist_totals(const struct maplist *m, uint64_t val[MF_NUM], uint16_t *unknown);

/* Classifies a mapping from its name, perms and inode (see maps.c for the rules). */
enum map_class map_classify(const char *path, size_t len, const char perms[5], uint64_t inode);
const char *map_class_name(enum map_class c);
/* Parses a class name ("heap", "lib", ...); -1 if unknown. */
int map_class_parse(const char *name);

/*
 * One group of mappings: all mappings of a class with the same path (anonymous
 * ones of a class form one group). `first` indexes the first mapping of the group
 * in the source list (for the path).
 */
struct mapgroup {
	uint64_t val[MF_NUM];
	size_t first;
	uint32_t count;
	uint8_t cls;
	uint16_t unknown;   /* MF_BIT(f): a member's f is unavailable, so is the group's */
};

/* Groups m by (class, path) into *out (owned, caller frees); returns the count. */
size_t maplist_group(const struct maplist *m, struct mapgroup **out);

/*
 * A display order, idx[0..n), and the room to compute it: kept by the caller
 * across calls, so a re-sort of a large list touches no new memory. Zero it
 * to start; maporder_fini frees it.
 */
struct maporder {
	size_t *idx;       /* indices into the list, or into the groups */
	size_t n;
	uint64_t *key;     /* scratch: each row's sort value */
	size_t *tmp;       /* scratch: the radix sort's other buffer */
	size_t cap;        /* of idx, key and tmp */
};
void maporder_fini(struct maporder *o);

/*
 * Display order of m's mappings, or with grouped of groups[0..ngroups): by the
 * value of field (an enum map_field), biggest first, or list order when field
 * is negative; ties keep list order; reverse flips the whole order. Sets
 * o->idx and o->n; returns the count.
 */
size_t maplist_order(const struct maplist *m, const struct mapgroup *groups, size_t ngroups,
		     bool grouped, int field, bool reverse, struct maporder *o);

const char *map_field_key(enum map_field f);   /* "rss" */
int map_field_parse(const char *key);          /* -1 if unknown */

#endif
