#!/bin/sh
# The documentation agrees with the binary:
#   (a) the options in the OPTIONS section of man/smaptop.1 are exactly those
#       of `smaptop --help` (short and long);
#   (b) the column keys in the COLUMNS table of the manual are exactly those
#       of the "Columns" part of --help;
#   (c) `mandoc -Tlint` prints nothing, and groff / man -l render the page
#       without a warning;
#   (d) every command in a ```sh block of README.md, and every line of the
#       manual's EXAMPLES that starts with "smaptop", runs and exits 0;
#   (e) scripts/smaptop.bash parses, and completing `smaptop --col` in bash
#       gives --columns;
#   (f) the README's sqlite3 query of a recording lists processes.
# The interactive keys are checked by the TUI tests, which know them; here
# only the presence of the INTERACTIVE COMMANDS section is checked, so this
# script keeps passing as keys are added.
#
# In (d), "smaptop" runs the binary under test ($SMAPTOP, default ./smaptop)
# through a wrapper placed first in PATH, $PID is the PID of a sleep(1)
# this script starts and ends by PID, and $HISTORY a recording it makes. The wrapper records every non-zero exit
# of smaptop, so a smaptop that fails inside a pipeline fails the command even
# when the pipeline's last command succeeds (pipefail would instead also fail
# on `sort | head`, where sort may die of SIGPIPE). A "smaptop:" message on
# stderr fails the command too. A command that needs a tool this machine
# lacks (jq, say) is skipped, not failed.
. tests/integration/lib.sh

MAN=man/smaptop.1
README=README.md
COMPLETION=scripts/smaptop.bash
SLEEP_PID=""

# shellcheck disable=SC2317 # called by the EXIT trap of lib.sh
test_cleanup() {
	if [ -n "$SLEEP_PID" ]; then
		kill "$SLEEP_PID" 2>/dev/null
		wait "$SLEEP_PID" 2>/dev/null
	fi
	return 0
}

if [ ! -x "$SMAPTOP" ]; then
	not_ok "$SMAPTOP is built (run: make integration)"
	finish
fi
for f in "$MAN" "$README" "$COMPLETION"; do
	if [ ! -f "$f" ]; then
		not_ok "$f exists"
		finish
	fi
done

# compare_sets DESC LEFT-NAME LEFT-FILE RIGHT-NAME RIGHT-FILE: ok when the two
# sorted, de-duplicated word lists are equal; otherwise lists the differences.
compare_sets() {
	sort -u "$3" >"$T/left"
	sort -u "$5" >"$T/right"
	comm -23 "$T/left" "$T/right" >"$T/only-left"
	comm -13 "$T/left" "$T/right" >"$T/only-right"
	if [ ! -s "$T/only-left" ] && [ ! -s "$T/only-right" ]; then
		ok "$1 ($(wc -l <"$T/left" | tr -d ' ') entries)"
		return
	fi
	not_ok "$1"
	[ -s "$T/only-left" ] && diag "in $2 only: $(tr '\n' ' ' <"$T/only-left")"
	[ -s "$T/only-right" ] && diag "in $4 only: $(tr '\n' ' ' <"$T/only-right")"
}

# at_least DESC FILE N: FILE has at least N lines (guards against a parser
# that silently finds nothing and so compares two empty lists).
at_least() {
	_n=$(wc -l <"$2" | tr -d ' ')
	if [ "$_n" -ge "$3" ]; then
		ok "$1 ($_n)"
	else
		not_ok "$1 (found $_n, want at least $3)"
	fi
}

# The body of section NAME of the manual's source (.Sh NAME up to the next .Sh).
man_section() {
	awk -v name="$1" '
		/^\.Sh / { on = (substr($0, 5) == name); next }
		on { print }' "$MAN"
}

if ! "$SMAPTOP" --help >"$T/help" 2>"$T/help.err"; then
	not_ok "smaptop --help exits 0"
	diag_file "$T/help.err"
	finish
fi

# --- (a) options ---
# Option lines of --help start with blanks and a dash: "  -p, --pid PID ...".
awk '
	/^Columns/ { exit }
	/^ +-/ {
		for (i = 1; i <= NF; i++) {
			w = $i
			sub(/,$/, "", w)
			if (w !~ /^-/)
				break
			print w
			if ($i !~ /,$/)
				break
		}
	}' "$T/help" >"$T/help-opts"
# Option tags of the manual: ".It Fl 1 , Fl -once" gives -1 and --once.
man_section OPTIONS | awk '
	/^\.It / {
		for (i = 2; i < NF; i++)
			if ($i == "Fl") {
				w = $(i + 1)
				gsub(/\\/, "", w)
				print "-" w
			}
	}' >"$T/man-opts"
