# The interactive cases of tests/bench/scale.sh, which sources this file and
# calls them with the load in place (see the case list there). They use its
# row, verdict, note, median, nprocs and its names BD, ABD, TS, SMAPTOP, KEYS.

# htop as a user who turned its PSS column on would run it: PID USER VIRT RES
# PSS S MEM% Command (PSS is field 119, M_PSS, in htop 3.2), refreshing every
# second (delay is in tenths) like smaptop's default.
htop_home() {
	rm -rf "$BD/htophome"
	mkdir -p "$BD/htophome/.config/htop"
	cat >"$BD/htophome/.config/htop/htoprc" <<'EOF'
htop_version=3.2.2
config_reader_min_version=3
fields=0 48 38 39 119 2 47 1
hide_kernel_threads=1
hide_userland_threads=1
delay=10
screen_tabs=0
screen:Main=PID USER M_VIRT M_RESIDENT M_PSS STATE PERCENT_MEM Command
.sort_key=M_PSS
.sort_direction=-1
EOF
}

vmrss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# plotted SESSION: braille cells with data in the system screen's graph (tests/bench/plotted.py).
plotted() { tmux -L "$TS" capture-pane -p -t "$1" | python3 tests/bench/plotted.py; }

# view_case SIZE: smaptop's view at rest with a full history, and htop beside it.
view_case() {
	_tm="tmux -L $TS -f /dev/null"
	rm -rf "$BD/xdg"; mkdir -p "$BD/xdg"
	note "view: $(nprocs) processes, -d 0.1 until the history is full"
	$_tm new-session -d -s view -x 140 -y 40 \
		"exec env TERM=xterm-256color LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$ABD/xdg $SMAPTOP -d 0.1"
	sleep 1
	_sp=$($_tm list-panes -t view -F '#{pane_pid}' 2>/dev/null)
	if [ "$(cat "/proc/$_sp/comm" 2>/dev/null)" != smaptop ]; then
		row view "smaptop view (FAILED to start)" "$(nprocs)" - - n/a
		$_tm kill-server 2>/dev/null; return
	fi
	$_tm send-keys -t view S
	# full when the plot has not grown for 20 s (a cell is 4.5 s of samples)
	_best=0 _still=0 _t0=$(date +%s)
	while [ $_still -lt 4 ] && [ $(($(date +%s) - _t0)) -lt 900 ]; do
		sleep 5
		_a=$(plotted view)
		if [ "$_a" -gt "$_best" ]; then _best=$_a; _still=0
		elif [ "$_best" -gt 0 ]; then _still=$((_still + 1)); fi
	done
	echo "view @$1: the system ring's 600 samples spanned about $((_best * 600 / 132)) s at -d 0.1 ($_best cells of the graph; full after $(($(date +%s) - _t0)) s)" >>"$NOTES"
	# at rest: the detail screen of the first process, the default 1 s refresh
	$_tm send-keys -t view Escape
	sleep 0.5
	$_tm send-keys -t view Enter
	$_tm send-keys -t view + + +
	_hp=""
	if command -v htop >/dev/null 2>&1; then
		htop_home
		$_tm new-session -d -s htop -x 140 -y 40 "exec env HOME=$ABD/htophome TERM=xterm-256color htop"
		_hp=$($_tm list-panes -t htop -F '#{pane_pid}' 2>/dev/null)
		# its first screen of processes can take many seconds at 10,000
		_i=0 _hpss="no PSS column seen"
		while [ $_i -lt 60 ]; do
			$_tm capture-pane -p -t htop | grep -q ' PSS' && { _hpss=PSS; break; }
			sleep 1; _i=$((_i + 1))
		done
		sleep 5
	else
		echo "view @$1: htop is not installed (scripts/deps test); no comparison" >>"$NOTES"
		sleep 3
	fi
	_i=0
	: >"$BD/scale_rss"
	while [ $_i -lt 5 ]; do
		echo "$(vmrss "$_sp") $(vmrss "$_hp")" >>"$BD/scale_rss"
		sleep 0.3; _i=$((_i + 1))
	done
	_P=$(nprocs)
	_s=$(awk '{ print $1 }' "$BD/scale_rss" | median)
	_h=$(awk '{ print $2 }' "$BD/scale_rss" | median)
	_lim=$(awk -v p="$_P" 'BEGIN { printf "%d", 5120 + 0.75 * p }')
	row view "view at rest, full history: VmRSS" "$_P" "${_s:-?} KiB" "<=$_lim KiB" "$(verdict "$_s" "$_lim")"
	[ -n "$_hp" ] && row view "  vs htop ($_hpss) beside it" "$_P" "${_s:-?} vs ${_h:-?} KiB" "<=htop" \
		"$(verdict "$_s" "${_h:-0}")"
	$_tm kill-server 2>/dev/null
	sleep 0.5
}

# keys_case: tests/bench/keylat.c on smaptop -d 1 with the load in place.
keys_case() {
	rm -rf "$BD/xdg"; mkdir -p "$BD/xdg"
	_P=$(nprocs)
	note "keys: $KEYS keys to smaptop -d 1, $_P processes"
	_k=$(env TERM=xterm-256color LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$ABD/xdg" \
		"$BD/keylat" -n "$KEYS" -w 5 -- "$SMAPTOP" -d 1 2>"$BD/keylat.err")
	if [ -z "$_k" ]; then
		row keys "key to screen (FAILED, see $BD/keylat.err)" "$_P" - "<=50 ms" n/a; return
	fi
	# shellcheck disable=SC2086 # the words of keylat's line: keys N timeouts T p50 X p90 X p99 X max X
	set -- $_k
	row keys "key to screen, p99 of $2 keys (-d 1)" "$_P" "${10} ms (p50 $6, max ${12}, $4 t/o)" \
		"<=50 ms" "$(verdict "${10}" 50)"
	sed 's/^keylat: /keys: largest, /' "$BD/keylat.err" >>"$NOTES"
}
