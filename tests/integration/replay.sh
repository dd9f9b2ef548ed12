#!/bin/sh
# smaptop --replay FILE with -1, --csv, --json (issue 16): exactly the live
# formats and columns; --at TIME (the sample at or before), --from/--to (every
# sample between), neither (every sample; -1: the last); selection flags
# restrict what --record writes; values are those recorded; what is not
# recorded says so; bad times and combinations are usage errors.
. tests/integration/lib.sh

require_binaries
command -v sqlite3 >/dev/null 2>&1 || { not_ok "sqlite3 is installed (scripts/deps test)"; finish; }
command -v jq >/dev/null 2>&1 || { not_ok "jq is installed (scripts/deps test)"; finish; }

H=$T/h.db
start_hog --map 48 --touch 40 --name replayhog || { not_ok "memhog starts"; finish; }
HP=$HOG_PID
run_smaptop --record "$H" -n 4 -d 1.1
expect_rc "--record -n 4 -d 1.1" 0
same "four samples" "$(sqlite3 "$H" 'SELECT count(*) FROM sample')" 4

# --- exactly the live formats -----------------------------------------------------
run_smaptop --csv --top 1
live_hdr=$(head -n 1 "$T/out")
run_smaptop --replay "$H" --csv
expect_rc "--replay --csv" 0
same "--replay --csv has the live CSV header" "$(head -n 1 "$T/out")" "$live_hdr"
same "--replay --csv prints every sample" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')" 4
run_smaptop --json --pid "$HP"
live_keys=$(jq -c '[keys, (.processes[0] | keys)]' "$T/out")
run_smaptop --replay "$H" --json --pid "$HP"
same "--replay --json: one object per sample" "$(wc -l <"$T/out" | tr -d ' ')" 4
same "--replay --json has the live keys" "$(head -n 1 "$T/out" | jq -c '[keys, (.processes[0] | keys)]')" "$live_keys"
run_smaptop --replay "$H" -1 --columns pid,rss,comm --pid "$HP"
expect_rc "--replay -1" 0
same "--replay -1 prints one table" "$(grep -c '^ *PID ' "$T/out")" 1
last=$(sqlite3 "$H" "SELECT strftime('%Y-%m-%d %H:%M:%S', max(time_unix_ms) / 1000, 'unixepoch', 'localtime') FROM sample")
check "--replay -1 is the last sample ($last)" grep -q "smaptop $last," "$T/out"

# --- the values recorded -----------------------------------------------------------
run_smaptop --replay "$H" --csv --columns pid,rss,pss,comm --pid "$HP" --from -1h
same "--pid in replay: one row per sample" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 4
tail -n 1 "$T/out" >"$T/last.csv"
rss=$(cut -d, -f3 "$T/last.csv")
in_range "the memhog's recorded RSS (KiB)" "$rss" $((40 * 1024)) $((48 * 1024 + 8192))
pss=$(sqlite3 "$H" "SELECT v.pss_kib FROM proc_value v JOIN process p ON p.id = v.process WHERE p.pid = $HP ORDER BY v.sample LIMIT 1")
same "replayed PSS at the first sample (a keyframe) = its proc_value row" "$(sed -n 2p "$T/out" | cut -d, -f4)" "$pss"

run_smaptop --replay "$H" --csv --columns pid,pss,pss_age --pid "$HP" --at "$(date -d "@$(sqlite3 "$H" 'SELECT max(time_unix_ms) / 1000 FROM sample')" +%H:%M:%S)"
age=$(tail -n 1 "$T/out" | cut -d, -f4)
if [ -z "$age" ]; then ok "pss_age is not recorded: empty, not 0"; else not_ok "pss_age is not recorded: empty, not 0 (got '$age')"; fi
if [ "$(tail -n 1 "$T/out" | cut -d, -f2)" = "$HP" ]; then ok "... on the memhog's row"; else not_ok "... on the memhog's row"; diag_file "$T/out"; fi

