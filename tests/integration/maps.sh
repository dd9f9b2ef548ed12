#!/bin/sh
# --maps PID: the per-mapping breakdown of a memhog with a named 8 MiB file
# mapping, compared with the kernel's own totals (smaps_rollup) while the hog is
# stopped, and the --group form.
. tests/integration/lib.sh
require_binaries

NMAPPINGS=40

mapped=$(cd "$T" && pwd -P)/mapped.dat # the path as the kernel prints it
if ! dd if=/dev/urandom of="$mapped" bs=1M count=8 2>"$T/dd.err"; then
	not_ok "create an 8 MiB file"
	diag_file "$T/dd.err"
	finish
fi
if ! start_hog --file "$mapped" --file-mib 8 --map 4 --touch 4 --mappings "$NMAPPINGS"; then
	not_ok "memhog --file PATH --file-mib 8 --map 4 --touch 4 --mappings $NMAPPINGS starts"
	finish
fi
pid=$HOG_PID

# Stop the hog, so that smaptop and the kernel's rollup see the same memory.
kill -STOP "$pid"
stopped() { [ "$(sed -e 's/.*) //' -e 's/ .*//' "/proc/$pid/stat")" = T ]; }
wait_for 5 stopped || diag "memhog $pid did not stop"

# A stopped process still shares pages with others: the rollup is read before
# and after smaptop, and the reading is made again while a value compared
# exactly below moved. (Which clean pages count as shared depends on the
# reader itself, cp or smaptop, mapping them too: only their total is exact.)
for attempt in 1 2 3 4 5; do
	cp "/proc/$pid/smaps_rollup" "$T/rollup.before"
	run_smaptop --maps "$pid" --csv
	rc_maps=$RC
	cp "$T/out" "$T/maps.csv"
	cp "$T/err" "$T/maps.err"
	run_smaptop --maps "$pid" --group --csv
	rc_group=$RC
	cp "$T/out" "$T/group.csv"
	cp "/proc/$pid/smaps_rollup" "$T/rollup"
	keys='^(Rss|Shared_Dirty|Private_Dirty|Anonymous|Swap|Locked|AnonHugePages|ShmemPmdMapped|FilePmdMapped):'
	[ "$(grep -E "$keys" "$T/rollup.before")" = "$(grep -E "$keys" "$T/rollup")" ] && break
	diag "sharing changed while smaptop read (attempt $attempt): reading again"
done
RC=$rc_group
expect_rc "--maps PID --group --csv" 0
cp "$T/maps.err" "$T/err"
RC=$rc_maps
expect_rc "--maps PID --csv" 0
grep -c '' "/proc/$pid/maps" >"$T/nmaps"
size_total=$(awk '$1 == "Size:" { s += $2 } END { print s + 0 }' "/proc/$pid/smaps")
kill -CONT "$pid"

check "--maps --csv is well-formed CSV" python3 "$PYTOOL" csv-check "$T/maps.csv"
check "--maps --csv: start/end/size_kib/class are consistent" \
	python3 "$PYTOOL" maps-check "$T/maps.csv"
nrows=$(python3 "$PYTOOL" rows "$T/maps.csv")
same "--maps --csv has one row per line of /proc/PID/maps" "$nrows" "$(cat "$T/nmaps")"

# The named file mapping.
field() { python3 "$PYTOOL" field "$T/maps.csv" path "$mapped" "$1"; }
check "--maps --csv has exactly one row for the mapped file" \
	test "$(python3 "$PYTOOL" count "$T/maps.csv" path "$mapped")" = 1
check "its size_kib is 8192" test "$(field size_kib)" = 8192
check "its rss_kib is 8192 (every page was read)" test "$(field rss_kib)" = 8192
check "its class is file" test "$(field class)" = file
check "its perms are r--p" test "$(field perms)" = r--p

