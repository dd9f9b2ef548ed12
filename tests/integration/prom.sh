#!/bin/sh
# The Prometheus exporter against the real consumers, on loopback only:
#   - promtool check metrics on --prometheus output with hostile process names
#     running (quotes, backslashes, newlines, escape sequences, invalid UTF-8),
#     per process and grouped, and every hostile process's series present;
#   - -o FILE: replaced atomically (a reader polling it never sees a partial
#     file, no temporary file is left), rewritten every -d with -n 0, SIGTERM
#     ends it with status 0;
#   - Debian's prometheus-node-exporter with its textfile collector on the
#     directory smaptop writes: smaptop's metrics appear on its /metrics and
#     node_textfile_scrape_error is 0;
#   - smaptop --listen: 200 with the 0.0.4 content type, 404 for other paths,
#     405 (with Allow) for other methods, a scrape answered while slow clients
#     hold half-sent requests, scrapes within -d sharing one collection,
#     SIGTERM ending it with status 0 and the port closed;
#   - Debian's prometheus server scraping it every second: after three scrapes
#     up == 1, and a helper's PSS queried through the HTTP API lies between two
#     direct reads of its smaps_rollup taken before and after the scrape, and
#     so does a memory cgroup's usage between two reads of the kernel's file;
#   - as root, with a writable memory controller, a memory cgroup of the test's
#     own (a 64 MiB limit, two helpers, and a child cgroup with a hostile name
#     holding a third): promtool passes with the cgroup families, the limit and
#     the kernel's event counters are exact, a limitless cgroup has no limit
#     sample, and --prom-by cgroup sums equal the per-process sums;
#   - the OOM kill counter lies between two reads of /proc/vmstat;
#   - the leak trend: none from one sample, and a helper leaking 1 MiB/s
#     measured within 25% by a repeated --prometheus after 36 s.
# Every port is picked free by the test; every server is started here and
# stopped by PID in test_cleanup.
. tests/integration/lib.sh
require_binaries

for tool in promtool prometheus prometheus-node-exporter; do
	command -v "$tool" >/dev/null 2>&1 || { not_ok "$tool is installed (scripts/deps test)"; finish; }
done

