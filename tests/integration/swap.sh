#!/bin/sh
# Swap columns: a memhog pages its anonymous memory out to a private swap file,
# and smaptop must show it as swap_kib / swap_pss_kib; --system must list the
# swap file. Needs root (swapon); the swap file is always swapped off and removed.
. tests/integration/lib.sh

if [ "$(id -u)" != 0 ]; then
	skip "not root (swapon needs CAP_SYS_ADMIN)"
	exit 0
fi
require_binaries
for c in mkswap swapon swapoff; do
	if ! command -v "$c" >/dev/null 2>&1; then
		skip "$c is not installed"
		exit 0
	fi
done

MIB=1024 # KiB
SWAPFILE=""

swap_active() { [ -n "$SWAPFILE" ] && grep -qF -e "$SWAPFILE" /proc/swaps; }

# Runs after the hogs are killed (so their swapped pages are gone).
test_cleanup() {
	[ -n "$SWAPFILE" ] || return 0
	_i=0
	while swap_active && [ "$_i" -lt 5 ]; do
		swapoff "$SWAPFILE" || sleep 1
		_i=$((_i + 1))
	done
	if swap_active; then
		echo "swap.sh: could not swapoff $SWAPFILE; run: swapoff $SWAPFILE && rm $SWAPFILE" >&2
		return 1
	fi
	rm -f "$SWAPFILE"
}

SWAPFILE=$(mktemp /var/tmp/smaptop-swap.XXXXXX) || { not_ok "mktemp under /var/tmp"; finish; }
if ! dd if=/dev/zero of="$SWAPFILE" bs=1M count=256 2>"$T/dd.err"; then
	skip "cannot write a 256 MiB swap file under /var/tmp: $(tail -n 1 "$T/dd.err")"
	exit 0
fi
chmod 600 "$SWAPFILE"
if ! mkswap "$SWAPFILE" >"$T/mkswap.out" 2>&1; then
	skip "mkswap failed: $(tail -n 1 "$T/mkswap.out")"
	exit 0
fi
if ! swapon "$SWAPFILE" 2>"$T/swapon.err"; then
	skip "swapon failed (filesystem without swap file support?): $(tail -n 1 "$T/swapon.err")"
	exit 0
fi
ok "swapon of a 256 MiB swap file"

# --- --system lists the swap file ---
run_smaptop --system --csv
expect_rc "--system --csv" 0
check "--system --csv lists the swap file" grep -qF -e "$SWAPFILE" "$T/out"
run_smaptop --system --json
expect_rc "--system --json" 0
check "--system --json lists the swap file" grep -qF -e "$SWAPFILE" "$T/out"
check "--system --json: every line is JSON" \
	python3 -c 'import json, sys; assert [json.loads(l) for l in open(sys.argv[1], "rb")]' "$T/out"

# --- a paged-out hog ---
if ! start_hog --map 32 --touch 32 --pageout; then
	not_ok "memhog --map 32 --touch 32 --pageout starts"
	finish
fi
pid=$HOG_PID
want=$((32 * MIB * 90 / 100))

kernel_swapped() { _s=$(status_kib "$pid" VmSwap); [ "${_s:-0}" -ge "$want" ]; }
if ! wait_for 5 kernel_swapped; then
	skip "the kernel paged out only $(status_kib "$pid" VmSwap) KiB of 32 MiB"
	finish
fi
k_swap=$(status_kib "$pid" VmSwap)
diag "kernel: VmSwap $k_swap KiB, VmRSS $(status_kib "$pid" VmRSS) KiB"

smaptop_swapped() {
	run_smaptop --csv -p "$pid" --columns pid,swap,swap_pss,rss
	_s=$(csv_field "$pid" swap_kib 2>/dev/null)
	is_int "$_s" && [ "$_s" -ge "$want" ]
}
wait_for 5 smaptop_swapped
expect_rc "--csv -p PID --columns pid,swap,swap_pss,rss" 0
swap=$(csv_field "$pid" swap_kib)
in_range "swap_kib of a hog that paged out 32 MiB" "$swap" "$want" $((32 * MIB + MIB))
in_range "swap_kib matches /proc/PID/status VmSwap" "$swap" $((k_swap * 95 / 100)) \
	$((k_swap * 105 / 100))
in_range "swap_pss_kib of that hog (sole owner of its swap)" "$(csv_field "$pid" swap_pss_kib)" \
	"$want" $((32 * MIB + MIB))
in_range "rss_kib of that hog no longer counts the paged-out memory" \
	"$(csv_field "$pid" rss_kib)" 0 $((32 * MIB / 10 + 2 * MIB))

run_smaptop --json -p "$pid" --columns pid,swap
expect_rc "--json -p PID --columns pid,swap" 0
in_range "--json swap_kib of that hog" "$(python3 "$PYTOOL" json-field "$T/out" "$pid" swap_kib)" \
	"$want" $((32 * MIB + MIB))

# --- swap freed while stat shows nothing: a stream shows it at once ---
# MADV_DONTNEED of paged-out memory frees its swap, and RSS, VSZ and the fault
# counters need not move. A stream reads status only for processes whose stat
# moved (or whose PSS age bound came), so it must see this from the system's
# swap total: within a few refreshes, not at the age bound (60 s here).
"$SMAPTOP" --csv -n 0 -d 0.3 --pss-max-age 60 --columns pid,swap,rss >"$T/stream" \
	2>"$T/stream.err" &
spid=$!
stream_swap() { awk -F, -v p="$pid" '$2 == p { s = $3 } END { print s + 0 }' "$T/stream"; }
stream_has_swap() { [ "$(stream_swap)" -ge "$want" ]; }
stream_lost_swap() { [ "$(stream_swap)" -lt $((want / 10)) ]; }
check "a stream shows the paged-out swap" wait_for 5 stream_has_swap
sleep 1 # a few light refreshes: the hog is known, its status carried
rss0=$(status_kib "$pid" VmRSS)
kill -USR1 "$pid"
check "the hog discarded its paged-out memory" wait_for 5 grep -qx discarded "$T/hog.$HOG_SEQ.out"
diag "after the discard: VmSwap $(status_kib "$pid" VmSwap) KiB, VmRSS $rss0 -> $(status_kib "$pid" VmRSS) KiB"
check "the stream shows the freed swap within 2 s (age bound 60 s)" wait_for 2 stream_lost_swap
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null

stop_hog "$pid"
if test_cleanup; then
	ok "swapoff and removal of the swap file"
else
	not_ok "swapoff and removal of the swap file"
fi
SWAPFILE=""
finish
