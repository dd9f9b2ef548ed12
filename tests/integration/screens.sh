#!/bin/sh
# The screens of the interactive view, driven in a private tmux server: the
# swap screen lists only processes with swap, biggest first, from the top; the
# tree is drawn with ├─ │ └─; the detail screen follows a process, not a PID,
# and says when it exited; the system graphs' scales top at the RAM and the
# swap there is (fixture meminfo files via --proc-root), and say when there is
# no swap; saving the settings keeps the user's lines, and every bad line is
# reported. Every wait polls the pane; nothing sleeps a fixed time.
. tests/integration/lib.sh

require_binaries
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; finish; }
FORKHOG=$B/helpers/forkhog
[ -x "$FORKHOG" ] || { not_ok "$FORKHOG is built (run: make integration)"; finish; }

# Names of this run's processes start with $P: another run of this script at
# the same time has processes of its own (a name has at most 15 bytes).
P=s$(($$ % 100000))
view_term scr
SWAPFILE=""
test_cleanup() {
	if [ -n "$SWAPFILE" ]; then
		swapoff "$SWAPFILE" 2>/dev/null
		rm -f "$SWAPFILE"
	fi
	return 0
}
# Rows of the list: the lines after the header line holding "PID".
rows() { pane | sed -n '/^ *PID /,$p' | sed 1d | grep -E '^ *[0-9]+ '; }
first_row() { rows | head -n 1; }
# kib LABEL: a scale label (100M, 23.5G, 4K) in KiB, or -1.
kib() {
	python3 -c '
import sys
s = sys.argv[1]; u = "KMGTPE".find(s[-1:]) if s else -1
print(int(float(s[:-1]) * 1024 ** u) if u >= 0 and s[:-1] else -1)' "$1"
}
# label_after TITLE: the first word of the line after the one holding TITLE.
label_after() { pane | sed -n "/$1/{n;p;q;}" | awk '{ print $1 }'; }
ENVS="LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color"
mkdir -p "$T/xdg/smaptop"
# view ARGS: smaptop in the pane, from no settings file unless KEEP_CONFIG=1
# (each run saves one: the screen it quit on would be the next one's first).
view() {
	[ "${KEEP_CONFIG:-0}" = 1 ] || rm -f "$T/xdg/smaptop/config"
	$TM respawn-pane -k -t scr "env $ENVS $SMAPTOP $*; echo EXITED \$?; exec sleep 600"
}
quit() {
	keys q
	wait_pane "EXITED" 10 || { not_ok "q quits"; show; }
}
$TM new-session -d -s scr -x 140 -y 45 "exec sleep 600" || { not_ok "tmux session starts"; finish; }

# ---- 1. swap screen: only the processes with swap, biggest first, from the top
start_hog --map 8 --touch 8 --name ${P}nosw || { not_ok "memhog starts"; finish; }
view -d 0.5
wait_pane " PID " 15
keys / ${P}nosw Enter
wait_for 10 sh -c "$TM capture-pane -p -t scr | grep -q ${P}nosw"
keys w
if wait_pane "Swap devices" 5 && wait_pane "no process that matches the filter has memory in swap" 5 &&
	! rows | grep -q ${P}nosw; then
	ok "the swap screen leaves out processes without swap, and says none has"
else
	not_ok "the swap screen leaves out processes without swap, and says none has"; show
fi
quit

# With swap (root: a swap file of our own), two paged-out processes of different
# sizes among more without swap than the screen shows: the list starts at the
# biggest, even when the selection was at the bottom of the process list.
# Its priority is above the default ones (negative): the pages go to our file,
# not to one another test turns off under them.
if [ "$(id -u)" = 0 ] && command -v mkswap >/dev/null 2>&1; then
	SWAPFILE=$(mktemp /var/tmp/smaptop-screens-swap.XXXXXX)
	if ! { dd if=/dev/zero of="$SWAPFILE" bs=1M count=128 2>/dev/null &&
		chmod 600 "$SWAPFILE" && mkswap "$SWAPFILE" >/dev/null 2>&1 &&
		swapon -p "$((1000 + $$ % 30000))" "$SWAPFILE" 2>/dev/null; }; then
		rm -f "$SWAPFILE"
		SWAPFILE=""
	fi
