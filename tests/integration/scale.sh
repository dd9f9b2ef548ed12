#!/bin/sh
# Big machines (issue #14): what the speed work must not break, at 5,000 processes
# (tests/bench/loadgen.c: shared file, shared anonymous and copy-on-write pages,
# 16 mappings each; the machine's own processes besides).
#   a. smaptop still equals the kernel: for a random sample of 50 processes (40
#      of loadgen's, 10 others), each memory figure lies between two direct
#      reads of /proc/PID/status and smaps_rollup, one before and one after:
#      `--csv` (PSS within the pages smaptop itself shares with the process),
#      and exactly the middle sample of `--csv -n 3 --pss-max-age 0`, read
#      while it runs (see sample.py below). A process shown outside is tried
#      again, up to three times; one that changed between the reads each time
#      is left out;
#   b. the interactive view with all of them answers keys: a sort key moves the
#      header's sort marker, a typed filter narrows the list to one named
#      process, a screen key opens the OOM screen, each within a bound (10 s; 30 s
#      under the sanitizers, which make check-asan announces by ASAN_OPTIONS).
. tests/integration/lib.sh
require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
command -v cc >/dev/null 2>&1 || { not_ok "cc is installed (builds loadgen)"; finish; }

NPROCS=5000
SAMPLE=50
BOUND=10 DELAY=2 # DELAY: between the samples of the streaming check
[ -n "${ASAN_OPTIONS:-}" ] && BOUND=30 DELAY=6

view_term view
LG_PGID=""
test_cleanup() {
	# loadgen made its own process group; its children die with it too
	[ -n "$LG_PGID" ] && kill -9 -"$LG_PGID" 2>/dev/null # (dash's kill takes no "--")
	[ -n "$LG_PGID" ] && wait "$LG_PGID" 2>/dev/null
	return 0
}

nprocs() { set -- /proc/[0-9]*; echo $#; }
# Processes that are not kernel threads (PF_KTHREAD, 0x200000, in stat's ninth
# field), as the view counts them in its Tasks; comm may hold ") ".
user_nprocs() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " ")
		if (int(a[7] / 2097152) % 2 == 0) n++ } END { print n + 0 }'
}
pid_max=$(cat /proc/sys/kernel/pid_max)
nproc_lim=$(awk '/^Max processes/ { print $3 }' /proc/self/limits)
[ "$(id -u)" = 0 ] && nproc_lim=unlimited # root is not held to it
# Up to 5,000, and at least 200 of loadgen's to sample from (other jobs may
# have filled /proc already).
n=$((NPROCS - $(user_nprocs)))
[ $n -lt 200 ] && n=200
if [ "$pid_max" -lt $((NPROCS + 2000)) ]; then
	skip "$NPROCS processes: kernel.pid_max is $pid_max"; finish
fi
if [ "$nproc_lim" != unlimited ] && [ "$nproc_lim" -lt $((NPROCS + 1000)) ]; then
	skip "$NPROCS processes: the process limit (ulimit -u) is $nproc_lim"; finish
fi

check "loadgen builds" cc -O2 -o "$T/loadgen" tests/bench/loadgen.c
"$T/loadgen" -o "$T/lg.pids" -n "$n" -m 16 -t 600 2>"$T/lg.err" &
LG_PGID=$!
ready() { [ -s "$T/lg.pids" ] || { kill -0 "$LG_PGID" 2>/dev/null && return 1; }; }
if wait_for 120 ready && [ -s "$T/lg.pids" ]; then
	ok "loadgen started $n processes ($(user_nprocs) processes, $(nprocs) with kernel threads)"
else
	not_ok "loadgen starts $n processes"; diag_file "$T/lg.err"; finish
fi
awk '$1 == "child" { print $2 }' "$T/lg.pids" >"$T/kids"

# ---------------------------------------------------------------- a. figures --
cat >"$T/sample.py" <<'EOF'
# sample.py MODE SMAPTOP KIDS N_KIDS N_OTHERS [DELAY]: smaptop's CSV against direct reads.
#   snapshot: `SMAPTOP --csv` between two reads. While it runs, smaptop maps the
#     libraries it shares with the process read, which lowers that process's PSS:
#     the PSS family may be off by the shared part (Pss less the private pages,
#     as prom.sh allows), USS by the private file pages; the rest is exact.
#   stream: `SMAPTOP --csv --pss-max-age 0 -n 3 -d DELAY`, the processes read again
#     and again while it runs, so smaptop is mapped during every read; its second
#     sample must lie between the last read that ended before the sample began
#     (its time_unix_ms) and the first that began after it was printed: exact.
import csv, io, os, random, subprocess, sys, threading, time

