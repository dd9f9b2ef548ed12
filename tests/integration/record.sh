#!/bin/sh
# smaptop --record: the history file survives what a recorder meets (issue 16).
#   - SIGKILL at 20 random moments: the file opens, integrity_check is ok, and
#     every committed sample replays with the processes SQL says were alive;
#   - SIGTERM: the sample being written is finished, exit 0;
#   - a disk that fills up (a small tmpfs this test mounts): one message, exit 1,
#     the file passes integrity_check and replays up to its last sample;
#   - a non-smaptop SQLite file, garbage, a newer or older schema, a read-only file or
#     directory (as an unprivileged user), a second recorder: one message each,
#     exit 1, the file unchanged (checksum before and after);
#   - --replay of a file being recorded sees the samples committed so far.
# Every recorder started here is ended by its PID; the tmpfs is unmounted.
. tests/integration/lib.sh

require_binaries
command -v sqlite3 >/dev/null 2>&1 || { not_ok "sqlite3 is installed (scripts/deps test)"; finish; }

REC_PIDS=""
MNT=""
RUNAS=""
test_cleanup() {
	for _p in $REC_PIDS; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	return 0
}

# start_rec FILE ARG...: a recorder in the background; REC_PID.
start_rec() {
	_f=$1; shift
	"$SMAPTOP" --record "$_f" "$@" >"$T/rec.out" 2>"$T/rec.err" &
	REC_PID=$!
	REC_PIDS="$REC_PIDS $REC_PID"
}
forget_rec() {
	_left=""
	for _p in $REC_PIDS; do [ "$_p" = "$1" ] || _left="$_left $_p"; done
	REC_PIDS=$_left
}
samples() { sqlite3 "$1" 'SELECT count(*) FROM sample' 2>/dev/null; }
has_samples() { [ "$(samples "$1")" -ge "$2" ] 2>/dev/null; }
sum() { cat "$@" 2>/dev/null | cksum; }

# replays_all FILE: every sample replays, with as many processes as life says were alive.
replays_all() {
	sqlite3 -separator , "$1" "SELECT s.time_unix_ms, (SELECT count(*) FROM life l
		WHERE l.first_sample <= s.id AND (l.last_sample IS NULL OR l.last_sample >= s.id))
		FROM sample s ORDER BY s.id" >"$T/want" || return 1
	timeout "$SMAPTOP_TIMEOUT" "$SMAPTOP" --replay "$1" --csv --columns pid >"$T/got.csv" \
		2>"$T/got.err" || { cat "$T/got.err"; return 1; }
	tail -n +2 "$T/got.csv" | cut -d, -f1 | uniq -c | awk '{ print $2 "," $1 }' >"$T/got"
	if ! cmp -s "$T/want" "$T/got"; then
		echo "per-sample process counts differ (time,count; SQL then replay):"
		head -n 5 "$T/want"; echo "--"; head -n 5 "$T/got"
		return 1
	fi
}

# --- a plain recording, stopped by SIGTERM --------------------------------------
H=$T/h.db
run_smaptop --record "$H" -n 3 -d 0.2
expect_rc "--record -n 3 exits 0" 0
same "-n 3 records three samples" "$(samples "$H")" 3
same "the file is a smaptop history (application_id)" "$(sqlite3 "$H" 'PRAGMA application_id')" 1399673968
same "the schema has a version" "$(sqlite3 "$H" 'PRAGMA user_version')" 2
same "journal mode WAL" "$(sqlite3 "$H" 'PRAGMA journal_mode')" wal
same "processes have a boot id" "$(sqlite3 "$H" "SELECT count(DISTINCT boot_id) FROM boot")" 1
same "unreadable values are NULL, not 0: no recorded PSS is 0 where RSS is not" \
	"$(sqlite3 "$H" 'SELECT count(*) FROM proc_value WHERE pss_kib = 0 AND rss_kib > 0')" 0

start_rec "$T/term.db" -d 0.1
wait_for 20 has_samples "$T/term.db" 2
kill -TERM "$REC_PID"
RC=0; wait "$REC_PID" || RC=$?
forget_rec "$REC_PID"
expect_rc "SIGTERM: the recorder ends with status 0" 0
same "SIGTERM: nothing on stderr" "$(wc -c <"$T/rec.err" | tr -d ' ')" 0
check "SIGTERM: every sample replays" replays_all "$T/term.db"

# --- SIGKILL at 20 random moments, the same file continued each time -------------
K=$T/kill.db
bad=0
for i in $(seq 1 20); do
	start_rec "$K" -d 0.05
	# a random moment: 0 to 0.6 s after start (start-up, mid-sample, mid-pause)
	sleep "$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%.3f", rand() * 0.6 }')"
	kill -KILL "$REC_PID"
	wait "$REC_PID" 2>/dev/null
	forget_rec "$REC_PID"
	ic=$(sqlite3 "$K" 'PRAGMA integrity_check' 2>&1)
	if [ "$ic" != ok ]; then bad=$((bad + 1)); diag "kill $i: integrity_check: $ic"; continue; fi
	if [ "$(samples "$K")" -gt 0 ] && ! replays_all "$K" >"$T/ra.out" 2>&1; then
		bad=$((bad + 1)); diag "kill $i:"; diag_file "$T/ra.out"
	fi
