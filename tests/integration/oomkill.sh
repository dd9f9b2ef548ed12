#!/bin/sh
# OOM kills. First on the fixture tree tests/fixtures/oom (any user): its
# kernel log, counter and settings through --oom-kills and --system.
# Then live (as root). The test makes its own memory cgroup with a 64 MiB
# limit (swap not allowed), starts a memhog in it that touches 256 MiB, and
# checks that
#   - the kernel kills it (exit by SIGKILL) and /proc/vmstat oom_kill grows;
#   - `smaptop --oom-kills --csv` lists that kill with its pid, comm, cgroup,
#     constraint memcg, scope cgroup and a time between start and now;
#   - a stream `smaptop --oom-kills --json -n N -d 0.5` started before the kill
#     lists it exactly once, in the first or second sample taken after it, and
#     its counter is one higher than before the kill (counting the kills of
#     others that happened meanwhile, which this shared machine may have);
#   - `smaptop --system` gives the same counter and the OOM settings;
# a process watched in the detail screen of the interactive view, and one watched
# by `smaptop -p PID -n N`, is said to be killed by the OOM killer at its time
# (and the OOM and System screens show the kill and the settings);
# and removes the cgroup afterwards. Skipped with the reason where there is no
# writable memory controller.
#
# Then as an unprivileged user (setpriv to nobody) where kernel.dmesg_restrict
# is 1: the kill details are said to be missing and why (table, JSON, once on
# stderr for CSV, even when streaming), and the counter is still given.
# shellcheck disable=SC2016 # sh -c scripts
. tests/integration/lib.sh

require_binaries
command -v jq >/dev/null 2>&1 || { not_ok "jq is installed (scripts/deps test installs it)"; finish; }

# ---- the fixture tree (any user): its kernel log, counter and settings ----
FX=tests/fixtures/oom
run_smaptop --proc-root "$FX/proc" --sys-root "$FX/sys" --oom-kills --csv
expect_rc "--oom-kills on the fixture tree" 0
same "its two kills, newest first, dated by btime + the records' times" \
	"$(cut -d, -f1-3,5,6 "$T/out" | sed 1d | tr '\n' ' ')" \
	"1765001234568,1500,postgres,/system.slice/postgresql.service,none 1765000610741,2487,oom victim,/smaptop-oomcap-3772,memcg "
run_smaptop --proc-root "$FX/proc" --sys-root "$FX/sys" --system --csv
expect_rc "--system on the fixture tree" 0
same "its counter and settings; the unparsable swappiness and the missing watermark_scale_factor are left out" \
	"$(awk -F, '($2 == "oom" && $4 == "kills_since_boot") || $2 == "knobs" { printf "%s=%s ", $4, $5 }' "$T/out")" \
	"kills_since_boot=5 overcommit_memory=0 overcommit_ratio_pct=50 overcommit_kbytes_kib=0 min_free_kib=67584 panic_on_oom=0 oom_kill_allocating_task=0 thp_enabled=madvise thp_defrag=madvise zswap_enabled=1 zswap_max_pool_pct=20 zswap_pool_kib=0 "
run_smaptop --proc-root "$FX/proc" --sys-root "$FX/sys" --system --json
same "JSON: unavailable settings are null" \
	"$(jq -c '[.knobs.swappiness, .knobs.watermark_scale_factor, .oom_kills_since_boot]' "$T/out")" "[null,null,5]"
run_smaptop --proc-root "$FX/proc" --sys-root "$FX/sys" --system
if grep -qE '^  vm.swappiness +- ' "$T/out"; then
	ok "table: an unavailable setting is -"
else
	not_ok "table: an unavailable setting is -"; diag_file "$T/out"
fi

if [ "$(id -u)" != 0 ]; then
	skip "not root (the live part needs a memory cgroup and /dev/kmsg)"
	finish
fi

CG="" STREAM_PID="" VICTIM_PID="" PUB="" P_PID=""
NAME=smaptop-oom-$$
test_cleanup() {
	_crc=0
	[ -n "$STREAM_PID" ] && kill "$STREAM_PID" 2>/dev/null && wait "$STREAM_PID" 2>/dev/null
	[ -n "$P_PID" ] && kill "$P_PID" 2>/dev/null && wait "$P_PID" 2>/dev/null
	[ -n "$VICTIM_PID" ] && kill -KILL "$VICTIM_PID" 2>/dev/null && wait "$VICTIM_PID" 2>/dev/null
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		# the victim is gone: the cgroup is empty; give the kernel a moment to agree
		wait_for 10 rmdir "$CG" 2>/dev/null || { diag "cannot remove $CG"; _crc=1; }
	fi
	[ -n "$PUB" ] && rm -rf "$PUB"
	return "$_crc"
}

