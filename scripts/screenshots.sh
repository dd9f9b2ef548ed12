#!/bin/sh
# Takes screenshots/{procs,detail,maps,swap,oom,numa,system}.png of the real
# ./smaptop in a real terminal: an xterm (UTF-8, DejaVu Sans Mono, 120x36) on a
# private Xvfb display, keys typed with xdotool (XTEST), each window grabbed
# with ImageMagick's import. Run it from `make screenshots` (it needs ./smaptop
# and build/helpers/memhog).
#
# Subjects: memhog children with recognisable names (cache-warm, web-worker,
# batch-job with oom_score_adj 1000, db-reader with a mapped file), a small
# python3 process whose memory rises and falls (ingest) so the detail graph has
# a shape, and, as root, a paged-out child on a temporary swap file so the swap
# view has content. The NUMA view comes from a second run on the two-node
# fixture tree (--sys-root tests/fixtures/sys-2node).
#
# Needs the Debian packages xvfb xterm xdotool imagemagick fonts-dejavu-core;
# as root it installs the missing ones, otherwise it names them and exits 1.
# Everything it starts is ended by PID and every temporary file removed on any
# exit (trap). The PNGs replace the old ones only when all were taken.
set -u

cd "$(dirname "$0")/.." || exit 1

B=${B:-build}
SMAPTOP=${SMAPTOP:-./smaptop}
HOG=$B/helpers/memhog
OUT=screenshots
COLS=120
ROWS=36
FONT='DejaVu Sans Mono'
# 11.5 pt: the block characters of the graphs tile without gaps between rows.
FONTSIZE=11.5
# Seconds of history before the shots: at -d 0.5 a full-width graph holds ~56 s.
HISTORY=${SCREENSHOT_HISTORY:-58}
PACKAGES="xvfb xterm xdotool imagemagick fonts-dejavu-core"

say() { printf 'screenshots: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for f in "$SMAPTOP" "$HOG"; do
	[ -x "$f" ] || die "$f is not built (run: make screenshots)"
done

# --- packages ---------------------------------------------------------------
have_tools() {
	command -v Xvfb >/dev/null 2>&1 && command -v xterm >/dev/null 2>&1 &&
		command -v xdotool >/dev/null 2>&1 && [ -x /usr/bin/import ] &&
		command -v fc-match >/dev/null 2>&1 &&
		fc-match -f '%{family}\n' "$FONT" 2>/dev/null | grep -q "$FONT"
}
if ! have_tools; then
	if [ "$(id -u)" -ne 0 ]; then
		say "missing tools; install them with:"
		say "  sudo apt-get install --no-install-recommends $PACKAGES"
		exit 1
	fi
	say "installing $PACKAGES"
	# shellcheck disable=SC2086 # PACKAGES is a word list
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES ||
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $PACKAGES; }; } >&2 ||
		die "apt-get install $PACKAGES failed"
	have_tools || die "still missing a tool after installing $PACKAGES"
fi

# --- cleanup ----------------------------------------------------------------
T=$(mktemp -d "${TMPDIR:-/tmp}/smaptop-shots.XXXXXX") || die "mktemp -d failed"
PIDS=""        # every process started, ended by PID in reverse order
XVFB_PID=""
SWAPFILE=""
TERM_PID=""

