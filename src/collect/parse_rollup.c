/*
 * The keys of smaps and smaps_rollup, and the smaps_rollup parser. A key is
 * identified by its length and first byte, then one fixed-size compare.
 */
#include "collect/parse_smaps.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "collect/parse_util.h"

static inline bool
key_is(const char *k, const char *lit, size_t n)
{
	return memcmp(k, lit, n) == 0;
}

/*
 * Identifies the key k[0..n) (without the colon). Dispatch on the length and
 * the first byte keeps this to one or two fixed-size compares per line.
 */
static inline enum smaps_key
smaps_key(const char *k, size_t n)
{
	switch (n) {
	case 3:
		if (k[0] == 'R' && key_is(k, "Rss", 3))
			return SK_RSS;
		if (k[0] == 'P' && key_is(k, "Pss", 3))
			return SK_PSS;
		break;
	case 4:
		if (k[0] == 'S' && key_is(k, "Size", 4))
			return SK_SIZE;
		if (k[0] == 'S' && key_is(k, "Swap", 4))
			return SK_SWAP;
		break;
	case 6:
		if (key_is(k, "Locked", 6))
			return SK_LOCKED;
		break;
	case 7:
		if (key_is(k, "SwapPss", 7))
			return SK_SWAP_PSS;
		break;
	case 8:
		if (k[0] == 'P' && key_is(k, "Pss_Anon", 8))
			return SK_PSS_ANON;
		if (k[0] == 'P' && key_is(k, "Pss_File", 8))
			return SK_PSS_FILE;
		break;
	case 9:
		if (k[0] == 'P') {
			if (key_is(k, "Pss_Dirty", 9))
				return SK_PSS_DIRTY;
			if (key_is(k, "Pss_Shmem", 9))
				return SK_PSS_SHMEM;
		} else if (k[0] == 'A' && key_is(k, "Anonymous", 9)) {
			return SK_ANONYMOUS;
		}
		break;
	case 10:
		if (key_is(k, "Referenced", 10))
			return SK_REFERENCED;
		break;
	case 12:
		if (key_is(k, "Shared_Clean", 12))
			return SK_SHARED_CLEAN;
		if (key_is(k, "Shared_Dirty", 12))
			return SK_SHARED_DIRTY;
		break;
	case 13:
		switch (k[0]) {
		case 'P':
			if (key_is(k, "Private_Clean", 13))
				return SK_PRIVATE_CLEAN;
			if (key_is(k, "Private_Dirty", 13))
				return SK_PRIVATE_DIRTY;
			break;
		case 'A':
			if (key_is(k, "AnonHugePages", 13))
				return SK_ANON_HUGE;
			break;
		case 'F':
			if (key_is(k, "FilePmdMapped", 13))
				return SK_FILE_PMD;
			break;
		}
		break;
	case 14:
		if (k[0] == 'S' && key_is(k, "ShmemPmdMapped", 14))
			return SK_SHMEM_PMD;
		break;
	}
	return SK_NONE;
}

/*
 * If [ls, le) is a "Key: value" line, returns its key (SK_NONE for a key
 * smaptop ignores) and sets *val_at just past the colon. Returns SK_NUM when
 * the line is not a key line at all (no colon before the first blank).
 */
int
smaps_key_line(const char *ls, const char *le, const char **val_at)
{
	const char *p = ls;

	while (p < le && *p != ':' && *p != ' ')
		p++;
	if (p == le || *p != ':')
		return SK_NUM;
	*val_at = p + 1;
	return smaps_key(ls, (size_t)(p - ls));
}

/* A kB value after a key: 0 and *out, or -1 when absent, malformed or too big. */
int
smaps_kib_value(const char *p, const char *le, uint64_t *out)
{
	const char *after;

	p = pu_skip_blanks(p, le);
	if (pu_digits(p, le, out, &after) != 0 || !pu_kib_ok(*out))
		return -1;
	if (after < le && !pu_isblank(*after))
		return -1;  /* "12x": not a number */
	return 0;
}

int
parse_rollup(const char *buf, size_t len, struct proc *p)
{
	const char *pos = buf, *end = buf + len, *ls, *le, *vp;
	uint64_t v[SK_NUM] = { 0 };
	bool have[SK_NUM] = { false };
	int found = 0;

	p->known &= ~(uint64_t)ROLLUP_FIELDS;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		int k = smaps_key_line(ls, le, &vp);

		if (k == SK_NUM || k == SK_NONE)
			continue;  /* the "[rollup]" header, or a key we do not use */
		found++;
		uint64_t x;
		if (smaps_kib_value(vp, le, &x) == 0) {
			v[k] = x;
			have[k] = true;
		} else {
			have[k] = false;
		}
	}
	if (!found)
		return -EINVAL;

	static const struct {
		enum field f;
		enum smaps_key a, b; /* b: SK_NONE, or a second summand */
	} map[] = {
		{ F_PSS, SK_PSS, SK_NONE },
		{ F_PSS_ANON, SK_PSS_ANON, SK_NONE },
		{ F_PSS_FILE, SK_PSS_FILE, SK_NONE },
		{ F_PSS_SHMEM, SK_PSS_SHMEM, SK_NONE },
		{ F_USS, SK_PRIVATE_CLEAN, SK_PRIVATE_DIRTY },
		{ F_SHARED, SK_SHARED_CLEAN, SK_SHARED_DIRTY },
		{ F_SWAP_PSS, SK_SWAP_PSS, SK_NONE },
		{ F_THP, SK_ANON_HUGE, SK_NONE },
		{ F_REFERENCED, SK_REFERENCED, SK_NONE },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (!have[map[i].a])
			continue;
		uint64_t x = v[map[i].a];
		if (map[i].b != SK_NONE) {
			if (!have[map[i].b])
				continue;
			x += v[map[i].b];  /* both <= PU_KIB_MAX: cannot wrap */
			if (!pu_kib_ok(x))
				continue;
		}
		proc_set(p, map[i].f, (int64_t)x);
	}
	return 0;
}