done
same "SIGKILL at 20 random moments: integrity_check ok and every sample replays each time (failures)" "$bad" 0
in_range "samples committed across the 20 kills" "$(samples "$K")" 1 100000

# --- refusals leave the file as it was -----------------------------------------
refused() { # DESC FILE PATTERN ARG...: exit 1, one line mentioning PATTERN, FILE unchanged
	_d=$1; _f=$2; _pat=$3; shift 3
	_before=$(sum "$_f" "$_f-wal")
	RC=0
	# shellcheck disable=SC2086 # RUNAS is a command prefix, split on purpose
	timeout "$SMAPTOP_TIMEOUT" $RUNAS "$SMAPTOP" --record "$_f" -n 1 -d 0.1 "$@" >"$T/out" \
		2>"$T/err" || RC=$?
	expect_rc "$_d: exit 1" 1
	expect_one_line "$_d: one message" "$T/err" "$_pat"
	same "$_d: the file is unchanged" "$(sum "$_f" "$_f-wal")" "$_before"
}
sqlite3 "$T/other.db" 'CREATE TABLE t(a); INSERT INTO t VALUES (1)'
refused "an SQLite file of another program" "$T/other.db" "not a smaptop history"
head -c 8192 /dev/urandom >"$T/garbage.db"
refused "a file that is not SQLite" "$T/garbage.db" "not an SQLite database"
cp "$H" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 99'
refused "a newer schema version" "$T/newer.db" "newer smaptop"
run_smaptop --replay "$T/newer.db" --csv
expect_rc "--replay of a newer schema: exit 1" 1
expect_one_line "--replay of a newer schema: one message" "$T/err" "newer smaptop"

cp "$H" "$T/older.db"
sqlite3 "$T/older.db" 'PRAGMA user_version = 1'
refused "a file of the previous schema version" "$T/older.db" "older smaptop"
run_smaptop --replay "$T/older.db" --csv
expect_rc "--replay of the previous schema: exit 1" 1
expect_one_line "--replay of the previous schema: one message" "$T/err" "older smaptop"

start_rec "$T/two.db" -d 0.1
wait_for 20 has_samples "$T/two.db" 1
kill -STOP "$REC_PID" # holds its lock, writes nothing while we look
refused "a second recorder on the same file" "$T/two.db" "another smaptop is recording"
kill -CONT "$REC_PID"
kill -TERM "$REC_PID"; wait "$REC_PID" 2>/dev/null; forget_rec "$REC_PID"

if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	NB="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
	mkdir "$T/ro" "$T/rodir"
	chmod 755 "$T" "$T/ro"
	cp "$H" "$T/ro/h.db"; chmod 644 "$T/ro/h.db"
	cp "$H" "$T/rodir/h.db"; chmod 666 "$T/rodir/h.db"; chmod 555 "$T/rodir"
	RUNAS=$NB
	refused "a read-only file (as nobody)" "$T/ro/h.db" "Permission denied"
	refused "a file in a read-only directory (as nobody)" "$T/rodir/h.db" "cannot write in directory"
	RUNAS=""
	chmod 700 "$T/rodir" "$T"
else
	skip "setpriv or the user nobody missing: read-only cases"
fi

# --- reading while recording ----------------------------------------------------
L=$T/live.db
start_rec "$L" -d 0.1
wait_for 20 has_samples "$L" 3
n0=$(samples "$L")
run_smaptop --replay "$L" --csv --columns pid
expect_rc "--replay of a file being recorded works" 0
got=$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')
in_range "--replay of a file being recorded sees the committed samples" "$got" "$n0" 100000
kill -TERM "$REC_PID"; wait "$REC_PID" 2>/dev/null; forget_rec "$REC_PID"

# --- disk full ------------------------------------------------------------------
MNT=$T/small
mkdir "$MNT"
if mount -t tmpfs -o size=512k tmpfs "$MNT" 2>"$T/mount.err"; then
	run_smaptop --record "$MNT/full.db" -d 0.05 --all
	expect_rc "disk full: exit 1" 1
	expect_one_line "disk full: one message" "$T/err" "disk full"
	same "disk full: integrity_check" "$(sqlite3 "$MNT/full.db" 'PRAGMA integrity_check' 2>&1)" ok
	in_range "disk full: samples committed before it" "$(samples "$MNT/full.db")" 1 100000
	check "disk full: every committed sample replays" replays_all "$MNT/full.db"
	umount "$MNT" && MNT=""
else
	skip "cannot mount a tmpfs: $(head -n 1 "$T/mount.err")"
	MNT=""
fi

finish
