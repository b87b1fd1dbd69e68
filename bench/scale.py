"""bench/scale.py URL TOKEN PID N - one server's write latency, measured by
bench/scale.sh: N single-event POSTs one at a time (each answered once
durable), then N more while every report is read over and over on other
connections; then the server's resident memory. Prints key=value lines."""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

url, token, pid, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
u = urlparse(url)
auth = {"Authorization": "Bearer " + token}


def conn():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def posts(tag, count):
    c, lat = conn(), []
    for i in range(count):
        body = json.dumps({"id": f"one-{tag}-{time.time_ns()}-{i}",
                           "email": f"one-{i % 2000}@example.com", "type": "page_view"})
        t = time.perf_counter()
        c.request("POST", "/v1/events", body, dict(auth, **{"Content-Type": "application/json"}))
        r = c.getresponse()
        r.read()
        lat.append((time.perf_counter() - t) * 1000)
        if r.status not in (200, 201, 202):
            raise SystemExit(f"POST answered {r.status}")
        time.sleep(0.005)  # one at a time, the clocks free to run between
    lat.sort()
    return lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))], lat[-1]


def rss():
    got = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            got[k] = int(v.split()[0]) // 1024
    return got


p50, p99, worst = posts("alone", n)
print(f"alone_p50={p50:.2f} alone_p99={p99:.2f} alone_max={worst:.1f}")

c = conn()
c.request("GET", "/v1/reports", headers=auth)
names = [r["name"] for r in json.loads(c.getresponse().read())["reports"]]
stop, served, timings = threading.Event(), [0], {}


def reader():
    rc = conn()
    while not stop.is_set():
        for name in names:
            t = time.perf_counter()
            rc.request("GET", f"/v1/reports/{name}", headers=auth)
            r = rc.getresponse()
            r.read()
            timings.setdefault(name, []).append((time.perf_counter() - t) * 1000)
            served[0] += 1
            if stop.is_set():
                break


threads = [threading.Thread(target=reader) for _ in range(2)]
for t in threads:
    t.start()
time.sleep(0.5)
p50, p99, worst = posts("reports", n)
stop.set()
for t in threads:
    t.join()
print(f"reports_p50={p50:.2f} reports_p99={p99:.2f} reports_max={worst:.1f} reports_read={served[0]}")
slow = sorted(((sum(v) / len(v), k) for k, v in timings.items()), reverse=True)
print("report_ms=" + ",".join(f"{k}:{ms:.0f}" for ms, k in slow))
m = rss()
print(f"rss_mb={m.get('VmRSS')} hwm_mb={m.get('VmHWM')}")
