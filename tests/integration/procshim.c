/*
 * procshim: an LD_PRELOAD library for tests/integration/broken_proc.sh that
 * replaces files of one process in /proc with broken ones, so that smaptop
 * reads them as if the kernel had written them.
 *
 * Environment: PROCSHIM_PID, the process; PROCSHIM_DIR, a directory of
 * replacement files. An open(2)/openat(2) of "/proc/PID/NAME" or of
 * "PID/NAME" relative to a directory (smaptop opens relative to /proc) is
 * turned into an open of PROCSHIM_DIR/NAME when that file exists; every other
 * open goes through unchanged. Built by the test with cc -shared -fPIC.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The replacement of path, in buf, or NULL to open path itself. */
static const char *
replacement(const char *path, char *buf, size_t cap)
{
	const char *pid = getenv("PROCSHIM_PID"), *dir = getenv("PROCSHIM_DIR");
	const char *name;
	size_t n;

	if (!pid || !dir || !path)
		return NULL;
	if (strncmp(path, "/proc/", 6) == 0)
		path += 6;
	n = strlen(pid);
	if (strncmp(path, pid, n) != 0 || path[n] != '/')
		return NULL;
	name = path + n + 1;
	if (!*name || strchr(name, '/'))
		return NULL;
	snprintf(buf, cap, "%s/%s", dir, name);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

static mode_t
mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define SHIM_OPEN(name)                                                                  \
	int name(const char *path, int flags, ...)                                       \
	{                                                                                \
		static int (*real)(const char *, int, ...);                              \
		char buf[4096];                                                          \
		const char *r = replacement(path, buf, sizeof buf);                      \
		va_list ap;                                                              \
		va_start(ap, flags);                                                     \
		mode_t mode = mode_arg(flags, ap);                                       \
		va_end(ap);                                                              \
		if (!real)                                                               \
			real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
		return real(r ? r : path, flags, mode);                                  \
	}

#define SHIM_OPENAT(name)                                                                \
	int name(int dirfd, const char *path, int flags, ...)                            \
	{                                                                                \
		static int (*real)(int, const char *, int, ...);                         \
		char buf[4096];                                                          \
		const char *r = replacement(path, buf, sizeof buf);                      \
		va_list ap;                                                              \
		va_start(ap, flags);                                                     \
		mode_t mode = mode_arg(flags, ap);                                       \
		va_end(ap);                                                              \
		if (!real)                                                               \
			real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
		return r ? real(AT_FDCWD, r, flags, mode) : real(dirfd, path, flags, mode); \
	}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

SHIM_OPEN(open)
SHIM_OPEN(open64)
SHIM_OPENAT(openat)
SHIM_OPENAT(openat64)
