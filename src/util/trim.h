/*
 * Giving back resident memory that a long-running smaptop will not use again
 * soon, without changing what it holds.
 *
 * trim_clean_text() drops from the process's page tables the resident pages
 * of the read-only segments (code, read-only data, symbol tables) of every
 * loaded object: the program and each shared library. They are private file
 * mappings never written, so MADV_DONTNEED only unmaps them; a page used again
 * is faulted back from the page cache, identical (a minor fault, no I/O while
 * the file is cached). What goes is what start-up, relocation and the first
 * collection touched once (IFUNC resolvers, constructors, dlopen, the 64 KiB
 * the kernel maps around each fault) and the steady loop does not. Writable
 * and RELRO segments (relocated, copy-on-write) and the vDSO are left alone.
 * Costs one madvise() per segment, about a hundred.
 */
#ifndef SMAPTOP_TRIM_H
#define SMAPTOP_TRIM_H

void trim_clean_text(void);

#endif
