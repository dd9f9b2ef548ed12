#!/bin/sh
# Values the kernel did not give, or gave out of range, are unavailable, never
# numbers. The files of one memhog in /proc are replaced by broken ones with an
# LD_PRELOAD library (tests/integration/procshim.c: opens of /proc/PID/NAME,
# relative to /proc or not, get PROCSHIM_DIR/NAME instead), and every sink
# is read back: CSV (empty field), JSON (null), the table ("-").
#   - status without VmRSS: rss and its parts unavailable, not 0;
#   - status with VmSize, VmRSS, VmSwap of 99999999999999999999 kB:
#     unavailable, not 9223372036854775807;
#   - oom_score_adj -5000: unavailable;
#   - smaps with a mapping whose Rss is not a number: that row's rss is
#     unavailable, and the rows' sum says it is;
#   - numa_maps with a count past 64 bits: node and total unavailable, not 0;
#   - an empty cmdline (a process caught mid-exec): "[comm]", as ps shows it.
. tests/integration/lib.sh
require_binaries

CC=${CC:-cc}
if ! $CC -shared -fPIC -O1 -o "$T/procshim.so" tests/integration/procshim.c -ldl 2>"$T/cc.err"; then
	not_ok "the LD_PRELOAD library builds"
	diag_file "$T/cc.err"
	finish
fi
start_hog --map 4 --touch 4 --name brokenhog || { not_ok "memhog starts"; finish; }
pid=$HOG_PID

# shim NAME: a fresh replacement directory $T/NAME (filled by the caller).
shim() { rm -rf "${T:?}/$1"; mkdir "$T/$1"; }
# run_shim DIR SMAPTOP-ARGS...: run_smaptop with DIR's files in place of the hog's.
run_shim() {
	_d=$1
	shift
	# a sanitizer runtime must come first among the libraries; the shim has none
	PROCSHIM_PID=$pid PROCSHIM_DIR=$T/$_d LD_PRELOAD=$T/procshim.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		run_smaptop "$@"
}
json_of() { # json_of KEY: the KEY of the hog's object in the --json output
	python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).readline())
rows = [p for p in doc["processes"] if p["pid"] == int(sys.argv[2])]
print(json.dumps(rows[0].get(sys.argv[3], "absent")) if len(rows) == 1 else "rows: %d" % len(rows))' \
		"$T/out" "$pid" "$1"
}
COLS=pid,vsz,rss,rss_anon,rss_file,rss_shmem,swap,oom_adj,comm
# empty DESC CMD...: CMD prints a field (csv_field, outcheck.py field): it exists and is empty.
empty() {
	_d=$1
	shift
	if _v=$("$@" 2>"$T/field.err"); then
		if [ -z "$_v" ]; then ok "$_d"; else not_ok "$_d (got '$_v', want empty)"; fi
	else
		not_ok "$_d (no such row or column)"
		diag_file "$T/field.err"
	fi
}

# --- status without VmRSS ---
shim novmrss
grep -v '^VmRSS:' "/proc/$pid/status" >"$T/novmrss/status"
run_shim novmrss --csv -p "$pid" --columns "$COLS"
expect_rc "status without VmRSS: --csv" 0
empty "status without VmRSS: rss_kib is empty" csv_field "$pid" rss_kib
empty "status without VmRSS: rss_anon_kib is empty" csv_field "$pid" rss_anon_kib
check "status without VmRSS: vsz_kib is still a number" is_int "$(csv_field "$pid" vsz_kib)"
run_shim novmrss --json -p "$pid" --columns "$COLS"
same "status without VmRSS: JSON rss_kib is null" "$(json_of rss_kib)" null
run_shim novmrss -1 -p "$pid" --columns pid,rss,comm
check "status without VmRSS: the table shows -" grep -qE "^ *$pid +- +brokenhog" "$T/out"

