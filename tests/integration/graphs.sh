#!/bin/sh
# Graph zoom and finer drawing, and the Leaks screen, in a real terminal (a
# private tmux server; every wait polls the pane):
#   (a) UTF-8: the system graphs are drawn in braille, with "[z] 10 min", a
#       clock-time axis (|HH:MM) and "now"; z widens to 1 hour, 6 hours, 1 day,
#       1 week (weekday axis: |Mon 07), then round to 10 min; Z narrows;
#   (b) L lists a linear leaker (tests/helpers/leaker.c, 1 MiB/s) as a suspect
#       with its rate, and draws its graph in braille;
#   (c) a non-UTF-8 locale: the graphs are plain ASCII, and q exits 0.
. tests/integration/lib.sh
require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
LEAKER=$B/helpers/leaker
[ -x "$LEAKER" ] || { not_ok "$LEAKER is built (run: make integration)"; finish; }

# The server's socket lives in $T: a name under the shared tmux directory could
# meet another test's in another PID namespace.
view_term g
has_re() { pane | grep -qE -e "$1"; }
# braille cells (U+2801..U+28FF: E2 A0 81 .. E2 A3 BF) in the pane
has_braille() { pane | LC_ALL=C grep -q "$(printf '\342[\240-\243]')"; }
only_ascii() { ! pane | LC_ALL=C grep -q "$(printf '[\200-\377]')"; }

_memhog=$HOG
HOG=$LEAKER
start_hog linear 300 || { not_ok "the leaker starts"; finish; }
HOG=$_memhog
LEAK_PID=$HOG_PID

mkdir -p "$T/xdg"
$TM new-session -d -s g -x 120 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 0.5 -p $LEAK_PID; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }

# --- (a) ---
wait_pane "PID" 15 || { not_ok "the list appears"; show; finish; }
keys S
if wait_pane "System: used" && wait_pane "[z] 10 min"; then ok "S: system graphs, 10 minutes"; else not_ok "S: system graphs, 10 minutes"; show; fi
if wait_for 10 has_braille; then ok "the graphs are drawn in braille"; else not_ok "the graphs are drawn in braille"; show; fi
if has_re '\|[0-2][0-9]:[0-5][0-9]' && has_re ' now$'; then ok "the time axis gives clock times and now"; else not_ok "the time axis gives clock times and now"; show; fi
keys z
if wait_pane "[z] 1 hour" 5; then ok "z: 1 hour"; else not_ok "z: 1 hour"; show; fi
keys z
if wait_pane "[z] 6 hours" 5; then ok "z: 6 hours"; else not_ok "z: 6 hours"; show; fi
keys z
if wait_pane "[z] 1 day" 5; then ok "z: 1 day"; else not_ok "z: 1 day"; show; fi
keys z
if wait_pane "[z] 1 week" 5 && wait_for 5 has_re '\|(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-3][0-9]'; then
	ok "z: 1 week, the axis gives weekdays and dates"
else
	not_ok "z: 1 week, the axis gives weekdays and dates"; show
fi
if has_braille; then ok "a week of ten minutes' history still draws"; else not_ok "a week of ten minutes' history still draws"; show; fi
keys z
if wait_pane "[z] 10 min" 5; then ok "z: round to 10 minutes"; else not_ok "z: round to 10 minutes"; show; fi
keys Z
if wait_pane "[z] 1 week" 5; then ok "Z: back to 1 week"; else not_ok "Z: back to 1 week"; show; fi
keys z

# --- (b) ---
keys L
if wait_pane "Leak suspects" 5; then ok "L opens the Leaks screen"; else not_ok "L opens the Leaks screen"; show; fi
# an estimate needs 30 s of history; allow a loaded machine three times that
suspect_row() { pane | grep -qE "^ *$LEAK_PID +[0-9.]+[KMG] "; }
if wait_for 90 suspect_row; then ok "the linear leaker is listed as a suspect"; else not_ok "the linear leaker is listed as a suspect"; show; fi
if wait_pane "PID $LEAK_PID: PSS (filled)" 5 && has_braille; then ok "its graph is drawn"; else not_ok "its graph is drawn"; show; fi
keys q
if wait_pane "EXITED 0" 10; then ok "q exits 0"; else not_ok "q exits 0"; show; fi
$TM kill-session -t g 2>/dev/null

# --- (c) ---
# A settings directory of its own: the first session saved the Leaks screen as
# the one to open.
mkdir -p "$T/xdg2"
$TM new-session -d -s g -x 100 -y 30 \
	"env LANG=C LC_ALL=C XDG_CONFIG_HOME=$T/xdg2 TERM=screen $SMAPTOP -d 0.5 -p $LEAK_PID; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts (C locale)"; finish; }
wait_pane "PID" 15 || { not_ok "the list appears (C locale)"; show; finish; }
keys S
if wait_pane "System: used" && wait_for 5 has_re '#'; then ok "C locale: the graphs draw in ASCII"; else not_ok "C locale: the graphs draw in ASCII"; show; fi
if only_ascii; then ok "C locale: no byte above ASCII on the screen"; else not_ok "C locale: no byte above ASCII on the screen"; show; fi
keys q
if wait_pane "EXITED 0" 10; then ok "q exits 0 (C locale)"; else not_ok "q exits 0 (C locale)"; show; fi
finish
