/* The two menus over the field table: the column chooser ('c') and the sort chooser (F6). */
#include <curses.h>
#include <string.h>

#include "ui/screen.h"

static bool
col_shown(const struct tui *u, int f)
{
	for (int c = 0; c < u->ncols; c++)
		if ((int)u->cols[c] == f)
			return true;
	return false;
}

static void
draw(struct tui *u, int y, int h)
{
	bool columns = u->screen == SCR_COLUMNS;

	attrset(ui_attr(u, C_TITLE));
	mvaddstr(y++, 0, columns ? "Columns: space toggles, Esc returns"
				 : "Sort by: Enter chooses, Esc returns");
	attrset(A_NORMAL);
	h--;
	size_t top = u->menu_cursor >= (size_t)h ? u->menu_cursor - (size_t)h + 1 : 0;
	for (int r = 0; r < h && top + (size_t)r < F_NUM; r++) {
		int f = (int)(top + (size_t)r);
		bool sel = (size_t)f == u->menu_cursor;
		if (sel)
			ui_fill_line(y + r, ui_attr(u, C_SELECT));
		attrset(sel ? ui_attr(u, C_SELECT) : (int)A_NORMAL);
		mvprintw(y + r, 0, " %s %-10s %s",
			 columns ? (col_shown(u, f) ? "[x]" : "[ ]") : (f == (int)u->sort ? "(*)" : "( )"),
			 field_info[f].key, field_info[f].desc);
		attrset(A_NORMAL);
	}
}

/* Shows f, or hides it (never the last column). New columns go before a trailing text column. */
static void
toggle_column(struct tui *u, enum field f)
{
	for (int c = 0; c < u->ncols; c++) {
		if (u->cols[c] != f)
			continue;
		if (u->ncols > 1) {
			memmove(&u->cols[c], &u->cols[c + 1], (size_t)(u->ncols - c - 1) * sizeof *u->cols);
			u->ncols--;
		}
		return;
	}
	/* New columns go before a trailing text column, so COMMAND stays last. */
	int at = u->ncols;
	if (at > 0 && field_info[u->cols[at - 1]].kind == FK_TEXT && field_info[f].kind != FK_TEXT)
		at--;
	memmove(&u->cols[at + 1], &u->cols[at], (size_t)(u->ncols - at) * sizeof *u->cols);
	u->cols[at] = f;
	u->ncols++;
}

static bool
columns_keys(struct tui *u, int ch)
{
	if (ch != ' ' && ch != '\n' && ch != '\r' && ch != KEY_ENTER)
		return false;
	toggle_column(u, (enum field)u->menu_cursor);
	return true;
}

static bool
sort_keys(struct tui *u, int ch)
{
	if (ch != '\n' && ch != '\r' && ch != KEY_ENTER)
		return false;
	u->sort = (enum field)u->menu_cursor;
	u->screen = u->back;
	return true;
}

const struct screen screen_columns = { .draw = draw, .keys = columns_keys };
const struct screen screen_sort = { .draw = draw, .keys = sort_keys };
