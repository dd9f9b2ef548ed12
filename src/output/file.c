/* Atomic replacement of a file (see file.h): mkstemp, write, fsync, rename, fsync dir. */
#include "output/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"

static int
write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory's fsync makes the rename itself durable; some file systems refuse it. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
out_write_file(const char *path, const void *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	struct buf dir = BUF_INIT, tmp = BUF_INIT;
	int rc = 0, fd;

	if (!*path || (slash && !slash[1]))
		return -EISDIR;
	if (slash)
		buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	else
		buf_putc(&dir, '.');
	buf_printf(&tmp, "%s/.%s.XXXXXX", dir.data, slash ? slash + 1 : path);
	fd = mkostemp(tmp.data, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = write_all(fd, data, len);
	if (!rc && fchmod(fd, 0644) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp.data, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp.data);
	else
		sync_dir(dir.data);
out:
	buf_fini(&dir);
	buf_fini(&tmp);
	return rc;
}
