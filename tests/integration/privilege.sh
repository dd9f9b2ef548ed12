#!/bin/sh
# smaptop as an unprivileged user (a throwaway system user, deleted on exit):
# what the kernel refuses (smaps_rollup of another user's or of a non-dumpable
# process: EACCES) is unavailable ('-', empty, null), never 0, while the
# world-readable values (status, oom_score) of the same processes are shown;
# the table says why; --maps of a refused process fails with "permission
# denied" with advice that fits (the owner of a non-dumpable process is not told
# to run "as its owner"). Then /proc mounted with hidepid=invisible and
# hidepid=noaccess in a private mount namespace: only the user's own processes,
# exit 0, no message; -p of another user's process says it is hidden, not absent.
# Needs root (to create the user); skips otherwise.
# shellcheck disable=SC2317,SC2016 # functions called through check; sh -c '$1' scripts
. tests/integration/lib.sh

if [ "$(id -u)" != 0 ]; then
	skip "not root (needs to create a test user)"
	exit 0
fi
require_binaries
ARGVHOG=$B/helpers/argvhog
[ -x "$ARGVHOG" ] || { not_ok "$ARGVHOG is built (run: make integration)"; finish; }
for cmd in useradd userdel setpriv; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		skip "$cmd is not installed"
		exit 0
	fi
done

TU=smaptop-t$$
TU_MADE=""
PUB=""
test_cleanup() {
	_crc=0
	if [ -n "$TU_MADE" ]; then
		# The user's processes are all hogs, stopped by lib.sh before this runs.
		if ! userdel "$TU" 2>"$T/userdel.err"; then
			diag "userdel $TU failed:"; diag_file "$T/userdel.err"
			_crc=1
		fi
		if getent group "$TU" >/dev/null 2>&1; then
			groupdel "$TU" 2>/dev/null || _crc=1
		fi
	fi
	[ -n "$PUB" ] && rm -rf "$PUB"
	return "$_crc"
}

if ! useradd -M -r -U -s /usr/sbin/nologin "$TU" >"$T/useradd.err" 2>&1; then
	skip "useradd $TU failed: $(head -n 1 "$T/useradd.err")"
	exit 0
fi
TU_MADE=1
TUID=$(id -u "$TU")
TGID=$(id -g "$TU")
diag "test user $TU uid $TUID gid $TGID"
as_user() { setpriv --reuid="$TUID" --regid="$TGID" --clear-groups "$@"; }

# The binaries must be reachable by the test user; copy them out if the tree is not.
SM=$SMAPTOP MH=$HOG AH=$ARGVHOG
if ! as_user sh -c 'test -x "$1" && test -x "$2" && test -x "$3"' sh "$SM" "$MH" "$AH" 2>/dev/null; then
	if ! { PUB=$(mktemp -d /tmp/smaptop-priv.XXXXXX) && chmod 755 "$PUB" &&
		cp "$SMAPTOP" "$PUB/smaptop" && cp "$HOG" "$PUB/memhog" && cp "$ARGVHOG" "$PUB/argvhog"; }; then
		not_ok "copy the binaries where $TU can run them"
		finish
	fi
	SM=$PUB/smaptop MH=$PUB/memhog AH=$PUB/argvhog
	diag "the tree is not accessible to $TU: running copies from $PUB"
fi