# True while PID runs (a zombie child waiting to be reaped does not count).
alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null &&
		[ "$(sed 's/.*) //;s/ .*//' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
gone() { ! alive "$1"; }

# stop PID: TERM, then KILL after 3 s; reaps it.
stop() {
	alive "$1" || { wait "$1" 2>/dev/null; return 0; }
	kill -CONT "$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	_n=30
	while [ "$_n" -gt 0 ] && alive "$1"; do
		sleep 0.1
		_n=$((_n - 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

cleanup() {
	_rc=$?
	trap - EXIT HUP INT TERM
	_rev=""
	for _p in $PIDS; do _rev="$_p $_rev"; done
	for _p in $_rev; do stop "$_p"; done
	[ -n "$XVFB_PID" ] && stop "$XVFB_PID"
	if [ -n "$SWAPFILE" ]; then
		swapoff "$SWAPFILE" 2>/dev/null
		rm -f "$SWAPFILE"
	fi
	rm -rf "$T"
	exit "$_rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for SECONDS CMD [ARG...]: runs CMD every 100 ms until it succeeds.
wait_for() {
	_tries=$(($1 * 10)); shift
	while [ "$_tries" -gt 0 ]; do
		"$@" && return 0
		_tries=$((_tries - 1))
		sleep 0.1
	done
	"$@"
}

# try_hog NAME [MEMHOG-OPTION...]: starts a memhog and waits for its "ready"
# line; returns 1 (with the reason on stderr) if it never got ready.
HOG_N=0
hog_ready() { grep -qx "ready $1" "$2" || ! alive "$1"; }
try_hog() {
	HOG_N=$((HOG_N + 1))
	_name=$1; shift
	# A copy named after the role, so views show /tmp/.../bin/NAME, not the build tree.
	mkdir -p "$T/bin" && cp "$HOG" "$T/bin/$_name" || return 1
	"$T/bin/$_name" --name "$_name" "$@" >"$T/hog.$HOG_N" 2>"$T/hog.$HOG_N.err" &
	_pid=$!
	PIDS="$PIDS $_pid"
	wait_for 15 hog_ready "$_pid" "$T/hog.$HOG_N"
	grep -qx "ready $_pid" "$T/hog.$HOG_N" && return 0
	say "memhog $_name did not get ready: $(cat "$T/hog.$HOG_N.err")"
	return 1
}
hog() { try_hog "$@" || exit 1; }

# --- swap (root only) -------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v mkswap >/dev/null 2>&1 && command -v swapon >/dev/null 2>&1; then
	SWAPFILE=$(mktemp /var/tmp/smaptop-shots-swap.XXXXXX) || SWAPFILE=""
	if [ -n "$SWAPFILE" ] && ! { dd if=/dev/zero of="$SWAPFILE" bs=1M count=256 2>/dev/null &&
		chmod 600 "$SWAPFILE" && mkswap "$SWAPFILE" >/dev/null 2>&1 &&
		swapon "$SWAPFILE" 2>/dev/null; }; then
		rm -f "$SWAPFILE"
		SWAPFILE=""
	fi
fi
[ -n "$SWAPFILE" ] || say "no temporary swap (needs root and swapon): the swap view will be empty"

# --- subjects ---------------------------------------------------------------
hog cache-warm --map 320 --touch 320
hog web-worker --map 96 --touch 96
hog batch-job --map 48 --touch 48 --oom-adj 1000
hog db-reader --map 64 --touch 40 --file "$T/orders.db" --file-mib 64
# A protected one, where lowering oom_score_adj is allowed (CAP_SYS_RESOURCE).
try_hog sshd-guard --map 8 --touch 8 --oom-adj -900 2>/dev/null || :
# ingest: memory that climbs in 4 MiB steps and drops by half, over and over.
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import ctypes, time
try:
    ctypes.CDLL(None).prctl(1, 9)   # PR_SET_PDEATHSIG, SIGKILL
except Exception:
    pass
open("/proc/self/comm", "w").write("ingest")
chunks = []
while True:
    chunks.append(b"x" * (4 << 20))
    if len(chunks) > 40:
        del chunks[:24]
    time.sleep(0.2)
' &
	PIDS="$PIDS $!"
	DETAIL=ingest
else
	DETAIL=web-worker
fi

# --- X server and terminal --------------------------------------------------
Xvfb -displayfd 9 -screen 0 1400x900x24 -nolisten tcp >"$T/xvfb.log" 2>&1 9>"$T/display" &
XVFB_PID=$!
wait_for 15 grep -q '[0-9]' "$T/display" || die "Xvfb did not start: $(cat "$T/xvfb.log")"
DISPLAY=:$(tr -dc '0-9' <"$T/display")
export DISPLAY
unset XAUTHORITY WAYLAND_DISPLAY

mkdir -p "$T/xdg" "$T/shots"

# A dark palette whose blue (smaptop's "dim" colour) is legible on the background.
PALETTE="
*color0: #000000
*color1: #cd3131
*color2: #0dbc79
*color3: #e5e510
*color4: #4f86d9
*color5: #bc3fbc
*color6: #11a8cd
*color7: #e5e5e5
*color8: #767676
*color9: #f14c4c
*color10: #23d18b
*color11: #f5f543
*color12: #5c9eee
*color13: #d670d6
*color14: #29b8db
*color15: #ffffff
"

# term SMAPTOP-ARG...: an xterm running smaptop; sets TERM_PID and WID.
term() {
	printf '%s\n' "$PALETTE" >"$T/xresources"
	env LANG=C.UTF-8 LC_ALL=C.UTF-8 XENVIRONMENT="$T/xresources" \
		xterm -name smaptopshots -u8 -fa "$FONT" -fs "$FONTSIZE" \
		-geometry "${COLS}x${ROWS}+0+0" -bw 0 -b 4 +sb -bg '#1e1e1e' -fg '#d4d4d4' \
		-xrm '*cursorBlink: false' -xrm '*allowSendEvents: false' \
		-e env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		XDG_CONFIG_HOME="$T/xdg" "$SMAPTOP" -d 0.5 "$@" 2>"$T/xterm.err" &
	TERM_PID=$!
	PIDS="$PIDS $TERM_PID"
	WID=$(timeout 15 xdotool search --sync --limit 1 --pid "$TERM_PID" 2>/dev/null | head -n 1)
	[ -n "$WID" ] || die "the xterm window did not appear: $(cat "$T/xterm.err")"
	timeout 10 xdotool windowfocus --sync "$WID" >/dev/null 2>&1 || xdotool windowfocus "$WID"
	# Keep the (invisible in grabs) pointer inside the window: focus follows it without a WM.
	xdotool mousemove --window "$WID" 20 20
	sleep 1.5
	alive "$TERM_PID" || die "smaptop exited at once: $(cat "$T/xterm.err")"
}

# keys KEYSYM...: typed into the focused terminal, then time for a redraw.
keys() {
	xdotool key --clearmodifiers --delay 60 "$@"
	sleep 1.2
}
# typed TEXT: literal text into the terminal.
typed() { xdotool type --delay 40 "$1"; }
# filter TEXT: replaces the list filter.
filter() {
	xdotool key --delay 30 slash
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do xdotool key BackSpace; done
	typed "$1"
	keys Return
}

# shot NAME: grabs the terminal window into $T/shots/NAME.png.
shot() {
	alive "$TERM_PID" || die "smaptop is gone before the $1 shot"
	/usr/bin/import -silent -window "$WID" "png:$T/shots/$1.png" ||
		die "import of the $1 shot failed"
	say "took $1"
}

# quit_term: q to smaptop (it saves its settings into the private XDG dir), then
# the xterm closes; ended by PID if it does not.
quit_term() {
	xdotool key q
	wait_for 5 gone "$TERM_PID" || stop "$TERM_PID"
	wait "$TERM_PID" 2>/dev/null
}

# --- the shots ---------------------------------------------------------------
term
if [ -n "$SWAPFILE" ]; then
	# Paged out while smaptop watches, so the swap graphs show the step.
	sleep $((HISTORY / 3))
	hog idle-cache --map 160 --touch 160 --pageout
	sleep $((HISTORY - HISTORY / 3))
else
	sleep "$HISTORY"
fi

keys Home
shot procs
keys o
shot oom
keys w Home
shot swap
keys S
shot system
keys Escape
filter "$DETAIL"
keys Home Return
shot detail
keys Escape
filter db-reader
keys Home m
shot maps
quit_term

term --sys-root tests/fixtures/sys-2node
sleep 3
keys N
shot numa
quit_term

mkdir -p "$OUT"
for s in procs detail maps swap oom numa system; do
	[ -s "$T/shots/$s.png" ] || die "no $s shot"
done
for s in procs detail maps swap oom numa system; do
	mv -f "$T/shots/$s.png" "$OUT/$s.png" || die "cannot write $OUT/$s.png"
done
say "wrote $OUT/{procs,detail,maps,swap,oom,numa,system}.png"
