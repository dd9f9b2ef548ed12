/*
 * A set of strings, each held once: the replay source keeps one copy of every
 * user name it has read, for its records to point at (proc.h), instead of one
 * copy a record. A string, once in, stays at the same address until the set
 * is freed: the table (open addressing, FNV-1a) holds pointers, and growing it
 * moves the pointers only. Lookup costs one hash of the bytes and, mostly, one
 * comparison.
 */
#ifndef SMAPTOP_INTERN_H
#define SMAPTOP_INTERN_H

#include <stddef.h>

struct intern {
	char **slot;  /* cap entries, NULL when free; cap is 0 or a power of two */
	size_t cap, n;
};

#define INTERN_INIT { NULL, 0, 0 }

/*
 * The set's copy of the len bytes at s (none of them NUL), NUL-terminated,
 * added when it is not in yet. Borrowed: valid until intern_fini().
 */
const char *intern(struct intern *in, const char *s, size_t len);

/* Frees every string of the set and the set; it is empty again. */
void intern_fini(struct intern *in);

#endif
