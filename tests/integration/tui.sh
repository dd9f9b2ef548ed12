#!/bin/sh
# The interactive view, driven in a real terminal: a private tmux server, keys
# sent with send-keys, the screen read with capture-pane. Children with known
# memory, an oom_score_adj of 1000, a mapped file and a hostile name are the
# subjects. Every wait polls the pane; nothing sleeps a fixed time.
. tests/integration/lib.sh

require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }

view_term tui
SWAPFILE=""
test_cleanup() {
	if [ -n "$SWAPFILE" ]; then
		swapoff "$SWAPFILE" 2>/dev/null
		rm -f "$SWAPFILE"
	fi
	return 0
}

# Rows of the list: the lines after the header line holding "PID".
rows() { pane | sed -n '/^ *PID /,$p' | sed 1d; }
first_row() { rows | head -n 1; }
# Waits until the first list row contains $1.
first_is() { first_row | grep -qF -e "$1"; }

# Optional swap so SWAP sorting has something to order (root only).
if [ "$(id -u)" = 0 ] && command -v mkswap >/dev/null 2>&1; then
	SWAPFILE=$(mktemp /var/tmp/smaptop-e2e-swap.XXXXXX)
	if ! { dd if=/dev/zero of="$SWAPFILE" bs=1M count=128 2>/dev/null &&
		chmod 600 "$SWAPFILE" && mkswap "$SWAPFILE" >/dev/null 2>&1 &&
		swapon "$SWAPFILE" 2>/dev/null; }; then
		rm -f "$SWAPFILE"
		SWAPFILE=""
	fi
fi

start_hog --map 96 --touch 96 --name e2ebig || { not_ok "big memhog starts"; finish; }
BIG=$HOG_PID
start_hog --map 16 --touch 16 --oom-adj 1000 --name e2eoom || { not_ok "oom memhog starts"; finish; }
OOM=$HOG_PID
start_hog --file "$T/e2e-mapped.dat" --file-mib 8 --name e2efile || { not_ok "file memhog starts"; finish; }
if [ -n "$SWAPFILE" ]; then
	start_hog --map 24 --touch 24 --pageout --name e2eswap || { not_ok "swap memhog starts"; finish; }
fi
HOSTILE=$(printf 'e2e\033]0;PWNED\007x')
start_hog --name "$HOSTILE" || { not_ok "hostile memhog starts"; finish; }

mkdir -p "$T/xdg"
$TM new-session -d -s tui -x 140 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 0.5; echo EXITED \$?; sleep 600" ||
	{ not_ok "tmux session starts"; finish; }

if wait_pane e2ebig 15; then ok "the list shows the spawned process"; else not_ok "the list shows the spawned process"; show; fi

# Filter to our children, then the default order (PSS) puts the 96 MiB child first.
keys / e2e Enter
# Process rows start with a PID; after filtering, every one must be ours.
only_ours() {
	_r=$(rows | grep -E '^ *[0-9]+ ')
	[ -n "$_r" ] && ! printf '%s\n' "$_r" | grep -v -q -e e2e -e 'e2e\\x1b'
}
if wait_for 10 only_ours; then
	ok "the filter narrows the list to the spawned processes"
else
	not_ok "the filter narrows the list to the spawned processes"; show
fi
if wait_for 10 first_is e2ebig; then ok "sorted by PSS the biggest child is first"; else not_ok "sorted by PSS the biggest child is first"; show; fi

# F6 opens the sort menu at the current key; choose rss (four entries above pss).
keys F6; wait_pane "Sort by" 5
keys Up Up Up Up Enter
if wait_pane "RSSv" 5 && wait_for 5 first_is e2ebig; then ok "sorted by RSS the biggest child is first"; else not_ok "sorted by RSS the biggest child is first"; show; fi
if [ -n "$SWAPFILE" ]; then
	keys F6; wait_pane "Sort by" 5
	keys Down Down Down Down Down Down Down Down Down Down Down Down Down Down Enter
	if wait_pane "SWAPv" 5 && wait_for 10 first_is e2eswap; then ok "sorted by SWAP the paged-out child is first"; else not_ok "sorted by SWAP the paged-out child is first"; show; fi
	keys F6; wait_pane "Sort by" 5
	keys Up Up Up Up Up Up Up Up Up Up Enter
	wait_pane "PSSv" 5
