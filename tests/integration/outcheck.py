#!/usr/bin/env python3
"""Parses and checks smaptop's CSV and JSON output for tests/integration/*.sh.

Python 3 standard library only. Each subcommand prints its result on stdout and
exits 0, or prints the reason on stderr and exits 1 (2 for a usage error).

  field FILE KEYCOL KEYVAL COL   value of COL in the one CSV row whose KEYCOL == KEYVAL
  count FILE KEYCOL KEYVAL       number of CSV rows whose KEYCOL == KEYVAL
  rows FILE                      number of CSV data rows
  header FILE                    the CSV header, one column name per line
  sums FILE                      "COL SUM" for every *_kib column (sum over all rows;
                                 an empty field is an error)
  values FILE COL                the values of COL, one per line
  csv-check FILE                 well-formed RFC 4180 output as smaptop promises it:
                                 UTF-8, no control bytes but line ends, one line
                                 terminator style, every row as wide as the header,
                                 and every line equal to its own parse re-serialised
                                 with csv.writer(QUOTE_MINIMAL)
  text-eq FILE KEYCOL KEYVAL COL RAW        the unescaped COL equals the bytes of file RAW
  text-contains FILE KEYCOL KEYVAL COL RAW  ... contains them
  json-check FILE                every line is a strict JSON object {"time_unix_ms": int,
                                 "processes": [objects]}; numbers are integers or null,
                                 text is a string or null; prints the number of lines
  json-field FILE PID KEY        KEY of the process PID in the first JSON line
                                 (JSON-encoded, so unavailable prints null)
  json-text-eq FILE PID KEY RAW  unescaped string KEY of PID (first line) equals file RAW
  json-text-contains FILE PID KEY RAW   ... contains them
  maps-check FILE                --maps CSV: start/end are "0x" hex with end > start,
                                 size_kib == (end - start) / 1024, class is a known one
  unescape STRING                smaptop's escaping reversed, written as raw bytes

Text escaping (smaptop's contract): printable UTF-8 passes, '\\' is written as
'\\\\', every other byte as '\\xNN'.
"""

import csv
import io
import json
import re
import sys

TEXT_KEYS = {"user", "state", "comm", "cmdline", "perms", "dev", "class", "path", "start", "end",
             "offset"}


class Fail(Exception):
    pass


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_csv(path):
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fail(f"{path}: not UTF-8: {e}")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        raise Fail(f"{path}: no CSV header")
    return rows[0], rows[1:]


def col_index(header, col):
    if col not in header:
        raise Fail(f"no column {col!r} in header {','.join(header)}")
    return header.index(col)


def matching(path, keycol, keyval):
    header, rows = read_csv(path)
    k = col_index(header, keycol)
    return header, [r for r in rows if len(r) > k and r[k] == keyval]


def one_row(path, keycol, keyval):
    header, rows = matching(path, keycol, keyval)
    if len(rows) != 1:
        raise Fail(f"{len(rows)} rows with {keycol}={keyval}, want 1")
    return header, rows[0]


