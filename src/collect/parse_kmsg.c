/*
 * The kernel log parser for OOM kills (see parse_kmsg.h). Never reads at or
 * past the end of a buffer, never allocates; text fields are bounded copies.
 */
#include "collect/parse_kmsg.h"

#include <errno.h>
#include <string.h>

#include "collect/parse_util.h"

/* Records this far apart (in sequence numbers) do not belong together. */
#define SUMMARY_REACH 64

int
kmsg_parse_record(const char *line, size_t len, struct kmsg_record *r)
{
	const char *p = line, *end = line + len, *after;
	uint64_t v[3];

	for (int i = 0; i < 3; i++) {
		if (pu_digits(p, end, &v[i], &after) != 0)
			return -EINVAL;
		p = after;
		if (p >= end || (*p != ',' && !(i == 2 && *p == ';')))
			return -EINVAL;
		if (*p == ',')
			p++;
	}
	const char *semi = memchr(p, ';', (size_t)(end - p));
	if (!semi || v[0] > 1023)
		return -EINVAL;
	r->prio = (unsigned)v[0];
	r->seq = v[1];
	r->usec = v[2];
	r->text = semi + 1;
	r->len = (size_t)(end - semi - 1);
	return 0;
}

void
oom_parser_init(struct oom_parser *op, int64_t boot_ms, bool boot_known)
{
	memset(op, 0, sizeof *op);
	op->boot_ms = boot_ms;
	op->boot_known = boot_known;
}

/* The last occurrence of needle in [s, end), or NULL. */
static const char *
last_of(const char *s, const char *end, const char *needle)
{
	size_t nl = strlen(needle);
	const char *found = NULL, *p = s;

	while (p < end) {
		const char *q = memmem(p, (size_t)(end - p), needle, nl);
		if (!q)
			break;
		found = q;
		p = q + 1;
	}
	return found;
}

static const char *
first_of(const char *s, const char *end, const char *needle)
{
	return s < end ? memmem(s, (size_t)(end - s), needle, strlen(needle)) : NULL;
}

