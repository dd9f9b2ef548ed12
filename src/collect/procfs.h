/*
 * Reading kernel files. /proc files have no useful st_size, so files are read
 * in a loop to EOF, either whole into a reusable buffer that grows as needed,
 * or through a fixed buffer handed to a consumer piece by piece (smaps: 50,000
 * mappings give ~37 MB, which should never sit in memory). Paths are relative to a directory
 * fd (the /proc or /sys root), so fixture trees can stand in for the kernel.
 */
#ifndef SMAPTOP_PROCFS_H
#define SMAPTOP_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * Replaces b's contents with the file dirfd/path. Returns 0, or a negative
 * errno: -ENOENT/-ESRCH (gone), -EACCES/-EPERM (refused), others as open(2)
 * and read(2) give them. On error b is left empty.
 */
int procfs_read(int dirfd, const char *path, struct buf *b);

/*
 * Like procfs_read but stops after max bytes; *cut tells whether the file was
 * longer. For files whose size the caller caps (command lines).
 */
int procfs_read_max(int dirfd, const char *path, struct buf *b, size_t max, bool *cut);

/*
 * Reads the file dirfd/path to EOF through chunk[0..size), calling
 * feed(arg, piece, len) for every read that returned data, so a file of any
 * size costs only the caller's buffer (smaps: parsed as it is read). Returns
 * 0, or a negative errno as procfs_read; after a read error, feed has seen
 * the pieces before it.
 */
int procfs_read_chunks(int dirfd, const char *path, char *chunk, size_t size,
		       void (*feed)(void *arg, const char *piece, size_t len), void *arg);

/* Opens a root directory (O_PATH|O_DIRECTORY). Returns the fd or a negative errno. */
int procfs_open_root(const char *path);

#endif