def unescape(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
        elif s.startswith("\\\\", i):
            out += b"\\"
            i += 2
        elif re.match(r"\\x[0-9a-fA-F]{2}", s[i:i + 4]):
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            raise Fail(f"malformed escape at {i} in {s!r}")
    return bytes(out)


def cmd_field(path, keycol, keyval, col):
    header, row = one_row(path, keycol, keyval)
    print(row[col_index(header, col)])


def cmd_count(path, keycol, keyval):
    print(len(matching(path, keycol, keyval)[1]))


def cmd_rows(path):
    print(len(read_csv(path)[1]))


def cmd_header(path):
    print("\n".join(read_csv(path)[0]))


def cmd_values(path, col):
    header, rows = read_csv(path)
    i = col_index(header, col)
    for r in rows:
        print(r[i])


def cmd_sums(path):
    header, rows = read_csv(path)
    for i, col in enumerate(header):
        if not col.endswith("_kib"):
            continue
        total = 0
        for n, r in enumerate(rows, 2):
            if not re.fullmatch(r"-?[0-9]+", r[i]):
                raise Fail(f"line {n}: {col} is {r[i]!r}, not an integer")
            total += int(r[i])
        print(col, total)


def cmd_csv_check(path):
    data = read_bytes(path)
    problems = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fail(f"not UTF-8: {e}")
    bad = sorted({hex(b) for b in data if (b < 0x20 and b not in (0x0a, 0x0d)) or b == 0x7f})
    if bad:
        problems.append(f"raw control bytes in output: {' '.join(bad)}")
    if not text.endswith("\n"):
        problems.append("output does not end with a line terminator")
    lines = text.splitlines(keepends=True)
    crlf = sum(1 for ln in lines if ln.endswith("\r\n"))
    if crlf not in (0, len(lines)):
        problems.append(f"mixed line terminators: {crlf} of {len(lines)} lines end in CRLF")
    term = "\r\n" if lines and crlf == len(lines) else "\n"
    width = None
    for n, ln in enumerate(lines, 1):
        fields = next(csv.reader([ln[:-len(term)] if ln.endswith(term) else ln], strict=True),
                      [])
        if width is None:
            width = len(fields)
        elif len(fields) != width:
            problems.append(f"line {n}: {len(fields)} fields, header has {width}")
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator=term).writerow(fields)
        if buf.getvalue() != ln:
            problems.append(f"line {n} does not round-trip: {ln!r} -> {buf.getvalue()!r}")
        if len(problems) > 10:
            break
    if problems:
        raise Fail("\n".join(problems))
    print(f"{len(lines)} lines, {width} columns")


def cmd_text(path, keycol, keyval, col, rawpath, contains):
    header, row = one_row(path, keycol, keyval)
    got = unescape(row[col_index(header, col)])
    want = read_bytes(rawpath)
    if (want in got) if contains else (got == want):
        print(repr(got))
        return
    raise Fail(f"{col}: unescaped {got!r}, want {'to contain ' if contains else ''}{want!r}")


