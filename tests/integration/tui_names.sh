#!/bin/sh
# The interactive view (a private tmux server, read with capture-pane; every
# wait polls): a command line of spaces only is shown as "[comm]", as in the
# other outputs, and the maps screen's total is the kernel's (smaps_rollup),
# the one the process list shows, with what the rows' PSS adds up to beside it.
. tests/integration/lib.sh
require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
ARGVHOG=$B/helpers/argvhog
[ -x "$ARGVHOG" ] || { not_ok "$ARGVHOG is built (run: make integration)"; finish; }

view_term tui

memhog=$HOG
HOG=$ARGVHOG
start_hog --name tuiblank -- '    ' '  '
started=$?
HOG=$memhog
[ "$started" = 0 ] || { not_ok "argvhog with an argv of spaces starts"; finish; }
BLANK=$HOG_PID
# Mappings shared by two processes after a fork would part the rows' PSS from
# the rollup's; one process with a few hundred mappings is enough to show
# which total the screen gives.
start_hog --mappings 300 --name tuimaps || { not_ok "memhog --mappings 300 starts"; finish; }
MAPS=$HOG_PID

$TM new-session -d -s tui -x 160 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 0.5 -p $BLANK,$MAPS --columns pid,comm,pss,cmdline; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }

if wait_pane tuimaps 15; then
	ok "the list shows both processes"
else
	not_ok "the list shows both processes"; show
fi
if wait_for 10 sh -c "$TM capture-pane -p -t tui | grep -E '^ *$BLANK ' | grep -qF '[tuiblank]'"; then
	ok "a command line of spaces is shown as [comm]"
else
	not_ok "a command line of spaces is shown as [comm]"; show
fi

keys / tuimaps Enter
wait_for 10 sh -c "$TM capture-pane -p -t tui | grep -E '^ *[0-9]+ ' | grep -qv tuiblank"
keys Home m
if wait_pane "Maps of PID $MAPS" 10 && wait_pane "smaps_rollup" 10; then
	ok "the maps screen's total is smaps_rollup's"
else
	not_ok "the maps screen's total is smaps_rollup's"; show
fi
total=$(pane | grep -E '^total [0-9]+ maps' | head -n 1)
if [ -n "$total" ]; then
	ok "the maps screen has its total line ($total)"
else
	not_ok "the maps screen has its total line"; show
fi
keys q
if wait_pane "EXITED 0" 10; then ok "q ends the view (exit 0)"; else not_ok "q ends the view (exit 0)"; show; fi

finish
