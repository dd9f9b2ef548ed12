/*
 * Loading fixture files for the parser tests: the whole file into a heap
 * buffer of exactly its size (not NUL-terminated), so a parser reading past
 * the end trips ASan. Fixtures are found under $SMAPTOP_FIXTURES (set by the
 * Makefile), else tests/fixtures. Include after <cmocka.h>.
 */
#ifndef SMAPTOP_TEST_FIXTURE_H
#define SMAPTOP_TEST_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *
fixture(const char *name, size_t *len)
{
	const char *dir = getenv("SMAPTOP_FIXTURES");
	char path[4096];
	char *buf = NULL;
	size_t n = 0, cap = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/fixtures", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open fixture %s", path);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = read(fd, buf + n, cap - n);
		assert_true(r >= 0);
		n += (size_t)r;
	} while (r > 0);
	close(fd);
	buf = realloc(buf, n ? n : 1);  /* exact size: reads past the end trip ASan */
	*len = n;
	return buf;
}

#endif
