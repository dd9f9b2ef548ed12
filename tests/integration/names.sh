#!/bin/sh
# Names as the kernel writes them, read back from every sink (-1, --csv,
# --json): a mapped file whose name holds a newline, which the kernel writes
# as "\012" in /proc/PID/smaps, is decoded and escaped by smaptop's own rule,
# so it reads "nl\x0aname sp" everywhere (not the kernel's "\012", nor that
# with its backslash doubled). A command line of spaces only, or of empty
# arguments only (NULs), is shown as "[comm]", as ps and top show it.
. tests/integration/lib.sh
require_binaries
ARGVHOG=$B/helpers/argvhog
[ -x "$ARGVHOG" ] || { not_ok "$ARGVHOG is built (run: make integration)"; finish; }

# start_argvhog [ARGVHOG-OPTION...] -- ARGV0 [ARG...]: start_hog with argvhog.
start_argvhog() {
	_memhog=$HOG
	HOG=$ARGVHOG
	start_hog "$@"
	_rc=$?
	HOG=$_memhog
	return "$_rc"
}

# --- a mapped file named "nl<newline>name sp" ---
dir=$(cd "$T" && pwd -P)
nlfile="$dir/$(printf 'nl\nname sp')"
want="$dir/nl\\x0aname sp" # smaptop's escaping of the name: a backslash, then x0a
if start_hog --file "$nlfile" --file-mib 1; then
	pid=$HOG_PID
	check "the kernel writes the newline as \\012 in smaps" \
		grep -qF -e 'nl\012name sp' "/proc/$pid/smaps"
	run_smaptop --maps "$pid" --csv
	expect_rc "--maps PID --csv" 0
	check "--maps --csv: the path reads nl\\x0aname sp" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
paths = [r["path"] for r in rows]
assert sys.argv[2] in paths, [p for p in paths if "name sp" in p]' "$T/out" "$want"
	run_smaptop --maps "$pid" --json
	expect_rc "--maps PID --json" 0
	check "--maps --json: the path reads nl\\x0aname sp" python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).read())
paths = [m["path"] for m in doc["mappings"]]
assert sys.argv[2] in paths, [p for p in paths if "name sp" in p]' "$T/out" "$want"
	run_smaptop --maps "$pid" --group --json
	expect_rc "--maps PID --group --json" 0
	check "--maps --group --json: the path reads nl\\x0aname sp" python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).read())
paths = [g["path"] for g in doc["groups"]]
assert sys.argv[2] in paths, [p for p in paths if "name sp" in p]' "$T/out" "$want"
	run_smaptop --maps "$pid"
	expect_rc "--maps PID (table)" 0
	check "--maps table: the path reads nl\\x0aname sp" grep -qF -e "$want" "$T/out"
	stop_hog "$pid"
else
	not_ok "memhog --file 'nl<newline>name sp' starts"
fi

# --- blank command lines ---
# blank_cmdline DESC NAME ARGV...: an argvhog named NAME with this argv shows
# "[NAME]" as its command line in CSV, JSON and the table.
blank_cmdline() {
	_bd=$1 _name=$2
	shift 2
	if ! start_argvhog --name "$_name" -- "$@"; then
		not_ok "argvhog with $_bd starts"
		return
	fi
	_pid=$HOG_PID
	check "$_bd: /proc/PID/cmdline holds only NULs and spaces" python3 -c '
import sys
b = open("/proc/%s/cmdline" % sys.argv[1], "rb").read()
assert b and not b.replace(b"\0", b"").strip(b" "), b' "$_pid"
	run_smaptop -p "$_pid" --csv --columns pid,comm,cmdline
	expect_rc "$_bd: --csv" 0
	same "$_bd: --csv cmdline is [comm]" "$(csv_field "$_pid" cmdline)" "[$_name]"
	run_smaptop -p "$_pid" --json --columns pid,comm,cmdline
	expect_rc "$_bd: --json" 0
	same "$_bd: --json cmdline is [comm]" "$(python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).readline())
print([p["cmdline"] for p in doc["processes"]][0])' "$T/out" 2>&1)" "[$_name]"
	run_smaptop -1 -p "$_pid" --columns pid,cmdline
	expect_rc "$_bd: -1" 0
	check "$_bd: the table shows [comm]" grep -qE "^ *$_pid +\[$_name\] *\$" "$T/out"
	stop_hog "$_pid"
}
blank_cmdline "an argv of spaces" spacehog '     ' '   ' ' '
blank_cmdline "an argv of empty arguments" nulhog '' '' '' ''

finish