def strict_loads(line):
    def no_constant(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(line, parse_constant=no_constant)


NUM_KEYS = {"pid", "ppid", "uid", "threads", "start_unix_s", "vsz_kib", "rss_kib",
            "rss_anon_kib", "rss_file_kib", "rss_shmem_kib", "pss_kib", "pss_anon_kib",
            "pss_file_kib", "pss_shmem_kib", "uss_kib", "shared_kib", "swap_pss_kib", "thp_kib",
            "referenced_kib", "pss_age_ms", "swap_kib", "locked_kib", "oom_score",
            "oom_score_adj", "minflt", "majflt", "minflt_per_s", "majflt_per_s",
            "growth_kib_per_s"}
RATE_KEYS = {"minflt_per_s", "majflt_per_s", "growth_kib_per_s"}


def check_json_value(where, key, v):
    """Numbers are numbers (integers unless a rate), text is text, unavailable is null."""
    if v is None:
        return
    if isinstance(v, str) and key not in TEXT_KEYS and v in ("-", ""):
        raise Fail(f"{where}: {key} is {v!r}; unavailable must be null")
    if key in TEXT_KEYS and not isinstance(v, str):
        raise Fail(f"{where}: {key} is {v!r}, want a string or null")
    if key in NUM_KEYS:
        want = (int, float) if key in RATE_KEYS else int
        if isinstance(v, bool) or not isinstance(v, want):
            kind = "a number" if key in RATE_KEYS else "an integer"
            raise Fail(f"{where}: {key} is {v!r}, want {kind} or null")


def json_lines(path):
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fail(f"not UTF-8: {e}")
    if any(b < 0x20 and b != 0x0a for b in data):
        raise Fail("raw control bytes in JSON output")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        raise Fail("output does not end with a newline")
    objs = []
    for n, ln in enumerate(lines, 1):
        try:
            o = strict_loads(ln)
        except ValueError as e:
            raise Fail(f"line {n}: not JSON ({e}): {ln[:200]!r}")
        objs.append(o)
    return objs


def cmd_json_check(path):
    objs = json_lines(path)
    if not objs:
        raise Fail("no output")
    for n, o in enumerate(objs, 1):
        if not isinstance(o, dict):
            raise Fail(f"line {n}: not an object")
        if not isinstance(o.get("time_unix_ms"), int) or isinstance(o.get("time_unix_ms"), bool):
            raise Fail(f"line {n}: time_unix_ms missing or not an integer")
        procs = o.get("processes")
        if not isinstance(procs, list):
            raise Fail(f"line {n}: processes missing or not a list")
        for p in procs:
            if not isinstance(p, dict):
                raise Fail(f"line {n}: a process is not an object")
            for k, v in p.items():
                check_json_value(f"line {n} pid {p.get('pid')}", k, v)
    print(len(objs))


def json_proc(path, pid):
    objs = json_lines(path)
    if not objs:
        raise Fail("no JSON lines")
    found = [p for p in objs[0].get("processes", []) if str(p.get("pid")) == pid]
    if len(found) != 1:
        raise Fail(f"{len(found)} processes with pid {pid} in the first line, want 1")
    return found[0]


def cmd_json_field(path, pid, key):
    p = json_proc(path, pid)
    if key not in p:
        raise Fail(f"no key {key!r} (keys: {', '.join(p)})")
    print(json.dumps(p[key]))


def cmd_json_text(path, pid, key, rawpath, contains):
    p = json_proc(path, pid)
    v = p.get(key)
    if not isinstance(v, str):
        raise Fail(f"{key} is {v!r}, want a string")
    got, want = unescape(v), read_bytes(rawpath)
    if not ((want in got) if contains else (got == want)):
        raise Fail(f"{key}: unescaped {got!r}, want {'to contain ' if contains else ''}{want!r}")
    print(repr(got))


MAP_CLASSES = {"heap", "stack", "anon", "file", "lib", "shm", "special"}


def cmd_maps_check(path):
    header, rows = read_csv(path)
    s, e, size, cls = (col_index(header, c) for c in ("start", "end", "size_kib", "class"))
    problems = []
    for n, r in enumerate(rows, 2):
        if not (re.fullmatch(r"0x[0-9a-f]+", r[s]) and re.fullmatch(r"0x[0-9a-f]+", r[e])):
            problems.append(f"line {n}: start/end {r[s]!r}/{r[e]!r} are not 0x hex")
        elif int(r[e], 16) <= int(r[s], 16):
            problems.append(f"line {n}: end {r[e]} <= start {r[s]}")
        elif str((int(r[e], 16) - int(r[s], 16)) // 1024) != r[size]:
            problems.append(f"line {n}: size_kib {r[size]} != (end - start) / 1024")
        if r[cls] not in MAP_CLASSES:
            problems.append(f"line {n}: unknown class {r[cls]!r}")
    if problems:
        raise Fail("\n".join(problems[:10]))
    print(f"{len(rows)} mappings")


COMMANDS = {
    "field": (cmd_field, 4),
    "count": (cmd_count, 3),
    "rows": (cmd_rows, 1),
    "header": (cmd_header, 1),
    "values": (cmd_values, 2),
    "sums": (cmd_sums, 1),
    "csv-check": (cmd_csv_check, 1),
    "text-eq": (lambda *a: cmd_text(*a, contains=False), 5),
    "text-contains": (lambda *a: cmd_text(*a, contains=True), 5),
    "json-check": (cmd_json_check, 1),
    "json-field": (cmd_json_field, 3),
    "json-text-eq": (lambda *a: cmd_json_text(*a, contains=False), 4),
    "json-text-contains": (lambda *a: cmd_json_text(*a, contains=True), 4),
    "maps-check": (cmd_maps_check, 1),
    "unescape": (lambda s: sys.stdout.buffer.write(unescape(s)), 1),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or len(argv) - 2 != COMMANDS[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        COMMANDS[argv[1]][0](*argv[2:])
    except (Fail, OSError, csv.Error) as e:
        print(f"outcheck {argv[1]}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
