/* Whole-file reads relative to a root directory fd (see procfs.h). */
#include "collect/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int
procfs_read(int dirfd, const char *path, struct buf *b)
{
	buf_clear(b);
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		buf_reserve(b, b->cap - b->len > 4096 ? b->cap - b->len - 1 : 16384);
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = -errno;
			close(fd);
			buf_clear(b);
			return err;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->data[b->len] = '\0';
	close(fd);
	return 0;
}

int
procfs_read_max(int dirfd, const char *path, struct buf *b, size_t max, bool *cut)
{
	char probe;

	buf_clear(b);
	*cut = false;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	buf_reserve(b, max);
	while (b->len < max) {
		ssize_t n = read(fd, b->data + b->len, max - b->len);
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
	b->data[b->len] = '\0';
	close(fd);
	return 0;
}

int
procfs_open_root(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
