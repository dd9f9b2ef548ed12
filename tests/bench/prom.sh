#!/bin/sh
# The Prometheus exporter's costs (part of `make bench`; also runs alone:
# `sh tests/bench/prom.sh`). POSIX sh, from anywhere.
#
# With ~SNAP_PROCS processes from tests/bench/loadgen.c:
#   1 one-shot  `smaptop --prometheus` against `smaptop --csv`, CPU (user+sys of
#               the child, wait4), medians of per-round ratios over RUNS
#               interleaved rounds (target: <= 1.2x)
#   2 served    CPU per scrape of the serving process (all its threads, from
#               /proc/PID/task/*/schedstat, ns) over SCRAPES scrapes 1 s apart:
#               the first scrape (everything read) and the steady ones (the PSS
#               tiers apply between scrapes), each against the CSV snapshot;
#               `--prom-by comm` too, the form for fleets
#   3 peer      Debian's prometheus-process-exporter on the same load, one group
#               per command name (its usual configuration), CPU per scrape
#               measured the same way, side by side with smaptop --prom-by comm
#   4 footprint VmRSS and VmHWM of the serving smaptop after the scrapes
#               (target: the view's 5120 KiB)
# Scrapes are made by a small python3 client (not measured). Ports are picked
# free on 127.0.0.1; every server and the loadgen are stopped by PID/PGID.
# Env: B, SMAPTOP, BENCH_RUNS (default 7), BENCH_SCRAPES (default 10),
# SNAP_PROCS (default 500). Output: a table on stdout (also $B/bench/prom.txt).
set -u
cd "$(dirname "$0")/../.." || exit 1
BENCH_NAME="bench prom"
. tests/bench/env.sh
RUNS=${BENCH_RUNS:-7}
SCRAPES=${BENCH_SCRAPES:-10}
SNAP_PROCS=${SNAP_PROCS:-500}
TARGET_KIB=5120

for h in measure loadgen; do [ -x "$BD/$h" ] || build "$h"; done

PIDS=""
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	stop_all
	rm -f "$BD/prom.lg.pids" "$BD/pe.yml"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

n=$((SNAP_PROCS - $(nprocs))); [ $n -lt 0 ] && n=0
note "starting loadgen: $n processes"
start loadgen "$BD/prom.lg.pids" "$BD/loadgen" -o "$BD/prom.lg.pids" -t 1800 -n $n -m 16
P=$(nprocs)

cat >"$BD/prom.py" <<'EOF'
import socket, sys, time, urllib.error, urllib.request
if sys.argv[1] == "port":
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); sys.exit()
url, n = sys.argv[2], int(sys.argv[3])
def cpu_ns(pid):
    t = 0
    import glob
    for f in glob.glob("/proc/%s/task/*/schedstat" % pid):
        try:
            t += int(open(f).read().split()[0])
        except OSError:
            pass
    return t
pid = sys.argv[4]
for _ in range(100):                      # wait until it answers (not counted)
    try:
        urllib.request.urlopen(url.replace("/metrics", "/nothing"), timeout=2)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        time.sleep(0.1)
c0 = cpu_ns(pid)
urllib.request.urlopen(url, timeout=60).read()
c1 = cpu_ns(pid)
size = 0
for i in range(n - 1):
    time.sleep(1)
    size = len(urllib.request.urlopen(url, timeout=60).read())
c2 = cpu_ns(pid)
print("%.6f %.6f %d" % ((c1 - c0) / 1e9, (c2 - c1) / 1e9 / max(n - 1, 1), size))
EOF
port() { python3 "$BD/prom.py" port; }

# --- 1: one-shot ---
: >"$BD/prom.raw"
r=1
while [ $r -le "$RUNS" ]; do
	note "one-shot round $r/$RUNS ($P processes)"
	for k in csv prom; do
		if [ $k = csv ]; then set -- --csv; else set -- --prometheus; fi
		"$BD/measure" -t 0.25 -- "$SMAPTOP" "$@" |
			awk -v k=$k '{ printf "%s %.6f %s\n", k, $2 + $3, $5 }' >>"$BD/prom.raw"
	done
	r=$((r + 1))
done
csv_s=$(awk '$1 == "csv" { print $2 }' "$BD/prom.raw" | median)
prom_s=$(awk '$1 == "prom" { print $2 }' "$BD/prom.raw" | median)
ratio=$(awk '$1 == "csv" { c[++i] = $2 } $1 == "prom" { p[++j] = $2 } END { for (k = 1; k <= i && k <= j; k++) if (c[k] > 0) print p[k] / c[k] }' "$BD/prom.raw" | median)
prom_rss=$(awk '$1 == "prom" && $3 > x { x = $3 } END { print x + 0 }' "$BD/prom.raw")

