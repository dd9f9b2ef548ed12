#!/bin/sh
# smaptop on a big machine (`make bench`, after run.sh; issue #14). POSIX sh.
#
# The load: /proc topped up to 500, 2,000, 5,000 and 10,000 processes with
# tests/bench/loadgen.c (16 mappings each at every size: a child costs the
# kernel well under 1 MiB, so 10,000 fit in 24 GiB without making them
# smaller, and every size does the same work per process), the machine's own
# processes besides; and, throughout, one process with 2,000 threads and its
# one-thread twin (tests/bench/threads.c). Every ratio is to the floor
# (tests/bench/floor.c) measured in the same rounds, as in run.sh.
#   snapshot  `smaptop --csv` CPU vs one floor pass: <= 1.2x at every size;
#             CPU per process at the largest size vs the smallest: <= 1.10x
#   peak      ru_maxrss of `smaptop --csv`: <= 4 MiB + 0.25 KiB per process
#   live      `--csv -n N -d D`, steady state per refresh ((run of N - run of
#             2) / (N - 2), as run.sh's case 2) vs the floor's steady pass, its
#             passes D apart: <= 0.5x; and the oldest PSS shown in a run of
#             10 s and more (the pss_age column) is within the age bound, 5 s
#   view      at the smallest and the largest size, the view at rest with a
#             full history: -d 0.1 until the system ring holds its 600 samples
#             (ten minutes' worth at the default 1 s: rings are kept by count),
#             seen when the system screen's graph stops growing; then the
#             detail screen, back to -d 1, and VmRSS (median of five readings)
#             <= 5 MiB + 0.75 KiB per process, and <= htop's VmRSS, htop (PSS
#             column on, 1 s refresh, configured in a private HOME) beside it
#   keys      tests/bench/keylat.c at the largest size: smaptop -d 1 in a pty,
#             200 keys (move, sort, filter, screen switch) at random moments:
#             key to settled screen, p99 <= 50 ms
#   threads   `--csv -p` of the 2,000-thread process vs its twin, each less a
#             `--csv -p` of an idle one-thread process: <= 1.10x
#
# Limits: pid_max and threads-max are raised for the run when the load needs
# more (and restored on exit); RLIMIT_NPROC, which root is not held to, only
# skips a size for other users. A size whose processes would not fit in half
# of MemAvailable is skipped with a note.
# Env: BENCH_QUICK=1 (sizes 300 1000, 3 rounds, 40 keys, the view at the last
#      size only: five minutes on a quiet machine), BENCH_RUNS=N, B (build dir), SMAPTOP.
# Output: the table on stdout and in $B/bench/scale.txt; raw samples in
# $B/bench/scale_raw.txt.
# Cleanup: on every exit, INT/TERM/HUP included, loadgen's process group (it
# makes its own) is killed by PGID, the threads processes by PID, the tmux
# server by its private socket, and the sysctls are restored; keylat ends the
# smaptop it runs itself.

set -u
cd "$(dirname "$0")/../.." || exit 1
BENCH_NAME=bench
. tests/bench/env.sh

QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=""
if [ -n "$QUICK" ]; then
	SIZES="300 1000"; RUNS=${BENCH_RUNS:-3}; LIVE_RUNS=2; LIVE_N=6; LIVE_D=0.5
	KEYS=40; VIEW_SIZES=1000; MIN_T=0.15
else
	SIZES="500 2000 5000 10000"; RUNS=${BENCH_RUNS:-5}; LIVE_RUNS=3; LIVE_N=11; LIVE_D=1
	KEYS=200; VIEW_SIZES="500 10000"; MIN_T=0.25
fi
AGE_MS=5000    # smaptop's default PSS age bound (--pss-max-age)
THREADS=2000

