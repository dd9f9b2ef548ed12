#!/bin/sh
# smaptop performance benchmark (`make bench`). POSIX sh; run from anywhere.
#
# Measures, side by side in one run, smaptop against a "floor" (tests/bench/floor.c:
# open/read-to-EOF/close of the six /proc/PID files smaptop's default view needs,
# no parsing) and against peer tools (ps, top, smem, pmap, cat):
#   1 snapshot   `smaptop --csv` vs floor, ps -eo pid,rss,pss,uss, top -b -n1, smem
#   2 live       `smaptop --csv -n N -d D`: steady-state CPU per refresh
#                ((run of N) - (run of 2)) / (N-2), vs the floor's steady pass with
#                its passes D apart (and, for information, back to back); and the
#                same with cgroups read too (the cgroup column: each process's
#                /proc/PID/cgroup with the details, each cgroup's files once a
#                refresh), against the plain refresh: at most 1.10x; and the same
#                counted in callgrind Ir and system calls (tests/bench/cgroup_ir.sh)
#   3 maps       `smaptop --maps PID` (CSV, table, --group, --json) on a 250,000-mapping
#                process vs `cat /proc/PID/smaps` and `pmap -X PID`, and smaptop's
#                peak RSS per mapping (less its peak for a process of ~20 mappings).
#                As root the bench raises vm.max_map_count for it and restores it
#                (on every exit); otherwise it uses the largest count allowed. Its
#                maps screen in a pty: key to updated screen (tests/bench/maps_keys.py)
#   4 footprint  peak RSS (ru_maxrss) of every snapshot tool with ~500 processes
#   (5 scale: tests/bench/scale.sh, run after this file by `make bench`)
#   8 prometheus tests/bench/prom.sh: --prometheus vs --csv, served scrapes, the peer
#                prometheus-process-exporter, the serving smaptop's RSS
#   + callgrind  profile of `smaptop --csv` with ~500 processes: top 15 by Ir
# Processes come from tests/bench/loadgen.c (shared/private, anonymous/file pages).
#
# Timing: CPU = user+sys of the measured child from wait4() (tests/bench/measure.c),
# each sample the mean of back-to-back repetitions lasting >= MIN_T seconds; the
# table shows medians over RUNS interleaved rounds (A B C A B C ...).
#
# Env: BENCH_QUICK=1 (about a minute: 3 rounds, short live run, 50,000 mappings),
#      BENCH_RUNS=N (rounds), BENCH_MAPS=N (mappings of case 3),
#      B (build dir, default build), SMAPTOP (default ./smaptop), BENCH_NO_CALLGRIND=1.
# Output: the table on stdout and in $B/bench/results.txt; raw samples in
# $B/bench/raw.txt; callgrind data in $B/bench/callgrind.{out,txt}.
# Peer tools that are missing are skipped with a note (nothing is installed here).
# Cleanup: every loadgen is its own process group, created by it; the EXIT trap
# (reached on INT/TERM/HUP too) kills exactly those groups by PGID.

set -u
cd "$(dirname "$0")/../.." || exit 1
BENCH_NAME=bench
. tests/bench/env.sh

QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=""

if [ -n "$QUICK" ]; then
	RUNS=${BENCH_RUNS:-3}; LIVE_RUNS=3; LIVE_N=6; LIVE_D=0.5; MIN_T=0.15
else
	RUNS=${BENCH_RUNS:-7}; LIVE_RUNS=5; LIVE_N=21; LIVE_D=1; MIN_T=0.25
fi
SNAP_PROCS=500   # "~500 processes present" for snapshot, live, footprint, callgrind
# mappings of the per-mapping test process (issue 14: a JVM or database's 250,000)
BIG_MAPS=${BENCH_MAPS:-${QUICK:+50000}}
BIG_MAPS=${BIG_MAPS:-250000}

for h in floor measure loadgen; do build "$h"; done
MEASURE=$BD/measure
RAW=$BD/raw.txt
OUT=$BD/results.txt.new
NOTES=$BD/notes.txt
: >"$RAW"
: >"$NOTES"

