"""The server's write-ahead log stays bounded under writes that never
pause (SQLite): with log_max_mb at 4, clients post single events and
batches back to back while the log file's size and its header's
checkpoint sequence (bumped each time the log starts over) are sampled.
The log must start over again and again, its file never grow far past
1.25 x the bound, and every write answered 2xx be in the database after,
which passes SQLite's integrity check."""
import os
import struct
import tempfile
import threading
import time

import lfserver
from lfserver import Server, check, done, run, sql, token

lfserver.sqlite_only("the size of a SQLite write-ahead log")
BOUND_MB = 4
d = tempfile.mkdtemp(prefix="lf-logbound-")
db = os.path.join(d, "t.db")
run(db, "init")
run(db, "demo", "--leads", "300", "--seed", "1")
run(db, "model", "add", os.path.join(lfserver.SRC, "models", "default.yaml"))
run(db, "model", "activate", "1")
A = token(db, "admin", "root")
srv = Server(db, env={"LEADFLOW_LOG_MAX_MB": str(BOUND_MB)}).start()
wal = db + "-wal"


def header_seq():
    """The log header's checkpoint sequence number (bytes 12-15)."""
    try:
        with open(wal, "rb") as f:
            h = f.read(16)
        return struct.unpack(">I", h[12:16])[0] if len(h) == 16 else None
    except FileNotFoundError:
        return None


stop = threading.Event()
acked = [[] for _ in range(5)]
failures = []


def single(k):
    conn, i = srv.conn(), 0
    while not stop.is_set():
        eid = f"s{k}-{i}"
        st, b, _ = srv.call("POST", "/v1/events", A, {"id": eid, "lead_id": 1 + (i * 7 + k) % 300,
                                                       "type": "page_view"}, conn=conn)
        if st == 201:
            acked[k].append(eid)
        else:
            failures.append((eid, st, b))
        i += 1


def batches(k):
    conn, i = srv.conn(), 0
    while not stop.is_set():
        evs = [{"id": f"b{i}-{j}", "lead_id": 1 + (i + j * 13) % 300, "type": "email_open"}
               for j in range(100)]
        st, b, _ = srv.call("POST", "/v1/events", A, evs, conn=conn)
        if st == 200 and b["inserted"] == 100:
            acked[k].extend(e["id"] for e in evs)
        else:
            failures.append((f"batch {i}", st, b))
        i += 1


threads = [threading.Thread(target=single, args=(k,)) for k in range(4)]
threads.append(threading.Thread(target=batches, args=(4,)))
for t in threads:
    t.start()
first, seqs, largest = None, set(), 0
end = time.time() + 120
while time.time() < end:
    s = header_seq()
    if s is not None:
        first = s if first is None else first
        seqs.add(s)
    if os.path.exists(wal):
        largest = max(largest, os.path.getsize(wal))
    if len(seqs) > 10:
        break
    time.sleep(0.01)
stop.set()
for t in threads:
    t.join()
check(srv.stop() == 0, "the server stops cleanly")

n = sum(len(a) for a in acked)
print(f"{n} events acknowledged; the log started over {len(seqs) - 1} times; "
      f"its file at most {largest / 1048576:.1f} MB (bound {BOUND_MB} MB)")
check(not failures, f"every write answered 2xx ({failures[:3]})")
check(len(seqs) > 10, f"the log started over again and again under writes ({len(seqs) - 1} times)")
check(largest <= (BOUND_MB * 1.25 + 8) * 1048576,
      f"the log file stayed near its bound ({largest / 1048576:.1f} MB)")
stored = int(sql(db, "SELECT count(*) FROM events WHERE id GLOB 's[0-9]*-*' OR id GLOB 'b[0-9]*-*'"))
check(stored == n, f"every acknowledged event is stored ({stored} of {n})")
check(sql(db, "PRAGMA integrity_check") == "ok", "the database passes the integrity check")
done()
