#!/bin/sh
# smaptop under a bounded fork/exit storm (tests/helpers/storm.c: up to 200
# short-lived children a second for at most 10 s; some re-exec, some rename
# themselves, all are reaped): processes vanish and turn into zombies while
# smaptop reads them.
#   (a) --csv -n 50 -d 0.2 streams through it: exit 0, no message, well-formed,
#       every row has a command name, and no row is zero-filled (a process that
#       vanished mid-read is dropped; a zombie shows its memory as unavailable);
#   (b) the interactive view (-d 0.2, in a private tmux server) stays up with its
#       header and list header drawn for the whole storm, and q exits 0.
. tests/integration/lib.sh
require_binaries
STORM=$B/helpers/storm
[ -x "$STORM" ] || { not_ok "$STORM is built (run: make integration)"; finish; }

# A private tmux server whose socket lives in $T, so nothing is left behind.
view_term storm
HAVE_TMUX=""

# start_storm SECONDS: the storm, recorded like a memhog (stopped by PID on exit).
STORM_OUT=""
start_storm() {
	_memhog=$HOG
	HOG=$STORM
	start_hog --seconds "$1" --rate 200
	_rc=$?
	HOG=$_memhog
	STORM_OUT=$T/hog.$HOG_SEQ.out
	return "$_rc"
}
storm_done() { grep -q '^done ' "$STORM_OUT"; }
# end_storm PID: waits for the storm to finish on its own (it is bounded), then reaps it.
end_storm() {
	wait_for 15 storm_done || diag "the storm did not end in time; stopping it"
	stop_hog "$1"
	STORM_STARTED=$(sed -n 's/^done //p' "$STORM_OUT")
}

# --- (a) CSV streaming ---
if start_storm 10; then
	SPID=$HOG_PID
	run_smaptop --csv -n 50 -d 0.2
	end_storm "$SPID"
	in_range "the storm started children at about 200/s" "${STORM_STARTED:-0}" 500 2000
	expect_rc "--csv -n 50 -d 0.2 during the storm" 0
	check "--csv during the storm: stderr is empty" test ! -s "$T/err"
	check "--csv during the storm: well-formed" python3 "$PYTOOL" csv-check "$T/out"
	failed_before=$NFAILED
	check "--csv during the storm: rows are sane" python3 - "$T/out" "$SPID" <<'EOF'
import csv, sys
from collections import Counter, defaultdict
path, storm = sys.argv[1:]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
problems = []
samples = defaultdict(list)
for n, r in enumerate(rows, 2):
    samples[r["time_unix_ms"]].append(r["pid"])
    if r["comm"] == "":
        problems.append("line %d: pid %s has an empty comm" % (n, r["pid"]))
    if r["rss_kib"] != "" and r["rss_kib"] == "0" and r["vsz_kib"] == "0":
        problems.append("line %d: pid %s (%r) is zero-filled: rss_kib 0, vsz_kib 0"
                        % (n, r["pid"], r["comm"]))
    elif r["vsz_kib"] == "0":
        problems.append("line %d: pid %s (%r) has vsz_kib 0" % (n, r["pid"], r["comm"]))
    if r["state"] in ("Z", "X"):
        zero = [k for k in r if k.endswith("_kib") and r[k] != ""]
        if zero:
            problems.append("line %d: zombie %s shows memory: %s" % (n, r["pid"], zero))
    elif r["rss_kib"] == "" or r["vsz_kib"] == "":
        problems.append("line %d: live pid %s (state %r) has no rss/vsz" % (n, r["pid"], r["state"]))
if len(samples) != 50:
    problems.append("%d samples, want 50" % len(samples))
for t, pids in samples.items():
    dup = [p for p, c in Counter(pids).items() if c > 1]
    if dup:
        problems.append("sample %s: pids listed twice: %s" % (t, dup[:5]))
children = sum(1 for r in rows if r["ppid"] == storm)
zombies = sum(1 for r in rows if r["ppid"] == storm and r["state"] == "Z")
if children == 0:
    problems.append("no row of a storm child: the storm was not seen")
print("%d rows in %d samples; %d rows of storm children (%d zombies)"
      % (len(rows), len(samples), children, zombies))
for p in problems[:20]:
    print(p)
sys.exit(1 if problems else 0)
EOF
	[ "$NFAILED" -eq "$failed_before" ] && diag "$(head -n 1 "$T/check.out")"
else
	not_ok "the storm starts"
fi

# --- (b) the interactive view ---
if ! command -v tmux >/dev/null 2>&1; then
	skip "TUI under the storm: tmux is not installed"
	finish
fi
HAVE_TMUX=1
drawn() { _p=$(pane) && case $_p in *"Mem ["*) case $_p in *" PID "*) return 0 ;; esac ;; esac; return 1; }

mkdir -p "$T/xdg"
if ! $TM new-session -d -s storm -x 140 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$T/xdg TERM=screen-256color $SMAPTOP -d 0.2; echo EXITED \$?; sleep 600"; then
	not_ok "tmux session starts"
	finish
fi
if wait_for 10 drawn; then ok "the TUI draws its header and list header"; else not_ok "the TUI draws its header and list header"; pane >"$T/pane"; diag_file "$T/pane"; finish; fi
TPID=$(pgrep -P "$($TM display-message -p -t storm '#{pane_pid}')" -x smaptop)

if start_storm 8; then
	SPID=$HOG_PID
	# Look at the screen every 100 ms for the whole storm.
	looks=0 lost=0
	while ! storm_done && [ "$looks" -lt 200 ]; do
		looks=$((looks + 1))
		if ! drawn; then
			lost=$((lost + 1))
			[ "$lost" -eq 1 ] && pane >"$T/lost.pane"
		fi
		if has EXITED; then
			break
		fi
		sleep 0.1
	done
	end_storm "$SPID"
	in_range "the storm started children at about 200/s" "${STORM_STARTED:-0}" 400 1600
	if has EXITED; then
		not_ok "the TUI stays up during the storm"
		pane >"$T/pane"; diag_file "$T/pane"
	else
		ok "the TUI stays up during the storm ($looks looks)"
	fi
	if [ "$lost" -eq 0 ] && [ "$looks" -ge 20 ]; then
		ok "the header and list header are drawn at every look ($looks)"
	else
		not_ok "the header and list header are drawn at every look (missing $lost of $looks)"
		diag_file "$T/lost.pane"
	fi
else
	not_ok "the storm starts"
fi

keys q
if wait_for 10 has "EXITED 0"; then ok "q quits with status 0"; else not_ok "q quits with status 0"; pane >"$T/pane"; diag_file "$T/pane"; fi
if [ -n "$TPID" ] && wait_for 5 eval '! alive '"$TPID"; then ok "the smaptop process is gone"; else not_ok "the smaptop process is gone"; fi
finish
