#!/usr/bin/env python3
"""Key-to-screen time of smaptop's maps screen (issue 14: <= 100 ms at 250,000 mappings).

usage: maps_keys.py SMAPTOP PID [ROUNDS]

Runs `SMAPTOP -p PID -d 600` in a pseudo-terminal (120x40, TERM=xterm), opens
the maps screen of PID ('m') and waits until its rows are drawn. Then, ROUNDS
times each: a scroll key (Down, PgDn, End, Home in turn) and a re-sort key
('>' steps through the sort orders, 'I' reverses, 'g' groups and ungroups).
The time of a key is from writing it to the pty to the last byte of the
screen update it causes: the output is read until it has been quiet for
QUIET seconds (after its first byte, which it waits for up to 5 s), and the
quiet tail is not counted; a key that changes nothing on screen is left out. With -d 600 nothing else
redraws the screen meanwhile. Prints one line per kind:
    scroll N median_ms max_ms
    resort N median_ms max_ms
and exits 1 if smaptop did not show the screen.
"""
import os
import pty
import select
import signal
import struct
import sys
import time
import fcntl
import termios

QUIET = 0.15


def drain(fd, until_quiet=QUIET, first=5.0, limit=30.0):
    """Reads until the output is quiet (waiting up to FIRST seconds for its
    first byte); returns (bytes, time of the last byte)."""
    out = bytearray()
    last = time.monotonic()
    end = last + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], until_quiet if out else first)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        last = time.monotonic()
    return bytes(out), last


SEEN = bytearray()  # what the last wait_for read, for the failure message


def why_not(child):
    """The child's end, if it ended, and the tail of its output."""
    pid, status = os.waitpid(child, os.WNOHANG)
    end = "still running" if pid == 0 else "exited with status %d" % os.waitstatus_to_exitcode(status)
    return "%s; its last output: %r" % (end, bytes(SEEN[-300:]))


def wait_for(fd, text, limit):
    seen = SEEN
    del seen[:]
    end = time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            seen += chunk
            if text in seen:
                return True
    return False


def main():
    smaptop, pid = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    child, fd = pty.fork()
    if child == 0:
        os.environ["TERM"] = "xterm"
        os.environ.pop("NO_COLOR", None)
        os.execvp(smaptop, [smaptop, "-p", pid, "-d", "600"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.kill(child, signal.SIGWINCH)
    try:
        if not wait_for(fd, pid.encode(), 60):
            print("maps_keys: smaptop did not start (%s)" % why_not(child), file=sys.stderr)
            return 1
        drain(fd, first=0)
        os.write(fd, b"m")
        # the totals line, drawn once the collector has read the smaps
        if not wait_for(fd, b"maps", 300) or not wait_for(fd, b"total", 300):
            print("maps_keys: the maps screen did not show (%s)" % why_not(child), file=sys.stderr)
            return 1
        drain(fd, 1.0, first=0)
        times = {"scroll": [], "resort": []}
        # keypad transmit mode (curses turns it on): the cursor keys are ESC O x
        scroll = [b"\x1bOB", b"\x1b[6~", b"\x1bOF", b"\x1bOH"]
        resort = [b">", b">", b"I", b"g", b"g", b"I"]
        for r in range(rounds):
            for kind, keys in (("scroll", scroll), ("resort", resort)):
                key = keys[r % len(keys)]
                t0 = time.monotonic()
                os.write(fd, key)
                out, last = drain(fd)
                if out:
                    times[kind].append(last - t0)
                if os.environ.get("MAPS_KEYS_DEBUG"):
                    print(kind, key, len(out), "%.1f" % (1000 * (last - t0)), file=sys.stderr)
        for kind, v in times.items():
            v.sort()
            if not v:
                print(kind, 0, "nan", "nan")
                continue
            print(kind, len(v), "%.1f" % (1000 * v[len(v) // 2]), "%.1f" % (1000 * v[-1]))
        return 0
    finally:
        os.write(fd, b"q")
        time.sleep(0.3)
        try:
            os.kill(child, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(child, 0)


if __name__ == "__main__":
    sys.exit(main())
