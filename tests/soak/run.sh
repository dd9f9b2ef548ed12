#!/bin/sh
# Soak: smaptop refreshes SOAK_REFRESHES times (default 10,000) every 0.05 s while
# processes come and go, on both long-running paths, each twice:
#   csv-lsan  ASan+UBSan binary, `--csv -n N -d 0.05`: exits 0, every sample printed,
#             no sanitizer report (LeakSanitizer runs at exit)
#   csv-rss   normal binary, same command: smaptop's VmRSS after N refreshes is within
#             SOAK_RSS_SLACK_KIB (default 1024) of its VmRSS after 100
#   tui-lsan  ASan+UBSan binary, the interactive view (-d 0.05) in a private tmux
#             server, quit with q after N refreshes: exit 0, no sanitizer report
#   tui-rss   normal binary, the interactive view: the same RSS bound
#   rec-rss   normal binary, the recorder (`--record FILE -d 0.05`): the same RSS
#             bound between its sample 100 and sample N; then SIGTERM, exit 0
# The five run at once (most of their time is the 0.05 s sleep).
#
# Each run is process 1's child in its own PID namespace with its own /proc
# (tests/soak/inner.sh: 20 idle processes and a churn of ~100 short-lived children a
# second from tests/helpers/storm), so a refresh reads a few dozen processes, new ones
# appear and old ones vanish all the time (the TUI's per-process history rings are
# created and dropped), and the soak is not slowed by the rest of the machine.
# The namespace, in order of preference: `unshare --mount-proc`; where unshare
# cannot change the propagation of / (a chroot whose root is no mount point),
# `unshare --mount --propagation unchanged` with inner.sh mounting the /proc of
# the namespace itself (after making /proc private, so nothing propagates out);
# an unprivileged user namespace; else none, among every process of the machine
# (SOAK_NAMESPACE=none asks for that). Without a namespace inner.sh ends what it
# started when smaptop exits, so the run ends all the same.
#
# Counting refreshes: in CSV, smaptop lists itself once per sample, and that row
# carries its VmRSS of that refresh. Its row is found by its PID, which inner.sh
# writes to a file before it runs smaptop: other smaptops on the machine (without
# a namespace) are not counted.
# (Timestamps do not count samples: when a refresh overruns the 0.05 s period the
# next one follows at once, and two samples may share a millisecond.) In the TUI
# the collector thread writes one byte to the UI's wake-up pipe per refresh and
# nothing else, so the syscw of that thread (/proc/PID/task/TID/io) counts refreshes;
# its VmRSS is read from /proc/PID/status when the count passes 100 and N. The
# recorder's samples are the rows of its file's sample table, counted with sqlite3
# (the database is in WAL mode: a reader does not stall the recorder); it runs
# with -n N + 1000 as a bound and is stopped with SIGTERM once N is read, so the
# soak is no longer for it.
#
# Sanitizer reports go to files (log_path), like `make check-asan`: any report
# fails the soak.
#
# Environment: B (build dir, default build), SMAPTOP (normal binary, default
# ./smaptop), SMAPTOP_ASAN_BIN (default build-asan/smaptop), SOAK_REFRESHES,
# SOAK_RSS_SLACK_KIB, SOAK_NAMESPACE (auto, or none), SOAK_RUNS (the runs above to
# make, default all five: `SOAK_RUNS=rec-rss` checks the recorder alone). Needs root for the PID
# namespace (otherwise it tries an unprivileged user namespace, then runs without
# one). Exit status 1 on a failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
SMAPTOP=${SMAPTOP:-./smaptop}
ASAN_BIN=${SMAPTOP_ASAN_BIN:-build-asan/smaptop}
STORM=$B/helpers/storm
N=${SOAK_REFRESHES:-10000}
EARLY=100
SLACK=${SOAK_RSS_SLACK_KIB:-1024}
RATE=100

T=$(mktemp -d "${TMPDIR:-/tmp}/smaptop-soak.XXXXXX") || exit 1
chmod 755 "$T"
TM="tmux -S $T/tmux.sock -f /dev/null"
JOBS=""
# kill_tree PID: ends PID and everything below it (unshare --kill-child takes the
# namespace with it).
# shellcheck disable=SC2317 # run by the EXIT trap
kill_tree() {
	# shellcheck disable=SC2013 # the children files hold one line of PIDs
	for _k in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		kill_tree "$_k"
	done
	kill "$1" 2>/dev/null
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	$TM kill-server 2>/dev/null
	for p in $JOBS; do kill_tree "$p"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

RUNS=${SOAK_RUNS:-csv-lsan csv-rss tui-lsan tui-rss rec-rss}
case " $RUNS " in *-lsan\ *) NEED_ASAN=$ASAN_BIN ;; *) NEED_ASAN="" ;; esac
for f in "$SMAPTOP" $NEED_ASAN "$STORM"; do
	[ -x "$f" ] || { echo "soak: $f is not built (run: make soak)"; exit 1; }
