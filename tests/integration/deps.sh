#!/bin/sh
# Every command the tests run is installed by `scripts/deps test`, or comes with
# every Debian system that can build smaptop (a minimal Debian 12 plus
# build-essential and git, what README's quick start assumes).
#
# The commands are read from the scripts make runs: tests/**/*.sh (integration,
# soak, fuzz, bench), .ci/run, the Makefile's recipes and README's ```sh blocks
# (tests/integration/docs.sh runs them). A word counts as a command where the
# shell would run it: at the start of a line or after | ; & ( $( ` ! { and the
# keywords if/then/else/do/..., and after the wrappers timeout, env, exec,
# command, setpriv, unshare, nice, xargs and the test helpers check and
# wait_for. Single-quoted text (awk and Python programs) and here-documents are
# left out. Words that are not programs on this machine's PATH (functions,
# variables, shell builtins) are ignored. Each program's Debian package (dpkg -S)
# must then be Essential or of priority "required" (debootstrap installs those),
# or one of build-essential's and git's, or listed by `scripts/deps --list test`.
# This is what caught procps (pgrep in tui.sh) missing from a fresh machine.
. tests/integration/lib.sh

if ! command -v dpkg-query >/dev/null 2>&1; then
	skip "not a Debian system (no dpkg-query): packages cannot be looked up"
	finish
fi

# What build-essential and git bring along with them (their dependencies and
# recommendations on Debian 12) and that a test might call.
BASE="make gcc gcc-12 cpp cpp-12 g++ g++-12 binutils binutils-x86-64-linux-gnu dpkg-dev
	patch xz-utils bzip2 perl git less openssh-client libc-dev-bin fakeroot gpg gpgv"

if ! sh scripts/deps --list test >"$T/listed" 2>"$T/listed.err" || [ ! -s "$T/listed" ]; then
	not_ok "scripts/deps --list test lists packages"
	diag_file "$T/listed.err"
	finish
fi