# ---------------------------------------------------------------- processes --
# vm.max_map_count as it was, while case 3 has it raised (restored by cleanup too)
MMC_SAVED=""
restore_map_count() {
	[ -n "$MMC_SAVED" ] || return 0
	echo "$MMC_SAVED" >/proc/sys/vm/max_map_count 2>/dev/null ||
		printf 'bench: could not restore vm.max_map_count to %s\n' "$MMC_SAVED" >&2
	MMC_SAVED=""
}
cleanup() {
	stop_all
	restore_map_count
	rm -f "$BD"/lg.pids "$BD"/lg.pids.tmp "$BD"/lg.pids.data*
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# start_loadgen ARG...: loadgen (its own process group) with ARG... and -o; sets LG_PG.
start_loadgen() { start "loadgen $*" "$BD/lg.pids" "$BD/loadgen" -o "$BD/lg.pids" -t 1800 "$@"; LG_PG=$LAST_PG; }

# ---------------------------------------------------------------- sampling --
# m KEY CMD...: one sample of CMD into $RAW as "KEY reps user sys cpu wall maxrss",
# the mean of back-to-back runs lasting >= MIN_T s; m1 KEY CMD...: a single run.
# A failing command records "KEY fail".
m() { mt "$MIN_T" "$@"; }
m1() { mt 0 "$@"; }
mt() { # (function-local names start with _: sh has no local variables)
	_mt=$1; _mk=$2; shift 2
	if _mr=$("$MEASURE" -t "$_mt" -- "$@"); then
		echo "$_mk $_mr" | awk '{printf "%s %s %s %s %.6f %s %s\n", $1,$2,$3,$4,$3+$4,$5,$6}' >>"$RAW"
	else
		echo "$_mk fail" >>"$RAW"
	fi
}
# med KEY FIELD (3 user, 4 sys, 5 cpu, 6 wall, 7 maxrss; seconds / KiB) -> median
med() { awk -v k="$1" -v f="$2" '$1==k && $2!="fail" {print $f}' "$RAW" | median; }
# rounds FIELD KEY...: one line per interleaved round with the i-th sample of each KEY
# (rounds where any KEY failed are left out). Ratios are taken within a round, then
# the median is taken, so slow drift of a noisy machine cancels out.
rounds() {
	_rf=$1; shift
	awk -v f="$_rf" -v keys="$*" 'BEGIN { n = split(keys, K, " "); for (i = 1; i <= n; i++) want[K[i]] = 1 }
	($1 in want) { c[$1]++; v[$1, c[$1]] = ($2 == "fail") ? "fail" : $f }
	END { m = 1e9; for (i = 1; i <= n; i++) if (c[K[i]] + 0 < m) m = c[K[i]] + 0
		for (r = 1; r <= m; r++) { line = ""; ok = 1
			for (i = 1; i <= n; i++) { x = v[K[i], r]; if (x == "fail") ok = 0; line = line (i > 1 ? " " : "") x }
			if (ok) print line } }' "$RAW"
}
medx() { # ratios on stdin -> their median as "1.23x", or nan
	median | awk '{ if ($1 == "nan") print "nan"; else printf "%.2fx\n", $1 }'
}
pratio() { # KEY_B KEY_A -> median over rounds of cpu(B)/cpu(A), as "1.23x"
	rounds 5 "$1" "$2" | awk '$2 > 0 {print $1/$2}' | medx
}
maxof() { awk -v k="$1" -v f="$2" '$1==k && $2!="fail" && $f>x {x=$f} END {print x+0}' "$RAW"; }
failed() { grep -q "^$1 fail" "$RAW"; }

# --------------------------------------------------------------- reporting --
row() { # SECTION CASE PROCS CPU USER SYS WALL MAXRSS RATIO TARGET (numbers in s/KiB)
	awk -v s="$1" -v c="$2" -v n="$3" -v cpu="$4" -v u="$5" -v y="$6" -v w="$7" \
		-v r="$8" -v q="$9" -v t="${10}" 'function ms(x) { return x=="-" || x=="nan" ? x : sprintf("%.2f", x*1000) }
	BEGIN {
		sp = (cpu != "-" && cpu != "nan" && cpu > 0) ? sprintf("%d%%", 100*y/cpu) : "-"
		printf "%-9s %-44s %6s %9s %8s %8s %5s %9s %8s %7s %s\n", s, c, n, ms(cpu), ms(u), ms(y), sp, ms(w), r, q, t
	}' >>"$OUT"
}
hdr() {
	printf '%-9s %-44s %6s %9s %8s %8s %5s %9s %8s %7s %s\n' section case procs cpu_ms user_ms sys_ms sys% \
		wall_ms maxrssKiB ratio "target" >>"$OUT"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="nan" || b=="nan" || b<=0) print "nan"; else printf "%.2fx", a/b }'; }
