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

/*
 * procfs_read_chunks for a file the kernel writes from one process's memory
 * map (smaps, numa_maps). Such a file does not fail when the process exits
 * during the read: the kernel just ends it early, at a mapping's boundary, so
 * a cut list looks whole. The rule that tells them apart: the file is bound
 * to the process's memory (its mm) when it is opened, and the kernel writes
 * nothing more of it once that memory has no users, which is final. So once
 * the read reached its end, the same open file is read again from its start,
 * one byte: a byte there proves the memory was still in use after the last
 * piece was written, so every piece before was complete and the end was the
 * real end. No byte means the memory went away: the read may have been cut.
 *
 * Returns as procfs_read_chunks, and -ESTALE when the memory went away during
 * the read, or the process did (-ESRCH from a read: it was there at the
 * open): feed may have seen pieces, which must be thrown away. A file empty from its
 * start (a kernel thread or a zombie, which have no memory map) is 0 with no
 * piece fed; a fixture tree's plain file is always whole.
 */
int procfs_read_mm_chunks(int dirfd, const char *path, char *chunk, size_t size,
			  void (*feed)(void *arg, const char *piece, size_t len), void *arg);

/* procfs_read_mm_chunks into b, whole (numa_maps). On error b is left empty. */
int procfs_read_mm(int dirfd, const char *path, struct buf *b);

/* Opens a root directory (O_PATH|O_DIRECTORY). Returns the fd or a negative errno. */
int procfs_open_root(const char *path);

#endif
