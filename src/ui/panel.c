/*
 * The generic process panel shared by the screens: a header of column titles,
 * one row per process (escaped, tree-indented, stale PSS dimmed), scrolling
 * that keeps the cursor visible, and the ranking lists of the swap and OOM
 * screens, which are the same panel with their own columns.
 */
#include <curses.h>
#include <stdint.h>
#include <string.h>

#include "model/hist.h"
#include "output/cell.h"
#include "ui/ui.h"
#include "util/fmt.h"

const char *
ui_kib(struct buf *b, uint64_t v)
{
	buf_clear(b);
	fmt_kib(b, v);
	return b->data;
}

static int
col_width(const struct tui *u, int c)
{
	return field_width(u->cols[c], c == u->ncols - 1);
}

void
panel_header(struct tui *u, int y)
{
	int x = 0;

	ui_fill_line(y, ui_attr(u, C_HEADER));
	attrset(ui_attr(u, C_HEADER));
	for (int c = 0; c < u->ncols && x < COLS; c++) {
		const struct field_info *fi = &field_info[u->cols[c]];
		int w = col_width(u, c);
		char t[32];
		bool sorted = u->cols[c] == u->sort;
		snprintf(t, sizeof t, "%s%s", fi->title,
			 sorted ? ((u->reverse != fi->desc_sort) ? "v" : "^") : "");
		if (fi->kind != FK_TEXT && w)
			mvprintw(y, x, "%*s", w, t);
		else
			mvprintw(y, x, "%-*s", w, t);
		x += (w ? w : (int)strlen(t)) + 1;
	}
	attrset(A_NORMAL);
}

void
panel_row(struct tui *u, int y, const struct proc *p, const struct buf *branch, size_t branch_cols,
	  bool selected)
{
	int x = 0;
	uint64_t stale_ms = (uint64_t)(u->delay_s * 2000) + 1000;

	if (selected)
		ui_fill_line(y, ui_attr(u, C_SELECT));
	for (int c = 0; c < u->ncols && x < COLS; c++) {
		enum field f = u->cols[c];
		const struct field_info *fi = &field_info[f];
		int w = col_width(u, c);
		int room = w ? w : COLS - x;
		int attr = selected ? ui_attr(u, C_SELECT) : (int)A_NORMAL;
		if ((fi->need & NEED_ROLLUP) && proc_has(p, F_PSS_AGE) &&
		    (uint64_t)proc_val(p, F_PSS_AGE) > stale_ms && !selected)
			attr = ui_attr(u, C_DIM); /* an old PSS value: shown dim */
		attrset(attr);
		if (fi->kind == FK_TEXT) {
			int indent = 0;
			if (branch && branch_cols && (f == F_COMM || f == F_CMDLINE) &&
			    (int)branch_cols < room - 4) {
				indent = (int)branch_cols;
				mvaddnstr(y, x, branch->data, (int)branch->len);
			}
			buf_clear(&u->line);
			size_t cols = cell_format(&u->line, p, f, CELL_HUMAN | (u->utf8 ? 0 : CELL_ASCII),
						  (size_t)(room - indent), NULL);
			(void)cols;
			if (u->line.len)
				mvaddnstr(y, x + indent, u->line.data, (int)u->line.len);
		} else {
			buf_clear(&u->line);
			cell_format(&u->line, p, f, CELL_HUMAN, SIZE_MAX, NULL);
			mvprintw(y, x, "%*s", w, u->line.data);
		}
		x += room + 1;
	}
	attrset(A_NORMAL);
}

void
panel_keep_visible(size_t *cursor, size_t *top, size_t n, int h)
{
	if (n == 0) {
		*cursor = *top = 0;
		return;
	}
	if (*cursor >= n)
		*cursor = n - 1;
	if (*cursor < *top)
		*top = *cursor;
	if (h > 0 && *cursor >= *top + (size_t)h)
		*top = *cursor - (size_t)h + 1;
}

void
panel_ranked(struct tui *u, int y, int h, const enum field *cols, int ncols, bool mark_first)
{
	enum field saved[F_NUM];
	int saved_n = u->ncols;

	memcpy(saved, u->cols, sizeof saved);
	memcpy(u->cols, cols, (size_t)ncols * sizeof *cols);
	u->ncols = ncols;
	panel_header(u, y++);
	h--;
	panel_keep_visible(&u->cursor, &u->top, u->rows.n, h);
	for (int r = 0; r < h && u->top + (size_t)r < u->rows.n; r++) {
		size_t i = u->top + (size_t)r;
		panel_row(u, y + r, u->rows.v[i], NULL, 0, i == u->cursor);
		if (mark_first && i == 0 && COLS > 60) {
			attrset(ui_attr(u, C_WARN) | A_BOLD);
			mvaddstr(y + r, COLS - 15, " <- next victim");
			attrset(A_NORMAL);
		}
	}
	memcpy(u->cols, saved, sizeof saved);
	u->ncols = saved_n;
}

void
panel_from_top(struct tui *u)
{
	u->cursor = u->top = 0;
	u->sel_pid = 0; /* the next view_select() selects the first row */
}

void
panel_swap_graph(struct tui *u, int y, int rows, const char *title)
{
	const struct sysmem *s = &u->col.t.sys;
	bool known = s->known & (1u << M_SWAP_TOTAL);

	if (known && s->val[M_SWAP_TOTAL] == 0) {
		attrset(ui_attr(u, C_TITLE));
		mvaddnstr(y, 0, title, COLS);
		attrset(A_NORMAL);
		mvaddnstr(y + 1, 2, "no swap is configured: nothing to draw", COLS - 2);
		return;
	}
	ui_graph_capped(u, y, 0, rows, COLS, u->col.t.sys_hist, HS_SWAP_USED, -1, title,
			known ? s->val[M_SWAP_TOTAL] : 0);
}