verdict() { # RATIO_TEXT LIMIT -> PASS/FAIL
	awk -v r="${1%x}" -v l="$2" 'BEGIN { if (r=="nan") print "n/a"; else print (r+0 <= l+0) ? "PASS" : "FAIL" }'
}
kib_verdict() { # KIB LIMIT_KIB -> PASS/FAIL (no reading fails)
	awk -v x="$1" -v l="$2" 'BEGIN { print (x+0 > 0 && x+0 <= l+0) ? "PASS" : "FAIL" }'
}
snaprow() { # SECTION KEY LABEL PROCS BASEKEY [LIMIT]: full row of medians, ratio vs BASEKEY
	if failed "$2" && [ "$(med "$2" 5)" = nan ]; then
		row "$1" "$3 (FAILED)" "$4" - - - - - - -; return
	fi
	_sc=$(med "$2" 5); _sr=$(pratio "$2" "$5")
	_st="-"; [ $# -ge 6 ] && _st="<=${6}x $(verdict "$_sr" "$6")"
	row "$1" "$3" "$4" "$_sc" "$(med "$2" 3)" "$(med "$2" 4)" "$(med "$2" 6)" "$(maxof "$2" 7)" "$_sr" "$_st"
}

# ------------------------------------------------------------ peer tools --
HAVE_PS=""; HAVE_TOP=""; HAVE_SMEM=""; HAVE_PMAP=""; HAVE_VG=""
if command -v ps >/dev/null 2>&1; then
	if ps -eo pid,rss,pss,uss 2>/dev/null | head -1 | grep -q 'PSS.*USS'; then HAVE_PS=1
	else echo "ps: this ps has no pss/uss format keys; skipped" >>"$NOTES"; fi
else echo "ps: not installed; skipped" >>"$NOTES"; fi
if command -v pmap >/dev/null 2>&1; then HAVE_PMAP=1; else echo "pmap: not installed; skipped" >>"$NOTES"; fi
if command -v smem >/dev/null 2>&1; then HAVE_SMEM=1; else echo "smem: not installed (apt-get install smem); skipped" >>"$NOTES"; fi
if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then HAVE_VG=1
else echo "callgrind: valgrind not installed; profile skipped" >>"$NOTES"; fi
[ -n "${BENCH_NO_CALLGRIND:-}" ] && HAVE_VG=""

# top: PSS/USS/SWAP/OOMs columns can only be switched on through a toprc. This is
# procps-ng 4.0.x's own default rc ('W' key) with those four fields turned on in the
# Def window, in place (field code = 2*(index+37)+on: SWAP 120, OOMs 154, PSS 196, USS 204;
# top ignores an rc file whose field order it does not accept, hence the check below).
case $BD in /*) TOPHOME=$BD/tophome ;; *) TOPHOME=$(pwd)/$BD/tophome ;; esac # top needs it absolute
TOP_LABEL="top -b -n1"
if command -v top >/dev/null 2>&1; then
	HAVE_TOP=1
	mkdir -p "$TOPHOME/.config/procps"
	cat >"$TOPHOME/.config/procps/toprc" <<'EOF'
top's Config File (Linux processes with windows)
Id:k, Mode_altscr=0, Mode_irixps=1, Delay_time=3.0, Curwin=0
Def	fieldscur=  75   81  103  105  119  123  129  137  111  117  115  139   76   78   82   84   86   88   90   92 
		    94   96   98  100  106  108  112  121  124  126  130  132  134  140  142  144  146  148  150  152 
		   155  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
		   194  197  198  200  202  205  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
		   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
	winflags=193844, sortindx=18, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
	summclr=1, msgsclr=1, headclr=3, taskclr=1
Job	fieldscur=  75   77  115  111  117   80  103  105  137  119  123  128  120   79  139   82   84   86   88   90 
		    92   94   96   98  100  106  108  112  124  126  130  132  134  140  142  144  146  148  150  152 
		   154  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
		   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
		   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
	winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
	summclr=6, msgsclr=6, headclr=7, taskclr=6
Mem	fieldscur=  75  117  119  120  123  125  127  129  131  154  132  156  135  136  102  104  111  139   76   78 
		    80   82   84   86   88   90   92   94   96   98  100  106  108  112  114  140  142  144  146  148 
		   150  152  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
		   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
		   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
	winflags=193844, sortindx=21, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
	summclr=5, msgsclr=5, headclr=4, taskclr=5
Usr	fieldscur=  75   77   79   81   85   97  115  111  117  137  139   82   86   88   90   92   94   98  100  102 
		   104  106  108  112  118  120  122  124  126  128  130  132  134  140  142  144  146  148  150  152 
		   154  156  158  160  162  164  166  168  170  172  174  176  178  180  182  184  186  188  190  192 
		   194  196  198  200  202  204  206  208  210  212  214  216  218  220  222  224  226  228  230  232 
		   234  236  238  240  242  244  246  248  250  252  254  256  258  260  262  264  266  268  270  272 
	winflags=193844, sortindx=3, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0
	summclr=3, msgsclr=3, headclr=2, taskclr=3
Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0
EOF
	if HOME=$TOPHOME XDG_CONFIG_HOME=$TOPHOME/.config top -b -n1 -w 512 2>/dev/null |
		grep -m1 'PID' | grep -q 'SWAP.*OOMs.*PSS.*USS'; then
		TOP_LABEL="top -b -n1 (+SWAP,OOMs,PSS,USS via toprc)"
	else
		echo "top: toprc field codes not recognised by this top; measured plain top -b -n1 (no PSS)" >>"$NOTES"
		rm -rf "$TOPHOME"; mkdir -p "$TOPHOME"
		TOP_LABEL="top -b -n1 (plain, no PSS)"
	fi
else
	echo "top: not installed; skipped" >>"$NOTES"
fi
topcmd() { (HOME=$TOPHOME XDG_CONFIG_HOME=$TOPHOME/.config; export HOME XDG_CONFIG_HOME; m "$1" top -b -n1 -w 512); }

# ====================================================================== run ==
T0=$(date +%s)
MEM_KIB=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
{
	echo "smaptop benchmark  $(date -u '+%Y-%m-%d %H:%M:%SZ')  kernel $(uname -r)  nproc $(nproc)  MemTotal $((MEM_KIB / 1024)) MiB"
	echo "mode: ${QUICK:+BENCH_QUICK }$RUNS interleaved rounds per comparison (live: $LIVE_RUNS); CPU = user+sys of the child (wait4), medians; ratio = median of per-round ratios; samples = mean of back-to-back reps >= ${MIN_T}s"
} >"$OUT"
hdr

# --- 1, 2, 4 and callgrind: ~SNAP_PROCS processes ----------------------------
base=$(nprocs)
n=$((SNAP_PROCS - base)); [ $n -lt 0 ] && n=0
note "starting loadgen: $n processes x 16 mappings"
start_loadgen -n $n -m 16
P_SNAP=$(nprocs)

r=1
while [ $r -le "$RUNS" ]; do
	note "snapshot round $r/$RUNS ($P_SNAP processes)"
	m snap_floor "$BD/floor"
	m snap_smaptop "$SMAPTOP" --csv
	[ -n "$HAVE_PS" ] && m snap_ps ps -eo pid,rss,pss,uss
	[ -n "$HAVE_TOP" ] && topcmd snap_top
	[ -n "$HAVE_SMEM" ] && m1 snap_smem smem -c "pid pss uss"
	r=$((r + 1))
done

# the columns of `smaptop --csv` (src/main.c machine_default), for the cgroup case
CSV_COLS=pid,ppid,user,state,threads,vsz,rss,rss_anon,rss_file,rss_shmem,pss,pss_anon,pss_file
CSV_COLS=$CSV_COLS,pss_shmem,uss,swap,swap_pss,locked,thp,oom,oom_adj,minflt,majflt,comm,cmd
r=1
while [ $r -le "$LIVE_RUNS" ]; do
	note "live round $r/$LIVE_RUNS (smaptop -n $LIVE_N -d $LIVE_D)"
	m1 live_smaptop_n "$SMAPTOP" --csv -n "$LIVE_N" -d "$LIVE_D"
	m1 live_smaptop_2 "$SMAPTOP" --csv -n 2 -d "$LIVE_D"
	m1 live_floor_n "$BD/floor" -n "$LIVE_N" -d "$LIVE_D"
	m1 live_floor_2 "$BD/floor" -n 2 -d "$LIVE_D"
	m live_floorbb_n "$BD/floor" -n "$LIVE_N"
	m live_floorbb_2 "$BD/floor" -n 2
	m1 live_cgroup_n "$SMAPTOP" --csv --columns "$CSV_COLS,cgroup" -n "$LIVE_N" -d "$LIVE_D"
	m1 live_cgroup_2 "$SMAPTOP" --csv --columns "$CSV_COLS,cgroup" -n 2 -d "$LIVE_D"
	r=$((r + 1))
done

CG_TXT=""
if [ -n "$HAVE_VG" ]; then
	note "callgrind: smaptop --csv with $(nprocs) processes"
	rm -f "$BD/callgrind.out"
	if valgrind --tool=callgrind --callgrind-out-file="$BD/callgrind.out" "$SMAPTOP" --csv \
		>/dev/null 2>"$BD/callgrind.log"; then
		callgrind_annotate "$BD/callgrind.out" >"$BD/callgrind.txt" 2>&1
		CG_TXT=$BD/callgrind.txt
	else
		echo "callgrind: run failed, see $BD/callgrind.log" >>"$NOTES"
	fi
fi
P_CG=$P_SNAP
stop "$LG_PG"

snaprow snapshot snap_floor "floor (6 files/pid, no parsing)" "$P_SNAP" snap_floor
snaprow snapshot snap_smaptop "smaptop --csv" "$P_SNAP" snap_floor 1.2
[ -n "$HAVE_PS" ] && snaprow snapshot snap_ps "ps -eo pid,rss,pss,uss" "$P_SNAP" snap_floor
[ -n "$HAVE_TOP" ] && snaprow snapshot snap_top "$TOP_LABEL" "$P_SNAP" snap_floor
[ -n "$HAVE_SMEM" ] && snaprow snapshot snap_smem "smem -c \"pid pss uss\"" "$P_SNAP" snap_floor

# live: steady-state per refresh = (N-sample run - 2-sample run)/(N-2), per round; medians.
# Two samples, not one, for the base: a one-sample run is a snapshot, which
# walks /proc its own way (see src/collect/procs.c).
steady() { # KEY_N KEY_2 FIELD
	rounds "$3" "$1" "$2" | awk -v n="$LIVE_N" '{ printf "%.6f\n", ($1-$2)/(n-2) }' | median
}
# The floor's passes come -d LIVE_D apart, as smaptop's refreshes do: both read
# /proc with caches gone cold since the last pass. Back to back, the floor's
# passes cost less (8% and 28% in two runs); that figure and smaptop's ratio to
# it follow.
live_ratio() { # FLOOR_N FLOOR_2 -> median over rounds of smaptop's steady cost / the floor's
	rounds 5 live_smaptop_n live_smaptop_2 "$1" "$2" |
		awk '{ f = $3-$4; if (f > 0) print ($1-$2)/f }' | medx
}
fc=$(steady live_floor_n live_floor_2 5)
sc=$(steady live_smaptop_n live_smaptop_2 5)
lr=$(live_ratio live_floor_n live_floor_2)
row live "floor steady pass, -d $LIVE_D ((-n $LIVE_N - -n 2)/$((LIVE_N - 2)))" "$P_SNAP" "$fc" \
	"$(steady live_floor_n live_floor_2 3)" "$(steady live_floor_n live_floor_2 4)" - - 1.00x -
row live "smaptop per refresh (-n $LIVE_N -d $LIVE_D)" "$P_SNAP" "$sc" \
	"$(steady live_smaptop_n live_smaptop_2 3)" "$(steady live_smaptop_n live_smaptop_2 4)" - - "$lr" \
	"<=0.5x $(verdict "$lr" 0.5)"
row live "floor steady pass, back to back" "$P_SNAP" "$(steady live_floorbb_n live_floorbb_2 5)" \
	"$(steady live_floorbb_n live_floorbb_2 3)" "$(steady live_floorbb_n live_floorbb_2 4)" - - - -
row live "  (smaptop per refresh vs that)" "$P_SNAP" - - - - - \
	"$(live_ratio live_floorbb_n live_floorbb_2)" -
row live "  (smaptop per refresh vs floor snapshot run)" "$P_SNAP" - - - - - \
	"$(rounds 5 live_smaptop_n live_smaptop_2 snap_floor |
		awk -v n="$LIVE_N" '$3 > 0 { print ($1-$2)/(n-2)/$3 }' | medx)" -

cgr=$(rounds 5 live_cgroup_n live_cgroup_2 live_smaptop_n live_smaptop_2 |
	awk '{ s = $3-$4; if (s > 0) print ($1-$2)/s }' | medx)
row live "smaptop per refresh, cgroups read too" "$P_SNAP" "$(steady live_cgroup_n live_cgroup_2 5)" \
	"$(steady live_cgroup_n live_cgroup_2 3)" "$(steady live_cgroup_n live_cgroup_2 4)" - - "$cgr" \
	"<=1.10x $(verdict "$cgr" 1.10) (vs smaptop per refresh)"

# footprint: peak RSS with ~SNAP_PROCS processes (from the snapshot runs)
fp=$(maxof snap_smaptop 7)
fv=$(kib_verdict "$fp" 4096)
row footprint "smaptop --csv peak RSS" "$P_SNAP" - - - - "$fp" - "<=4096KiB $fv"
for t in ps top smem; do
	k=snap_$t
	grep -q "^$k [0-9]" "$RAW" && row footprint "$t peak RSS" "$P_SNAP" - - - - "$(maxof $k 7)" \
		"$(ratio "$(maxof $k 7)" "$fp")" "(vs smaptop)"
done

# --- 3: per-mapping view of one process with BIG_MAPS mappings -------------
# The kernel allows a process vm.max_map_count mappings (65530 by default); the
# big process needs BIG_MAPS and ~100 of its own. Raised only for this case.
MMC=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 65530)
MMC_NEED=$((BIG_MAPS + 1000))
if [ "$MMC" -lt "$MMC_NEED" ]; then
	if echo "$MMC_NEED" 2>/dev/null >/proc/sys/vm/max_map_count; then
		MMC_SAVED=$MMC
		note "vm.max_map_count raised from $MMC to $MMC_NEED for case 3"
	else
		echo "maps: cannot raise vm.max_map_count ($MMC) to $MMC_NEED (not root?): $((MMC - 1000)) mappings instead of $BIG_MAPS" >>"$NOTES"
		BIG_MAPS=$((MMC - 1000))
	fi
fi
note "starting loadgen: one process with $BIG_MAPS mappings"
start_loadgen -n 0 -k "$BIG_MAPS"
BIG=$(awk '$1 == "big" {print $2}' "$BD/lg.pids")
NMAPS=$(wc -l <"/proc/$BIG/maps")
# the baseline of the memory per mapping: smaptop --maps of a small process
# (loadgen's parent: its own ~20 mappings)
NSMALL=$(wc -l <"/proc/$LG_PG/maps")
r=1
while [ $r -le "$RUNS" ]; do
	note "maps round $r/$RUNS (pid $BIG, $NMAPS mappings)"
	m maps_cat cat "/proc/$BIG/smaps"
	m maps_smaptop "$SMAPTOP" --maps "$BIG" --csv
	m maps_table "$SMAPTOP" --maps "$BIG"
	m maps_group "$SMAPTOP" --maps "$BIG" --group
	m maps_json "$SMAPTOP" --maps "$BIG" --json
	m1 maps_small "$SMAPTOP" --maps "$LG_PG" --csv
	[ -n "$HAVE_PMAP" ] && m maps_pmap pmap -X "$BIG"
	r=$((r + 1))
done
# The maps screen of the big process in a pty: key to updated screen (maps_keys.py).
note "maps screen: key-to-screen times in a pty"
MK_ROUNDS=20; [ -n "$QUICK" ] && MK_ROUNDS=6
python3 tests/bench/maps_keys.py "$SMAPTOP" "$BIG" "$MK_ROUNDS" >"$BD/maps_keys.txt" 2>&1 ||
	echo "maps: maps_keys.py failed: $(tail -1 "$BD/maps_keys.txt")" >>"$NOTES"
stop "$LG_PG"
restore_map_count
snaprow maps maps_cat "cat /proc/PID/smaps ($NMAPS mappings)" 1 maps_cat
snaprow maps maps_smaptop "smaptop --maps PID --csv" 1 maps_cat 1.3
snaprow maps maps_table "smaptop --maps PID (table)" 1 maps_cat 1.3
snaprow maps maps_group "smaptop --maps PID --group" 1 maps_cat 1.3
snaprow maps maps_json "smaptop --maps PID --json" 1 maps_cat 1.3
[ -n "$HAVE_PMAP" ] && snaprow maps maps_pmap "pmap -X PID" 1 maps_cat
[ -n "$HAVE_PMAP" ] && row maps "smaptop --maps PID --csv vs pmap -X PID" 1 - - - - - \
	"$(pratio maps_smaptop maps_pmap)" "(vs pmap -X)"
for kind in scroll resort; do
	# shellcheck disable=SC2046 # "kind n median max"
	set -- $(grep "^$kind " "$BD/maps_keys.txt" 2>/dev/null)
	[ $# -eq 4 ] || continue
	row maps "maps screen: $kind key to screen ($2 keys, median)" 1 - - - \
		"$(awk -v x="$3" 'BEGIN { print x / 1000 }')" - "max ${4}ms" \
		"<=100ms $(awk -v x="$4" 'BEGIN { print (x + 0 <= 100) ? "PASS" : "FAIL" }')"
done
# Memory: (peak RSS of --maps of the big process - that of the small one) per mapping.
small=$(maxof maps_small 7)
for k in maps_smaptop maps_table maps_group maps_json; do
	bpm=$(awk -v b="$(maxof $k 7)" -v s="$small" -v n="$NMAPS" -v n0="$NSMALL" \
		'BEGIN { if (b > 0 && s > 0 && n > n0) printf "%.0f", (b - s) * 1024 / (n - n0); else print "nan" }')
	v=$(awk -v x="$bpm" 'BEGIN { print (x != "nan" && x + 0 <= 80) ? "PASS" : "FAIL" }')
	row maps "$k peak RSS - small's ($small KiB), per mapping" 1 - - - - "$(maxof $k 7)" \
		"${bpm}B" "<=80B $v"
done

# --- 6: TUI footprint with ten minutes of history ------------------------------
# The interactive view in a private tmux server with ~SNAP_PROCS processes. History
# is kept by sample count (600 per ring, the compact rings consolidate by count),
# so a short delay (-d TUI_D) fills ten minutes' worth of 1 s samples quickly. The
# system screen is watched: its graph's age label grows until the system ring holds
# 600 samples and then stays put (a sliding window), by which time every process
# ring holds its 600 samples too. Then the detail screen of the selected process is
# opened (its ring switches to full detail), the refresh goes back to 1 s, and
# VmRSS (median of five readings) and VmHWM are read from /proc/PID/status.
# Target (issue #5, 4b): <= 5 MiB of VmRSS, the resident size by which the issue
# weighs htop and btop. VmHWM is shown beside it: the peak inside a refresh, when
# the next array of processes is held too.
# The run is written to $BD/tui_footprint.sh and, when unshare(1) may make a PID
# namespace (root), run in one with its own /proc: smaptop then sees exactly the
# loadgen population, whatever else runs on the machine; everything in it ends
# with the namespace. Otherwise it runs here and counts what /proc holds.
TUI_D=0.1
TUI_TARGET=5120
# Shared by the TUI cases, sourced with SMAPTOP LOADGEN DIR PROCS DELAY set:
# tops the population up to PROCS with a loadgen, starts smaptop -d DELAY in a
# private tmux server, sets $pid (smaptop) and $procs; everything ends on exit.
cat >"$BD/tui_setup.sh" <<'EOS'
TS=smaptop-bench-$$-$(date +%s); LGP=""
nprocs() { set -- /proc/[0-9]*; echo $#; }
end() { tmux -L "$TS" kill-server 2>/dev/null; [ -n "$LGP" ] && kill -9 -"$LGP" 2>/dev/null; wait 2>/dev/null; }
trap end EXIT
trap 'exit 130' INT TERM HUP
n=$((WANT - $(nprocs))); [ $n -lt 0 ] && n=0
rm -f "$DIR/tui.pids"
"$LG" -o "$DIR/tui.pids" -t 1800 -n $n -m 16 &
LGP=$!
i=0
while [ ! -s "$DIR/tui.pids" ]; do
	kill -0 "$LGP" 2>/dev/null || exit 1
	[ $i -lt 1800 ] || exit 1
	sleep 0.1; i=$((i + 1))
done
procs=$(nprocs)
tmux -L "$TS" -f /dev/null new-session -d -x 140 -y 40 "exec env TERM=xterm-256color LC_ALL=C.UTF-8 $SMAPTOP -d $D"
sleep 1
pid=$(tmux -L "$TS" list-panes -F '#{pane_pid}' 2>/dev/null)
[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = smaptop ] || exit 1
EOS
cat >"$BD/tui_footprint.sh" <<'EOS'
# tui_footprint.sh SMAPTOP LOADGEN DIR DELAY PROCS: prints "procs rss_kib hwm_kib span_s"
SMAPTOP=$1; LG=$2; DIR=$3; D=$4; WANT=$5
. "$DIR/tui_setup.sh"
tmux -L "$TS" send-keys S
# The system screen's graph fills as the ring does (tests/bench/plotted.py).
plotted() { tmux -L "$TS" capture-pane -p | python3 tests/bench/plotted.py; }
best=0; still=0; t0=$(date +%s)
while [ $still -lt 4 ] && [ $(($(date +%s) - t0)) -lt 900 ]; do
	sleep 5
	np=$(nprocs); [ "$np" -gt "$procs" ] && procs=$np # the most seen in the run
	cells=$(plotted)
	if [ "${cells:-0}" -gt "$best" ]; then best=$cells; still=0
	elif [ "$best" -gt 0 ]; then still=$((still + 1)); fi
done
best=$((best * 600 / 132)) # seconds the ring spanned
tmux -L "$TS" send-keys Escape
sleep 0.5
tmux -L "$TS" send-keys Enter
# Back to the default 1 s refresh (0.1 -> 0.2 -> 0.5 -> 1), as a user who kept
# it open for ten minutes would have it, so that a reading rarely lands inside
# a refresh; VmRSS is the median of five readings, VmHWM the peak of the run.
tmux -L "$TS" send-keys + + +
sleep 3
rss=$(for i in 1 2 3 4 5; do awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status; sleep 0.3; done |
	sort -n | sed -n 3p)
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/"$pid"/status)
[ -n "$rss" ] && echo "$procs $rss $hwm $best"
EOS
if command -v tmux >/dev/null 2>&1; then
	TUI_NS=""
	unshare -pf --mount-proc true 2>/dev/null && TUI_NS="unshare -pf --mount-proc"
	note "tui footprint: ${TUI_NS:+in a PID namespace, }$SNAP_PROCS processes, -d $TUI_D"
	TUI_OUT=$($TUI_NS sh "$BD/tui_footprint.sh" "$SMAPTOP" "$BD/loadgen" "$BD" "$TUI_D" "$SNAP_PROCS")
	if [ -n "$TUI_OUT" ]; then
		set -- $TUI_OUT
		echo "tui footprint: ${TUI_NS:+PID namespace, }system history spanned ${4}s at -d $TUI_D when read" >>"$NOTES"
		row footprint "smaptop TUI VmRSS, 600 samples of history" "$1" - - - - "$2" - \
			"<=${TUI_TARGET}KiB $(kib_verdict "$2" "$TUI_TARGET")"
		row footprint "smaptop TUI VmHWM (refresh peak), same run" "$1" - - - - "$3" - -
	else
		row footprint "smaptop TUI (FAILED)" - - - - - - - - -
	fi
else
	echo "tui footprint: skipped, tmux is missing" >>"$NOTES"
fi

# --- 7: TUI CPU per refresh ----------------------------------------------------
# The interactive view at -d 1 in tmux, with ~SNAP_PROCS processes (in a PID
# namespace when possible, as above): the CPU time of all of smaptop's threads
# (schedstat, nanoseconds) over three windows of TUI_S seconds after a warm-up
# of one PSS age bound, divided by the refreshes made; the median window
# against the floor's steady pass.
TUI_S=10
cat >"$BD/tui_cpu.sh" <<'EOS'
# tui_cpu.sh SMAPTOP LOADGEN DIR PROCS SECONDS: prints "procs seconds_per_refresh"
SMAPTOP=$1; LG=$2; DIR=$3; WANT=$4; S=$5; D=1
. "$DIR/tui_setup.sh"
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { print t + 0 }'; }
sleep 7 # past one PSS age bound: the reads are spread by now
for w in 1 2 3; do
	c0=$(cpu_ns "$pid"); sleep "$S"; c1=$(cpu_ns "$pid")
	awk -v a="$c0" -v b="$c1" -v s="$S" 'BEGIN { if (b > a) printf "%.6f\n", (b - a) / 1e9 / s }'
done | sort -n | sed -n 2p | awk -v p="$procs" '{ print p, $1 }'
EOS
if command -v tmux >/dev/null 2>&1; then
	note "tui cpu: ${TUI_NS:+in a PID namespace, }$SNAP_PROCS processes, -d 1, ${TUI_S} s"
	TUI_CPU=$($TUI_NS sh "$BD/tui_cpu.sh" "$SMAPTOP" "$BD/loadgen" "$BD" "$SNAP_PROCS" "$TUI_S")
	if [ -n "$TUI_CPU" ]; then
		set -- $TUI_CPU
		r=$(awk -v c="$2" -v f="$fc" 'BEGIN { if (f > 0) printf "%.2fx", c / f; else print "nan" }')
		row live "smaptop TUI per refresh (-d 1, 3 x ${TUI_S} s)" "$1" "$2" - - - - "$r" \
			"<=0.5x $(verdict "$r" 0.5)"
	else
		row live "smaptop TUI per refresh (FAILED)" - - - - - - - - -
	fi
fi

# --- 6b: TUI footprint on the machine's own /proc ----------------------------
# After a run in a namespace, case 6 again on the machine's own /proc: there the
# scan also meets the kernel threads, which the view hides (a reserve that
# counted only the processes kept once doubled the array of every scan, unseen
# in a namespace). Run last: its 500 processes end just before the next case.
if [ -n "${TUI_NS:-}" ]; then
	kt=$(ps --ppid 2 -p 2 --no-headers 2>/dev/null | wc -l)
	note "tui footprint: host /proc, $SNAP_PROCS processes and $kt kernel threads"
	TUI_OUT=$(sh "$BD/tui_footprint.sh" "$SMAPTOP" "$BD/loadgen" "$BD" "$TUI_D" \
		"$((SNAP_PROCS + kt))")
	if [ -n "$TUI_OUT" ]; then
		set -- $TUI_OUT
		row footprint "smaptop TUI VmRSS, host /proc (+$kt kthreads)" "$1" - - - - "$2" - \
			"<=${TUI_TARGET}KiB $(kib_verdict "$2" "$TUI_TARGET")"
	else
		row footprint "smaptop TUI, host /proc (FAILED)" - - - - - - - - -
	fi
fi

# --- 2, counted: what cgroups add to a refresh in instructions and system calls
# (tests/bench/cgroup_ir.sh, in a PID namespace of its own): not moved by load.
note "cgroup cost counted: tests/bench/cgroup_ir.sh"
B=$B SMAPTOP=$SMAPTOP SNAP_PROCS=$SNAP_PROCS BENCH_QUICK=${QUICK:+1} sh tests/bench/cgroup_ir.sh \
	>>"$OUT" 2>&1 || echo "cgroup Ir: FAILED" >>"$OUT"

# --- 8: the Prometheus exporter (tests/bench/prom.sh, which also runs alone) ----
# --prometheus against --csv, a served scrape's CPU (first and steady), Debian's
# prometheus-process-exporter side by side, the serving smaptop's VmRSS.
note "prometheus exporter: tests/bench/prom.sh"
if B=$B SMAPTOP=$SMAPTOP BENCH_RUNS=$RUNS SNAP_PROCS=$SNAP_PROCS sh tests/bench/prom.sh >"$BD/prom.out"; then
	cat "$BD/prom.out" >>"$OUT"
else
	echo "prometheus exporter: FAILED (see $BD/prom.out)" >>"$OUT"
fi

# --- notes, callgrind, output ------------------------------------------------
{
	for k in snap_smaptop live_smaptop_n maps_smaptop maps_json; do
		awk -v k="$k" -v u="$(med $k 3)" -v y="$(med $k 4)" 'BEGIN { if (u+y > 0)
			printf "user vs sys (medians): %-15s user %.0f%%, sys %.0f%%\n", k, 100*u/(u+y), 100*y/(u+y) }'
	done
	sed 's/^/note: /' "$NOTES"
	if [ -n "$CG_TXT" ]; then
		tot=$(awk '/PROGRAM TOTALS/ {print $1; exit}' "$CG_TXT")
		echo "callgrind: smaptop --csv, $P_CG processes, $tot Ir total; top 15 functions by self Ir ($CG_TXT):"
		awk '/file:function/ {go=1; next} go && NF && /[0-9]/ {print "  " $0; if (++k == 15) exit}' "$CG_TXT"
	fi
	echo "total bench wall time: $(($(date +%s) - T0)) s"
} >>"$OUT"
mv "$OUT" "$BD/results.txt"
cat "$BD/results.txt"
