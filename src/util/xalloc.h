/*
 * Allocation that cannot fail: on exhaustion the process prints one line and
 * exits 1 (after restoring the terminal through the hook the UI registers).
 * Zero-size requests are programmer errors and abort.
 */
#ifndef SMAPTOP_XALLOC_H
#define SMAPTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
/* Grows or shrinks p to nmemb * size bytes, refusing products that overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n);

/* Called once before exiting on exhaustion; the UI points it at its terminal restore. */
extern void (*xalloc_fatal_hook)(void);

#endif
