#!/bin/sh
# smaptop --cgroups, the cgroup column and the container meter, on the fixture
# trees of tests/fixtures/cgroup (v1, v2, hybrid, a container's view, broken
# files) and on this machine. With fixture roots the processes still come from
# the live /proc (the process list always does) but their cgroup files do
# not exist there, so the tree is smaptop's own cgroup (the fixture's
# proc/self/cgroup) and its ancestors.
. tests/integration/lib.sh
require_binaries

F=tests/fixtures/cgroup

# cg TREE COL CGROUP: the value of COL in the row of CGROUP, from $T/TREE.csv.
cg() {
	python3 "$PYTOOL" field "$T/$1.csv" cgroup "$3" "$2"
}

fixture_csv() {
	run_smaptop --cgroups --csv --proc-root "$F/$1/proc" --sys-root "$F/$1/sys"
	expect_rc "--cgroups --csv on the $1 tree" 0
	cp "$T/out" "$T/$1.csv"
	check "$1: the CSV is well-formed" python3 "$PYTOOL" csv-check "$T/$1.csv"
}

# --- v1: captured files, a 128 MiB limit, page-rounded LONG_MAX above it ---
fixture_csv v1
same "v1: the tree is / /box /box/job" "$(python3 "$PYTOOL" values "$T/v1.csv" cgroup | tr '\n' ' ')" \
	"/ /box /box/job "
same "v1: /box/job limit_kib" "$(cg v1 limit_kib /box/job)" 131072
same "v1: /box/job usage_kib" "$(cg v1 usage_kib /box/job)" 102400
same "v1: /box/job limit_pct" "$(cg v1 limit_pct /box/job)" 78.1
same "v1: /box/job oom_kills" "$(cg v1 oom_kills /box/job)" 3
same "v1: /box/job failcnt" "$(cg v1 failcnt /box/job)" 17
same "v1: /box/job is smaptop's own" "$(cg v1 self /box/job)" 1
same "v1: /box/job no_limit" "$(cg v1 no_limit /box/job)" 0
same "v1: page-rounded LONG_MAX is no limit" "$(cg v1 no_limit /box)" 1
check "v1: ... and its limit_kib is empty, not a number" test -z "$(cg v1 limit_kib /box)"
check "v1: no forecast from one sample: oom_eta_s empty" test -z "$(cg v1 oom_eta_s /box/job)"
same "v1: ... and oom_forecast says why" "$(cg v1 oom_forecast /box/job)" history
same "v1: a cgroup without a limit: oom_forecast no_limit" "$(cg v1 oom_forecast /box)" no_limit

# --- v2: unified, max limits, a limit on an ancestor, oom.group ---
fixture_csv v2
S=/user.slice/user-1000.slice/session-2.scope
same "v2: the scope's usage_kib" "$(cg v2 usage_kib $S)" 1048576
same "v2: the scope's limit is max" "$(cg v2 no_limit $S)" 1
check "v2: ... limit_kib empty" test -z "$(cg v2 limit_kib $S)"
same "v2: the slice's limit_kib" "$(cg v2 limit_kib /user.slice/user-1000.slice)" 4194304
same "v2: the scope's oom_kills (memory.events)" "$(cg v2 oom_kills $S)" 2
same "v2: the scope's swap_kib" "$(cg v2 swap_kib $S)" 51200
same "v2: the scope's pressure (memory.pressure some avg10)" \
	"$(cg v2 pressure_some_avg10_centipct $S)" 150
check "v2: the root has no memory.current: usage_kib empty, not 0" test -z "$(cg v2 usage_kib /)"

# --- hybrid: memory on v1 wins over the v2 line ---
fixture_csv hybrid
same "hybrid: smaptop's cgroup is the v1 memory path" "$(cg hybrid self /system.slice/foo.service)" 1
run_smaptop --cgroups --json --proc-root "$F/hybrid/proc" --sys-root "$F/hybrid/sys"
check "hybrid: --json says cgroup v1" \
	python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); assert d["version"] == 1, d' "$T/out"