at_least "options found in --help" "$T/help-opts" 10
compare_sets "the manual's OPTIONS and --help list the same options" \
	"--help" "$T/help-opts" "OPTIONS of $MAN" "$T/man-opts"

# --- (b) column keys ---
awk '
	/^Columns/ { on = 1; next }
	on && /^$/ { exit }
	on && /^  [a-z]/ { print $1 }' "$T/help" >"$T/help-cols"
man_section COLUMNS | awk '$1 == ".It" && $2 == "Cm" && $4 == "Ta" { print $3 }' >"$T/man-cols"
at_least "column keys found in --help" "$T/help-cols" 10
compare_sets "the manual's COLUMNS table and --help list the same column keys" \
	"--help" "$T/help-cols" "COLUMNS of $MAN" "$T/man-cols"

if grep -qx '\.Sh INTERACTIVE COMMANDS' "$MAN"; then
	ok "the manual has an INTERACTIVE COMMANDS section"
else
	not_ok "the manual has an INTERACTIVE COMMANDS section"
fi

# --- (c) lint and rendering ---
HAVE_MANDOC=0
if command -v mandoc >/dev/null 2>&1; then
	HAVE_MANDOC=1
	mandoc -Tlint "$MAN" >"$T/lint" 2>&1
	if [ ! -s "$T/lint" ]; then
		ok "mandoc -Tlint $MAN prints nothing"
	else
		not_ok "mandoc -Tlint $MAN prints nothing"
		diag_file "$T/lint"
	fi
else
	not_ok "mandoc is installed (scripts/deps test installs it)"
fi
if command -v groff >/dev/null 2>&1; then
	groff -mandoc -Tutf8 -ww -z "$MAN" >"$T/groff" 2>&1
	if [ ! -s "$T/groff" ]; then
		ok "groff renders $MAN without warnings"
	else
		not_ok "groff renders $MAN without warnings"
		diag_file "$T/groff"
	fi
else
	not_ok "groff is installed (scripts/deps test installs it)"
fi
if command -v man >/dev/null 2>&1; then
	# in the C locale, as on a fresh machine: glyphs only UTF-8 has must not be needed
	if LC_ALL=C MANWIDTH=80 MANPAGER=cat man -l "$MAN" >"$T/man.txt" 2>"$T/man.err" &&
		[ ! -s "$T/man.err" ] && grep -q 'INTERACTIVE COMMANDS' "$T/man.txt"; then
		ok "man -l $MAN renders"
	else
		not_ok "man -l $MAN renders"
		diag_file "$T/man.err"
	fi
else
	not_ok "man is installed (scripts/deps test installs it)"
fi

