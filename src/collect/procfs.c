/* Whole-file reads relative to a root directory fd (see procfs.h). */
#include "collect/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

int
procfs_read_max(int dirfd, const char *path, struct buf *b, size_t max, bool *cut)
{
	char probe;

	buf_clear(b);
	*cut = false;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (b->len < max) {
		if (b->cap - b->len <= 4096)
			buf_reserve(b, 16384); /* grows geometrically */
		size_t room = b->cap - b->len - 1;
		ssize_t n = read(fd, b->data + b->len, room < max - b->len ? room : max - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;
			close(fd);
			buf_clear(b);
			return err;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	*cut = b->len == max && read(fd, &probe, 1) == 1;
	if (b->data)
		b->data[b->len] = '\0';
	close(fd);
	return 0;
}

int
procfs_read(int dirfd, const char *path, struct buf *b)
{
	bool cut;

	return procfs_read_max(dirfd, path, b, SIZE_MAX, &cut);
}

int
procfs_read_chunks(int dirfd, const char *path, char *chunk, size_t size,
		   void (*feed)(void *arg, const char *piece, size_t len), void *arg)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int rc = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, chunk, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = -errno;
		if (n <= 0)
			break;
		feed(arg, chunk, (size_t)n);
	}
	close(fd);
	return rc;
}

int
procfs_open_root(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