for h in floor measure loadgen; do build "$h"; done
build keylat -lutil
build threads -pthread
RAW=$BD/scale_raw.txt
OUT=$BD/scale.txt.new
NOTES=$BD/scale_notes.txt
: >"$RAW"
: >"$NOTES"
case $BD in /*) ABD=$BD ;; *) ABD=$(pwd)/$BD ;; esac # htop's HOME must be absolute

# ------------------------------------------------------------ processes, limits --
SYSCTLS="" TS=smaptop-scale-$$
cleanup() {
	tmux -L "$TS" kill-server 2>/dev/null
	stop_all
	wait 2>/dev/null
	for _s in $SYSCTLS; do echo "${_s#*=}" >"${_s%%=*}"; done
	rm -rf "$BD"/scale.pids* "$BD"/thr.pids* "$BD/htophome"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ntasks() { awk '{ split($4, a, "/"); print a[2] }' /proc/loadavg; }
# raise FILE WANT: a sysctl below WANT is raised to it for the run
raise() {
	_cur=$(cat "$1")
	[ "$_cur" -ge "$2" ] && return 0
	if echo "$2" >"$1" 2>/dev/null; then
		SYSCTLS="$SYSCTLS $1=$_cur"
		echo "$1 raised from $_cur to $2 for the run" >>"$NOTES"
	else
		echo "$1 is $_cur, below the $2 the load may need, and cannot be raised" >>"$NOTES"
	fi
}
MAXSIZE=0; for S in $SIZES; do MAXSIZE=$S; done
NEED=$((MAXSIZE + THREADS + $(ntasks) + 4096))
raise /proc/sys/kernel/pid_max "$NEED"
raise /proc/sys/kernel/threads-max "$((NEED * 2))"
NPROC_LIM=$(awk '/^Max processes/ { print $3 }' /proc/self/limits)
[ "$(id -u)" = 0 ] && NPROC_LIM=unlimited

# ------------------------------------------------------------------ sampling --
# m KEY MIN_T CMD...: one sample into $RAW, "KEY reps user sys wall maxrss"
# (the mean of runs lasting >= MIN_T s; 0: one run), or "KEY fail".
m() {
	_k=$1 _t=$2; shift 2
	if _r=$("$BD/measure" -t "$_t" -- "$@"); then echo "$_k $_r" >>"$RAW"; else echo "$_k fail" >>"$RAW"; fi
}
# cpus KEY...: one line per round, the CPU (user+sys, s) of the round's sample of
# each KEY; rounds where one failed are left out.
cpus() {
	awk -v keys="$*" 'BEGIN { n = split(keys, K, " "); for (i = 1; i <= n; i++) want[K[i]] = 1 }
	($1 in want) { c[$1]++; v[$1, c[$1]] = $2 == "fail" ? "fail" : $3 + $4 }
	END { r = 1e9; for (i = 1; i <= n; i++) if (c[K[i]] + 0 < r) r = c[K[i]] + 0
		for (j = 1; j <= r; j++) { l = ""; ok = 1
			for (i = 1; i <= n; i++) { x = v[K[i], j]; if (x == "fail") ok = 0; l = l " " x }
			if (ok) print substr(l, 2) } }' "$RAW"
}
maxrss() { awk -v k="$1" '$1 == k && $2 != "fail" && $6 > x { x = $6 } END { print x + 0 }' "$RAW"; }

# ----------------------------------------------------------------- the table --
row() { # SECTION CASE PROCS MEASURED TARGET VERDICT
	printf '%-9s %-46s %6s %-30s %-12s %s\n' "$@" >>"$OUT"
}
# verdict VALUE LIMIT: met when VALUE <= LIMIT ("n/a" without a value)
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { if (v == "nan" || v == "") print "n/a"; else print (v + 0 <= l + 0) ? "met" : "NOT MET" }'; }
x2() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "nan"; else printf "%.2f", v }'; }
. tests/bench/scale_view.sh

T0=$(date +%s)
{
	echo "smaptop at scale  $(date -u '+%Y-%m-%d %H:%M:%SZ')  kernel $(uname -r)  nproc $(nproc)  MemTotal $(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024)) MiB"
	echo "mode: ${QUICK:+BENCH_QUICK }$RUNS rounds per comparison (live: $LIVE_RUNS); CPU = user+sys of the child (wait4); ratios are medians of per-round ratios"
} >"$OUT"
row section case procs measured target verdict

# ------------------------------------------------- threads: 2,000 vs one --
start threads "$BD/thr.pids" "$BD/threads" -o "$BD/thr.pids" -n "$THREADS" -m 64 -t 3600
THR=$(awk '{ print $2 }' "$BD/thr.pids")
start twin "$BD/thr.pids.twin" "$BD/threads" -o "$BD/thr.pids.twin" -n "$THREADS" -m 64 -x -t 3600
TWIN=$(awk '{ print $2 }' "$BD/thr.pids.twin")
start idle "$BD/thr.pids.idle" "$BD/threads" -o "$BD/thr.pids.idle" -n 1 -m 0 -t 3600
IDLE=$(awk '{ print $2 }' "$BD/thr.pids.idle")
r=1
while [ $r -le "$RUNS" ]; do
	note "threads round $r/$RUNS"
	m thr_many "$MIN_T" "$SMAPTOP" --csv -p "$THR"
	m thr_twin "$MIN_T" "$SMAPTOP" --csv -p "$TWIN"
	m thr_idle "$MIN_T" "$SMAPTOP" --csv -p "$IDLE"
	r=$((r + 1))
done
tr=$(cpus thr_many thr_twin thr_idle | awk '$2 > $3 { print ($1 - $3) / ($2 - $3) }' | median)
row threads "--csv -p: $THREADS threads / 1-thread twin" 1 \
	"$(x2 "$tr")x ($(cpus thr_many | median | awk '{ printf "%.2f", $1 * 1e3 }') vs $(cpus thr_twin | median |
		awk '{ printf "%.2f", $1 * 1e3 }') ms)" "<=1.10x" "$(verdict "$tr" 1.10)"
echo "threads: RSS $(awk '/^VmRSS/ { print $2 }' /proc/"$THR"/status) KiB ($THREADS threads) vs $(awk '/^VmRSS/ { print $2 }' /proc/"$TWIN"/status) KiB (twin), $(wc -l <"/proc/$THR/maps") mappings each; the idle process's own cost is subtracted from both" >>"$NOTES"

# --------------------------------------------------------------------- sizes --
first_pp="" first_fp="" first_n="" last_pp="" last_fp="" last_n=""
for S in $SIZES; do
	n=$((S - $(nprocs))); [ $n -lt 0 ] && n=0
	if [ "$NPROC_LIM" != unlimited ] && [ $((S + THREADS + 200)) -gt "$NPROC_LIM" ]; then
		echo "size $S: skipped, ulimit -u is $NPROC_LIM" >>"$NOTES"; continue
	fi
	if [ $((n * 1024)) -gt $(($(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) / 2)) ]; then
		echo "size $S: skipped, $n processes may not fit in half of MemAvailable" >>"$NOTES"; continue
	fi
	note "size $S: starting loadgen: $n processes"
	start loadgen "$BD/scale.pids" "$BD/loadgen" -o "$BD/scale.pids" -t 3600 -n $n -m 16
	LG=$LAST_PG
	P=$(nprocs)

	r=1
	while [ $r -le "$RUNS" ]; do
		note "size $S: snapshot round $r/$RUNS ($P processes)"
		m "s${S}_floor" "$MIN_T" "$BD/floor"
		m "s${S}_smaptop" "$MIN_T" "$SMAPTOP" --csv
		r=$((r + 1))
	done
	sr=$(cpus "s${S}_smaptop" "s${S}_floor" | awk '$2 > 0 { print $1 / $2 }' | median)
	sc=$(cpus "s${S}_smaptop" | median); fc=$(cpus "s${S}_floor" | median)
	row snapshot "smaptop --csv CPU / floor" "$P" \
		"$(x2 "$sr")x ($(awk -v a="$sc" -v b="$fc" 'BEGIN { printf "%.1f vs %.1f ms", a * 1e3, b * 1e3 }'))" \
		"<=1.2x" "$(verdict "$sr" 1.2)"
	pk=$(maxrss "s${S}_smaptop"); lim=$(awk -v p="$P" 'BEGIN { printf "%d", 4096 + 0.25 * p }')
	row peak "smaptop --csv peak RSS" "$P" "$pk KiB" "<=$lim KiB" "$(verdict "$pk" "$lim")"
	pp=$(awk -v c="$sc" -v p="$P" 'BEGIN { print c / p * 1e6 }')
	fp=$(awk -v c="$fc" -v p="$P" 'BEGIN { print c / p * 1e6 }')
	[ -n "$first_n" ] || { first_pp=$pp; first_fp=$fp; first_n=$P; }
	last_pp=$pp; last_fp=$fp; last_n=$P

	r=1
	while [ $r -le "$LIVE_RUNS" ]; do
		note "size $S: live round $r/$LIVE_RUNS (-n $LIVE_N -d $LIVE_D)"
		m "l${S}_smaptop_n" 0 "$SMAPTOP" --csv -n "$LIVE_N" -d "$LIVE_D"
		m "l${S}_smaptop_2" 0 "$SMAPTOP" --csv -n 2 -d "$LIVE_D"
		m "l${S}_floor_n" 0 "$BD/floor" -n "$LIVE_N" -d "$LIVE_D"
		m "l${S}_floor_2" 0 "$BD/floor" -n 2 -d "$LIVE_D"
		r=$((r + 1))
	done
	lr=$(cpus "l${S}_smaptop_n" "l${S}_smaptop_2" "l${S}_floor_n" "l${S}_floor_2" |
		awk '$3 > $4 { print ($1 - $2) / ($3 - $4) }' | median)
	ls_=$(cpus "l${S}_smaptop_n" "l${S}_smaptop_2" | awk -v n="$LIVE_N" '{ print ($1 - $2) / (n - 2) }' | median)
	lf=$(cpus "l${S}_floor_n" "l${S}_floor_2" | awk -v n="$LIVE_N" '{ print ($1 - $2) / (n - 2) }' | median)
	row live "--csv -n $LIVE_N -d $LIVE_D per refresh / floor" "$P" \
		"$(x2 "$lr")x ($(awk -v a="$ls_" -v b="$lf" 'BEGIN { printf "%.1f vs %.1f ms", a * 1e3, b * 1e3 }'))" \
		"<=0.5x" "$(verdict "$lr" 0.5)"
	# The oldest PSS shown: a run spanning two age bounds, every row's pss_age.
	age_n=$(awk -v d="$LIVE_D" -v a="$AGE_MS" 'BEGIN { printf "%d", 2 * a / 1000 / d + 1 }')
	"$SMAPTOP" --csv --columns pid,pss,pss_age -n "$age_n" -d "$LIVE_D" >"$BD/scale_age.csv" 2>/dev/null
	age=$(awk -F, 'NR > 1 && $4 > x { x = $4 } END { print x + 0 }' "$BD/scale_age.csv")
	row live "oldest PSS shown, -n $age_n -d $LIVE_D (pss_age)" "$P" "$age ms" "<=$AGE_MS ms" \
		"$(verdict "$age" "$AGE_MS")"

	case " $VIEW_SIZES " in *" $S "*) view_case "$S" ;; esac
	[ "$S" = "$MAXSIZE" ] && keys_case
	stop "$LG"
done

if [ -n "$first_n" ] && [ "$last_n" != "$first_n" ]; then
	g=$(awk -v a="$last_pp" -v b="$first_pp" 'BEGIN { print a / b }')
	row snapshot "CPU per process, @$last_n / @$first_n" "$last_n" \
		"$(x2 "$g")x ($(awk -v a="$last_pp" -v b="$first_pp" 'BEGIN { printf "%.1f vs %.1f us", a, b }'))" \
		"<=1.10x" "$(verdict "$g" 1.10)"
	echo "floor's CPU per process, @$last_n / @$first_n: $(awk -v a="$last_fp" -v b="$first_fp" 'BEGIN { printf "%.2fx (%.1f vs %.1f us)", a / b, a, b }')" >>"$NOTES"
fi
{
	sed 's/^/note: /' "$NOTES"
	echo "total scale bench wall time: $(($(date +%s) - T0)) s"
} >>"$OUT"
mv "$OUT" "$BD/scale.txt"
cat "$BD/scale.txt"