# shellcheck disable=SC2016 # awk program
EXTRACT='
function emit(w) { if (w ~ /^[a-z][a-z0-9_.+-]*$/ && !((FILENAME, w) in funcs)) print w }
# words(s): the commands in one line of shell, quotes already blanked
function words(s,    n, i, t, a, want, skipnum) {
	gsub(/\$\(|`/, " ; ", s)
	gsub(/\|\||&&/, " ; ", s)
	gsub(/[|;&(){}!]/, " SEP ", s)
	n = split(s, a, /[ \t]+/)
	want = 1
	for (i = 1; i <= n; i++) {
		t = a[i]
		if (t == "") continue
		if (t == "SEP") { want = 1; continue }
		if (!want) continue
		if (t ~ /^(if|then|else|elif|do|while|until|time|in)$/) continue
		if (t ~ /^[A-Za-z_][A-Za-z0-9_]*=/) continue       # VAR=value before a command
		if (skipnum) { skipnum = 0; continue }             # timeout N, wait_for N
		if (t ~ /^-/ && wrapped) continue                  # options of a wrapper
		if (t ~ /^\$/ && wrapped) continue                 # their arguments ($VAR)
		wrapped = 0
		if (i < n && a[i + 1] ~ /^=/) { want = 0; continue }  # awk-like assignment
		emit(t)
		if (t ~ /^(timeout|wait_for)$/) { skipnum = 1; wrapped = 1; continue }
		if (t ~ /^(env|exec|command|setpriv|unshare|nice|xargs|nohup|check_cmd)$/) { wrapped = 1; continue }
		want = 0
	}
}
# blank(s): the line with single-quoted text, and the quote characters, made blanks;
# keeps double-quoted text (it holds $(...) commands). Sets inq across lines.
function blank(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (inq) { if (c == "\047") inq = 0; out = out " "; continue }
		if (c == "\\") { out = out "  "; i++; continue }
		if (c == "\047" && !indq) { inq = 1; out = out " "; continue }
		if (c == "\"") { indq = !indq; out = out " "; continue }
		if (c == "#" && !indq && (i == 1 || substr(s, i - 1, 1) ~ /[ \t]/)) break
		out = out c
	}
	indq = 0
	return out
}
FNR == 1 { inq = 0; hd = ""; insh = 0 }
hd != "" { if ($0 ~ "^[\t ]*" hd "$") hd = ""; next }
FILENAME ~ /README\.md$/ {
	if ($0 ~ /^```sh/) { insh = 1; next }
	if ($0 ~ /^```/) { insh = 0; next }
	if (!insh) next
}
FILENAME ~ /Makefile$/ {
	if ($0 !~ /^\t/) next
	sub(/^\t[@+-]*/, "")
}
{
	line = $0
	# a shell function this file defines is not a program, even where one has
	# its name (screens.sh defines view(), also the name of a vim command)
	if (match(line, /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\(\)/)) {
		f = substr(line, RSTART, RLENGTH)
		gsub(/[ \t()]/, "", f)
		funcs[FILENAME, f] = 1
	}
	# the test helper "check DESC CMD...": DESC is a quoted string
	gsub(/(^|[ \t;|&(])check[ \t]+"([^"\\]|\\.)*"/, " ; check_cmd ", line)
	if (!inq && match(line, /<<-?[ \t]*[\047"]?[A-Za-z_]+/)) {
		hd = substr(line, RSTART, RLENGTH)
		gsub(/<<-?[ \t]*[\047"]?/, "", hd)
	}
	words(blank(line))
}'

find tests -name '*.sh' | sort >"$T/files"
echo .ci/run >>"$T/files"
echo Makefile >>"$T/files"
echo README.md >>"$T/files"
# shellcheck disable=SC2046 # file names without blanks
awk "$EXTRACT" $(cat "$T/files") | sort -u >"$T/words"

# owner PROGRAM-PATH: the Debian package that installed it (usr-merge: also /bin, /sbin)
owner() {
	for _p in "$1" "$(readlink -f "$1")" "/usr/bin/${1##*/}" "/bin/${1##*/}" \
		"/usr/sbin/${1##*/}" "/sbin/${1##*/}"; do
		_o=$(dpkg-query -S "$_p" 2>/dev/null | grep -v '^diversion' | sed -n '1s/:.*//p' | sed 's/,.*//')
		[ -n "$_o" ] && { echo "$_o"; return 0; }
	done
	return 1
}

in_list() { # WORD LIST...
	_w=$1; shift
	for _x in "$@"; do [ "$_x" = "$_w" ] && return 0; done
	return 1
}

ncmds=0
nbad=0
: >"$T/found"
while read -r w; do
	[ "$w" = check_cmd ] && continue
	p=$(command -v "$w" 2>/dev/null) || continue
	case $p in /*) ;; *) continue ;; esac   # builtin, function or alias
	ncmds=$((ncmds + 1))
	if grep -qE "has_cmd $w([[:space:]]|\$)" scripts/deps; then
		echo "$w probed" >>"$T/found"
		continue
	fi
	if ! pkg=$(owner "$p"); then
		not_ok "$w ($p) comes from a Debian package"
		nbad=$((nbad + 1))
		continue
	fi
	ess=$(dpkg-query -W -f '${Essential} ${Priority}' "$pkg" 2>/dev/null)
	# shellcheck disable=SC2086 # word lists
	if [ "${ess% *}" = yes ] || [ "${ess#* }" = required ] || in_list "$pkg" $BASE ||
		in_list "$pkg" $(cat "$T/listed"); then
		echo "$w $pkg" >>"$T/found"
	else
		not_ok "$w, which the tests run, is installed by scripts/deps test (package $pkg)"
		nbad=$((nbad + 1))
	fi
done <"$T/words"
diag "commands the tests run and their packages: $(tr '\n' ',' <"$T/found" | sed 's/,/, /g')"
if [ "$ncmds" -ge 20 ]; then
	ok "found $ncmds commands the tests run"
else
	not_ok "found $ncmds commands the tests run (want at least 20: is the extraction broken?)"
fi
for w in pgrep tmux python3 jq mandoc setpriv unshare clang smem valgrind; do
	if grep -qE "^$w( |\$)" "$T/found"; then ok "$w is among them"; else not_ok "$w is among them"; fi
done
[ "$nbad" = 0 ] && ok "every command the tests run is installed by scripts/deps test or comes with Debian"
finish
