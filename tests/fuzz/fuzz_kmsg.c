/*
 * parse_kmsg (kernel log records, OOM kills) and the knob parsers. Invariants:
 *   - rc is -ENODATA iff the buffer is empty, else -EINVAL or the number of
 *     kills emitted;
 *   - every kill: comm and paths NUL-terminated inside their arrays, pid >= 0,
 *     known bits only those of enum oomkill_bit, a constraint of [a-z0-9_]
 *     only, oom_score_adj within -1000..1000, KiB values that fit in bytes,
 *     and every unknown field left 0;
 *   - reading the buffer in two pieces split anywhere, as the reader does
 *     (complete lines first, the rest carried over), gives the same kills;
 *   - the knob parsers never accept what they must not: a choice fits and is
 *     plain text.
 */
#include <errno.h>

#include "collect/parse_kmsg.h"
#include "collect/parse_knobs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXK 256

struct kills {
	struct oom_kill v[MAXK];
	size_t n;
};

static void
check_kill(const struct oom_kill *k)
{
	static const uint32_t all = (OOMK_OOM_MEMCG << 1) - 1;

	FUZZ_CHECK(memchr(k->comm, 0, sizeof k->comm) != NULL);
	FUZZ_CHECK(memchr(k->cgroup, 0, sizeof k->cgroup) != NULL);
	FUZZ_CHECK(memchr(k->oom_memcg, 0, sizeof k->oom_memcg) != NULL);
	FUZZ_CHECK(memchr(k->constraint, 0, sizeof k->constraint) != NULL);
	FUZZ_CHECK(k->pid >= 0);
	FUZZ_CHECK((k->known & ~all) == 0);
	for (const char *c = k->constraint; *c; c++)
		FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
	if (k->known & OOMK_ADJ)
		FUZZ_CHECK(k->oom_score_adj >= -1000 && k->oom_score_adj <= 1000);
	else
		FUZZ_CHECK(k->oom_score_adj == 0);
	const struct {
		unsigned bit;
		uint64_t v;
	} kib[] = {
		{ OOMK_TOTAL_VM, k->total_vm_kib }, { OOMK_ANON, k->anon_rss_kib },
		{ OOMK_FILE, k->file_rss_kib },     { OOMK_SHMEM, k->shmem_rss_kib },
		{ OOMK_PGTABLES, k->pgtables_kib },
	};
	for (size_t i = 0; i < sizeof kib / sizeof kib[0]; i++)
		FUZZ_CHECK((k->known & kib[i].bit) ? kib[i].v <= FZ_KIB_MAX : kib[i].v == 0);
	if (!(k->known & OOMK_UID))
		FUZZ_CHECK(k->uid == 0);
	if (!(k->known & OOMK_CONSTRAINT))
		FUZZ_CHECK(k->constraint[0] == 0);
}

static void
collect(void *arg, const struct oom_kill *k)
{
	struct kills *ks = arg;

	check_kill(k);
	if (ks->n < MAXK)
		ks->v[ks->n] = *k;
	ks->n++;
}

static int
run(struct oom_parser *op, const char *data, size_t n, struct kills *ks)
{
	char *buf = fz_dup(data, n);
	int rc = parse_kmsg(op, buf, n, collect, ks);

	free(buf);
	FUZZ_CHECK(rc == -EINVAL || rc == -ENODATA || rc >= 0);
	FUZZ_CHECK((rc == -ENODATA) == (n == 0));
	return rc;
}

static void
knobs(const char *data, size_t n)
{
	char *buf = fz_dup(data, n), w[8];
	int64_t v;
	uint64_t u;

	parse_knob_int(buf, n, &v);
	if (parse_knob_bool(buf, n, &v) == 0)
		FUZZ_CHECK(v == 0 || v == 1);
	if (parse_knob_choice(buf, n, w, sizeof w) == 0) {
		FUZZ_CHECK(strlen(w) > 0 && strlen(w) < sizeof w);
		for (const char *c = w; *c; c++)
			FUZZ_CHECK((*c >= 'a' && *c <= 'z') || *c == '+' || *c == '_' || *c == '-');
	}
	if (parse_meminfo_key(buf, n, "Zswap", &u) == 0)
		FUZZ_CHECK(u <= FZ_KIB_MAX);
	parse_vmstat_key(buf, n, "oom_kill", &u);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	static struct kills whole, parts;
	struct oom_parser op;

	whole.n = parts.n = 0;
	oom_parser_init(&op, 1700000000000, true);
	run(&op, d, size, &whole);

	/* two reads split at a point given by the data, the tail carried over */
	size_t cut = size ? (size_t)data[0] * size / 256 : 0;
	size_t first = kmsg_complete_len(d, cut);
	oom_parser_init(&op, 1700000000000, true);
	if (first)
		run(&op, d, first, &parts);
	if (kmsg_complete_len(d + first, size - first))
		run(&op, d + first, size - first, &parts);
	FUZZ_CHECK(parts.n == whole.n);
	for (size_t i = 0; i < whole.n && i < MAXK; i++)
		FUZZ_CHECK(memcmp(&parts.v[i], &whole.v[i], sizeof whole.v[i]) == 0);
	knobs(d, size);
	return 0;
}