else
	skip "SWAP ordering: no swap file could be activated (needs root)"
fi

# The hostile name is shown escaped, and the pane title was not taken over.
if wait_pane 'e2e\x1b]0;PWNED\x07x' 5; then ok "a hostile process name is shown escaped"; else not_ok "a hostile process name is shown escaped"; show; fi
title=$($TM display-message -p -t tui '#{pane_title}')
case $title in *PWNED*) not_ok "the pane title is untouched (got '$title')" ;; *) ok "the pane title is untouched" ;; esac

# Detail of the big child: the graph's top scale label covers its RSS.
keys / C-u; keys BSpace BSpace BSpace BSpace BSpace BSpace e2ebig Enter
wait_for 10 first_is e2ebig
keys Home Enter
if wait_pane "RSS (filled) vs VSZ" 5; then ok "Enter opens the detail graph"; else not_ok "Enter opens the detail graph"; fi
label=$(pane | sed -n '/RSS (filled) vs VSZ/{n;p;}' | awk '{print $1}')
rss_kib=$(status_kib "$BIG" VmRSS)
label_kib=$(python3 -c '
import sys
s = sys.argv[1]; u = "KMGTPE".find(s[-1:]) if s else -1
print(int(float(s[:-1]) * 1024 ** u) if u >= 0 else -1)' "$label")
if [ "$label_kib" -ge "$rss_kib" ] 2>/dev/null; then ok "the graph scale ($label) covers the RSS ($rss_kib KiB)"; else not_ok "the graph scale ('$label') covers the RSS ($rss_kib KiB)"; show; fi

# Maps of the file-mapping child list the file with its size.
keys Escape / BSpace BSpace BSpace BSpace BSpace BSpace e2efile Enter
wait_for 10 first_is e2efile
keys Home m
if wait_pane "e2e-mapped.dat" 10 && pane | grep -F "e2e-mapped.dat" | grep -q "8.00M"; then ok "m lists the mapped file with its size"; else not_ok "m lists the mapped file with its size"; show; fi
keys g
if wait_pane "grouped by class" 5; then ok "g groups the maps"; else not_ok "g groups the maps"; fi

# OOM view, filtered to our children (other processes at adj 1000 may exist):
# the child with oom_score_adj 1000 is the next victim.
keys Escape / BSpace BSpace BSpace BSpace BSpace BSpace BSpace e2e Enter
keys o
if wait_pane "OOM killer ranking" 5 && wait_for 5 sh -c "$TM capture-pane -p -t tui | grep -F 'next victim' | grep -q e2eoom"; then
	ok "o ranks the oom_score_adj 1000 child first"
else
	not_ok "o ranks the oom_score_adj 1000 child first"; show
fi

# Swap, NUMA, system and help views open; Esc returns.
for k in w:"Swap devices" N:"NUMA nodes" S:"System: used" h:"this help"; do
	keys "${k%%:*}"
	if wait_pane "${k#*:}" 5; then ok "key ${k%%:*} opens '${k#*:}'"; else not_ok "key ${k%%:*} opens '${k#*:}'"; fi
done
keys Escape
wait_pane " PID " 5

# Every key on the help screen is in the man page, and every documented key is on it.
keys h
wait_pane "this help" 5
pane >"$T/help.txt"
check "the help screen and smaptop(1) list the same keys" \
	python3 tests/integration/keys_check.py "$T/help.txt" man/smaptop.1
keys Escape
wait_pane " PID " 5

# The column chooser adds the NUMA split; it is read for the rows on screen.
keys c
wait_pane "Columns:" 5
i=0; while [ $i -lt 31 ]; do keys Down; i=$((i + 1)); done
keys Space Escape
if wait_pane " NODE " 5 && wait_for 10 sh -c "$TM capture-pane -p -t tui | grep -E '^ *[0-9]+ ' | head -1 | grep -Eq ' [0-9]+ +[0-9.]+[KMG]? *[^ ]*\$|[0-9] +[a-z]'"; then
	ok "c adds the NUMA node column"
else
	not_ok "c adds the NUMA node column"; show
fi
keys c; wait_pane "Columns:" 5
i=0; while [ $i -lt 31 ]; do keys Down; i=$((i + 1)); done
keys Space Escape
wait_pane " PID " 5
if has " NODE "; then not_ok "c removes the NUMA node column again"; else ok "c removes the NUMA node column again"; fi

# Resize down to 40x10 and back.
$TM resize-window -t tui -x 40 -y 10
if wait_for 5 sh -c "$TM capture-pane -p -t tui | grep -q -e PID -e 'too small'"; then ok "40x10 still draws"; else not_ok "40x10 still draws"; show; fi
$TM resize-window -t tui -x 30 -y 8
if wait_pane "too small" 5; then ok "below 40x10 a notice is shown"; else not_ok "below 40x10 a notice is shown"; fi
$TM resize-window -t tui -x 140 -y 40
if wait_pane "Mem [" 5 && wait_pane " PID " 5; then ok "back at 140x40 the list is drawn again"; else not_ok "back at 140x40 the list is drawn again"; fi

# q quits with status 0 and leaves the terminal restored (normal screen, cursor visible).
keys q
if wait_pane "EXITED 0" 10; then ok "q quits with status 0"; else not_ok "q quits with status 0"; show; fi
alt=$($TM display-message -p -t tui '#{alternate_on}')
cur=$($TM display-message -p -t tui '#{cursor_flag}')
same "the alternate screen is off after q" "$alt" 0
same "the cursor is visible after q" "$cur" 1
if [ -f "$T/xdg/smaptop/config" ] && grep -q '^sort=' "$T/xdg/smaptop/config"; then ok "settings are saved to XDG_CONFIG_HOME"; else not_ok "settings are saved to XDG_CONFIG_HOME"; fi

# SIGTERM restores the terminal too.
$TM respawn-pane -k -t tui "env LANG=C.UTF-8 XDG_CONFIG_HOME=$T/xdg $SMAPTOP; echo EXITED \$?; sleep 600"
wait_pane "Mem [" 10
spid=$($TM display-message -p -t tui '#{pane_pid}')
tpid=$(pgrep -P "$spid" -x smaptop)
[ -n "$tpid" ] && kill -TERM "$tpid"
if wait_pane "EXITED" 10 && [ "$($TM display-message -p -t tui '#{alternate_on}')" = 0 ]; then ok "SIGTERM restores the terminal"; else not_ok "SIGTERM restores the terminal"; fi

# Job control: "Ctrl-Z leaves a cooked terminal and SIGCONT redraws". An
# interactive dash restores no terminal modes when a job stops (bash would), so
# what stty shows is what smaptop left. The refresh delay is 30 s: a screen
# drawn within a few seconds was drawn because of the signal, not a refresh.
JOBSH=$(command -v dash || echo sh)
alt_is() { [ "$($TM display-message -p -t tui '#{alternate_on}')" = "$1" ]; }
# stty_line: the icanon and echo flags as stty reports them, then a marker.
stty_line() {
	keys "echo \"\$(stty -a | tr ' ;' '\\n\\n' | grep -xE -e '-?(icanon|echo)' | tr '\\n' ' ')$1\"" Enter
}
$TM respawn-pane -k -t tui "env PS1='jobsh\$ ' LANG=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $JOBSH -i"
wait_pane 'jobsh$' 10
keys "$SMAPTOP -d 30" Enter
if wait_pane "Mem [" 10 && wait_for 5 alt_is 1; then ok "smaptop starts from an interactive $JOBSH"; else not_ok "smaptop starts from an interactive $JOBSH"; show; fi
keys C-z
if wait_pane "Stopped" 5 && wait_for 5 alt_is 0; then
	ok "Ctrl-Z stops smaptop and leaves the alternate screen"
else
	not_ok "Ctrl-Z stops smaptop and leaves the alternate screen"; show
fi
same "the cursor is visible after Ctrl-Z" "$($TM display-message -p -t tui '#{cursor_flag}')" 1
stty_line STTY1
if wait_for 5 sh -c "$TM capture-pane -p -t tui | grep -qx 'icanon echo STTY1'"; then
	ok "after Ctrl-Z the terminal is cooked (icanon, echo)"
else
	not_ok "after Ctrl-Z the terminal is cooked (icanon, echo)"; show
fi
keys clear Enter
wait_for 5 sh -c "! $TM capture-pane -p -t tui | grep -q STTY1"
keys fg Enter
if wait_pane "Mem [" 3 && wait_pane " PID " 3 && alt_is 1; then
	ok "fg redraws the header and the list at once"
else
	not_ok "fg redraws the header and the list at once"; show
fi
keys q
if wait_for 5 alt_is 0 && wait_pane 'jobsh$' 5; then ok "q after fg quits to the shell"; else not_ok "q after fg quits to the shell"; show; fi
keys 'echo "FG=$?"' Enter
if wait_pane "FG=0" 5; then ok "smaptop exited with status 0 after fg and q"; else not_ok "smaptop exited with status 0 after fg and q"; show; fi
stty_line STTY2
if wait_for 5 sh -c "$TM capture-pane -p -t tui | grep -qx 'icanon echo STTY2'"; then
	ok "after q the terminal is cooked (icanon, echo)"
else
	not_ok "after q the terminal is cooked (icanon, echo)"; show
fi

# Stopped and continued from outside (no shell involved) while something else
# wrote to the terminal: SIGCONT alone repaints the whole screen.
$TM respawn-pane -k -t tui "env LANG=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 30; echo EXITED \$?; sleep 600"
wait_pane " PID " 10
spid=$($TM display-message -p -t tui '#{pane_pid}')
tpid=$(pgrep -P "$spid" -x smaptop)
ptty=$($TM display-message -p -t tui '#{pane_tty}')
state_is() { [ "$(sed -e 's/.*) //' -e 's/ .*//' "/proc/$tpid/stat" 2>/dev/null)" = "$1" ]; }
if [ -n "$tpid" ] && kill -STOP "$tpid" && wait_for 5 state_is T; then
	printf '\033[2J\033[HSCRIBBLED' >"$ptty"
	wait_pane SCRIBBLED 5
	kill -CONT "$tpid"
	if wait_for 3 sh -c "! $TM capture-pane -p -t tui | grep -q SCRIBBLED" && wait_pane "Mem [" 1 && wait_pane " PID " 1; then
		ok "SIGCONT repaints the whole screen"
	else
		not_ok "SIGCONT repaints the whole screen"; show
	fi
else
	not_ok "smaptop in the pane can be stopped with SIGSTOP"
fi
keys q
if wait_pane "EXITED 0" 10; then ok "q quits with status 0 after SIGSTOP and SIGCONT"; else not_ok "q quits with status 0 after SIGSTOP and SIGCONT"; show; fi

# The terminal goes away under a smaptop that gets no SIGHUP for it (its own
# session, as a background job would be): it must end, not spin on the dead
# terminal. A second tmux server is killed under it.
HS="tmux -S $T/hup.sock -f /dev/null"
mkdir -p "$T/hup"
$HS new-session -d -x 100 -y 30 \
	"setsid -f env TERM=screen-256color XDG_CONFIG_HOME=$T/hup $SMAPTOP -d 30; exec sleep 600"
find_hup() { # the smaptop started just now, by its environment
	for c in $(pgrep -x smaptop); do
		tr '\0' '\n' <"/proc/$c/environ" 2>/dev/null | grep -qx "XDG_CONFIG_HOME=$T/hup" && echo "$c"
	done
}
hpid=""; i=0
while [ -z "$hpid" ] && [ $i -lt 100 ]; do hpid=$(find_hup); sleep 0.1; i=$((i + 1)); done
if [ -n "$hpid" ] && [ "$(awk '{ print $6 }' "/proc/$hpid/stat")" = "$hpid" ]; then
	sleep 1 # let it draw
	$HS kill-server
	if wait_for 5 sh -c "! kill -0 $hpid 2>/dev/null"; then
		ok "smaptop ends when its terminal goes away without a SIGHUP"
	else
		not_ok "smaptop ends when its terminal goes away without a SIGHUP"
	fi
else
	not_ok "smaptop starts in a session of its own"
fi
[ -n "$hpid" ] && kill "$hpid" 2>/dev/null
$HS kill-server 2>/dev/null
finish
