#!/bin/sh
# --maps totals against the process list for the case where they part the
# most: 6,000 one-page private mappings shared copy-on-write by three
# processes. The kernel gives each mapping a PSS of 4/3 KiB rounded down to
# 1 in smaps, while smaps_rollup (and so the process list) rounds only once:
# the rows add up to ~2,000 KiB less. The --maps total must be the kernel's,
# the same as the process list's, and what the rows add up to is given beside
# it (JSON rows_sum, the table's "rows" line and a note saying why).
#
# Then a process with 250,000 mappings (issue 14: what a JVM or a database
# has): every form of --maps lists all of them, and what they add up to is
# rows_sum and, where no rounding parts them, the kernel's total. The test
# raises vm.max_map_count for it (as root) and restores it on every exit.
. tests/integration/lib.sh
require_binaries

NMAPS=6000

# cowhog: NMAPS one-page anonymous mappings (every other page read-only, so
# no two merge), each written, then two children that share them (fork).
# Prints "ready <pid>" once both children exist, their PIDs in $T/kids.
cat >"$T/cowhog" <<'EOF'
#!/usr/bin/env python3
import ctypes, mmap, os, signal, sys
n, kidfile = int(sys.argv[1]), sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
m = mmap.mmap(-1, n * 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for i in range(n):
    m[i * 4096] = 1
base = ctypes.addressof(ctypes.c_char.from_buffer(m))
for i in range(0, n, 2):
    if libc.mprotect(ctypes.c_void_p(base + i * 4096), 4096, mmap.PROT_READ) != 0:
        sys.exit("cowhog: mprotect: %s" % os.strerror(ctypes.get_errno()))
kids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        libc.prctl(1, signal.SIGKILL)
        while True:
            signal.pause()
    kids.append(pid)
def bye(sig, frame):
    for k in kids:
        os.kill(k, signal.SIGKILL)
        os.waitpid(k, 0)
    os._exit(0)
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, bye)
with open(kidfile, "w") as f:
    f.write(" ".join(map(str, kids)) + "\n")
print("ready", os.getpid(), flush=True)
while True:
    signal.pause()
EOF
chmod +x "$T/cowhog"

memhog=$HOG
HOG=$T/cowhog
start_hog "$NMAPS" "$T/kids"
started=$?
HOG=$memhog
if [ "$started" != 0 ]; then
	not_ok "a process with $NMAPS one-page mappings shared by three starts"
	finish
fi
pid=$HOG_PID
kids=$(cat "$T/kids")
# Stopped, the three share their pages until the end; other processes may
# still map the interpreter's libraries, which moves PSS a little.
# shellcheck disable=SC2086 # kids is a list of PIDs
kill -STOP "$pid" $kids

run_smaptop -p "$pid" --csv --columns pid,pss
expect_rc "-p PID --csv" 0
list_pss=$(csv_field "$pid" pss_kib)
run_smaptop --maps "$pid" --json
expect_rc "--maps PID --json" 0
cp "$T/out" "$T/maps.json"
jq() {
	python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1]).read())
v = doc
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$T/maps.json" "$1"
}
total=$(jq total.pss_kib)
rows=$(jq rows_sum.pss_kib)
same "--maps --json: total.source is smaps_rollup" "$(jq total.source)" smaps_rollup
check "--maps --json: total.pss_kib ($total) is the process list's PSS ($list_pss), within 2%" \
	python3 -c 'import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); sys.exit(abs(a - b) * 50 > b)' \
	"$total" "$list_pss"
# 6,000 mappings at 4/3 KiB each: 1/3 KiB lost per mapping, about 2,000 KiB
check "--maps --json: rows_sum.pss_kib ($rows) is ~2,000 KiB below the total ($total)" \
	test $((total - rows)) -ge 1500
same "--maps --json: rows_sum.count is the number of mappings" \
	"$(jq rows_sum.count)" "$(grep -c '' "/proc/$pid/maps")"
same "--maps --json: rows_sum.pss_kib is the sum of the rows" "$rows" "$(python3 -c '
import json, sys
print(sum(m["pss_kib"] for m in json.loads(open(sys.argv[1]).read())["mappings"]))' "$T/maps.json")"

run_smaptop --maps "$pid"
expect_rc "--maps PID (table)" 0
check "the table's total line says smaps_rollup" grep -qE '^total +smaps_rollup +[0-9]+ ' "$T/out"
check "the table has the rows' own sum" grep -qE '^rows +the rows added up +[0-9]+ ' "$T/out"
check "the table says why the rows' Pss differs" grep -qF "The rows' Pss differs" "$T/out"
run_smaptop --maps "$pid" --group
# shellcheck disable=SC2016 # the inner sh expands $1
check "--group: the same total and rows lines" sh -c \
	'grep -qE "^total +[0-9]+ " "$1" && grep -qE "^rows +[0-9]+ " "$1"' sh "$T/out"