# --- 2 and 4: served ---
serve() { # LABEL ARGS...: prints "first steady size rss hwm"
	_lbl=$1; shift
	_p=$(port)
	"$SMAPTOP" --listen "127.0.0.1:$_p" -d 0.5 "$@" >/dev/null 2>&1 &
	_pid=$!
	PIDS="$PIDS $_pid"
	note "served ($_lbl): $SCRAPES scrapes 1 s apart"
	_r=$(python3 "$BD/prom.py" run "http://127.0.0.1:$_p/metrics" "$SCRAPES" "$_pid")
	_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$_pid/status")
	_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$_pid/status")
	kill -TERM "$_pid"; wait "$_pid"
	echo "$_r $_rss $_hwm"
}
set -- $(serve "per pid")
s_first=$1 s_steady=$2 s_size=$3 s_rss=$4 s_hwm=$5
set -- $(serve "--prom-by comm" --prom-by comm)
c_first=$1 c_steady=$2 c_size=$3 c_rss=$4 c_hwm=$5

# --- 3: the peer ---
pe_line="prometheus-process-exporter: not installed, skipped"
peer() { # NAME_TEMPLATE [FLAG...]: prints "first steady size rss", or nothing when it failed
	_tmpl=$1; shift
	printf 'process_names:\n  - name: "%s"\n    cmdline:\n    - ".+"\n' "$_tmpl" >"$BD/pe.yml"
	_p=$(port)
	prometheus-process-exporter -web.listen-address "127.0.0.1:$_p" -config.path "$BD/pe.yml" "$@" \
		>"$BD/pe.log" 2>&1 &
	_pe=$!
	PIDS="$PIDS $_pe"
	note "prometheus-process-exporter ($_tmpl $*): $SCRAPES scrapes 1 s apart"
	_r=$(python3 "$BD/prom.py" run "http://127.0.0.1:$_p/metrics" "$SCRAPES" "$_pe" 2>/dev/null)
	_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$_pe/status" 2>/dev/null)
	kill -TERM "$_pe" 2>/dev/null; wait "$_pe" 2>/dev/null
	[ -n "$_r" ] && [ -n "$_rss" ] && echo "$_r $_rss"
}
if command -v prometheus-process-exporter >/dev/null 2>&1; then
	pe_how="one group per command name"
	pe=$(peer "{{.Comm}}")
	if [ -z "$pe" ]; then
		# It panics on a command or thread name that is not valid UTF-8
		# (label value "..." is not valid UTF-8) when one runs on the machine.
		pe_how="one group, no thread names: it crashed on a name that is not UTF-8"
		grep -m1 'panic:' "$BD/pe.log" | sed 's/^/# /' >&2
		pe=$(peer "all" -threads=false)
	fi
	if [ -n "$pe" ]; then
		set -- $pe
		pe_line=$(awk -v f="$1" -v s="$2" -v z="$3" -v r="$4" -v cs="$c_steady" -v how="$pe_how" 'BEGIN {
			printf "%-44s %9.2f %9.2f %8d %8d  smaptop --prom-by comm steady / it: %.2fx (%s)", "prometheus-process-exporter", f*1000, s*1000, z, r, (s > 0 ? cs / s : 0), how }')
	else
		pe_line="prometheus-process-exporter: FAILED (see $BD/pe.log)"
	fi
fi

{
	echo "prometheus exporter, $P processes ($RUNS rounds one-shot, $SCRAPES scrapes 1 s apart served)"
	awk -v c="$csv_s" -v p="$prom_s" -v r="$ratio" -v m="$prom_rss" 'BEGIN {
		printf "one-shot: smaptop --csv %.2f ms, --prometheus %.2f ms CPU: %.2fx (target <= 1.2x: %s); --prometheus peak RSS %d KiB\n",
			c*1000, p*1000, r, (r <= 1.2 ? "PASS" : "FAIL"), m }'
	printf '%-44s %9s %9s %8s %8s\n' "served, CPU per scrape" first_ms steady_ms bytes VmRSS
	awk -v f="$s_first" -v s="$s_steady" -v z="$s_size" -v r="$s_rss" -v c="$csv_s" 'BEGIN {
		printf "%-44s %9.2f %9.2f %8d %8d  first / csv snapshot %.2fx, steady %.2fx\n", "smaptop --listen (top 50 + other)", f*1000, s*1000, z, r, f/c, s/c }'
	awk -v f="$c_first" -v s="$c_steady" -v z="$c_size" -v r="$c_rss" -v c="$csv_s" 'BEGIN {
		printf "%-44s %9.2f %9.2f %8d %8d  first / csv snapshot %.2fx, steady %.2fx\n", "smaptop --listen --prom-by comm", f*1000, s*1000, z, r, f/c, s/c }'
	echo "$pe_line"
	awk -v r="$s_rss" -v h="$s_hwm" -v r2="$c_rss" -v h2="$c_hwm" -v t="$TARGET_KIB" 'BEGIN {
		printf "serving smaptop VmRSS %d / %d KiB (VmHWM %d / %d) after the scrapes: target <= %d KiB: %s\n",
			r, r2, h, h2, t, (r > 0 && r <= t && r2 <= t ? "PASS" : "FAIL") }'
} | tee "$BD/prom.txt"
