#!/bin/sh
# The soak's world (tests/soak/run.sh): 20 idle processes, a churn of short-lived
# ones, and the command under test.
#   sh tests/soak/inner.sh [--mount-proc] PIDFILE STORM RATE COMMAND [ARG...]
# Starts the idle processes and a loop of STORM runs (RATE children a second,
# each living 1..50 ms; storm runs for at most 10 s, so the loop restarts it),
# then runs COMMAND in the foreground, having written its PID (as the /proc it
# reads numbers it) to PIDFILE, and exits with its status.
#
# Normally this runs as process 1 of a new PID namespace, so COMMAND sees only
# what is started here. With --mount-proc it first mounts that namespace's own
# /proc itself (for `unshare --propagation unchanged`, where unshare could not
# change the propagation of / and so cannot mount it: in a chroot): /proc is
# made private first, so the new mount cannot propagate out of the namespace.
# Without a namespace it runs among the machine's processes, so it ends what it
# started itself once COMMAND exits (the storm loop takes its storm with it:
# storm dies with its parent), and none of them holds COMMAND's stdout: a reader
# of that pipe sees its end when COMMAND and this script are gone.
set -u
if [ "${1:-}" = --mount-proc ]; then
	shift
	mount --make-private /proc && mount -t proc proc /proc ||
		{ echo "inner.sh: cannot mount a /proc of the namespace" >&2; exit 97; }
fi
PIDFILE=$1 STORM=$2 RATE=$3
shift 3
KIDS=""
# shellcheck disable=SC2317 # run by the EXIT trap
end_kids() {
	# shellcheck disable=SC2086 # a list of PIDs
	[ -n "$KIDS" ] && kill $KIDS 2>/dev/null
	KIDS=""
}
trap end_kids EXIT
trap 'exit 143' TERM HUP
trap 'exit 130' INT
i=0
while [ "$i" -lt 20 ]; do
	sleep 100000 </dev/null >/dev/null 2>&1 &
	KIDS="$KIDS $!"
	i=$((i + 1))
done
(while "$STORM" --seconds 10 --rate "$RATE"; do :; done) </dev/null >/dev/null 2>&1 &
KIDS="$KIDS $!"
# shellcheck disable=SC2016 # $$ is the inner shell's
sh -c 'echo $$ >"$0" && exec "$@"' "$PIDFILE" "$@"
rc=$?
end_kids
exit "$rc"
