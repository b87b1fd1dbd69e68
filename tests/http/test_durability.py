"""Durability: clients post events as fast as they can, the server is killed
with SIGKILL at a random moment, restarted, and every event that was answered
2xx is there, once. Three rounds; the seed is printed to replay one."""
import os
import random
import signal
import subprocess
import threading
import time

import lfserver
from lfserver import Server, check, demo_db, done, token

seed = int(os.environ.get("LF_SEED", str(int(time.time()))))
rng = random.Random(seed)
print(f"seed {seed} (LF_SEED={seed} replays it)")
d, db = demo_db(leads=50)
A = token(db, "admin", "root")


def client(srv, n, acked, stop):
    conn = srv.conn()
    i = 0
    while not stop.is_set():
        ev = {"id": f"dur-{srv.port}-{n}-{i}", "email": f"dur{n}@load.example",
              "type": "page_view", "occurred_at": "2026-11-20T10:00:00Z",
              "properties": {"i": i}}
        try:
            st, _, _ = srv.call("POST", "/v1/events", A, ev, conn=conn)
        except Exception:
            return  # the server is gone
        if 200 <= st < 300:
            acked.append(ev["id"])
        i += 1


def sql(q):
    return lfserver.sql(db, q)


all_acked = []
for rnd in range(3):
    srv = Server(db).start()
    acked, stop = [], threading.Event()
    threads = [threading.Thread(target=client, args=(srv, n, acked, stop)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.3, 1.5))
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    all_acked += acked
    check(len(acked) > 0, f"round {rnd + 1}: {len(acked)} events answered 2xx before the kill")

srv = Server(db).start()
if not lfserver.PG:  # the file's own check; PostgreSQL's server keeps its files
    check(sql("PRAGMA integrity_check") == "ok", "the database passes integrity_check")
stored = set(sql("SELECT id FROM events WHERE id LIKE 'dur-%'").split())
missing = [i for i in all_acked if i not in stored]
check(not missing, f"every acknowledged event is stored ({len(all_acked)} acknowledged, "
      f"{len(stored)} stored, {len(missing)} missing)")
dup = sql("SELECT count(*) - count(DISTINCT id) FROM events")
check(dup == "0", "each is stored once")
# a client that did not see the answer retries: counted once
sample = rng.sample(all_acked, min(30, len(all_acked)))
conn = srv.conn()
unchanged = 0
for eid in sample:
    _, port, n, i = eid.split("-")
    ev = {"id": eid, "email": f"dur{n}@load.example", "type": "page_view",
          "occurred_at": "2026-11-20T10:00:00Z", "properties": {"i": int(i)}}
    st, b, _ = srv.call("POST", "/v1/events", A, ev, conn=conn)
    unchanged += st == 200 and b["status"] == "unchanged"
check(unchanged == len(sample), f"retried events are acknowledged and counted once "
      f"({unchanged}/{len(sample)})")
check(sql("SELECT count(*) FROM events WHERE id LIKE 'dur-%'") == str(len(stored)),
      "the retries added nothing")
check(srv.stop() == 0, "the restarted server stops cleanly")
done()
