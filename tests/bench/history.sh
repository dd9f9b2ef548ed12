#!/bin/sh
# The history store's benchmark (`make bench` runs it after run.sh). POSIX sh.
#
#   1 size      a 500-process loadgen where 50 children change their memory
#               every interval, recorded at -d 0.5 for 60 samples (faster than
#               the 10 s default; the cost of a sample depends on what changed,
#               not on the interval): bytes per sample after the first, scaled
#               to a day at 10 s (8640 samples), plus the first sample (the
#               processes' identities and a keyframe) and 23 more hourly
#               keyframes (the first sample's proc_value table and index, from
#               SQLite's dbstat). Also a synthetic day of the same shape
#               written by tests/bench/gen_history.c, measured whole.
#   2 cpu       user+sys per sample of `smaptop --record` vs `smaptop --csv`
#               (a live refresh) on that load, both at -d 0.5 --pss-max-age 5:
#               ((run of 21) - (run of 2)) / 19.
#   3 replay    a synthetic 7-day recording (60480 samples, 500 processes, 50
#               changing per sample): wall time of `--replay -1` (open, read
#               the sample list, show the last sample), and of one step
#               ((20 samples as CSV) - (1 sample)) / 19.
# Targets (issue 16): <= 16 MiB a day; <= 1.3x; open <= 1 s, step <= 100 ms.
# Output: the table on stdout and in $B/bench/history.txt.
# Cleanup: the loadgen is its own process group, killed by PGID on exit.
set -u
cd "$(dirname "$0")/../.." || exit 1
BENCH_NAME="bench history"
. tests/bench/env.sh
OUT=$BD/history.txt

[ -f "$B/libsmaptop.a" ] || die "$B/libsmaptop.a not built (make)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 missing (scripts/deps test)"
for h in measure loadgen; do build "$h"; done
# shellcheck disable=SC2046 # pkg-config prints several words
cc -O2 -std=gnu11 -D_GNU_SOURCE -Isrc -o "$BD/gen_history" tests/bench/gen_history.c \
	"$B/libsmaptop.a" $(pkg-config --libs ncursesw numa sqlite3) -lm ||
	die "cannot build gen_history"

