#!/bin/sh
# Per-process memory values against memhog children with known memory, the OOM
# columns, and the exit status and message of usage errors.
. tests/integration/lib.sh
require_binaries

MIB=1024 # KiB

# An idle memhog: the baseline RSS / VSZ / PSS every hog carries (libc, stack, ...).
start_hog || { not_ok "idle memhog starts"; finish; }
base_rss=$(status_kib "$HOG_PID" VmRSS)
base_vsz=$(status_kib "$HOG_PID" VmSize)
base_pss=$(rollup_kib "$HOG_PID" Pss)
diag "idle memhog: VmRSS $base_rss KiB, VmSize $base_vsz KiB, Pss $base_pss KiB"
stop_hog "$HOG_PID"

# --- anonymous memory: 64 MiB mapped, 32 MiB touched ---
if start_hog --map 64 --touch 32; then
	pid=$HOG_PID
	run_smaptop --csv -p "$pid" --columns pid,rss,vsz,rss_anon
	expect_rc "--csv -p PID --columns pid,rss,vsz,rss_anon" 0
	check "--csv -p PID prints exactly one row for PID" \
		test "$(python3 "$PYTOOL" count "$T/out" pid "$pid")" = 1
	rss=$(csv_field "$pid" rss_kib)
	vsz=$(csv_field "$pid" vsz_kib)
	anon=$(csv_field "$pid" rss_anon_kib)
	in_range "rss_kib of a hog touching 32 MiB of 64" "$rss" $((32 * MIB)) \
		$((32 * MIB * 105 / 100 + 2 * MIB))
	in_range "rss_anon_kib of that hog" "$anon" $((32 * MIB)) $((32 * MIB * 105 / 100 + 2 * MIB))
	in_range "vsz_kib of a hog mapping 64 MiB" "$vsz" $((64 * MIB)) \
		$((64 * MIB * 105 / 100 + base_vsz))
	# The kernel's own numbers, read right after: smaptop must agree within 5%.
	k_rss=$(status_kib "$pid" VmRSS)
	in_range "rss_kib matches /proc/PID/status VmRSS ($k_rss)" "$rss" \
		$((k_rss * 95 / 100)) $((k_rss * 105 / 100))
	# The default columns and the table view include the hog as well.
	run_smaptop -1 -p "$pid"
	expect_rc "-1 -p PID (table)" 0
	check "the table has a header and a row for PID" \
		sh -c 'test "$(wc -l <"$1")" -ge 2 && grep -Eq "(^|[[:space:]])$2([[:space:]]|\$)" "$1"' \
		sh "$T/out" "$pid"
	stop_hog "$pid"
else
	not_ok "memhog --map 64 --touch 32 starts"
fi

# --- a 32 MiB shared file mapping, touched by two hogs: PSS about half each ---
if start_hog --shared-file "$T/shared" --shared 32 && sh1=$HOG_PID &&
	start_hog --shared-file "$T/shared" --shared 32 && sh2=$HOG_PID; then
	run_smaptop --csv -p "$sh1,$sh2" --columns pid,pss,uss,rss
	expect_rc "--csv -p PID1,PID2 --columns pid,pss,uss,rss" 0
	for p in "$sh1" "$sh2"; do
		pss=$(csv_field "$p" pss_kib)
		uss=$(csv_field "$p" uss_kib)
		rss=$(csv_field "$p" rss_kib)
		in_range "pss_kib of a hog sharing 32 MiB with another" "$pss" $((16 * MIB * 95 / 100)) \
			$((16 * MIB * 105 / 100 + base_pss + MIB))
		in_range "rss_kib of that hog counts the whole 32 MiB" "$rss" $((32 * MIB)) \
			$((32 * MIB * 105 / 100 + 2 * MIB))
		if is_int "$uss" && is_int "$pss" && [ "$uss" -lt "$pss" ]; then
			ok "uss_kib < pss_kib for a hog with shared pages ($uss < $pss)"
		else
			not_ok "uss_kib < pss_kib for a hog with shared pages (uss '$uss', pss '$pss')"
		fi
	done
	stop_hog "$sh1"
	stop_hog "$sh2"
else
	not_ok "two memhogs on one shared file start"
fi

# --- OOM columns ---
if start_hog --oom-adj 500; then
	pid=$HOG_PID
	run_smaptop --csv -p "$pid" --columns pid,oom,oom_adj
	expect_rc "--csv --columns pid,oom,oom_adj" 0
	check "oom_score_adj of a hog with --oom-adj 500 is 500" \
		test "$(csv_field "$pid" oom_score_adj)" = 500
	in_range "oom_score of that hog (scale 0..1333)" "$(csv_field "$pid" oom_score)" 900 1333
	stop_hog "$pid"
else
	not_ok "memhog --oom-adj 500 starts"
fi

# --- errors ---
if gone_pid; then
	run_smaptop --csv -p "$GONE_PID"
	expect_rc "-p of a PID that exited" 2
	expect_one_line "-p of a PID that exited: one line on stderr naming it" "$T/err" "$GONE_PID"
	run_smaptop -1 -p "$GONE_PID"
	expect_rc "-1 -p of a PID that exited" 2
else
	skip "the PID of an exited memhog was reused at once"
fi

run_smaptop --no-such-flag
expect_rc "an unknown flag is a usage error" 2
expect_one_line "an unknown flag: one line on stderr" "$T/err" "no-such-flag"

for args in "-n abc" "-n 1x" "-n -1" "-d abc" "--top abc" "-p abc"; do
	# shellcheck disable=SC2086 # split on purpose
	run_smaptop --csv $args
	expect_rc "bad number: --csv $args" 2
	expect_one_line "bad number: --csv $args: one line on stderr" "$T/err"
done

run_smaptop --csv --columns pid,no_such_column
expect_rc "an unknown column in --columns" 2
expect_one_line "an unknown column: one line on stderr naming it" "$T/err" "no_such_column"
run_smaptop --csv -s no_such_column
expect_rc "an unknown sort key" 2

# --- a closed pipe ends the output quietly ---
run_smaptop --csv
expect_rc "--csv" 0
head -n 1 "$T/out" >"$T/header"
RC=0
timeout "$SMAPTOP_TIMEOUT" sh -c '"$1" --csv 2>"$2" | head -n 1 >"$3"' sh "$SMAPTOP" "$T/perr" \
	"$T/pout" || RC=$?
check "--csv starts with a header row" grep -q '^time_unix_ms,' "$T/header"
check "smaptop --csv | head -1 prints exactly the header" \
	sh -c 'test -s "$1" && cmp "$1" "$2"' sh "$T/header" "$T/pout"
check "smaptop --csv | head -1 leaves stderr empty" test ! -s "$T/perr"
diag_file "$T/perr"
RC=0
timeout 10 sh -c '"$1" --csv -n 0 -d 0.05 2>"$2" | head -n 1 >"$3"' sh "$SMAPTOP" "$T/perr" \
	"$T/pout" || RC=$?
check "smaptop --csv -n 0 | head -1 ends (no loop on a closed pipe)" test "$RC" -ne 124
check "smaptop --csv -n 0 | head -1 leaves stderr empty" test ! -s "$T/perr"
diag_file "$T/perr"

finish