fi
if [ -n "$SWAPFILE" ]; then
	start_hog --map 24 --touch 24 --pageout --name ${P}swbig || { not_ok "memhog starts"; finish; }
	BIGSWAP=$HOG_PID
	start_hog --map 8 --touch 8 --pageout --name ${P}swsml || { not_ok "memhog starts"; finish; }
	# More rows than the screen shows: 60 processes without swap.
	_hog=$HOG
	HOG=$FORKHOG
	start_hog 60 ${P}fill || { not_ok "forkhog starts"; finish; }
	HOG=$_hog
	view -d 0.5
	wait_pane " PID " 15
	keys / "$P" Enter
	wait_for 10 sh -c "$TM capture-pane -p -t scr | grep -q ${P}swbig"
	keys End
	keys w
	if wait_pane "Swap devices" 5 && wait_for 10 sh -c "$TM capture-pane -p -t scr | sed -n '/^ *PID /,\$p' | sed -n 2p | grep -q ${P}swbig"; then
		ok "the swap screen starts at the biggest swap user"
	else
		not_ok "the swap screen starts at the biggest swap user"; show
	fi
	same "the swap screen lists the two processes with swap only" \
		"$(rows | awk '{ print $NF }' | tr '\n' ' ')" "${P}swbig ${P}swsml "
	swapped=$(sed -n 's/^VmSwap:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$BIGSWAP/status")
	in_range "the biggest one has its memory in swap (KiB)" "$swapped" 1 1000000
	quit
else
	skip "the swap screen with swap: no swap file could be activated (needs root)"
fi

# ---- 2. the tree: ├─ for a child with a later sibling, └─ for the last
_hog=$HOG
HOG=$FORKHOG
start_hog 3 ${P}tree || { not_ok "forkhog starts"; finish; }
HOG=$_hog
view -d 0.5
wait_pane " PID " 15
keys / ${P}tree Enter t
# Two children with ├─, the last one with └─ on the last row (one pane capture:
# a capture taken while the screen is being redrawn is tried again).
tree_drawn() {
	pane >"$T/tree.txt"
	_rows=$(sed -n '/^ *PID /,$p' "$T/tree.txt" | sed 1d | grep -E '^ *[0-9]+ ' | grep -F "${P}tree")
	[ "$(printf '%s\n' "$_rows" | grep -c "├─${P}tree")" = 2 ] &&
		[ "$(printf '%s\n' "$_rows" | grep -c "└─${P}tree")" = 1 ] &&
		printf '%s\n' "$_rows" | tail -n 1 | grep -q "└─${P}tree"
}
if wait_for 10 tree_drawn; then
	ok "the tree of forkhog and its 3 children: ├─ twice, then └─ on the last row"
else
	not_ok "the tree of forkhog and its 3 children: ├─ twice, then └─ on the last row"; show
fi
quit
# Without UTF-8, ASCII branches.
rm -f "$T/xdg/smaptop/config"
$TM respawn-pane -k -t scr "env LANG=C LC_ALL=C XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 0.5 --filter ${P}tree; echo EXITED \$?; exec sleep 600"
wait_pane " PID " 15
keys t
# (The filter also shows smaptop and its shell: their command lines hold it.)
ascii_drawn() {
	_rows=$(rows | grep -F "${P}tree")
	[ "$(printf '%s\n' "$_rows" | grep -c "|-${P}tree")" = 2 ] &&
		printf '%s\n' "$_rows" | tail -n 1 | grep -q "\`-${P}tree"
}
if wait_for 10 ascii_drawn; then ok "in the C locale the tree is drawn with |- and \`-"; else not_ok "in the C locale the tree is drawn with |- and \`-"; show; fi
quit

# ---- 3. the detail screen follows a process: when it exits, it says so
start_hog --map 32 --touch 32 --name ${P}detA || { not_ok "memhog starts"; finish; }
DETA=$HOG_PID
start_hog --map 4 --touch 4 --name ${P}detB || { not_ok "memhog starts"; finish; }
view -d 0.5
wait_pane " PID " 15
keys / ${P}det Enter
first_is() { first_row | grep -qF -e "$1"; }
wait_for 10 first_is ${P}detA
keys Home Enter
if wait_pane "PID $DETA ${P}detA" 5; then ok "Enter opens the detail of the selected process"; else not_ok "Enter opens the detail of the selected process"; show; fi
stop_hog "$DETA"
if wait_pane "PID $DETA ${P}detA  has exited" 10 && has "RSS (filled) vs VSZ" && ! has "${P}detB"; then
	ok "when the process exits, the detail says so and keeps its graph"
else
	not_ok "when the process exits, the detail says so and keeps its graph"; show
fi
graph_kept() { [ "$(label_after 'RSS (filled) vs VSZ')" != "(collecting...)" ] && [ -n "$(label_after 'RSS (filled) vs VSZ')" ]; }
if graph_kept; then ok "its last graph is still drawn ($(label_after 'RSS (filled) vs VSZ'))"; else not_ok "its last graph is still drawn"; show; fi
quit

# ---- 4. graph scales: Available tops at MemTotal; no swap: said, not drawn
FX=tests/fixtures/proc
memtotal=$(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB$/\1/p' "$FX/meminfo")
view -d 0.2 --proc-root "$FX"
wait_pane " PID " 15
keys S
wait_pane "Available" 5
wait_for 10 sh -c "$TM capture-pane -p -t scr | sed -n '/^Available/{n;p;q;}' | grep -q '[0-9]'"
avail_top=$(label_after '^Available')
# A label has three digits: within 1% of the value it stands for.
in_range "the Available scale ($avail_top) tops at the RAM there is (KiB)" "$(kib "$avail_top")" \
	$((memtotal * 99 / 100)) $((memtotal * 101 / 100))
if wait_pane "no swap is configured" 5; then ok "no swap: the swap graph says so"; else not_ok "no swap: the swap graph says so"; show; fi
swap_axis=$(pane | sed -n '/^Swap used/,$p' | grep -cE '^ *[0-9.]+[KMGT]? *(│|\|)')
same "no swap: no swap scale is drawn" "$swap_axis" 0
quit
# Swap configured, all of it used: the scale tops at the swap there is.
mkdir -p "$T/proc"
sed -e 's/^SwapTotal:.*/SwapTotal:       3000000 kB/' -e 's/^SwapFree:.*/SwapFree:              0 kB/' \
	"$FX/meminfo" >"$T/proc/meminfo"
view -d 0.2 --proc-root "$T/proc"
wait_pane " PID " 15
keys S
wait_pane "Swap used" 5
wait_for 10 sh -c "$TM capture-pane -p -t scr | sed -n '/^Swap used/{n;p;q;}' | grep -q '[0-9]'"
swap_top=$(label_after '^Swap used')
in_range "the swap scale ($swap_top) tops at the swap there is (KiB)" "$(kib "$swap_top")" 2970000 3030000
quit

# ---- 5. settings: saving keeps the user's lines; every bad line is reported
cat >"$T/xdg/smaptop/config" <<'CONF'
# my smaptop settings
# (tree off for now)
tree=0
future_option=yes
sort=nope
reverse=maybe
delay=-1
view=nowhere
columns=pid,nonsense
this is not a setting
tree=sideways
also bad
CONF
KEEP_CONFIG=1 view -d 0.5
if wait_pane "lines 5, 6, 7, 8, 9, 10, 11 and 12 are not valid" 10; then
	ok "the status line names every bad line of the config"
else
	not_ok "the status line names every bad line of the config"; show
fi
keys t
wait_pane " PID " 5
quit
cfg=$T/xdg/smaptop/config
check "the saved config keeps the comments" grep -qx '# my smaptop settings' "$cfg"
check "the saved config keeps the second comment" grep -qxF '# (tree off for now)' "$cfg"
check "the saved config keeps the unknown key" grep -qx 'future_option=yes' "$cfg"
check "the saved config keeps the line it cannot read" grep -qx 'this is not a setting' "$cfg"
check "the saved config has the new tree value on every tree line" \
	sh -c "[ \"\$(grep -c '^tree=' '$cfg')\" = 2 ] && ! grep -q '^tree=[^1]' '$cfg'"
same "the comment is still the first line" "$(head -n 1 "$cfg")" "# my smaptop settings"
finish
