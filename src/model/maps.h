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
};

struct maplist {
	struct mapping *v;
	size_t n, cap;
	char *strings;      /* all paths, back to back (not NUL-terminated) */
	size_t str_len, str_cap;
	uint64_t total[MF_NUM];
};

void maplist_init(struct maplist *m);
void maplist_fini(struct maplist *m);
void maplist_clear(struct maplist *m);
static inline const char *
mapping_path(const struct maplist *m, const struct mapping *mp)
{
	return m->strings + mp->path_off;
}

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
};

/* Groups m by (class, path) into *out (owned, caller frees); returns the count. */
size_t maplist_group(const struct maplist *m, struct mapgroup **out);

/*
 * Display order of m's mappings, or with grouped of groups[0..ngroups): by the
 * value of field (an enum map_field), biggest first, or list order when field
 * is negative; ties keep list order; reverse flips the whole order. *idx is
 * grown as needed (owned by the caller, free with free()); returns the count.
 */
size_t maplist_order(const struct maplist *m, const struct mapgroup *groups, size_t ngroups,
		     bool grouped, int field, bool reverse, size_t **idx);

const char *map_field_key(enum map_field f);   /* "rss" */
int map_field_parse(const char *key);          /* -1 if unknown */

#endif
