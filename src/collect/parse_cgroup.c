/*
 * Parsers of the cgroup files (see parse_cgroup.h). No allocation beyond the
 * caller's path buffer, no locale, never a read outside [buf, buf + len).
 *
 * Invariants:
 *   - a field is written (value and known bit) only when its key's line was
 *     parsed whole; a malformed or overflowing line leaves it as it was;
 *   - a "no limit" value sets the nolimit flag and a value of 0, never the
 *     number the kernel printed.
 */
#include "collect/parse_cgroup.h"

#include <errno.h>
#include <string.h>

#include "collect/parse_util.h"

/* ---- /proc/PID/cgroup ---- */

/* Does the comma-separated list [p, e) name `memory`? */
static bool
names_memory(const char *p, const char *e)
{
	while (p < e) {
		const char *c = memchr(p, ',', (size_t)(e - p));
		const char *te = c ? c : e;
		if (te - p == 6 && memcmp(p, "memory", 6) == 0)
			return true;
		p = te + 1;
	}
	return false;
}

int
parse_proc_cgroup(const char *buf, size_t len, struct buf *path, enum cg_version *version)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	const char *v2 = NULL, *v2e = NULL;

	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		const char *c1 = memchr(ls, ':', (size_t)(le - ls));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		const char *after;
		uint64_t id;
		if (!c2 || pu_digits(ls, c1, &id, &after) != 0 || after != c1)
			continue;
		if (c2 + 1 >= le || c2[1] != '/')
			continue;
		if (id == 0 && c2 == c1 + 1) {
			v2 = c2 + 1;
			v2e = le;
		} else if (names_memory(c1 + 1, c2)) {
			buf_clear(path);
			buf_put(path, c2 + 1, (size_t)(le - c2 - 1));
			*version = CG_V1;
			return 0;
		}
	}
	if (!v2)
		return -EINVAL;
	buf_clear(path);
	buf_put(path, v2, (size_t)(v2e - v2));
	*version = CG_V2;
	return 0;
}

/* ---- one-value files ---- */

/* The first line of [buf, buf + len) without blanks around it; false when empty. */
static bool
only_line(const char *buf, size_t len, const char **s, const char **e)
{
	const char *end = buf + len;
	const char *nl = memchr(buf, '\n', len);
	const char *le = nl ? nl : end;

	if (nl && nl + 1 != end)
		return false; /* more than one line: not a one-value file */
	if (le > buf && le[-1] == '\r')
		le--;
	*s = pu_skip_blanks(buf, le);
	while (le > *s && pu_isblank(le[-1]))
		le--;
	*e = le;
	return *s < *e;
}

int
parse_cg_count(const char *buf, size_t len, uint64_t *count)
{
	const char *s, *e, *after;
	uint64_t v;

	if (len == 0)
		return -ENODATA;
	if (!only_line(buf, len, &s, &e))
		return -EINVAL;
	int rc = pu_digits(s, e, &v, &after);
	if (rc == -ERANGE && after == e)
		return -ERANGE;
	if (rc != 0 || after != e)
		return -EINVAL;
	*count = v;
	return 0;
}

int
parse_cg_bytes(const char *buf, size_t len, uint64_t *kib, bool *nolimit)
{
	const char *s, *e;
	uint64_t v;

	if (len == 0)
		return -ENODATA;
	if (only_line(buf, len, &s, &e) && e - s == 3 && memcmp(s, "max", 3) == 0) {
		*kib = 0;
		*nolimit = true;
		return 0;
	}
	int rc = parse_cg_count(buf, len, &v);
	if (rc < 0)
		return rc;
	if (v >= CG_V1_NOLIMIT_BYTES) {
		if (v > (uint64_t)INT64_MAX)
			return -ERANGE;
		*kib = 0;
		*nolimit = true;
		return 0;
	}
	*kib = v / 1024;
	*nolimit = false;
	return 0;
}

/* ---- key-value files ---- */

struct cg_key {
	const char *key;
	enum cg_field f;
	bool bytes;       /* the value is bytes: stored as KiB */
	bool fallback;    /* used only when the preferred key (same field) is missing */
};

static int
parse_keyed(const char *buf, size_t len, const struct cg_key *keys, size_t nkeys, struct cgroup *cg)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	uint64_t got = 0, fallback = 0;

	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		const char *ke = pu_token_end(ls, le), *vs = pu_skip_blanks(ke, le), *after;
		uint64_t v;
		if (ke == ls || vs == ke || pu_digits(vs, le, &v, &after) != 0 ||
		    pu_skip_blanks(after, le) != le)
			continue;
		for (size_t k = 0; k < nkeys; k++) {
			const struct cg_key *key = &keys[k];
			size_t kl = (size_t)(ke - ls);
			if (strlen(key->key) != kl || memcmp(key->key, ls, kl))
				continue;
			if (key->fallback && (got & CG_BIT(key->f)))
				break;
			if (key->bytes && v > (uint64_t)INT64_MAX)
				break;
			cg->val[key->f] = key->bytes ? v / 1024 : v;
			cg->known |= CG_BIT(key->f);
			if (key->fallback)
				fallback |= CG_BIT(key->f);
			else
				got |= CG_BIT(key->f);
			break;
		}
	}
	return got | fallback ? 0 : -EINVAL;
}

int
parse_cg_events(const char *buf, size_t len, struct cgroup *cg)
{
	static const struct cg_key keys[] = {
		{ "low", CG_EV_LOW, false, false }, { "high", CG_EV_HIGH, false, false },
		{ "max", CG_EV_MAX, false, false }, { "oom", CG_EV_OOM, false, false },
		{ "oom_kill", CG_OOM_KILLS, false, false },
	};
	return parse_keyed(buf, len, keys, sizeof keys / sizeof *keys, cg);
}

int
parse_cg_oom_control(const char *buf, size_t len, struct cgroup *cg)
{
	static const struct cg_key keys[] = {
		{ "under_oom", CG_UNDER_OOM, false, false },
		{ "oom_kill", CG_OOM_KILLS, false, false },
	};
	return parse_keyed(buf, len, keys, sizeof keys / sizeof *keys, cg);
}

int
parse_cg_stat(const char *buf, size_t len, enum cg_version v, struct cgroup *cg)
{
	static const struct cg_key v2[] = {
		{ "anon", CG_ANON, true, false }, { "file", CG_FILE, true, false },
		{ "kernel", CG_KERNEL, true, false }, { "shmem", CG_SHMEM, true, false },
		{ "sock", CG_SOCK, true, false },
		{ "inactive_file", CG_INACTIVE_FILE, true, false },
	};
	/* The totals count the cgroup's descendants, as usage_in_bytes does. */
	static const struct cg_key v1[] = {
		{ "total_rss", CG_ANON, true, false }, { "total_cache", CG_FILE, true, false },
		{ "total_shmem", CG_SHMEM, true, false },
		{ "total_inactive_file", CG_INACTIVE_FILE, true, false },
		{ "rss", CG_ANON, true, true }, { "cache", CG_FILE, true, true },
		{ "shmem", CG_SHMEM, true, true },
		{ "inactive_file", CG_INACTIVE_FILE, true, true },
	};
	if (v == CG_V1)
		return parse_keyed(buf, len, v1, sizeof v1 / sizeof *v1, cg);
	return parse_keyed(buf, len, v2, sizeof v2 / sizeof *v2, cg);
}
