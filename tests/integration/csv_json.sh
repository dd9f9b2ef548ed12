#!/bin/sh
# CSV and JSON output with a hostile process name (terminal escape, newline,
# comma, double quote, invalid UTF-8, backslash), and the sample loop (-n, -d).
. tests/integration/lib.sh
require_binaries

# ESC [2J, newline, comma, double quote, byte 0xff, backslash: 11 bytes, under
# the kernel's 15-byte comm limit.
name=$(printf 'h\033[2J\n,"\377\\z')
if ! start_hog --name "$name"; then
	not_ok "memhog --name HOSTILE starts"
	finish
fi
pid=$HOG_PID
# What the kernel kept, without the newline it appends.
python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], "rb").read()[:-1])' \
	"/proc/$pid/comm" >"$T/comm.raw"
printf '%s' "$name" >"$T/name.raw"
check "the kernel kept the whole hostile name" cmp "$T/comm.raw" "$T/name.raw"

# FILE is not empty and has no raw ESC byte.
no_esc() { [ -s "$1" ] && ! grep -q "$(printf '\033')" "$1"; }

# --- CSV, default columns, every process ---
run_smaptop --csv
expect_rc "--csv" 0
cp "$T/out" "$T/all.csv"
check "--csv (all processes) is well-formed and round-trips through Python's csv" \
	python3 "$PYTOOL" csv-check "$T/all.csv"
check "--csv stdout has no raw ESC byte" no_esc "$T/all.csv"
check "--csv has exactly one row for the hostile hog" \
	test "$(python3 "$PYTOOL" count "$T/all.csv" pid "$pid")" = 1
check "--csv first column is time_unix_ms" \
	test "$(python3 "$PYTOOL" header "$T/all.csv" | sed -n 1p)" = time_unix_ms
now_ms=$(($(date +%s) * 1000))
t=$(python3 "$PYTOOL" field "$T/all.csv" pid "$pid" time_unix_ms)
in_range "--csv time_unix_ms is the current time" "$t" $((now_ms - 60000)) $((now_ms + 60000))

# --- CSV, the text columns ---
run_smaptop --csv --columns pid,comm,cmd
expect_rc "--csv --columns pid,comm,cmd" 0
cp "$T/out" "$T/text.csv"
check "--csv --columns pid,comm,cmd is well-formed and round-trips" \
	python3 "$PYTOOL" csv-check "$T/text.csv"
check "--csv --columns pid,comm,cmd has no raw ESC byte" no_esc "$T/text.csv"
check "--csv header is time_unix_ms,pid,comm,cmdline" \
	test "$(python3 "$PYTOOL" header "$T/text.csv" | tr '\n' ,)" = "time_unix_ms,pid,comm,cmdline,"
check "--csv comm of the hostile hog, unescaped, equals /proc/PID/comm" \
	python3 "$PYTOOL" text-eq "$T/text.csv" pid "$pid" comm "$T/comm.raw"
check "--csv cmdline of the hostile hog, unescaped, contains its raw --name argument" \
	python3 "$PYTOOL" text-contains "$T/text.csv" pid "$pid" cmdline "$T/name.raw"
check "--csv comm escapes the hostile bytes as \\xNN and \\\\" \
	test "$(python3 "$PYTOOL" field "$T/text.csv" pid "$pid" comm)" = 'h\x1b[2J\x0a,"\xff\\z'

# --- table ---
run_smaptop -1 -p "$pid" --columns pid,comm
expect_rc "-1 -p PID --columns pid,comm" 0
check "-1 (table) has no raw ESC byte" no_esc "$T/out"
# The column may clip the name; its escaped start must be there.
check "-1 (table) shows the escaped name" grep -qF -e 'h\x1b[2J' "$T/out"

# --- JSON ---
run_smaptop --json
expect_rc "--json" 0
cp "$T/out" "$T/all.json"
check "--json: every line is strict JSON; numbers are numbers, unavailable is null" \
	python3 "$PYTOOL" json-check "$T/all.json"
check "--json (one sample) is one line" test "$(grep -c '' "$T/all.json")" = 1
check "--json stdout has no raw ESC byte" no_esc "$T/all.json"
check "--json comm of the hostile hog, unescaped, equals /proc/PID/comm" \
	python3 "$PYTOOL" json-text-eq "$T/all.json" "$pid" comm "$T/comm.raw"
run_smaptop --json -p "$pid" --columns pid,comm,cmd,rss,pss,swap,oom
expect_rc "--json -p PID --columns pid,comm,cmd,rss,pss,swap,oom" 0
check "--json with chosen columns: strict JSON" python3 "$PYTOOL" json-check "$T/out"
check "--json cmdline of the hostile hog, unescaped, contains its --name argument" \
	python3 "$PYTOOL" json-text-contains "$T/out" "$pid" cmdline "$T/name.raw"
for key in rss_kib pss_kib swap_kib oom_score; do
	check "--json $key of the hog is an integer" \
		sh -c 'python3 "$1" json-field "$2" "$3" "$4" | grep -Eqx "[0-9]+"' \
		sh "$PYTOOL" "$T/out" "$pid" "$key"
done

# --- the sample loop ---
run_smaptop -n 3 -d 0.2 --csv -p "$pid"
expect_rc "-n 3 -d 0.2 --csv -p PID" 0
check "-n 3 --csv is well-formed" python3 "$PYTOOL" csv-check "$T/out"
check "-n 3 --csv prints the header once" \
	test "$(grep -c '^time_unix_ms,' "$T/out")" = 1
check "-n 3 --csv -p PID prints 3 rows" test "$(python3 "$PYTOOL" rows "$T/out")" = 3
python3 "$PYTOOL" values "$T/out" time_unix_ms >"$T/times"
check "-n 3 --csv: 3 distinct time_unix_ms values" test "$(sort -u "$T/times" | grep -c '')" = 3
check "-n 3 -d 0.2: samples are at least 150 ms apart, in order" awk '
	NR > 1 && $1 - prev < 150 { print "gap " $1 - prev " ms"; bad = 1 }
	{ prev = $1 } END { exit bad || NR != 3 }' "$T/times"

run_smaptop --json -n 2 -d 0.2 -p "$pid"
expect_rc "--json -n 2 -d 0.2" 0
check "--json -n 2 prints exactly 2 lines" test "$(grep -c '' "$T/out")" = 2
check "--json -n 2: both lines are strict JSON" python3 "$PYTOOL" json-check "$T/out"

run_smaptop --json -n 2 -d 0.2
expect_rc "--json -n 2 -d 0.2 (all processes)" 0
check "--json -n 2 (all processes) prints exactly 2 lines" test "$(grep -c '' "$T/out")" = 2

finish
