#!/bin/sh
# The PIDs asked for, and options that do not go together:
#   - a PID given twice (-p X,X) is one row per sample, as ps -p X,X prints one;
#   - a kernel thread asked for with -p (without --all) is named as a kernel
#     thread that --all shows, not as missing; with --all it is listed;
#   - when the selected processes exit, the message names them;
#   - a PID that does not exist, or a kernel thread without --all: the stream
#     and the interactive view (in tmux) refuse it alike, exit 2;
#   - contradictory options (-1 --csv, --numa --system, --maps P --numa) and
#     options a view does not use (--maps P -p Q, --maps P --top 3) are usage
#     errors: exit 2, one line naming both options, nothing on stdout.
# (Hidden processes, hidepid, are in privilege.sh, which can mount /proc.)
. tests/integration/lib.sh
require_binaries

# --- a PID given twice ---
start_hog || { not_ok "memhog starts"; finish; }
HOG1=$HOG_PID
run_smaptop --csv -p "$HOG1,$HOG1" --columns pid,rss,comm
expect_rc "--csv -p X,X" 0
same "--csv -p X,X: one row for X" "$(python3 "$PYTOOL" count "$T/out" pid "$HOG1")" 1
run_smaptop --csv -p "$HOG1" -p "$HOG1,$HOG1" -n 2 -d 0.05 --columns pid,comm
expect_rc "--csv -p X -p X,X -n 2" 0
same "--csv -p X -p X,X -n 2: one row per sample" "$(python3 "$PYTOOL" count "$T/out" pid "$HOG1")" 2
run_smaptop --json -p "$HOG1,$HOG1" --columns pid
expect_rc "--json -p X,X" 0
same "--json -p X,X: one object for X" "$(grep -o "\"pid\":$HOG1[,}]" "$T/out" | wc -l | tr -d ' ')" 1

# --- a kernel thread ---
# The first process whose stat flags have PF_KTHREAD (0x00200000).
KT=$(for s in /proc/[0-9]*/stat; do
	sed -e 's/.*) //' "$s" 2>/dev/null | awk -v f="$s" '{ if (int($7 / 2097152) % 2) { split(f, a, "/"); print a[3]; exit 1 } }' || break
done)
KT=$(echo "$KT" | head -n 1)
if [ -z "$KT" ]; then
	skip "no kernel thread is visible here (a PID namespace?)"
else
	diag "kernel thread: PID $KT ($(cat "/proc/$KT/comm" 2>/dev/null))"
	run_smaptop --csv -p "$KT"
	expect_rc "--csv -p KTHREAD (without --all)" 2
	expect_one_line "--csv -p KTHREAD: one line saying it is a kernel thread" "$T/err" "kernel thread"
	check "--csv -p KTHREAD: the message names --all" grep -qF -e "--all" "$T/err"
	check "--csv -p KTHREAD: the message names PID $KT" grep -qw "$KT" "$T/err"
	check "--csv -p KTHREAD: the message does not call it missing" sh -c '! grep -q "no process" "$1"' sh "$T/err"
	run_smaptop --csv -p "$KT" --all --columns pid,comm
	expect_rc "--csv -p KTHREAD --all" 0
	same "--csv -p KTHREAD --all: listed" "$(python3 "$PYTOOL" count "$T/out" pid "$KT")" 1
fi

# --- the PIDs that went away are named ---
if start_hog; then
	HOG2=$HOG_PID
	# stop the hog once smaptop has printed a first sample
	(
		wait_for 20 grep -q "^[0-9]*,$HOG2," "$T/out"
		kill "$HOG2"
	) &
	KILLER=$!
	run_smaptop --csv -p "$HOG2" -n 0 -d 0.1 --columns pid,comm
	wait "$KILLER"
	stop_hog "$HOG2"
	expect_rc "--csv -p HOG -n 0, the hog killed" 1
	expect_one_line "the message names the PID that exited" "$T/err" "process $HOG2 exited"
else
	not_ok "second memhog starts"
fi
if gone_pid; then
	run_smaptop --csv -p "$GONE_PID"
	expect_rc "--csv -p GONE" 2
	expect_one_line "--csv -p GONE: no process with that PID" "$T/err" "no process with PID $GONE_PID"
	# The interactive view says the same, with the same status, before it
	# takes the screen (in a terminal: without one it prints a snapshot).
	view_term vp
	$TM new-session -d -s vp -x 100 -y 20 \
		"$SMAPTOP -p $GONE_PID 2>$T/view.err; echo \$? >$T/view.rc; sleep 60"
	wait_for 10 test -s "$T/view.rc"
	same "the view with -p GONE: exit status" "$(cat "$T/view.rc" 2>/dev/null)" 2
	expect_one_line "the view with -p GONE: no process with that PID" "$T/view.err" \
		"no process with PID $GONE_PID"
	if [ -n "$KT" ]; then
		$TM kill-session -t vp 2>/dev/null
		rm -f "$T/view.rc"
		$TM new-session -d -s vp -x 100 -y 20 \
			"$SMAPTOP -p $KT 2>$T/view.err; echo \$? >$T/view.rc; sleep 60"
		wait_for 10 test -s "$T/view.rc"
		same "the view with -p KTHREAD (without --all): exit status" \
			"$(cat "$T/view.rc" 2>/dev/null)" 2
		expect_one_line "the view with -p KTHREAD: it is a kernel thread" "$T/view.err" \
			"kernel thread"
	fi
else
	skip "the PID of an exited memhog was reused at once"
fi

# --- options that do not go together ---
# usage DESC WANT-IN-MESSAGE ARG...: exit 2, one line containing WANT, nothing on stdout
usage() {
	_d=$1 _w=$2
	shift 2
	run_smaptop "$@"
	expect_rc "$_d" 2
	expect_one_line "$_d: one line naming both options" "$T/err" "$_w"
	check "$_d: nothing on stdout" test ! -s "$T/out"
}
usage "-1 --csv" "-1 and --csv exclude each other" -1 --csv
usage "--json -1" "--json and -1" --json -1
usage "--numa --system" "--numa and --system exclude each other" --numa --system
usage "--maps P --numa" "--maps and --numa exclude each other" --maps "$HOG1" --numa
usage "--maps P -p Q" "-p does not apply to --maps" --maps "$HOG1" -p "$$"
usage "--maps P --top 3" "--top does not apply to --maps" --maps "$HOG1" --top 3
usage "--system --columns pid" "--columns does not apply to --system" --system --columns pid
usage "--numa --columns pid" "--columns does not apply to --numa" --numa --columns pid
# what does apply is still accepted
run_smaptop --maps "$HOG1" --csv -s rss -r
expect_rc "--maps P --csv -s rss -r" 0
run_smaptop --numa --csv -p "$HOG1" --top 1
expect_rc "--numa --csv -p P --top 1" 0

finish