cp "$H" "$T/edited.db"
sqlite3 "$T/edited.db" "UPDATE proc_value SET rss_kib = 'abc' WHERE process IN (SELECT id FROM process WHERE pid = $HP)"
run_smaptop --replay "$T/edited.db" --csv --columns pid,rss --pid "$HP" --from -1h
got=$(tail -n +2 "$T/out" | cut -d, -f3 | sort -u | tr -d '\n')
if [ -z "$got" ] && [ "$(tail -n +2 "$T/out" | wc -l)" -eq 4 ]; then ok "a value edited into text replays as unavailable, not 0"
else not_ok "a value edited into text replays as unavailable, not 0 (got '$got')"; diag_file "$T/out"; fi
# A change record damaged by hand: the samples before it replay, then one line
# naming the file and the sample, and exit 1; never made-up values.
cp "$H" "$T/damaged.db"
sqlite3 "$T/damaged.db" "UPDATE proc_change SET data = x'ffffffffffffffffffff' WHERE sample = (SELECT max(sample) FROM proc_change)"
run_smaptop --replay "$T/damaged.db" --csv --columns pid
expect_rc "--replay of a damaged change record: exit 1" 1
expect_one_line "--replay of a damaged change record: one message naming the file" "$T/err" "damaged.db: the sample of"
check "... which says it is damaged" grep -q "is damaged" "$T/err"
same "... after the samples before it" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')" \
	"$(sqlite3 "$H" 'SELECT count(*) FROM sample WHERE id < (SELECT max(sample) FROM proc_change)')"
# --- --at, --from, --to -----------------------------------------------------------
t3=$(sqlite3 "$H" 'SELECT time_unix_ms / 1000 FROM sample ORDER BY id LIMIT 1 OFFSET 2')
iso=$(date -d "@$t3" +%Y-%m-%dT%H:%M:%S)
want=$(sqlite3 "$H" "SELECT max(time_unix_ms) FROM sample WHERE time_unix_ms <= $t3 * 1000")
run_smaptop --replay "$H" --csv --columns pid --at "$iso"
expect_rc "--at $iso" 0
same "--at gives the sample at or before TIME" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u)" "$want"
first=$(sqlite3 "$H" 'SELECT min(time_unix_ms) / 1000 FROM sample')
run_smaptop --replay "$H" --csv --columns pid --from "$(date -d "@$((first + 1))" +%H:%M:%S)" --to "$iso"
n=$(sqlite3 "$H" "SELECT count(*) FROM sample WHERE time_unix_ms >= ($first + 1) * 1000 AND time_unix_ms <= $t3 * 1000")
same "--from/--to (clock times today) give the samples between" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')" "$n"
run_smaptop --replay "$H" --csv --columns pid --from -1h
same "--from -1h gives every sample" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | wc -l | tr -d ' ')" 4
run_smaptop --replay "$H" --csv --at -3d
expect_rc "--at before the recording: exit 1" 1
expect_one_line "--at before the recording: one message" "$T/err" "no recorded sample"

# --- selection while recording ------------------------------------------------------
run_smaptop --record "$T/one.db" -n 2 -d 0.2 -p "$HP"
same "-p: only that process is recorded" "$(sqlite3 "$T/one.db" 'SELECT group_concat(pid) FROM process')" "$HP"
run_smaptop --record "$T/f.db" -n 1 --filter replayhog
same "--filter: the matching process is recorded" "$(sqlite3 "$T/f.db" "SELECT count(*) FROM process WHERE comm = 'replayhog'")" 1
same "--filter: no process that does not match is recorded" "$(sqlite3 "$T/f.db" "SELECT count(*) FROM process WHERE comm != 'replayhog' AND instr(CAST(cmdline AS TEXT), 'replayhog') = 0")" 0

# --- system view, what is not recorded, errors ------------------------------------
run_smaptop --replay "$H" --system --csv --at "$iso"
check "--replay --system has meminfo" grep -q ',meminfo,,total_kib,[0-9]' "$T/out"
run_smaptop --replay "$H" --maps "$HP"
expect_rc "--replay --maps: exit 1" 1
expect_one_line "--replay --maps: says it is not recorded" "$T/err" "not recorded"
run_smaptop --replay "$H" --numa
expect_one_line "--replay --numa: says it is not recorded" "$T/err" "not recorded"
run_smaptop --replay "$T/missing.db" --csv
expect_rc "--replay of a missing file: exit 1" 1
expect_one_line "--replay of a missing file: one message" "$T/err" "missing.db"
for args in "--at 14:00" "--replay $H --at yesterday" "--replay $H --at 14:00 --from 13:00" \
	"--record $H --replay $H" "--record $H --csv" "--record $H --retain x" "--record $H --system" \
	"--history $H --replay $H" "--history $H --csv" "--retain 3 --csv"; do
	# shellcheck disable=SC2086
	run_smaptop $args
	expect_rc "usage error: $args" 2
done

finish
