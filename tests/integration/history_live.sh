#!/bin/sh
# The live view reaches back into a recording (issue 16, "live and recorded
# meet"). A leaker (tests/helpers/leaker.c, linear: 1 MiB/s) is recorded for
# 30 s at -d 0.2 (`--record FILE -p PID`); the recorder stops, and
# `smaptop --history FILE` starts on a terminal (a private tmux server; every
# wait polls the pane):
#   (a) the leaker's leak column is filled within seconds, from the recording
#       (the live envelope alone needs 30 s of its own), and L lists it as a
#       suspect growing since the recording's start;
#   (b) its detail screen's graphs reach back to the recording's start: at the
#       10-minute zoom the RSS graph's dots span the columns the time since
#       the recording's start takes (live alone: the seconds since this
#       smaptop started), and the line under the graphs names the file;
#   (c) the same view without --history has neither, over the same seconds;
#   (d) as root, with the recording in the recorder service's place
#       (/var/lib/smaptop/history.db, put there and removed by the test; skipped
#       if a real one is there) the view without --history reads it.
. tests/integration/lib.sh
require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
command -v sqlite3 >/dev/null 2>&1 || { not_ok "sqlite3 is installed (scripts/deps test)"; finish; }
command -v python3 >/dev/null 2>&1 || { not_ok "python3 is installed"; finish; }
LEAKER=$B/helpers/leaker
[ -x "$LEAKER" ] || { not_ok "$LEAKER is built (run: make integration)"; finish; }

view_term h
DEFAULT_DB=/var/lib/smaptop/history.db
MADE_DB="" MADE_DIR=""  # what case (d) put in place of the recorder service's database
test_cleanup() {
	# a reader of a WAL database makes its -wal and -shm files beside it
	[ -n "$MADE_DB" ] && rm -f "$MADE_DB" "$MADE_DB-wal" "$MADE_DB-shm"
	[ -n "$MADE_DIR" ] && rmdir "$MADE_DIR" 2>/dev/null
	return 0
}
WIDTH=140

_memhog=$HOG
HOG=$LEAKER
start_hog linear 300 || { not_ok "the leaker starts"; finish; }
HOG=$_memhog
LP=$HOG_PID

F=$T/rec.db
"$SMAPTOP" --record "$F" -d 0.2 -n 150 -p "$LP" >"$T/rec.out" 2>&1
same "recording the leaker for 150 samples exits 0" "$?" 0
REC0=$(sqlite3 "$F" 'SELECT min(time_unix_ms) FROM sample')
if is_int "$REC0"; then ok "the recording has samples (from $REC0)"; else not_ok "the recording has samples"; finish; fi

# start_view NAME [ARG...]: the view on the leaker, with its leak column
start_view() {
	_n=$1
	shift
	mkdir -p "$T/xdg-$_n"
	$TM new-session -d -s h -x "$WIDTH" -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg-$_n TERM=screen-256color $SMAPTOP -d 1 -p $LP --columns pid,leak,rss,comm $*; echo EXITED \$?; sleep 600"
}
leak_cell() { pane | grep -qE "^ *$LP +[0-9.]+[KMG] "; }

# The RSS graph of the detail screen: how many cells its dots span, from the
# leftmost one to the plot's right edge ("now"), and the seconds a cell stands for.
cat >"$T/span.py" <<'PY'
import sys
lines = sys.stdin.read().split("\n")
width = int(sys.argv[1])
top = next(i for i, l in enumerate(lines) if "RSS (filled) vs VSZ" in l)
left = None
for l in lines[top + 1:]:
    if l.rstrip().endswith("now"):
        break
    for x, ch in enumerate(l):
        if 0x2801 <= ord(ch) <= 0x28FF:
            left = x if left is None else min(left, x)
            break
plot = width - 8
print(0 if left is None else plot - (left - 8), f"{600 / plot:.3f}")
PY

# The first refresh reads every process of the machine: allow a loaded one 25 s
# for it, still short of the 30 s of its own the live estimate needs.
# --- (a), (b) with the recording ---
T0=$(date +%s)
start_view hist --history "$F" || { not_ok "tmux session starts"; finish; }
# (wait_for counts polls, which a loaded machine stretches: the clock decides)
if wait_for 25 leak_cell && [ $(($(date +%s) - T0)) -lt 30 ]; then
	ok "the leak column is filled from the recording, $(($(date +%s) - T0)) s after the start"
else
	not_ok "the leak column is filled from the recording within 30 s ($(($(date +%s) - T0)) s)"; show