# --- broken files: unavailable, never 0 ---
fixture_csv broken
same "broken: memory.current still read" "$(cg broken usage_kib /bad)" 12056
for col in limit_kib no_limit high_kib swap_limit_kib oom_kills anon_kib; do
	check "broken: $col is empty (unreadable, hostile or missing)" test -z "$(cg broken $col /bad)"
done

# --- a container's view: its own limit below MemTotal ---
fixture_csv container
same "container: / limit_kib" "$(cg container limit_kib /)" 524288
run_smaptop --system --proc-root "$F/container/proc" --sys-root "$F/container/sys"
expect_rc "--system in a container" 0
check "--system shows the cgroup's limit and says it is the cgroup's" \
	grep -q "Mem:  cgroup limit 512M, used 256M (the cgroup's, /, not the machine's)" "$T/out"
run_smaptop -1 --top 1 --proc-root "$F/container/proc" --sys-root "$F/container/sys"
check "-1: the Mem summary gives the cgroup's limit" grep -q "^Mem:  cgroup limit 512M" "$T/out"
run_smaptop --system --csv --proc-root "$F/container/proc" --sys-root "$F/container/sys"
check "--system --csv: container,/,limit_kib,524288" grep -q ',container,/,limit_kib,524288$' "$T/out"
check "--system --csv: the machine's oom_eta_s row, empty without a forecast" \
	grep -q ',oom,machine,oom_eta_s,$' "$T/out"
run_smaptop --system --json --proc-root "$F/container/proc" --sys-root "$F/container/sys"
check "--system --json: container and oom_forecast" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["container"]["limit_kib"] == 524288, d["container"]
assert d["oom_forecast"] == {"oom_eta_s": None, "oom_victim_pid": None}, d["oom_forecast"]' "$T/out"
run_smaptop --system --proc-root "$F/v2/proc" --sys-root "$F/v2/sys"
check "v2: a 4 GiB limit on an ancestor, below 16 GiB of RAM, is the container's" \
	grep -q "Mem:  cgroup limit 4.00G.*user-1000.slice, not the machine's" "$T/out"
run_smaptop -1 --top 1 --proc-root "$F/hybrid/proc" --sys-root "$F/hybrid/sys"
check "hybrid: no limit, no cgroup line in the summary" sh -c '! grep -q "cgroup limit" "$1"' - "$T/out"

# --- JSON of a fixture tree ---
run_smaptop --cgroups --json --proc-root "$F/v1/proc" --sys-root "$F/v1/sys"
check "--cgroups --json: null for no limit, numbers where known" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
by = {c["cgroup"]: c for c in d["cgroups"]}
assert by["/box"]["limit_kib"] is None and by["/box"]["no_limit"] is True, by["/box"]
assert by["/box/job"]["limit_kib"] == 131072 and by["/box/job"]["no_limit"] is False
assert by["/box/job"]["oom_eta_s"] is None and by["/box/job"]["oom_victim_pid"] is None
assert by["/box/job"]["oom_forecast"] == "history" and by["/box"]["oom_forecast"] == "no_limit"
assert d["machine"]["oom_eta_s"] is None and d["machine"]["oom_forecast"] == "history"' "$T/out"

# --- this machine ---
run_smaptop --cgroups --csv
expect_rc "--cgroups --csv on this machine" 0
check "the live CSV is well-formed" python3 "$PYTOOL" csv-check "$T/out"
mine=$(sed -n 's/^[0-9]*:[^:]*memory[^:]*://p' /proc/self/cgroup)
[ -n "$mine" ] || mine=$(sed -n 's/^0:://p' /proc/self/cgroup)
same "smaptop's own cgroup is listed as self" "$(python3 "$PYTOOL" field "$T/out" cgroup "$mine" self)" 1
run_smaptop --csv --columns pid,cgroup -p $$
same "the cgroup column of this shell" "$(csv_field $$ cgroup)" "$mine"
run_smaptop --cgroups -s usage --csv
expect_rc "--cgroups -s usage" 0
run_smaptop --cgroups -s bogus
expect_rc "--cgroups -s bogus is a usage error" 2
expect_one_line "... with a one-line message" "$T/err" "unknown sort key 'bogus'"
run_smaptop --cgroups
check "the table has its header" grep -q "USAGE  LIMIT  USE%" "$T/out"

finish
