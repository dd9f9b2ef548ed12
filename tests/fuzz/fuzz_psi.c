/*
 * parse_psi (/proc/pressure/memory). Invariants:
 *   - *out is rebuilt: a line that is not known is all zero; rc is 0 iff
 *     some or full is known, -ENODATA iff the buffer is empty;
 *   - every known avg printed back as "%u.%02u" and parsed again gives the same
 *     value (hundredths are exact, nothing wraps);
 *   - same result for the complete lines only and for the CRLF form.
 */
#include <errno.h>

#include "collect/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct psi_line zero;

static int
run(const char *data, size_t n, struct psi *out)
{
	char *buf = fz_dup(data, n);

	memset(out, 0xa5, sizeof *out);
	int rc = parse_psi(buf, n, out);
	free(buf);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODATA);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	FUZZ_CHECK((rc == 0) == (out->known || out->full_known));
	if (!out->known)
		FUZZ_CHECK(memcmp(&out->some, &zero, sizeof zero) == 0);
	if (!out->full_known)
		FUZZ_CHECK(memcmp(&out->full, &zero, sizeof zero) == 0);
	return rc;
}

static int
same_line(const struct psi_line *a, const struct psi_line *b)
{
	return a->avg10 == b->avg10 && a->avg60 == b->avg60 && a->avg300 == b->avg300 &&
	       a->total_us == b->total_us;
}

static void
same(const struct psi *a, int ra, const struct psi *b, int rb)
{
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(a->known == b->known && a->full_known == b->full_known);
	FUZZ_CHECK(same_line(&a->some, &b->some) && same_line(&a->full, &b->full));
}

/* Prints the known lines back in the kernel's format and parses that. */
static void
round_trip(const struct psi *a)
{
	char txt[512];
	int len = 0;
	struct psi b;

	for (int i = 0; i < 2; i++) {
		const struct psi_line *l = i ? &a->full : &a->some;
		if (!(i ? a->full_known : a->known))
			continue;
		len += snprintf(txt + len, sizeof txt - (size_t)len,
				"%s avg10=%u.%02u avg60=%u.%02u avg300=%u.%02u total=%llu\n",
				i ? "full" : "some", l->avg10 / 100, l->avg10 % 100,
				l->avg60 / 100, l->avg60 % 100, l->avg300 / 100, l->avg300 % 100,
				(unsigned long long)l->total_us);
	}
	if (!len)
		return;
	int rb = run(txt, (size_t)len, &b);
	same(a, 0, &b, rb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct psi a, b;
	int ra = run(d, size, &a);

	if (ra == 0)
		round_trip(&a);
	size_t cl = fz_complete_len(d, size);
	if (cl) {
		int rb = run(d, cl, &b);
		same(&a, ra, &b, rb);
	}
	if (!fz_has_cr(d, size)) {
		size_t n;
		char *c = fz_crlf(d, size, &n);
		int rb = run(c, n, &b);
		free(c);
		same(&a, ra, &b, rb);
	}
	return 0;
}
