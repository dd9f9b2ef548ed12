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

expect() { # TEXT DESC
	if wait_pane "$1" 15; then ok "$2"; else not_ok "$2"; show; fi
}
start() { # SESSION ARGS...: smaptop ARGS in tmux session SESSION, the one the helpers use
	_s=$1; shift
	view_term "$_s"
	mkdir -p "$T/xdg-$_s"
	$TM new-session -d -s "$_s" -x 140 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg-$_s TERM=screen-256color $SMAPTOP -d 0.5 $*; echo EXITED \$?; sleep 600" ||
		{ not_ok "tmux session $_s starts"; finish; }
}

# --- a container's view: the Mem meter is the cgroup's ---
F=tests/fixtures/cgroup/container
start box --proc-root "$F/proc" --sys-root "$F/sys"
expect "256M/512M cgroup limit" "in a container the Mem meter shows the cgroup's use and limit"
keys C
expect "Memory cgroups (v2)" "C opens the cgroup screen"
expect "512M" "the cgroup screen shows the 512 MiB limit"
# The fixture never changes: once there is history enough, the OOM screen says
# plainly that the machine and the limited cgroup have no forecast, and why.
keys o
flat_rows() {
	pane | grep -Ec '^  (machine|/) +no forecast \(flat\)$' | grep -qx 2
}
if wait_pane "Time to OOM, nearest first" 15 && wait_for 30 flat_rows; then
	ok "o: the OOM screen gives the machine and the cgroup no forecast, flat"
else
	not_ok "o: the OOM screen gives the machine and the cgroup no forecast, flat"; show
fi
keys q
wait_pane EXITED 10

# --- this machine ---
start live
expect " PID " "the process list starts"
keys C
expect "USE OF THE LIMIT" "C opens the cgroup screen"
keys ">"
expect "sort usage" "> sorts by the next key"
keys "<"
expect "sort cgroup" "< goes back to the tree order"
# The first child of the root in tree order, then Enter: its processes only.
keys Down Enter
expect "cgroup: /" "Enter shows the process list of that cgroup, said in the footer"
expect " PID " "... which is the process list"
keys Escape
if wait_for 10 eval '! has "cgroup: /"'; then
	ok "Esc on the list shows every process again"
else
	not_ok "Esc on the list shows every process again"; show
fi
keys h
expect "this help" "the help screen opens"
pane >"$T/help.txt"
check "the help screen and smaptop(1) list the same keys" \
	python3 tests/integration/keys_check.py "$T/help.txt" man/smaptop.1
keys Escape q
expect "EXITED 0" "q quits with status 0"
finish