W=$(mktemp -d "${TMPDIR:-/tmp}/smaptop-bench-hist.XXXXXX") || die "mktemp"
cleanup() {
	stop_all
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bytes() { sqlite3 "$1" 'SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count)' |
	awk -v ps="$(sqlite3 "$1" 'PRAGMA page_size')" '{ print $1 * ps }'; }
cpu() { "$BD/measure" -- "$@" | awk '{ printf "%.6f", $2 + $3 }'; }
wall() { "$BD/measure" -- "$@" | awk '{ printf "%.6f", $4 }'; }

note "starting loadgen: 500 processes, 50 changing every 0.5 s"
start loadgen "$W/lg.pids" "$BD/loadgen" -o "$W/lg.pids" -n 500 -m 16 -c 50 -i 500 -t 900
LG=$LAST_PG

note "1 size: recording 1 and 61 samples at -d 0.5"
"$SMAPTOP" --record "$W/one.db" -n 1 >/dev/null 2>&1 || die "record -n 1"
"$SMAPTOP" --record "$W/r.db" -n 61 -d 0.5 >/dev/null 2>&1 || die "record -n 61"
b1=$(bytes "$W/one.db"); b61=$(bytes "$W/r.db")
procs=$(sqlite3 "$W/one.db" 'SELECT count(*) FROM proc_value')
changed=$(sqlite3 "$W/r.db" 'SELECT coalesce(sum(processes), 0) FROM proc_change')
kf=$(sqlite3 "$W/one.db" "SELECT sum(pgsize) FROM dbstat WHERE name IN ('proc_value', 'proc_value_process')")
day=$(awk -v a="$b1" -v b="$b61" -v k="$kf" 'BEGIN { printf "%.1f", ((b - a) / 60 * 8640 + a + 23 * k) / 1048576 }')
perchg=$(awk -v a="$b1" -v b="$b61" -v c="$changed" 'BEGIN { printf "%.0f", (c > 0 ? (b - a) / c : 0) }')
chg=$(awk -v c="$changed" 'BEGIN { printf "%.1f", c / 60 }')

note "1 size: a synthetic day (8640 samples at 10 s)"
"$BD/gen_history" -o "$W/day.db" -s 8640 -i 10000 || die "gen_history day"
synday=$(awk -v b="$(bytes "$W/day.db")" 'BEGIN { printf "%.1f", b / 1048576 }')

note "2 cpu: --record and --csv, -n 21 and -n 2 at -d 0.5"
r21=$(cpu "$SMAPTOP" --record "$W/c21.db" -n 21 -d 0.5 --pss-max-age 5)
r2=$(cpu "$SMAPTOP" --record "$W/c2.db" -n 2 -d 0.5 --pss-max-age 5)
l21=$(cpu "$SMAPTOP" --csv -n 21 -d 0.5 --pss-max-age 5)
l2=$(cpu "$SMAPTOP" --csv -n 2 -d 0.5 --pss-max-age 5)
stop "$LG"
rec_ms=$(awk -v a="$r21" -v b="$r2" 'BEGIN { printf "%.2f", (a - b) / 19 * 1000 }')
live_ms=$(awk -v a="$l21" -v b="$l2" 'BEGIN { printf "%.2f", (a - b) / 19 * 1000 }')
cratio=$(awk -v a="$rec_ms" -v b="$live_ms" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')

note "3 replay: generating 7 days (60480 samples), a few minutes"
"$BD/gen_history" -o "$W/week.db" -s 60480 -i 10000 || die "gen_history week"
wk=$(awk -v b="$(bytes "$W/week.db")" 'BEGIN { printf "%.0f", b / 1048576 }')
open_s=$(wall "$SMAPTOP" --replay "$W/week.db" -1 --top 5)
t0=$(sqlite3 "$W/week.db" 'SELECT time_unix_ms / 1000 FROM sample ORDER BY id LIMIT 1 OFFSET 30000')
from=$(date -d "@$t0" +%Y-%m-%dT%H:%M:%S)
to20=$(date -d "@$((t0 + 199))" +%Y-%m-%dT%H:%M:%S)
w1=$(wall "$SMAPTOP" --replay "$W/week.db" --csv --columns pid,pss --at "$from")
w20=$(wall "$SMAPTOP" --replay "$W/week.db" --csv --columns pid,pss --from "$from" --to "$to20")
step_ms=$(awk -v a="$w20" -v b="$w1" 'BEGIN { printf "%.1f", (a - b) / 19 * 1000 }')

v() { awk -v x="$1" -v lim="$2" 'BEGIN { print (x <= lim ? "met" : "NOT met") }'; }
{
	echo "history store (make bench, tests/bench/history.sh)"
	printf '%-72s %12s  %s\n' "case" "figure" "target"
	printf '%-72s %9s MiB  <= 16, %s\n' "database per day, loadgen ($procs procs), $chg changing/sample, $perchg B/change" "$day" "$(v "$day" 16)"
	printf '%-72s %9s MiB  <= 16, %s\n' "database per day, synthetic day (500 procs, 50 changing, 8640 samples)" "$synday" "$(v "$synday" 16)"
	printf '%-72s %9s ms\n' "CPU per recorded sample (--record -d 0.5)" "$rec_ms"
	printf '%-72s %9s ms\n' "CPU per live refresh (--csv -d 0.5)" "$live_ms"
	printf '%-72s %10sx  <= 1.3, %s\n' "recorded sample vs live refresh" "$cratio" "$(v "$cratio" 1.3)"
	printf '%-72s %9s MiB\n' "synthetic 7-day recording" "$wk"
	printf '%-72s %10ss  <= 1, %s\n' "--replay -1 of 7 days: open and show the last sample (wall)" "$open_s" "$(v "$open_s" 1)"
	printf '%-72s %9s ms  <= 100, %s\n' "one step of a 7-day replay (wall)" "$step_ms" "$(v "$step_ms" 100)"
} | tee "$OUT"
