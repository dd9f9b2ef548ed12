# Shared helpers for tests/integration/*.sh (POSIX sh; sourced, never run).
#
# A script sources this file from the repo root (`make integration` runs each
# script with `sh` there and B=build), then calls the check helpers, and ends
# with `finish`. It prints one TAP-like line per check:
#   ok - DESC / not ok - DESC / ok - # SKIP reason   (diagnostics start with "# ")
# and exits 1 if any check failed.
#
# Cleanup: everything a script creates lives under $T (a mktemp -d directory),
# and every memhog it starts is recorded by PID. The EXIT trap (also reached on
# HUP/INT/TERM) kills exactly those PIDs, runs the script's own `test_cleanup`
# function if it defines one, and removes $T. Nothing is killed by name.
#
# Environment: B (build dir, default "build"), SMAPTOP (binary, default
# ./smaptop), SMAPTOP_TIMEOUT (seconds one smaptop run may take, default 30).

set -u

# `make integration` runs every tests/integration/*.sh, this file included.
case $0 in
lib.sh | */lib.sh)
	echo "ok - # SKIP lib.sh holds helpers for the other scripts; it is not a test"
	exit 0
	;;
esac

B=${B:-build}
SMAPTOP=${SMAPTOP:-./smaptop}
SMAPTOP_TIMEOUT=${SMAPTOP_TIMEOUT:-30}
HOG=$B/helpers/memhog
PYTOOL=tests/integration/outcheck.py

NCHECKS=0
NFAILED=0
HOG_PIDS=""
HOG_SEQ=0
HOG_PID=""
RC=0

T=$(mktemp -d "${TMPDIR:-/tmp}/smaptop-it.XXXXXX") || { echo "not ok - mktemp -d"; exit 1; }

diag() { printf '# %s\n' "$*"; }

# Prints a file as diagnostics, at most 20 lines, control bytes made visible.
diag_file() {
	[ -s "$1" ] || return 0
	head -n 45 "$1" | LC_ALL=C sed -e 's/[^[:print:]]/?/g' -e 's/^/#   /'
}

ok() { NCHECKS=$((NCHECKS + 1)); printf 'ok - %s\n' "$*"; }
not_ok() { NCHECKS=$((NCHECKS + 1)); NFAILED=$((NFAILED + 1)); printf 'not ok - %s\n' "$*"; }
skip() { printf 'ok - # SKIP %s\n' "$*"; }

# check DESC CMD [ARG...]: ok if CMD succeeds. CMD's output is shown as diagnostics.
check() {
	_desc=$1; shift
	if "$@" >"$T/check.out" 2>&1; then
		ok "$_desc"
	else
		not_ok "$_desc"
		diag_file "$T/check.out"
	fi
}

# same DESC GOT WANT: ok if GOT equals WANT and is not empty.
same() {
	if [ -n "$3" ] && [ "$2" = "$3" ]; then
		ok "$1 ($2)"
	else
		not_ok "$1 (got '$2', want '$3')"
	fi
}

# is_int S: S is a (possibly negative) decimal integer.
is_int() {
	case $1 in
	'' | - | *[!0-9-]* | ?*-*) return 1 ;;
	esac
	return 0
}

# in_range DESC VALUE LO HI: ok if LO <= VALUE <= HI (integers).
in_range() {
	if is_int "$2" && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		ok "$1 ($2 in [$3, $4])"
	else
		not_ok "$1 (got '$2', want [$3, $4])"
	fi
}

# Runs smaptop with a timeout. Stdout goes to $T/out, stderr to $T/err, status to RC.
run_smaptop() {
	RC=0
	timeout "$SMAPTOP_TIMEOUT" "$SMAPTOP" "$@" >"$T/out" 2>"$T/err" || RC=$?
	if [ "$RC" -eq 124 ]; then
		diag "smaptop $* timed out after ${SMAPTOP_TIMEOUT}s"
	fi
}

# expect_rc DESC WANT: checks the status of the last run_smaptop.
expect_rc() {
	if [ "$RC" -eq "$2" ]; then
		ok "$1 (exit $RC)"
	else
		not_ok "$1 (exit $RC, want $2)"
		diag "stderr:"; diag_file "$T/err"
	fi
}

