/* Allocation wrappers: abort-free exits on exhaustion, see xalloc.h. */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void (*xalloc_fatal_hook)(void);

static _Noreturn void
oom(void)
{
	static const char msg[] = "smaptop: out of memory\n";

	if (xalloc_fatal_hook)
		xalloc_fatal_hook();
	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom();
	size_t n = nmemb * size;

	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *
xmemdup(const void *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}
