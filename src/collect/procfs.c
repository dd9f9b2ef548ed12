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

/* Reads fd to EOF through chunk, feeding every piece; *fed counts the bytes. */
static int
read_fd_chunks(int fd, char *chunk, size_t size,
	       void (*feed)(void *arg, const char *piece, size_t len), void *arg, size_t *fed)
{
	for (;;) {
		ssize_t n = read(fd, chunk, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*fed += (size_t)n;
		feed(arg, chunk, (size_t)n);
	}
}

int
procfs_read_chunks(int dirfd, const char *path, char *chunk, size_t size,
		   void (*feed)(void *arg, const char *piece, size_t len), void *arg)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t fed = 0;

	if (fd < 0)
		return -errno;
	int rc = read_fd_chunks(fd, chunk, size, feed, arg, &fed);
	close(fd);
	return rc;
}

/*
 * After EOF: does the file still have a first byte? 0 yes, -ESTALE no (the
 * memory it was opened on is gone), another -errno when asking failed.
 */
static int
still_whole(int fd)
{
	char probe;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -errno;
	do
		n = read(fd, &probe, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	return n == 0 || errno == ESRCH ? -ESTALE : -errno;
}

int
procfs_read_mm_chunks(int dirfd, const char *path, char *chunk, size_t size,
		      void (*feed)(void *arg, const char *piece, size_t len), void *arg)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t fed = 0;

	if (fd < 0)
		return -errno;
	int rc = read_fd_chunks(fd, chunk, size, feed, arg, &fed);
	if (rc == -ESRCH)
		rc = -ESTALE;  /* it was there when the file was opened */
	else if (rc == 0 && fed)
		rc = still_whole(fd);
	close(fd);
	return rc;
}

static void
append_piece(void *arg, const char *piece, size_t len)
{
	buf_put(arg, piece, len);
}

int
procfs_read_mm(int dirfd, const char *path, struct buf *b)
{
	char chunk[16384];

	buf_clear(b);
	int rc = procfs_read_mm_chunks(dirfd, path, chunk, sizeof chunk, append_piece, b);
	if (rc < 0)
		buf_clear(b);
	else if (b->data)
		b->data[b->len] = '\0';
	return rc;
}

int
procfs_open_root(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
