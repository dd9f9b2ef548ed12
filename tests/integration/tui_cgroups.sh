#!/bin/sh
# The cgroup screen (C) and the container's Mem meter of the interactive view,
# in a private tmux server: the container fixture's limit in the header, and
# on the OOM screen (o) its unchanging use said to have no forecast (flat); on
# this machine the cgroup tree, its sort keys, Enter (the process list of one
# cgroup) and Esc (all again); the help screen and smaptop(1) list the same
# keys. Every wait polls the pane; nothing sleeps a fixed time.
. tests/integration/lib.sh

require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }

SOCK=smaptop-tuicg-$$
TM="tmux -L $SOCK -f /dev/null"
test_cleanup() {
	$TM kill-server 2>/dev/null
	return 0
}
pane() { $TM capture-pane -p -t "$1"; }
has() { pane "$1" | grep -qF -e "$2"; }
wait_pane() { wait_for "${3:-15}" has "$1" "$2"; }
keys() { _s=$1; shift; $TM send-keys -t "$_s" "$@"; }
show() { pane "$1" >"$T/pane.txt"; diag_file "$T/pane.txt"; }
expect() { # SESSION TEXT DESC
	if wait_pane "$1" "$2"; then ok "$3"; else not_ok "$3"; show "$1"; fi
}
start() { # SESSION ARGS...
	_s=$1; shift
	mkdir -p "$T/xdg-$_s"
	$TM new-session -d -s "$_s" -x 140 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg-$_s TERM=screen-256color $SMAPTOP -d 0.5 $*; echo EXITED \$?; sleep 600" ||
		{ not_ok "tmux session $_s starts"; finish; }
}

# --- a container's view: the Mem meter is the cgroup's ---
F=tests/fixtures/cgroup/container
start box --proc-root "$F/proc" --sys-root "$F/sys"
expect box "256M/512M cgroup limit" "in a container the Mem meter shows the cgroup's use and limit"
keys box C
expect box "Memory cgroups (v2)" "C opens the cgroup screen"
expect box "512M" "the cgroup screen shows the 512 MiB limit"
# The fixture never changes: once there is history enough, the OOM screen says
# plainly that the machine and the limited cgroup have no forecast, and why.
keys box o
flat_rows() {
	pane box | grep -Ec '^  (machine|/) +no forecast \(flat\)$' | grep -qx 2
}
if wait_pane box "Time to OOM, nearest first" && wait_for 30 flat_rows; then
	ok "o: the OOM screen gives the machine and the cgroup no forecast, flat"
else
	not_ok "o: the OOM screen gives the machine and the cgroup no forecast, flat"; show box
fi
keys box q
wait_pane box EXITED 10

# --- this machine ---
start live
expect live " PID " "the process list starts"
keys live C
expect live "USE OF THE LIMIT" "C opens the cgroup screen"
keys live ">"
expect live "sort usage" "> sorts by the next key"
keys live "<"
expect live "sort cgroup" "< goes back to the tree order"
# The first child of the root in tree order, then Enter: its processes only.
keys live Down Enter
expect live "cgroup: /" "Enter shows the process list of that cgroup, said in the footer"
expect live " PID " "... which is the process list"
keys live Escape
if wait_for 10 sh -c '! tmux -L "$1" -f /dev/null capture-pane -p -t live | grep -qF "cgroup: /"' - "$SOCK"; then
	ok "Esc on the list shows every process again"
else
	not_ok "Esc on the list shows every process again"; show live
fi
keys live h
expect live "this help" "the help screen opens"
pane live >"$T/help.txt"
check "the help screen and smaptop(1) list the same keys" \
	python3 tests/integration/keys_check.py "$T/help.txt" man/smaptop.1
keys live Escape q
expect live "EXITED 0" "q quits with status 0"
finish
