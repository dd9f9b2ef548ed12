"""Every key on the TUI help screen is documented in smaptop(1), and the reverse.

usage: keys_check.py HELP_CAPTURE MAN_PAGE
The help screen lays keys and descriptions out in chunks separated by two or
more spaces: key, description[, key, description]. The man page lists keys as
".It Ic k1 , k2" in INTERACTIVE COMMANDS.
"""
import re
import sys

help_text = open(sys.argv[1], encoding="utf-8").read().splitlines()
man = open(sys.argv[2], encoding="utf-8").read()

start = next(i for i, l in enumerate(help_text) if "where and how processes use memory" in l)
help_keys = set()
for line in help_text[start + 1:]:
    if line.startswith("Values shown"):
        break
    chunks = [c for c in re.split(r"\s{2,}", line.strip()) if c]
    for i in range(0, len(chunks), 2):
        help_keys.update(chunks[i].split())

section = man.split(".Sh INTERACTIVE COMMANDS", 1)[1].split("\n.Sh ", 1)[0]
man_keys = set()
for m in re.finditer(r"^\.It Ic (.*)$", section, re.M):
    for k in m.group(1).split(" , "):
        man_keys.add(k.replace("\\&", "").replace("\\-", "-").strip())

missing = sorted(help_keys - man_keys)
extra = sorted(man_keys - help_keys)
if len(help_keys) < 20 or missing or extra:
    print("help keys:", sorted(help_keys))
    print("not in the man page:", missing)
    print("in the man page, not on the help screen:", extra)
    sys.exit(1)
print(len(help_keys), "keys match")