# --- (d) examples ---
# Commands of the ```sh blocks of README.md, one per line; a line ending in a
# backslash continues on the next. Blank lines and comments are left out.
awk '
	/^```/ {
		if (!on && $0 ~ /^```sh[ \t]*$/) { on = 1; next }
		on = 0; next
	}
	!on { next }
	{
		line = $0
		if (cont != "") line = cont " " line
		if (line ~ /\\$/) { sub(/\\$/, "", line); cont = line; next }
		cont = ""
		if (line ~ /^[ \t]*(#|$)/) next
		print line
	}' "$README" >"$T/readme-cmds"
at_least "commands found in the sh blocks of $README" "$T/readme-cmds" 5

: >"$T/man-cmds"
if [ "$HAVE_MANDOC" = 1 ]; then
	# The rendered page, as a reader copies it: literal lines are tab-indented.
	mandoc -Tmarkdown "$MAN" | awk '
		/^# / { on = ($0 == "# EXAMPLES"); next }
		on && /^\tsmaptop([ \t]|$)/ { sub(/^\t/, ""); print }' >"$T/man-cmds"
	at_least "commands found in the EXAMPLES of $MAN" "$T/man-cmds" 3
fi

mkdir "$T/bin"
case $SMAPTOP in
/*) real=$SMAPTOP ;;
*) real=$(pwd)/$SMAPTOP ;;
esac
# shellcheck disable=SC2016 # the wrapper expands these itself
# The wrapper: runs the binary under test, appends a failing status to
# $T/smaptop-failed.
{
	echo '#!/bin/sh'
	printf '%s "$@"\n' "'$real'"
	echo 'rc=$?'
	printf '[ "$rc" -eq 0 ] || echo "$rc" >>%s\n' "'$T/smaptop-failed'"
	echo 'exit "$rc"'
} >"$T/bin/smaptop"
chmod +x "$T/bin/smaptop"
sleep 600 >/dev/null 2>&1 &
SLEEP_PID=$!
HISTORY=$T/history.db
if "$SMAPTOP" --record "$HISTORY" -n 3 -d 0.2 >"$T/rec.err" 2>&1; then
	ok "a recording for the examples"
else
	not_ok "a recording for the examples"; diag_file "$T/rec.err"
fi

# The programs a command line runs: the first word of each part between pipes
# and list operators, after removing quoted strings (a | inside a jq or awk
# program is not a pipe).
programs() {
	# shellcheck disable=SC2020 # three characters, each to a newline
	printf '%s\n' "$1" | sed -e "s/'[^']*'//g" -e 's/"[^"]*"//g' |
		tr '|;&' '\n\n\n' | awk 'NF { print $1 }' | sort -u
}

# run_example WHERE COMMAND
run_example() {
	_missing=""
	for _p in $(programs "$2"); do
		PATH="$T/bin:$PATH" command -v "$_p" >/dev/null 2>&1 || _missing="$_missing $_p"
	done
	if [ -n "$_missing" ]; then
		skip "$1: $2 (not installed:$_missing)"
		return
	fi
	_rc=0
	rm -f "$T/smaptop-failed"
	PATH="$T/bin:$PATH" PID=$SLEEP_PID HISTORY=$HISTORY timeout "$SMAPTOP_TIMEOUT" sh -c "$2" \
		</dev/null >"$T/ex.out" 2>"$T/ex.err" || _rc=$?
	if [ "$_rc" -eq 0 ] && [ ! -e "$T/smaptop-failed" ] && ! grep -q '^smaptop:' "$T/ex.err"; then
		ok "$1: $2"
	else
		_why="exit $_rc"
		[ -e "$T/smaptop-failed" ] && _why="$_why; smaptop exited $(tr '\n' ' ' <"$T/smaptop-failed")"
		not_ok "$1: $2 ($_why)"
		[ "$_rc" -eq 124 ] && diag "timed out after ${SMAPTOP_TIMEOUT}s"
		diag "stderr:"
		diag_file "$T/ex.err"
	fi
}

while IFS= read -r cmd; do
	run_example "$README" "$cmd"
done <"$T/readme-cmds"
while IFS= read -r cmd; do
	run_example "$MAN EXAMPLES" "$cmd"
done <"$T/man-cmds"

# --- (f) the README's query of a recording ---
if command -v sqlite3 >/dev/null 2>&1; then
	q=$(grep '^sqlite3 ' "$T/readme-cmds" | head -n 1)
	if [ -n "$q" ] && HISTORY=$HISTORY sh -c "$q" >"$T/q.out" 2>"$T/q.err"; then
		in_range "the README's PSS-growth query lists processes (lines, header and rule included)" \
			"$(wc -l <"$T/q.out" | tr -d ' ')" 3 12
	else
		not_ok "the README has an sqlite3 query that runs"; diag_file "$T/q.err"
	fi
else
	not_ok "sqlite3 is installed (scripts/deps test)"
fi

# --- (e) bash completion ---
if command -v bash >/dev/null 2>&1; then
	check "bash -n $COMPLETION" bash -n "$COMPLETION"
	# complete WORD...: sources the script in a fresh bash, completes the last
	# WORD as bash would (through the function `complete -p` names), prints
	# the candidates one per line. smaptop is on PATH, as after installing.
	complete_words() {
		PATH="$T/bin:$PATH" bash -c '
			. "$0" || exit 1
			fn=$(complete -p smaptop 2>/dev/null | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
			[ -n "$fn" ] || { echo "no completion function for smaptop" >&2; exit 1; }
			COMP_WORDS=("$@")
			COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			"$fn" smaptop "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
			printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION" "$@"
	}
	complete_words smaptop --col >"$T/comp" 2>"$T/comp.err"
	if [ "$(cat "$T/comp")" = "--columns" ]; then
		ok "completing 'smaptop --col' gives --columns"
	else
		not_ok "completing 'smaptop --col' gives --columns"
		diag "got: $(tr '\n' ' ' <"$T/comp")"
		diag_file "$T/comp.err"
	fi
	complete_words smaptop --columns '' | sort -u >"$T/comp-cols" 2>"$T/comp.err"
	compare_sets "completing 'smaptop --columns ' offers every column key of --help" \
		"--help" "$T/help-cols" "the completion" "$T/comp-cols"
else
	skip "bash is not installed: completion not checked"
fi

finish
