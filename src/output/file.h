/*
 * Writing a whole output to a file so that readers never see half of it: the
 * bytes go to a temporary file in the same directory (named ".NAME.XXXXXX", so
 * a reader matching "*.prom" skips it), which is synced and then renamed over
 * NAME. A reader opens either the old file or the new one, never a mix; after a
 * crash NAME holds one of the two whole, and at worst a stray temporary file
 * is left behind. No process state: safe to call from any thread.
 */
#ifndef SMAPTOP_FILE_H
#define SMAPTOP_FILE_H

#include <stddef.h>

/*
 * Replaces path with data[0..len) (mode 0644). Returns 0, or a negative errno
 * (the old file is then untouched and the temporary file removed).
 */
int out_write_file(const char *path, const void *data, size_t len);

#endif
