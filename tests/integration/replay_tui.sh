#!/bin/sh
# smaptop --replay FILE on a terminal (issue 16): the header says REPLAY and
# shows the recorded time and sample; [ ] step a sample, { } an hour, g goes to
# a typed time; the list shows the processes alive at that sample; detail,
# system and OOM screens work; maps and NUMA say they are not recorded.
# And the live view with --history FILE: the detail of a recorded process
# reaches back into the recording (same boot, pid and start time).
# Driven in a private tmux server; every wait polls the pane.
. tests/integration/lib.sh

require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
command -v sqlite3 >/dev/null 2>&1 || { not_ok "sqlite3 is installed (scripts/deps test)"; finish; }

view_term rp
hasnt() { ! pane | grep -qF -e "$1"; }
expect_pane() { # DESC TEXT
	if wait_pane "$2"; then ok "$1"; else not_ok "$1 (no '$2')"; show; fi
}

H=$T/h.db
start_hog --map 32 --touch 32 --name rplhog || { not_ok "memhog starts"; finish; }
"$SMAPTOP" --record "$H" -n 2 -d 0.5 || not_ok "recording with the memhog"
stop_hog "$HOG_PID"
"$SMAPTOP" --record "$H" -n 2 -d 0.5 || not_ok "recording without it"
same "four samples recorded" "$(sqlite3 "$H" 'SELECT count(*) FROM sample')" 4
t1=$(sqlite3 "$H" 'SELECT time_unix_ms / 1000 FROM sample ORDER BY id LIMIT 1')
iso1=$(date -d "@$t1" +%Y-%m-%dT%H:%M:%S)
last=$(sqlite3 "$H" "SELECT strftime('%Y-%m-%d %H:%M:%S', max(time_unix_ms) / 1000, 'unixepoch', 'localtime') FROM sample")

$TM new-session -d -s rp -x 140 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP --replay $H; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }
expect_pane "the header says REPLAY with the last recorded time" "REPLAY $last"
expect_pane "the replay opens on the last sample" "sample 4/4"
keys / rplhog Enter
if wait_for 10 hasnt "rplhog "; then ok "the last sample has no memhog (it had exited)"; else not_ok "the last sample has no memhog"; show; fi
keys '['
expect_pane "[ goes a sample back" "sample 3/4"
keys '['
expect_pane "[ again" "sample 2/4"
expect_pane "at sample 2 the memhog is alive" "rplhog"
keys ']'
expect_pane "] goes a sample forward" "sample 3/4"
if wait_for 10 hasnt "rplhog "; then ok "at sample 3 it is gone"; else not_ok "at sample 3 it is gone"; show; fi
keys g
expect_pane "g asks for a time" "Go to time"
keys "$iso1" Enter
expect_pane "g $iso1 goes to the first sample" "sample 1/4"
expect_pane "the memhog is there at the first sample" "rplhog"
keys '}'
expect_pane "} (an hour on) stops at the last sample" "sample 4/4"
keys '{'
expect_pane "{ (an hour back) stops at the first sample" "sample 1/4"
keys Space
expect_pane "space plays the recording" "PLAYING"
if wait_pane "sample 4/4" 20; then ok "playing reaches the last sample"; else not_ok "playing reaches the last sample"; show; fi
keys Space
expect_pane "space pauses it again" "PAUSED"
keys g "$iso1" Enter
expect_pane "back to the first sample" "sample 1/4"
keys Home Enter
expect_pane "Enter opens the detail screen in a replay" "RSS (filled) vs VSZ"
keys m
expect_pane "the maps screen says it is not recorded" "not recorded"
keys Escape N
expect_pane "the NUMA screen says it is not recorded" "not recorded"
keys Escape o
expect_pane "the OOM ranking works" "rplhog"
keys Escape S
expect_pane "the system screen works" "System: used"
keys q
expect_pane "q ends the replay with status 0" "EXITED 0"
$TM kill-session -t rp

# --- the live view with --history -------------------------------------------------
start_hog --map 8 --touch 8 --name histhog || { not_ok "memhog starts"; finish; }
HH=$HOG_PID
"$SMAPTOP" --record "$T/hist.db" -n 2 -d 0.3 -p "$HH" || not_ok "recording the memhog"
day=$(date +%Y-%m-%d)
$TM new-session -d -s rp -x 140 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg2 TERM=screen-256color $SMAPTOP --history $T/hist.db -p $HH,$$; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }
expect_pane "the live view runs with --history" "histhog"
keys / histhog Enter
wait_pane histhog
keys Home Enter
expect_pane "the detail of a recorded process reaches back into the recording" "Recorded since $day"
expect_pane "... with its recorded PSS" "PSS "
keys Escape / C-u BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter Home
keys Escape / sh Enter Home Enter
expect_pane "a process the recording does not have: says so" "Recorded history: none"
keys q
expect_pane "q ends the live view with status 0" "EXITED 0"
finish
