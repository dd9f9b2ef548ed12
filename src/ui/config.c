/*
 * Settings of the interactive view in $XDG_CONFIG_HOME/smaptop/config: one
 * `key=value` per line, '#' comments. Unknown keys are ignored (newer
 * versions may add some); a bad value leaves that setting at its default and
 * the status bar names every bad line (or, past a few, their count and the
 * first). Never fatal.
 *
 * Saving keeps the file as the user wrote it: comments, blank lines, keys this
 * version does not know and lines it cannot read stay as they are, in place;
 * the lines of the keys it writes get the new values where they stand, and the
 * keys the file lacks are appended. The file is replaced by a rename, so a
 * crash leaves the old one or the new one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/screen.h"
#include "ui/ui.h"
#include "util/conf.h"

/* The keys config_render() writes, in the order a new file has them. */
enum conf_key { K_COLUMNS, K_SORT, K_REVERSE, K_TREE, K_DELAY, K_VIEW, K_NUM };
static const char *const conf_keys[K_NUM] = {
	[K_COLUMNS] = "columns", [K_SORT] = "sort", [K_REVERSE] = "reverse", [K_TREE] = "tree",
	[K_DELAY] = "delay", [K_VIEW] = "view",
};

/* Bad lines named one by one in the status line, at most. */
#define BAD_LINES_NAMED 8

static bool
apply(struct tui *u, const char *key, const char *val)
{
	char *end;

	if (!strcmp(key, "columns")) {
		enum field cols[F_NUM];
		const char *bad;
		size_t bad_len;
		int n = field_parse_list(val, cols, F_NUM, &bad, &bad_len);
		if (n <= 0)
			return false;
		memcpy(u->cols, cols, (size_t)n * sizeof *cols);
		u->ncols = n;
	} else if (!strcmp(key, "sort")) {
		int f = field_parse(val);
		if (f < 0)
			return false;
		u->sort = (enum field)f;
	} else if (!strcmp(key, "reverse") || !strcmp(key, "tree")) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return false;
		*(!strcmp(key, "tree") ? &u->tree : &u->reverse) = val[0] == '1';
	} else if (!strcmp(key, "delay")) {
		double d = strtod(val, &end);
		if (end == val || *end || !(d >= 0.1 && d <= 3600))
			return false;
		u->delay_s = d;
	} else if (!strcmp(key, "view")) {
		for (int s = 0; s < SCR_NUM; s++)
			if (screens[s]->name && !strcmp(val, screens[s]->name)) {
				u->screen = screens[s]->restorable ? (enum ui_screen)s : SCR_PROCS;
				return true;
			}
		return false;
	}
	return true;
}

/* "config PATH: lines 2, 5 and 7 are not valid; ..." in u->status. */
static void
report_bad(struct tui *u, const char *path, const int *bad, int nbad)
{
	char lines[128] = "";

	if (nbad == 0)
		return;
	if (nbad == 1) {
		snprintf(u->status, sizeof u->status,
			 "config %s: line %d is not valid; using the default for it", path, bad[0]);
		return;
	}
	if (nbad > BAD_LINES_NAMED) {
		snprintf(u->status, sizeof u->status,
			 "config %s: %d lines are not valid, the first is line %d; using defaults "
			 "for them", path, nbad, bad[0]);
		return;
	}
	for (int i = 0; i < nbad; i++)
		snprintf(lines + strlen(lines), sizeof lines - strlen(lines), "%s%d",
			 i == 0 ? "" : i == nbad - 1 ? " and " : ", ", bad[i]);
	snprintf(u->status, sizeof u->status,
		 "config %s: lines %s are not valid; using defaults for them", path, lines);
}

void
config_load(struct tui *u, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, nbad = 0, bad[BAD_LINES_NAMED + 1];

	if (!f)
		return; /* no file yet: defaults */
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		char *eq = strchr(p, '=');
		if (!eq || !apply(u, (*eq = '\0', p), eq + 1)) {
			if (nbad <= BAD_LINES_NAMED)
				bad[nbad] = lineno;
			nbad++;
		}
	}
	fclose(f);
	report_bad(u, path, bad, nbad);
}

static void
value(const struct tui *u, enum conf_key k, struct buf *out)
{
	const char *view = screens[u->screen]->name ? screens[u->screen]->name : "procs";

	switch (k) {
	case K_COLUMNS:
		for (int c = 0; c < u->ncols; c++)
			buf_printf(out, "%s%s", c ? "," : "", field_info[u->cols[c]].key);
		break;
	case K_SORT: buf_puts(out, field_info[u->sort].key); break;
	case K_REVERSE: buf_puts(out, u->reverse ? "1" : "0"); break;
	case K_TREE: buf_puts(out, u->tree ? "1" : "0"); break;
	case K_DELAY: buf_printf(out, "%.2f", u->delay_s); break;
	case K_VIEW: buf_puts(out, view); break;
	case K_NUM: break;
	}
}

void
config_render(const struct tui *u, const char *old, size_t len, struct buf *out)
{
	struct buf vals[K_NUM];
	const char *values[K_NUM];

	if (!old || !len)
		buf_puts(out, "# smaptop settings, written on exit\n");
	for (int k = 0; k < K_NUM; k++) {
		vals[k] = (struct buf)BUF_INIT;
		value(u, (enum conf_key)k, &vals[k]);
		values[k] = vals[k].data ? vals[k].data : "";
	}
	conf_merge(old, len, conf_keys, values, K_NUM, out);
	for (int k = 0; k < K_NUM; k++)
		buf_fini(&vals[k]);
}

static void
mkdirs(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
}

/* The whole file into b; 0, or a negative errno (-ENOENT: no file yet). */
static int
read_all(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "r");
	char chunk[4096];
	size_t n;

	if (!f)
		return -errno;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(b, chunk, n);
	int rc = ferror(f) ? -EIO : 0;
	fclose(f);
	return rc;
}

int
config_save(const struct tui *u, const char *path)
{
	char tmp[4200];
	struct buf old = BUF_INIT, out = BUF_INIT;
	int rc = read_all(path, &old);

	if (rc < 0 && rc != -ENOENT) {
		buf_fini(&old);
		return rc; /* never replace a file that could not be read */
	}
	config_render(u, old.data, old.len, &out);
	buf_fini(&old);
	mkdirs(path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		rc = -errno;
		buf_fini(&out);
		return rc;
	}
	size_t wrote = fwrite(out.data, 1, out.len, f);
	rc = wrote == out.len ? 0 : -EIO;
	buf_fini(&out);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0)
		remove(tmp);
	return rc;
}
