/*
 * Loading a library with dlopen() into a table of its functions: the store
 * (SQLite), the exporter (libmicrohttpd) and the NUMA reader (libnuma) load
 * theirs only in the modes that use them, so that no other mode maps them.
 */
#ifndef SMAPTOP_DLBIND_H
#define SMAPTOP_DLBIND_H

#include <stddef.h>

/* A symbol and where its address goes: the offset of a pointer member of the table. */
struct dl_sym {
	const char *name;
	size_t at;
};

/*
 * Loads soname (RTLD_NOW | RTLD_LOCAL: every symbol bound at once, none looked
 * up later) and stores the address of each of syms[0..n) at its offset in
 * table. Returns the library's handle; NULL when it cannot be loaded or lacks
 * a symbol, with *missing the symbol's name (NULL when the library itself
 * could not be loaded: dlerror() says why) and table only partly written, to
 * be used only on success.
 */
void *dl_bind(const char *soname, const struct dl_sym *syms, size_t n, void *table,
	      const char **missing);

#endif