mode, smaptop, kids_file = sys.argv[1], sys.argv[2], sys.argv[3]
n_kids, n_others = int(sys.argv[4]), int(sys.argv[5])
delay = sys.argv[6] if len(sys.argv) > 6 else "3"
FIELDS = {  # CSV column: (file, keys summed), kB
    "vsz_kib": ("status", ["VmSize"]), "rss_kib": ("status", ["VmRSS"]),
    "rss_anon_kib": ("status", ["RssAnon"]), "rss_file_kib": ("status", ["RssFile"]),
    "rss_shmem_kib": ("status", ["RssShmem"]), "swap_kib": ("status", ["VmSwap"]),
    "locked_kib": ("status", ["VmLck"]),
    "pss_kib": ("smaps_rollup", ["Pss"]), "pss_anon_kib": ("smaps_rollup", ["Pss_Anon"]),
    "pss_file_kib": ("smaps_rollup", ["Pss_File"]),
    "pss_shmem_kib": ("smaps_rollup", ["Pss_Shmem"]),
    "uss_kib": ("smaps_rollup", ["Private_Clean", "Private_Dirty"]),
    "swap_pss_kib": ("smaps_rollup", ["SwapPss"]),
}
PSS = ("pss_kib", "pss_anon_kib", "pss_file_kib", "pss_shmem_kib", "swap_pss_kib")

def read(pid):
    raw = {}
    for name in ("status", "smaps_rollup"):
        try:
            text = open("/proc/%d/%s" % (pid, name)).read()
        except OSError:
            return None
        for line in text.splitlines():
            k, _, v = line.partition(":")
            parts = v.split()
            if len(parts) == 2 and parts[1] == "kB":
                raw[name, k] = int(parts[0])
    got = {c: sum(raw[f, k] for k in ks) for c, (f, ks) in FIELDS.items()
           if all((f, k) in raw for k in ks)}
    if "pss_kib" not in got:
        return None  # a kernel thread, or gone
    got["_shared"] = got["pss_kib"] - got["uss_kib"]
    got["_pclean"] = raw["smaps_rollup", "Private_Clean"]
    return got

def slack(col, b):
    if mode != "snapshot":
        return 0
    return max(b["_shared"], 0) if col in PSS else b["_pclean"] if col == "uss_kib" else 0

def compare(p, row, b, a):
    wrong = []
    for col in FIELDS:
        if col not in b or col not in a or col not in row:
            continue
        v, w = row[col], slack(col, b)
        lo, hi = min(b[col], a[col]) - w, max(b[col], a[col]) + w
        if not v.isdigit() or not lo <= int(v) <= hi:
            wrong.append("%s %r not in [%d, %d]" % (col, v, lo, hi))
    return wrong

def snapshot(pids):
    before = {p: read(p) for p in pids}
    run = subprocess.run([smaptop, "--csv"], stdout=subprocess.PIPE, timeout=300)
    if run.returncode:
        sys.exit("smaptop --csv exited %d" % run.returncode)
    after = {p: read(p) for p in pids}
    return csv.DictReader(io.StringIO(run.stdout.decode())), before, after

def stream(pids):
    proc = subprocess.Popen([smaptop, "--csv", "--pss-max-age", "0", "-n", "3", "-d", delay],
                            stdout=subprocess.PIPE, text=True)
    lines = []  # (arrival time, line)
    reader = threading.Thread(target=lambda: lines.extend((time.time(), l) for l in proc.stdout))
    reader.start()
    reads = []  # (start, end, values)
    while proc.poll() is None:
        t0 = time.time()
        vals = {p: read(p) for p in pids}
        reads.append((t0, time.time(), vals))
        time.sleep(0.05)
    reader.join()
    if proc.returncode:
        sys.exit("smaptop --csv -n 3 exited %d" % proc.returncode)
    samples = sorted({l.split(",", 1)[0] for _, l in lines[1:]})
    if len(samples) != 3:
        sys.exit("smaptop --csv -n 3 printed %d samples" % len(samples))
    t2 = int(samples[1]) / 1000
    shown = min(t for t, l in lines[1:] if l.startswith(samples[1] + ","))
    before = [r for r in reads if r[1] < t2]
    after = [r for r in reads if r[0] > shown]
    if not before or not after:
        sys.exit("no read before and after the second sample (delay %s s too short?)" % delay)
    rows = csv.DictReader(io.StringIO(lines[0][1] + "".join(l for _, l in lines[1:]
                                                             if l.startswith(samples[1] + ","))))
    return rows, before[-1][2], after[0][2]

kids = [int(x) for x in open(kids_file).read().split()]
kidset = set(kids)
others = [int(d) for d in os.listdir("/proc") if d.isdigit() and int(d) not in kidset and
          int(d) != os.getpid() and read(int(d))]
