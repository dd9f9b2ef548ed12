#!/bin/sh
# Builds the libFuzzer harnesses of tests/fuzz/ into $B/fuzz/ and runs each one
# for FUZZ_SECONDS (default 30) on a copy of its seed corpus, FUZZ_JOBS at a time.
#
#   sh tests/fuzz/run.sh                 all harnesses (what `make fuzz` runs)
#   FUZZ_SECONDS=300 sh tests/fuzz/run.sh smaps escape   some, for longer
#
# Environment: FUZZ_SECONDS, FUZZ_JOBS (harnesses run at once, default 2), B (build
# dir, default build), CLANG (default clang), FUZZ_ARGS (extra libFuzzer flags). The seed corpora in tests/fuzz/corpus are
# never written: libFuzzer works in $B/fuzz/work/<name>/, crash, leak and
# timeout inputs go to $B/fuzz/artifacts/<name>/. Exit status 1 when any
# harness failed (crash, invariant, sanitizer report, leak, timeout) or could
# not be built; 2 when clang or its fuzzer runtime is missing and cannot be
# installed.
set -u

cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
OUT=$B/fuzz
SECS=${FUZZ_SECONDS:-30}
JOBS=${FUZZ_JOBS:-2}
CLANG=${CLANG:-clang}
FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -Isrc -Wall -Wextra -Wno-unused-parameter"
# the pure code the harnesses reach; nothing here needs ncurses or libnuma
LIBSRC="src/collect/parse_numa.c src/collect/parse_smaps.c src/collect/parse_smaps_fast.c
	src/collect/parse_rollup.c src/collect/parse_sys.c src/collect/parse_pid.c
	src/collect/parse_util.c src/collect/parse_cgroup.c src/collect/parse_kmsg.c
	src/collect/parse_knobs.c src/model/maps.c src/model/maplist.c src/model/cgroup.c
	src/model/forecast.c src/model/trend.c src/util/buf.c src/util/escape.c
	src/util/conf.c src/util/fmt.c src/util/xalloc.c src/model/hist.c src/model/hist_pack.c src/model/lowenv.c
	src/model/leak.c src/model/proc.c src/model/oomkill.c src/output/prom.c src/output/prom_procs.c src/output/prom_machine.c
	src/output/prom_cgroup.c src/model/select.c src/model/fields.c
	src/store/delta.c"

# ---- toolchain: clang plus libFuzzer/sanitizer runtimes (Debian: libclang-rt-N-dev) ----
toolchain_ok() {
	command -v "$CLANG" >/dev/null 2>&1 || return 1
	t=$(mktemp -d) || return 1
	printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$t/t.c"
	"$CLANG" -fsanitize=fuzzer,address,undefined -o "$t/t" "$t/t.c" >/dev/null 2>&1
	rc=$?
	rm -rf "$t"
	return $rc
}

rt_pkg() {  # the runtime package matching the installed clang (Debian 12: 14)
	m=$("$CLANG" -dumpversion 2>/dev/null | cut -d. -f1)
	echo "libclang-rt-${m:-14}-dev"
}

if ! toolchain_ok; then
	if command -v "$CLANG" >/dev/null 2>&1; then
		pkgs=$(rt_pkg)
	else
		pkgs="clang libclang-rt-14-dev"   # Debian 12: clang is clang-14
	fi
	echo "fuzz: clang with libFuzzer and ASan/UBSan runtimes is needed; Debian packages: $pkgs" >&2
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "fuzz: apt-get install -y $pkgs" >&2
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >&2 ||
			{ apt-get update -q >&2 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >&2; }
		if command -v "$CLANG" >/dev/null 2>&1 && ! toolchain_ok && [ "$(rt_pkg)" != "${pkgs##* }" ]; then
			# the clang installed just now is not clang-14: take its own runtime
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$(rt_pkg)" >&2
		fi
	else
		echo "fuzz: as root run: apt-get install -y $pkgs" >&2
	fi
	toolchain_ok || { echo "fuzz: toolchain still unusable, giving up" >&2; exit 2; }
fi

# ---- build ----
all=$(for f in tests/fuzz/fuzz_*.c; do n=${f##*/fuzz_}; echo "${n%.c}"; done)
targets=${*:-$all}
mkdir -p "$OUT/obj" || exit 2
objs=""
for s in $LIBSRC; do
	o=$OUT/obj/$(echo "$s" | tr / _).o
	if [ ! -e "$o" ] || [ -n "$(find src \( -path "$s" -o -name '*.h' \) -newer "$o" | head -1)" ]; then
		# shellcheck disable=SC2086
		"$CLANG" $FLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$s" || { echo "fuzz: cannot build $s" >&2; exit 1; }
	fi
	objs="$objs $o"
done

# run_one NAME: fuzzes one built harness; its table line goes to $OUT/NAME.result.
run_one() {
	t=$1
	bin=$OUT/fuzz_$t
	work=$OUT/work/$t/corpus
	art=$OUT/artifacts/$t
	rm -rf "$OUT/work/$t" "$art"
	mkdir -p "$work" "$art"
	[ -d "tests/fuzz/corpus/$t" ] && cp -R "tests/fuzz/corpus/$t/." "$work/"
	log=$OUT/$t.log
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} "$work" >"$log" 2>&1
	rc=$?

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=$(sed -n 's/.*#\([0-9][0-9]*\).*exec\/s.*/\1/p' "$log" | tail -1)
	units=$(find "$work" -type f | wc -l)
	if [ $rc = 0 ]; then
		result=ok
	else
		kind=$(grep -m1 -o -E 'invariant failed: .*|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+( [a-z-]+)?|runtime error: .*|timeout after [0-9]+ seconds|out-of-memory.*' "$log")
		arts=$(find "$art" -type f | tr '\n' ' ')
		result="FAILED rc=$rc: ${kind:-see $log} [${arts:-no artifact}]"
	fi
	printf '%-16s %12s %8s  %s\n' "$t" "${execs:-?}" "$units" "$result" >"$OUT/$t.result"
}

status=0
start=$(date +%s)
built=""
for t in $targets; do
	src=tests/fuzz/fuzz_$t.c
	rm -f "$OUT/$t.result"
	if [ ! -e "$src" ]; then
		echo "fuzz: no harness $src" >&2; status=1; continue
	fi
	# shellcheck disable=SC2086
	if ! "$CLANG" $FLAGS -fsanitize=fuzzer -Itests/fuzz -o "$OUT/fuzz_$t" "$src" $objs 2>"$OUT/$t.build.log"; then
		cat "$OUT/$t.build.log" >&2
		printf '%-16s %12s %8s  %s\n' "$t" - - "BUILD FAILED" >"$OUT/$t.result"
		status=1
		continue
	fi
	built="$built $t"
done

# FUZZ_JOBS harnesses at a time, each on its own core.
running=0
for t in $built; do
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait
		running=0
	fi
done
wait

printf '%-16s %12s %8s  %s\n' harness execs corpus result
for t in $targets; do
	[ -e "tests/fuzz/fuzz_$t.c" ] || continue
	[ -e "$OUT/$t.result" ] || printf '%-16s %12s %8s  %s\n' "$t" - - "NO RESULT" >"$OUT/$t.result"
	cat "$OUT/$t.result"
	grep -q '  ok$' "$OUT/$t.result" || status=1
done
echo "fuzz: $(( $(date +%s) - start ))s total, logs in $OUT/"
exit $status
