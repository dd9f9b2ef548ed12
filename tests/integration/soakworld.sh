#!/bin/sh
# The soak's world without a PID namespace (tests/soak/inner.sh, as make soak runs
# it where no namespace can be made: a chroot, an unprivileged container):
#   - it ends: once smaptop exits, the reader of smaptop's output sees the end of
#     the pipe (none of the idle processes or the storm loop holds it), and none
#     of the processes inner.sh started is left running;
#   - it names smaptop's PID in its PID file, and that PID is the row the soak
#     judges (so another smaptop on the machine is not counted).
# Every process started here carries SOAKWORLD_MARK in its environment, which
# is how the leftovers are found (and, should any be left, ended by PID).
. tests/integration/lib.sh
require_binaries
STORM=$B/helpers/storm
[ -x "$STORM" ] || { not_ok "$STORM is built (run: make integration)"; finish; }

MARK=soakworld-$$
# marked: the PIDs of running processes whose environment holds our mark (one
# grep over every environ file: a loop of one process per file is slow where
# thousands of processes run)
marked() {
	grep -l -s -z -x "SOAKWORLD_MARK=$MARK" /proc/[0-9]*/environ | sed 's,^/proc/,,; s,/environ$,,'
}
# shellcheck disable=SC2317 # called by the EXIT trap of lib.sh
test_cleanup() {
	for _p in $(marked); do kill -KILL "$_p" 2>/dev/null; done
	return 0
}
none_marked() { [ -z "$(marked)" ]; }

# The pipe and its reader run under the timeout: a reader left waiting (the bug
# this guards against) fails the check instead of hanging the test.
RC=0
# shellcheck disable=SC2016 # the inner script's own parameters
SOAKWORLD_MARK=$MARK timeout 120 sh -c 'sh tests/soak/inner.sh "$@" 2>"$0.err" | cat >"$0.out"' \
	"$T/run" "$T/pid" "$STORM" 100 "$SMAPTOP" --csv -n 3 -d 0.05 --columns pid,comm || RC=$?
mv "$T/run.out" "$T/out" 2>/dev/null
mv "$T/run.err" "$T/err" 2>/dev/null
if [ "$RC" = 124 ]; then
	not_ok "inner.sh with smaptop -n 3, read through a pipe, ends (timed out after 120 s)"
else
	ok "inner.sh with smaptop -n 3, read through a pipe, ends"
fi
check "inner.sh: stderr is empty" test ! -s "$T/err"
if wait_for 10 none_marked; then
	ok "no process inner.sh started is left running"
else
	not_ok "no process inner.sh started is left running (left: $(marked | tr '\n' ' '))"
fi
SPID=$(cat "$T/pid" 2>/dev/null)
check "inner.sh wrote smaptop's PID to its PID file" is_int "$SPID"
if is_int "$SPID"; then
	same "smaptop lists itself once per sample under that PID, as smaptop" \
		"$(awk -F, -v p="$SPID" '$2 == p && $3 == "smaptop"' "$T/out" | wc -l | tr -d ' ')" 3
fi
finish
