/*
 * /proc/<pid>/stat and /proc/<pid>/status (see parse.h).
 *
 * stat is one line of space-separated fields whose second, the name in
 * parentheses, may itself hold spaces and parentheses: the name ends at the
 * last ')' of the line, and fields are counted from there. status is
 * "Key:\tvalue" lines; only the owner and the memory lines are read.
 */
#include "collect/parse.h"

#include <errno.h>
#include <string.h>

#include "collect/parse_util.h"

/* stat's fields after the name, numbered as proc(5) does (state is 3). */
enum {
	ST_STATE = 3, ST_PPID = 4, ST_FLAGS = 9, ST_MINFLT = 10, ST_MAJFLT = 12,
	ST_THREADS = 20, ST_START = 22, ST_VSIZE = 23, ST_RSS = 24
};

int
parse_pid_stat(const char *buf, size_t len, struct pid_stat *st)
{
	const char *end = buf + len, *open, *close = NULL;

	memset(st, 0, sizeof *st);
	if (len == 0)
		return -ENODATA;
	open = memchr(buf, '(', len);
	for (const char *p = end; open && p > open + 1;)
		if (*--p == ')') {
			close = p;
			break;
		}
	if (!open || !close)
		return -EINVAL;

	const char *at = buf, *after;
	uint64_t pid;
	if (pu_digits(at, open, &pid, &after) != 0 || after + 1 != open || *after != ' ' ||
	    pid == 0 || pid > INT32_MAX)
		return -EINVAL;
	st->pid = pid;
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof st->comm)
		n = sizeof st->comm - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';

	/* Fields 3 and on: each is one space then a token; the line may end with '\n'. */
	if (end > close + 1 && end[-1] == '\n')
		end--;
	at = close + 1;
	for (int field = ST_STATE; field <= ST_RSS; field++) {
		if (at >= end || *at != ' ')
			return -EINVAL;
		const char *tok = ++at, *te = at;
		while (te < end && *te != ' ')
			te++;
		at = te;
		if (field == ST_STATE) {
			if (te - tok != 1)
				return -EINVAL;
			st->state = *tok;
			continue;
		}
		uint64_t *dst;
		switch (field) {
		case ST_PPID: dst = &st->ppid; break;
		case ST_FLAGS: dst = &st->flags; break;
		case ST_MINFLT: dst = &st->minflt; break;
		case ST_MAJFLT: dst = &st->majflt; break;
		case ST_THREADS: dst = &st->threads; break;
		case ST_START: dst = &st->start_ticks; break;
		case ST_VSIZE: dst = &st->vsize; break;
		case ST_RSS: dst = &st->rss_pages; break;
		default: continue; /* a field smaptop does not use: may be negative */
		}
		if (pu_digits(tok, te, dst, &after) != 0 || after != te)
			return -EINVAL;
	}
	/* the kernel writes 52 fields: a line that ends at rss was cut */
	return at < end && *at == ' ' ? 0 : -EINVAL;
}

/* status keys, by the line's key (before the colon). */
enum skey { SK_UID, SK_VMSIZE, SK_VMLCK, SK_VMRSS, SK_RSSANON, SK_RSSFILE, SK_RSSSHMEM,
	    SK_VMSWAP, SK_N };

static int
status_key(const char *k, size_t n)
{
	static const struct { const char *name; size_t len; } keys[SK_N] = {
		[SK_UID] = { "Uid", 3 }, [SK_VMSIZE] = { "VmSize", 6 }, [SK_VMLCK] = { "VmLck", 5 },
		[SK_VMRSS] = { "VmRSS", 5 }, [SK_RSSANON] = { "RssAnon", 7 },
		[SK_RSSFILE] = { "RssFile", 7 }, [SK_RSSSHMEM] = { "RssShmem", 8 },
		[SK_VMSWAP] = { "VmSwap", 6 },
	};

	if (n < 3 || (k[0] != 'U' && k[0] != 'V' && k[0] != 'R'))
		return -1;
	for (int i = 0; i < SK_N; i++)
		if (keys[i].len == n && memcmp(keys[i].name, k, n) == 0)
			return i;
	return -1;
}

int
parse_pid_status(const char *buf, size_t len, struct proc *p)
{
	static const enum field mem[SK_N] = {
		[SK_VMSIZE] = F_VSZ, [SK_VMLCK] = F_LOCKED, [SK_VMRSS] = F_RSS,
		[SK_RSSANON] = F_RSS_ANON, [SK_RSSFILE] = F_RSS_FILE, [SK_RSSSHMEM] = F_RSS_SHMEM,
		[SK_VMSWAP] = F_SWAP,
	};
	const uint64_t parts = FIELD_BIT(F_RSS_ANON) | FIELD_BIT(F_RSS_FILE) |
			       FIELD_BIT(F_RSS_SHMEM);
	const uint64_t mine = FIELD_BIT(F_UID) | FIELD_BIT(F_VSZ) | FIELD_BIT(F_RSS) | parts |
			      FIELD_BIT(F_SWAP) | FIELD_BIT(F_LOCKED);
	const char *pos = buf, *end = buf + len, *ls, *le, *after;
	uint64_t v;
	bool uid = false;

	p->known &= ~mine;
	if (len == 0)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		const char *colon = memchr(ls, ':', (size_t)(le - ls));
		if (!colon)
			continue;
		int k = status_key(ls, (size_t)(colon - ls));
		if (k < 0)
			continue;
		const char *vp = pu_skip_blanks(colon + 1, le);
		if (k == SK_UID) {
			/* real, effective, saved, filesystem: the second is the owner */
			vp = pu_token_end(vp, le);
			vp = pu_skip_blanks(vp, le);
			if (pu_digits(vp, le, &v, &after) == 0 && v <= UINT32_MAX &&
			    (after == le || pu_isblank(*after))) {
				proc_set(p, F_UID, (int64_t)v);
				uid = true;
			}
			continue;
		}
		if (pu_digits(vp, le, &v, &after) == 0 && pu_kib_ok(v) && pu_unit_kb(after, le))
			proc_set(p, mem[k], (int64_t)v);
	}
	if (!uid) {
		p->known &= ~mine; /* not a status the kernel wrote */
		return -EINVAL;
	}
	/* The kernel writes VmRSS as the sum of its parts: any other sum is not its. */
	if ((p->known & (parts | FIELD_BIT(F_RSS))) != (parts | FIELD_BIT(F_RSS)) ||
	    (uint64_t)proc_val(p, F_RSS_ANON) + (uint64_t)proc_val(p, F_RSS_FILE) +
			    (uint64_t)proc_val(p, F_RSS_SHMEM) != (uint64_t)proc_val(p, F_RSS))
		p->known &= ~parts;
	return 0;
}

bool
pid_status_has_mm(const char *buf, size_t len)
{
	return len >= 7 && (memcmp(buf, "VmSize:", 7) == 0 || memmem(buf, len, "\nVmSize:", 8));
}
