/* Value formatting for every sink (see cell.h). */
#include "output/cell.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "model/fields.h"
#include "util/escape.h"
#include "util/fmt.h"

/*
 * The command line, arguments joined by single spaces; a blank one (see
 * proc_cmdline_blank) as "[comm]", as ps and top show it.
 */
static size_t
format_cmdline(struct buf *b, const struct proc *p, unsigned esc, size_t max_cols)
{
	size_t cols = 0, at = 0;

	if (proc_cmdline_blank(p)) {
		if (max_cols < 2)
			return 0;
		buf_putc(b, '[');
		const char *comm = proc_comm(p);
		cols = 1 + esc_append_fit(b, comm, strlen(comm), esc, max_cols - 2, NULL);
		buf_putc(b, ']');
		return cols + 1;
	}

	/* <=: an empty last argument still gets its separating space. */
	while (at <= p->cmd_len && cols < max_cols) {
		const char *arg = p->cmdline + at;
		size_t len = strnlen(arg, p->cmd_len - at);
		if (at > 0) {
			buf_putc(b, ' ');
			cols++;
		}
		cols += esc_append_fit(b, arg, len, esc, max_cols - cols, NULL);
		at += len + 1;
	}
	if ((p->flags & PROC_CMD_CUT) && cols + 4 <= max_cols) {
		buf_puts(b, CMDLINE_CUT_MARK);
		cols += 4;
	}
	return cols;
}

static void
format_time(struct buf *b, int64_t t, int64_t now)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	localtime_r(&tt, &tm);
	strftime(s, sizeof s, now - t < 86400 ? "%H:%M:%S" : "%b%d", &tm);
	buf_puts(b, s);
}

size_t
cell_format(struct buf *b, const struct proc *p, enum field f, unsigned style, size_t max_cols,
	    bool *known)
{
	const struct field_info *fi = &field_info[f];
	bool raw = style & CELL_RAW;
	unsigned esc = (!raw && (style & CELL_ASCII)) ? ESC_ASCII : 0;
	size_t start = b->len;

	if (known)
		*known = proc_has(p, f);
	if (!proc_has(p, f)) {
		if (raw)
			return 0;
		buf_putc(b, '-');
		return 1;
	}
	switch (f) {
	case F_USER:
		return esc_append_fit(b, p->user, strlen(p->user), esc, max_cols, NULL);
	case F_COMM:
		return esc_append_fit(b, proc_comm(p), strlen(proc_comm(p)), esc, max_cols, NULL);
	case F_CMDLINE:
		return format_cmdline(b, p, esc, max_cols);
	case F_CGROUP:
		return esc_append_fit(b, p->cgroup, strlen(p->cgroup), esc, max_cols, NULL);
	case F_STATE:
		return esc_append(b, &p->state, 1, esc);
	default:
		break;
	}
	int64_t v = proc_val(p, f);
	if (raw || fi->kind == FK_INT)
		buf_put_i64(b, v);
	else if (fi->kind == FK_KIB)
		fmt_kib_signed(b, v);
	else
		format_time(b, v, (int64_t)time(NULL));
	return b->len - start;
}