# run_user ARG...: smaptop as the test user; stdout $T/out, stderr $T/err, status RC.
run_user() {
	RC=0
	timeout "$SMAPTOP_TIMEOUT" setpriv --reuid="$TUID" --regid="$TGID" --clear-groups \
		"$SM" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

# start_user_hog PROGRAM ARG...: start_hog as the test user (setpriv execs, so the PID stays).
start_user_hog() {
	_memhog=$HOG
	HOG=setpriv
	start_hog --reuid="$TUID" --regid="$TGID" --clear-groups "$@"
	_rc=$?
	HOG=$_memhog
	return "$_rc"
}

start_hog --map 8 --touch 8 --name privroot || { not_ok "root's memhog starts"; finish; }
ROOTHOG=$HOG_PID
start_user_hog "$MH" --map 8 --touch 8 --name privuser || { not_ok "$TU's memhog starts"; finish; }
USERHOG=$HOG_PID
start_user_hog "$AH" --nodumpable -- privnodump || { not_ok "$TU's non-dumpable process starts"; finish; }
NODUMP=$HOG_PID

same "$TU's memhog runs as $TU" "$(stat -c %u "/proc/$USERHOG")" "$TUID"
# The files in /proc/PID of a non-dumpable process belong to root, whoever runs it.
same "$TU's non-dumpable process: /proc/PID/smaps_rollup belongs to root" "$(stat -c %u "/proc/$NODUMP/smaps_rollup")" 0
same "$TU's non-dumpable process runs as $TU" \
	"$(awk '$1 == "Uid:" { print $3 }' "/proc/$NODUMP/status")" "$TUID"

# has_num / is_empty PID COL: the CSV field is a non-negative integer / empty;
# json_is PID KEY WANT, json_num PID KEY: the same for the JSON output.
has_num() { csv_field "$1" "$2" | grep -Eqx '[0-9]+'; }
is_empty() { _v=$(csv_field "$1" "$2") && [ -z "$_v" ]; }
json_is() { [ "$(python3 "$PYTOOL" json-field "$T/out" "$1" "$2")" = "$3" ]; }
json_num() { python3 "$PYTOOL" json-field "$T/out" "$1" "$2" | grep -Eqx '[0-9]+'; }

# --- CSV ---
run_user --csv -p "$ROOTHOG,$USERHOG,$NODUMP"
expect_rc "as $TU: --csv -p ROOT,OWN,NODUMP" 0
check "as $TU: --csv stderr is empty" test ! -s "$T/err"
check "as $TU: --csv is well-formed" python3 "$PYTOOL" csv-check "$T/out"
for col in rss_kib vsz_kib swap_kib oom_score; do
	check "as $TU: root's process: $col (world-readable) is a number" has_num "$ROOTHOG" "$col"
	check "as $TU: own non-dumpable process: $col is a number" has_num "$NODUMP" "$col"
done
check "as $TU: root's process: rss_kib is not 0" test "$(csv_field "$ROOTHOG" rss_kib)" -gt 0
for col in pss_kib uss_kib swap_pss_kib pss_anon_kib pss_file_kib; do
	check "as $TU: root's process: $col is empty (permission), not 0" is_empty "$ROOTHOG" "$col"
	check "as $TU: own non-dumpable process: $col is empty (permission), not 0" is_empty "$NODUMP" "$col"
done
for col in pss_kib uss_kib swap_pss_kib; do
	check "as $TU: own memhog: $col is a number" has_num "$USERHOG" "$col"
done
in_range "as $TU: own memhog touching 8 MiB: pss_kib" "$(csv_field "$USERHOG" pss_kib)" 8192 65536

# --- JSON ---
run_user --json -p "$ROOTHOG,$USERHOG,$NODUMP"
expect_rc "as $TU: --json -p ROOT,OWN,NODUMP" 0
check "as $TU: --json is strict JSON, unavailable is null" python3 "$PYTOOL" json-check "$T/out"
for key in pss_kib uss_kib swap_pss_kib; do
	check "as $TU: --json root's process: $key is null" json_is "$ROOTHOG" "$key" null
	check "as $TU: --json own non-dumpable process: $key is null" json_is "$NODUMP" "$key" null
	check "as $TU: --json own memhog: $key is a number" json_num "$USERHOG" "$key"
done
for key in rss_kib vsz_kib swap_kib oom_score; do
	check "as $TU: --json root's process: $key is a number" json_num "$ROOTHOG" "$key"
done

# --- table ---
run_user -1 -p "$ROOTHOG,$USERHOG,$NODUMP" --columns pid,rss,vsz,swap,oom,pss,uss,swap_pss,comm
expect_rc "as $TU: -1 -p ROOT,OWN,NODUMP" 0
cp "$T/out" "$T/table"
# row_shape PID: columns 2..8 of PID's row, as "rss vsz swap oom pss uss swap_pss" with
# each value reduced to "-" or "n" (a number).
row_shape() {
	awk -v p="$1" '$1 == p { s = ""; for (i = 2; i <= 8; i++) s = s (i > 2 ? " " : "") ($i == "-" ? "-" : "n"); print s; n++ }
		END { if (n != 1) print "rows: " n }' "$T/table"
}
same "as $TU: -1 root's process: rss vsz swap oom shown, pss uss swap_pss '-'" "$(row_shape "$ROOTHOG")" "n n n n - - -"
same "as $TU: -1 own non-dumpable process: pss uss swap_pss '-'" "$(row_shape "$NODUMP")" "n n n n - - -"
same "as $TU: -1 own memhog: every column shown" "$(row_shape "$USERHOG")" "n n n n n n n"
# The summary counts every process it read (not only the selected ones): at least
# root's process and the non-dumpable one were refused.
check "as $TU: -1 summary line says PSS is unavailable (permission) for 2 or more" \
	sh -c 'head -n 1 "$1" | grep -Eq "PSS unavailable for ([2-9]|[1-9][0-9]+) \(permission"' sh "$T/table"
run_user -1
expect_rc "as $TU: -1 (every process)" 0
check "as $TU: -1 (every process): the summary line mentions the permission" \
	sh -c 'head -n 1 "$1" | grep -q "permission"' sh "$T/out"

# --- --maps ---
for target in "root's process:$ROOTHOG" "own non-dumpable process:$NODUMP"; do
	run_user --maps "${target##*:}"
	expect_rc "as $TU: --maps of ${target%%:*} fails" 1
	expect_one_line "as $TU: --maps of ${target%%:*}: one message, 'permission denied'" "$T/err" "permission denied"
	check "as $TU: --maps of ${target%%:*}: nothing on stdout" test ! -s "$T/out"
done
# The advice fits who is running: the owner of a non-dumpable process is not told
# to run "as its owner"; another user's process may be read as its owner.
run_user --maps "$NODUMP"
check "as $TU: --maps of own non-dumpable process: no advice to run as its owner" \
	sh -c '! grep -q "owner" "$1"' sh "$T/err"
check "as $TU: --maps of own non-dumpable process: says it is not dumpable" grep -q "not dumpable" "$T/err"
run_user --maps "$ROOTHOG"
check "as $TU: --maps of root's process: says it is another user's" grep -q "another user" "$T/err"
# Root refused (here: root without any capability, reading another user's
# process): say what happened, not "run as root".
RC=0
timeout "$SMAPTOP_TIMEOUT" setpriv --bounding-set -all "$SM" --maps "$USERHOG" >"$T/out" 2>"$T/err" || RC=$?
expect_rc "root without capabilities: --maps of $TU's process fails" 1
expect_one_line "root without capabilities: --maps: 'permission denied'" "$T/err" "permission denied"
check "root without capabilities: --maps: no advice to run as root" sh -c '! grep -q "run as root" "$1"' sh "$T/err"
RC=0
timeout "$SMAPTOP_TIMEOUT" setpriv --bounding-set -all "$SM" -1 -p "$USERHOG" >"$T/out" 2>"$T/err" || RC=$?
expect_rc "root without capabilities: -1 -p $TU's process" 0
check "root without capabilities: -1 summary says PSS is unavailable for 1" \
	sh -c 'head -n 1 "$1" | grep -q "PSS unavailable for 1 "' sh "$T/out"
check "root without capabilities: -1 summary: no advice to run as root" \
	sh -c '! head -n 1 "$1" | grep -q "run as root"' sh "$T/out"
run_user --maps "$USERHOG" --csv
expect_rc "as $TU: --maps of own memhog" 0
check "as $TU: --maps of own memhog is well-formed" python3 "$PYTOOL" maps-check "$T/out"

# --- hidepid: /proc mounted privately in a new mount namespace ---
# only_own FILE: at least one row, every row is the test user's, own memhog listed,
# root's memhog not.
only_own() {
	python3 - "$1" "$TUID" "$USERHOG" "$ROOTHOG" <<'EOF'
import csv, sys
path, uid, own, root = sys.argv[1:]
rows = list(csv.DictReader(open(path, newline="")))
bad = [r for r in rows if r["uid"] != uid]
pids = {r["pid"] for r in rows}
if not rows or bad or own not in pids or root in pids:
    print("rows %d, not ours %s, own memhog listed %s, root memhog listed %s"
          % (len(rows), [(r["pid"], r["uid"], r["comm"]) for r in bad][:5], own in pids, root in pids))
    sys.exit(1)
print("%d rows, all uid %s" % (len(rows), uid))
EOF
}
if ! command -v unshare >/dev/null 2>&1; then
	skip "hidepid: unshare is not installed"
elif ! unshare -m --propagation private true 2>"$T/unshare.err"; then
	skip "hidepid: unshare -m fails here: $(head -n 1 "$T/unshare.err")"
else
	# mode:legacy number (kernels before 5.8 know only the numbers)
	# run_hidden NAME NUM ARG...: smaptop ARG... as the test user with /proc mounted
	# hidepid=NAME (or NUM); $T/out, $T/err, RC (99: the mount failed)
	run_hidden() {
		_hn=$1 _hm=$2
		shift 2
		RC=0
		timeout "$SMAPTOP_TIMEOUT" unshare -m --propagation private sh -c '
			mount -t proc -o "hidepid=$1" proc /proc 2>/dev/null ||
				mount -t proc -o "hidepid=$2" proc /proc || exit 99
			shift 2
			exec setpriv "$@"' sh "$_hn" "$_hm" --reuid="$TUID" --regid="$TGID" --clear-groups \
			"$SM" "$@" >"$T/out" 2>"$T/err" || RC=$?
	}
	for hp in invisible:2 noaccess:1; do
		name=${hp%%:*} num=${hp#*:}
		run_hidden "$name" "$num" --csv --columns pid,uid,user,state,rss,comm
		if [ "$RC" -eq 99 ]; then
			skip "hidepid=$name: mounting /proc in a new mount namespace failed"
			continue
		fi
		expect_rc "as $TU with /proc hidepid=$name: --csv" 0
		check "as $TU with /proc hidepid=$name: stderr is empty" test ! -s "$T/err"
		check "as $TU with /proc hidepid=$name: well-formed CSV" python3 "$PYTOOL" csv-check "$T/out"
		check "as $TU with /proc hidepid=$name: only $TU's processes, own memhog included" only_own "$T/out"
		# A process /proc hides is hidden, not absent.
		run_hidden "$name" "$num" --csv -p "$ROOTHOG"
		expect_rc "as $TU with /proc hidepid=$name: -p ROOT (exists, hidden)" 1
		expect_one_line "as $TU with /proc hidepid=$name: -p ROOT: says it exists but is hidden" \
			"$T/err" "PID $ROOTHOG exists, but /proc hides it"
		run_hidden "$name" "$num" --csv -p "$USERHOG,$ROOTHOG"
		expect_rc "as $TU with /proc hidepid=$name: -p OWN,ROOT" 1
		expect_one_line "as $TU with /proc hidepid=$name: -p OWN,ROOT: names the hidden one" \
			"$T/err" "PID $ROOTHOG exists"
	done
	# The host's /proc was not touched.
	check "the host's /proc still shows root's memhog" test -r "/proc/$ROOTHOG/smaps_rollup"
fi

finish
