#!/bin/sh
# Runs as process 1 of a new PID namespace with its own /proc (tests/soak/run.sh
# starts it under `unshare --pid --fork --mount-proc`), so smaptop sees only what
# is started here: 20 idle processes, a churn of short-lived ones, and itself.
#   sh tests/soak/inner.sh STORM RATE COMMAND [ARG...]
# Starts the idle processes and a loop of STORM runs (RATE children a second,
# each living 1..50 ms; storm runs for at most 10 s, so the loop restarts it),
# then runs COMMAND in the foreground and exits with its status. When this shell
# exits, the kernel kills everything left in the namespace.
set -u
STORM=$1 RATE=$2
shift 2
i=0
while [ "$i" -lt 20 ]; do
	sleep 100000 &
	i=$((i + 1))
done
(while "$STORM" --seconds 10 --rate "$RATE" >/dev/null; do :; done) &
"$@"
