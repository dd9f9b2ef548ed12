#!/bin/sh
# The interactive view and its terminal, in a private tmux server: what the
# terminal is left in after every way out (q, the quit signals, the fatal
# signals: tmux is asked for its modes, not the byte stream), the exit status
# of each, terminals the view cannot use (TERM=dumb, an unknown TERM, standard
# input not a terminal: the snapshot is printed instead), and the tree view on
# at start-up (its first frame is empty; the sanitizer runs of make check-asan
# run this script too). Every wait polls the pane; nothing sleeps a fixed time.
. tests/integration/lib.sh

require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }

view_term term
flags() { $TM display-message -p -t term '#{mouse_any_flag} #{keypad_cursor_flag}'; }
flags_are() { [ "$(flags)" = "$1" ]; }
modes() { $TM display-message -p -t term '#{alternate_on} #{cursor_flag}'; }
ENVS="LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg"
mkdir -p "$T/xdg"

# respawn ENV-AND-ARGS: runs "env ENV-AND-ARGS" in the pane, then prints its status.
respawn() {
	$TM respawn-pane -k -t term "env $*; echo EXITED \$?; exec sleep 600"
}
# The smaptop the pane runs (a child of the pane's shell).
view_pid() {
	_sp=$($TM display-message -p -t term '#{pane_pid}')
	pgrep -P "$_sp" -x smaptop
}

$TM new-session -d -s term -x 120 -y 40 "exec sleep 600" || { not_ok "tmux session starts"; finish; }

# While the view runs, tmux has mouse reporting and keypad transmit on; every
# way out turns both off again (and the alternate screen, and shows the cursor).
# way: q, or a signal name.
way_out() {
	_way=$1 _want=$2
	respawn "$ENVS TERM=screen-256color $SMAPTOP -d 0.5"
	if ! wait_pane " PID " 15; then
		not_ok "$_way: smaptop starts"; show; return
	fi
	if ! wait_for 5 flags_are "1 1"; then
		not_ok "$_way: the view turns mouse reporting and keypad mode on (got '$(flags)')"; return
	fi
	if [ "$_way" = q ]; then
		keys q
	else
		_p=$(view_pid)
		[ -n "$_p" ] && kill -s "$_way" "$_p"
	fi
	if ! wait_pane "EXITED" 10; then
		not_ok "$_way: smaptop ends"; show; return
	fi
	same "$_way: mouse reporting and keypad mode are off afterwards" "$(flags)" "0 0"
	same "$_way: normal screen, cursor shown afterwards" "$(modes)" "0 1"
	same "$_way: exit status" "$(pane | sed -n 's/^EXITED //p' | tail -n 1)" "$_want"
}
way_out q 0
way_out INT 130
way_out TERM 143
way_out HUP 129
way_out QUIT 131
way_out SEGV 139
way_out ABRT 134
way_out BUS 135

# The tree view on at start-up: the first frame has no rows yet.
mkdir -p "$T/xdg/smaptop"
printf '# mine\ntree=1\n' >"$T/xdg/smaptop/config"
respawn "$ENVS TERM=screen-256color $SMAPTOP -d 0.5"
if wait_pane " PID " 15 && wait_for 10 sh -c "$TM capture-pane -p -t term | grep -qE '(├|└)─'"; then
	ok "tree=1 in the config: the view starts as a tree"
else
	not_ok "tree=1 in the config: the view starts as a tree"; show
fi
keys q
if wait_pane "EXITED 0" 10; then ok "the tree view at start-up quits with status 0"; else not_ok "the tree view at start-up quits with status 0"; show; fi
rm -f "$T/xdg/smaptop/config"

# Terminals the view cannot use: the snapshot (as with standard output not a
# terminal), one line on standard error that says why, status 0. (-p 1: a
# snapshot short enough for the pane.)
# unusable DESC ENV-AND-ARGS WHY
unusable() {
	respawn "$2 -p 1 2>$T/why"
	if wait_pane "EXITED" 15 && has "EXITED 0" && has " PID " && pane | grep -q "^smaptop .*, 1 process" &&
		! pane | grep -qF "Mem ["; then
		ok "$1: the snapshot is printed, status 0"
	else
		not_ok "$1: the snapshot is printed, status 0"; show
	fi
	expect_one_line "$1: one line on stderr says why" "$T/why" "$3"
}
unusable "TERM=dumb" "$ENVS TERM=dumb $SMAPTOP" "'dumb' cannot move the cursor"
unusable "an unknown TERM" "$ENVS TERM=no-such-terminal $SMAPTOP" "'no-such-terminal' is unknown"
unusable "TERM unset" "-u TERM $ENVS $SMAPTOP" "TERM is not set"
unusable "standard input not a terminal" "$ENVS TERM=screen-256color $SMAPTOP </dev/null" \
	"standard input is not a terminal"

# The snapshot's header counts in the singular for one process.
run_smaptop -1 -p $$
if head -n 1 "$T/out" | grep -q ', 1 process$\|, 1 process,'; then ok "the header says '1 process'"; else not_ok "the header says '1 process'"; diag_file "$T/out"; fi
run_smaptop -1 -p "$$,1"
if head -n 1 "$T/out" | grep -q ', 2 processes'; then ok "the header says '2 processes'"; else not_ok "the header says '2 processes'"; diag_file "$T/out"; fi

# The manual's EXIT STATUS names the status after each quit signal.
for s in SIGINT:130 SIGTERM:143 SIGHUP:129 SIGQUIT:131; do
	if sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' man/smaptop.1 | grep -A3 -e "^\.It ${s#*:}\$" | grep -q "${s%%:*}"; then
		ok "EXIT STATUS documents ${s#*:} after ${s%%:*}"
	else
		not_ok "EXIT STATUS documents ${s#*:} after ${s%%:*}"
	fi
done
finish
