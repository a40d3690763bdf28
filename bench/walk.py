"""Requests every path of a file once, over keep-alive connections from several threads,
and reports the count by status, the rate and the server's peak memory (VmHWM of PID).
Usage: walk.py HOST:PORT PATHS PID [THREADS]"""
import http.client
import sys
import threading
import time
from collections import Counter

host, paths_file, pid = sys.argv[1], sys.argv[2], sys.argv[3]
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 8
paths = [p.strip() for p in open(paths_file) if p.strip()]
statuses = Counter()
lock = threading.Lock()


def worker(start):
    conn = http.client.HTTPConnection(host, timeout=60)
    local = Counter()
    for p in paths[start::threads]:
        for attempt in range(3):
            try:
                conn.request("GET", p, headers={"Accept-Encoding": "br, gzip"})
                r = conn.getresponse()
                r.read()
                local[r.status] += 1
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=60)
        else:
            local["error"] += 1
    with lock:
        statuses.update(local)


started = time.time()
ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
elapsed = time.time() - started
status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
print(f"requests {len(paths)} in {elapsed:.0f} s ({len(paths) / elapsed:.0f}/s), statuses {dict(statuses)}")
print(f"peak RSS (VmHWM) {status['VmHWM'].strip()}, now (VmRSS) {status['VmRSS'].strip()}")
