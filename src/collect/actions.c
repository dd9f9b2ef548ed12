/* Process actions for the interactive view (see actions.h). */
#include "collect/actions.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
action_set_oom_adj(pid_t pid, int adj)
{
	char path[64], val[16];

	if (adj < -1000 || adj > 1000 || pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
	int len = snprintf(val, sizeof val, "%d\n", adj);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	int rc = write(fd, val, (size_t)len) == len ? 0 : -errno;
	close(fd);
	return rc;
}

int
action_signal(pid_t pid, int sig)
{
	if (pid <= 0)
		return -EINVAL;
	return kill(pid, sig) == 0 ? 0 : -errno;
}
