/*
 * Pure parsers for the one-value files of the OOM knobs (/proc/sys/vm/...,
 * /sys/kernel/mm/transparent_hugepage/..., /sys/module/zswap/parameters/...)
 * and for the two counters smaptop takes from bigger files: oom_kill of
 * /proc/vmstat and Zswap of /proc/meminfo. Buffers in (not NUL-terminated),
 * no I/O. Return 0, -ENODATA for an empty buffer, -EINVAL for anything that is
 * not the expected form, -ERANGE for a number too big, -ENOENT for a key the
 * file does not have (older kernels).
 */
#ifndef SMAPTOP_PARSE_KNOBS_H
#define SMAPTOP_PARSE_KNOBS_H

#include <stddef.h>
#include <stdint.h>

/* One decimal integer (optional '-'), blanks and one trailing newline allowed. */
int parse_knob_int(const char *buf, size_t len, int64_t *out);

/* "Y" or "N" (also 1/0), as module parameters show booleans. */
int parse_knob_bool(const char *buf, size_t len, int64_t *out);

/*
 * "always [madvise] never": copies the bracketed word into out (size bytes,
 * NUL-terminated). -EINVAL without exactly one bracketed word or when it does
 * not fit or is not plain [a-z+_-] text.
 */
int parse_knob_choice(const char *buf, size_t len, char *out, size_t size);

/* The value of line "KEY N" of /proc/vmstat. */
int parse_vmstat_key(const char *buf, size_t len, const char *key, uint64_t *out);

/* The value of line "KEY:   N kB" of /proc/meminfo, in KiB. */
int parse_meminfo_key(const char *buf, size_t len, const char *key, uint64_t *out_kib);

#endif
