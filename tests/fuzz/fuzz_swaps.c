/*
 * parse_swaps (/proc/swaps). Invariants (only what the parser guarantees; it
 * does not promise used <= size):
 *   - rc: -ENODATA iff empty; -EINVAL iff no "Filename" header and no device,
 *     and then *out == NULL, *n == 0; *out == NULL iff *n == 0;
 *   - at most one device per complete line;
 *   - path and type are NUL-terminated inside their arrays; type has no
 *     blanks; size and used fit in bytes;
 *   - same table for the complete lines only and for the CRLF form;
 *   - the table is freed by the caller (LeakSanitizer checks the rest).
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run(const char *data, size_t n, struct swapdev **out, int *cnt)
{
	char *buf = fz_dup(data, n);
	size_t lines = 0;

	*out = (struct swapdev *)1;
	*cnt = -7;
	int rc = parse_swaps(buf, n, out, cnt);
	free(buf);

	for (size_t i = 0; i < n; i++)
		lines += data[i] == '\n';
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK(*cnt >= 0 && (size_t)*cnt <= lines);
	FUZZ_CHECK((*out == NULL) == (*cnt == 0));
	if (rc != 0)
		FUZZ_CHECK(*out == NULL && *cnt == 0);
	for (int i = 0; i < *cnt; i++) {
		const struct swapdev *d = &(*out)[i];
		size_t tl = strnlen(d->type, sizeof d->type);

		FUZZ_CHECK(strnlen(d->path, sizeof d->path) < sizeof d->path);
		FUZZ_CHECK(tl < sizeof d->type);  /* 0 if the token starts with a NUL byte */
		FUZZ_CHECK(strpbrk(d->type, " \t") == NULL);
		FUZZ_CHECK(d->size_kib <= FZ_KIB_MAX && d->used_kib <= FZ_KIB_MAX);
	}
	return rc;
}

static void
same(const struct swapdev *a, int na, int ra, const struct swapdev *b, int nb, int rb)
{
	FUZZ_CHECK(ra == rb && na == nb);
	for (int i = 0; i < na; i++) {
		FUZZ_CHECK(strcmp(a[i].path, b[i].path) == 0);
		FUZZ_CHECK(strcmp(a[i].type, b[i].type) == 0);
		FUZZ_CHECK(a[i].size_kib == b[i].size_kib && a[i].used_kib == b[i].used_kib);
		FUZZ_CHECK(a[i].priority == b[i].priority);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct swapdev *a, *b;
	int na, nb;
	int ra = run(d, size, &a, &na);

	size_t cl = fz_complete_len(d, size);
	if (cl) {
		int rb = run(d, cl, &b, &nb);
		same(a, na, ra, b, nb, rb);
		free(b);
	}
	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		int rb = run(c, n, &b, &nb);
		free(c);
		same(a, na, ra, b, nb, rb);
		free(b);
	}
	free(a);
	return 0;
}