done
command -v tmux >/dev/null 2>&1 || { echo "soak: tmux is not installed"; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "soak: sqlite3 is not installed (scripts/deps test)"; exit 1; }
[ "$N" -gt "$EARLY" ] || { echo "soak: SOAK_REFRESHES must be more than $EARLY"; exit 1; }

# NS: the unshare command; INNER: inner.sh with its option (see the top)
NS="" INNER="sh tests/soak/inner.sh"
PRIV="unshare --pid --fork --kill-child"
if [ "${SOAK_NAMESPACE:-auto}" = none ]; then
	:
elif $PRIV --mount-proc true 2>/dev/null; then
	NS="$PRIV --mount-proc"
elif $PRIV --mount --propagation unchanged \
	sh -c 'mount --make-private /proc && mount -t proc proc /proc' 2>/dev/null; then
	NS="$PRIV --mount --propagation unchanged"
	INNER="$INNER --mount-proc"
elif unshare --user --map-root-user --pid --fork --kill-child --mount-proc true 2>/dev/null; then
	NS="unshare --user --map-root-user --pid --fork --kill-child --mount-proc"
fi
[ -n "$NS" ] ||
	echo "soak: without a PID namespace, among every process of the machine (only its own smaptop is judged)"

# The sanitizer settings of check-asan.
mkdir -m 1777 "$T/logs"
SAN="ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$T/logs/asan"
SAN="$SAN UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$T/logs/ubsan"

# csv NAME BINARY [VAR=VALUE...]: one CSV soak; writes $T/NAME.result:
#   "rc SAMPLES RSS_EARLY RSS_LAST SECONDS"
csv() {
	_name=$1 _bin=$2
	shift 2
	_t0=$(date +%s)
	# shellcheck disable=SC2086
	env "$@" $NS $INNER "$T/$_name.pid" "$STORM" "$RATE" "$_bin" --csv -n "$N" -d 0.05 \
		2>"$T/$_name.err" |
		awk -F, -v early="$EARLY" -v last="$N" -v pidfile="$T/$_name.pid" '
			NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
			# inner.sh wrote the PID before smaptop started, so before this row
			pid == "" { if ((getline pid < pidfile) <= 0) pid = "none"; close(pidfile) }
			$(col["pid"]) != pid || $(col["comm"]) != "smaptop" { next }
			{ n++ }
			n == early { e = $(col["rss_kib"]) }
			n == last { l = $(col["rss_kib"]) }
			END { printf "%d %s %s", n, (e == "" ? "-" : e), (l == "" ? "-" : l) }' >"$T/$_name.awk"
	_rc=$?
	# the status of smaptop itself: inner.sh exits with it, unshare passes it on
	[ -s "$T/$_name.err" ] && _rc=1
	echo "$_rc $(cat "$T/$_name.awk") $(($(date +%s) - _t0))" >"$T/$_name.result"
}

# descendant PID NAME: the first descendant of PID whose comm is NAME.
descendant() {
	# shellcheck disable=SC2013 # the children files hold one line of PIDs
	for _c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		if [ "$(cat "/proc/$_c/comm" 2>/dev/null)" = "$2" ]; then echo "$_c"; return 0; fi
		descendant "$_c" "$2" && return 0
	done
	return 1
}

# refreshes PID: the syscw of its threads other than the main one (the collector).
refreshes() {
	_n=0
	for _d in /proc/"$1"/task/*; do
		[ "${_d##*/}" = "$1" ] && continue
		_w=$(sed -n 's/^syscw: //p' "$_d/io" 2>/dev/null)
		_n=$((_n + ${_w:-0}))
	done
	echo "$_n"
}

rss_of() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$1/status" 2>/dev/null; }

# smaptop_under ANCESTOR: sets _pid to the smaptop below ANCESTOR (waits up to
# 10 s for it; empty if it never appeared).
smaptop_under() {
	_pid="" _i=0
	while [ -z "$_pid" ] && [ "$_i" -lt 200 ]; do
		sleep 0.05
		_pid=$(descendant "$1" smaptop)
		_i=$((_i + 1))
	done
}

# watch_rss PID COUNT PAUSE: while PID lives, every PAUSE seconds asks COUNT
# PID how many refreshes it has made (_n); reads its VmRSS when that passes
# EARLY (_e) and N (_l; then returns). "-" for a reading never made.
watch_rss() {
	_e=- _l=- _n=0
	while [ -n "$1" ] && [ -d "/proc/$1" ]; do
		_c=$($2 "$1")
		case $_c in '' | *[!0-9]*) ;; *) _n=$_c ;; esac
		if [ "$_e" = - ] && [ "$_n" -ge "$EARLY" ]; then _e=$(rss_of "$1"); fi
		if [ "$_n" -ge "$N" ]; then
			_l=$(rss_of "$1")
			return
		fi
		sleep "$3"
	done
}