# shellcheck disable=SC2086
kill -CONT "$pid" $kids
stop_hog "$pid"

# ---- 250,000 mappings ----
BIG=250000
MMC_SAVED=""
# shellcheck disable=SC2317 # called by the EXIT trap of lib.sh
test_cleanup() {
	[ -z "$MMC_SAVED" ] || echo "$MMC_SAVED" >/proc/sys/vm/max_map_count
}
mmc=$(cat /proc/sys/vm/max_map_count)
if [ "$mmc" -lt $((BIG + 1000)) ]; then
	if echo $((BIG + 1000)) 2>/dev/null >/proc/sys/vm/max_map_count; then
		MMC_SAVED=$mmc
	else
		BIG=$((mmc - 1000))
		diag "vm.max_map_count is $mmc and cannot be raised here (not root): $BIG mappings"
	fi
fi
# making and writing them takes seconds, more on a loaded machine
HOG_READY_S=120 start_hog --mappings "$BIG" || { not_ok "memhog --mappings $BIG starts"; finish; }
big=$HOG_PID
kill -STOP "$big"  # its own memory stays put; shared libraries' PSS may still move
n=$(grep -c '' "/proc/$big/maps")
check "the process has at least $BIG mappings ($n)" test "$n" -ge "$BIG"

# sums FORMAT FILE: "count size rss pss private_dirty" over the rows of FILE,
# then (JSON) rows_sum's and total's same four values.
sums() {
	python3 -c '
import csv, json, re, sys
fmt, path = sys.argv[1], sys.argv[2]
keys = ("size_kib", "rss_kib", "pss_kib", "private_dirty_kib")
def line(n, d):
    return " ".join([str(n)] + [str(d[k]) for k in keys])
if fmt == "csv":
    s, n = dict.fromkeys(keys, 0), 0
    for r in csv.DictReader(open(path, newline="")):
        n += int(r.get("count") or 1)
        for k in keys:
            s[k] += int(r[k])
    print(line(n, s))
    sys.exit()
doc = json.loads(open(path).read())
rows = doc.get("mappings", doc.get("groups"))
s = {k: sum(r[k] for r in rows) for k in keys}
print(line(sum(r.get("count", 1) for r in rows), s))
print(line(doc["rows_sum"]["count"], doc["rows_sum"]))
print(line(doc["total"]["count"], doc["total"]))' "$1" "$2"
}

for form in "--json" "--group --json"; do
	# shellcheck disable=SC2086 # form is two words at most
	run_smaptop --maps "$big" $form
	expect_rc "--maps of $n mappings $form" 0
	sums json "$T/out" >"$T/sums" 2>&1
	rows=$(sed -n 1p "$T/sums") rsum=$(sed -n 2p "$T/sums") tot=$(sed -n 3p "$T/sums")
	same "$form: the rows (count size rss pss private_dirty) add up to rows_sum" "$rows" "$rsum"
	same "$form: every mapping is counted" "${rows%% *}" "$n"
	# only shared pages' PSS is rounded per mapping: Size, Rss and Private_Dirty are exact
	# shellcheck disable=SC2086
	set -- $rsum
	# shellcheck disable=SC2086
	same "$form: the total's count, size, rss and private_dirty are the rows' sums" \
		"$(echo $tot | cut -d' ' -f1,2,3,5)" "$1 $2 $3 $5"
	# 4 KiB of PSS in each private page: what rounding takes is under 1 KiB a shared mapping
	# shellcheck disable=SC2086
	check "$form: the total's PSS is the rows' ($4) or a little more ($(echo $tot | cut -d' ' -f4))" \
		python3 -c 'import sys; t, r = int(sys.argv[1]), int(sys.argv[2]); sys.exit(not 0 <= t - r <= 200)' \
		"$(echo "$tot" | cut -d' ' -f4)" "$4"
	cp "$T/sums" "$T/sums.json"
done
for form in "--csv" "--group --csv"; do
	# shellcheck disable=SC2086
	run_smaptop --maps "$big" $form
	expect_rc "--maps of $n mappings $form" 0
	got=$(sums csv "$T/out" 2>&1)
	# shellcheck disable=SC2086
	set -- $got
	# shellcheck disable=SC2086
	same "$form: the rows' count, size, rss and private_dirty are those of --json" \
		"$1 $2 $3 $5" "$(sed -n 2p "$T/sums.json" | cut -d' ' -f1,2,3,5)"
done
run_smaptop --maps "$big"
expect_rc "--maps of $n mappings (table)" 0
check "the table counts $n mappings" grep -q "($n mappings)" "$T/out"
same "the table has a row for each" "$(grep -cE '^ *[0-9a-f]+ [-r][-w][-x][ps] ' "$T/out")" "$n"
kill -CONT "$big"
stop_hog "$big"
finish
