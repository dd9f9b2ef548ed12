#!/bin/sh
# Hostile processes against every non-interactive sink (-1, --csv, --json):
# command names (PR_SET_NAME) and command lines (argvhog re-executes itself with
# a chosen argv) holding terminal escapes (title set, screen clear), newlines,
# commas, quotes, DEL, C1 controls, invalid UTF-8 and backslashes; a name that
# imitates the end of comm in /proc/PID/stat ("x) Z 1 2 3 ("); a 100,000-byte
# argument (the command line is cut at 4096 bytes and marked "\..."); an empty
# last argument (arguments are joined by single spaces, smaptop(1)); and a
# zombie (state Z, memory unavailable: never 0). Run under LC_ALL=C and
# C.UTF-8: CSV and JSON must not change; the table escapes non-ASCII under C.
#
# Every output is parsed back (Python's csv and json, the table by columns):
# one row per process, no raw control byte anywhere, valid UTF-8, and comm /
# cmdline are exactly the escaping of the raw bytes of /proc/PID/comm and
# /proc/PID/cmdline (rule: printable UTF-8 passes, '\' -> '\\', C0, DEL, C1 and
# invalid UTF-8 bytes -> \xNN), so they unescape to those bytes.
. tests/integration/lib.sh
require_binaries
ARGVHOG=$B/helpers/argvhog
[ -x "$ARGVHOG" ] || { not_ok "$ARGVHOG is built (run: make integration)"; finish; }

# start_argvhog [ARGVHOG-OPTION...] -- ARGV0 [ARG...]: start_hog with argvhog.
start_argvhog() {
	_memhog=$HOG
	HOG=$ARGVHOG
	start_hog "$@"
	_rc=$?
	HOG=$_memhog
	return "$_rc"
}

SPECS="" # pid:role for the checker; roles: name, argv, trailing, stat, big, zombie
add() { SPECS="$SPECS $1:$2"; }

# --- the hostile processes ---
nhostile=0
# shellcheck disable=SC1003 # a backslash at the end of single-quoted text is the point
for name in \
	"$(printf 't\033]0;PWNED\007')" \
	"$(printf 'c\033[2J\n,"x')" \
	"$(printf 'u\377\300\257\302\233\233\303\251\\')" \
	"$(printf 'd\177\t\r;\047')" \
	"$(printf 'b\342\200\256\342\200\213\360\237\230\200x')"; do
	nhostile=$((nhostile + 1))
	if start_hog --name "$name"; then add "$HOG_PID" name; else not_ok "memhog with hostile name #$nhostile starts"; fi
done

if start_hog --name 'x) Z 1 2 3 ('; then
	add "$HOG_PID" stat
	XZ=$HOG_PID
else
	not_ok "memhog --name 'x) Z 1 2 3 (' starts"
	XZ=""
fi

# argv[0] sets the terminal title; the arguments clear the screen, break lines,
# carry CSV and JSON metacharacters, DEL, C1 (raw and UTF-8 encoded), invalid
# UTF-8 (0xff, the overlong "/" 0xc0 0xaf, a UTF-16 surrogate), backslashes, bidi
# overrides, a BOM, valid UTF-8 (2- and 4-byte) and an
# empty argument in the middle.
# shellcheck disable=SC1003
if start_argvhog --name "$(printf 'argv\033[2J')" -- \
	"$(printf 'argv\033]0;PWNED\007hog')" "$(printf '\033[2J\033[H')" "$(printf 'line1\nline2')" \
	'a,b' "q\"uote'" "$(printf '\377\300\257')" 'back\slash\\' "$(printf '\302\233csi\233x')" \
	"$(printf 'n\303\251 \303\274 \360\237\230\200')" '' "$(printf 'tab\there\rcr\177del')" '{"json":[1]}' \
	"$(printf 'bidi\342\200\256\342\201\246bom\357\273\277sur\355\240\200')" 'end'; then
	add "$HOG_PID" argv
else
	not_ok "argvhog with a hostile argv starts"
fi

# A last argument that is empty: "joined by single spaces" ends the line with a space.
if start_argvhog -- trailing x ''; then
	add "$HOG_PID" trailing
else
	not_ok "argvhog with an empty last argument starts"
fi

