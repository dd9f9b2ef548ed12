/* See intern.h. */
#include "util/intern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The slot holding the len bytes at s, or the free one where they would go. */
static char **
find(const struct intern *in, const char *s, size_t len)
{
	size_t mask = in->cap - 1, i = (size_t)hash(s, len) & mask;

	while (in->slot[i] && (strncmp(in->slot[i], s, len) != 0 || in->slot[i][len] != '\0'))
		i = (i + 1) & mask;
	return &in->slot[i];
}

/* Doubles the table; the strings stay where they are. */
static void
grow(struct intern *in)
{
	struct intern bigger = { .cap = in->cap ? in->cap * 2 : 16, .n = in->n };

	bigger.slot = xcalloc(bigger.cap, sizeof *bigger.slot);
	for (size_t i = 0; i < in->cap; i++)
		if (in->slot[i])
			*find(&bigger, in->slot[i], strlen(in->slot[i])) = in->slot[i];
	free(in->slot);
	*in = bigger;
}

const char *
intern(struct intern *in, const char *s, size_t len)
{
	if (in->cap == 0 || (in->n + 1) * 4 > in->cap * 3)
		grow(in); /* at most three quarters full: a free slot ends every probe */
	char **at = find(in, s, len);
	if (!*at) {
		*at = xmalloc(len + 1);
		memcpy(*at, s, len);
		(*at)[len] = '\0';
		in->n++;
	}
	return *at;
}

void
intern_fini(struct intern *in)
{
	for (size_t i = 0; i < in->cap; i++)
		free(in->slot[i]);
	free(in->slot);
	in->slot = NULL;
	in->cap = in->n = 0;
}
