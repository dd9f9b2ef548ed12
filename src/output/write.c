/* Writing outputs and the quoting rules of CSV and JSON (see out.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "output/out.h"

static int
write_all(struct out *o)
{
	size_t off = 0;

	while (off < o->b.len) {
		ssize_t n = write(o->fd, o->b.data + off, o->b.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = -errno;
			buf_clear(&o->b);
			return err;
		}
		off += (size_t)n;
	}
	buf_clear(&o->b);
	return 0;
}

int
out_flush(struct out *o)
{
	int rc = o->err ? o->err : write_all(o);

	o->err = 0;
	buf_clear(&o->b);
	return rc;
}

void
out_drain(struct out *o)
{
	if (o->b.len < OUT_DRAIN_BYTES)
		return;
	if (o->err)
		buf_clear(&o->b);
	else
		o->err = write_all(o);
}

void
out_csv_field(struct buf *b, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] != ',' && s[i] != '"' && s[i] != '\n' && s[i] != '\r')
		i++;
	if (i == len) {
		buf_put(b, s, len);
		return;
	}
	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

void
out_json_string(struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_putc(b, '\\');
		if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}