# expect_one_line DESC FILE [PATTERN]: FILE has exactly one line (and it contains
# the fixed string PATTERN, if given).
expect_one_line() {
	_n=$(wc -l <"$2")
	# A message without a final newline still counts as one line.
	[ "$_n" -eq 0 ] && [ -s "$2" ] && _n=1
	if [ "$_n" -ne 1 ]; then
		not_ok "$1 ($_n lines, want 1)"
		diag_file "$2"
	elif [ $# -ge 3 ] && ! grep -qF -e "$3" "$2"; then
		not_ok "$1 (does not mention '$3')"
		diag_file "$2"
	else
		ok "$1"
	fi
}

# wait_for SECONDS CMD [ARG...]: runs CMD every 50 ms until it succeeds; fails
# after SECONDS.
wait_for() {
	_tries=$(($1 * 20)); shift
	while [ "$_tries" -gt 0 ]; do
		"$@" && return 0
		_tries=$((_tries - 1))
		sleep 0.05
	done
	"$@"
}

# start_hog [MEMHOG-OPTION...]: starts memhog in the background, waits (up to
# HOG_READY_S seconds, default 10) for its "ready <pid>" line and sets HOG_PID. Returns 1 (with diagnostics) if it
# never got ready. Call it directly, not in $(...): the PID is recorded for cleanup.
# shellcheck disable=SC2120 # the scripts pass options; lib.sh itself does not
start_hog() {
	HOG_SEQ=$((HOG_SEQ + 1))
	_hout=$T/hog.$HOG_SEQ.out
	: >"$_hout" # exists before the background job opens it, for the poll below
	"$HOG" "$@" >"$_hout" 2>"$T/hog.$HOG_SEQ.err" &
	HOG_PID=$!
	HOG_PIDS="$HOG_PIDS $HOG_PID"
	if wait_for "${HOG_READY_S:-10}" grep -qx "ready $HOG_PID" "$_hout"; then
		return 0
	fi
	diag "memhog $* did not get ready:"
	diag_file "$T/hog.$HOG_SEQ.err"
	return 1
}

# True while PID exists and is not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	# Field 3 of stat, after the ")" that ends comm.
	_st=$(sed -e 's/.*) //' -e 's/ .*//' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$_st" ] && [ "$_st" != Z ] && [ "$_st" != X ]
}

# stop_hog PID: ends one memhog started by start_hog (TERM, then KILL after 3 s)
# and reaps it.
stop_hog() {
	kill -CONT "$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	if ! wait_for 3 eval '! alive '"$1"; then
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	_left=""
	for _p in $HOG_PIDS; do
		[ "$_p" = "$1" ] || _left="$_left $_p"
	done
	HOG_PIDS=$_left
}

# A PID that belonged to a memhog which has exited and been reaped (sets GONE_PID).
# Returns 1 if the PID was reused at once (callers skip then).
# shellcheck disable=SC2119 # start_hog without options: an idle hog
gone_pid() {
	start_hog || return 1
	GONE_PID=$HOG_PID
	stop_hog "$GONE_PID"
	[ ! -e "/proc/$GONE_PID" ]
}

# csv_field PID COLUMN [FILE]: the COLUMN value of the row whose pid column is PID
# in CSV FILE (default: the last run_smaptop output). Fails (status 1, message on
# stderr) unless there is exactly one such row and the column exists.
csv_field() {
	python3 "$PYTOOL" field "${3:-$T/out}" pid "$1" "$2"
}

# status_kib PID KEY: a "KEY: N kB" value from /proc/PID/status.
status_kib() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB\$/\1/p" "/proc/$1/status"
}

# rollup_kib PID KEY: a "KEY: N kB" value from /proc/PID/smaps_rollup.
rollup_kib() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB\$/\1/p" "/proc/$1/smaps_rollup"
}

cleanup() {
	_rc=$?
	trap - EXIT HUP INT TERM PIPE
	for _p in $HOG_PIDS; do
		stop_hog "$_p"
	done
	[ -z "$TM" ] || $TM kill-server 2>/dev/null
	if command -v test_cleanup >/dev/null 2>&1; then
		test_cleanup || _rc=1
	fi
	rm -rf "$T"
	exit "$_rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

# A real terminal for the view: `view_term NAME` sets TM to a tmux of the
# script's own (its socket in $T, no configuration; the cleanup ends it), and
# the helpers below act on the session NAME, which the script then starts with
# `$TM new-session -d -s NAME ...`.
TM=""
TERM_S=""
view_term() {
	TM="tmux -S $T/tmux.sock -f /dev/null"
	TERM_S=$1
}
pane() { $TM capture-pane -p -t "$TERM_S"; }
has() { pane | grep -qF -e "$1"; }
# wait_pane TEXT [SECONDS]: true once the screen shows TEXT (default 10 s).
wait_pane() { wait_for "${2:-10}" has "$1"; }
keys() { $TM send-keys -t "$TERM_S" "$@"; }
# show: the screen's non-blank lines as diagnostics.
show() { pane | grep -v '^ *$' >"$T/pane.txt"; diag_file "$T/pane.txt"; }

# Checks that the binaries exist; a missing one fails the script.
require_binaries() {
	for _b in "$SMAPTOP" "$HOG"; do
		if [ ! -x "$_b" ]; then
			not_ok "$_b is built (run: make integration)"
			finish
		fi
	done
	command -v python3 >/dev/null 2>&1 || { not_ok "python3 is installed"; finish; }
}

# Ends the script: a summary line, exit 1 if any check failed.
finish() {
	diag "$NCHECKS checks, $NFAILED failed"
	[ "$NFAILED" -eq 0 ] && exit 0
	exit 1
}