todo = random.sample(kids, n_kids) + random.sample(others, min(n_others, len(others)))
checked, gone, bad, changing = 0, 0, [], 0
for attempt in range(3):
    rows, before, after = (snapshot if mode == "snapshot" else stream)(todo)
    rows = {int(r["pid"]): r for r in rows}
    retry, bad, changing = [], [], 0
    for p in todo:
        b, a = before[p], after[p]
        if b is None or a is None:
            gone += 1  # exited meanwhile
        elif p not in rows:
            bad.append("pid %d: not in the CSV" % p)
        elif not compare(p, rows[p], b, a):
            checked += 1
        else:
            # tried again: it may have moved and come back between the reads
            retry.append(p)
            if any(b[c] != a[c] for c in FIELDS if c in b and c in a):
                changing += 1
            else:
                bad.append("pid %d (%s): %s" % (p, rows[p]["comm"], "; ".join(compare(p, rows[p], b, a))))
    todo = retry
    if not todo:
        break
# A process that changed between the reads in every try (another job's compiler,
# say) is left out; one that held still and was shown wrong is a failure.
print("%s: %d processes checked, %d exited meanwhile, %d changing in every try"
      % (mode, checked, gone, changing))
if bad or checked < n_kids:
    sys.exit("\n".join(bad[:20]) or "too few processes checked")
EOF
check "--csv equals the kernel's status and smaps_rollup for $SAMPLE sampled processes (PSS within the shared part)" \
	python3 "$T/sample.py" snapshot "$SMAPTOP" "$T/kids" 40 $((SAMPLE - 40))
sed -n '1s/^/# /p' "$T/check.out"
check "--csv -n 3 --pss-max-age 0 equals them exactly, read while it runs" \
	python3 "$T/sample.py" stream "$SMAPTOP" "$T/kids" 40 $((SAMPLE - 40)) "$DELAY"
sed -n '1s/^/# /p' "$T/check.out"

# ------------------------------------------------------------------- b. view --
# A named process for the filter to find among the 5,000.
start_hog --name scaleprobe || { not_ok "the probe memhog starts"; finish; }
PROBE=$HOG_PID
mkdir -p "$T/xdg"
$TM new-session -d -s view -x 160 -y 45 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 1; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }
now_ms() { date +%s%3N; }
tasks() { pane | sed -n 's/.*Tasks \([0-9]*\).*/\1/p' | head -n 1; }
# 1% fewer allowed: short-lived processes of the test's own were counted at the fill
all_tasks() { [ "$(tasks)" -ge $((NPROCS - NPROCS / 100)) ] 2>/dev/null; }
if wait_for 60 all_tasks; then
	ok "the view counts the $NPROCS processes (Tasks $(tasks))"
else
	not_ok "the view counts the $NPROCS processes"; show; finish
fi
rows() { pane | sed -n '/^ *PID /,$p' | sed 1d | grep -E '^ *[0-9]+ '; }
# shown DESC PREDICATE KEY...: sends the keys, polls until PREDICATE holds.
shown() {
	_d=$1 _p=$2; shift 2
	_t0=$(now_ms)
	keys "$@"
	if wait_for "$BOUND" "$_p"; then
		ok "$_d ($(($(now_ms) - _t0)) ms, bound ${BOUND} s)"
	else
		not_ok "$_d (not within ${BOUND} s)"; show
	fi
}
sorted_pss() { pane | grep -q ' PSSv '; }
sorted_other() { pane | grep -E '^ *PID ' | grep -q 'v ' && ! sorted_pss; }
if wait_for "$BOUND" sorted_pss; then ok "the list is sorted by PSS"; else not_ok "the list is sorted by PSS"; show; fi
shown "a sort key (>) moves the sort to the next column" sorted_other '>'
shown "a sort key (<) moves it back to PSS" sorted_pss '<'
only_probe() { _r=$(rows); [ "$(printf '%s\n' "$_r" | grep -c '')" = 1 ] && printf '%s\n' "$_r" | grep -q "^ *$PROBE .*scaleprobe"; }
shown "a typed filter narrows $NPROCS rows to the one named process" only_probe / scaleprobe Enter
many_rows() { [ "$(rows | grep -c '')" -gt 20 ]; }
shown "clearing the filter brings the rows back" many_rows / BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
oom_screen() { pane | grep -q 'OOM killer ranking'; }
shown "a screen key (o) opens the OOM screen" oom_screen o
keys Escape
if wait_for "$BOUND" sorted_pss; then ok "Esc returns to the list"; else not_ok "Esc returns to the list"; show; fi
keys q
if wait_for "$BOUND" eval 'pane | grep -q "EXITED 0"'; then ok "q quits with status 0"; else not_ok "q quits with status 0"; show; fi
stop_hog "$PROBE"
finish
