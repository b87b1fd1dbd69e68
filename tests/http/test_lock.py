"""Another process holding the database's write lock (an import, say) for
longer than SQLite's usual 5 s wait: an event posted meanwhile waits and is
answered 201 when the lock goes, never a 503 "database is locked"."""
import sqlite3
import threading
import time

from lfserver import Server, check, demo_db, done, sqlite_only, token

sqlite_only("SQLite's lock is the whole file's; PostgreSQL's are the rows' (test_two_servers.py)")

d, db = demo_db(leads=30)
A = token(db, "admin", "root")
srv = Server(db).start()

other = sqlite3.connect(db, isolation_level=None, timeout=30)
other.execute("BEGIN IMMEDIATE")
other.execute("UPDATE reps SET weekly_hours = weekly_hours WHERE id = 1")
answer = {}


def post():
    ev = {"id": "lock-1", "email": "lock@wait.example", "type": "page_view",
          "occurred_at": "2026-11-20T10:00:00Z"}
    t0 = time.time()
    answer["status"], answer["body"], _ = srv.call("POST", "/v1/events", A, ev)
    answer["waited"] = time.time() - t0


t = threading.Thread(target=post)
t.start()
time.sleep(7)
check(t.is_alive(), "the write waits while another process holds the lock")
other.execute("COMMIT")
other.close()
t.join(60)
check(answer.get("status") == 201,
      f"and is stored when the lock goes: {answer.get('status')} after "
      f"{answer.get('waited', 0):.1f} s ({answer.get('body')})")
log = open(srv.log).read()
check("is locked by another process" in log,
      "the server says in its log what it waits for")
check(srv.stop() == 0, "SIGTERM: the server exits 0")
done()
