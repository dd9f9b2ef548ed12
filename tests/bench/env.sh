# What every bench script starts with (sourced, POSIX sh). The script has set
# -u and made the top of the tree its working directory; BENCH_NAME names it in
# messages. Env: B (build dir, default build), SMAPTOP (default ./smaptop).
B=${B:-build}
BD=$B/bench
SMAPTOP=${SMAPTOP:-./smaptop}

note() { printf '# %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

mkdir -p "$BD" || die "cannot create $BD"
[ -x "$SMAPTOP" ] || die "$SMAPTOP not built (run: make smaptop)"

# build NAME [CC-ARG...]: tests/bench/NAME.c compiled to $BD/NAME.
build() {
	_bn=$1; shift
	cc -O2 -Wall -Wextra -o "$BD/$_bn" "tests/bench/$_bn.c" "$@" || die "cannot build $_bn"
}

# The process groups a script started: start records them, stop and stop_all
# end them (stop_all belongs in the script's EXIT trap).
PGIDS=""
# start WHAT PIDFILE CMD...: runs CMD, which makes its own process group and
# writes PIDFILE when it is ready, in the background; waits up to 3 minutes for
# PIDFILE and sets LAST_PG to the group.
start() {
	_sw=$1 _sp=$2; shift 2
	rm -f "$_sp"
	"$@" &
	LAST_PG=$!
	PGIDS="$PGIDS $LAST_PG"
	_si=0
	while [ ! -s "$_sp" ]; do
		kill -0 "$LAST_PG" 2>/dev/null || die "$_sw failed to start"
		[ $_si -lt 1800 ] || die "$_sw not ready after 180 s"
		sleep 0.1; _si=$((_si + 1))
	done
}
# stop PGID: the group killed (its leader too, in case it had not reached
# setpgid yet), reaped, and waited for until it is gone.
stop() {
	kill -9 -"$1" 2>/dev/null; kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
	_si=0
	while kill -0 -"$1" 2>/dev/null && [ $_si -lt 300 ]; do sleep 0.1; _si=$((_si + 1)); done
	_sr=""; for _sg in $PGIDS; do [ "$_sg" = "$1" ] || _sr="$_sr $_sg"; done; PGIDS=$_sr
}
stop_all() { for _sa in $PGIDS; do stop "$_sa"; done; }

nprocs() { set -- /proc/[0-9]*; echo $#; }
# median: of the numbers on stdin, one a line ("nan" for none).
median() {
	sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "nan"; else print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