SERVERS=""
CG=""
CGPIDS=""
test_cleanup() {
	for _s in $SERVERS $CGPIDS; do
		kill -TERM "$_s" 2>/dev/null
		wait_for 10 eval '! kill -0 '"$_s"' 2>/dev/null' || kill -KILL "$_s" 2>/dev/null
		wait "$_s" 2>/dev/null
	done
	# the cgroups, once their processes are reaped: the child first
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		for _d in "$CG"/*/; do [ -d "$_d" ] && wait_for 10 rmdir "$_d" 2>/dev/null; done
		wait_for 10 rmdir "$CG" 2>/dev/null
		[ -d "$CG" ] && { echo "not ok - removing $CG"; return 1; }
	fi
	return 0
}
# stop_server PID: SIGTERM, waits (up to 10 s) and sets SRV_RC to its status.
stop_server() {
	kill -TERM "$1" 2>/dev/null
	SRV_RC=0
	if wait_for 10 eval '! alive '"$1"; then
		wait "$1" 2>/dev/null || SRV_RC=$?
	else
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		SRV_RC=timeout
	fi
	_left=""
	for _p in $SERVERS; do [ "$_p" = "$1" ] || _left="$_left $_p"; done
	SERVERS=$_left
}

H="python3 tests/integration/prom_client.py"
# in_bracket V A B: V (bytes) within [min(A,B), max(A,B)] KiB, widened by the PSS of the
# helper's shared pages (Pss - Private_*): that part moves with every process that maps
# the same libraries, the test's own sed and python3 among them. Sets HOW.
in_bracket() {
	_lo=$2; _hi=$3; [ "${2:-0}" -gt "${3:-0}" ] && { _lo=$3; _hi=$2; }
	_sh=$(( $(rollup_kib "$MH" Pss) - $(rollup_kib "$MH" Private_Clean) - $(rollup_kib "$MH" Private_Dirty) ))
	[ "$_sh" -lt 0 ] && _sh=0
	is_int "${1:-x}" || return 1
	if [ "$1" -ge $((_lo * 1024)) ] && [ "$1" -le $((_hi * 1024)) ]; then HOW=exact; return 0; fi
	HOW="within the shared part, $_sh KiB"
	[ "$1" -ge $(((_lo - _sh) * 1024)) ] && [ "$1" -le $(((_hi + _sh) * 1024)) ]
}
port() { $H port; }

# --- hostile processes, then promtool on the outputs ---
SPECIAL=""
# shellcheck disable=SC1003 # a backslash at the end of single-quoted text is the point
for name in \
	"$(printf 't\033]0;PWNED\007')" \
	"$(printf 'c\033[2J\n,"x')" \
	"$(printf 'u\377\300\257\302\233\233\303\251\\')" \
	"$(printf 'd\177\t\r;\047')" \
	"$(printf 'b\342\200\256\342\200\213\360\237\230\200x')" \
	'q"}{x="1' 'other'; do
	if start_hog --name "$name"; then SPECIAL="$SPECIAL $HOG_PID"; else not_ok "memhog with a hostile name starts"; fi
done

run_smaptop --prometheus --prom-top 0
expect_rc "--prometheus --prom-top 0 with hostile names" 0
cp "$T/out" "$T/all.prom"
check "promtool check metrics passes on it" sh -c 'promtool check metrics <"$1"' sh "$T/all.prom"
missing=""
for p in $SPECIAL; do
	[ -n "$($H sample "$T/all.prom" smaptop_process_rss_bytes pid "$p")" ] || missing="$missing $p"
done
same "every hostile process has its own series" "${missing:-none}" none
for by in comm user; do
	run_smaptop --prometheus --prom-by "$by" --prom-top 3
	expect_rc "--prometheus --prom-by $by --prom-top 3" 0
	check "promtool check metrics passes on --prom-by $by" sh -c 'promtool check metrics <"$1"' sh "$T/out"
	n=$(grep -c '^smaptop_process_rss_bytes{' "$T/out")
	in_range "--prom-by $by: at most 3 groups and the rest" "$n" 1 4
done
run_smaptop --prometheus
# within one output: 50 series and pid="other" when the processes counted are more than 50
total=$(awk '/^smaptop_processes\{/ { n += $NF } END { print n + 0 }' "$T/out")
same "by default: 50 processes and pid=\"other\" ($total processes)" \
	"$(grep -c '^smaptop_processes{' "$T/out")" "$([ "$total" -gt 50 ] && echo 51 || echo "$total")"

# --- the OOM kill counter, and no leak trend from one sample ---
k0=$(sed -n 's/^oom_kill //p' /proc/vmstat)
run_smaptop --prometheus --prom-top 1
k1=$(sed -n 's/^oom_kill //p' /proc/vmstat)
v=$(sed -n 's/^smaptop_oom_kills_total \([0-9]*\)$/\1/p' "$T/out")
if [ -n "$k0" ]; then
	in_range "smaptop_oom_kills_total is /proc/vmstat's oom_kill ($v; $k0, then $k1)" "${v:-x}" "$k0" "$k1"
else
	check "no oom_kill in /proc/vmstat: no smaptop_oom_kills_total" test -z "$v"
fi
check "one sample: no leak trend (no history)" sh -c '! grep -q "^smaptop_process_leak_bytes" "$1"' sh "$T/out"

# --- a memory cgroup of the test's own ---
# cg_hog DIR ARGS...: a memhog started inside cgroup DIR (before it allocates); sets HOG_PID.
cg_hog() {
	_d=$1; shift
	HOG_SEQ=$((HOG_SEQ + 1))
	_hout=$T/hog.$HOG_SEQ.out
	: >"$_hout"
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' - "$_d" "$HOG" "$@" >"$_hout" 2>&1 &
	HOG_PID=$!
	CGPIDS="$CGPIDS $HOG_PID"
	wait_for 10 grep -qx "ready $HOG_PID" "$_hout"
}
CGREL=""
if [ "$(id -u)" != 0 ]; then
	skip "the cgroup families: creating a memory cgroup needs root"
elif [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	CG=/sys/fs/cgroup/memory/smaptop-prom-test-$$ CGV=1 USAGE=memory.usage_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
	CG=/sys/fs/cgroup/smaptop-prom-test-$$ CGV=2 USAGE=memory.current
else
	skip "the cgroup families: no writable memory controller"
fi
# a child whose name has a quote, braces, a backslash, a blank, an escape sequence and
# a byte that is not UTF-8 (the kernel refuses a newline in a cgroup's name)
HOSTILE=$(printf 'q"}{x\\ \033[2J\377z')
if [ -n "$CG" ] && mkdir "$CG" "$CG/$HOSTILE" 2>"$T/mkdir.err"; then
	CGREL=/smaptop-prom-test-$$
	if [ "$CGV" = 1 ]; then
		echo $((64 << 20)) >"$CG/memory.limit_in_bytes"
	else
		echo $((64 << 20)) >"$CG/memory.max"
	fi
	cg_hog "$CG" --map 8 --touch 8 && CA=$HOG_PID || not_ok "a helper starts in $CGREL"
	cg_hog "$CG" --map 4 --touch 4 && CB=$HOG_PID || not_ok "a second helper starts in $CGREL"
	cg_hog "$CG/$HOSTILE" --map 2 --touch 2 && CC=$HOG_PID || not_ok "a helper starts in the hostile child"
	ok "created memory cgroup $CGREL (v$CGV, limit 64 MiB) and a child with a hostile name"
elif [ -n "$CG" ]; then
	skip "the cgroup families: cannot create a memory cgroup: $(cat "$T/mkdir.err")"
	CG=""
fi
if [ -n "$CGREL" ]; then
	run_smaptop --prometheus --prom-top 0 -p "$CA,$CB,$CC"
	expect_rc "--prometheus -p (the cgroup's helpers)" 0
	cp "$T/out" "$T/cg.prom"
	check "promtool check metrics passes with the cgroup families" \
		sh -c 'promtool check metrics <"$1"' sh "$T/cg.prom"
	same "the helper's series has the cgroup label" \
		"$(grep -c "^smaptop_process_rss_bytes{pid=\"$CA\",.*,cgroup=\"$CGREL\"}" "$T/cg.prom")" 1
	same "its limit: 64 MiB" "$($H sample "$T/cg.prom" smaptop_cgroup_memory_limit_bytes cgroup "$CGREL")" \
		$((64 << 20))
	check "no limit on /: no limit sample for it" \
		test -z "$($H sample "$T/cg.prom" smaptop_cgroup_memory_limit_bytes cgroup /)"
	if [ "$CGV" = 1 ]; then
		same "its failcnt is the kernel's" \
			"$($H sample "$T/cg.prom" smaptop_cgroup_memory_failcnt_total cgroup "$CGREL")" \
			"$(cat "$CG/memory.failcnt")"
		kk=$(sed -n 's/^oom_kill //p' "$CG/memory.oom_control")
	else
		kk=$(sed -n 's/^oom_kill //p' "$CG/memory.events")
	fi
	same "its oom_kill event count is the kernel's" \
		"$(grep "^smaptop_cgroup_memory_events_total{cgroup=\"$CGREL\",event=\"oom_kill\"}" "$T/cg.prom" | cut -d' ' -f2)" "$kk"
	same "its process count (in it and below)" \
		"$($H sample "$T/cg.prom" smaptop_cgroup_processes cgroup "$CGREL")" 3

	# --prom-by cgroup: one series per cgroup, the sums of the per-process series.
	# RSS of the helpers does not move, so two runs agree exactly; PSS within one run.
	run_smaptop --prometheus --prom-by cgroup -p "$CA,$CB,$CC"
	expect_rc "--prometheus --prom-by cgroup" 0
	cp "$T/out" "$T/cgby.prom"
	check "promtool check metrics passes on --prom-by cgroup" \
		sh -c 'promtool check metrics <"$1"' sh "$T/cgby.prom"
	same "--prom-by cgroup: the RSS of the cgroup and its child is their processes' sum" \
		"$($H sum "$T/cgby.prom" smaptop_process_rss_bytes cgroup "$CGREL")" \
		"$($H sum "$T/cg.prom" smaptop_process_rss_bytes cgroup "$CGREL")"
	same "--prom-by cgroup: the cgroup's own series holds its two helpers' RSS" \
		"$($H sample "$T/cgby.prom" smaptop_process_rss_bytes cgroup "$CGREL")" \
		$(( $($H sample "$T/cg.prom" smaptop_process_rss_bytes pid "$CA") + \
		    $($H sample "$T/cg.prom" smaptop_process_rss_bytes pid "$CB") ))
	same "--prom-by cgroup: its process count" \
		"$($H sample "$T/cgby.prom" smaptop_processes cgroup "$CGREL")" 2
	same "--prom-by cgroup: its PSS and its child's are the cgroup's PSS (one output)" \
		"$($H sum "$T/cgby.prom" smaptop_process_pss_bytes cgroup "$CGREL")" \
		"$($H sample "$T/cgby.prom" smaptop_cgroup_pss_bytes cgroup "$CGREL")"
fi

# --- -o FILE, once and every -d ---
TF=$T/textfile
mkdir "$TF"
run_smaptop --prometheus -o "$TF/smaptop.prom"
expect_rc "--prometheus -o FILE" 0
check "-o FILE: nothing on stdout" test ! -s "$T/out"
check "-o FILE: promtool passes on the file" sh -c 'promtool check metrics <"$1"' sh "$TF/smaptop.prom"
same "-o FILE: mode 644" "$(stat -c %a "$TF/smaptop.prom")" 644
same "-o FILE: no temporary file left" "$(ls -A "$TF")" smaptop.prom
run_smaptop --prometheus -o "$T/no/such/dir/x.prom"
expect_rc "-o into a missing directory fails" 1
expect_one_line "-o into a missing directory: one line on stderr" "$T/err" "x.prom"

"$SMAPTOP" --prometheus -n 0 -d 0.05 -o "$TF/loop.prom" >"$T/loop.out" 2>"$T/loop.err" &
LOOP=$!
SERVERS="$SERVERS $LOOP"
wait_for 20 test -s "$TF/loop.prom"
# A reader that opens the file 200 times while it is being replaced: every
# read is a whole exposition (ends with the last family's sample line).
cat >"$T/reader.py" <<'EOF'
import os, sys, time
path, inodes, bad = sys.argv[1], set(), 0
for _ in range(200):
    with open(path, "rb") as f:
        inodes.add(os.fstat(f.fileno()).st_ino)
        data = f.read()
    if not data.endswith(b"\n") or b"\nsmaptop_pss_unavailable_processes " not in data:
        bad += 1
    time.sleep(0.01)
print(len(inodes), bad)
EOF
set -- $(python3 "$T/reader.py" "$TF/loop.prom")
in_range "-n 0 -d 0.05 -o: the file was replaced while read" "${1:-0}" 2 1000
same "-n 0 -d 0.05 -o: no read saw a partial file" "${2:-x}" 0
stop_server "$LOOP"
same "-n 0 -o: SIGTERM ends it with status 0" "$SRV_RC" 0
same "-n 0 -o: no temporary file left" "$(ls -A "$TF" | tr '\n' ' ')" "loop.prom smaptop.prom "
rm -f "$TF/loop.prom"

# --- node_exporter's textfile collector reads the file ---
P3=$(port)
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TF" --web.listen-address="127.0.0.1:$P3" \
	>"$T/ne.log" 2>&1 &
NE=$!
SERVERS="$SERVERS $NE"
if wait_for 30 $H up "http://127.0.0.1:$P3/metrics"; then
	ok "node_exporter answers on 127.0.0.1:$P3"
	$H get "http://127.0.0.1:$P3/metrics" GET "$T/ne.metrics" >/dev/null
	check "node_exporter shows smaptop's metrics" grep -q '^smaptop_memory_total_bytes ' "$T/ne.metrics"
	check "node_exporter shows smaptop's per-process series" grep -q '^smaptop_process_rss_bytes{' "$T/ne.metrics"
	same "node_textfile_scrape_error is 0" \
		"$(sed -n 's/^node_textfile_scrape_error \([0-9]*\)$/\1/p' "$T/ne.metrics")" 0
else
	not_ok "node_exporter answers on 127.0.0.1:$P3"
	diag_file "$T/ne.log"
fi
stop_server "$NE"

# --- smaptop --listen ---
P1=$(port)
start_hog --map 32 --touch 32 || not_ok "memhog --map 32 --touch 32 starts"
MH=$HOG_PID
"$SMAPTOP" --listen "127.0.0.1:$P1" -d 0.05 --pss-max-age 0 --prom-top 0 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
SERVERS="$SERVERS $SRV"
URL=http://127.0.0.1:$P1
if ! wait_for 30 $H up "$URL/metrics"; then
	not_ok "smaptop --listen answers"
	diag_file "$T/srv.err"
	finish
fi
ok "smaptop --listen 127.0.0.1:$P1 answers"
same "GET /metrics: 200, the 0.0.4 content type" "$($H get "$URL/metrics" GET "$T/m1")" \
	"200|text/plain; version=0.0.4; charset=utf-8|-"
check "GET /metrics: promtool passes" sh -c 'promtool check metrics <"$1"' sh "$T/m1"
same "GET /other: 404" "$($H get "$URL/other" GET "$T/x" | cut -d'|' -f1)" 404
same "GET /: 404" "$($H get "$URL/" GET "$T/x" | cut -d'|' -f1)" 404
same "POST /metrics: 405, Allow: GET, HEAD" "$($H get "$URL/metrics" POST "$T/x" | cut -d'|' -f1,3)" \
	"405|GET, HEAD"
same "DELETE /metrics: 405" "$($H get "$URL/metrics" DELETE "$T/x" | cut -d'|' -f1)" 405
same "HEAD /metrics: 200 without a body" "$($H get "$URL/metrics" HEAD "$T/x" | cut -d'|' -f1)$(wc -c <"$T/x")" 2000

$H get "$URL/metrics" GET "$T/d1" >/dev/null
sleep 0.2
$H get "$URL/metrics" GET "$T/d2" >/dev/null
check "-d 0.05: two scrapes 0.2 s apart are two collections" sh -c '! cmp -s "$1" "$2"' sh "$T/d1" "$T/d2"
run_smaptop --listen "127.0.0.1:$P1"
expect_rc "--listen on a port in use fails" 1
expect_one_line "--listen on a port in use: one line on stderr" "$T/err" "in use"

# Slow clients: eight connections each holding half a request line.
set -- $($H slow 127.0.0.1 "$P1" 8 "$URL/metrics" "$T/m2")
same "a scrape beside 8 stalled half-requests: 200" "${1:-}" 200
check "... answered within 3 s (took ${2:-?} s)" awk -v t="${2:-99}" 'BEGIN { exit !(t < 3) }'
same "... while the 8 stalled connections were still open" "${3:-}" 8
check "... and complete (promtool passes)" sh -c 'promtool check metrics <"$1"' sh "$T/m2"

# The helper's PSS over HTTP against two direct reads around the collection.
# (PSS moves as other processes map the libraries the helper shares: up to five tries.)
tries=0 got=""
while [ $tries -lt 5 ] && [ -z "$got" ]; do
	tries=$((tries + 1))
	a=$(rollup_kib "$MH" Pss)
	$H get "$URL/metrics" GET "$T/m3" >/dev/null
	b=$(rollup_kib "$MH" Pss)
	v=$($H sample "$T/m3" smaptop_process_pss_bytes pid "$MH")
	if in_bracket "$v" "$a" "$b"; then
		got="$v, $HOW"
	else
		diag "try $tries: smaps_rollup $a KiB, served $v bytes, smaps_rollup $b KiB"
	fi
done
check "the helper's PSS served is between two reads of smaps_rollup (${got:-none}, try $tries)" \
	test -n "$got"

# --- Debian's prometheus scraping smaptop every second ---
# Its own smaptop, reading only the helper (-p): a scrape must finish within
# the 1 s scrape timeout however loaded the machine is.
P5=$(port)
"$SMAPTOP" --listen "127.0.0.1:$P5" -p "$MH${CGREL:+,$CA}" -d 0.05 --pss-max-age 0 >"$T/srv3.out" 2>"$T/srv3.err" &
S3=$!
SERVERS="$SERVERS $S3"
wait_for 30 $H up "http://127.0.0.1:$P5/metrics" || not_ok "smaptop --listen -p HELPER answers"
P2=$(port)
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: smaptop
    static_configs:
      - targets: ['127.0.0.1:$P5']
EOF
mkdir "$T/tsdb"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address="127.0.0.1:$P2" >"$T/prom.log" 2>&1 &
PR=$!
SERVERS="$SERVERS $PR"
PURL=http://127.0.0.1:$P2
three_scrapes() { # at least three scrapes recorded and the last one up
	[ "$($H query "$PURL" 'count_over_time(up{job="smaptop"}[5m])' | cut -d' ' -f1)" -ge 3 ] 2>/dev/null
}
if wait_for 90 three_scrapes; then
	ok "prometheus scraped smaptop three times"
	same "up == 1" "$($H query "$PURL" 'up{job="smaptop"}' | cut -d' ' -f1)" 1
	# Read smaps_rollup, wait for a sample scraped after that read, read again.
	# The helper's PSS moves a little as other processes map and unmap the
	# libraries it shares, not always in one direction, so a read, the scrape
	# and a read are tried up to five times: one must bracket the value exactly.
	newer() {
		_ts=$($H query "$PURL" "timestamp(smaptop_process_pss_bytes{pid=\"$MH\"})" | cut -d' ' -f1)
		awk -v s="${_ts:-0}" -v t="$t_a" 'BEGIN { exit !(s > t + 0.1) }'
	}
	tries=0 got=""
	while [ $tries -lt 5 ] && [ -z "$got" ]; do
		tries=$((tries + 1))
		a=$(rollup_kib "$MH" Pss)
		t_a=$(date +%s.%N)
		wait_for 30 newer || break
		v=$($H query "$PURL" "smaptop_process_pss_bytes{pid=\"$MH\"}" | cut -d' ' -f1)
		b=$(rollup_kib "$MH" Pss)
		diag "try $tries: smaps_rollup $a KiB, prometheus $v bytes, smaps_rollup $b KiB"
		if in_bracket "$v" "$a" "$b"; then
			got="$v, $HOW"
		fi
	done
	if [ -n "$got" ]; then
		ok "prometheus's PSS of the helper is between two reads of smaps_rollup ($got, try $tries)"
	else
		not_ok "prometheus's PSS of the helper is between two reads of smaps_rollup ($tries tries)"
	fi
	# The cgroup's usage, likewise against two reads of the kernel's file (bytes;
	# smaptop's figure is whole KiB, so the lower end is rounded down to one).
	newer_cg() {
		_ts=$($H query "$PURL" "timestamp(smaptop_cgroup_memory_usage_bytes{cgroup=\"$CGREL\"})" | cut -d' ' -f1)
		awk -v s="${_ts:-0}" -v t="$t_a" 'BEGIN { exit !(s > t + 0.1) }'
	}
	tries=0 got=""
	while [ -n "$CGREL" ] && [ $tries -lt 5 ] && [ -z "$got" ]; do
		tries=$((tries + 1))
		a=$(cat "$CG/$USAGE")
		t_a=$(date +%s.%N)
		wait_for 30 newer_cg || break
		v=$($H query "$PURL" "smaptop_cgroup_memory_usage_bytes{cgroup=\"$CGREL\"}" | cut -d' ' -f1)
		b=$(cat "$CG/$USAGE")
		diag "try $tries: $USAGE $a, prometheus $v, $USAGE $b"
		lo=$a hi=$b
		[ "$a" -gt "$b" ] && { lo=$b; hi=$a; }
		is_int "${v:-x}" && [ "$v" -ge $((lo / 1024 * 1024)) ] && [ "$v" -le "$hi" ] && got=$v
	done
	if [ -z "$CGREL" ]; then
		skip "prometheus's figure of a cgroup's usage: no cgroup of the test's own"
	elif [ -n "$got" ]; then
		ok "prometheus's usage of $CGREL is between two reads of $USAGE ($got, try $tries)"
	else
		not_ok "prometheus's usage of $CGREL is between two reads of $USAGE ($tries tries)"
	fi
else
	not_ok "prometheus scraped smaptop three times"
	diag_file "$T/prom.log"
fi
stop_server "$PR"
stop_server "$S3"
same "--listen -p HELPER: SIGTERM, status 0" "$SRV_RC" 0

stop_server "$SRV"
same "--listen: SIGTERM ends it with status 0" "$SRV_RC" 0
check "--listen: nothing on stderr" test ! -s "$T/srv.err"
check "--listen: the port is closed after it" sh -c '! python3 "$1" up "$2"' sh tests/integration/prom_client.py "$URL/metrics"

# Scrapes closer than -d share one collection: smaptop's own fault counter
# does not move between two scrapes 0.2 s apart with -d 60, and does with -d 0.05.
P4=$(port)
"$SMAPTOP" --listen "$P4" -d 60 >"$T/srv2.out" 2>"$T/srv2.err" &
S2=$!
SERVERS="$SERVERS $S2"
if wait_for 30 $H up "http://127.0.0.1:$P4/metrics"; then
	ok "--listen PORT alone listens on 127.0.0.1"
	$H get "http://127.0.0.1:$P4/metrics" GET "$T/s1" >/dev/null
	sleep 0.2
	$H get "http://127.0.0.1:$P4/metrics" GET "$T/s2" >/dev/null
	check "-d 60: two scrapes 0.2 s apart get the same collection" cmp -s "$T/s1" "$T/s2"
else
	not_ok "--listen PORT alone listens on 127.0.0.1"
fi
stop_server "$S2"
same "--listen PORT: SIGTERM, status 0" "$SRV_RC" 0

# --- the leak trend, from a repeated --prometheus (the history is kept between samples) ---
"$B/helpers/leaker" linear 60 >"$T/lk.out" 2>&1 &
LK=$!
CGPIDS="$CGPIDS $LK"
if wait_for 10 grep -qx "ready $LK" "$T/lk.out"; then
	_to=$SMAPTOP_TIMEOUT
	SMAPTOP_TIMEOUT=$((_to + 40)) # 36 s of samples
	run_smaptop --prometheus -n 37 -d 1 -p "$LK" -o "$T/lk.prom"
	SMAPTOP_TIMEOUT=$_to
	expect_rc "--prometheus -n 37 -d 1 -o FILE, a helper leaking 1 MiB/s" 0
	check "promtool check metrics passes with the leak trend" \
		sh -c 'promtool check metrics <"$1"' sh "$T/lk.prom"
	v=$($H sample "$T/lk.prom" smaptop_process_leak_bytes_per_second pid "$LK")
	check "its leak trend is 1 MiB/s within 25% (${v:-none} bytes/s)" \
		awk -v v="${v:-x}" 'BEGIN { exit !(v + 0 >= 786432 && v + 0 <= 1310720) }'
else
	not_ok "the leaking helper starts"
fi
kill -TERM "$LK" 2>/dev/null

run_smaptop --listen 127.0.0.1:0
expect_rc "--listen 127.0.0.1:0 is refused" 2
run_smaptop --listen "127.0.0.1:$P4" -o "$T/x.prom"
expect_rc "--listen with -o is refused" 2
expect_one_line "--listen with -o: one line on stderr" "$T/err" "--listen"
finish