fi
keys L
since_row() { pane | grep -E "^ *$LP +[0-9.]+[KMG] +[0-9][0-9]:[0-9][0-9]:[0-9][0-9] "; }
if wait_for 10 since_row >/dev/null; then
	since=$(since_row | awk '{ print $3 }')
	rec0=$(date -d "@$((REC0 / 1000))" +%H:%M:%S)
	# seconds from the recording's start to "growing since", both of today
	d=$(echo "$since $rec0" | awk '{ split($1, a, ":"); split($2, b, ":");
		print (a[1] * 3600 + a[2] * 60 + a[3]) - (b[1] * 3600 + b[2] * 60 + b[3]) }')
	if [ "$d" -ge 0 ] && [ "$d" -le 3 ]; then
		ok "L lists it as growing since the recording's start ($since, recording from $rec0)"
	else
		not_ok "L: growing since $since, the recording starts at $rec0"; show
	fi
else
	not_ok "L lists the leaker as a suspect with a growing-since time"; show
fi
keys Escape
keys Home Enter
if wait_pane "Recorded since" 10 && has "in $F"; then ok "the detail names the recording"; else not_ok "the detail names the recording"; show; fi
# the whole recording plus the seconds since, in cells of the 10-minute zoom
sleep 2
# shellcheck disable=SC2046 # two numbers
set -- $(pane | python3 "$T/span.py" "$WIDTH")
cells=${1:-0} per=${2:-1}
want=$(python3 -c "print(int(($(date +%s%3N) - $REC0) / 1000 / $per))")
if [ "$cells" -ge $((want - 2)) ] && [ "$cells" -le $((want + 2)) ]; then
	ok "the RSS graph reaches back to the recording's start ($cells cells, $want expected)"
else
	not_ok "the RSS graph spans $cells cells, the recording's start is $want back"; show
fi
keys q
wait_pane "EXITED 0" 10 || { not_ok "q exits 0"; show; }
$TM kill-server 2>/dev/null

# --- (c) the same without --history, as long as (a) took ---
T0=$(date +%s)
start_view live || { not_ok "tmux session starts"; finish; }
row() { pane | grep -qE "^ *$LP .*lk-linear"; }
wait_for 25 row || { not_ok "the leaker's row appears"; show; }
sleep 3
if [ -r /var/lib/smaptop/history.db ]; then
	skip "the recorder service's database is here: the view without --history reads it"
elif leak_cell; then
	not_ok "without --history no leak estimate $(($(date +%s) - T0)) s after the start"; show
else
	ok "without --history no leak estimate $(($(date +%s) - T0)) s after the start"
fi
keys Home Enter
wait_pane "RSS (filled) vs VSZ" 10 || { not_ok "the detail screen opens"; show; }
sleep 2
# shellcheck disable=SC2046 # two numbers
set -- $(pane | python3 "$T/span.py" "$WIDTH")
live_cells=${1:-0}
live_want=$(python3 -c "print(int(($(date +%s) - $T0 + 1) / $per) + 1)")
if [ "$live_cells" -le "$live_want" ] && [ "$live_cells" -lt $((want - 2)) ]; then
	ok "without --history the graph spans only this smaptop's seconds ($live_cells cells)"
else
	not_ok "without --history the graph spans $live_cells cells (at most $live_want)"; show
fi
if has "Recorded"; then not_ok "without --history no recorded line"; show; else ok "without --history no recorded line"; fi
keys q
wait_pane "EXITED 0" 10 || { not_ok "q exits 0 (without --history)"; show; }
$TM kill-server 2>/dev/null

# --- (d) without --history, the recorder service's database is read when it exists ---
if [ "$(id -u)" != 0 ]; then
	skip "the recorder service's default database: only root may put one in ${DEFAULT_DB%/*}"
elif [ -e "$DEFAULT_DB" ]; then
	skip "the recorder service's default database: $DEFAULT_DB exists and is not this test's"
else
	[ -d "${DEFAULT_DB%/*}" ] || { mkdir -p "${DEFAULT_DB%/*}" && MADE_DIR=${DEFAULT_DB%/*}; }
	cp "$F" "$DEFAULT_DB" && MADE_DB=$DEFAULT_DB
	T0=$(date +%s)
	start_view default || { not_ok "tmux session starts"; finish; }
	if wait_for 25 leak_cell && [ $(($(date +%s) - T0)) -lt 30 ]; then
		ok "without --history the leak column is filled from the service's database"
	else
		not_ok "without --history the leak column is filled from $DEFAULT_DB within 30 s"; show
	fi
	keys Home Enter
	if wait_pane "Recorded since" 10 && has "(the recorder service's)"; then
		ok "the detail names the recorder service's database"
	else
		not_ok "the detail names the recorder service's database"; show
	fi
	keys q
	wait_pane "EXITED 0" 10 || { not_ok "q exits 0 (the service's database)"; show; }
	test_cleanup
	MADE_DB="" MADE_DIR=""
	check "nothing is left in place of the service's database" test ! -e "$DEFAULT_DB"
fi
finish