# One 100,000-byte argument of hostile bytes; the cut at 4096 lands inside it.
big=$(python3 -c '
import sys
unit = b"ab\\\x1b]0;T\x07\xff\xc0\xaf,\"\xc3\xa9\n\x7f\xc2\x9bcd"
sys.stdout.buffer.write((unit * (100000 // len(unit) + 1))[:99999] + b"Z")')
if [ "$(printf '%s' "$big" | wc -c)" -ne 100000 ]; then
	not_ok "build a 100,000-byte argument"
elif start_argvhog --name bighog -- bighog "$big"; then
	add "$HOG_PID" big
	BIG=$HOG_PID
	check "/proc/PID/cmdline of the big argument is longer than 4096 bytes" \
		test "$(wc -c <"/proc/$BIG/cmdline")" -gt 4096
else
	not_ok "argvhog with a 100,000-byte argument starts"
fi
unset big

# A zombie with a hostile name: argvhog forks a child that exits and is never reaped.
ZOMBIE=""
if start_argvhog --name zparent --zombie "$(printf 'z\033]0;PWNED\007')" -- zombieparent; then
	ZOMBIE=$(sed -n 's/^zombie //p' "$T/hog.$HOG_SEQ.out")
	zstate=$(sed -e 's/.*) //' -e 's/ .*//' "/proc/$ZOMBIE/stat" 2>/dev/null)
	same "the zombie child is in state Z" "$zstate" Z
	add "$ZOMBIE" zombie
else
	not_ok "argvhog --zombie starts"
fi

# --- the checker: parses one output and compares it with /proc ---
cat >"$T/hcheck.py" <<'EOF'
import csv, io, json, os, re, sys

MAX = 4096
MARK = "\\..."
MEM = {"vsz", "rss", "rss_anon", "rss_file", "rss_shmem", "pss", "pss_anon", "pss_file",
       "pss_shmem", "uss", "shared", "swap_pss", "thp", "referenced", "swap", "locked"}
results = []
ASCII = os.environ.get("HC_ASCII") == "1"

def res(good, desc, why=""):
    results.append((bool(good), desc, why))
    return bool(good)

def hidden(cp):
    # Valid UTF-8 that is still escaped (smaptop(1), ESCAPING): C1 controls, invisible
    # formatting and direction characters, U+FEFF, U+FFFE, U+FFFF.
    return (0x80 <= cp <= 0x9F or 0x200B <= cp <= 0x200F or 0x2028 <= cp <= 0x202E
            or 0x2060 <= cp <= 0x206F or cp in (0xFEFF, 0xFFFE, 0xFFFF))

def esc(b):
    """The reference escaping: printable UTF-8 passes, '\\' -> '\\\\', any other byte -> \\xNN.
    ASCII: the table under a locale that is not UTF-8 escapes every non-ASCII byte."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c < 0x80:
            out.append("\\x%02x" % c if c < 0x20 or c == 0x7F else "\\\\" if c == 0x5C else chr(c))
            i += 1
            continue
        n = 2 if 0xC2 <= c <= 0xDF else 3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 0
        ch = None
        if n and i + n <= len(b):
            try:
                ch = b[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                ch = None
        if ch is None or hidden(ord(ch)) or ASCII:
            out.append("\\x%02x" % c)
            i += 1
        else:
            out.append(ch)
            i += n
    return "".join(out)

def unesc(s):
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] != "\\":
            out += s[i].encode("utf-8")
            i += 1
        elif s.startswith("\\\\", i):
            out += b"\\"
            i += 2
        elif re.match(r"\\x[0-9a-f]{2}", s[i:i + 4]):
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            raise ValueError("malformed escape at %d" % i)
    return bytes(out)

def well_escaped(s, cmdline):
    """s is canonical escaped text (the cut marker allowed at the end of a command line)."""
    if cmdline and s.endswith(MARK):
        s = s[:-len(MARK)]
    try:
        return esc(unesc(s)) == s
    except ValueError:
        return False

def raw_comm(pid):
    with open("/proc/%s/comm" % pid, "rb") as f:
        b = f.read()
    return b[:-1] if b.endswith(b"\n") else b

def want_cmdline(pid):
    """What the cmdline field must hold: the first 4096 bytes of /proc/PID/cmdline,
    arguments joined by a space, escaped; plus the marker when cut."""
    with open("/proc/%s/cmdline" % pid, "rb") as f:
        raw = f.read()
    cut = len(raw) > MAX
    c = raw[:MAX]
    if not cut and c.endswith(b"\0"):
        c = c[:-1]
    return esc(c.replace(b"\0", b" ")) + (MARK if cut else ""), c, cut

def byte_checks(data, what):
    bad = sorted({b for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F})
    res(not bad, what + ": no raw C0/DEL byte in stdout", "bytes " + " ".join(hex(b) for b in bad))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        res(False, what + ": stdout is valid UTF-8", str(e))
        return None
    res(True, what + ": stdout is valid UTF-8")
    c1 = sorted({hex(ord(ch)) for ch in text if 0x80 <= ord(ch) <= 0x9F})
    res(not c1, what + ": no raw C1 control in stdout", " ".join(c1))
    return text

def check_rows(what, rows, specs, shellpid, unavailable):
    """rows: list of dicts (column -> value, None when the column is absent)."""
    pids = [r.get("pid") for r in rows]
    dups = sorted({p for p in pids if pids.count(p) > 1})
    res(rows and not dups, what + ": one row per process (%d rows)" % len(rows),
        "no rows" if not rows else "duplicate pids " + " ".join(map(str, dups)))
    bad = [r.get("pid") for r in rows
           if not (r.get("comm") is None or well_escaped(r["comm"], False))
           or not (r.get("cmdline") in (None, "") or well_escaped(r["cmdline"], True))]
    res(not bad, what + ": every comm/cmdline is well-formed escaped text",
        "pids " + " ".join(map(str, bad[:10])))
    for spec in specs:
        pid, role = spec.split(":")
        mine = [r for r in rows if str(r.get("pid")) == pid]
        if not res(len(mine) == 1, "%s: exactly one row for the %s process %s" % (what, role, pid),
                   "%d rows" % len(mine)):
            continue
        r = mine[0]
        if "comm" in r:
            want = esc(raw_comm(pid))
            if what.startswith("table"):
                want = want.rstrip(" ")
            res(r["comm"] == want,
                "%s: comm of the %s process is the escaped /proc/%s/comm" % (what, role, pid),
                "got %s, want %s" % (ascii(r["comm"]), ascii(want)))
        if "cmdline" in r:
            want, content, cut = want_cmdline(pid)
            if what.startswith("table"):
                want = want.rstrip(" ")  # the table drops the spaces that end a line
            got = r["cmdline"]
            if role == "zombie":
                res(got in (None, ""), "%s: the zombie has no command line" % what,
                    "got %s" % ascii(got))
            else:
                res(got == want, "%s: cmdline of the %s process is the escaped /proc/%s/cmdline%s"
                    % (what, role, pid, " (cut)" if cut else ""),
                    "got %s..., want %s..." % (ascii((got or "")[:300]), ascii(want[:300]))
                    if got != want and (len(want) > 300 or len(got or "") > 300)
                    else "got %s, want %s" % (ascii(got), ascii(want)))
            if role == "big" and got:
                ok_mark = got.endswith(MARK)
                body = unesc(got[:-len(MARK)]) if ok_mark else b""
                res(ok_mark and len(body) == MAX,
                    "%s: the 100,000-byte command line is 4096 bytes of content + \\..." % what,
                    "ends with marker: %s, content %d bytes" % (ok_mark, len(body)))
        if role == "stat" and "state" in r:
            res(str(r.get("ppid")) == shellpid and r.get("state") == "S",
                "%s: 'x) Z 1 2 3 (' shows its true ppid %s and state S" % (what, shellpid),
                "ppid %s, state %s" % (ascii(r.get("ppid")), ascii(r.get("state"))))
            if r.get("threads") is not None:
                res(str(r["threads"]) == "1", "%s: 'x) Z 1 2 3 (' has 1 thread" % what,
                    "threads %s" % ascii(r["threads"]))
        if role == "zombie" and "state" in r:
            res(r.get("state") == "Z", "%s: the zombie row has state Z" % what,
                "state %s" % ascii(r.get("state")))
        mem = {k: v for k, v in r.items() if k in MEM}
        if role == "zombie" and mem:
            notun = {k: v for k, v in mem.items() if v != unavailable}
            res(not notun, "%s: the zombie's memory (%d columns) is unavailable (%s), never 0"
                % (what, len(mem), ascii(unavailable)), "got " + ascii(notun))
        elif role != "zombie" and "rss" in r:
            res(r["rss"] not in (unavailable, "0", 0), "%s: the %s process has an RSS" % (what, role),
                "rss %s" % ascii(r["rss"]))

def strip_kib(k):
    return k[:-4] if k.endswith("_kib") else k

def main():
    mode, path, shellpid, specs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    with open(path, "rb") as f:
        data = f.read()
    text = byte_checks(data, mode)
    if text is None:
        return
    rows = []
    if mode == "csv":
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as e:
            res(False, "csv: parses with Python's csv (strict)", str(e))
            return
        header, body = (table[0], table[1:]) if table else ([], [])
        ragged = [n for n, r in enumerate(body, 2) if len(r) != len(header)]
        res(header and not ragged, "csv: parses, every row as wide as the header",
            "lines " + " ".join(map(str, ragged[:10])))
        for r in body:
            rows.append({strip_kib(k): v for k, v in zip(header, r)})
        check_rows("csv", rows, specs, shellpid, "")
    elif mode == "json":
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        res(len(lines) == 1, "json: one line for one sample", "%d lines" % len(lines))
        try:
            obj = json.loads(lines[0] if lines else "",
                             parse_constant=lambda n: (_ for _ in ()).throw(ValueError(n)))
        except ValueError as e:
            res(False, "json: parses with Python's json", str(e))
            return
        procs = obj.get("processes") if isinstance(obj, dict) else None
        res(isinstance(procs, list), "json: an object with a processes list")
        for p in procs or []:
            rows.append({strip_kib(k): v for k, v in p.items()})
        check_rows("json", rows, specs, shellpid, None)
    else:
        # -1 --columns pid,ppid,state,threads,vsz,rss,pss,comm  or  -1 --columns pid,cmd
        lines = text.split("\n")
        cols = ["pid", "ppid", "state", "threads", "vsz", "rss", "pss", "comm"] \
            if mode == "table" else ["pid", "cmdline"]
        at = [i for i, ln in enumerate(lines) if re.match(r"^ +PID ", ln)]
        if not res(len(at) == 1, mode + ": one list header line", "%d header lines" % len(at)):
            return
        body = [ln for ln in lines[at[0] + 1:] if ln != ""]
        unparsed = []
        for ln in body:
            parts = ln.split(None, len(cols) - 1)
            if len(parts) != len(cols) or not parts[0].isdigit():
                unparsed.append(ln)
                continue
            r = dict(zip(cols, parts))
            for k in ("comm", "cmdline"):
                if r.get(k) == "-":
                    r[k] = None
            rows.append(r)
        res(not unparsed, mode + ": every row parses", ascii(unparsed[:3]))
        check_rows(mode, rows, specs, shellpid, "-")

try:
    main()
except Exception as e:  # a crash of the checker is a failed check, not a pass
    res(False, "checker ran", "%s: %s" % (type(e).__name__, e))
for good, desc, why in results:
    print("%s\t%s\t%s" % ("ok" if good else "not ok", desc, why))
EOF

# py_check MODE FILE [ASCII]: runs the checker over one output, one TAP line per
# check. ASCII=1: the table under a non-UTF-8 locale, where non-ASCII is escaped too.
py_check() {
	# shellcheck disable=SC2086 # SPECS is a list of words
	if ! HC_ASCII=${3:-0} python3 "$T/hcheck.py" "$1" "$2" "$$" $SPECS >"$T/pyres" 2>"$T/pyerr" || [ ! -s "$T/pyres" ]; then
		not_ok "the $1 checker ran"
		diag_file "$T/pyerr"
		return
	fi
	while IFS='	' read -r _st _desc _why; do
		if [ "$_st" = ok ]; then
			ok "$_desc"
		else
			not_ok "$_desc"
			[ -n "$_why" ] && diag "$_why"
		fi
	done <"$T/pyres"
}

# run_loc LOCALE ARG...: run_smaptop with LC_ALL=LOCALE (output must not depend on it).
run_loc() {
	_loc=$1
	shift
	RC=0
	timeout "$SMAPTOP_TIMEOUT" env LC_ALL="$_loc" "$SMAPTOP" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

locales=C
if locale -a 2>/dev/null | grep -qix 'c.utf-\{0,1\}8'; then
	locales="C C.UTF-8"
fi
for loc in $locales; do
	diag "LC_ALL=$loc"
	ascii=1
	[ "$loc" = C ] || ascii=0
	run_loc "$loc" --csv
	expect_rc "LC_ALL=$loc --csv" 0
	check "LC_ALL=$loc --csv: stderr is empty" test ! -s "$T/err"
	py_check csv "$T/out"

	run_loc "$loc" --json
	expect_rc "LC_ALL=$loc --json" 0
	check "LC_ALL=$loc --json: stderr is empty" test ! -s "$T/err"
	py_check json "$T/out"

	run_loc "$loc" -1 --columns pid,ppid,state,threads,vsz,rss,pss,comm
	expect_rc "LC_ALL=$loc -1 --columns pid,ppid,state,threads,vsz,rss,pss,comm" 0
	check "LC_ALL=$loc -1: stderr is empty" test ! -s "$T/err"
	py_check table "$T/out" "$ascii"

	run_loc "$loc" -1 --columns pid,cmd
	expect_rc "LC_ALL=$loc -1 --columns pid,cmd" 0
	py_check tablecmd "$T/out" "$ascii"
done

# The x) process: smaptop's ppid/state against the kernel's, parsed after the last ')'.
if [ -n "$XZ" ]; then
	k=$(python3 -c '
import sys
s = open("/proc/%s/stat" % sys.argv[1], "rb").read()
f = s[s.rindex(b")") + 2:].split()
print(f[1].decode(), f[0].decode())' "$XZ")
	run_smaptop --csv -p "$XZ" --columns pid,ppid,state,comm
	expect_rc "--csv -p PID of 'x) Z 1 2 3 ('" 0
	same "'x) Z 1 2 3 (': ppid and state match /proc/PID/stat" \
		"$(csv_field "$XZ" ppid) $(csv_field "$XZ" state)" "$k"
fi

# The zombie through -p, and its maps.
if [ -n "$ZOMBIE" ]; then
	run_smaptop -1 -p "$ZOMBIE" --columns pid,state,vsz,rss,pss,uss,swap,swap_pss,comm
	expect_rc "-1 -p ZOMBIE" 0
	# shellcheck disable=SC2016 # awk's own $ fields
	check "-1 -p ZOMBIE: state Z and every memory column is '-'" \
		awk -v p="$ZOMBIE" '$1 == p { n++; if ($2 != "Z") bad = 1; for (i = 3; i <= 8; i++) if ($i != "-") bad = 1 }
			END { exit bad || n != 1 }' "$T/out"
	run_smaptop --json -p "$ZOMBIE"
	expect_rc "--json -p ZOMBIE" 0
	for key in rss_kib vsz_kib pss_kib uss_kib swap_kib; do
		same "--json -p ZOMBIE: $key is null" "$(python3 "$PYTOOL" json-field "$T/out" "$ZOMBIE" "$key")" null
	done
	run_smaptop --maps "$ZOMBIE"
	expect_rc "--maps ZOMBIE fails" 1
	expect_one_line "--maps ZOMBIE: one message on stderr" "$T/err" zombie
fi

# Kernel threads (PF_KTHREAD in stat flags) are hidden unless --all.
kthread=$(python3 -c '
import os
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            s = open("/proc/%s/stat" % d, "rb").read()
        except OSError:
            continue
        if int(s[s.rindex(b")") + 2:].split()[6]) & 0x00200000:
            print(d)
            break')
if [ -n "$kthread" ]; then
	run_smaptop --csv --columns pid,comm
	check "kernel thread $kthread is hidden without --all" \
		test "$(python3 "$PYTOOL" count "$T/out" pid "$kthread")" = 0
	run_smaptop --csv --all --columns pid,rss,comm
	if [ -e "/proc/$kthread" ]; then
		check "kernel thread $kthread is listed with --all, RSS unavailable" \
			test "$(csv_field "$kthread" rss_kib)" = ""
	fi
else
	skip "no kernel thread is visible in this PID namespace"
fi

# The Prometheus format over the same processes; promtool is its real reader.
if command -v promtool >/dev/null 2>&1; then
	run_smaptop --prometheus --prom-top 0
	expect_rc "--prometheus --prom-top 0" 0
	check "--prometheus: promtool check metrics passes" sh -c 'promtool check metrics <"$1"' sh "$T/out"
	if [ -n "$ZOMBIE" ]; then
		check "--prometheus: the zombie's series has no memory sample (unavailable, never 0)" \
			sh -c '! grep -q "^smaptop_process_[a-z_]*bytes{pid=\"$1\"" "$2"' sh "$ZOMBIE" "$T/out"
		check "--prometheus: the zombie has its series" grep -q "^smaptop_processes{pid=\"$ZOMBIE\"" "$T/out"
	fi
else
	not_ok "promtool is installed (scripts/deps test)"
fi

finish
