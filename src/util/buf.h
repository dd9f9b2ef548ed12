/*
 * A growable byte buffer. The contents are always NUL-terminated (data[len] == 0)
 * once anything was put in, so parsers may treat data as a C string while still
 * being given the exact length. Buffers are reused across refreshes: buf_clear()
 * keeps the allocation.
 */
#ifndef SMAPTOP_BUF_H
#define SMAPTOP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_fini(struct buf *b);
static inline void buf_clear(struct buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }
/* Makes room for at least n more bytes plus the terminating NUL. */
void buf_reserve(struct buf *b, size_t n);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends v in decimal (no locale, no stdio: for hot output paths). */
void buf_put_u64(struct buf *b, uint64_t v);
void buf_put_i64(struct buf *b, int64_t v);
/* Appends v in lower-case hexadecimal, at least min_digits digits. */
void buf_put_hex(struct buf *b, uint64_t v, int min_digits);

/* Appends n copies of c. */
void buf_fill(struct buf *b, char c, size_t n);

#endif