vmstat_kills() { awk '$1 == "oom_kill" { print $2 }' /proc/vmstat; }

view_term oom

# A victim that names itself, says "ready PID", waits for a line on the FIFO $1,
# then fills 256 MiB: in the cgroup, the kernel kills it.
PYVICTIM='
import os, sys
with open("/proc/self/comm", "w") as f:
    f.write("smaptop-oomtui")
print("ready", os.getpid(), flush=True)
open(sys.argv[1]).read()
b = b"\x01" * (256 << 20)
'

# smaptop -p VICTIM in tmux, its detail screen open when the kernel kills it.
tui_victim() {
	mkfifo "$T/go"
	sh -c 'echo $$ >"$1/cgroup.procs" && exec python3 -c "$2" "$3"' sh "$CG" "$PYVICTIM" \
		"$T/go" >"$T/v2.out" 2>"$T/v2.err" &
	VICTIM_PID=$!
	VICTIM2=$VICTIM_PID
	if ! wait_for 20 grep -q "^ready $VICTIM_PID" "$T/v2.out"; then
		not_ok "the second victim gets ready"; diag_file "$T/v2.err"; return
	fi
	$TM new-session -d -s oom -x 140 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T TERM=screen-256color $SMAPTOP -p $VICTIM_PID -d 0.5; sleep 600" ||
		{ not_ok "tmux session starts"; return; }
	if ! wait_pane smaptop-oomtui 20; then
		not_ok "the view lists the victim"; show; return
	fi
	keys Enter
	if ! wait_pane "PID $VICTIM_PID" 10; then
		not_ok "the detail of the victim opens"; show; return
	fi
	# and a stream of it: it ends saying how the process ended
	"$SMAPTOP" -p "$VICTIM_PID" -n 200 -d 0.5 --csv --columns pid,rss >"$T/p.out" 2>"$T/p.err" &
	P_PID=$!
	wait_for 20 test -s "$T/p.out" || { not_ok "the -p stream starts"; diag_file "$T/p.err"; }
	echo go >"$T/go"
	if wait_pane "PID $VICTIM_PID smaptop-oomtui  was killed by the OOM killer at" 30; then
		ok "the detail says the watched process was killed by the OOM killer"
	else
		not_ok "the detail says the watched process was killed by the OOM killer"; show
	fi
	wait "$VICTIM_PID" 2>/dev/null
	VICTIM_PID=""
	PRC=0
	wait "$P_PID" || PRC=$?
	same "the -p stream ends with status 1" "$PRC" 1
	if [ "$(wc -l <"$T/p.err")" = 1 ] &&
		grep -qE "^smaptop: PID $VICTIM2 \(smaptop-oomtui\) was killed by the OOM killer at [0-9]{2}:[0-9]{2}:[0-9]{2}\$" "$T/p.err"; then
		ok "the -p stream says the OOM killer killed it, in one line"
	else
		not_ok "the -p stream says the OOM killer killed it, in one line"; diag_file "$T/p.err"
	fi
	keys Escape o
	if wait_pane "OOM kills since boot: $(vmstat_kills)" 10 && has smaptop-oomtui; then
		ok "the OOM screen lists the kill and the counter"
	else
		not_ok "the OOM screen lists the kill and the counter"; show
	fi
	keys S
	if wait_pane "vm.overcommit_memory" 10 && has "transparent_hugepage/enabled"; then
		ok "the System screen shows the OOM settings"
	else
		not_ok "the System screen shows the OOM settings"; show
	fi
	$TM kill-server 2>/dev/null
}

# ---- a memory cgroup of our own ----
V1=/sys/fs/cgroup/memory
V2=/sys/fs/cgroup
LIMIT=$((64 * 1024 * 1024))
if [ -w "$V1/cgroup.procs" ] && mkdir "$V1/$NAME" 2>/dev/null; then
	CG=$V1/$NAME
	echo "$LIMIT" >"$CG/memory.limit_in_bytes"
	# with swap on, the hog would swap instead of being killed: memory + swap limited too
	[ -e "$CG/memory.memsw.limit_in_bytes" ] && echo "$LIMIT" >"$CG/memory.memsw.limit_in_bytes"
	echo 0 >"$CG/memory.swappiness" 2>/dev/null
	diag "cgroup v1 memory controller: $CG"
