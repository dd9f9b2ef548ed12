"""Reads a captured smaptop system screen on stdin and prints how many braille
cells with data the bottom row of its first graph holds (0 if none).

That graph is a fixed 10-minute window by the clock (132 cells wide at 140
columns): the count grows with the samples the system ring holds and stops
when the ring is full and slides, which is how the benches know the view has
its full history."""
import sys

for line in sys.stdin.buffer.read().decode("utf-8", "replace").splitlines():
    if line.lstrip().startswith("0 \u2502"):
        print(sum(1 for c in line if "\u2801" <= c <= "\u28ff"))
        break
else:
    print(0)
