#!/usr/bin/env python3
# The HTTP and text helper of tests/integration/prom.sh: free ports, requests
# to smaptop, node_exporter and prometheus, and samples read from an exposition.
# Usage: prom_client.py COMMAND ARGS... (the commands are below).
import json, socket, sys, time, urllib.error, urllib.parse, urllib.request

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])

def request(url, method="GET", timeout=10):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()

cmd = sys.argv[1]
if cmd == "port":
    free_port()
elif cmd == "up":            # up URL: exit 0 once the URL answers 200
    try:
        st, _, _ = request(sys.argv[2], timeout=2)
    except Exception:
        sys.exit(1)
    sys.exit(0 if st == 200 else 1)
elif cmd == "get":           # get URL METHOD OUT: body to OUT; prints "status content-type allow"
    st, h, body = request(sys.argv[2], sys.argv[3])
    open(sys.argv[4], "wb").write(body)
    print(st, h.get("Content-Type", "-"), h.get("Allow", "-"), sep="|")
elif cmd == "slow":          # slow HOST PORT N URL OUT: N half-sent requests held open
    host, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    held = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"GET /metr")          # half a request line, then nothing
        held.append(s)
    time.sleep(0.3)
    t0 = time.monotonic()
    st, _, body = request(sys.argv[5], timeout=20)
    dt = time.monotonic() - t0
    open(sys.argv[6], "wb").write(body)
    # the held connections are still open: the server has not closed them
    alive = 0
    for s in held:
        s.setblocking(False)
        try:
            alive += s.recv(1) != b""
        except BlockingIOError:
            alive += 1
        s.close()
    print(st, "%.3f" % dt, alive)
elif cmd == "query":         # query PROMURL EXPR: "value timestamp" of the first result, or nothing
    url = sys.argv[2] + "/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[3]})
    st, _, body = request(url)
    r = json.loads(body)
    res = r.get("data", {}).get("result", [])
    if st == 200 and res:
        print(res[0]["value"][1], res[0]["value"][0])
elif cmd == "sample":        # sample FILE NAME LABEL VALUE: value of NAME{..LABEL="VALUE"..}
    want = '%s="%s"' % (sys.argv[4], sys.argv[5])
    for line in open(sys.argv[2], encoding="utf-8"):
        if line.startswith(sys.argv[3] + "{") and want in line.split("}")[0]:
            print(line.rsplit(" ", 1)[1].strip())
            break
elif cmd == "sum":           # sum FILE NAME LABEL VALUE: sum over NAME{..LABEL="VALUE.."..}
    # VALUE itself and, for a path, every VALUE/...: a cgroup and those below it
    exact, below = '%s="%s"' % (sys.argv[4], sys.argv[5]), '%s="%s/' % (sys.argv[4], sys.argv[5])
    total, n = 0, 0
    for line in open(sys.argv[2], encoding="utf-8"):
        labels = line.rsplit("}", 1)[0]
        if line.startswith(sys.argv[3] + "{") and (exact in labels or below in labels):
            total += int(line.rsplit(" ", 1)[1])
            n += 1
    print(total if n else "")
