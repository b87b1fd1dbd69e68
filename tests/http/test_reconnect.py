"""A server whose database goes away and comes back (PostgreSQL restarted:
what a failover or a cut and restored link looks like to it): while it is
gone, writes are answered 503 not_durable, clearly, and nothing is half
kept; when it is back, the server goes on by itself, with no restart; every
event answered 2xx, before, during or after, is stored. PostgreSQL only
(http-pg/test_reconnect): a SQLite file does not go away."""
import os
import subprocess
import threading
import time

import lfserver
from lfserver import Server, check, demo_db, done, token, wait_for

if not lfserver.PG:
    print("skipped: needs a PostgreSQL cluster (http-pg/test_reconnect)")
    raise SystemExit(77)
d, db = demo_db(leads=50)
A = token(db, "admin", "root")
srv = Server(db).start()
acked, codes, stop = [], {}, threading.Event()
lock = threading.Lock()


def event(eid, email):
    return {"id": eid, "email": email, "type": "page_view",
            "occurred_at": "2026-11-20T10:00:00Z"}


def writes(body_of, answered):
    """POSTs body_of(i) for i = 0, 1, ... until stopped; answered(i, status, body)."""
    conn, i = srv.conn(), 0
    while not stop.is_set():
        try:
            st, b, _ = srv.call("POST", "/v1/events", A, body_of(i), conn=conn)
        except OSError:
            conn, st, b = srv.conn(), 0, {}
        with lock:
            answered(i, st, b)
        i += 1


def client(k):
    def answered(i, st, b):
        codes.setdefault(st, []).append(b)
        if 200 <= st < 300:
            acked.append(f"rc-{k}-{i}")
    writes(lambda i: event(f"rc-{k}-{i}", f"rc{k}-{i % 40}@reconnect.example"), answered)


batches = {}   # a bulk write (>= 100 events: a transaction of its own) by its answer


def bulk_client():
    def body(i):
        time.sleep(0.05)
        return [event(f"rb-{i}-{j}", f"rb{j % 30}@reconnect.example") for j in range(150)]
    writes(body, lambda i, st, b: batches.setdefault(st, []).append(i))


threads = [threading.Thread(target=client, args=(k,)) for k in range(2)]
threads.append(threading.Thread(target=bulk_client))
for t in threads:
    t.start()
time.sleep(1.5)
before = len(acked)
# the database goes away for two seconds and comes back
subprocess.run(["bash", os.path.join(lfserver.SRC, "tests", "pg", "cluster.sh"), "restart",
                os.environ["LEADFLOW_PG_DIR"], "2"], check=True)
back = len(acked)
check(wait_for(lambda: len(acked) > back + 20, 15),
      f"the server goes on by itself once the database is back ({len(acked) - back} since)")
stop.set()
for t in threads:
    t.join()
errors = [b for st, bs in codes.items() if st >= 500 for b in bs]
check(before > 20, f"writes were answered before ({before})")
kinds = {b.get("error", {}).get("code") for b in errors}
check(errors and kinds <= {"not_durable", "store"} and set(codes) <= {200, 201, 503},
      f"while it was gone: {len(errors)} answers 503, each saying the database failed"
      f" ({sorted(codes)}, {sorted(kinds)})")
said = {b["error"]["message"].split(":")[0] for b in errors}
print("     what they said:", "; ".join(sorted(said))[:400])
stored = set(lfserver.sql(db, "SELECT id FROM events WHERE id LIKE 'rc-%'").split())
missing = [e for e in acked if e not in stored]
check(not missing, f"every acknowledged event is stored ({len(acked)} acknowledged, "
      f"{len(stored)} stored, {len(missing)} missing)")
# a bulk write is whole or not at all: 200, all 150 kept; 503, none
per = {}
for eid in lfserver.sql(db, "SELECT id FROM events WHERE id LIKE 'rb-%'").split():
    per[int(eid.split("-")[1])] = per.get(int(eid.split("-")[1]), 0) + 1
ok = batches.get(200, [])
check(len(ok) > 5 and all(per.get(i) == 150 for i in ok) and
      all(not per.get(i) for i in batches.get(503, [])) and
      set(batches) <= {200, 503, 0},
      f"bulk writes whole or not at all ({ {k: len(v) for k, v in batches.items()} }"
      f", {len(per)} stored)")
st, b, _ = srv.call("GET", "/v1/leads?limit=1", A)
check(st == 200, "reads work again too")
check(srv.stop() == 0, "the server stops cleanly")
done()