elif [ -r "$V2/cgroup.subtree_control" ] && grep -qw memory "$V2/cgroup.subtree_control" &&
	mkdir "$V2/$NAME" 2>/dev/null; then
	CG=$V2/$NAME
	echo "$LIMIT" >"$CG/memory.max"
	[ -e "$CG/memory.swap.max" ] && echo 0 >"$CG/memory.swap.max"
	diag "cgroup v2 memory controller: $CG"
else
	skip "no writable memory controller (cgroup v1 $V1 or v2 with memory in $V2/cgroup.subtree_control)"
	CG=""
fi
if [ -n "$CG" ] && ! [ -r /dev/kmsg ]; then
	skip "no readable /dev/kmsg"
	CG=""
fi

if [ -n "$CG" ]; then
	BEFORE=$(vmstat_kills)
	START_MS=$(($(date +%s) * 1000))

	# the stream starts before the kill; its first sample has been written once a line is there
	"$SMAPTOP" --oom-kills --json -n 60 -d 0.5 >"$T/stream" 2>"$T/stream.err" &
	STREAM_PID=$!
	if ! wait_for 20 test -s "$T/stream"; then
		not_ok "the stream printed its first sample"
		diag_file "$T/stream.err"
	fi

	# a hostile name: the kernel log escapes it, smaptop undoes that and escapes it again
	VICTIM=$(printf 'oom\033]0;vic\a')
	VICTIM_ESC='oom\x1b]0;vic\x07'
	printf '%s' "$VICTIM" >"$T/victim.name"
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" --name "$3" --map 256 --touch 256' sh \
		"$CG" "$HOG" "$VICTIM" >"$T/victim.out" 2>"$T/victim.err" &
	VICTIM_PID=$!
	# the kernel kills it within a second or so; a generous bound for a loaded machine
	if wait_for 60 sh -c '! [ -r "/proc/$1/stat" ] || grep -q "^[^)]*) Z" "/proc/$1/stat" 2>/dev/null' sh \
		"$VICTIM_PID"; then
		VRC=0
		wait "$VICTIM_PID" || VRC=$?
		VICTIM_GONE_MS=$(($(date +%s%N) / 1000000))
		VPID=$VICTIM_PID
		VICTIM_PID=""
		same "the victim ended by SIGKILL" "$VRC" 137
	else
		not_ok "the kernel killed the victim within 60 s"
		diag_file "$T/victim.err"
		VPID=$VICTIM_PID
	fi
	AFTER=$(vmstat_kills)
	if [ "$AFTER" -ge $((BEFORE + 1)) ]; then
		ok "/proc/vmstat oom_kill grew ($BEFORE -> $AFTER)"
	else
		not_ok "/proc/vmstat oom_kill grew ($BEFORE -> $AFTER)"
	fi

	# ---- one snapshot ----
	run_smaptop --oom-kills --csv
	expect_rc "smaptop --oom-kills --csv" 0
	same "the CSV header" "$(head -n 1 "$T/out")" \
		"time_unix_ms,pid,comm,uid,cgroup,constraint,anon_rss_kib,file_rss_kib,shmem_rss_kib,oom_score_adj,total_vm_kib,pgtables_kib,oom_memcg,scope"
	check "the CSV is well-formed RFC 4180" python3 "$PYTOOL" csv-check "$T/out"
	ROW=$(awk -F, -v p="$VPID" 'NR > 1 && $2 == p' "$T/out")
	same "one row for the victim's pid $VPID" "$(printf '%s\n' "$ROW" | grep -c .)" 1
	same "its comm, escaped" "$(printf '%s' "$ROW" | cut -d, -f3)" "$VICTIM_ESC"
	check "its comm unescaped is the victim's name" \
		python3 "$PYTOOL" text-eq "$T/out" pid "$VPID" comm "$T/victim.name"
	run_smaptop --oom-kills
	# (its COMM column is 16 wide: the escaped name is cut before the last escape)
	if grep -qF 'oom\x1b]0;vic' "$T/out" && ! grep -q "$(printf '\033')" "$T/out"; then
		ok "the table shows the name escaped, no raw control byte"
	else
		not_ok "the table shows the name escaped, no raw control byte"; diag_file "$T/out"
	fi
	run_smaptop --oom-kills --csv
	same "its cgroup" "$(printf '%s' "$ROW" | cut -d, -f5)" "/$NAME"
	same "its constraint" "$(printf '%s' "$ROW" | cut -d, -f6)" memcg
	same "its scope" "$(printf '%s' "$ROW" | cut -d, -f14)" cgroup
	same "its uid" "$(printf '%s' "$ROW" | cut -d, -f4)" 0
	ANON=$(printf '%s' "$ROW" | cut -d, -f7)
	in_range "its anon RSS at the kill is near the 64 MiB limit (KiB)" "${ANON:-0}" 40000 66000
	KILL_MS=$(printf '%s' "$ROW" | cut -d, -f1)
	NOW_MS=$(($(date +%s) * 1000 + 1000))
	in_range "its time lies between the test's start and now (ms)" "${KILL_MS:-0}" \
		$((START_MS - 2000)) "$NOW_MS"
	first=$(awk -F, 'NR == 2 { print $1 }' "$T/out")
	last=$(awk -F, 'NR > 1 { t = $1 } END { print t }' "$T/out")
	if [ -z "$first" ] || [ "$first" -ge "${last:-0}" ]; then
		ok "newest first"
	else
		not_ok "newest first ($first before $last)"
	fi

	# ---- the stream: the kill within two refreshes of it, once, counter one higher ----
	# wait until the stream has taken two samples after the victim was gone
	have_two_after() {
		[ "$(jq -r --argjson g "$VICTIM_GONE_MS" 'select(.time_unix_ms >= $g) | 1' \
			"$T/stream" 2>/dev/null | wc -l)" -ge 2 ]
	}
	if [ -n "${VICTIM_GONE_MS:-}" ] && wait_for 20 have_two_after; then
		ok "the stream took two samples after the kill"
	else
		not_ok "the stream took two samples after the kill"
		diag_file "$T/stream.err"
	fi
	kill "$STREAM_PID" 2>/dev/null
	wait "$STREAM_PID" 2>/dev/null
	STREAM_PID=""
	same "the victim's pid appears in exactly one sample of the stream" \
		"$(jq -r --argjson p "$VPID" '.kills[] | select(.pid == $p) | .comm' "$T/stream" | tr '\n' ' ')" \
		"$VICTIM_ESC "
	same "not in the stream's first sample (taken before the kill)" \
		"$(head -n 1 "$T/stream" | jq --argjson p "$VPID" '[.kills[] | select(.pid == $p)] | length')" 0
	# A sample is stamped when its refresh starts and reads the log at its end: the kill
	# is in the sample under way when it happened, or in one of the next two.
	AT=$(jq -r --argjson p "$VPID" --argjson k "${KILL_MS:-0}" \
		'"\(if .time_unix_ms >= $k then "after" else "before" end):\([.kills[] | select(.pid == $p)] | length)"' \
		"$T/stream" | awk -F: '$1 == "before" { last = $2; next }
			n++ < 2 { out = out " " $2 } END { print last out }')
	case $AT in
	"1 0 0" | "0 1 0" | "0 0 1") ok "listed within two refreshes of the kill (samples around it: $AT)" ;;
	*) not_ok "listed within two refreshes of the kill (samples around it: $AT)" ;;
	esac
	C0=$(head -n 1 "$T/stream" | jq .oom_kills_since_boot)
	C1=$(tail -n 1 "$T/stream" | jq .oom_kills_since_boot)
	same "the stream's first counter is vmstat's before the kill" "$C0" "$BEFORE"
	NOWK=$(vmstat_kills)
	# one higher, unless kills by others came meanwhile on this shared machine (vmstat counts those too)
	if [ "$C1" -ge $((BEFORE + 1)) ] && [ "$C1" -le "$NOWK" ]; then
		ok "its last counter is one higher ($BEFORE -> $C1; $((NOWK - BEFORE - 1)) kills of others by now)"
	else
		not_ok "its last counter is one higher ($BEFORE -> $C1, vmstat now $NOWK)"
	fi

	# ---- --system: the counter and the settings ----
	run_smaptop --system --csv
	expect_rc "smaptop --system --csv" 0
	same "--system gives vmstat's counter" \
		"$(awk -F, '$2 == "oom" && $4 == "kills_since_boot" { print $5 }' "$T/out")" "$(vmstat_kills)"
	same "--system gives vm.overcommit_memory" \
		"$(awk -F, '$2 == "knobs" && $4 == "overcommit_memory" { print $5 }' "$T/out")" \
		"$(cat /proc/sys/vm/overcommit_memory)"
	same "--system gives vm.swappiness" \
		"$(awk -F, '$2 == "knobs" && $4 == "swappiness" { print $5 }' "$T/out")" \
		"$(cat /proc/sys/vm/swappiness)"
	THP=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
	if [ -n "$THP" ]; then
		same "--system gives the THP choice" \
			"$(awk -F, '$2 == "knobs" && $4 == "thp_enabled" { print $5 }' "$T/out")" "$THP"
	fi

	# ---- the interactive view: the detail of a process being watched when it is killed ----
	if command -v tmux >/dev/null 2>&1; then
		tui_victim
	else
		skip "tmux is not installed"
	fi

	if wait_for 10 rmdir "$CG" 2>/dev/null; then
		ok "the cgroup is removed"
		CG=""
	else
		not_ok "the cgroup is removed"
	fi
