/*
 * The settings file of the interactive view (src/ui/config.c): saving keeps
 * the user's comments, blank lines, unknown keys and unreadable lines where
 * they were and rewrites only the values of the keys smaptop owns (every line
 * of a repeated key); a new file gets every key; loading names every bad line,
 * or their count and the first past eight; a saved file loads back to the same
 * settings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui.h"
#include "util/buf.h"

static void
defaults(struct tui *u)
{
	static const enum field cols[] = { F_PID, F_RSS, F_COMM };

	memset(u, 0, sizeof *u);
	memcpy(u->cols, cols, sizeof cols);
	u->ncols = 3;
	u->sort = F_RSS;
	u->delay_s = 2;
	u->tree = true;
	u->screen = SCR_SWAP;
}

static void
assert_render(const struct tui *u, const char *old, const char *want)
{
	struct buf out = BUF_INIT;

	config_render(u, old, old ? strlen(old) : 0, &out);
	if (strcmp(out.data, want))
		fail_msg("rendered:\n%s\nexpected:\n%s", out.data, want);
	buf_fini(&out);
}

static void
test_new_file(void **state)
{
	struct tui u;

	(void)state;
	defaults(&u);
	assert_render(&u, NULL,
		      "# smaptop settings, written on exit\ncolumns=pid,rss,comm\nsort=rss\n"
		      "reverse=0\ntree=1\ndelay=2.00\nview=swap\n");
}

static void
test_keeps_what_the_user_wrote(void **state)
{
	struct tui u;

	(void)state;
	defaults(&u);
	assert_render(&u,
		      "# my settings\n"
		      "\n"
		      "  sort=pss   \n"
		      "future_key=42\n"
		      "# tree=0 in a comment stays\n"
		      "this line means nothing\n"
		      "tree=0\n"
		      "sort=vsz\n"
		      "colour=blue",
		      "# my settings\n"
		      "\n"
		      "sort=rss\n"
		      "future_key=42\n"
		      "# tree=0 in a comment stays\n"
		      "this line means nothing\n"
		      "tree=1\n"
		      "sort=rss\n"
		      "colour=blue\n"
		      "columns=pid,rss,comm\nreverse=0\ndelay=2.00\nview=swap\n");
}

/* Writes text to a new temporary file; returns its path (static). */
static const char *
temp_file(const char *text)
{
	static char path[4096];

	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof path, "%s/smaptop-test-config.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_every_bad_line_named(void **state)
{
	struct tui u;
	const char *path = temp_file("# ok\nsort=nope\ntree=2\nreverse=1\ndelay=0\n"
				     "garbage\nview=nowhere\ncolumns=pid,bogus\n");

	(void)state;
	defaults(&u);
	config_load(&u, path);
	unlink(path);
	assert_non_null(strstr(u.status, "lines 2, 3, 5, 6, 7 and 8 are not valid"));
	assert_true(u.reverse); /* the good line in between is applied */
	assert_int_equal(u.sort, F_RSS);
}

static void
test_one_bad_line(void **state)
{
	struct tui u;
	const char *path = temp_file("tree=1\nsort=nope\n");

	(void)state;
	defaults(&u);
	config_load(&u, path);
	unlink(path);
	assert_non_null(strstr(u.status, "line 2 is not valid"));
}

static void
test_many_bad_lines_counted(void **state)
{
	struct tui u;
	const char *path = temp_file("tree=1\nx\nx\nx\nx\nx\nx\nx\nx\nx\nx\n");

	(void)state;
	defaults(&u);
	config_load(&u, path);
	unlink(path);
	assert_non_null(strstr(u.status, "10 lines are not valid, the first is line 2"));
}

static void
test_saved_file_loads_back(void **state)
{
	struct tui u, v;
	struct buf out = BUF_INIT;

	(void)state;
	defaults(&u);
	u.reverse = true;
	config_render(&u, "# mine\nfuture=1\n", 16, &out);
	const char *path = temp_file(out.data);
	buf_fini(&out);
	memset(&v, 0, sizeof v);
	config_load(&v, path);
	unlink(path);
	assert_string_equal(v.status, "");
	assert_int_equal(v.ncols, 3);
	assert_int_equal(v.cols[2], F_COMM);
	assert_int_equal(v.sort, F_RSS);
	assert_true(v.reverse && v.tree);
	assert_int_equal(v.screen, SCR_SWAP);
	assert_true(v.delay_s > 1.99 && v.delay_s < 2.01);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_keeps_what_the_user_wrote),
		cmocka_unit_test(test_every_bad_line_named),
		cmocka_unit_test(test_one_bad_line),
		cmocka_unit_test(test_many_bad_lines_counted),
		cmocka_unit_test(test_saved_file_loads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
