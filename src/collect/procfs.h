/*
 * Reading whole kernel files. /proc files have no useful st_size, so files are
 * read in a loop to EOF into a reusable buffer that grows as needed (a process
 * with 60,000 mappings has ~43 MB of smaps). Paths are relative to a directory
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

/* Opens a root directory (O_PATH|O_DIRECTORY). Returns the fd or a negative errno. */
int procfs_open_root(const char *path);

#endif