# tui NAME BINARY [VAR=VALUE...]: one TUI soak in tmux window NAME; writes
# $T/NAME.result: "rc REFRESHES RSS_EARLY RSS_LAST SECONDS"
tui() {
	_name=$1 _bin=$2
	shift 2
	_t0=$(date +%s)
	mkdir -p "$T/xdg-$_name"
	$TM new-window -d -n "$_name" -c "$PWD" \
		"env $* LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg-$_name TERM=screen-256color $NS $INNER $T/$_name.pid $STORM $RATE $_bin -d 0.05; echo EXITED \$? >$T/$_name.exit; sleep 600"
	smaptop_under "$($TM display-message -p -t "$_name" '#{pane_pid}')"
	watch_rss "$_pid" refreshes 0.05
	$TM send-keys -t "$_name" q
	_i=0
	while [ ! -s "$T/$_name.exit" ] && [ "$_i" -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done
	_rc=$(sed -n 's/^EXITED //p' "$T/$_name.exit" 2>/dev/null)
	echo "${_rc:-noexit} $_n ${_e:--} ${_l:--} $(($(date +%s) - _t0))" >"$T/$_name.result"
}

# samples PID: the samples in the recorder's database, $_db (PID unused).
samples() { [ -s "$_db" ] && sqlite3 -cmd '.timeout 2000' "$_db" 'SELECT count(*) FROM sample' 2>/dev/null; }

# rec NAME BINARY: the recorder's soak; writes $T/NAME.result:
#   "rc SAMPLES RSS_EARLY RSS_LAST SECONDS"
rec() {
	_name=$1 _bin=$2
	_t0=$(date +%s)
	_db=$T/$_name.db
	# shellcheck disable=SC2086
	$NS $INNER "$T/$_name.pid" "$STORM" "$RATE" "$_bin" --record "$_db" -d 0.05 -n $((N + 1000)) \
		>"$T/$_name.err" 2>&1 &
	_job=$!
	smaptop_under "$_job"
	watch_rss "$_pid" samples 0.2
	[ -n "$_pid" ] && kill -TERM "$_pid" 2>/dev/null
	wait "$_job"
	_rc=$?
	echo "$_rc $_n ${_e:--} ${_l:--} $(($(date +%s) - _t0))" >"$T/$_name.result"
}

WHERE="without a PID namespace"
[ -n "$NS" ] && WHERE="in a PID namespace"
echo "soak: $N refreshes every 0.05 s on each path, churn $RATE processes/s, $WHERE"
$TM new-session -d -s soak -x 140 -y 40 "sleep 100000" || { echo "soak: tmux does not start"; exit 1; }
for r in $RUNS; do
	# shellcheck disable=SC2086 # $SAN: the sanitizer settings, word by word
	case $r in
	csv-lsan) csv csv-lsan "$ASAN_BIN" $SAN & ;;
	csv-rss) csv csv-rss "$SMAPTOP" & ;;
	tui-lsan) tui tui-lsan "$ASAN_BIN" $SAN & ;;
	tui-rss) tui tui-rss "$SMAPTOP" & ;;
	rec-rss) rec rec-rss "$SMAPTOP" & ;;
	*) echo "soak: no run $r"; exit 1 ;;
	esac
	JOBS="$JOBS $!"
done
wait
JOBS=""

fail=0
bad() { echo "FAIL: $*"; fail=1; }
for r in $RUNS; do
	# shellcheck disable=SC2046
	set -- $(cat "$T/$r.result" 2>/dev/null)
	rc=${1:-none} n=${2:-0} e=${3:--} l=${4:--} s=${5:-?}
	printf 'soak %-9s exit %s, %s refreshes in %ss, RSS@%d %s KiB, RSS@%d %s KiB\n' \
		"$r" "$rc" "$n" "$s" "$EARLY" "$e" "$N" "$l"
	[ "$rc" = 0 ] || { bad "$r: exit status $rc"; [ -s "$T/$r.err" ] && sed 's/^/  /' "$T/$r.err"; }
	case $r in csv-*) [ "$n" = "$N" ] || bad "$r: $n samples, want $N" ;; *) [ "$n" -ge "$N" ] || bad "$r: $n refreshes, want $N" ;; esac
	case $r in
	*-rss)
		if [ "$e" = - ] || [ "$l" = - ]; then
			bad "$r: RSS not measured"
		else
			d=$((l - e))
			[ "$d" -lt 0 ] && d=$((-d))
			echo "soak $r: RSS after $N refreshes - RSS after $EARLY: $((l - e)) KiB (limit +-$SLACK)"
			[ "$d" -le "$SLACK" ] || bad "$r: RSS moved by $((l - e)) KiB"
		fi
		;;
	esac
done
for f in "$T"/logs/*; do
	[ -e "$f" ] || continue
	bad "sanitizer report ${f##*/}:"
	cat "$f"
done
[ "$fail" = 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit "$fail"