/* Undoes the kernel's \xNN escapes of [s, end) into out (NUL-terminated, cut to fit). */
static void
unescape(char *out, size_t size, const char *s, const char *end)
{
	size_t n = 0;

	while (s < end && n + 1 < size) {
		int hi, lo;
		if (*s == '\\' && end - s >= 4 && s[1] == 'x' && (hi = pu_hexval(s[2])) >= 0 &&
		    (lo = pu_hexval(s[3])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
}

/* An unsigned number right after key (first occurrence in [s, end)); kb: "kB" must follow. */
static bool
field_u64(const char *s, const char *end, const char *key, bool kb, uint64_t *out)
{
	const char *p = first_of(s, end, key), *after;

	if (!p)
		return false;
	p += strlen(key);
	if (pu_digits(p, end, out, &after) != 0)
		return false;
	if (kb && (end - after < 2 || after[0] != 'k' || after[1] != 'B'))
		return false;
	return !kb || pu_kib_ok(*out);
}

static void
parse_sizes(const char *s, const char *end, struct oom_kill *k)
{
	static const struct {
		const char *key;
		enum oomkill_bit bit;
		size_t off;
	} kb[] = {
		{ "total-vm:", OOMK_TOTAL_VM, offsetof(struct oom_kill, total_vm_kib) },
		{ "anon-rss:", OOMK_ANON, offsetof(struct oom_kill, anon_rss_kib) },
		{ "file-rss:", OOMK_FILE, offsetof(struct oom_kill, file_rss_kib) },
		{ "shmem-rss:", OOMK_SHMEM, offsetof(struct oom_kill, shmem_rss_kib) },
		{ "pgtables:", OOMK_PGTABLES, offsetof(struct oom_kill, pgtables_kib) },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof kb / sizeof kb[0]; i++) {
		if (field_u64(s, end, kb[i].key, true, &v)) {
			memcpy((char *)k + kb[i].off, &v, sizeof v);
			k->known |= kb[i].bit;
		}
	}
	if (field_u64(s, end, "UID:", false, &v) && v <= UINT32_MAX) {
		k->uid = (uint32_t)v;
		k->known |= OOMK_UID;
	}
	const char *p = first_of(s, end, "oom_score_adj:");
	if (p) {
		p += strlen("oom_score_adj:");
		bool neg = p < end && *p == '-';
		const char *after;
		if (pu_digits(p + neg, end, &v, &after) == 0 && v <= 1000) {
			k->oom_score_adj = neg ? -(int32_t)v : (int32_t)v;
			k->known |= OOMK_ADJ;
		}
	}
}

/* "constraint=CONSTRAINT_X" into k->constraint ("x" in lower case). */
static void
parse_constraint(const char *s, const char *end, struct oom_kill *k)
{
	const char *p = first_of(s, end, "constraint=");

	if (!p)
		return;
	p += strlen("constraint=");
	const char *e = memchr(p, ',', (size_t)(end - p));
	if (!e)
		e = end;
	if ((size_t)(e - p) > 11 && memcmp(p, "CONSTRAINT_", 11) == 0)
		p += 11;
	if (p == e || (size_t)(e - p) >= sizeof k->constraint)
		return;
	for (size_t i = 0; i < (size_t)(e - p); i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || pu_isdigit(c) || c == '_'))
			return;
		k->constraint[i] = c;
	}
	k->constraint[e - p] = '\0';
	k->known |= OOMK_CONSTRAINT;
}

/*
 * "oom-kill:constraint=...,task_memcg=PATH,task=COMM,pid=N,uid=N": kept until
 * the kill record, whose comm tells where PATH ends.
 */
static void
parse_summary(struct oom_parser *op, const struct kmsg_record *r)
{
	const char *s = r->text, *end = s + r->len, *after;
	struct oom_kill *k = &op->summary;
	uint64_t v;

	memset(k, 0, sizeof *k);
	op->have_summary = false;
	const char *uid = last_of(s, end, ",uid=");
	const char *pid = uid ? last_of(s, uid, ",pid=") : NULL;
	if (!pid || pu_digits(pid + 5, uid, &v, &after) != 0 || after != uid || v > INT32_MAX)
		return;
	k->pid = (int32_t)v;
	if (pu_digits(uid + 5, end, &v, &after) == 0 && v <= UINT32_MAX) {
		k->uid = (uint32_t)v;
		k->known |= OOMK_UID;
	}
	parse_constraint(s, pid, k);
	const char *om = first_of(s, pid, ",oom_memcg=");
	const char *tm = first_of(om ? om : s, pid, ",task_memcg=");
	if (om && tm) {
		unescape(k->oom_memcg, sizeof k->oom_memcg, om + 11, tm);
		k->known |= OOMK_OOM_MEMCG;
	}
	/* PATH,task=COMM: split once the kill names COMM */
	op->summary_task[0] = '\0';
	if (tm) {
		size_t n = (size_t)(pid - (tm + 12));
		if (n <= sizeof k->cgroup - 1 + sizeof op->summary_task - 1) {
			/* the escaped text, split later; cgroup holds its first part */
			size_t a = n < sizeof k->cgroup - 1 ? n : sizeof k->cgroup - 1;
			memcpy(k->cgroup, tm + 12, a);
			k->cgroup[a] = '\0';
			memcpy(op->summary_task, tm + 12 + a, n - a);
			op->summary_task[n - a] = '\0';
			k->known |= OOMK_CGROUP;
		}
	}
	op->have_summary = true;
	op->summary_seq = r->seq;
}

/*
 * Adds the summary's details to k when it is about the same pid, just before.
 * comm/comm_end: the kill's comm as the log has it (escaped).
 */
static void
merge_summary(struct oom_parser *op, const struct kmsg_record *r, struct oom_kill *k,
	      const char *comm, const char *comm_end)
{
	struct oom_kill *s = &op->summary;

	if (!op->have_summary || s->pid != k->pid || r->seq < op->summary_seq ||
	    r->seq - op->summary_seq > SUMMARY_REACH)
		return;
	op->have_summary = false;
	if (s->known & OOMK_CONSTRAINT) {
		memcpy(k->constraint, s->constraint, sizeof k->constraint);
		k->known |= OOMK_CONSTRAINT;
		if (strcmp(s->constraint, "memcg") == 0)
			k->memcg = true;
	}
	if ((s->known & OOMK_UID) && !(k->known & OOMK_UID)) {
		k->uid = s->uid;
		k->known |= OOMK_UID;
	}
	if (s->known & OOMK_OOM_MEMCG) {
		memcpy(k->oom_memcg, s->oom_memcg, sizeof k->oom_memcg);
		k->known |= OOMK_OOM_MEMCG;
	}
	if (!(s->known & OOMK_CGROUP))
		return;
	/* escaped PATH ",task=" COMM, split where COMM begins */
	char both[sizeof s->cgroup + sizeof op->summary_task];
	size_t a = strlen(s->cgroup), b = strlen(op->summary_task), c = (size_t)(comm_end - comm);
	memcpy(both, s->cgroup, a);
	memcpy(both + a, op->summary_task, b);
	if (a + b < c + 6 || memcmp(both + a + b - c - 6, ",task=", 6) != 0 ||
	    memcmp(both + a + b - c, comm, c) != 0 || a + b - c - 6 >= sizeof k->cgroup)
		return; /* not this comm, or a path too long to keep whole */
	unescape(k->cgroup, sizeof k->cgroup, both, both + a + b - c - 6);
	k->known |= OOMK_CGROUP;
}

/* "[MESSAGE: ]Killed process PID (COMM) total-vm:..." */
static int
parse_killed(struct oom_parser *op, const struct kmsg_record *r, const char *at,
	     struct oom_kill *out)
{
	const char *s = r->text, *end = s + r->len, *p = at + strlen("Killed process "), *after;
	uint64_t pid;

	if (pu_digits(p, end, &pid, &after) != 0 || pid > INT32_MAX || end - after < 2 ||
	    after[0] != ' ' || after[1] != '(')
		return 0;
	const char *comm = after + 2;
	const char *ce = last_of(comm, end, ") total-vm:");
	if (!ce)
		ce = last_of(comm, end, ")");
	if (!ce)
		return 0;
	memset(out, 0, sizeof *out);
	out->seq = r->seq;
	out->mono_us = r->usec;
	out->pid = (int32_t)pid;
	unescape(out->comm, sizeof out->comm, comm, ce);
	if (op->boot_known) {
		out->time_unix_ms = op->boot_ms + (int64_t)(r->usec / 1000);
		out->known |= OOMK_TIME;
	}
	if (at > s)
		out->memcg = first_of(s, at, "cgroup") != NULL;
	else
		out->memcg = op->have_hint && r->seq >= op->hint_seq &&
			     r->seq - op->hint_seq <= SUMMARY_REACH && op->hint_memcg;
	op->have_hint = false;
	parse_sizes(ce + 1, end, out);
	merge_summary(op, r, out, comm, ce);
	return 1;
}

int
oom_parser_feed(struct oom_parser *op, const struct kmsg_record *r, struct oom_kill *out)
{
	const char *s = r->text, *end = s + r->len;

	if (r->prio >= 8)
		return 0; /* facility not 0: written by a user process, not the kernel */
	if (r->len >= 9 && memcmp(s, "oom-kill:", 9) == 0) {
		parse_summary(op, r);
		return 0;
	}
	const char *at = first_of(s, end, "Killed process ");
	if (at && (at == s || (at - s >= 2 && at[-2] == ':' && at[-1] == ' ' &&
			       first_of(s, at, "of memory"))))
		return parse_killed(op, r, at, out);
	/* before 4.19: "Memory cgroup out of memory: Kill process N (c) score N or sacrifice
	 * child" says whether the next kill record is a cgroup's */
	at = first_of(s, end, ": Kill process ");
	if (at) {
		op->have_hint = true;
		op->hint_seq = r->seq;
		op->hint_memcg = first_of(s, at, "cgroup") != NULL;
	}
	return 0;
}

size_t
kmsg_complete_len(const char *buf, size_t len)
{
	while (len && buf[len - 1] != '\n')
		len--;
	return len;
}

int
parse_kmsg(struct oom_parser *op, const char *buf, size_t len,
	   void (*emit)(void *arg, const struct oom_kill *k), void *arg)
{
	const char *pos = buf, *end = buf + len, *ls, *le;
	bool any = false;
	int kills = 0;

	if (!len)
		return -ENODATA;
	while (pu_next_line(&pos, end, &ls, &le)) {
		struct kmsg_record r;
		struct oom_kill k;
		if (ls < le && *ls == ' ')
			continue; /* a dictionary line of the record before */
		if (kmsg_parse_record(ls, (size_t)(le - ls), &r) != 0)
			continue;
		any = true;
		if (oom_parser_feed(op, &r, &k) == 1) {
			emit(arg, &k);
			kills++;
		}
	}
	return any ? kills : -EINVAL;
}
