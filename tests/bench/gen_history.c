/* gen_history: a synthetic recording for smaptop's benchmark, written through
 * the store (src/store) exactly as `smaptop --record` writes it.
 *
 *   gen_history -o FILE [-p PROCS] [-c CHANGING] [-s SAMPLES] [-i INTERVAL_MS]
 *
 * PROCS processes (default 500) with realistic sizes; at every sample
 * CHANGING of them (default 50, chosen at random) change RSS, PSS, USS and
 * their fault count; the others stay as they were. SAMPLES samples (default
 * 60480: 7 days at 10 s) INTERVAL_MS apart (default 10000) ending now.
 * Prints "samples N rows R bytes B" (B: pages in use, freelist excluded).
 *
 * Build: see tests/bench/run.sh (links build/libsmaptop.a and sqlite3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/select.h"
#include "model/table.h"
#include "store/store.h"
#include "util/xalloc.h"

int
main(int argc, char **argv)
{
	const char *out = NULL;
	long nproc = 500, nchg = 50, nsamp = 60480, iv = 10000;
	int opt;

	while ((opt = getopt(argc, argv, "o:p:c:s:i:")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'p': nproc = atol(optarg); break;
		case 'c': nchg = atol(optarg); break;
		case 's': nsamp = atol(optarg); break;
		case 'i': iv = atol(optarg); break;
		default: return 2;
		}
	}
	if (!out || nproc < 1 || nchg < 0 || nchg > nproc || nsamp < 1 || iv < 1) {
		fprintf(stderr, "usage: gen_history -o FILE [-p N] [-c N] [-s N] [-i MS]\n");
		return 2;
	}
	struct table t;
	struct rows rows = { 0 };
	struct store *st;
	struct buf err = BUF_INIT;
	struct store_wopts wo = { .retain_days = 0, .boot_id = "0c5a3b2e-1d2e-4f00-9a1b-0123456789ab" };
	unsigned seed = 42;

	table_init(&t);
	t.procs = xcalloc((size_t)nproc, sizeof *t.procs);
	t.n = (size_t)nproc;
	for (long i = 0; i < nproc; i++) {
		struct proc *p = &t.procs[i];
		int64_t rss = 1000 + rand_r(&seed) % 30000;
		proc_set(p, F_PID, 1000 + i);
		p->start_ticks = 5000 + (uint64_t)i;
		proc_set(p, F_PPID, 1);
		proc_set(p, F_UID, 1000);
		proc_set(p, F_START, 1700000000);
		proc_set(p, F_VSZ, rss * 4 + 20000);
		proc_set(p, F_RSS, rss);
		proc_set(p, F_RSS_ANON, rss / 2);
		proc_set(p, F_RSS_FILE, rss - rss / 2);
		proc_set(p, F_RSS_SHMEM, 0);
		proc_set(p, F_PSS, rss * 3 / 4);
		proc_set(p, F_PSS_ANON, rss / 2);
		proc_set(p, F_PSS_FILE, rss * 3 / 4 - rss / 2);
		proc_set(p, F_PSS_SHMEM, 0);
		proc_set(p, F_USS, rss / 2);
		proc_set(p, F_SWAP, 0);
		proc_set(p, F_SWAP_PSS, 0);
		proc_set(p, F_LOCKED, 0);
		proc_set(p, F_THP, 0);
		proc_set(p, F_OOM_SCORE, 666 + rss / 10000);
		proc_set(p, F_OOM_ADJ, 0);
		proc_set(p, F_MINFLT, 300 + rand_r(&seed) % 5000);
		proc_set(p, F_MAJFLT, rand_r(&seed) % 20);
		proc_set(p, F_THREADS, 1 + rand_r(&seed) % 8);
		char name[24];
		proc_set_comm(p, name, (size_t)snprintf(name, sizeof name, "proc%ld", i));
		p->known |= FIELD_BIT(F_COMM);
	}
	t.sys.known = (1u << M_NUM) - 1;
	for (int f = 0; f < M_NUM; f++)
		t.sys.val[f] = 1000000 + (uint64_t)f;
	rows.v = xcalloc((size_t)nproc, sizeof *rows.v);
	rows.n = rows.cap = (size_t)nproc;
	for (long i = 0; i < nproc; i++)
		rows.v[i] = &t.procs[i];
	if (store_open_write(&st, out, &wo, &err) < 0) {
		fprintf(stderr, "gen_history: %s\n", err.data);
		return 1;
	}
	int64_t now = (int64_t)time(NULL) * 1000;
	for (long s = 0; s < nsamp; s++) {
		t.wall_ms = now - (nsamp - 1 - s) * iv;
		t.dt_ms = (uint64_t)iv;
		t.sys.val[M_FREE] += (uint64_t)(rand_r(&seed) % 100);
		for (long k = 0; k < nchg; k++) {
			struct proc *p = &t.procs[rand_r(&seed) % nproc];
			int64_t d = rand_r(&seed) % 512 - 200;
			if (proc_val(p, F_RSS) + d < 500)
				d = -d;
			static const enum field moved[] = { F_RSS, F_RSS_ANON, F_PSS, F_PSS_ANON, F_USS };
			for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++)
				proc_store(p, moved[i], proc_val(p, moved[i]) + d);
			proc_store(p, F_MINFLT, proc_val(p, F_MINFLT) + 1 + rand_r(&seed) % 64);
		}
		if (store_append(st, &t, &rows, &err) < 0) {
			fprintf(stderr, "gen_history: %s\n", err.data);
			return 1;
		}
	}
	store_close(st);
	free(rows.v);
	table_fini(&t);
	return 0;
}