fi

# ---- unprivileged: no log, the counter still there, the reason said once ----
if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" != 1 ]; then
	skip "kernel.dmesg_restrict is not 1: an unprivileged user may read the log here"
elif ! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
	skip "setpriv or the user nobody is missing"
else
	NUID=$(id -u nobody)
	NGID=$(id -g nobody)
	as_nobody() { setpriv --reuid="$NUID" --regid="$NGID" --clear-groups "$@"; }
	SM=$SMAPTOP
	if ! as_nobody test -x "$SM" 2>/dev/null; then
		PUB=$(mktemp -d /tmp/smaptop-oom.XXXXXX) && chmod 755 "$PUB" && cp "$SMAPTOP" "$PUB/smaptop"
		SM=$PUB/smaptop
	fi
	RC=0
	as_nobody "$SM" --oom-kills >"$T/out" 2>"$T/err" || RC=$?
	expect_rc "smaptop --oom-kills as nobody" 0
	if grep -qE '^OOM kills since boot \(kernel counter\): [0-9]+$' "$T/out"; then
		ok "the counter is given"
	else
		not_ok "the counter is given"; diag_file "$T/out"
	fi
	same "the reason the details are missing, once" \
		"$(grep -c '^kill details unavailable: the kernel log is restricted' "$T/out")" 1
	same "nothing else on stdout, nothing on stderr" "$(wc -l <"$T/out") $(wc -c <"$T/err")" "2 0"
	RC=0
	as_nobody "$SM" --oom-kills -n 3 -d 0.1 >"$T/out" 2>"$T/err" || RC=$?
	expect_rc "smaptop --oom-kills -n 3 as nobody" 0
	same "streaming table: the reason once, not once per sample" \
		"$(grep -c '^kill details unavailable' "$T/out")" 1
	RC=0
	as_nobody "$SM" --oom-kills --csv -n 3 -d 0.1 >"$T/out" 2>"$T/err" || RC=$?
	expect_rc "smaptop --oom-kills --csv -n 3 as nobody" 0
	expect_one_line "CSV: the reason once on stderr, not once per sample" "$T/err" \
		"kill details unavailable"
	same "CSV: the header only" "$(wc -l <"$T/out")" 1
	RC=0
	as_nobody "$SM" --oom-kills --json >"$T/out" 2>"$T/err" || RC=$?
	expect_rc "smaptop --oom-kills --json as nobody" 0
	same "JSON: the counter is a number" "$(jq '.oom_kills_since_boot | type' "$T/out")" '"number"'
	same "JSON: the reason is given" \
		"$(jq -r '.details_unavailable | startswith("kill details unavailable")' "$T/out")" true
	RC=0
	as_nobody "$SM" --system --json >"$T/out" 2>"$T/err" || RC=$?
	expect_rc "smaptop --system --json as nobody" 0
	same "--system as nobody: the counter and a knob" \
		"$(jq -r '[(.oom_kills_since_boot | type), (.knobs.overcommit_memory | type)] | join(",")' "$T/out")" \
		"number,number"
fi
finish
