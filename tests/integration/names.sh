#!/bin/sh
# Names as the kernel writes them, read back from every sink (-1, --csv,
# --json): a mapped file whose name holds a newline, which the kernel writes
# as "\012" in /proc/PID/smaps, is decoded and escaped by smaptop's own rule,
# so it reads "nl\x0aname sp" everywhere (not the kernel's "\012", nor that
# with its backslash doubled).
. tests/integration/lib.sh
require_binaries

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

finish