# --- status with values too big ---
shim huge
sed -e 's/^\(VmSize\|VmRSS\|VmSwap\):.*/\1:\t99999999999999999999 kB/' "/proc/$pid/status" \
	>"$T/huge/status"
run_shim huge --csv -p "$pid" --columns "$COLS"
expect_rc "status with 20-digit values: --csv" 0
for k in vsz_kib rss_kib swap_kib; do
	empty "status with 20-digit values: $k is empty" csv_field "$pid" "$k"
done
run_shim huge --json -p "$pid" --columns "$COLS"
same "status with 20-digit values: JSON vsz_kib is null" "$(json_of vsz_kib)" null
run_shim huge -1 -p "$pid" --columns pid,vsz,comm
check "status with 20-digit values: the table shows -, not 8192E" \
	grep -qE "^ *$pid +- +brokenhog" "$T/out"

# --- oom_score_adj out of range ---
shim oomadj
echo -5000 >"$T/oomadj/oom_score_adj"
run_shim oomadj --csv -p "$pid" --columns "$COLS"
expect_rc "oom_score_adj -5000: --csv" 0
empty "oom_score_adj -5000: oom_score_adj is empty" csv_field "$pid" oom_score_adj
run_shim oomadj --json -p "$pid" --columns "$COLS"
same "oom_score_adj -5000: JSON is null" "$(json_of oom_score_adj)" null

# --- an empty command line, as read from a process caught mid-exec ---
shim noargs
: >"$T/noargs/cmdline"
run_shim noargs --csv -p "$pid" --columns pid,comm,cmdline
expect_rc "an empty cmdline: --csv" 0
same "an empty cmdline: shown as [comm]" "$(csv_field "$pid" cmdline)" "[brokenhog]"
run_shim noargs --json -p "$pid" --columns pid,comm,cmdline
same "an empty cmdline: JSON [comm]" "$(json_of cmdline)" '"[brokenhog]"'

# --- smaps with an unparsable Rss ---
shim badrss
awk '/^Rss:/ && !done { print "Rss:                 abc kB"; done = 1; next } { print }' \
	"/proc/$pid/smaps" >"$T/badrss/smaps"
first=$(head -n 1 "$T/badrss/smaps" | cut -d- -f1)
run_shim badrss --maps "$pid" --csv
expect_rc "smaps with an unparsable Rss: --maps --csv" 0
empty "smaps with an unparsable Rss: that row's rss_kib is empty" \
	python3 "$PYTOOL" field "$T/out" start "0x$first" rss_kib
run_shim badrss --maps "$pid" --json
check "smaps with an unparsable Rss: JSON row null, rows_sum null" python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).read())
row = [m for m in doc["mappings"] if m["start"] == "0x" + sys.argv[2]]
assert len(row) == 1 and row[0]["rss_kib"] is None, row
assert doc["rows_sum"]["rss_kib"] is None, doc["rows_sum"]
assert isinstance(doc["rows_sum"]["pss_kib"], int), doc["rows_sum"]' "$T/out" "$first"
run_shim badrss --maps "$pid"
check "smaps with an unparsable Rss: the table says the rows' sum leaves it out" \
	grep -qF "(Rss of some mappings is unavailable" "$T/out"

# --- numa_maps with a count out of range ---
shim numa
awk 'NR == 1 { sub(/N0=[0-9]+/, "N0=99999999999999999999") } { print }' \
	"/proc/$pid/numa_maps" >"$T/numa/numa_maps"
if grep -q 'N0=99999999999999999999' "$T/numa/numa_maps"; then
	run_shim numa --numa -p "$pid" --csv
	expect_rc "numa_maps with a 20-digit count: --numa --csv" 0
	empty "numa_maps with a 20-digit count: node0_kib is empty" csv_field "$pid" node0_kib
	empty "numa_maps with a 20-digit count: total_kib is empty" csv_field "$pid" total_kib
else
	not_ok "the hog's numa_maps has an N0= count on its first line"
	diag_file "/proc/$pid/numa_maps"
fi

finish
