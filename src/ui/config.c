/*
 * Settings of the interactive view in $XDG_CONFIG_HOME/smaptop/config: one
 * `key=value` per line, '#' comments. Unknown keys are ignored (newer
 * versions may add some); a bad value leaves that setting at its default and
 * names the line in the status bar. Never fatal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/screen.h"
#include "ui/ui.h"

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

void
config_load(struct tui *u, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

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
			snprintf(u->status, sizeof u->status,
				 "config %s: line %d is not valid; using defaults for it", path, lineno);
		}
	}
	fclose(f);
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

int
config_save(const struct tui *u, const char *path)
{
	char tmp[4200];

	mkdirs(path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# smaptop settings, written on exit\ncolumns=");
	for (int c = 0; c < u->ncols; c++)
		fprintf(f, "%s%s", c ? "," : "", field_info[u->cols[c]].key);
	const char *view = screens[u->screen]->name ? screens[u->screen]->name : "procs";
	fprintf(f, "\nsort=%s\nreverse=%d\ntree=%d\ndelay=%.2f\nview=%s\n", field_info[u->sort].key,
		u->reverse, u->tree, u->delay_s, view);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		int err = -errno;
		remove(tmp);
		return err;
	}
	return 0;
}
