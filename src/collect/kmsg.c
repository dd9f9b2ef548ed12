/*
 * The kernel log reader (see kmsg.h). /dev/kmsg gives one whole record per
 * read(2), EAGAIN when there is no more, and EPIPE when the reader fell
 * behind and records were overwritten (the next read goes on with the oldest
 * record left). A plain file (fixtures) gives many records per read and EOF;
 * both go through the same carry buffer, parsed up to the last newline.
 */
#include "collect/kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/parse_kmsg.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* A read buffer above the longest record (1 KiB of text plus its dictionary). */
#define KMSG_CHUNK 8192
/* An unterminated line longer than this (only in a broken file) is dropped. */
#define KMSG_CARRY_MAX (64 * 1024)

struct kmsg {
	int fd;
	struct oom_parser op;
	struct buf carry;
	unsigned long lost;
};

int
kmsg_new(struct kmsg **out, int dirfd, const char *path, int64_t boot_ms, bool boot_known)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	struct kmsg *k = xcalloc(1, sizeof *k);
	k->fd = fd;
	oom_parser_init(&k->op, boot_ms, boot_known);
	*out = k;
	return 0;
}

static void
emit(void *arg, const struct oom_kill *kill)
{
	oom_events_push(arg, kill);
}

static void
consume(struct kmsg *k, struct oom_events *e)
{
	size_t n = kmsg_complete_len(k->carry.data, k->carry.len);

	if (n) {
		parse_kmsg(&k->op, k->carry.data, n, emit, e);
		memmove(k->carry.data, k->carry.data + n, k->carry.len - n);
		k->carry.len -= n;
		k->carry.data[k->carry.len] = '\0';
	}
	if (k->carry.len > KMSG_CARRY_MAX)
		buf_clear(&k->carry);
}

int
kmsg_read_new(struct kmsg *k, struct oom_events *e)
{
	for (;;) {
		buf_reserve(&k->carry, KMSG_CHUNK);
		ssize_t n = read(k->fd, k->carry.data + k->carry.len, KMSG_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE) {
			k->lost++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0; /* end of a plain file */
		k->carry.len += (size_t)n;
		k->carry.data[k->carry.len] = '\0';
		consume(k, e);
	}
}

unsigned long
kmsg_lost(const struct kmsg *k)
{
	return k->lost;
}

void
kmsg_free(struct kmsg *k)
{
	if (!k)
		return;
	close(k->fd);
	buf_fini(&k->carry);
	free(k);
}