# Column sums against the kernel's rollup (kept in $T/rollup while stopped).
python3 "$PYTOOL" sums "$T/maps.csv" >"$T/sums" 2>"$T/sums.err" || {
	not_ok "--maps --csv: every *_kib field is an integer"
	diag_file "$T/sums.err"
}
rollup() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB\$/\1/p" "$T/rollup"; }
sum_of() { awk -v c="$1" '$1 == c { print $2 }' "$T/sums"; }
for pair in rss_kib:Rss shared_dirty_kib:Shared_Dirty private_dirty_kib:Private_Dirty \
	referenced_kib:Referenced anonymous_kib:Anonymous swap_kib:Swap locked_kib:Locked; do
	col=${pair%%:*} key=${pair#*:}
	same "sum of $col over --maps rows = smaps_rollup $key" "$(sum_of "$col")" "$(rollup "$key")"
done
same "sum of shared_clean_kib + private_clean_kib = smaps_rollup Shared_Clean + Private_Clean" \
	"$(($(sum_of shared_clean_kib) + $(sum_of private_clean_kib)))" \
	"$(($(rollup Shared_Clean) + $(rollup Private_Clean)))"
thp=$(($(rollup AnonHugePages) + $(rollup ShmemPmdMapped) + $(rollup FilePmdMapped)))
same "sum of thp_kib = smaps_rollup AnonHugePages+ShmemPmdMapped+FilePmdMapped" \
	"$(sum_of thp_kib)" "$thp"
same "sum of size_kib = sum of Size in /proc/PID/smaps" "$(sum_of size_kib)" "$size_total"
# The kernel rounds each mapping's PSS down to a KiB, the rollup only once.
# The reader's own share of clean pages (see above) moves PSS by at most half
# of them; whole mappings missing or counted twice would move it by far more.
clean=$(($(rollup Shared_Clean) + $(rollup Private_Clean)))
for pair in pss_kib:Pss:$((clean / 2)) swap_pss_kib:SwapPss:0; do
	col=${pair%%:*} rest=${pair#*:}; key=${rest%%:*} slack=${rest#*:}
	r=$(rollup "$key")
	in_range "sum of $col over --maps rows ~ smaps_rollup $key" "$(sum_of "$col")" \
		$((r - nrows - slack)) $((r + slack))
done

# --group: one row per class and path.
check "--maps --group --csv is well-formed CSV" python3 "$PYTOOL" csv-check "$T/group.csv"
for cls in heap stack; do
	n=$(python3 "$PYTOOL" values "$T/group.csv" class | grep -cx "$cls")
	check "--group has one $cls row" test "$n" = 1
done
check "--group has one row for the mapped file" \
	test "$(python3 "$PYTOOL" count "$T/group.csv" path "$mapped")" = 1
python3 "$PYTOOL" sums "$T/group.csv" >"$T/gsums" 2>"$T/gsums.err"
same "sum of rss_kib over --group rows = smaps_rollup Rss" \
	"$(awk '$1 == "rss_kib" { print $2 }' "$T/gsums")" "$(rollup Rss)"
same "sum of count over --group rows = number of --maps rows" \
	"$(python3 "$PYTOOL" values "$T/group.csv" count | awk '{ s += $1 } END { print s }')" \
	"$(cat "$T/nmaps")"
# The $NMAPPINGS one-page anonymous mappings: one group per distinct class+path.
check "--group has fewer rows than --maps" \
	test "$(python3 "$PYTOOL" rows "$T/group.csv")" -lt "$(cat "$T/nmaps")"

# Other formats of the same view.
run_smaptop --maps "$pid"
expect_rc "--maps PID (table)" 0
check "the --maps table lists the mapped file" grep -qF -e "$mapped" "$T/out"
# Device as /proc/PID/maps writes it (major:minor, two hex digits at least).
check "the --maps table shows the mapped file's device as CSV and /proc do" \
	test "$(grep -F -e "$mapped" "$T/out" | awk '{ print $4 }')" = "$(field dev)"
run_smaptop --maps "$pid" --json
expect_rc "--maps PID --json" 0
check "--maps --json: every line is JSON and names the mapped file" python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().decode().splitlines()
assert lines, "no output"
for l in lines:
    json.loads(l)
assert sys.argv[2] in "".join(lines), "mapped file not named"' "$T/out" "$mapped"

# Errors.
if gone_pid; then
	run_smaptop --maps "$GONE_PID" --csv
	expect_rc "--maps of a PID that exited" 2
	expect_one_line "--maps of a PID that exited: one line on stderr naming it" "$T/err" \
		"$GONE_PID"
else
	skip "the PID of an exited memhog was reused at once"
fi
run_smaptop --maps abc --csv
expect_rc "--maps abc" 2

finish
