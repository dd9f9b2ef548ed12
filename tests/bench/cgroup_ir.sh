#!/bin/sh
# What reading cgroups costs a live refresh, counted rather than timed, so the
# figure does not depend on what else the machine runs: in a PID namespace of
# its own (only its processes in /proc) with ~SNAP_PROCS loadgen processes,
# `smaptop --csv -n N -d D` runs under callgrind with the default columns and
# with the cgroup column too (each process's /proc/PID/cgroup, each cgroup's
# files once a refresh), and the same with -n 2. Per steady refresh:
#   Ir       = (Ir of -n N - Ir of -n 2) / (N - 2), user-space instructions;
#   syscalls = the same difference of strace -c -f counts (kernel work Ir
#              does not see), when strace is there.
# Prints both, and the cgroup case against the plain one (the issue's goal:
# at most 1.10x). Run by tests/bench/run.sh; alone:
#   sh tests/bench/cgroup_ir.sh            (SNAP_PROCS=500, N=12, D=0.5)
#   BENCH_QUICK=1 sh tests/bench/cgroup_ir.sh   (100 processes, N=5)
# Env: B (build dir), SMAPTOP. Needs root or user namespaces for unshare -pf;
# without it, or without valgrind, says so and exits 0.
set -u
cd "$(dirname "$0")/../.." || exit 1
BENCH_NAME="cgroup Ir"
. tests/bench/env.sh
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK:-0}" != 0 ]; then
	NP=100 N=5 D=0.5
else
	NP=${SNAP_PROCS:-500} N=${CG_IR_N:-12} D=0.5
fi
COLS=pid,ppid,user,state,threads,vsz,rss,rss_anon,rss_file,rss_shmem,pss,pss_anon,pss_file
COLS=$COLS,pss_shmem,uss,swap,swap_pss,locked,thp,oom,oom_adj,minflt,majflt,comm,cmd

command -v valgrind >/dev/null 2>&1 || { echo "cgroup Ir: skipped (no valgrind)"; exit 0; }
unshare -pf --mount-proc true 2>/dev/null || { echo "cgroup Ir: skipped (no PID namespace)"; exit 0; }
[ -x "$BD/loadgen" ] || build loadgen
HAVE_STRACE=""
command -v strace >/dev/null 2>&1 && HAVE_STRACE=1

# Inside the namespace: loadgen, then every run; one line per run: KEY IR SYSCALLS.
cat >"$BD/cgroup_ir_ns.sh" <<'EOF'
set -u
SMAPTOP=$1 BD=$2 NP=$3 N=$4 D=$5 COLS=$6 HAVE_STRACE=$7
rm -f "$BD/cgir.pids"
"$BD/loadgen" -o "$BD/cgir.pids" -t 900 -n "$NP" -m 16 &
LG=$!
i=0
while [ ! -s "$BD/cgir.pids" ]; do
	kill -0 "$LG" 2>/dev/null || { echo "loadgen failed" >&2; exit 1; }
	[ $i -lt 1800 ] || { echo "loadgen not ready" >&2; kill -9 -"$LG"; exit 1; }
	sleep 0.1; i=$((i + 1))
done
one() { # KEY ARGS...
	k=$1; shift
	valgrind --tool=callgrind --callgrind-out-file="$BD/cgir.$k.out" "$SMAPTOP" "$@" \
		>/dev/null 2>"$BD/cgir.$k.log" || { echo "$k fail"; return; }
	ir=$(awk '/Collected :/ { print $NF }' "$BD/cgir.$k.log")
	sc=-
	if [ -n "$HAVE_STRACE" ]; then
		strace -f -c -U calls,name -o "$BD/cgir.$k.strace" "$SMAPTOP" "$@" >/dev/null 2>&1 &&
			sc=$(awk '$2 == "total" { print $1 }' "$BD/cgir.$k.strace")
	fi
	echo "$k $ir $sc"
}
one plain_n --csv -n "$N" -d "$D"
one plain_2 --csv -n 2 -d "$D"
one cgroup_n --csv --columns "$COLS,cgroup" -n "$N" -d "$D"
one cgroup_2 --csv --columns "$COLS,cgroup" -n 2 -d "$D"
kill -9 -"$LG" 2>/dev/null
wait "$LG" 2>/dev/null
exit 0
EOF
res=$(unshare -pf --mount-proc sh "$BD/cgroup_ir_ns.sh" "$SMAPTOP" "$BD" "$NP" "$N" "$D" "$COLS" \
	"$HAVE_STRACE") || { echo "cgroup Ir: FAILED"; exit 1; }
echo "$res" | awk -v n="$N" -v np="$NP" '
	{ ir[$1] = $2; sc[$1] = $3 }
	END {
		if (!("plain_n" in ir) || ir["plain_n"] == "fail" || ir["cgroup_n"] == "fail") {
			print "cgroup Ir: FAILED"; exit 1 }
		p = (ir["plain_n"] - ir["plain_2"]) / (n - 2)
		c = (ir["cgroup_n"] - ir["cgroup_2"]) / (n - 2)
		printf "cgroup Ir: %d processes, per steady refresh (-n %d - -n 2)/%d: plain %.0f Ir, cgroups %.0f Ir, %.3fx\n", np, n, n - 2, p, c, c / p
		if (sc["plain_n"] != "-" && sc["plain_n"] != "") {
			ps = (sc["plain_n"] - sc["plain_2"]) / (n - 2)
			cs = (sc["cgroup_n"] - sc["cgroup_2"]) / (n - 2)
			printf "cgroup syscalls: plain %.0f, cgroups %.0f per refresh, %.3fx\n", ps, cs, cs / ps }
	}'
